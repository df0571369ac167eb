"""Phenotypes: named patterns of nodes fixed across an attractor, and how attractors get their label.

A phenotype requires some nodes to hold given values in every state of an attractor. The
phenotypes of a model are ordered and mutually exclusive (the metadata checks that any two
require different values of some node), so an attractor matches at most one. An attractor that
matches none is ``oscillating`` when a node some phenotype watches oscillates in it, else
``unmatched``; both are reported, never hidden.

Examples
--------
>>> ph = Phenotypes((Phenotype("on", "", {"R": 1}), Phenotype("off", "", {"R": 0})))
>>> ph.classify({"R": 1, "A": 0}), ph.classify({"A": 1}, oscillating=("R",))
('on', 'oscillating')
>>> ph.labels
('on', 'off', 'oscillating', 'unmatched')
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Phenotype", "Phenotypes", "Classifiable", "OSCILLATING", "UNMATCHED", "MIXED_COLOR"]

#: Label of an attractor whose phenotype nodes oscillate.
OSCILLATING = "oscillating"
#: Label of a fixed attractor that matches no phenotype definition.
UNMATCHED = "unmatched"
#: Colour of a cell where several phenotypes coexist (``a+b``).
MIXED_COLOR = "#8e44ad"
_DEFAULT_COLORS = {OSCILLATING: "#8e44ad", UNMATCHED: "#7f8c8d"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class Classifiable(Protocol):
    """What classification reads of an attractor: its fixed nodes and its oscillating ones."""

    @property
    def fixed(self) -> Mapping[str, int]: ...

    @property
    def oscillating(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Phenotype:
    """A phenotype: nodes that must be fixed at given values across an attractor.

    Attributes
    ----------
    name : str
        The label.
    description : str
        What it means, in words.
    when : dict
        Node → 0/1 that every state of a matching attractor has.
    color : str
        Colour in figures.
    """

    name: str
    description: str
    when: dict[str, int]
    color: str = "#7f8c8d"

    def matches(self, fixed: Mapping[str, int]) -> bool:
        """Whether an attractor with these fixed nodes has the phenotype."""
        return all(fixed.get(n) == v for n, v in self.when.items())


@dataclass(frozen=True)
class Phenotypes:
    """The ordered phenotype definitions of a model (first match wins)."""

    items: tuple[Phenotype, ...] = field(default=())

    def __iter__(self) -> Iterator[Phenotype]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __getitem__(self, i: int) -> Phenotype:
        return self.items[i]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.items)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label an attractor can get, in display order."""
        return self.names + (OSCILLATING, UNMATCHED)

    def get(self, name: str) -> Phenotype | None:
        return next((p for p in self.items if p.name == name), None)

    def classify(self, fixed: Mapping[str, int], oscillating: Sequence[str] = ()) -> str:
        """The label of an attractor from its fixed and oscillating nodes."""
        for p in self.items:
            if p.matches(fixed):
                return p.name
        watched = {n for p in self.items for n in p.when}
        return OSCILLATING if watched & set(oscillating) else UNMATCHED

    def classify_attractor(self, attractor: Classifiable) -> str:
        """The label of an attractor record."""
        return self.classify(attractor.fixed, attractor.oscillating)

    def classify_states(self, rows: npt.ArrayLike, nodes: Sequence[str]) -> npt.NDArray[np.int64]:
        """Label index (into :attr:`labels`) of each row: the first phenotype whose nodes match.

        A row is a state (0/1 per node) or an attractor's node values with a negative entry for each
        node that oscillates in it (:data:`~logicmodel.engine.percolation.FREE`): a row that matches
        no phenotype is ``oscillating`` when a watched node oscillates, else ``unmatched``, as
        :meth:`classify` says.
        """
        rows = np.asarray(rows)
        out = np.full(len(rows), self.labels.index(UNMATCHED), dtype=np.int64)
        free = np.ones(len(rows), dtype=bool)
        index = {n: i for i, n in enumerate(nodes)}
        for k, p in enumerate(self.items):
            match = free.copy()
            for n, v in p.when.items():
                match &= rows[:, index[n]] == v
            out[match] = k
            free &= ~match
        watched = sorted({index[n] for p in self.items for n in p.when})
        if watched and rows.dtype.kind == "i":
            swinging = free & np.any(rows[:, watched] < 0, axis=1)
            out[swinging] = self.labels.index(OSCILLATING)
        return out

    def color(self, label: str) -> str:
        """Colour of a label in figures; an ``a+b`` mixture gets the mean of its parts' colours (so that
        two mixtures look different), or :data:`MIXED_COLOR` when a part has no colour of its own."""
        p = self.get(label)
        if p is not None:
            return p.color
        if "+" in label:
            parts = [self.color(part) for part in label.split("+")]
            if all(_HEX.match(c) for c in parts):
                rgb = [sum(int(c[k:k + 2], 16) for c in parts) // len(parts) for k in (1, 3, 5)]
                return "#" + "".join(f"{v:02x}" for v in rgb)
            return MIXED_COLOR
        return _DEFAULT_COLORS.get(label, "#bdc3c7")
