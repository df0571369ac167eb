"""Exact asynchronous attractors beyond the exhaustive cap.

For a subspace too large to enumerate, the search rests on a theorem that needs
no assumption about trap spaces: let ``N`` be a negative feedback vertex set of
the (percolated) interaction graph. From any state ``x``, freezing the nodes of
``N`` at their values in ``x`` leaves a network without negative cycles, whose
asynchronous attractors are all fixed points (Richard 2010); its transitions are
transitions of the original network. So every attractor contains a state that is
*stable on every node outside N* (a **candidate**). Candidates are enumerated
with clingo; from each candidate not yet explained, a seeded random walk reaches
some state ``z`` and the states reachable from ``z`` are enumerated explicitly;
their terminal strongly connected components are attractors. A candidate is
either inside one of them or shown transient (it reaches an attractor that does
not contain it). When every candidate is settled, the attractors found are all
of them: attractors inside or outside minimal trap spaces alike.

When a limit is reached (too many candidates, a reachable set over
``max_states``, the time limit), the search raises :class:`SearchIncompleteError`
naming the limit to raise: never a silently incomplete answer.
"""
from __future__ import annotations

import itertools
import logging
import time
from typing import Callable, Mapping

import numpy as np

from .engine import FixedPart
from .errors import LogicModelError

__all__ = ["SearchIncompleteError", "negative_feedback_vertex_set", "stable_candidates", "candidate_attractors"]

logger = logging.getLogger(__name__)


class SearchIncompleteError(LogicModelError, RuntimeError):
    """Completeness could not be shown within the given limits (the message names the one to raise)."""


# ----------------------------------------------------------------------------- negative feedback vertex set
def negative_feedback_vertex_set(edges: list[tuple[int, int, str]], nodes: list[int]) -> list[int]:
    """A (greedy, small) set of nodes meeting every negative cycle of a signed graph.

    ``edges``: ``(source, target, sign)`` with sign ``+``, ``-`` or ``±`` (both). A negative
    cycle through ``v`` exists iff ``(v, 0)`` and ``(v, 1)`` share a strongly connected
    component of the parity-doubled graph.
    """
    import networkx as nx

    remaining = set(nodes)
    chosen: list[int] = []
    while True:
        g = nx.DiGraph()
        for s, t, sign in edges:
            if s in remaining and t in remaining:
                parities = (0,) if sign == "+" else (1,) if sign == "-" else (0, 1)
                for p in (0, 1):
                    for q in parities:
                        g.add_edge((s, p), (t, p ^ q))
        on_negative: dict[int, int] = {}
        for comp in nx.strongly_connected_components(g):
            verts = {v for v, _ in comp}
            for v in verts:
                if (v, 0) in comp and (v, 1) in comp:
                    on_negative[v] = g.in_degree((v, 0)) + g.out_degree((v, 0))
        if not on_negative:
            return sorted(chosen)
        best = max(sorted(on_negative), key=lambda v: on_negative[v])
        chosen.append(best)
        remaining.discard(best)


# ----------------------------------------------------------------------------- candidates (clingo)
def _simplify(expr, fixed: Mapping[str, bool]):
    from .rules import And, Const, Not, Or, Var

    if isinstance(expr, Var):
        return Const(fixed[expr.name]) if expr.name in fixed else expr
    if isinstance(expr, Const):
        return expr
    if isinstance(expr, Not):
        a = _simplify(expr.arg, fixed)
        return Const(not a.value) if isinstance(a, Const) else Not(a)
    args = [_simplify(a, fixed) for a in expr.args]
    if isinstance(expr, And):
        if any(isinstance(a, Const) and not a.value for a in args):
            return Const(False)
        args = [a for a in args if not isinstance(a, Const)]
        return Const(True) if not args else args[0] if len(args) == 1 else And(tuple(args))
    if any(isinstance(a, Const) and a.value for a in args):
        return Const(True)
    args = [a for a in args if not isinstance(a, Const)]
    return Const(False) if not args else args[0] if len(args) == 1 else Or(tuple(args))


def stable_candidates(network, fixed: Mapping[str, int], free: list[str], stable: list[str],
                      limit: int) -> list[dict[str, int]]:
    """States of the subspace ``fixed`` (over ``free``) where every node of ``stable`` agrees with its rule.

    Raises :class:`SearchIncompleteError` when there are more than ``limit``.
    """
    import clingo

    from .rules import And, Const, Not, Var

    fixed_b = {n: bool(v) for n, v in fixed.items()}
    lines = [f"{{ x({i}) }}." for i in range(len(free))]
    index = {n: i for i, n in enumerate(free)}
    counter = [0]

    def atom(expr) -> str:
        counter[0] += 1
        a = f"t({counter[0]})"
        if isinstance(expr, Var):
            lines.append(f"{a} :- x({index[expr.name]}).")
        elif isinstance(expr, Const):
            if expr.value:
                lines.append(f"{a}.")
        elif isinstance(expr, Not):
            lines.append(f"{a} :- not {atom(expr.arg)}.")
        elif isinstance(expr, And):
            lines.append(f"{a} :- {', '.join(atom(x) for x in expr.args)}.")
        else:
            for x in expr.args:
                lines.append(f"{a} :- {atom(x)}.")
        return a

    for n in stable:
        e = _simplify(network.rule(n), fixed_b)
        i = index[n]
        if isinstance(e, Const):
            lines.append(f":- x({i}).") if not e.value else lines.append(f":- not x({i}).")
            continue
        r = atom(e)
        lines.append(f":- x({i}), not {r}.")
        lines.append(f":- not x({i}), {r}.")
    ctl = clingo.Control(["0", "--warn=none"])
    ctl.add("base", [], "\n".join(lines) + "\n#show x/1.")
    ctl.ground([("base", [])])
    out: list[dict[str, int]] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            on = {s.arguments[0].number for s in model.symbols(shown=True)}
            out.append({n: int(i in on) for i, n in enumerate(free)})
            if len(out) > limit:
                raise SearchIncompleteError(
                    f"more than max_candidates={limit:,} candidate states to examine "
                    f"(raise it with max_candidates= / --max-candidates)")
    return out


# ----------------------------------------------------------------------------- explicit exploration
class _Explorer:
    """Asynchronous successors on boolean state matrices over the free nodes of a subspace."""

    def __init__(self, network, fixed: Mapping[str, int], free: list[str]) -> None:
        from .engine import _table

        self.network = network
        self.free = free
        self.n = len(free)
        pos = {n: j for j, n in enumerate(free)}
        fixed_b = {n: bool(v) for n, v in fixed.items()}
        self.kernels = []
        for n in free:
            regs = [r for r in network.regulators(n) if r in pos]
            table = _table(network.rule(n), tuple(regs), fixed_b) if len(regs) <= 16 else None
            self.kernels.append((np.array([pos[r] for r in regs], dtype=np.int64), table, network.rule(n),
                                 tuple(regs), fixed_b))
        self.nbytes = max(1, (self.n + 7) // 8)

    def values(self, states: np.ndarray) -> np.ndarray:
        out = np.empty(states.shape, dtype=bool)
        for j, (cols, table, rule, regs, fixed_b) in enumerate(self.kernels):
            if table is not None:
                idx = np.zeros(len(states), dtype=np.int64)
                for b, c in enumerate(cols):
                    idx |= states[:, c].astype(np.int64) << b
                out[:, j] = table[idx]
            else:
                env = dict(fixed_b)
                env.update({r: states[:, c] for r, c in zip(regs, cols)})
                out[:, j] = rule.evaluate(env)
        return out

    def pack(self, states: np.ndarray) -> np.ndarray:
        return pack_rows(states)

    def unpack(self, keys: np.ndarray) -> np.ndarray:
        raw = keys.view(np.uint8).reshape(len(keys), -1)
        return np.unpackbits(raw, axis=1)[:, : self.n].astype(bool)

    def successors(self, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row index of the source, successor state) for every enabled single flip."""
        vals = self.values(states)
        src, dst = np.nonzero(vals != states)
        succ = states[src].copy()
        succ[np.arange(len(src)), dst] = ~succ[np.arange(len(src)), dst]
        return src, succ

    def walk(self, start: np.ndarray, steps: int, rng: np.random.Generator) -> np.ndarray:
        """A random asynchronous walk of at most ``steps`` steps (stops at a fixed point)."""
        state = start.copy()
        for _ in range(steps):
            diff = np.flatnonzero(self.values(state[None, :])[0] != state)
            if not len(diff):
                break
            j = diff[rng.integers(len(diff))]
            state[j] = ~state[j]
        return state

    def reachable(self, start: np.ndarray, max_states: int, stop: "set[bytes] | None" = None):
        """Every state reachable from ``start`` and the edges between them.

        Returns ``(sorted keys, source indices, target indices)``; ``"stop"`` as soon as a
        state whose key is in ``stop`` is reached; ``None`` beyond ``max_states``.
        """
        first = self.pack(start[None, :])
        if stop and first[0].tobytes() in stop:
            return "stop"
        seen = {first[0].tobytes()}
        found = [first]
        frontier = start[None, :]
        src_keys, dst_keys = [], []
        while len(frontier):
            s_idx, succ = self.successors(frontier)
            sk = self.pack(frontier)[s_idx]
            dk = self.pack(succ)
            src_keys.append(sk)
            dst_keys.append(dk)
            uniq = np.unique(dk)
            fresh = [k.tobytes() not in seen for k in uniq]
            new = uniq[np.array(fresh, dtype=bool)] if len(uniq) else uniq
            if len(new):
                raw = [k.tobytes() for k in new]
                if stop and any(r in stop for r in raw):
                    return "stop"
                seen.update(raw)
                found.append(new)
                if len(seen) > max_states:
                    return None
            frontier = self.unpack(new) if len(new) else frontier[:0]
        visited = np.sort(np.concatenate(found))
        src = np.concatenate(src_keys) if src_keys else first[:0]
        dst = np.concatenate(dst_keys) if dst_keys else first[:0]
        return visited, np.searchsorted(visited, src), np.searchsorted(visited, dst)

    def walk_many(self, states: np.ndarray, steps: int, rng: np.random.Generator) -> np.ndarray:
        """Random asynchronous walks of many states at once: each step, every walker applies the
        rule of one node chosen uniformly (a stable node does not move)."""
        x = states.copy()
        m = len(x)
        if m == 0 or self.n == 0:
            return x
        for _ in range(steps):
            pick = rng.integers(self.n, size=m)
            for j in np.unique(pick):
                rows = np.flatnonzero(pick == j)
                cols, table, rule, regs, fixed_b = self.kernels[j]
                if table is not None:
                    idx = np.zeros(len(rows), dtype=np.int64)
                    for b, c in enumerate(cols):
                        idx |= x[rows, c].astype(np.int64) << b
                    x[rows, j] = table[idx]
                else:
                    env = dict(fixed_b)
                    env.update({r: x[rows, c] for r, c in zip(regs, cols)})
                    x[rows, j] = np.broadcast_to(rule.evaluate(env), len(rows))
        return x

    def walk_to(self, start: np.ndarray, steps: int, rng: np.random.Generator, stop: "set[bytes]") -> tuple[np.ndarray, bool]:
        """A random walk that ends early in a state whose key is in ``stop``; returns (state, reached)."""
        state = start.copy()
        for k in range(steps):
            if k % 32 == 0 and self.pack(state[None, :])[0].tobytes() in stop:
                return state, True
            diff = np.flatnonzero(self.values(state[None, :])[0] != state)
            if not len(diff):
                break
            j = diff[rng.integers(len(diff))]
            state[j] = ~state[j]
        return state, self.pack(state[None, :])[0].tobytes() in stop


def candidate_attractors(
    network,
    fixed: Mapping[str, int],
    *,
    max_states: int,
    max_candidates: int = 100_000,
    seed: int = 0,
    walk_steps: int = 500,
    deadline: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[list[str], np.ndarray]]:
    """Every asynchronous attractor in the subspace ``fixed`` (percolated), exactly.

    Returns
    -------
    list of (free nodes, bool state matrix)
        One entry per attractor: its states over the subspace's free nodes.
    """
    from .attractors import _scc

    engine = network.compile()
    values = engine.percolate(fixed)
    fixed_all = {network.nodes[i]: v for i, v in values.items()}
    free = [n for i, n in enumerate(network.nodes) if i not in values]
    if not free:
        return [(free, np.zeros((1, 0), dtype=bool))]
    pos = {n: j for j, n in enumerate(free)}
    edges = [(pos[e.source], pos[e.target], e.sign) for e in network.edges()
             if e.source in pos and e.target in pos and e.sign != "0"]
    nfvs = negative_feedback_vertex_set(edges, list(range(len(free))))
    stable = [n for j, n in enumerate(free) if j not in set(nfvs)]
    cands = stable_candidates(network, fixed_all, free, stable, max_candidates)
    logger.info("%d free nodes, negative feedback vertex set of %d, %d candidate states",
                len(free), len(nfvs), len(cands))
    if progress:
        progress(f"{len(free)} free nodes, NFVS {len(nfvs)}, {len(cands)} candidates")
    ex = _Explorer(network, fixed_all, free)
    rng = np.random.default_rng(seed)
    states = np.array([[c[n] for n in free] for c in cands], dtype=bool).reshape(len(cands), len(free))
    found: list[np.ndarray] = []  # sorted packed keys of each attractor
    # fixed points among the candidates settle at once
    vals = ex.values(states) if len(states) else states
    still = np.all(vals == states, axis=1) if len(states) else np.zeros(0, dtype=bool)
    for k in ex.pack(states[still]):
        found.append(np.array([k]))
    known: set[bytes] = {k[0].tobytes() for k in found}

    def absorb(reach) -> None:
        keys, src, dst = reach
        ncomp, labels = _scc(len(keys), src, dst)
        terminal = np.ones(ncomp, dtype=bool)
        ls, ld = labels[src], labels[dst]
        terminal[ls[ls != ld]] = False
        for comp in np.flatnonzero(terminal):
            att = keys[labels == comp]
            if att[0].tobytes() in known:  # already found (never twice)
                continue
            found.append(att)
            known.update(k.tobytes() for k in att)

    def advance(walkers: np.ndarray, steps: int) -> np.ndarray:
        """Walk the unsettled states on; record new fixed points; keep those not yet in a known attractor."""
        if not len(walkers):
            return walkers
        ends = ex.walk_many(walkers, steps, rng)
        stable = np.all(ex.values(ends) == ends, axis=1)
        for k in np.unique(ex.pack(ends[stable])):
            if k.tobytes() not in known:
                found.append(np.array([k]))
                known.add(k.tobytes())
        keys = ex.pack(ends)
        return ends[np.array([k.tobytes() not in known for k in keys], dtype=bool)]

    local_cap = min(max_states, 50_000)
    # walk every remaining candidate at once; most land on a fixed point or a known attractor. A walker
    # that reaches a known attractor is settled; the others go on from where their walk ended.
    pending = advance(states[~still], 20 * ex.n)
    while len(pending):
        if deadline is not None and time.monotonic() > deadline:
            raise SearchIncompleteError("the time limit was reached before every candidate was settled "
                                        "(raise it with time_limit= / --time-limit)")
        z = pending[0]
        # walk z deeper (into an attractor, usually), then explore from there until a known
        # attractor state is met, or completely
        reach = None
        for attempt in range(4):
            z = ex.walk_many(z[None, :], 50 * (attempt + 1) * max(ex.n, 1), rng)[0]
            reach = ex.reachable(z, local_cap if attempt < 3 else max_states, stop=known)
            if reach is not None:
                break
        if reach is None:
            raise SearchIncompleteError(
                f"the states reachable from a candidate exceed max_states={max_states:,} "
                f"(raise it with max_states= / --max-states)")
        if reach != "stop":
            absorb(reach)  # every terminal SCC reachable from z
        # z is settled; walk the others a little further and drop those that reach what is known
        pending = advance(pending[1:], 2 * ex.n)
    return [(free, ex.unpack(att)) for att in found]


def pack_rows(rows: np.ndarray) -> np.ndarray:
    """Boolean state rows → sortable, hashable keys (packed bits viewed as one void scalar per row)."""
    if rows.shape[1] == 0:  # no free node: one zero byte per state
        rows = np.zeros((len(rows), 1), dtype=bool)
    packed = np.packbits(rows.astype(bool), axis=1)
    return np.ascontiguousarray(packed).view(f"V{packed.shape[1]}").ravel()


class RowStore(FixedPart):
    """States of a subspace stored as packed keys of their free nodes (any number of nodes)."""

    def __init__(self, network, fixed: Mapping[str, int], free: list[str]) -> None:
        self.nodes = network.nodes
        self.free = free
        self._free_idx = [network.index(n) for n in free]
        self._fixed_idx = {network.index(n): int(v) for n, v in fixed.items()}
        self.n = len(free)

    def keys(self, free_rows: np.ndarray) -> np.ndarray:
        return pack_rows(free_rows)

    def decode(self, keys: np.ndarray) -> np.ndarray:
        raw = keys.view(np.uint8).reshape(len(keys), -1)
        free_rows = np.unpackbits(raw, axis=1)[:, : self.n]
        out = np.repeat(self._base[None, :], len(keys), axis=0)
        out[:, self._free_idx] = free_rows
        return out

    def encode(self, states: np.ndarray) -> np.ndarray:
        states = np.atleast_2d(np.asarray(states))
        return self.keys(states[:, self._free_idx])


# ============================================================================= factored attractors
class ProductStore(FixedPart):
    """An attractor kept as a Cartesian product of factors over disjoint groups of free nodes.

    Each factor is ``(node indices, uint8 matrix of the group's states)``; the attractor is every
    combination of one state per factor, with the fixed nodes at their values.
    """

    def __init__(self, network, fixed_idx: Mapping[int, int], factors: list[tuple[tuple[int, ...], np.ndarray]]):
        self.nodes = network.nodes
        self._fixed_idx = dict(fixed_idx)
        self.factors = factors

    @property
    def size(self) -> int:
        out = 1
        for _, states in self.factors:
            out *= len(states)
        return out

    def all_states(self, limit: int = 1 << 22) -> np.ndarray:
        if self.size > limit:
            raise LogicModelError(f"the attractor has {self.size:,} states, too many to list "
                                  f"(its fixed and oscillating nodes and its size are exact)")
        rows = self._base[None, :].copy()
        for idx, states in self.factors:
            rep = np.repeat(rows, len(states), axis=0)
            rep[:, list(idx)] = np.tile(states, (len(rows), 1))
            rows = rep
        return rows[np.lexsort(rows.T[::-1])]

    def node_values(self) -> dict[int, int]:
        """Free nodes constant across the attractor (node index → value)."""
        out = {}
        for idx, states in self.factors:
            lo, hi = states.min(axis=0), states.max(axis=0)
            out.update({i: int(lo[c]) for c, i in enumerate(idx) if lo[c] == hi[c]})
        return out

    def contains_row(self, row: np.ndarray) -> bool:
        if not self.in_subspace(row)[0]:
            return False
        return all(bool(np.any(np.all(states == row[list(idx)], axis=1))) for idx, states in self.factors)

    def representative(self) -> np.ndarray:
        rep = self._base.copy()
        for idx, states in self.factors:
            order = np.lexsort(states.T[::-1])  # smallest in node order (idx is sorted)
            rep[list(idx)] = states[order[0]]
        return rep


def blocks_upstream_first(network, values: Mapping[int, int]) -> tuple[list[list[int]], dict[int, list[int]]]:
    """Strongly connected blocks of the free nodes' interaction graph, upstream first, and each free
    node's regulators (node indices).

    Tarjan's algorithm (iterative) emits the blocks downstream first; they are returned reversed.
    Plain Python: importing networkx would cost more than the whole search on small models.
    """
    free = [i for i in range(len(network.nodes)) if i not in values]
    regs = {i: [network.index(r) for r in network.regulators(network.nodes[i])] for i in free}
    targets: dict[int, list[int]] = {i: [] for i in free}
    for i in free:
        for r in regs[i]:
            if r not in values and r != i:
                targets[r].append(i)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    blocks: list[list[int]] = []
    for root in free:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            succ = targets[v]
            while k < len(succ) and succ[k] in index:
                w = succ[k]
                if w in on_stack:
                    low[v] = min(low[v], index[w])
                k += 1
            if k < len(succ):
                work.append((v, k + 1))
                work.append((succ[k], 0))
                continue
            if low[v] == index[v]:
                block = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    block.append(w)
                    if w == v:
                        break
                blocks.append(sorted(block))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return blocks[::-1], regs


#: Largest strongly connected block the factored method enumerates explicitly.
FACTORED_MAX_BLOCK = 20


def factored_attractors(network, values: Mapping[int, int], *, max_block: int = FACTORED_MAX_BLOCK,
                        max_projection: int = 4096, min_split: int = 0) -> "list[ProductStore] | None":
    """Every asynchronous attractor of the percolated subspace ``values``, as products of factors.

    The free nodes are split into the strongly connected components of their interaction
    graph and processed upstream first. For an attractor ``A`` of the nodes processed so far
    and the next block ``B``, the block sees its regulators move freely within the projection
    ``P`` of ``A`` (``A`` is strongly connected and does not depend on ``B``), so the attractors
    over the processed nodes and ``B`` are exactly ``A × C`` for the terminal SCCs ``C`` of the
    graph on ``2**|B|`` where a node of ``B`` can flip when it can under some input of ``P``.
    Attractors too large to list (downstream nodes driven by an oscillation) stay exact.

    Returns ``None`` when a block has more than ``max_block`` nodes, when the largest block
    leaves fewer than ``min_split`` other free nodes, or when a projection has more than
    ``max_projection`` values (the caller then uses another method).
    """
    from .attractors import terminal_sccs
    from .bitset import Space
    from .engine import _eval_words

    blocks, regs = blocks_upstream_first(network, values)
    free = [i for b in blocks for i in b]
    if blocks and (max(len(b) for b in blocks) > max_block or len(free) - max(len(b) for b in blocks) < min_split):
        return None
    fixed_names = {network.nodes[i]: bool(v) for i, v in values.items()}
    products: list[list[tuple[tuple[int, ...], np.ndarray]]] = [[]]
    for block in blocks:
        k = len(block)
        sp = Space(k)
        bits = [k - 1 - j for j in range(k)]
        var = {network.nodes[i]: sp.bit_set(b) for i, b in zip(block, bits)}
        ones, zeros = sp.full(), sp.empty()
        external = sorted({r for i in block for r in regs[i] if r not in values and r not in block})
        new_products = []
        for product in products:
            # the projection of the product onto the block's external regulators
            parts = []
            for idx, states in product:
                cols = [c for c, node in enumerate(idx) if node in external]
                if cols:
                    parts.append(([idx[c] for c in cols], np.unique(states[:, cols], axis=0)))
            n_inputs = 1
            for _, proj in parts:
                n_inputs *= len(proj)
            if n_inputs > max_projection:
                return None
            flips = np.zeros((k, sp.words), dtype=np.uint64)
            for combo in itertools.product(*(range(len(proj)) for _, proj in parts)):
                env: dict = dict(fixed_names)
                env.update(var)
                for (nodes, proj), c in zip(parts, combo):
                    env.update({network.nodes[n]: bool(v) for n, v in zip(nodes, proj[c])})
                for j, i in enumerate(block):
                    value = _eval_words(network.rules[i], env, ones, zeros)
                    flips[j] |= value ^ sp.bit_set(bits[j])
            for comp in terminal_sccs(sp, flips, bits):
                states = ((comp[:, None] >> np.array(bits, dtype=np.int64)[None, :]) & 1).astype(np.uint8)
                new_products.append(product + [(tuple(block), states)])
        products = new_products
    return [ProductStore(network, values, product) for product in products]
