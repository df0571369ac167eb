"""Checking a model against its literature observations.

Each observation of the metadata (perturbation + interventions + conditions →
expected phenotypes / node values / relation to the wild type) is evaluated on
the exact attractors, and reported with its citation.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.analysis.validation import validate
>>> report = validate(load_model("osteoclastogenesis"))
>>> report.passed
True
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import MetadataError
from ..model.metadata import Metadata, Observation
from ..model.model import Model
from ..model.perturbations import resolve_fixed
from ..search.choose import DEFAULT_MAX_STATES
from ..search.sweep import Summary, Sweep
from .cache import AttractorCache
from .landscape import naive_state, reachable_attractors

__all__ = ["ObservationResult", "ValidationReport", "validate", "condition_values", "Evaluator"]


@dataclass(frozen=True)
class ObservationResult:
    """The outcome of one observation under one update mode.

    Attributes
    ----------
    observation : Observation
        What was checked.
    update : str
        The update mode.
    passed : bool
        Whether every condition met every expectation.
    got : str
        What the model gives, summarised (phenotypes seen, or the failures).
    failures : tuple of str
        One line per condition that failed.
    conditions_checked : int
        How many input conditions were evaluated.
    """

    observation: Observation
    update: str
    passed: bool
    got: str
    failures: tuple[str, ...]
    conditions_checked: int

    def expectation(self) -> str:
        o = self.observation
        parts = []
        if o.expect:
            parts.append("phenotype ∈ {" + ", ".join(o.expect) + "}")
        if o.nodes:
            parts.append(", ".join(f"{n}={v}" for n, v in o.nodes.items()))
        if o.relation:
            parts.append(f"{o.relation_phenotype} wherever wild type is")
        where = o.conditions if isinstance(o.conditions, str) else ", ".join(
            c if isinstance(c, str) else "{" + ",".join(f"{k}={v}" for k, v in c.items()) + "}" for c in o.conditions)
        return f"{'; '.join(parts)} [{where}{', from naive' if o.from_initial else ''}]"

    def perturbation(self) -> str:
        o = self.observation
        items = [f"{n}={'KO' if v == 0 else 'OE'}" for n, v in o.perturbation.items()] + list(o.interventions)
        return " + ".join(items) or "wild type"

    def to_dict(self) -> dict[str, Any]:
        o = self.observation
        return {
            "id": o.id,
            "description": o.description,
            "perturbation": self.perturbation(),
            "expectation": self.expectation(),
            "got": self.got,
            "passed": self.passed,
            "update": self.update,
            "conditions_checked": self.conditions_checked,
            "failures": list(self.failures),
            "evidence": list(o.evidence),
            "kind": o.kind,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Every in-scope observation, evaluated in one or more update modes."""

    model: str
    results: tuple[ObservationResult, ...]
    out_of_scope: tuple[dict[str, str], ...] = field(default=())

    @property
    def passed(self) -> bool:
        """True when every observation passes in the asynchronous mode (the model's reference mode)."""
        return all(r.passed for r in self.results if r.update == "asynchronous")

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.results:
            s = out.setdefault(r.update, {"passed": 0, "failed": 0})
            s["passed" if r.passed else "failed"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "passed": self.passed,
            "summary": self.summary(),
            "observations": [r.to_dict() for r in self.results],
            "out_of_scope": list(self.out_of_scope),
        }


def condition_values(meta: Metadata, spec: Any) -> list[tuple[str, dict[str, int]]]:
    """Expand a conditions spec ("all", "named", or a list) to (label, input values) pairs."""
    if spec == "all":
        names = list(meta.inputs)
        out = []
        for combo in itertools.product((0, 1), repeat=len(names)):
            vals = dict(zip(names, combo))
            out.append(("".join(map(str, combo)), vals))
        return out
    if spec == "named":
        return [(c.name, dict(c.values)) for c in meta.conditions.values()]
    out = []
    for c in spec:
        if isinstance(c, str):
            out.append((c, dict(meta.condition(c).values)))
        else:
            label = "{" + ",".join(f"{k}={v}" for k, v in c.items()) + "}"
            out.append((label, meta.with_defaults(c)))
    return out


class Evaluator:
    """Phenotypes of a model under fixed nodes, with one :class:`~logicmodel.analysis.cache.AttractorCache`
    shared across observations (and, through the report, with the condition table)."""

    def __init__(self, model: Model, meta: Metadata, *, max_states: int = DEFAULT_MAX_STATES,
                 cache: AttractorCache | None = None) -> None:
        self.model = model
        self.network = model.network
        self.meta = meta
        self.max_states = max_states
        self.cache = cache or AttractorCache(model, max_states=max_states)
        self._reached: dict[tuple[Any, ...], list[Summary]] = {}

    def attractor_summaries(self, fixed: dict[str, int], update: str,
                            from_initial: str | None = None) -> list[tuple[Summary, str]]:
        """Each attractor under ``fixed`` with its phenotype (only those reachable from ``from_initial``)."""
        if from_initial is None:
            found = self.cache.summaries(fixed, update)
        else:
            key = (tuple(sorted(fixed.items())), update, from_initial)
            if key not in self._reached:
                inputs = {n: v for n, v in fixed.items() if n in self.network.inputs}
                atts = reachable_attractors(self.network, naive_state(self.network, inputs), update, fixed,
                                            max_states=self.max_states)
                self._reached[key] = [Summary(a.fixed, a.oscillating, a.size) for a in atts]
            found = self._reached[key]
        return [(s, self.cache.label(s)) for s in found]


def _per_condition(sw: Sweep, names: list[str]) -> npt.NDArray[np.int64]:
    """For every combination of ``names`` (lexicographic), the combination of the sweep it falls in
    (inputs the sweep holds fixed are ignored)."""
    k = len(names)
    codes = np.arange(1 << k, dtype=np.int64)
    out = np.zeros(len(codes), dtype=np.int64)
    for j, n in enumerate(sw.inputs):
        out |= ((codes >> (k - 1 - names.index(n))) & 1) << (len(sw.inputs) - 1 - j)
    return out


def _check_every_combination(ev: Evaluator, obs: Observation, update: str, base: dict[str, int]) -> ObservationResult:
    """An observation under every input combination, read off sweeps in arrays (same verdicts and
    messages as checking the combinations one by one)."""
    meta = ev.meta
    names = list(meta.inputs)
    labels = meta.labels
    sw = ev.cache.sweep({**base, **obs.perturbation}, update)
    where = _per_condition(sw, names)
    kind = meta.phenotypes.classify_states(sw.values, sw.nodes)
    counts = np.bincount(sw.owner * len(labels) + kind, minlength=sw.combinations * len(labels))
    counts = counts.reshape(sw.combinations, len(labels))[where]  # per condition × label
    messages: list[list[str]] = [[] for _ in where]  # per condition, in the order of one-by-one checks
    if obs.expect:
        bad = [k for k, lab in enumerate(labels) if lab not in obs.expect]
        for c in np.flatnonzero(counts[:, bad].sum(axis=1) > 0):
            messages[c].append(f"{{}}: got {', '.join(sorted(labels[k] for k in bad if counts[c, k]))}")
    for node, want in obs.nodes.items():
        col = sw.values[:, sw.nodes.index(node)]
        present = {v: np.bincount(sw.owner[col == v], minlength=sw.combinations)[where] > 0 for v in (0, 1, -1)}
        wrong = present[1 - want] | present[-1] | ~present[want]
        for c in np.flatnonzero(wrong):
            vals = sorted(("~" if v == -1 else v for v in (0, 1, -1) if present[v][c]), key=str)
            messages[c].append(f"{{}}: {node} is {'/'.join(map(str, vals))}, expected {want}")
    if obs.relation == "at_least_wild_type":
        target = labels.index(str(obs.relation_phenotype))
        wt = ev.cache.sweep(dict(base), update)
        wt_kind = meta.phenotypes.classify_states(wt.values, wt.nodes)
        wt_has = (np.bincount(wt.owner[wt_kind == target], minlength=wt.combinations) > 0)[_per_condition(wt, names)]
        for c in np.flatnonzero(wt_has & (counts[:, target] == 0)):
            messages[c].append(f"{{}}: wild type is {obs.relation_phenotype}, perturbed is not")
    failures = [m.format("".join(map(str, combo))) for combo, ms in
                zip(itertools.product((0, 1), repeat=len(names)), messages) for m in ms]
    seen = {labels[k]: int(n) for k, n in enumerate(counts.sum(axis=0)) if n}
    got = ", ".join(f"{p}×{n}" for p, n in sorted(seen.items())) if not failures else "; ".join(failures[:3]) + (
        f" (+{len(failures) - 3} more)" if len(failures) > 3 else "")
    return ObservationResult(obs, update, not failures, got, tuple(failures), len(where))


def _check(ev: Evaluator, obs: Observation, update: str, swept: bool = True) -> ObservationResult:
    meta = ev.meta
    base = resolve_fixed(ev.model, interventions=obs.interventions)
    if swept and obs.conditions == "all" and obs.from_initial is None:
        return _check_every_combination(ev, obs, update, base)
    failures: list[str] = []
    seen: dict[str, int] = {}
    conds = condition_values(meta, obs.conditions)
    for label, inputs in conds:
        fixed = {**inputs, **base, **obs.perturbation}
        summaries = ev.attractor_summaries(fixed, update, obs.from_initial)
        phen = [p for _, p in summaries]
        for p in phen:
            seen[p] = seen.get(p, 0) + 1
        if obs.expect:
            bad = sorted({p for p in phen if p not in obs.expect})
            if bad:
                failures.append(f"{label}: got {', '.join(bad)}")
        for node, want in obs.nodes.items():
            vals = {s.fixed.get(node, "~") for s, _ in summaries}
            if vals != {want}:
                failures.append(f"{label}: {node} is {'/'.join(map(str, sorted(vals, key=str)))}, expected {want}")
        if obs.relation == "at_least_wild_type":
            wt = [p for _, p in ev.attractor_summaries({**inputs, **base}, update, obs.from_initial)]
            target = obs.relation_phenotype
            if target in wt and target not in phen:
                failures.append(f"{label}: wild type is {target}, perturbed is not")
    got = ", ".join(f"{p}×{n}" for p, n in sorted(seen.items())) if not failures else "; ".join(failures[:3]) + (
        f" (+{len(failures) - 3} more)" if len(failures) > 3 else "")
    return ObservationResult(obs, update, not failures, got, tuple(failures), len(conds))


def validate(
    model: Model, *, updates: Iterable[str] = ("asynchronous", "synchronous"), max_states: int = DEFAULT_MAX_STATES,
    ids: Iterable[str] | None = None, cache: AttractorCache | None = None, swept: bool = True,
) -> ValidationReport:
    """Evaluate every in-scope observation of ``model`` (a :class:`~logicmodel.model.Model`).

    Parameters
    ----------
    updates : iterable of str
        The update modes to check each observation in.
    ids : iterable of str, optional
        Only these observations.
    cache : AttractorCache, optional
        Shared with the condition table (the report passes one), so that sweeps run once.
    swept : bool
        Read observations under every input combination off sweeps, in arrays (default); ``False``
        checks them combination by combination (the same verdicts and messages, slower: the tests'
        reference).

    Raises
    ------
    MetadataError
        When the model has no metadata or no observations.
    """
    meta = model.metadata
    if meta is None or not meta.observations:
        raise MetadataError("the model has no observations to validate against (no metadata file?)",
                            source=str(model.path))
    wanted = set(ids) if ids is not None else None
    ev = Evaluator(model, meta, max_states=max_states, cache=cache)
    results = []
    for update in updates:
        for obs in meta.observations:
            if wanted is None or obs.id in wanted:
                results.append(_check(ev, obs, update, swept))
    return ValidationReport(model.name, tuple(results), meta.out_of_scope)
