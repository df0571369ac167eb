"""Perturbation screens: every single and double perturbation × conditions, resumable, on any backend.

- :mod:`.run`: :func:`screen` and its result;
- :mod:`.journal`: the resumable journal;
- :mod:`.backends`: this process, local worker processes, a Dask cluster;
- :mod:`.targets`: the change against the unperturbed network, and ranked targets.
"""
from __future__ import annotations

from .run import ScreenResult, screen
from .targets import add_changes, rank_targets

__all__ = ["ScreenResult", "screen", "add_changes", "rank_targets"]
