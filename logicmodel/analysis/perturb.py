"""A perturbation beside the unperturbed network: attractors, phenotypes and the nodes that change.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.model.perturbations import Perturbation
>>> from logicmodel.analysis.perturb import perturb
>>> cmp = perturb(load_model("osteoclastogenesis"), Perturbation.from_lists(ko=["OPG"]), condition="baseline")
>>> cmp.base_phenotypes, cmp.perturbed_phenotypes
({'quiescent': 1}, {'resorbing': 1})
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.model import Model
from ..model.perturbations import Perturbation, resolve_fixed
from ..search import attractors
from ..search.choose import DEFAULT_MAX_STATES
from ..search.records import AttractorResult

__all__ = ["PerturbationComparison", "perturb"]


def _counts(model: Model, res: AttractorResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in res:
        label = model.phenotype_of(a) or "attractor"
        out[label] = out.get(label, 0) + 1
    return dict(sorted(out.items()))


def _summary(res: AttractorResult) -> dict[str, str]:
    """Each node's value across the attractors: 0, 1, or ~ when it oscillates or differs between them."""
    out = {}
    for n in res.nodes:
        vals = {str(a.fixed[n]) if n in a.fixed else "~" for a in res}
        out[n] = vals.pop() if len(vals) == 1 else "~"
    return out


@dataclass(frozen=True)
class PerturbationComparison:
    """Attractors with and without a perturbation, under the same condition and interventions."""

    perturbation: Perturbation
    condition: str | None
    base: AttractorResult
    perturbed: AttractorResult
    base_phenotypes: dict[str, int]
    perturbed_phenotypes: dict[str, int]

    @property
    def changed(self) -> bool:
        """Whether the phenotype (or, without phenotypes, the attractor set) changed."""
        if self.base_phenotypes != self.perturbed_phenotypes:
            return True

        def key(r: AttractorResult) -> list[tuple[int, tuple[tuple[str, int], ...]]]:
            return sorted((a.size, tuple(sorted(a.fixed.items()))) for a in r)

        return key(self.base) != key(self.perturbed)

    def node_changes(self) -> dict[str, tuple[str, str]]:
        """Nodes whose value (0, 1, or ~ when it oscillates or differs across attractors) changed."""
        b, p = _summary(self.base), _summary(self.perturbed)
        return {n: (b[n], p[n]) for n in self.base.nodes if b[n] != p[n]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "perturbation": self.perturbation.label,
            "fixed": self.perturbation.fixed,
            "condition": self.condition,
            "update": self.base.update,
            "changed": self.changed,
            "base": {"phenotypes": self.base_phenotypes, **self.base.to_dict()},
            "perturbed": {"phenotypes": self.perturbed_phenotypes, **self.perturbed.to_dict()},
            "node_changes": {n: {"from": a, "to": b} for n, (a, b) in self.node_changes().items()},
        }


def perturb(
    model: Model, perturbation: Perturbation, *, condition: str | Mapping[str, int] | None = None,
    interventions: Iterable[str] = (), update: str = "asynchronous", max_states: int = DEFAULT_MAX_STATES,
) -> PerturbationComparison:
    """Attractors and phenotypes of ``model`` with and without ``perturbation``."""
    interventions = tuple(interventions)
    base_fixed = resolve_fixed(model, condition=condition, interventions=interventions)
    pert_fixed = resolve_fixed(model, condition=condition, interventions=interventions, perturbation=perturbation)
    base = attractors(model.network, update, base_fixed, max_states=max_states)
    pert = attractors(model.network, update, pert_fixed, max_states=max_states)
    base = base.with_phenotypes(model.classify_all(base.attractors))
    pert = pert.with_phenotypes(model.classify_all(pert.attractors))
    return PerturbationComparison(
        perturbation=perturbation,
        condition=condition if isinstance(condition, str) or condition is None else str(dict(condition)),
        base=base,
        perturbed=pert,
        base_phenotypes=_counts(model, base),
        perturbed_phenotypes=_counts(model, pert),
    )
