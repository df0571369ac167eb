"""The result records of an attractor search: :class:`Attractor` and :class:`AttractorResult`.

Records are frozen, sorted and the same type whatever the method that found them; the states
themselves stay in the record's store (see :mod:`logicmodel.search.stores`).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..engine.kernels import States, state_strings
from .stores import AttractorStore

__all__ = ["Attractor", "AttractorResult", "make_attractor"]


@dataclass(frozen=True, eq=False)
class Attractor:
    """One attractor: a fixed point or a cyclic attractor.

    Attributes
    ----------
    nodes : tuple of str
        The network's node order.
    size : int
        Number of states.
    fixed : dict
        Node → 0/1 for every node constant across the attractor.
    oscillating : tuple of str
        Nodes that take both values within the attractor, in node order.
    representative : dict
        One state of the attractor (the lexicographically smallest in node order).
    phenotype : str or None
        Phenotype label, when the network comes with phenotype definitions.
    store : AttractorStore
        Where the states are kept (codes, packed keys, a product of factors, or a BDD).
    """

    nodes: tuple[str, ...]
    size: int
    fixed: dict[str, int]
    oscillating: tuple[str, ...]
    representative: dict[str, int]
    phenotype: str | None = None
    store: AttractorStore | None = field(default=None, repr=False, compare=False)

    @property
    def is_fixed_point(self) -> bool:
        """True for a single-state attractor."""
        return self.size == 1

    def _store(self) -> AttractorStore:
        if self.store is None:  # pragma: no cover - every record of a search has one
            raise TypeError("this attractor record holds no states")
        return self.store

    def states(self) -> States:
        """All states as a ``uint8`` matrix (one row per state, columns in node order), sorted.

        Raises :class:`~logicmodel.errors.TooLargeToListError` for an attractor kept whole that is
        too large to list.
        """
        return self._store().states()

    def iter_states(self) -> Iterator[dict[str, int]]:
        """The states as dicts node → 0/1, in sorted order."""
        for rows in self._store().iter_rows():
            for row in rows:
                yield dict(zip(self.nodes, map(int, row)))

    def contains(self, state: Mapping[str, int]) -> bool:
        """Whether a full state (dict node → 0/1) belongs to the attractor."""
        row = np.array([int(state[n]) for n in self.nodes], dtype=np.uint8)
        return self._store().contains(row)

    def key(self) -> tuple[int, tuple[int, ...]]:
        """Sort key: size, then the representative in node order."""
        return (self.size, tuple(self.representative[n] for n in self.nodes))

    def to_dict(self, *, max_states: int = 64) -> dict[str, Any]:
        """JSON-ready record; ``states`` is listed (as strings in node order) for attractors up to ``max_states``."""
        out: dict[str, Any] = {
            "size": self.size,
            "fixed": dict(self.fixed),
            "oscillating": list(self.oscillating),
            "representative": dict(self.representative),
        }
        if self.phenotype is not None:
            out["phenotype"] = self.phenotype
        if self.size <= max_states:
            out["states"] = state_strings(self.states())
        return out


def make_attractor(store: AttractorStore) -> Attractor:
    """The record of the attractor whose states ``store`` keeps."""
    values = store.node_values()
    nodes = store.nodes
    rep = store.representative()
    return Attractor(
        nodes=nodes,
        size=store.size,
        fixed={n: values[i] for i, n in enumerate(nodes) if i in values},
        oscillating=tuple(n for i, n in enumerate(nodes) if i not in values),
        representative=dict(zip(nodes, np.asarray(rep).tolist())),
        store=store,
    )


@dataclass(frozen=True, eq=False)
class AttractorResult:
    """Every attractor of a network under one update mode and one set of fixed nodes.

    Attributes
    ----------
    network : str
        The network's name.
    nodes : tuple of str
        Node order of every state in the result.
    update : str
        ``"synchronous"`` or ``"asynchronous"``.
    attractors : tuple of Attractor
        Sorted by size, then representative.
    fixed : dict
        What was fixed on request (``fixed=`` argument).
    percolated : dict
        Every node fixed after percolation in every subspace searched (constants, requests,
        and their consequences).
    free : tuple of str
        Nodes left free in at least one subspace, and searched.
    states_searched : int
        Number of states of the (percolated) subspaces searched, whatever the method: ``2**k``
        summed over the subspaces, ``k`` their free nodes.
    method : tuple of str
        The methods that ran, sorted (``exhaustive``, ``factored``, ``symbolic``, ``candidates``).
    subspaces : int
        Number of separate searches (the free inputs are split into input combinations).
    """

    network: str
    nodes: tuple[str, ...]
    update: str
    attractors: tuple[Attractor, ...]
    fixed: dict[str, int]
    percolated: dict[str, int]
    free: tuple[str, ...]
    states_searched: int
    method: tuple[str, ...] = ("exhaustive",)
    subspaces: int = 1

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.attractors)

    def __len__(self) -> int:
        return len(self.attractors)

    def __getitem__(self, i: int) -> Attractor:
        return self.attractors[i]

    @property
    def fixed_points(self) -> tuple[Attractor, ...]:
        """The single-state attractors."""
        return tuple(a for a in self.attractors if a.is_fixed_point)

    @property
    def cyclic(self) -> tuple[Attractor, ...]:
        """The attractors with more than one state."""
        return tuple(a for a in self.attractors if not a.is_fixed_point)

    @property
    def method_label(self) -> str:
        """The methods as text, with the number of subspaces when the inputs were split."""
        label = " + ".join(self.method)
        return label + (f" (split over {self.subspaces} input combinations)" if self.subspaces > 1 else "")

    def with_phenotypes(self, labels: Sequence[str] | None) -> "AttractorResult":
        """A copy whose attractors carry the given phenotype labels (same order); ``None``: unchanged."""
        if labels is None:
            return self
        return replace(self, attractors=tuple(replace(a, phenotype=p) for a, p in zip(self.attractors, labels)))

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the CLI: :meth:`provenance`, then ``attractors``, one dict per record."""
        return {**self.provenance(), "attractors": [a.to_dict() for a in self.attractors]}

    def provenance(self) -> dict[str, Any]:
        """What :meth:`to_dict` holds besides the records: ``network``, ``nodes``, ``update``, ``method``,
        ``subspaces``, ``fixed``, ``percolated``, ``free`` and ``states_searched``."""
        return {
            "network": self.network,
            "nodes": list(self.nodes),
            "update": self.update,
            "method": list(self.method),
            "subspaces": self.subspaces,
            "fixed": dict(self.fixed),
            "percolated": dict(self.percolated),
            "free": list(self.free),
            "states_searched": self.states_searched,
        }
