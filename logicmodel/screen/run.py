"""Perturbation screens: every single and double perturbation × a set of conditions.

Rows are computed in this process, by local worker processes (``workers``) or on a Dask cluster
(``scheduler="tcp://host:port"``), written to a journal as they come, and summarised in a tidy
table, a heatmap and a ranked list of candidate therapeutic targets. The final table is sorted
and does not depend on the number of workers or the backend. A screen interrupted and run again
with the same output folder resumes: rows already in the journal are not recomputed.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.screen import screen
>>> res = screen(load_model("osteoclastogenesis"), nodes=["OPG", "RANKL"], order=1,
...              conditions=["baseline", "estrogen_deficiency"])
>>> [(r["perturbation"], r["condition"], r["phenotype"]) for r in res.rows if r["perturbation"] == "RANKL=KO"]
[('RANKL=KO', 'baseline', 'quiescent'), ('RANKL=KO', 'estrogen_deficiency', 'quiescent')]
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.cache import AttractorCache
from ..analysis.conditions import phenotype_summary
from ..analysis.validation import condition_values
from ..dynamics import get_update_mode
from ..errors import MetadataError, PerturbationError
from ..io.bnet import from_bnet
from ..io.files import atomic_write_text, rows_csv
from ..model.metadata import Metadata, parse_metadata
from ..model.model import Model
from ..model.perturbations import enumerate_perturbations, resolve_fixed
from ..output.figures import plot_screen
from ..search.choose import DEFAULT_MAX_STATES
from .backends import run_dask, run_local, run_serial
from .journal import JOURNAL, Journal, read_journal
from .targets import add_changes, rank_targets

__all__ = ["ScreenResult", "screen", "FORMAT_VERSION", "Progress"]

#: Version of the journal's rows (a journal of another version is another screen).
FORMAT_VERSION = 1
#: Above this many conditions per perturbation, one search with the inputs free serves them all.
SWEEP_ABOVE = 16
#: Called with (tasks done, tasks in all) as a screen progresses.
Progress = Callable[[int, int], None]

Row = dict[str, Any]
Task = dict[str, Any]
Payload = dict[str, Any]

_WORKER_CACHE: dict[str, AttractorCache] = {}


def _cache_from_payload(payload: Payload) -> AttractorCache:
    """The worker's model and its attractor cache (kept while tasks of the same model come)."""
    key = payload["key"]
    cache = _WORKER_CACHE.get(key)
    if cache is None:
        net = from_bnet(payload["bnet"], name=payload["name"], source=payload["source"])
        meta = parse_metadata(payload["meta"], net, source=payload["meta_source"]) if payload["meta"] else None
        cache = AttractorCache(Model(net, meta), max_states=payload["max_states"])
        _WORKER_CACHE.clear()
        _WORKER_CACHE[key] = cache
    return cache


def _evaluate(payload: Payload, task: Task) -> list[Row]:
    """Rows for one perturbation under the given conditions (runs in a worker)."""
    cache = _cache_from_payload(payload)
    meta = cache.model.metadata
    labels = list(meta.labels) if meta is not None else ["attractor"]
    pert = {**task["fixed_all"], **task["values"]}
    counts_of: Callable[[dict[str, int]], list[int]]
    if len(task["conditions"]) > SWEEP_ABOVE and meta is not None:
        # many input combinations: one sweep serves them all, phenotypes counted in arrays
        sw = cache.sweep(pert, task["update"])
        kind = meta.phenotypes.classify_states(sw.values, sw.nodes)
        table = np.bincount(sw.owner * len(labels) + kind, minlength=sw.combinations * len(labels))
        table = table.reshape(sw.combinations, len(labels))

        def counts_of(cvalues: dict[str, int]) -> list[int]:
            out: list[int] = table[sw.index(cvalues)].tolist()
            return out
    else:
        def counts_of(cvalues: dict[str, int]) -> list[int]:
            found = [cache.label(a) for a in cache.summaries({**cvalues, **pert}, task["update"])]
            return [found.count(lab) for lab in labels]
    rows = []
    for cname, cvalues in task["conditions"]:
        counts = dict(zip(labels, counts_of(cvalues)))
        n = sum(counts.values())
        row = {
            "perturbation": task["label"],
            "order": len(task["values"]),
            "nodes": ";".join(task["values"]),
            "values": ";".join(str(v) for v in task["values"].values()),
            "condition": cname,
            "update": task["update"],
            "attractors": n,
            "phenotype": phenotype_summary(lab for lab, c in counts.items() if c),
        }
        for lab in labels:
            row[f"share_{lab}"] = round(counts[lab] / n, 6) if n else 0.0
        rows.append(row)
    return rows


def evaluate_tasks(payload: Payload, tasks: list[Task]) -> list[list[Row]]:
    """The rows of each task (runs in a worker: local process, Dask worker, or this process)."""
    return [_evaluate(payload, t) for t in tasks]


@dataclass(frozen=True)
class ScreenResult:
    """A finished (or resumed-and-finished) screen.

    Attributes
    ----------
    rows : tuple of dict
        One per perturbation × condition, sorted (unperturbed first), each with the
        perturbation, the condition, the attractor count, the share of attractors per
        phenotype, and the change against the unperturbed network.
    targets : tuple of dict
        Perturbations that switch a pathological condition to healthy (the metadata's
        ``[targets]``), ranked; empty without target roles.
    files : tuple of Path
        What was written (empty without an output folder).
    computed, resumed : int
        Rows computed in this run, and rows taken from an earlier run's journal.
    seconds : float
        Wall time of the screen.
    """

    model: str
    update: str
    conditions: tuple[str, ...]
    perturbations: int
    rows: tuple[Row, ...]
    targets: tuple[Row, ...]
    files: tuple[Path, ...] = ()
    computed: int = 0
    resumed: int = 0
    seconds: float = 0.0

    def to_csv(self) -> str:
        return rows_csv(self.rows)


def _conditions(meta: Metadata, spec: str | Sequence[str | dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    if isinstance(spec, str) and spec not in ("named", "all"):
        spec = [spec]
    return condition_values(meta, spec)


def _payload(model: Model, max_states: int) -> Payload:
    bnet = model.network.to_bnet()
    meta_raw = model.metadata.raw if model.metadata is not None else None
    key = hashlib.sha256((bnet + json.dumps(meta_raw, sort_keys=True, default=str)).encode()).hexdigest()
    return {"key": key, "bnet": bnet, "name": model.name, "source": model.network.source, "meta": meta_raw,
            "meta_source": model.metadata.source if model.metadata is not None else "", "max_states": max_states}


def screen(
    model: Model,
    *,
    nodes: Sequence[str] | None = None,
    kinds: str = "ko",
    order: int = 2,
    conditions: str | Sequence[str | dict[str, int]] = "named",
    interventions: Sequence[str] = (),
    update: str = "asynchronous",
    workers: int = 1,
    scheduler: str | None = None,
    out: "str | os.PathLike[str] | None" = None,
    restart: bool = False,
    progress: Progress | None = None,
    max_states: int = DEFAULT_MAX_STATES,
    chunk: int = 16,
) -> ScreenResult:
    """Run a perturbation screen.

    Parameters
    ----------
    model : Model
        A model with metadata (phenotypes and conditions).
    nodes : sequence of str, optional
        Nodes to perturb (default: every node that is not a physiological input; a constant
        node is only perturbed away from its constant, so drug nodes are over-expressed, not knocked out).
    kinds : {"ko", "oe", "both"}
        Knockouts, over-expression, or both.
    order : {1, 2}
        Singles only, or singles and doubles.
    conditions : "named", "all", or a list
        Named conditions, every input combination, or names / inline ``{input: value}`` tables.
    interventions : sequence of str
        Named interventions applied throughout.
    update : str
        Update mode.
    workers : int
        Local worker processes (1 = in this process).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:port``); overrides ``workers``.
    out : path, optional
        Output folder: ``screen.jsonl`` (journal, resumable), ``screen.csv``, ``screen.json``,
        ``targets.csv``, ``screen_heatmap.png/.svg``.
    restart : bool
        Ignore an existing journal in ``out`` instead of resuming it.
    progress : callable, optional
        Called with (tasks done, tasks in all) as results come (the command line draws a bar).
    """
    t0 = time.perf_counter()
    get_update_mode(update)
    net = model.network
    meta = model.metadata
    if meta is None:
        raise MetadataError("a screen needs a model with metadata (inputs and phenotypes)", source=str(model.path))
    conds = _conditions(meta, conditions)
    fixed_all = resolve_fixed(model, interventions=interventions)
    if nodes is None:
        skip = set(meta.inputs) | set(fixed_all)
        nodes = [n for n in net.nodes if n not in skip]
    nodes = list(nodes)
    for n in nodes:
        net.index(n)
    dup = sorted({n for n in nodes if nodes.count(n) > 1})
    if dup:
        raise PerturbationError(f"nodes listed twice: {', '.join(dup)}")
    if workers < 1:
        raise PerturbationError(f"workers must be at least 1, got {workers}")
    perts = enumerate_perturbations(nodes, kinds, order, constants=net.constants)
    labels = list(meta.labels)
    payload = _payload(model, max_states)
    header = {"version": FORMAT_VERSION, "model": payload["key"], "update": update,
              "conditions": [[c, v] for c, v in conds], "fixed_all": fixed_all, "nodes": nodes, "kinds": kinds,
              "order": order, "max_states": max_states}
    done_rows: list[Row] = []
    journal = None
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        jpath = out_dir / JOURNAL
        if not restart:
            done_rows = read_journal(jpath, header)
        journal = Journal(jpath, header, fresh=restart or not done_rows and not jpath.exists())
    done = {(r["perturbation"], r["condition"]) for r in done_rows}
    tasks = []
    for p in perts:
        todo = [(c, v) for c, v in conds if (p.label, c) not in done]
        if todo:
            tasks.append({"label": p.label, "values": p.fixed, "conditions": todo, "update": update,
                          "fixed_all": fixed_all, "max_states": max_states})
    new_rows: list[Row] = []
    last_flush = time.monotonic()
    flush_every = 2.0
    finished = len(perts) - len(tasks)

    def collect(rows: list[Row]) -> None:  # the rows of one task
        nonlocal last_flush, flush_every, finished
        new_rows.extend(rows)
        finished += 1
        if journal is not None and out_dir is not None:
            journal.write(rows)
            if time.monotonic() - last_flush > flush_every:
                t = time.monotonic()
                _write_tables(out_dir, done_rows + new_rows, labels, meta, final=False)
                # keep the live CSV cheap: wait at least ten times as long as writing it took
                flush_every = max(2.0, 10 * (time.monotonic() - t))
                last_flush = time.monotonic()
        if progress is not None:
            progress(finished, len(perts))

    chunks = [tasks[i : i + max(1, chunk)] for i in range(0, len(tasks), max(1, chunk))]
    try:
        if scheduler:
            run_dask(scheduler, evaluate_tasks, payload, chunks, collect)
        elif workers == 1 or len(tasks) <= 1:
            run_serial(evaluate_tasks, payload, chunks, collect)
        else:
            run_local(workers, evaluate_tasks, payload, chunks, collect)
    finally:
        if journal is not None:
            journal.close()

    order_p = {p.label: i for i, p in enumerate(perts)}
    order_c = {c: i for i, (c, _) in enumerate(conds)}
    rows = sorted(done_rows + new_rows, key=lambda r: (order_p[r["perturbation"]], order_c[r["condition"]]))
    rows = add_changes(rows, labels, meta.targets)
    targets = rank_targets(rows, meta.targets) if meta.targets is not None else []
    files: list[Path] = []
    if out_dir is not None:
        files = _write_tables(out_dir, rows, labels, meta, final=True, targets=targets)
    return ScreenResult(model.name, update, tuple(c for c, _ in conds), len(perts), tuple(rows), tuple(targets),
                        tuple(files), computed=len(new_rows), resumed=len(done_rows),
                        seconds=time.perf_counter() - t0)


def _write_tables(out: Path, rows: list[Row], labels: Sequence[str], meta: Metadata, *, final: bool,
                  targets: Sequence[Row] = ()) -> list[Path]:
    files = [atomic_write_text(out / "screen.csv", rows_csv(rows))]
    if final:
        files.append(atomic_write_text(out / "screen.json", json.dumps({"rows": rows}, separators=(",", ":")) + "\n"))
        files.append(atomic_write_text(out / "targets.csv", rows_csv(list(targets))))
        if rows:
            files += plot_screen(rows, meta, out / "screen_heatmap")
        files.append(out / JOURNAL)
    return files
