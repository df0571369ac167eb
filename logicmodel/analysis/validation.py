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

from ..search import attractors
from ..search.choose import DEFAULT_MAX_STATES
from ..errors import MetadataError
from ..model.metadata import Metadata, Observation
from ..model.model import Model
from ..model.perturbations import resolve_fixed
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


Summary = list[tuple[dict[str, int], tuple[str, ...], str]]


class Evaluator:
    """Phenotypes of a network under fixed nodes, with a cache shared across observations."""

    def __init__(self, model: Model, meta: Metadata, *, max_states: int = DEFAULT_MAX_STATES) -> None:
        self.model = model
        self.network = model.network
        self.meta = meta
        self.max_states = max_states
        self._cache: dict[tuple[Any, ...], Summary] = {}

    def attractor_summaries(self, fixed: dict[str, int], update: str, from_initial: str | None = None) -> Summary:
        """``[(fixed nodes, oscillating nodes, phenotype), ...]`` for the attractors under ``fixed``."""
        key = (tuple(sorted(fixed.items())), update, from_initial)
        if key not in self._cache:
            if from_initial == "naive":
                inputs = {n: v for n, v in fixed.items() if n in self.network.inputs}
                atts = reachable_attractors(self.network, naive_state(self.network, inputs), update, fixed,
                                            max_states=self.max_states)
            else:
                atts = attractors(self.network, update, fixed, max_states=self.max_states).attractors
            self._cache[key] = [(a.fixed, a.oscillating, self.meta.classify(a)) for a in atts]
        return self._cache[key]

    def sweep(self, fixed: dict[str, int], update: str) -> None:
        """Fill the cache for every combination of the physiological inputs at once.

        One call of :func:`~logicmodel.search.attractors` with the inputs
        free splits the search over input combinations internally and shares
        the percolation work, which is much faster than one call per combination.
        """
        names = list(self.meta.inputs)
        free_inputs = [n for n in names if n not in fixed]
        if not free_inputs:
            return
        key0 = tuple(sorted(fixed.items()))
        if (key0, update, "sweep") in self._cache:
            return
        res = attractors(self.network, update, fixed, max_states=self.max_states)
        groups: dict[tuple[int, ...], Summary] = {}
        for a in res.attractors:
            combo = tuple(a.fixed[n] for n in free_inputs)
            groups.setdefault(combo, []).append((a.fixed, a.oscillating, self.meta.classify(a)))
        for combo in itertools.product((0, 1), repeat=len(free_inputs)):
            full = dict(fixed)
            full.update(zip(free_inputs, combo))
            self._cache[(tuple(sorted(full.items())), update, None)] = groups.get(combo, [])
        self._cache[(key0, update, "sweep")] = []


def _check(ev: Evaluator, obs: Observation, update: str) -> ObservationResult:
    meta = ev.meta
    base = resolve_fixed(ev.model, interventions=obs.interventions)
    failures: list[str] = []
    seen: dict[str, int] = {}
    conds = condition_values(meta, obs.conditions)
    if obs.conditions == "all" and obs.from_initial is None:
        ev.sweep({**base, **obs.perturbation}, update)
        if obs.relation:
            ev.sweep(dict(base), update)
    for label, inputs in conds:
        fixed = {**inputs, **base, **obs.perturbation}
        summaries = ev.attractor_summaries(fixed, update, obs.from_initial)
        phen = [p for _, _, p in summaries]
        for p in phen:
            seen[p] = seen.get(p, 0) + 1
        if obs.expect:
            bad = sorted({p for p in phen if p not in obs.expect})
            if bad:
                failures.append(f"{label}: got {', '.join(bad)}")
        for node, want in obs.nodes.items():
            vals = {f.get(node, "~") for f, _, _ in summaries}
            if vals != {want}:
                failures.append(f"{label}: {node} is {'/'.join(map(str, sorted(vals, key=str)))}, expected {want}")
        if obs.relation == "at_least_wild_type":
            wt_fixed = dict(inputs)
            wt_fixed.update(base)
            wt = [p for _, _, p in ev.attractor_summaries(wt_fixed, update, obs.from_initial)]
            target = obs.relation_phenotype
            if target in wt and target not in phen:
                failures.append(f"{label}: wild type is {target}, perturbed is not")
    got = ", ".join(f"{p}×{n}" for p, n in sorted(seen.items())) if not failures else "; ".join(failures[:3]) + (
        f" (+{len(failures) - 3} more)" if len(failures) > 3 else "")
    return ObservationResult(obs, update, not failures, got, tuple(failures), len(conds))


def validate(
    model: Model, *, updates: Iterable[str] = ("asynchronous", "synchronous"), max_states: int = DEFAULT_MAX_STATES,
    ids: Iterable[str] | None = None,
) -> ValidationReport:
    """Evaluate every in-scope observation of ``model`` (a :class:`~logicmodel.model.Model`).

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
    ev = Evaluator(model, meta, max_states=max_states)
    results = []
    for update in updates:
        for obs in meta.observations:
            if wanted is None or obs.id in wanted:
                results.append(_check(ev, obs, update))
    return ValidationReport(model.name, tuple(results), meta.out_of_scope)
