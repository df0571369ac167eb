"""The main job: conditions → phenotypes, validation, figures, in one short report.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.output.report import build_report
>>> import tempfile
>>> rep = build_report(load_model("osteoclastogenesis"), tempfile.mkdtemp())
>>> rep.validation.passed
True
"""
from __future__ import annotations

import csv
import io
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.cache import AttractorCache
from ..analysis.conditions import ConditionTable, condition_table, named_condition_grid
from ..analysis.validation import ValidationReport, validate
from ..errors import MetadataError
from ..io.files import atomic_write_text, write_csv
from ..model.model import Model
from . import figures

__all__ = ["Report", "build_report", "validation_csv", "validation_markdown"]


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` computed and wrote."""

    model: str
    text: str
    files: tuple[Path, ...]
    conditions: ConditionTable
    named: tuple[dict[str, Any], ...]
    validation: ValidationReport
    seconds: float = 0.0


def validation_csv(report: ValidationReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "update", "perturbation", "expectation", "got", "passed", "evidence", "description"])
    for r in report.results:
        d = r.to_dict()
        w.writerow([d["id"], d["update"], d["perturbation"], d["expectation"], d["got"],
                    "pass" if d["passed"] else "FAIL", " ".join(d["evidence"]), d["description"]])
    return buf.getvalue()


def validation_markdown(report: ValidationReport, update: str = "asynchronous") -> str:
    """The validation table as Markdown, for one update mode, with the out-of-scope rows after it."""
    lines = ["| # | observation | perturbation | expectation | model gives | result | evidence |",
             "|---|---|---|---|---|---|---|"]
    for r in report.results:
        if r.update != update:
            continue
        d = r.to_dict()
        lines.append(f"| {d['id']} | {d['description']} | {d['perturbation']} | {d['expectation']} | "
                     f"{d['got']} | {'pass' if d['passed'] else '**FAIL**'} | {', '.join(d['evidence'])} |")
    if report.out_of_scope:
        lines += ["", "Out of scope:", ""]
        lines += [f"- row {o['id']}: {o['reason']}" for o in report.out_of_scope]
    return "\n".join(lines) + "\n"


def build_report(model: Model, out_dir: "str | os.PathLike[str]" = ".") -> Report:
    """Compute the condition table, the named-condition grid and the validation; write files; return the report.

    The interventions section lists the named conditions of the metadata's ``[report]
    intervention_conditions`` (default: every named condition).
    """
    t0 = time.perf_counter()
    meta = model.metadata
    if meta is None:
        raise MetadataError("the report needs a model with metadata", source=str(model.path))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    cache = AttractorCache(model)  # one sweep per question, shared by the table, the grid and the validation
    table = condition_table(model, cache=cache)
    files.append(atomic_write_text(out / "conditions.csv", table.to_csv()))
    files.append(atomic_write_text(out / "conditions.json", table.to_json()))
    files += figures.plot_condition_table(table, meta, out / "conditions_heatmap")
    named = named_condition_grid(model, interventions=[None, *meta.interventions], cache=cache)
    files.append(write_csv(out / "named_conditions.csv", named))
    files += figures.plot_named_grid(named, meta, out / "named_conditions")
    validation = validate(model, cache=cache)
    files.append(atomic_write_text(out / "validation.csv", validation_csv(validation)))
    files.append(atomic_write_text(out / "validation.json", json.dumps(validation.to_dict(), indent=1) + "\n"))
    files += figures.plot_network(model, out / "network")

    net = model.network
    lines = [
        f"# {meta.model.get('title', model.name)}",
        "",
        f"Model {model.name}: {len(net)} nodes, {len(net.edges())} regulations, "
        f"{len(meta.inputs)} physiological inputs ({', '.join(meta.inputs)}).",
        "",
        "## Named conditions → phenotype (asynchronous | synchronous)",
        "",
    ]
    sync_named = {r["condition"]: r["phenotype"]
                  for r in named_condition_grid(model, update="synchronous", cache=cache)}
    width = max(len(c) for c in meta.conditions)
    for r in named:
        if r["intervention"] == "none":
            lines.append(f"  {r['condition']:<{width}}  {r['phenotype']:<16} | {sync_named[r['condition']]}")
    lines += ["", "## Interventions (asynchronous)", ""]
    for cname in meta.report.get("intervention_conditions") or list(meta.conditions):
        cells = [f"{r['intervention']}: {r['phenotype']}" for r in named
                 if r["condition"] == cname and r["intervention"] != "none"]
        lines.append(f"  {cname}: " + "; ".join(cells))
    lines += ["", f"## Every combination of the {len(table.inputs)} inputs ({2 ** len(table.inputs)} conditions)", ""]
    for update in ("asynchronous", "synchronous"):
        counts = ", ".join(f"{k} {v}" for k, v in table.counts(update).items())
        lines.append(f"  {update}: {counts}")
    summ = validation.summary()
    lines += ["", "## Validation against the literature", ""]
    for update, s in summ.items():
        lines.append(f"  {update}: {s['passed']}/{s['passed'] + s['failed']} observations reproduced")
    for res in validation.results:
        if not res.passed:
            lines.append(f"  FAIL {res.update} #{res.observation.id}: {res.observation.description} — {res.got}")
    lines.append(f"  out of scope: {len(validation.out_of_scope)} rows (reasons in validation.json)")
    seconds = time.perf_counter() - t0
    lines += ["", f"## Files ({out.resolve()})", ""] + [f"  {p.name}" for p in files]
    lines += ["", f"Computed in {seconds:.1f} s."]
    text = "\n".join(lines) + "\n"
    files.append(atomic_write_text(out / "report.md", text))
    return Report(model.name, text, tuple(files), table, tuple(named), validation, seconds)
