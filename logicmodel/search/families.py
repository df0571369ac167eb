"""Attractors for every combination of the free inputs at once, grouped in families.

A network with ``k`` free inputs has at least ``2**k`` attractors (each input combination holds one
or more), which is past listing for ``k`` around 20 (jaoude_thdiff: 21 inputs, 6,063,664
attractors). Inputs never change, so the symbolic search can treat them as *colours*: it runs for
every combination at once, one pivot per combination, and each set it returns holds exactly one
attractor per input combination it covers (biodivine AEON does the same with inputs turned into
parameters). Such a set is an :class:`AttractorFamily`; all families together hold every attractor
of every input combination, each once.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.search.families import attractor_families
>>> net = from_bnet("I, I\\nJ, J\\nA, I & B\\nB, A | J")
>>> fams = attractor_families(net)
>>> fams.total, fams.input_combinations
(5, 4)
>>> [len(fams.attractors_for({"I": i, "J": j})) for i in (0, 1) for j in (0, 1)]
[1, 1, 2, 1]
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.kernels import compiled
from ..errors import InvalidStateError, TooLargeToListError
from ..model.network import Network
from .choose import DEFAULT_MAX_BDD_NODES, DEFAULT_MAX_BDD_WORK, Limits
from .records import Attractor, AttractorResult, make_attractor
from .stores import RowStore
from .symbolic import Budget, SymbolicSpace, SymbolicStore, async_attractors, count_exact, new_manager, reordering
from .symbolic.space import Ref

__all__ = ["AttractorFamily", "AttractorFamilies", "attractor_families", "attractors_by_families", "MAX_LISTED_CELLS",
           "DEFAULT_SPLIT_INPUTS"]

logger = logging.getLogger(__name__)

#: A family whose states, as a matrix of states by nodes, have at most this many cells (64 MB) is listed
#: at once (see :func:`_records`).
MAX_LISTED_CELLS = 1 << 26

#: How many of the free inputs :func:`attractor_families` splits into separate searches (see its docstring).
DEFAULT_SPLIT_INPUTS = 4


@dataclass(frozen=True, eq=False)
class AttractorFamily:
    """One attractor for each input combination of a set of combinations.

    Attributes
    ----------
    attractors : int
        Number of attractors in the family: one for each combination of the values of the nodes that
        never change in it (the free inputs, and nodes whose rule reduces to themselves once the
        inputs percolate, such as a self-activating node cut off from its other regulators).
    combinations : int
        Number of combinations of the free inputs covered (``attractors`` when no node other than
        the inputs is stuck).
    states : int
        Number of (input combination, state) pairs: the attractors' sizes added up.
    inputs : dict
        Free inputs with the same value in every combination of the family.
    fixed : dict
        Node → 0/1 for every node constant across the whole family (inputs included).
    representative : dict
        One state of the family (the smallest in BDD order for the smallest combination).
    representative_size : int
        Number of states of the attractor that holds ``representative``.
    """

    attractors: int
    combinations: int
    states: int
    inputs: dict[str, int]
    fixed: dict[str, int]
    representative: dict[str, int]
    representative_size: int
    _space: Any = field(default=None, repr=False)
    _set: Any = field(default=None, repr=False)
    _split: dict[str, int] = field(default_factory=dict, repr=False)  # inputs fixed by a split search
    _inputs: tuple[str, ...] = field(default=(), repr=False)  # the free inputs of the whole search

    @property
    def fixed_points_only(self) -> bool:
        """True when every attractor of the family is a fixed point."""
        return self.states == self.attractors

    def covers(self, inputs: Mapping[str, int]) -> bool:
        """Whether the family has an attractor for this input combination (free inputs → 0/1)."""
        return bool(self._restrict(inputs) != self._space.false)

    def attractors_for(self, inputs: Mapping[str, int]) -> list[Attractor]:
        """The family's attractors for one input combination (every free input → 0/1): none or
        one, or several when nodes other than the inputs are stuck (one per value they hold)."""
        part = self._restrict(inputs)
        if part == self._space.false:
            return []
        return [make_attractor(SymbolicStore(self._space, a)) for a in self._space.split_colours(part, 1 << 20)]

    def contains(self, state: Mapping[str, int]) -> bool:
        """Whether a full state (dict node → 0/1) lies in one of the family's attractors."""
        sp = self._space
        net = sp.network
        if any(int(state[net.nodes[i]]) != v for i, v in sp.values.items()):
            return False
        return bool((sp.cube({i: int(state[net.nodes[i]]) for i in sp.free}) & self._set) != sp.false)

    def input_combinations(self, limit: int = 4096) -> Iterator[dict[str, int]]:
        """The input combinations of the family (raises past ``limit``)."""
        sp = self._space
        own = self._inputs
        if self.combinations > limit:
            raise TooLargeToListError(f"the family covers {self.combinations:,} input combinations, "
                                      f"more than the limit of {limit:,}")
        nodes = sp.network.nodes
        names = [f"x{i}" for i in sp.constant if nodes[i] in own]
        cols = sp.bdd.exist([f"x{i}" for i in sp.constant if nodes[i] not in own], sp.colours(self._set))
        for point in sp.bdd.pick_iter(cols, care_vars=names):
            combo = {**self._split, **{nodes[int(k[1:])]: int(v) for k, v in point.items()}}
            yield {n: combo[n] for n in nodes if n in combo}

    def _restrict(self, inputs: Mapping[str, int]) -> Ref:
        sp = self._space
        net = sp.network
        missing = [n for n in self._inputs if n not in inputs]
        if missing:
            raise InvalidStateError(f"give a value to every free input; missing: {', '.join(missing)}")
        if any(int(inputs[n]) != v for n, v in self._split.items()):
            return sp.false
        return self._set & sp.cube({i: int(inputs[net.nodes[i]]) for i in sp.constant if net.nodes[i] in inputs})

    def to_dict(self) -> dict[str, Any]:
        return {
            "attractors": self.attractors,
            "combinations": self.combinations,
            "states": self.states,
            "fixed_points_only": self.fixed_points_only,
            "inputs": dict(self.inputs),
            "fixed": dict(self.fixed),
            "representative": dict(self.representative),
            "representative_size": self.representative_size,
        }


@dataclass(frozen=True, eq=False)
class AttractorFamilies:
    """Every asynchronous attractor of a network for every combination of its free inputs."""

    network: str
    nodes: tuple[str, ...]
    update: str
    fixed: dict[str, int]
    inputs: tuple[str, ...]
    families: tuple[AttractorFamily, ...]
    #: per search: the inputs it split off, and the states it covers per input combination
    searched: tuple[tuple[tuple[tuple[str, int], ...], int], ...] = field(default=(), repr=False)

    @property
    def total(self) -> int:
        """Number of attractors over all input combinations."""
        return sum(f.attractors for f in self.families)

    @property
    def input_combinations(self) -> int:
        """Number of combinations of the free inputs."""
        return 1 << len(self.inputs)

    def __iter__(self) -> Iterator[AttractorFamily]:
        return iter(self.families)

    def __len__(self) -> int:
        return len(self.families)

    def attractors_for(self, inputs: Mapping[str, int]) -> AttractorResult:
        """The attractors under one combination of the free inputs (every free input → 0/1)."""
        unknown = sorted(set(inputs) - set(self.inputs))
        if unknown:
            raise InvalidStateError(f"not a free input: {', '.join(unknown)} (free inputs: {', '.join(self.inputs)})")
        atts = sorted((a for f in self.families for a in f.attractors_for(inputs)), key=Attractor.key)
        fixed = {**self.fixed, **{n: int(inputs[n]) for n in self.inputs}}
        searched = sum(size for split, size in self.searched if all(inputs.get(n) == v for n, v in split))
        return AttractorResult(network=self.network, nodes=self.nodes, update=self.update,
                               attractors=tuple(atts), fixed=fixed, percolated={}, free=(),
                               states_searched=searched, method=("symbolic",))

    @property
    def states_searched(self) -> int:
        """States of the subspaces searched, every input combination counted."""
        return sum(size << (len(self.inputs) - len(split)) for split, size in self.searched)

    def records(self, limit: int | None = None) -> list[Attractor]:
        """Every attractor of every input combination as an ordinary record, sorted (size, then representative).

        Raises :class:`~logicmodel.errors.TooLargeToListError` when there are more than ``limit``
        (the message gives the exact number).
        """
        if limit is not None and self.total > limit:
            raise TooLargeToListError(
                f"{self.total:,} attractors over {self.input_combinations:,} combinations of {len(self.inputs)} free "
                f"inputs, more than max_attractors= / --max-attractors ({limit:,}) lists one by one; group them "
                f"by input combination (attractor_families() / --by-inputs), fix some inputs (--set NODE=0|1) or "
                f"raise the limit")
        out = [a for f in self.families for a in _records(f, max(self.total, 1))]
        out.sort(key=Attractor.key)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "update": self.update,
            "fixed": dict(self.fixed),
            "inputs": list(self.inputs),
            "input_combinations": self.input_combinations,
            "attractors": self.total,
            "families": [f.to_dict() for f in self.families],
        }


def _records(family: AttractorFamily, limit: int) -> list[Attractor]:
    """The attractors of one family as records. A family of at most :data:`MAX_LISTED_CELLS` cells is
    listed in one walk of its BDD and cut by colour (the values of its constant nodes) into row
    stores, views of that one matrix; a larger one is cut into one BDD per colour, walked and counted
    one by one (246,720 attractors of 17 inputs over a 10-node core: 45 s that way, 7.5 s at once)."""
    sp = family._space
    nodes = sp.network.nodes
    if family.states * len(nodes) > MAX_LISTED_CELLS:
        return [make_attractor(SymbolicStore(sp, a)) for a in sp.split_colours(family._set, limit)]
    rows = SymbolicStore(sp, family._set).states(family.states)
    const = list(sp.constant)
    if const and len(rows) > 1:  # lexsort is stable: each colour's rows stay in lexicographic order
        rows = rows[np.lexsort(rows[:, const[::-1]].T)]
        cuts = np.flatnonzero(np.any(rows[1:, const] != rows[:-1, const], axis=1)) + 1
        groups = np.split(rows, cuts)
    else:
        groups = [rows]
    return [make_attractor(RowStore(nodes, sp.values, g)) for g in groups]


def attractor_families(
    network: Network,
    fixed: Mapping[str, int] | None = None,
    *,
    split_inputs: int = DEFAULT_SPLIT_INPUTS,
    time_limit: float | None = None,
    max_bdd_nodes: int | None = DEFAULT_MAX_BDD_NODES,
    max_bdd_work: int | None = DEFAULT_MAX_BDD_WORK,
) -> AttractorFamilies:
    """Every asynchronous attractor for every combination of the free inputs, in families.

    Parameters
    ----------
    network : Network
        The network.
    fixed : dict, optional
        Node → 0/1 to hold fixed (fixed inputs are no longer free).
    split_inputs : int
        The free inputs that percolate furthest (counted over both values) are split into separate
        searches, up to this many (``2**split_inputs`` searches); the other inputs stay colours of
        one symbolic search each. Percolation after the split shrinks the searches a great deal
        (jaoude_thdiff, whole call, two runs each, before dynamic reordering: 26.7 s with 4 split,
        26.5 s with 5, 31.5 s with 6; search time alone: 28 s with 3, 46 s with 8). 4 gives the fewest
        families among the fastest; with reordering the whole call takes 4-5 s.
    time_limit : float, optional
        Seconds; the search raises :class:`~logicmodel.errors.SearchIncompleteError` when they run out.
    max_bdd_work : int, optional
        Work budget in BDD operations (:class:`~logicmodel.search.choose.Limits`).
    max_bdd_nodes : int, optional
        Memory limit: live BDD nodes; the search raises when they grow past it.

    Returns
    -------
    AttractorFamilies
        Families sorted by their number of attractors (most first), then states.
    """
    fixed = network.checked_values(fixed)
    engine = compiled(network)
    base = engine.percolate(fixed)
    budget = Budget(Limits(time_limit=time_limit, max_bdd_nodes=max_bdd_nodes,
                           max_bdd_work=max_bdd_work).started())
    nodes = network.nodes
    bdd = new_manager(network)
    inputs = tuple(nodes[i] for i in sorted(SymbolicSpace(network, base, bdd).constant))  # rule: itself

    def reach(n: str) -> int:
        return len(engine.percolate({**fixed, n: 0})) + len(engine.percolate({**fixed, n: 1}))

    split = sorted(sorted(inputs, key=reach, reverse=True)[:max(0, split_inputs)], key=network.index)
    logger.info("%d free inputs: %d split (%s), the others searched as colours", len(inputs), len(split),
                ", ".join(split) or "none")
    families: list[AttractorFamily] = []
    searched = []
    for combo in itertools.product((0, 1), repeat=len(split)):
        part = dict(zip(split, combo))
        values = engine.percolate({**fixed, **part})
        # inputs left free are BDD variables: reordering pays (see symbolic.space.reordering)
        with reordering(bdd, len(split) < len(inputs)):
            space = SymbolicSpace(network, values, bdd, eliminate_driven=True)
            full = SymbolicSpace(network, values, bdd) if space.driven else space
            with reordering(bdd, bool(space.constant)), budget.guard(bdd):
                sets = async_attractors(space, budget)
                families.extend(_family(full, space.lift(s), part, inputs) for s in sets)
        searched.append((tuple(part.items()), 1 << (len(full.free) - len(full.constant))))
    families.sort(key=lambda f: (-f.attractors, -f.states, tuple(f.representative[n] for n in nodes)))
    return AttractorFamilies(network=network.name, nodes=nodes, update="asynchronous", fixed=fixed,
                             inputs=inputs, families=tuple(families), searched=tuple(searched))


def attractors_by_families(network: Network, fixed: Mapping[str, int], limits: Limits) -> AttractorResult:
    """Every asynchronous attractor as ordinary records, found by input families (see
    :func:`~logicmodel.search.choose.by_families`); ``limits.max_attractors`` caps the listing."""
    fams = attractor_families(network, fixed, time_limit=limits.time_limit, max_bdd_nodes=limits.max_bdd_nodes,
                              max_bdd_work=limits.max_bdd_work)
    base = compiled(network).percolate(fams.fixed)
    nodes = network.nodes
    return AttractorResult(
        network=network.name, nodes=nodes, update="asynchronous", attractors=tuple(fams.records(limits.max_attractors)),
        fixed=dict(fams.fixed), percolated={nodes[i]: v for i, v in sorted(base.items())},
        free=tuple(n for i, n in enumerate(nodes) if i not in base), states_searched=fams.states_searched,
        method=("symbolic",), subspaces=len(fams.searched))


def _family(space: SymbolicSpace, s: Ref, split: dict[str, int], all_inputs: tuple[str, ...]) -> AttractorFamily:
    nodes = space.network.nodes
    names = [f"x{i}" for i in space.constant]
    own = [f"x{i}" for i in space.constant if nodes[i] in all_inputs]
    other = [f"x{i}" for i in space.constant if nodes[i] not in all_inputs]
    cols = space.colours(s)
    store = SymbolicStore(space, s)
    values = dict(space.values)
    values.update(store.node_values())
    rep = store.representative()
    first = s & space.cube({i: int(rep[i]) for i in space.constant})
    inputs = {**split, **{nodes[i]: v for i, v in values.items() if i in space.constant and nodes[i] in all_inputs}}
    return AttractorFamily(
        attractors=count_exact(space.bdd, cols, len(names), names),
        combinations=count_exact(space.bdd, space.bdd.exist(other, cols) if other else cols, len(own), own),
        states=store.size,
        inputs={n: inputs[n] for n in nodes if n in inputs},
        fixed={nodes[i]: values[i] for i in range(len(nodes)) if i in values},
        representative=dict(zip(nodes, map(int, rep))),
        representative_size=space.count(first),
        _space=space,
        _set=s,
        _split=dict(split),
        _inputs=all_inputs,
    )
