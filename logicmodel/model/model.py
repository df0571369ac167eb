"""A model: a network with its metadata (phenotypes, conditions, interventions, observations), if any.

Load one with :func:`logicmodel.load_model` (a path or the name of a bundled model).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .metadata import Metadata
from .network import Network
from .phenotypes import Classifiable

__all__ = ["Model"]


@dataclass(frozen=True, eq=False)
class Model:
    """A network with its metadata, if any.

    Attributes
    ----------
    network : Network
        The rules.
    metadata : Metadata or None
        Parsed metadata file; ``None`` for a bare network.
    path : Path or None
        The rules file.
    """

    network: Network
    metadata: Metadata | None = None
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.network.name

    def phenotype_of(self, attractor: Classifiable) -> str | None:
        """The phenotype label of an attractor, or ``None`` without phenotype definitions."""
        if self.metadata is None or not self.metadata.phenotypes:
            return None
        return self.metadata.classify(attractor)

    def classify_all(self, attractors: "list[Classifiable] | tuple[Classifiable, ...]") -> list[str] | None:
        """The phenotype label of each attractor, or ``None`` without phenotype definitions."""
        if self.metadata is None or not self.metadata.phenotypes:
            return None
        return [self.metadata.classify(a) for a in attractors]
