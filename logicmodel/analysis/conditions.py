"""The condition table: phenotypes under every combination of the physiological inputs.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.analysis.conditions import condition_table
>>> table = condition_table(load_model("osteoclastogenesis"), updates=("asynchronous",))
>>> len(table.rows) == 2 ** len(table.inputs)
True
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..search import attractors
from ..search.choose import DEFAULT_MAX_STATES
from ..errors import MetadataError
from ..model.metadata import Metadata
from ..model.model import Model
from ..model.perturbations import resolve_fixed

__all__ = ["ConditionRow", "ConditionTable", "condition_table", "phenotype_summary", "named_condition_grid"]


def phenotype_summary(labels: Iterable[str]) -> str:
    """One label for a set of attractor phenotypes: the label itself, or ``a+b`` when several coexist."""
    uniq = sorted(set(labels))
    return "+".join(uniq) if uniq else "none"


@dataclass(frozen=True)
class ConditionRow:
    """Phenotypes of the attractors under one input combination and update mode."""

    inputs: dict[str, int]
    update: str
    attractors: int
    phenotypes: dict[str, int]  # label -> number of attractors
    named: tuple[str, ...] = ()  # named conditions with exactly these inputs

    @property
    def label(self) -> str:
        return phenotype_summary(self.phenotypes)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.inputs,
            "update": self.update,
            "attractors": self.attractors,
            "phenotype": self.label,
            "phenotype_counts": dict(self.phenotypes),
            "named_conditions": list(self.named),
        }


@dataclass(frozen=True)
class ConditionTable:
    """Every input combination × update mode, one row each."""

    model: str
    inputs: tuple[str, ...]
    fixed: dict[str, int]
    rows: tuple[ConditionRow, ...]
    labels: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "inputs": list(self.inputs), "fixed": dict(self.fixed),
                "rows": [r.to_dict() for r in self.rows]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1) + "\n"

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(list(self.inputs) + ["update", "attractors", "phenotype", "named_conditions"])
        for r in self.rows:
            w.writerow([r.inputs[n] for n in self.inputs] + [r.update, r.attractors, r.label, ";".join(r.named)])
        return buf.getvalue()

    def counts(self, update: str) -> dict[str, int]:
        """How many input combinations give each phenotype summary."""
        out: dict[str, int] = {}
        for r in self.rows:
            if r.update == update:
                out[r.label] = out.get(r.label, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _metadata(model: Model, what: str) -> Metadata:
    meta = model.metadata
    if meta is None or not meta.inputs or not meta.phenotypes:
        raise MetadataError(f"{what} needs metadata with [inputs] and [[phenotypes]]", source=str(model.path))
    return meta


def condition_table(
    model: Model,
    *,
    updates: Iterable[str] = ("asynchronous", "synchronous"),
    fixed: Mapping[str, int] | None = None,
    max_states: int = DEFAULT_MAX_STATES,
) -> ConditionTable:
    """Phenotypes under every combination of the model's physiological inputs.

    Parameters
    ----------
    model : Model
        A model with metadata (inputs and phenotypes).
    updates : iterable of str
        Update modes to evaluate.
    fixed : dict, optional
        Perturbations or interventions held under every combination.
    """
    meta = _metadata(model, "the condition table")
    net = model.network
    fixed = resolve_fixed(model, values=fixed)
    names = tuple(n for n in meta.inputs if n not in fixed)
    named_by_combo: dict[tuple[int, ...], list[str]] = {}
    for c in meta.conditions.values():
        if all(c.values.get(n) == v for n, v in fixed.items() if n in meta.inputs):
            named_by_combo.setdefault(tuple(c.values[n] for n in names), []).append(c.name)
    rows: list[ConditionRow] = []
    for update in updates:
        res = attractors(net, update, fixed, max_states=max_states)
        groups: dict[tuple[int, ...], dict[str, int]] = {}
        n_att: dict[tuple[int, ...], int] = {}
        for a in res.attractors:
            combo = tuple(a.fixed[n] for n in names)
            label = meta.classify(a)
            groups.setdefault(combo, {})
            groups[combo][label] = groups[combo].get(label, 0) + 1
            n_att[combo] = n_att.get(combo, 0) + 1
        for combo in itertools.product((0, 1), repeat=len(names)):
            rows.append(ConditionRow(
                inputs=dict(zip(names, combo)), update=update, attractors=n_att.get(combo, 0),
                phenotypes=dict(sorted(groups.get(combo, {}).items())),
                named=tuple(named_by_combo.get(combo, ())),
            ))
    return ConditionTable(model.name, names, fixed, tuple(rows), meta.labels)


def named_condition_grid(
    model: Model, *, interventions: Iterable[str | None] = (None,), update: str = "asynchronous",
    max_states: int = DEFAULT_MAX_STATES,
) -> list[dict[str, Any]]:
    """Phenotype summary for every named condition × intervention (``None`` = no intervention)."""
    meta = _metadata(model, "the named-condition grid")
    out = []
    for cname in meta.conditions:
        for iv in interventions:
            fixed = resolve_fixed(model, condition=cname, interventions=[iv] if iv is not None else [])
            res = attractors(model.network, update, fixed, max_states=max_states)
            labels = [meta.classify(a) for a in res]
            out.append({"condition": cname, "intervention": iv or "none", "update": update,
                        "attractors": len(labels), "phenotype": phenotype_summary(labels)})
    return out
