"""Analyses built on exact attractors, one module each (imported on their own, so that a command
loads only what it uses):

- :mod:`.cache`: attractors of one model under fixed nodes, computed once (sweeps over the inputs);
- :mod:`.conditions`: the phenotype under every input combination, and the named-condition grid;
- :mod:`.landscape`: basins, reachability, stochastic and synchronous trajectories;
- :mod:`.perturb`: a perturbation beside the unperturbed network;
- :mod:`.validation`: the model against its literature observations.
"""
from __future__ import annotations

__all__: list[str] = []
