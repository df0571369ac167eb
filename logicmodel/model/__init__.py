"""The model layer: rules, the immutable network, metadata, phenotypes, perturbations, bundled models.

Nothing here computes dynamics; everything downstream (``io``, ``engine``, ``attractors``, ...)
reads these records.
"""
from __future__ import annotations

from .bundled import DEFAULT_MODEL, bundled_models, bundled_path
from .metadata import Metadata, parse_metadata, read_metadata
from .model import Model
from .network import Edge, Network
from .perturbations import Perturbation, enumerate_perturbations, resolve_fixed
from .phenotypes import OSCILLATING, UNMATCHED, Phenotype, Phenotypes

__all__ = [
    "DEFAULT_MODEL", "bundled_models", "bundled_path", "Metadata", "parse_metadata", "read_metadata", "Model",
    "Edge", "Network", "Perturbation", "enumerate_perturbations", "resolve_fixed", "OSCILLATING", "UNMATCHED",
    "Phenotype", "Phenotypes",
]
