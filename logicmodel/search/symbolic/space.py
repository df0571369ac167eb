"""Sets of states as binary decision diagrams (CUDD through ``dd``): the symbolic space of a subspace.

Sets of states are BDDs over the free nodes of a percolated subspace (one BDD variable per node,
named ``x<index>``); the update rule of node ``i`` is a BDD ``f_i``. Free nodes that never change
(inputs left free) split the dynamics into one per combination of their values, a *colour*; the
searches run for every colour at once (:meth:`SymbolicSpace.pick_per_colour`).

The manager's settings are scoped to one search: :func:`reordering` turns CUDD's dynamic
reordering on or off for a block and restores it after, and :class:`Budget` checks the time and
memory limits of one search.
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from ...engine.graphs import reverse_cuthill_mckee
from ...errors import SearchIncompleteError, TooLargeToListError
from ...model.functions import bdd_module, new_bdd, to_bdd
from ...model.network import Network
from ...model.rules import Expr
from ..choose import TIME_LIMIT_REACHED, Limits
from .interrupt import interruptible, lookups

__all__ = ["SymbolicSpace", "Saturation", "Budget", "variable_order", "new_manager", "count_exact", "reordering",
           "live_nodes", "bdd_module", "BDD", "Ref"]

#: A BDD manager (``dd.cudd.BDD``) and a node of it (``dd.cudd.Function``); ``dd`` ships no types.
BDD = Any
Ref = Any


def live_nodes(bdd: BDD) -> int:
    """Live nodes of the manager (CUDD's count, without a garbage collection)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dd warns about a changed unit of another field
        return int(bdd.statistics()["n_nodes"])


class Budget:
    """The time limit, the memory limit (live BDD nodes) and the work limit of one symbolic search.

    :meth:`check` tests them between BDD operations; inside :meth:`guard` CUDD also tests the time
    and the work limits while one operation runs, and abandons it when one has run out.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_nodes = limits.max_bdd_nodes
        self.max_work = limits.max_bdd_work
        self._next_node_check = 0.0
        self._start: dict[int, float] = {}  # CUDD's lookup count of each manager when first seen

    def _work_message(self) -> str:
        return (f"the symbolic search ran past {self.max_work:,} BDD operations without finishing "
                f"(raise it with max_bdd_work= / --max-bdd-work, or set a --time-limit instead)")

    def check(self, bdd: BDD) -> None:
        """Raise :class:`SearchIncompleteError` naming the limit that ran out."""
        self.limits.check_time()
        now = time.monotonic()
        if (self.max_nodes is not None or self.max_work is not None) and now >= self._next_node_check:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dd warns about a changed unit of another field
                stats = bdd.statistics()
            # reading the statistics is not free (20 ms on jaoude_thdiff): at most 2 % of the time
            self._next_node_check = time.monotonic() + max(0.2, 50 * (time.monotonic() - now))
            if self.max_nodes is not None and stats["n_nodes"] > self.max_nodes:
                raise SearchIncompleteError(f"the BDDs grew past {self.max_nodes:,} nodes "
                                            f"(raise it with max_bdd_nodes= / --max-bdd-nodes)")
            work = stats["cache_lookups"] - self._start.setdefault(id(bdd), stats["cache_lookups"])
            if self.max_work is not None and work > self.max_work:
                raise SearchIncompleteError(self._work_message())

    @contextmanager
    def guard(self, bdd: BDD) -> Iterator[None]:
        """Inside the block, one long BDD operation also stops at the time and work limits."""
        deadline = self.limits.deadline
        start = lookups(bdd)
        if start is not None:
            start = self._start.setdefault(id(bdd), start)

        def stop() -> str | None:
            if deadline is not None and time.monotonic() > deadline:
                return TIME_LIMIT_REACHED
            if self.max_work is not None and start is not None:
                now = lookups(bdd)
                if now is not None and now - start > self.max_work:
                    return self._work_message()
            return None

        with interruptible(bdd, stop):
            yield


@contextmanager
def reordering(bdd: BDD, enabled: bool) -> Iterator[None]:
    """CUDD's dynamic reordering (sifting) on or off inside the block, restored after it.

    With free inputs as BDD variables reordering pays: the order from the interaction graph suits
    the update functions, not sets that span many input combinations (jaoude_thdiff by inputs:
    26.7 s -> 3.9 s, zhang_tlgl 2.5 s -> 1.0 s). Without inputs it does not (selvaggio_emt 6.1 s ->
    9.3 s, zhang_tlgl_v2 7.2 s -> 11 s). Code that reads variable levels runs with it off.
    """
    before = bdd.configure(reordering=enabled)["reordering"]
    try:
        yield
    finally:
        bdd.configure(reordering=before)


def variable_order(network: Network) -> list[int]:
    """A BDD variable order: reverse Cuthill-McKee on the undirected interaction graph.

    Regulators and their targets end up close together, which keeps the update functions and
    the reachable sets compact (several times faster than file order on the larger models).
    """
    edges = [(i, network.index(r)) for i, node in enumerate(network.nodes) for r in network.regulators(node)]
    return reverse_cuthill_mckee(len(network.nodes), edges)


def new_manager(network: Network) -> BDD:
    """A BDD manager with one variable per node of ``network``, in :func:`variable_order`, reordering off."""
    bdd = new_bdd()
    bdd.declare(*[f"x{i}" for i in variable_order(network)])
    return bdd


def bdd_equiv(a: Ref, b: Ref) -> Ref:
    """``a <-> b``."""
    return a.bdd.apply("equiv", a, b)


def count_exact(bdd: BDD, u: Ref, nvars: int, names: Sequence[str]) -> int:
    """Exact number of assignments of ``nvars`` variables (those in ``names``) satisfying ``u``."""
    approx = bdd.count(u, nvars=nvars) if u != bdd.false else 0
    if approx < 2 ** 52:
        return int(round(approx))
    with reordering(bdd, False):
        return _count_levels(bdd, u, names)


def _count_levels(bdd: BDD, u: Ref, names: Sequence[str]) -> int:
    # exact: Shannon expansion on the current order, with Python integers
    levels = sorted(bdd.level_of_var(v) for v in names)
    memo: dict[tuple[int, int], int] = {}

    def rec(node: Ref, k: int) -> int:  # k: index into levels of the next variable to decide
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


class SymbolicSpace:
    """The free nodes of a percolated subspace as BDD variables, with their update functions.

    Attributes
    ----------
    free : list of int
        The free nodes (indices), network order.
    f : dict
        Free node → its update function.
    can : dict
        Free node → the states in which it can change (``x_i xor f_i``).
    constant : list of int
        Free nodes that never change (inputs left free): the colours.
    driven : dict
        Nodes eliminated as functions of the constant nodes (``eliminate_driven``).
    order : list of int
        Saturation order: the dynamic free nodes, deepest BDD variable first.
    """

    def __init__(self, network: Network, values: Mapping[int, int], bdd: BDD | None = None, *,
                 eliminate_driven: bool = False) -> None:
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
        self.constant = [i for i in self.free if self.f[i] == self.var[i]]
        const = set(self.constant)
        self.driven: dict[int, Ref] = {}
        if eliminate_driven and const:
            self._eliminate_driven(const)
        self.can = {i: bdd.apply("xor", self.var[i], self.f[i]) for i in self.free}
        self.negate = {i: {f"x{i}": ~self.var[i]} for i in self.free}
        by_level = sorted(self.free, key=lambda i: bdd.level_of_var(f"x{i}"))
        self.dynamic_names = [f"x{i}" for i in by_level if i not in const]  # top level first
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

    def lift(self, s: Ref) -> Ref:
        """A set of this space's states with the eliminated (driven) nodes put back at their values."""
        for i, g in self.driven.items():
            s = s & bdd_equiv(self.var[i], g)
        return s

    def _rule(self, expr: Expr) -> Ref:
        def leaf(name: str) -> Ref:
            i = self.network.index(name)
            if i in self.values:
                return self.true if self.values[i] else self.false
            return self.var[i]

        return to_bdd(expr, self.bdd, leaf)

    # ------------------------------------------------------------------ asynchronous reachability
    def forward(self, s: Ref, universe: Ref, budget: Budget | None = None) -> Ref:
        """Every state reachable from ``s`` (saturation). ``universe`` is a trap set holding ``s``: the
        states reachable from ``s`` all lie in it, so it only serves to keep the signature of :meth:`backward`."""
        return self._reach(s, universe, True, budget)

    def backward(self, s: Ref, universe: Ref, budget: Budget | None = None) -> Ref:
        """Every state of ``universe`` that can reach ``s`` within ``universe`` (saturation); ``universe``
        is a trap set (every search here passes one: the whole space, a reduced universe, a forward set)."""
        return self._reach(s, universe, False, budget)

    @cached_property
    def dependent(self) -> list[list[int]]:
        """Per position in :attr:`order`: the positions of the nodes it regulates or is regulated by."""
        pos = {i: k for k, i in enumerate(self.order)}
        out: list[set[int]] = [set() for _ in self.order]
        for k, i in enumerate(self.order):
            for name in self.bdd.support(self.f[i]):
                j = pos.get(int(name[1:]))
                if j is not None and j != k:
                    out[k].add(j)
                    out[j].add(k)
        return [sorted(d) for d in out]

    def _reach(self, s: Ref, universe: Ref, forward: bool, budget: Budget | None) -> Ref:
        """Every state reachable from ``s`` (``forward``) or reaching it within ``universe``: a
        :class:`Saturation` run to its end, the budget checked after each image that adds states."""
        sat = Saturation(self, s, universe, forward)
        while sat.step():
            if budget is not None:
                budget.check(self.bdd)
        return sat.set

    # ------------------------------------------------------------------ colours
    def colours(self, s: Ref) -> Ref:
        """The values of the constant nodes (free inputs) that occur in ``s``, as a BDD over them."""
        if not self.constant:
            return self.false if s == self.false else self.true
        return self.bdd.exist(self.dynamic_names, s)

    def pick_per_colour(self, s: Ref) -> Ref:
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

    def split_colours(self, s: Ref, limit: int) -> list[Ref]:
        """``s`` cut into one set per colour (value of the constant nodes); raises past ``limit`` colours."""
        if not self.constant:
            return [s]
        cols = self.colours(s)
        names = [f"x{i}" for i in self.constant]
        count = count_exact(self.bdd, cols, len(names), names)
        if count > limit:
            raise TooLargeToListError(f"{count:,} input combinations to list one by one (more than {limit:,}); "
                                      f"group them by input combination (attractor_families() / --by-inputs)")
        return [s & self.bdd.cube(point) for point in self.bdd.pick_iter(cols, care_vars=names)]

    # ------------------------------------------------------------------ sets and states
    def pick(self, s: Ref) -> dict[int, int]:
        """One state of ``s`` (node index → 0/1 over the free nodes)."""
        point = self.bdd.pick(s, care_vars=self.names)
        return {int(k[1:]): int(v) for k, v in point.items()}

    def cubes(self, s: Ref) -> Iterator[dict[int, int]]:
        """Disjoint cubes (free node → 0/1; nodes left out take either value) that together make ``s``:
        the paths of its BDD to true, walked depth first without recursion."""
        bdd, false, true = self.bdd, self.false, self.true
        node_at: dict[int, int] = {}  # level → node index
        path: list[tuple[int, int]] = []
        stack: list[tuple[Ref, int, int, int]] = [(s, 0, -1, 0)]  # (BDD, path length before it, node, value)
        while stack:
            u, depth, i, v = stack.pop()
            del path[depth:]
            if i >= 0:
                path.append((i, v))
            if u == false:
                continue
            if u == true:
                yield dict(path)
                continue
            level = u.level
            j = node_at.get(level)
            if j is None:
                j = node_at[level] = int(bdd.var_at_level(level)[1:])
            low, high = u.low, u.high  # the children of the regular node: complement them on a complemented edge
            if u.negated:
                low, high = ~low, ~high
            d = len(path)
            stack.append((high, d, j, 1))
            stack.append((low, d, j, 0))

    def cube(self, state: Mapping[int, int]) -> Ref:
        return self.bdd.cube({f"x{i}": bool(v) for i, v in state.items() if i in self.var})

    def count(self, s: Ref) -> int:
        return count_exact(self.bdd, s, len(self.free), self.names)

    def smallest(self, s: Ref) -> dict[int, int]:
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


class Saturation:
    """One interruptible structural saturation in a :class:`SymbolicSpace` (its :meth:`~SymbolicSpace.forward`
    and :meth:`~SymbolicSpace.backward` run one to its end; the transition-guided reduction interleaves many).

    Each node of :attr:`SymbolicSpace.order` is *closed* once :attr:`set` holds every transition of
    that node out of (forward) or into (backward) its states. :meth:`step` fires the deepest open
    node: only the states added since it was last closed are tried (``seen``), and once it fires it
    is closed again. Its firing can open only the nodes that depend on it either way (it regulates
    them or they regulate it, :attr:`SymbolicSpace.dependent`): for a node ``i`` independent of the
    firing node ``w`` the two flips commute inside a trap universe (``can_i`` and ``can_w`` do not
    read each other's variable), so ``i`` stays closed. When every node is closed the set is the
    fixpoint. (Biodivine AEON reopens the targets of the firing node; the regulators are reopened
    here too, which the commutation needs: with targets only, the explicit-graph test finds a missed
    state.) From one state of random_n40: 8,340 images forward and 9,381 backward before, 2,066 and
    2,218 now (0.79 s -> 0.19 s, 0.56 s -> 0.18 s).

    ``within`` is a trap set holding ``start``: forward images stay in it by themselves; backward ones
    are cut to it.
    """

    __slots__ = ("space", "forward", "set", "within", "seen", "open", "_guard")

    def __init__(self, space: SymbolicSpace, start: Ref, within: Ref, forward: bool) -> None:
        self.space, self.forward, self.set, self.within = space, forward, start, within
        n = len(space.order)
        self.seen: list[Ref] = [space.false] * n  # per position: the set when that node was last closed
        self.open = [True] * n
        self._guard: dict[int, Ref] = {}  # backward: can_i ∧ within, built on first use

    def restrict(self, trap: Ref) -> None:
        """Cut to a smaller trap: a closed node stays closed (its transitions out of, or into, the
        cut set lie in the cut set)."""
        self.set = self.set & trap
        self.within = self.within & trap
        self._guard.clear()

    def step(self, live: Sequence[bool] | None = None) -> bool:
        """One image, by the deepest open node (among those ``live``, per position, where given) that
        adds states; False once every such node is closed (the saturation is done)."""
        sp = self.space
        let, neg, can, false = sp.bdd.let, sp.negate, sp.can, sp.false
        seen, is_open, cur = self.seen, self.open, self.set
        for k, i in enumerate(sp.order):
            if not is_open[k] or (live is not None and not live[k]):
                continue
            before = seen[k]
            delta = cur if before == false else cur & ~before
            if self.forward:
                image = let(neg[i], delta & can[i])
            else:
                g = self._guard.get(i)
                if g is None:
                    g = self._guard[i] = can[i] if self.within == sp.true else can[i] & self.within
                image = let(neg[i], delta) & g
            grown = cur | image
            seen[k], is_open[k] = grown, False
            if grown != cur:
                for j in sp.dependent[k]:
                    is_open[j] = True
                self.set = grown
                return True
        return False
