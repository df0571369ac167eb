"""Transition-guided reduction: drop states that provably lie in no asynchronous attractor."""
from __future__ import annotations

from ..choose import REDUCTION_PATIENCE
from .space import Budget, Ref, Saturation, SymbolicSpace

__all__ = ["reduce_universe"]

#: how much larger than the smallest process the running one may grow before the scheduler switches
_STICKY = 4


class _Process:
    """One interruptible reachability of the interleaved reduction (see :func:`reduce_universe`).

    ``kind`` is ``"reach"`` (forward from the states where ``node`` can change) or ``"extend"``
    (backward from them, inside the forward set the reach process found); ``sat`` is its
    :class:`~.space.Saturation`, ``weight`` the BDD size of its set.
    """

    __slots__ = ("kind", "node", "sat", "weight")

    def __init__(self, sp: SymbolicSpace, kind: str, node: int, start: Ref, within: Ref) -> None:
        self.kind, self.node = kind, node
        self.sat = Saturation(sp, start, within, kind == "reach")
        self.weight = start.dag_size

    @property
    def set(self) -> Ref:
        return self.sat.set

    @property
    def within(self) -> Ref:
        return self.sat.within

    def restrict(self, universe: Ref) -> None:
        """Cut to a smaller trap universe (:meth:`.Saturation.restrict`)."""
        self.sat.restrict(universe)
        self.weight = self.sat.set.dag_size

    def step(self, live: list[bool]) -> bool:
        """One image, by the deepest open node that can change in the universe (``live``); False
        once every such node is closed (the reachability is done)."""
        if not self.sat.step(live):
            return False
        self.weight = self.sat.set.dag_size
        return True


def reduce_universe(sp: SymbolicSpace, universe: Ref, budget: Budget | None = None,
                    patience: int | None = None) -> Ref:
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
    its BDD stays within ``_STICKY`` (4) times the smallest (on selvaggio_emt strict interleaving
    took 11.7 s, this order 6.7 s, node by node 6.7 s; on jaoude_thdiff's hardest subspace, before
    dynamic reordering: 9.4 s, 12 s and 47 s).

    The reduction is an accelerator, not part of the proof: whenever it stops, the universe is a
    trap holding every attractor. It stops once ``patience`` nodes in a row finished both phases
    without dropping a state (default ``max(REDUCTION_PATIENCE, n // 10)`` for ``n`` free nodes, see
    :data:`~logicmodel.search.choose.REDUCTION_PATIENCE`): on grieco_mapk one node removes everything
    removable and the others would only cost time; on a network with nothing to drop (random_n40,
    one attractor of 99.7% of the states) every extra node is pure cost.
    """
    bdd = sp.bdd
    false, can, order = sp.false, sp.can, sp.order
    if patience is None:
        patience = max(REDUCTION_PATIENCE, len(sp.free) // 10)
    live = [(can[i] & universe) != false for i in order]
    procs = [_Process(sp, "reach", i, can[i] & universe, universe) for k, i in enumerate(order) if live[k]]
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
        grew = proc.step(live)
        if budget is not None:
            budget.check(bdd)
        if grew:
            continue
        procs.remove(proc)
        cur, forward = proc.set, proc.kind == "reach"
        drop = false
        if forward:  # cur: the forward set, a trap; what reaches it from outside is in no attractor
            if cur != universe:
                drop = sp.backward(cur, universe, budget) & ~cur
            start = can[proc.node] & universe & ~drop
            if start != false:  # the same node's second phase runs next
                procs.append(_Process(sp, "extend", proc.node, start, cur & ~drop))
                proc = procs[-1]
        else:  # within minus cur: a trap where the node never changes again; its basin goes
            bottom = proc.within & ~cur
            if bottom != false:
                drop = sp.backward(bottom, universe, budget) & ~bottom
        if drop == false:
            idle += not forward  # patience counts nodes done with both phases
            continue
        idle = 0
        universe = universe & ~drop
        live = [lv and (can[i] & universe) != false for lv, i in zip(live, order)]
        for q in procs:
            q.restrict(universe)
        procs = [q for q in procs if q.set != false]
    return universe
