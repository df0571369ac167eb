"""Perturbations: knockouts (fixed 0), over-expression (fixed 1), named interventions.

Every perturbation returns a new network; nothing mutates in place.

Examples
--------
>>> from logicmodel.model import load_model
>>> from logicmodel.perturbations import Perturbation, perturb
>>> model = load_model("osteoclastogenesis")
>>> p = Perturbation.from_lists(ko=["OPG"])
>>> p.label
'OPG=KO'
>>> cmp = perturb(model, p, condition="baseline")
>>> cmp.base_phenotypes, cmp.perturbed_phenotypes
({'quiescent': 1}, {'resorbing': 1})
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .attractors import DEFAULT_MAX_STATES, AttractorResult, attractors
from .errors import MetadataError, PerturbationError

__all__ = ["Perturbation", "PerturbationComparison", "perturb", "resolve_fixed"]


@dataclass(frozen=True)
class Perturbation:
    """A set of nodes held at 0 (knockout) or 1 (over-expression), possibly from named interventions.

    Attributes
    ----------
    values : tuple of (node, value)
        In the order they were given.
    """

    values: tuple[tuple[str, int], ...]

    @classmethod
    def from_lists(cls, ko: Iterable[str] = (), oe: Iterable[str] = (), *, network=None) -> "Perturbation":
        """Knockouts and over-expressions; a node in both lists is an error."""
        ko, oe = list(ko), list(oe)
        both = sorted(set(ko) & set(oe))
        if both:
            raise PerturbationError(f"{', '.join(both)} cannot be both knocked out and over-expressed")
        for lst, what in ((ko, "knocked out"), (oe, "over-expressed")):
            dup = sorted({n for n in lst if lst.count(n) > 1})
            if dup:
                raise PerturbationError(f"{', '.join(dup)} {what} twice")
        values = tuple((n, 0) for n in ko) + tuple((n, 1) for n in oe)
        if network is not None:
            for n, _ in values:
                network.index(n)
        return cls(values)

    @property
    def fixed(self) -> dict[str, int]:
        return dict(self.values)

    @property
    def label(self) -> str:
        """A readable, stable label such as ``RANKL=KO+OPG=OE`` (``none`` for no perturbation)."""
        return "+".join(f"{n}={'KO' if v == 0 else 'OE'}" for n, v in self.values) or "none"

    @property
    def size(self) -> int:
        return len(self.values)

    def apply(self, network):
        """A new network with the perturbation's nodes fixed."""
        return network.fix(self.fixed)


def resolve_fixed(model, *, condition: str | Mapping[str, int] | None = None,
                  interventions: Iterable[str] = (), perturbation: Perturbation | None = None) -> dict[str, int]:
    """Condition inputs, then interventions, then the perturbation (later ones override earlier)."""
    meta = model.metadata
    fixed: dict[str, int] = {}
    if condition is not None:
        if isinstance(condition, str):
            if meta is None:
                raise MetadataError("named conditions need a model with metadata", source=str(model.path))
            fixed.update(meta.condition(condition).values)
        else:
            fixed.update(meta.with_defaults(condition) if meta is not None else condition)
    for iv in interventions:
        if meta is None:
            raise MetadataError("named interventions need a model with metadata", source=str(model.path))
        fixed.update(meta.intervention(iv).values)
    if perturbation is not None:
        fixed.update(perturbation.fixed)
    for n in fixed:
        model.network.index(n)
    return fixed


def _counts(model, res: AttractorResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in res:
        label = model.phenotype_of(a) or "attractor"
        out[label] = out.get(label, 0) + 1
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class PerturbationComparison:
    """Attractors with and without a perturbation, under the same condition and interventions."""

    perturbation: Perturbation
    condition: str | None
    base: AttractorResult
    perturbed: AttractorResult
    base_phenotypes: dict[str, int]
    perturbed_phenotypes: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the phenotype (or, without phenotypes, the attractor set) changed."""
        if self.base_phenotypes != self.perturbed_phenotypes:
            return True
        key = lambda r: sorted((a.size, tuple(sorted(a.fixed.items()))) for a in r)  # noqa: E731
        return key(self.base) != key(self.perturbed)

    def node_changes(self) -> dict[str, tuple[str, str]]:
        """Nodes whose value (0, 1, or ~ when it oscillates or differs across attractors) changed."""
        def summary(res):
            out = {}
            for n in res.nodes:
                vals = {str(a.fixed[n]) if n in a.fixed else "~" for a in res}
                out[n] = vals.pop() if len(vals) == 1 else "~"
            return out

        b, p = summary(self.base), summary(self.perturbed)
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
    model, perturbation: Perturbation, *, condition: str | Mapping[str, int] | None = None,
    interventions: Iterable[str] = (), update: str = "asynchronous", max_states: int = DEFAULT_MAX_STATES,
) -> PerturbationComparison:
    """Attractors and phenotypes of ``model`` with and without ``perturbation``."""
    interventions = tuple(interventions)
    base_fixed = resolve_fixed(model, condition=condition, interventions=interventions)
    pert_fixed = resolve_fixed(model, condition=condition, interventions=interventions, perturbation=perturbation)
    base = attractors(model.network, update, base_fixed, max_states=max_states)
    pert = attractors(model.network, update, pert_fixed, max_states=max_states)
    if model.metadata is not None and model.metadata.phenotypes:
        base = base.with_phenotypes([model.metadata.classify(a) for a in base])
        pert = pert.with_phenotypes([model.metadata.classify(a) for a in pert])
    return PerturbationComparison(
        perturbation=perturbation,
        condition=condition if isinstance(condition, str) or condition is None else str(dict(condition)),
        base=base,
        perturbed=pert,
        base_phenotypes=_counts(model, base),
        perturbed_phenotypes=_counts(model, pert),
    )
