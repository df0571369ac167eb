"""Synchronous attractors on BDDs: the cycles of the successor map.

The successor map is a function; its attractors are its cycles. A state of the remaining set is
followed explicitly until it repeats (the cycle), then the cycle's whole basin is removed by
iterated pre-images ``S(f(x))`` (a vector compose, no transition relation needed). Every state lies
in exactly one basin, so the cycles found when nothing remains are all of them.
"""
from __future__ import annotations

import numpy as np

from ...errors import SearchIncompleteError
from ...model.rules import Value
from .space import Budget, Ref, SymbolicSpace

__all__ = ["sync_attractors"]


def sync_attractors(sp: SymbolicSpace, budget: Budget | None = None, max_cycle: int = 1 << 22,
                    seeds_per_round: int = 64, seed: int = 0) -> list[Ref]:
    """Every synchronous attractor (cycle of the successor map) of the subspace, as BDDs.

    Each round follows a few states of the remaining set explicitly until they repeat (their
    cycles), then removes the basin of all the cycles found, layer by layer of pre-images. The
    remaining set never loses a cycle it still holds, and each round empties at least one basin.
    """
    bdd = sp.bdd
    compose = {f"x{i}": sp.f[i] for i in sp.free}
    rules = [sp.network.rules[i] for i in sp.free]
    env_base: dict[str, Value] = {sp.network.nodes[i]: bool(v) for i, v in sp.values.items()}
    free_names = [sp.network.nodes[i] for i in sp.free]
    rng = np.random.default_rng(seed)

    def step(state: tuple[int, ...]) -> tuple[int, ...]:
        env: dict[str, Value] = dict(env_base)
        env.update({n: bool(v) for n, v in zip(free_names, state)})
        return tuple(int(bool(r.evaluate(env))) for r in rules)

    def inside(state: tuple[int, ...], u: Ref) -> bool:
        return bool(bdd.let({f"x{i}": bool(v) for i, v in zip(sp.free, state)}, u) == sp.true)

    universe = sp.true
    found: list[Ref] = []
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
                if budget is not None and not len(path) & 1023:
                    budget.limits.check_time()
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
            if budget is not None:
                budget.check(bdd)
        universe = universe & ~basin
    return found
