"""The candidate method (asynchronous): exact attractors from the states stable outside a feedback vertex set.

The search rests on a theorem that needs no assumption about trap spaces: let ``N`` be a
negative feedback vertex set of the (percolated) interaction graph. From any state ``x``,
freezing the nodes of ``N`` at their values in ``x`` leaves a network without negative cycles,
whose asynchronous attractors are all fixed points (Richard 2010); its transitions are
transitions of the original network. So every attractor contains a state that is *stable on
every node outside N* (a **candidate**). Candidates are enumerated with clingo; from each
candidate not yet explained, a seeded random walk reaches some state ``z`` and the states
reachable from ``z`` are enumerated explicitly; their terminal strongly connected components are
attractors. A candidate is either inside one of them or shown transient (it reaches an attractor
that does not contain it). When every candidate is settled, the attractors found are all of
them: attractors inside or outside minimal trap spaces alike.

When a limit is reached (too many candidates, a reachable set over ``max_states``, the time
limit), the search raises :class:`~logicmodel.errors.SearchIncompleteError` naming the limit to
raise: never a silently incomplete answer.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ..engine.graphs import negative_feedback_vertex_set, terminal_components
from ..engine.kernels import Lookup, compiled
from ..errors import SearchIncompleteError
from ..model.network import Network
from ..model.rules import And, Const, Expr, Not, Operator, Var, fold, substitute
from .choose import Limits
from .stores import KeyStore, pack_rows

__all__ = ["stable_candidates", "candidate_attractors", "Explorer"]

logger = logging.getLogger(__name__)

Rows = npt.NDArray[np.bool_]
#: States explored from one candidate before the walk is taken further (the last attempt may use max_states).
_LOCAL_CAP = 50_000


def stable_candidates(network: Network, fixed: Mapping[str, int], free: Sequence[str], stable: Sequence[str],
                      limit: int, limits: Limits | None = None) -> list[dict[str, int]]:
    """States of the subspace ``fixed`` (over ``free``) where every node of ``stable`` agrees with its rule.

    Raises :class:`SearchIncompleteError` when there are more than ``limit``, or when the time limit of
    ``limits`` runs out (the solver runs in the background and is cancelled).
    """
    import clingo

    fixed_b = {n: bool(v) for n, v in fixed.items()}
    lines = [f"{{ x({i}) }}." for i in range(len(free))]
    index = {n: i for i, n in enumerate(free)}
    counter = [0]

    def atom(expr: Expr) -> str:
        """A clingo atom true exactly where ``expr`` is, with one rule line per operator (no recursion)."""
        def new_atom() -> str:
            counter[0] += 1
            return f"t({counter[0]})"

        def leaf(e: Var | Const) -> str:
            a = new_atom()
            if isinstance(e, Var):
                lines.append(f"{a} :- x({index[e.name]}).")
            elif e.value:
                lines.append(f"{a}.")
            return a

        def operator(e: Operator, args: list[str]) -> str:
            a = new_atom()
            if isinstance(e, Not):
                lines.append(f"{a} :- not {args[0]}.")
            elif isinstance(e, And):
                lines.append(f"{a} :- {', '.join(args)}.")
            else:
                lines.extend(f"{a} :- {x}." for x in args)
            return a

        return fold(expr, leaf, operator)

    for n in stable:
        e = substitute(network.rule(n), fixed_b)
        i = index[n]
        if isinstance(e, Const):
            lines.append(f":- x({i})." if not e.value else f":- not x({i}).")
            continue
        r = atom(e)
        lines.append(f":- x({i}), not {r}.")
        lines.append(f":- not x({i}), {r}.")
    ctl = clingo.Control([str(limit + 1) if limit < 2**31 - 2 else "0", "--warn=none"])
    ctl.add("base", [], "\n".join(lines) + "\n#show x/1.")
    ctl.ground([("base", [])])
    out: list[dict[str, int]] = []
    with ctl.solve(yield_=True, async_=True) as handle:
        while True:
            handle.resume()
            if (limits is not None and limits.deadline is not None
                    and not handle.wait(max(0.0, limits.deadline - time.monotonic()))):
                handle.cancel()
                limits.check_time()
            model = handle.model()
            if model is None:
                break
            on = {s.arguments[0].number for s in model.symbols(shown=True)}
            out.append({n: int(i in on) for i, n in enumerate(free)})
            if len(out) > limit:
                handle.cancel()
                raise SearchIncompleteError(
                    f"more than max_candidates={limit:,} candidate states to examine "
                    f"(raise it with max_candidates= / --max-candidates)")
    return out


class Explorer:
    """Asynchronous moves on boolean state matrices over the free nodes of a subspace."""

    def __init__(self, network: Network, fixed: Mapping[str, int], free: Sequence[str]) -> None:
        self.free = list(free)
        self.n = len(free)
        pos = {n: j for j, n in enumerate(free)}
        self.lookups: list[tuple[Lookup, list[int]]] = []
        for n in free:
            regs = tuple(r for r in network.regulators(n) if r in pos)
            self.lookups.append((Lookup(network, network.index(n), regs, fixed), [pos[r] for r in regs]))

    def values(self, states: Rows) -> Rows:
        """The value each free node's rule gives in each state."""
        out = np.empty(states.shape, dtype=bool)
        for j, (lookup, cols) in enumerate(self.lookups):
            out[:, j] = lookup.on_rows(states, cols)
        return out

    def unpack(self, keys: npt.NDArray[np.void]) -> Rows:
        raw = keys.view(np.uint8).reshape(len(keys), -1)
        out: Rows = np.unpackbits(raw, axis=1)[:, : self.n].astype(bool)
        return out

    def successors(self, states: Rows) -> tuple[npt.NDArray[np.int64], Rows]:
        """(row index of the source, successor state) for every enabled single flip."""
        vals = self.values(states)
        src, dst = np.nonzero(vals != states)
        succ = states[src].copy()
        succ[np.arange(len(src)), dst] = ~succ[np.arange(len(src)), dst]
        return src.astype(np.int64), succ

    def reachable(self, start: Rows, max_states: int, stop: set[bytes], limits: Limits | None = None
                  ) -> tuple[npt.NDArray[np.void], npt.NDArray[np.int64], npt.NDArray[np.int64]] | str | None:
        """Every state reachable from ``start`` and the edges between them.

        Returns ``(sorted keys, source indices, target indices)``; ``"stop"`` as soon as a
        state whose key is in ``stop`` is reached; ``None`` beyond ``max_states``.
        """
        first = pack_rows(start[None, :])
        if first[0].tobytes() in stop:
            return "stop"
        seen = {first[0].tobytes()}
        found = [first]
        frontier = start[None, :]
        src_keys, dst_keys = [], []
        while len(frontier):
            if limits is not None:
                limits.check_time()
            s_idx, succ = self.successors(frontier)
            src_keys.append(pack_rows(frontier)[s_idx])
            dk = pack_rows(succ)
            dst_keys.append(dk)
            uniq = np.unique(dk)
            fresh = np.array([k.tobytes() not in seen for k in uniq], dtype=bool)
            new = uniq[fresh] if len(uniq) else uniq
            if len(new):
                raw = [k.tobytes() for k in new]
                if any(r in stop for r in raw):
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

    def walk_many(self, states: Rows, steps: int, rng: np.random.Generator,
                  limits: Limits | None = None) -> Rows:
        """Random asynchronous walks of many states at once: each step, every walker applies the
        rule of one node chosen uniformly (a stable node does not move). The time limit is checked
        every step (4,100 walkers of a 200-node network: 4,000 steps took 25 s)."""
        x: Rows = states.copy()
        m = len(x)
        if m == 0 or self.n == 0:
            return x
        for _ in range(steps):
            if limits is not None:
                limits.check_time()
            pick = rng.integers(self.n, size=m)
            for j in np.unique(pick):
                rows = np.flatnonzero(pick == j)
                lookup, cols = self.lookups[j]
                x[rows, j] = lookup.on_rows(x, cols, rows)
        return x


def candidate_attractors(network: Network, fixed: Mapping[str, int], limits: Limits, *,
                         walk_steps: int = 20) -> list[KeyStore]:
    """Every asynchronous attractor in the subspace ``fixed`` (percolated), exactly.

    ``walk_steps`` × (number of free nodes) is the length of the first random walk of every candidate.
    """
    values = compiled(network).percolate(fixed)
    fixed_all = {network.nodes[i]: v for i, v in values.items()}
    free = [n for i, n in enumerate(network.nodes) if i not in values]
    if not free:
        return [KeyStore(network, fixed_all, free, np.zeros((1, 0), dtype=bool))]
    pos = {n: j for j, n in enumerate(free)}
    edges = [(pos[e.source], pos[e.target], e.sign) for e in network.edges()
             if e.source in pos and e.target in pos and e.sign != "0"]
    nfvs = set(negative_feedback_vertex_set(edges, list(range(len(free)))))
    stable = [n for j, n in enumerate(free) if j not in nfvs]
    cands = stable_candidates(network, fixed_all, free, stable, limits.max_candidates, limits)
    logger.info("%d free nodes, negative feedback vertex set of %d, %d candidate states",
                len(free), len(nfvs), len(cands))
    ex = Explorer(network, fixed_all, free)
    rng = np.random.default_rng(limits.seed)
    states = np.array([[c[n] for n in free] for c in cands], dtype=bool).reshape(len(cands), len(free))
    found: list[npt.NDArray[np.void]] = []  # sorted packed keys of each attractor
    # fixed points among the candidates settle at once
    still = np.all(ex.values(states) == states, axis=1) if len(states) else np.zeros(0, dtype=bool)
    found.extend(np.array([k]) for k in pack_rows(states[still]))
    known: set[bytes] = {k[0].tobytes() for k in found}

    def absorb(keys: npt.NDArray[np.void], src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64]) -> None:
        for comp in terminal_components(len(keys), src, dst):
            att = keys[comp]
            if att[0].tobytes() not in known:  # never found twice
                found.append(att)
                known.update(k.tobytes() for k in att)

    def advance(walkers: Rows, steps: int) -> Rows:
        """Walk the unsettled states on; record new fixed points; keep those not yet in a known attractor."""
        if not len(walkers):
            return walkers
        ends = ex.walk_many(walkers, steps, rng, limits)
        at_rest = np.all(ex.values(ends) == ends, axis=1)
        for k in np.unique(pack_rows(ends[at_rest])):
            if k.tobytes() not in known:
                found.append(np.array([k]))
                known.add(k.tobytes())
        keys = pack_rows(ends)
        out: Rows = ends[np.array([k.tobytes() not in known for k in keys], dtype=bool)]
        return out

    local_cap = min(limits.max_states, _LOCAL_CAP)
    # walk every remaining candidate at once; most land on a fixed point or a known attractor. A walker
    # that reaches a known attractor is settled; the others go on from where their walk ended.
    pending = advance(states[~still], walk_steps * ex.n)
    while len(pending):
        limits.check_time()
        z = pending[0]
        # walk z deeper (into an attractor, usually), then explore from there until a known
        # attractor state is met, or completely
        reach = None
        for attempt in range(4):
            z = ex.walk_many(z[None, :], 50 * (attempt + 1) * max(ex.n, 1), rng, limits)[0]
            reach = ex.reachable(z, local_cap if attempt < 3 else limits.max_states, stop=known, limits=limits)
            if reach is not None:
                break
        if reach is None:
            raise SearchIncompleteError(
                f"the states reachable from a candidate exceed max_states={limits.max_states:,} "
                f"(raise it with max_states= / --max-states)")
        if not isinstance(reach, str):
            absorb(*reach)  # every terminal SCC reachable from z
        # z is settled; walk the others a little further and drop those that reach what is known
        pending = advance(pending[1:], 2 * ex.n)
    return [KeyStore(network, fixed_all, free, ex.unpack(att)) for att in found]
