"""Perturbations: knockouts (fixed 0), over-expression (fixed 1), named interventions and conditions.

:func:`resolve_fixed` is the one place where a condition, named interventions, a perturbation
and single node values (``--set``) are merged into the nodes to hold fixed; the command line,
screens, condition tables and validation all go through it. Every perturbation returns a new
network (:meth:`Perturbation.apply`); nothing mutates in place.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.model.perturbations import Perturbation, resolve_fixed
>>> model = load_model("osteoclastogenesis")
>>> p = Perturbation.from_lists(ko=["OPG"])
>>> p.label
'OPG=KO'
>>> fixed = resolve_fixed(model, condition="estrogen_deficiency", interventions=["denosumab"], perturbation=p)
>>> fixed["Estrogen"], fixed["Denosumab"], fixed["OPG"]
(0, 1, 0)
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import InvalidChoiceError, MetadataError, PerturbationError
from .model import Model
from .network import Network

__all__ = ["Perturbation", "resolve_fixed", "enumerate_perturbations", "KINDS", "ORDERS", "Kind"]

Kind = Literal["ko", "oe", "both"]
#: Which values a screen gives each node, by kind: knockouts, over-expression, or both.
KINDS: dict[str, tuple[int, ...]] = {"ko": (0,), "oe": (1,), "both": (0, 1)}
#: Perturbation orders of a screen: singles, or singles and doubles.
ORDERS = (1, 2)


@dataclass(frozen=True)
class Perturbation:
    """A set of nodes held at 0 (knockout) or 1 (over-expression).

    Attributes
    ----------
    values : tuple of (node, value)
        In the order they were given.
    """

    values: tuple[tuple[str, int], ...]

    @classmethod
    def from_lists(cls, ko: Iterable[str] = (), oe: Iterable[str] = (), *,
                   network: Network | None = None) -> "Perturbation":
        """Knockouts and over-expressions; a node in both lists, or twice in one, is an error."""
        kos, oes = list(ko), list(oe)
        both = sorted(set(kos) & set(oes))
        if both:
            raise PerturbationError(f"{', '.join(both)} cannot be both knocked out and over-expressed")
        for lst, what in ((kos, "knocked out"), (oes, "over-expressed")):
            dup = sorted({n for n in lst if lst.count(n) > 1})
            if dup:
                raise PerturbationError(f"{', '.join(dup)} {what} twice")
        values = tuple((n, 0) for n in kos) + tuple((n, 1) for n in oes)
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

    def apply(self, network: Network) -> Network:
        """A new network with the perturbation's nodes fixed."""
        return network.fix(self.fixed)


def resolve_fixed(
    model: Model,
    *,
    condition: str | Mapping[str, int] | None = None,
    interventions: Iterable[str] = (),
    perturbation: Perturbation | None = None,
    values: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """The nodes to hold fixed: a condition, then interventions, then a perturbation, then single
    node values; later ones override earlier ones.

    Parameters
    ----------
    model : Model
        The network and its metadata (named conditions and interventions need metadata).
    condition : str or dict, optional
        A named condition, or input values (the other physiological inputs at their defaults).
    interventions : iterable of str
        Named interventions.
    perturbation : Perturbation, optional
        Knockouts and over-expressions.
    values : dict, optional
        Node → 0/1 (``--set``).

    Raises
    ------
    MetadataError
        For a named condition or intervention without metadata, or an unknown name.
    UnknownNodeError, PerturbationError
        For an unknown node or a value other than 0 or 1.
    """
    meta = model.metadata
    fixed: dict[str, int] = {}
    if isinstance(condition, str):
        if meta is None:
            raise MetadataError("named conditions need a model with metadata", source=str(model.path))
        fixed.update(meta.condition(condition).values)
    elif condition is not None:
        fixed.update(meta.with_defaults(condition) if meta is not None else condition)
    for iv in interventions:
        if meta is None:
            raise MetadataError("named interventions need a model with metadata", source=str(model.path))
        fixed.update(meta.intervention(iv).values)
    if perturbation is not None:
        fixed.update(perturbation.fixed)
    fixed.update(values or {})
    return model.network.checked_values(fixed)


def enumerate_perturbations(nodes: Sequence[str], kinds: str = "ko", order: int = 2,
                            constants: Mapping[str, int] | None = None) -> list[Perturbation]:
    """The unperturbed network, then every single, then every double perturbation.

    A node is never perturbed twice in one combination, and a node whose rule is
    already the constant a perturbation would set (``constants``) is not perturbed
    that way (it would change nothing).
    """
    if kinds not in KINDS:
        raise InvalidChoiceError("kind", kinds, KINDS)
    if order not in ORDERS:
        raise InvalidChoiceError("order", order, map(str, ORDERS),
                                 "order must be 1 (single perturbations) or 2 (singles and doubles)")
    constants = constants or {}
    singles = [(n, v) for n in nodes for v in KINDS[kinds] if constants.get(n) != v]
    out = [Perturbation(())] + [Perturbation((s,)) for s in singles]
    if order == 2:
        out += [Perturbation((a, b)) for a, b in itertools.combinations(singles, 2) if a[0] != b[0]]
    return out
