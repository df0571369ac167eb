"""Attractors of one model, computed once: keyed by (fixed values, update mode).

The condition table, the named-condition grid, validation and the report ask the same questions many
times: the attractors under a condition, with or without an intervention or a perturbation. An
:class:`AttractorCache` answers each question once. A *sweep* over the model's free physiological
inputs (:func:`~logicmodel.search.sweep.sweep`) answers every input combination under some fixed
nodes in one pass, so an observation checked under every combination, or a named condition
whose inputs the condition table already swept, is a lookup.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.analysis.cache import AttractorCache
>>> cache = AttractorCache(load_model("osteoclastogenesis"))
>>> table = cache.sweep({}, "asynchronous")              # all 2,048 input combinations
>>> estrogen_deficiency = cache.model.metadata.condition("estrogen_deficiency").values
>>> [cache.label(s) for s in cache.summaries(estrogen_deficiency, "asynchronous")]   # a lookup
['resorbing']
"""
from __future__ import annotations

from collections.abc import Mapping

from ..model.model import Model
from ..search import attractors
from ..search.choose import DEFAULT_MAX_STATES, Limits
from ..search.sweep import Summary, Sweep, sweep

__all__ = ["AttractorCache"]

Key = tuple[tuple[tuple[str, int], ...], str]


def _key(fixed: Mapping[str, int], update: str) -> Key:
    return tuple(sorted(fixed.items())), update


class AttractorCache:
    """The attractors of one model under fixed nodes and an update mode, each computed once.

    Parameters
    ----------
    model : Model
        The network and its metadata (its ``[inputs]`` are what a sweep enumerates; without
        metadata, the network's free inputs).
    max_states : int
        The exhaustive search's cap (see :func:`~logicmodel.search.attractors`).
    """

    def __init__(self, model: Model, *, max_states: int = DEFAULT_MAX_STATES) -> None:
        self.model = model
        self.network = model.network
        self.limits = Limits(max_states=max_states)
        meta = model.metadata
        self.inputs = tuple(meta.inputs) if meta is not None and meta.inputs else self.network.inputs
        self._sweeps: dict[Key, Sweep] = {}
        self._single: dict[Key, list[Summary]] = {}

    def sweep(self, fixed: Mapping[str, int], update: str) -> Sweep:
        """Every combination of the inputs not in ``fixed``, under ``fixed``."""
        fixed = self.network.checked_values(fixed)
        key = _key(fixed, update)
        found = self._sweeps.get(key)
        if found is None:
            found = self._sweeps[key] = sweep(self.network, update, fixed,
                                              [n for n in self.inputs if n not in fixed], limits=self.limits)
        return found

    def summaries(self, fixed: Mapping[str, int], update: str) -> list[Summary]:
        """The attractors under ``fixed``: read off a sweep that covers them, else searched (and kept)."""
        fixed = self.network.checked_values(fixed)
        base = {n: v for n, v in fixed.items() if n not in self.inputs}
        swept = self._sweeps.get(_key(base, update))
        if swept is not None and all(n in fixed for n in swept.inputs):
            return swept.summaries(fixed)
        key = _key(fixed, update)
        found = self._single.get(key)
        if found is None:
            res = attractors(self.network, update, fixed, max_states=self.limits.max_states)
            found = self._single[key] = [Summary(a.fixed, a.oscillating, a.size) for a in res]
        return found

    def label(self, summary: Summary) -> str:
        """The phenotype of an attractor (``attractor`` without phenotype definitions)."""
        meta = self.model.metadata
        if meta is None or not meta.phenotypes:
            return "attractor"
        return meta.phenotypes.classify(summary.fixed, summary.oscillating)
