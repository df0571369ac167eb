"""Analyses built on exact attractors: landscapes (basins, reachability, simulation), condition
tables, perturbation comparisons, and validation against literature observations."""
from __future__ import annotations

from .conditions import ConditionTable, condition_table, named_condition_grid, phenotype_summary
from .landscape import basins, reach, reachable_attractors, simulate, synchronous_trajectory
from .perturb import PerturbationComparison, perturb
from .validation import ValidationReport, validate

__all__ = ["ConditionTable", "condition_table", "named_condition_grid", "phenotype_summary", "basins", "reach",
           "reachable_attractors", "simulate", "synchronous_trajectory", "PerturbationComparison", "perturb",
           "ValidationReport", "validate"]
