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

import numpy as np

from ..errors import MetadataError
from ..model.metadata import Metadata
from ..model.model import Model
from ..model.perturbations import resolve_fixed
from ..search.choose import DEFAULT_MAX_STATES
from .cache import AttractorCache

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
        """The table as JSON, one row per line (readable, and written by the C encoder: an indented
        document of 4,096 rows takes 0.2 s in the pure-Python one)."""
        doc = self.to_dict()
        rows = doc.pop("rows")
        head = json.dumps(doc)[:-1]
        return head + ', "rows": [\n' + ",\n".join(json.dumps(r) for r in rows) + "\n]}\n"

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
    cache: AttractorCache | None = None,
) -> ConditionTable:
    """Phenotypes under every combination of the model's physiological inputs.

    Each update mode is one sweep (:func:`~logicmodel.search.sweep.sweep`): every combination is
    percolated at once, and the few that percolation does not settle are searched once per group of
    equal dynamics; the phenotypes are classified in arrays.

    Parameters
    ----------
    model : Model
        A model with metadata (inputs and phenotypes).
    updates : iterable of str
        Update modes to evaluate.
    fixed : dict, optional
        Perturbations or interventions held under every combination.
    cache : AttractorCache, optional
        Where the sweeps are kept (and found), so that validation and the named-condition grid
        reuse them.
    """
    meta = _metadata(model, "the condition table")
    fixed = resolve_fixed(model, values=fixed)
    cache = cache or AttractorCache(model, max_states=max_states)
    names = tuple(n for n in meta.inputs if n not in fixed)
    named_by_combo: dict[tuple[int, ...], list[str]] = {}
    for c in meta.conditions.values():
        if all(c.values.get(n) == v for n, v in fixed.items() if n in meta.inputs):
            named_by_combo.setdefault(tuple(c.values[n] for n in names), []).append(c.name)
    labels = meta.labels
    rows: list[ConditionRow] = []
    for update in updates:
        sw = cache.sweep(fixed, update)
        per_row = meta.phenotypes.classify_states(sw.values, sw.nodes)
        counts = np.bincount(sw.owner * len(labels) + per_row,
                             minlength=sw.combinations * len(labels)).reshape(sw.combinations, len(labels))
        for combo, row in zip(itertools.product((0, 1), repeat=len(names)), counts.tolist()):
            rows.append(ConditionRow(
                inputs=dict(zip(names, combo)), update=update, attractors=sum(row),
                phenotypes={lab: c for lab, c in sorted(zip(labels, row)) if c},
                named=tuple(named_by_combo.get(combo, ())),
            ))
    return ConditionTable(model.name, names, fixed, tuple(rows), labels)


def named_condition_grid(
    model: Model, *, interventions: Iterable[str | None] = (None,), update: str = "asynchronous",
    max_states: int = DEFAULT_MAX_STATES, cache: AttractorCache | None = None,
) -> list[dict[str, Any]]:
    """Phenotype summary for every named condition × intervention (``None`` = no intervention).

    With a ``cache`` that holds the condition table's sweep, the rows without an intervention are lookups.
    """
    meta = _metadata(model, "the named-condition grid")
    cache = cache or AttractorCache(model, max_states=max_states)
    out = []
    for cname in meta.conditions:
        for iv in interventions:
            fixed = resolve_fixed(model, condition=cname, interventions=[iv] if iv is not None else [])
            labels = [cache.label(s) for s in cache.summaries(fixed, update)]
            out.append({"condition": cname, "intervention": iv or "none", "update": update,
                        "attractors": len(labels), "phenotype": phenotype_summary(labels)})
    return out
