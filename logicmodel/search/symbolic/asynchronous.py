"""Asynchronous attractors on BDDs: terminal strongly connected components by pivot descent.

Attractors are the terminal SCCs, found by pivot descent (Xie and Beerel 2000): within a trap set
``U``, the forward set ``F`` of a pivot is a trap; if the pivot's backward set inside ``F`` covers
``F``, ``F`` is an attractor; otherwise ``F`` minus that backward set is a smaller trap and the
descent continues there. After each attractor its basin (backward set) leaves ``U``; ``U`` stays a
trap, and the search ends when ``U`` is empty, so no attractor is missed. Before the search,
transition-guided reduction (:mod:`~logicmodel.search.symbolic.reduction`) removes states that
cannot be in an attractor.
"""
from __future__ import annotations

import logging

from .reduction import reduce_universe
from .space import Budget, Ref, SymbolicSpace

__all__ = ["async_attractors"]

logger = logging.getLogger(__name__)


def async_attractors(sp: SymbolicSpace, budget: Budget | None = None, reduce: bool = True) -> list[Ref]:
    """Every asynchronous attractor of the subspace, as BDDs.

    Free nodes that never change (inputs left free) are colours: the search runs for every colour
    at once, one pivot per colour, and each set returned holds one attractor per colour it covers
    (cut it with :meth:`SymbolicSpace.split_colours`). Without such nodes every set is one attractor.
    """
    universe = sp.true
    if reduce:
        universe = reduce_universe(sp, universe, budget)
        if logger.isEnabledFor(logging.INFO):  # counting is not free
            logger.info("%d free nodes: %s of %s states left after the reduction", len(sp.free),
                        f"{sp.count(universe):,}", f"{1 << len(sp.free):,}")
    found: list[Ref] = []
    while universe != sp.false:
        trap = universe
        while True:
            pivots = sp.pick_per_colour(trap)
            trap = sp.forward(pivots, trap, budget)
            # what reaches the pivot in the whole universe: inside the trap it is the pivot's backward
            # set there (the trap is closed), and when the pivot lies in an attractor it is that
            # attractor's basin, which leaves the universe without a reachability of its own
            basin = sp.backward(pivots, universe, budget)
            rest = trap & ~basin  # per colour, a smaller trap when the pivot is not in an attractor
            if rest == sp.false:
                done, done_basin = trap, basin
            else:
                keep = ~sp.colours(rest)
                done, done_basin = trap & keep, basin & keep
            if done != sp.false:  # colours whose pivot lies in an attractor: the trap is that attractor
                found.append(done)
                if logger.isEnabledFor(logging.INFO):
                    logger.info("attractor %d: %s states", len(found), f"{sp.count(done):,}")
                universe = universe & ~done_basin
            if rest == sp.false:
                break
            trap = rest
        if budget is not None:
            budget.check(sp.bdd)
    return found
