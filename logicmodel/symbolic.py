"""Exact attractors on binary decision diagrams (CUDD through ``dd``), for state spaces far past the cap.

Sets of states are BDDs over the free nodes of a percolated subspace (one BDD variable per node,
in network order); the update rule of node ``i`` is a BDD ``f_i``.

Asynchronous updating
    ``post_i(S)`` flips node ``i`` in the states of ``S`` where ``x_i != f_i``; forward and backward
    reachability use *saturation* (the last variable that adds states is applied first, then the
    sweep restarts), which keeps intermediate BDDs small. Attractors are the terminal strongly
    connected components, found by pivot descent (Xie and Beerel 2000): within a trap set ``U``,
    the forward set ``F`` of a pivot is a trap; if the pivot's backward set inside ``F`` covers ``F``,
    ``F`` is an attractor; otherwise ``F`` minus that backward set is a smaller trap and the descent
    continues there. After each attractor its basin (backward set) leaves ``U``; ``U`` stays a trap,
    and the search ends when ``U`` is empty, so no attractor is missed.
    Before the search, *transition-guided reduction* (Beneš et al. 2020) removes states that cannot
    be in an attractor: for each node, the states that can still reach a state where it can change
    are split from those that cannot, and the basins of the traps this exposes are dropped.

Free inputs as colours
    Free nodes that never change (inputs left free) split the dynamics into one per combination
    of their values, a *colour*. The pivot descent then runs for every colour at once: one pivot
    per colour (:meth:`SymbolicSpace.pick_per_colour`), and the colours whose pivot lies in an
    attractor are emitted together, one attractor per colour (see :mod:`logicmodel.families`).
    Nodes driven by the inputs alone can be eliminated first (``eliminate_driven``).

Synchronous updating
    The successor map is a function; its attractors are its cycles. A state of the remaining set is
    followed explicitly until it repeats (the cycle), then the cycle's whole basin is removed by
    iterated pre-images ``S(f(x))`` (a vector compose, no transition relation needed). Every state
    lies in exactly one basin, so the cycles found when nothing remains are all of them.

Either method raises :class:`~logicmodel.search.SearchIncompleteError` naming the limit (time, BDD
nodes, cycle length) instead of returning a partial answer.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

import numpy as np

from .engine import FixedPart
from .errors import LogicModelError
from .rules import And, Const, Not, Or, Var

logger = logging.getLogger(__name__)

__all__ = ["SymbolicSpace", "SymbolicStore", "symbolic_sets", "variable_order", "new_manager"]


def _bdd_module():
    try:
        import dd.cudd as mod  # compiled CUDD: fast
    except ImportError:  # pragma: no cover - platforms without the compiled wheel
        import dd.autoref as mod
    return mod


class _Limits:
    """The time limit and the memory limit (live BDD nodes) of one search."""

    def __init__(self, deadline: float | None, max_nodes: int | None) -> None:
        self.deadline = deadline
        self.max_nodes = max_nodes
        self._next_node_check = 0.0

    def check(self, bdd) -> None:
        from .search import SearchIncompleteError

        now = time.monotonic()
        if self.deadline is not None and now > self.deadline:
            raise SearchIncompleteError("the time limit was reached (raise it with time_limit= / --time-limit)")
        if self.max_nodes is not None and now >= self._next_node_check:
            nodes = live_nodes(bdd)
            # counting the live nodes is not free (20 ms on jaoude_thdiff): at most 2 % of the time
            self._next_node_check = time.monotonic() + max(0.2, 50 * (time.monotonic() - now))
            if nodes > self.max_nodes:
                raise SearchIncompleteError(f"the BDDs grew past {self.max_nodes:,} nodes "
                                            f"(raise it with max_bdd_nodes= / --max-bdd-nodes)")


def live_nodes(bdd) -> int:
    """Live nodes of the manager (CUDD's count, without a garbage collection)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dd warns about a changed unit of another field
        return int(bdd.statistics()["n_nodes"])


def variable_order(network) -> list[int]:
    """A BDD variable order: reverse Cuthill-McKee on the undirected interaction graph.

    Regulators and their targets end up close together, which keeps the update functions and
    the reachable sets compact (several times faster than file order on the larger models).
    """
    import networkx as nx
    from networkx.utils import reverse_cuthill_mckee_ordering

    g = nx.Graph()
    g.add_nodes_from(range(len(network.nodes)))
    for i, node in enumerate(network.nodes):
        for r in network.regulators(node):
            j = network.index(r)
            if j != i:
                g.add_edge(i, j)
    return list(reverse_cuthill_mckee_ordering(g))


def new_manager(network):
    """A BDD manager with one variable per node of ``network``, in :func:`variable_order`."""
    bdd = _bdd_module().BDD()
    bdd.configure(reordering=False)  # turned on for searches with free inputs (see SymbolicSpace)
    bdd.declare(*[f"x{i}" for i in variable_order(network)])
    return bdd


class SymbolicSpace:
    """The free nodes of a percolated subspace as BDD variables, with their update functions."""

    def __init__(self, network, values: Mapping[int, int], bdd=None, *, eliminate_driven: bool = False) -> None:
        if bdd is None:
            bdd = new_manager(network)
        self.bdd = bdd
        self.network = network
        self.values = dict(values)
        self.free = [i for i in range(len(network.nodes)) if i not in self.values]
        self.names = [f"x{i}" for i in self.free]
        missing = [v for v in self.names if v not in bdd.vars]
        if missing:
            bdd.declare(*missing)
        self.var = {i: bdd.var(f"x{i}") for i in self.free}
        self.true, self.false = bdd.true, bdd.false
        self.f = {i: self._rule(network.rules[i]) for i in self.free}
        # free nodes that never change (inputs left free): they act as colours, one dynamics each
        self.constant = [i for i in self.free if self.f[i] == self.var[i]]
        const = set(self.constant)
        # With free inputs as variables, CUDD's dynamic reordering (sifting) pays: the order from the
        # interaction graph suits the update functions, not sets that span many input combinations.
        # jaoude_thdiff by inputs: 26.7 s -> 3.9 s, zhang_tlgl 2.5 s -> 1.0 s. Without inputs it does not
        # (selvaggio_emt 6.1 s -> 9.3 s, zhang_tlgl_v2 7.2 s -> 11 s), so it stays off there. Code that
        # reads variable levels turns it off while it does (_fixed_order).
        bdd.configure(reordering=bool(const))
        #: nodes eliminated as functions of the constant nodes (see ``eliminate_driven``)
        self.driven: dict[int, Any] = {}
        if eliminate_driven and const:
            self._eliminate_driven(const)
        self.can = {i: bdd.apply("xor", self.var[i], self.f[i]) for i in self.free}  # node i can change
        self._neg = {i: {f"x{i}": ~self.var[i]} for i in self.free}
        by_level = sorted(self.free, key=lambda i: bdd.level_of_var(f"x{i}"))
        self.dynamic_names = [f"x{i}" for i in by_level if i not in const]  # top level first
        # saturation order: deepest variable first
        self.order = [i for i in reversed(by_level) if i not in const]

    # ------------------------------------------------------------------ construction
    def _eliminate_driven(self, const: set[int]) -> None:
        """Drop the nodes whose update function depends on the constant nodes only (after the
        same elimination upstream): in every attractor such a node holds that function's value
        (it can always update to it and can never leave it), so the search runs without it and
        its regulators' rules read the function instead. :meth:`lift` puts it back."""
        bdd = self.bdd
        const_names = {f"x{i}" for i in const}
        while True:
            new = {i: g for i, g in self.f.items()
                   if i not in const and i not in self.driven and bdd.support(g) <= const_names}
            if not new:
                break
            self.driven.update(new)
            sub = {f"x{i}": g for i, g in new.items()}
            self.f = {i: g if i in self.driven else bdd.let(sub, g) for i, g in self.f.items()}
        self.free = [i for i in self.free if i not in self.driven]
        self.names = [f"x{i}" for i in self.free]
        for i in self.driven:
            del self.f[i]

    def lift(self, s):
        """A set of this space's states with the eliminated (driven) nodes put back at their values."""
        for i, g in self.driven.items():
            s = s & bdd_equiv(self.var[i], g)
        return s

    def _rule(self, expr):
        if isinstance(expr, Var):
            i = self.network.index(expr.name)
            if i in self.values:
                return self.true if self.values[i] else self.false
            return self.var[i]
        if isinstance(expr, Const):
            return self.true if expr.value else self.false
        if isinstance(expr, Not):
            return ~self._rule(expr.arg)
        if isinstance(expr, And):
            out = self.true
            for a in expr.args:
                out = out & self._rule(a)
            return out
        if isinstance(expr, Or):
            out = self.false
            for a in expr.args:
                out = out | self._rule(a)
            return out
        raise TypeError(f"unknown expression {expr!r}")  # pragma: no cover

    # ------------------------------------------------------------------ asynchronous steps
    def forward(self, s, universe, limits: _Limits | None = None):
        """Every state reachable from ``s`` within ``universe`` (saturation)."""
        return self._reach(s, universe, True, limits)

    def backward(self, s, universe, limits: _Limits | None = None):
        """Every state of ``universe`` that can reach ``s`` within ``universe`` (saturation)."""
        return self._reach(s, universe, False, limits)

    def _reach(self, s, universe, forward: bool, limits):
        # saturation: apply the deepest variable that adds states, then start the sweep again
        let, neg, can = self.bdd.let, self._neg, self.can
        whole = universe == self.true
        guard: dict[int, Any] = {}  # backward: can_i ∧ universe, built on first use
        result = s
        order = self.order
        k = 0
        n = len(order)
        while k < n:
            i = order[k]
            if forward:
                step = let(neg[i], result & can[i])
                if not whole:
                    step = step & universe
            else:
                g = guard.get(i)
                if g is None:
                    g = guard[i] = can[i] if whole else can[i] & universe
                step = let(neg[i], result) & g
            grown = result | step
            if grown == result:
                k += 1
                continue
            result = grown
            k = 0
            if limits is not None:
                limits.check(self.bdd)
        return result

    # ------------------------------------------------------------------ colours
    def colours(self, s):
        """The values of the constant nodes (free inputs) that occur in ``s``, as a BDD over them."""
        if not self.constant:
            return self.false if s == self.false else self.true
        return self.bdd.exist(self.dynamic_names, s)

    def pick_per_colour(self, s):
        """One state of ``s`` for each value of the constant nodes in ``s`` (the smallest, in BDD order).

        With no constant nodes, one state. Each step keeps, per colour, the states whose next
        variable takes the least value that colour still allows.
        """
        if not self.constant:
            return self.cube(self.pick(s))
        bdd = self.bdd
        names = self.dynamic_names
        cols = self.colours(s)
        for name in names:
            v = bdd.var(name)
            zero = s & ~v
            if zero == self.false:
                continue
            has0 = bdd.exist(names, zero)
            s = zero if has0 == cols else zero | (s & v & ~has0)
        return s

    def split_colours(self, s, limit: int) -> list:
        """``s`` cut into one set per colour (value of the constant nodes)."""
        if not self.constant:
            return [s]
        cols = self.colours(s)
        names = [f"x{i}" for i in self.constant]
        if count_exact(self.bdd, cols, len(names), names) > limit:
            raise LogicModelError(f"more than {limit:,} input combinations to split")
        return [s & self.bdd.cube(point) for point in self.bdd.pick_iter(cols, care_vars=names)]

    # ------------------------------------------------------------------ sets and states
    def pick(self, s) -> dict[int, int]:
        """One state of ``s`` (node index → 0/1 over the free nodes)."""
        point = self.bdd.pick(s, care_vars=self.names)
        return {int(k[1:]): int(v) for k, v in point.items()}

    def cube(self, state: Mapping[int, int]):
        return self.bdd.cube({f"x{i}": bool(v) for i, v in state.items() if i in self.var})

    def count(self, s) -> int:
        return count_exact(self.bdd, s, len(self.free), self.names)

    def smallest(self, s) -> dict[int, int]:
        """The lexicographically smallest state of ``s`` in node order."""
        out: dict[int, int] = {}
        cur = s
        bdd = self.bdd
        for i in self.free:
            name = f"x{i}"
            low = bdd.let({name: False}, cur)
            if low != self.false:
                out[i], cur = 0, low
            else:
                out[i], cur = 1, bdd.let({name: True}, cur)
        return out


def bdd_equiv(a, b):
    """``a <-> b``."""
    return a.bdd.apply("equiv", a, b)


def count_exact(bdd, u, nvars: int, names: list[str]) -> int:
    """Exact number of assignments of ``nvars`` variables (those in ``names``) satisfying ``u``."""
    approx = bdd.count(u, nvars=nvars) if u != bdd.false else 0
    if approx < 2 ** 52:
        return int(round(approx))
    with _fixed_order(bdd):
        return _count_levels(bdd, u, names)


@contextmanager
def _fixed_order(bdd) -> Iterator[None]:
    """Dynamic reordering off inside the block (for code that reads variable levels)."""
    before = bdd.configure(reordering=False)["reordering"]
    try:
        yield
    finally:
        bdd.configure(reordering=before)


def _count_levels(bdd, u, names: list[str]) -> int:
    # exact: Shannon expansion on the current order, with Python integers
    levels = sorted(bdd.level_of_var(v) for v in names)
    memo: dict[tuple[int, int], int] = {}

    def rec(node, k: int) -> int:  # k: index into levels of the next variable to decide
        if node == bdd.false:
            return 0
        if node == bdd.true:
            return 1 << (len(levels) - k)
        key = (int(node), k)
        if key in memo:
            return memo[key]
        lev = node.level
        if levels[k] < lev:
            out = 2 * rec(node, k + 1)
        else:
            name = bdd.var_at_level(lev)
            out = rec(bdd.let({name: False}, node), k + 1) + rec(bdd.let({name: True}, node), k + 1)
        memo[key] = out
        return out

    return rec(u, 0)


def to_node_list(bdd, u) -> list[tuple[str, int, int]]:
    """``u`` as a list of ``(variable, low, high)`` rows, children before parents; entries 0 and 1
    are the constants, row ``k`` is entry ``k + 2`` and the last row is ``u`` (a plain, picklable
    form, linear in the BDD's size)."""
    if u == bdd.false or u == bdd.true:
        return [("", int(u == bdd.true), -1)]
    rows: list[tuple[str, int, int]] = []
    ids: dict[int, int] = {}

    def visit(v) -> int:
        if v == bdd.false:
            return 0
        if v == bdd.true:
            return 1
        key = int(v)
        if key not in ids:
            name = bdd.var_at_level(v.level)
            low = visit(bdd.let({name: False}, v))
            high = visit(bdd.let({name: True}, v))
            rows.append((name, low, high))
            ids[key] = len(rows) + 1
        return ids[key]

    visit(u)
    return rows


def from_node_list(bdd, rows: list[tuple[str, int, int]]):
    """The inverse of :func:`to_node_list`, in ``bdd`` (variables declared by name)."""
    if len(rows) == 1 and rows[0][2] == -1:
        return bdd.true if rows[0][1] else bdd.false
    built = [bdd.false, bdd.true]
    for name, low, high in rows:
        built.append(bdd.ite(bdd.var(name), built[high], built[low]))
    return built[-1]


class SymbolicStore(FixedPart):
    """An attractor kept as a BDD over the free nodes of its subspace (exact, possibly huge)."""

    def __init__(self, space: SymbolicSpace, states) -> None:
        self.nodes = space.network.nodes
        self._fixed_idx = dict(space.values)
        self.space = space
        self.bdd_states = states
        self.size = space.count(states)

    def __getstate__(self) -> dict:
        # a BDD lives in its manager: travel as a node list, rebuilt in a fresh manager
        return {"network": self.space.network, "values": self.space.values,
                "nodes": to_node_list(self.space.bdd, self.bdd_states)}

    def __setstate__(self, state: dict) -> None:
        space = SymbolicSpace(state["network"], state["values"])
        self.__init__(space, from_node_list(space.bdd, state["nodes"]))  # type: ignore[misc]

    def all_states(self, limit: int = 1 << 22) -> np.ndarray:
        if self.size > limit:
            raise LogicModelError(f"the attractor has {self.size:,} states, too many to list "
                                  f"(its fixed and oscillating nodes and its size are exact)")
        sp = self.space
        rows = np.repeat(self._base[None, :], self.size, axis=0)
        for r, point in enumerate(sp.bdd.pick_iter(self.bdd_states, care_vars=sp.names)):
            for k, v in point.items():
                rows[r, int(k[1:])] = int(v)
        return rows[np.lexsort(rows.T[::-1])]

    def contains_row(self, row: np.ndarray) -> bool:
        if not self.in_subspace(row)[0]:
            return False
        sp = self.space
        return (sp.cube({i: int(row[i]) for i in sp.free}) & self.bdd_states) != sp.false

    def node_values(self) -> dict[int, int]:
        """Free nodes constant across the attractor (node index → value)."""
        sp = self.space
        out = {}
        for i in sp.free:
            if (self.bdd_states & sp.var[i]) == sp.false:
                out[i] = 0
            elif (self.bdd_states & ~sp.var[i]) == sp.false:
                out[i] = 1
        return out

    def representative(self) -> np.ndarray:
        rep = self._base.copy()
        for i, v in self.space.smallest(self.bdd_states).items():
            rep[i] = v
        return rep


# ============================================================================== asynchronous
#: how much larger than the smallest process the running one may grow before the scheduler switches
_STICKY = 4


class _Process:
    """One interruptible reachability of the interleaved reduction (see :func:`reduce_universe`).

    ``kind`` is ``"reach"`` (forward from the states where ``node`` can change) or ``"extend"``
    (backward from them, inside the forward set ``within`` the reach process found).
    """

    __slots__ = ("kind", "node", "set", "within", "weight")

    def __init__(self, kind: str, node: int, start, within) -> None:
        self.kind, self.node, self.set, self.within = kind, node, start, within
        self.weight = start.dag_size

    def restrict(self, universe) -> None:
        self.set = self.set & universe
        self.within = self.within & universe
        self.weight = self.set.dag_size


def reduce_universe(sp: SymbolicSpace, universe, limits: _Limits | None = None, patience: int | None = None):
    """Transition-guided reduction: drop states that provably lie in no attractor.

    For node ``i`` let ``F`` be the forward set of the states where ``i`` can change. ``F`` is a
    trap, so states outside it that reach it are in no attractor. Inside ``F``, the states that can
    no longer reach a change of ``i`` form a trap ``T``; states of ``F`` that reach ``T`` without
    being in it are in no attractor either (after Beneš, Brim, Pastva and Šafránek 2020).

    The reachabilities of all nodes run *interleaved*, as in AEON: each step advances, by one
    image, the process whose set has the smallest BDD, and every state a finished process drops
    is dropped from all the others at once. This is sound because the universe stays a trap
    holding every attractor: inside a smaller trap, forward and backward sets are those of the
    larger one cut to it. Cheap processes thus shrink the universe before the expensive ones get
    far. Two departures from a strict smallest-first order pay on the corpus: a node's backward
    phase starts as soon as its forward phase ends, and the running process keeps going while
    its BDD stays within ``_STICKY`` (4) times the smallest. Measured on the hardest subspace of
    jaoude_thdiff (APC on, 68 free nodes, 15 of them inputs; before dynamic reordering, which brings
    it to under 2 s): node by node 47 s, strictly
    interleaved 9.4 s, as here 12 s; on selvaggio_emt (50 subspaces): 6.7 s, 11.7 s, 6.7 s.

    The reduction is an accelerator, not part of the proof: whenever it stops, the universe is a
    trap holding every attractor. It stops once ``patience`` nodes in a row finished both phases
    without dropping a state (default ``max(8, n // 3)`` for ``n`` free nodes; on grieco_mapk one node
    removes everything removable and the others would only cost time).
    """
    bdd = sp.bdd
    false, let, neg, can = sp.false, bdd.let, sp._neg, sp.can
    if patience is None:
        patience = max(8, len(sp.free) // 3)
    active = [i for i in sp.order if (can[i] & universe) != false]  # deepest first
    procs = [_Process("reach", i, can[i] & universe, universe) for i in active]
    if not procs:
        return universe
    idle = 0
    proc = procs[0]
    while procs and idle < patience:
        # the smallest process advances; the one running keeps going while it stays within
        # _STICKY times the smallest (switching on every small difference costs more than it saves)
        best = min(procs, key=lambda q: q.weight)
        if proc not in procs or proc.weight > _STICKY * best.weight:
            proc = best
        cur, within, forward = proc.set, proc.within, proc.kind == "reach"
        grown = None
        for i in active:  # one image: the deepest node that adds states (saturation)
            if forward:
                new = let(neg[i], cur & can[i]) & within
            else:
                new = let(neg[i], cur) & can[i] & within
            new = new & ~cur
            if new != false:
                grown = cur | new
                break
        if limits is not None:
            limits.check(bdd)
        if grown is not None:
            proc.set, proc.weight = grown, grown.dag_size
            continue
        procs.remove(proc)
        drop = false
        if forward:  # cur: the forward set, a trap; what reaches it from outside is in no attractor
            if cur != universe:
                drop = sp.backward(cur, universe, limits) & ~cur
            start = can[proc.node] & universe & ~drop
            if start != false:  # the same node's second phase runs next
                procs.append(_Process("extend", proc.node, start, cur & ~drop))
                proc = procs[-1]
        else:  # within minus cur: a trap where the node never changes again; its basin goes
            bottom = within & ~cur
            if bottom != false:
                drop = sp.backward(bottom, universe, limits) & ~bottom
        if drop == false:
            idle += not forward  # patience counts nodes done with both phases
            continue
        idle = 0
        universe = universe & ~drop
        active = [i for i in active if (can[i] & universe) != false]
        for q in procs:
            q.restrict(universe)
        procs = [q for q in procs if q.set != false]
    return universe


def async_attractors(sp: SymbolicSpace, limits: _Limits | None = None, reduce: bool = True) -> list:
    """Every asynchronous attractor of the subspace, as BDDs.

    Free nodes that never change (inputs left free) are colours: the search runs for every colour
    at once, one pivot per colour, and each set returned holds one attractor per colour it covers
    (cut it with :meth:`SymbolicSpace.split_colours`). Without such nodes every set is one attractor.
    """
    universe = sp.true
    if reduce:
        universe = reduce_universe(sp, universe, limits)
        logger.info("%d free nodes: %s of %s states left after the reduction", len(sp.free),
                    f"{sp.count(universe):,}", f"{1 << len(sp.free):,}")
    found = []
    while universe != sp.false:
        trap = universe
        while True:
            pivots = sp.pick_per_colour(trap)
            trap = sp.forward(pivots, trap, limits)
            basin = sp.backward(pivots, trap, limits)
            rest = trap & ~basin  # per colour, a smaller trap when the pivot is not in an attractor
            done = trap if rest == sp.false else trap & ~sp.colours(rest)
            if done != sp.false:  # colours whose pivot lies in an attractor: the trap is that attractor
                found.append(done)
                logger.info("attractor %d: %s states", len(found), f"{sp.count(done):,}")
                universe = universe & ~sp.backward(done, universe, limits)
            if rest == sp.false:
                break
            trap = rest
        if limits is not None:
            limits.check(sp.bdd)
    return found


# ============================================================================== synchronous
def sync_attractors(sp: SymbolicSpace, limits: _Limits | None = None, max_cycle: int = 1 << 22,
                    seeds_per_round: int = 64, seed: int = 0) -> list:
    """Every synchronous attractor (cycle of the successor map) of the subspace, as BDDs.

    Each round follows a few states of the remaining set explicitly until they repeat (their
    cycles), then removes the basin of all the cycles found, layer by layer of pre-images. The
    remaining set never loses a cycle it still holds, and each round empties at least one basin.
    """
    from .search import SearchIncompleteError

    bdd = sp.bdd
    compose = {f"x{i}": sp.f[i] for i in sp.free}
    rules = [sp.network.rules[i] for i in sp.free]
    env_base: dict[str, Any] = {sp.network.nodes[i]: bool(v) for i, v in sp.values.items()}
    free_names = [sp.network.nodes[i] for i in sp.free]
    rng = np.random.default_rng(seed)

    def step(state: tuple[int, ...]) -> tuple[int, ...]:
        env = dict(env_base)
        env.update({n: bool(v) for n, v in zip(free_names, state)})
        return tuple(int(bool(r.evaluate(env))) for r in rules)

    def inside(state: tuple[int, ...], u) -> bool:
        return bdd.let({f"x{i}": bool(v) for i, v in zip(sp.free, state)}, u) == sp.true

    universe = sp.true
    found = []
    on_cycle: set[tuple[int, ...]] = set()
    while universe != sp.false:
        point = sp.pick(universe)
        starts = [tuple(point[i] for i in sp.free)]
        for row in rng.integers(0, 2, size=(seeds_per_round - 1, len(sp.free))):
            state = tuple(int(v) for v in row)
            if inside(state, universe):
                starts.append(state)
        new = sp.false
        for state in starts:
            seen: dict[tuple[int, ...], int] = {}
            path: list[tuple[int, ...]] = []
            while state not in seen and state not in on_cycle:
                if len(path) > max_cycle:
                    raise SearchIncompleteError(f"a synchronous trajectory ran past {max_cycle:,} states without "
                                                f"repeating (raise it with max_states= / --max-states)")
                seen[state] = len(path)
                path.append(state)
                state = step(state)
            if state in on_cycle:
                continue  # reaches a cycle already found
            cycle = path[seen[state]:]
            on_cycle.update(cycle)
            cyc = sp.false
            for st in cycle:
                cyc = cyc | sp.cube(dict(zip(sp.free, st)))
            found.append(cyc)
            new = new | cyc
        basin = frontier = new
        while frontier != sp.false:
            # breadth first: the pre-image of the newest layer, or of the whole basin when its BDD is
            # smaller (both add exactly the states one step away)
            source = frontier if frontier.dag_size <= basin.dag_size else basin
            frontier = bdd.let(compose, source) & universe & ~basin
            basin = basin | frontier
            if limits is not None:
                limits.check(bdd)
        universe = universe & ~basin
    return found


def symbolic_sets(space: SymbolicSpace, update: str = "asynchronous", *, deadline: float | None = None,
                  max_nodes: int | None = None, max_cycle: int = 1 << 22) -> list:
    """Every attractor of ``space`` (a percolated subspace) under ``update``, as BDDs."""
    limits = _Limits(deadline, max_nodes)
    if update == "asynchronous":
        return async_attractors(space, limits)
    return sync_attractors(space, limits, max_cycle=max_cycle)

