"""Perturbation screens: every single and double perturbation × a set of conditions.

Rows are computed by local worker processes (``workers``) or on a Dask cluster
(``scheduler="tcp://host:port"``), written to a journal as they come, and
summarised in a tidy table, a heatmap and a ranked list of candidate
therapeutic targets. The final table is sorted and does not depend on the
number of workers or the backend. A screen interrupted and run again with the
same output folder resumes: rows already in the journal are not recomputed.

Examples
--------
>>> from logicmodel.model import load_model
>>> from logicmodel.screen import screen
>>> res = screen(load_model("osteoclastogenesis"), nodes=["OPG", "RANKL"], order=1,
...              conditions=["baseline", "estrogen_deficiency"])
>>> [(r["perturbation"], r["condition"], r["phenotype"]) for r in res.rows if r["perturbation"] == "RANKL=KO"]
[('RANKL=KO', 'baseline', 'quiescent'), ('RANKL=KO', 'estrogen_deficiency', 'quiescent')]
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .attractors import DEFAULT_MAX_STATES, attractors
from .conditions import phenotype_summary
from .errors import LogicModelError, MetadataError, PerturbationError
from .io._files import atomic_write_text, rows_csv
from .perturbations import Perturbation

__all__ = ["ScreenResult", "screen", "enumerate_perturbations", "rank_targets", "KINDS"]

logger = logging.getLogger(__name__)

#: Which perturbations a screen makes of each node.
KINDS = {"ko": (0,), "oe": (1,), "both": (0, 1)}
JOURNAL = "screen.jsonl"
FORMAT_VERSION = 1


def enumerate_perturbations(nodes: Sequence[str], kinds: str = "ko", order: int = 2,
                            constants: "dict[str, int] | None" = None) -> list[Perturbation]:
    """The unperturbed network, then every single, then every double perturbation.

    A node is never perturbed twice in one combination, and a node whose rule is
    already the constant a perturbation would set (``constants``) is not perturbed
    that way (it would change nothing).
    """
    if kinds not in KINDS:
        raise PerturbationError(f"unknown kind {kinds!r}; choose one of {', '.join(KINDS)}")
    if order not in (1, 2):
        raise PerturbationError("order must be 1 (single perturbations) or 2 (singles and doubles)")
    constants = constants or {}
    singles = [(n, v) for n in nodes for v in KINDS[kinds] if constants.get(n) != v]
    out = [Perturbation(())] + [Perturbation((s,)) for s in singles]
    if order == 2:
        out += [Perturbation((a, b)) for a, b in itertools.combinations(singles, 2) if a[0] != b[0]]
    return out


# ----------------------------------------------------------------------------- worker side
_WORKER_CACHE: dict[str, Any] = {}


def _model_from_payload(payload: dict[str, Any]):
    key = payload["key"]
    model = _WORKER_CACHE.get(key)
    if model is None:
        from .io.bnet import from_bnet
        from .metadata import parse_metadata
        from .model import Model

        net = from_bnet(payload["bnet"], name=payload["name"], source=payload["source"])
        meta = parse_metadata(payload["meta"], net, source=payload["meta_source"]) if payload["meta"] else None
        model = Model(net, meta)
        _WORKER_CACHE.clear()
        _WORKER_CACHE[key] = model
    return model


def _evaluate(payload: dict[str, Any], task: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for one perturbation under the given conditions (runs in a worker)."""
    model = _model_from_payload(payload)
    meta = model.metadata
    labels = list(meta.labels) if meta is not None else ["attractor"]
    pert = dict(task["fixed_all"])
    pert.update(task["values"])
    grouped: "dict[tuple, list] | None" = None
    free_inputs: list[str] = []
    if len(task["conditions"]) > 16:
        # Many input combinations: one search with the inputs left free splits over all of
        # them at once (shared percolation and memoised subspaces), then rows are read off.
        res = attractors(model.network, task["update"], pert, max_states=task["max_states"])
        free_inputs = [n for n in meta.inputs if n not in pert]
        grouped = {}
        for a in res:
            grouped.setdefault(tuple(a.fixed[n] for n in free_inputs), []).append(a)
    rows = []
    for cname, cvalues in task["conditions"]:
        if grouped is not None:
            atts = grouped.get(tuple(cvalues[n] for n in free_inputs), [])
        else:
            fixed = dict(cvalues)
            fixed.update(pert)
            atts = list(attractors(model.network, task["update"], fixed, max_states=task["max_states"]).attractors)
        counts = {lab: 0 for lab in labels}
        for a in atts:
            lab = meta.classify(a) if meta is not None else "attractor"
            counts[lab] = counts.get(lab, 0) + 1
        n = len(atts)
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


def _evaluate_many(payload: dict[str, Any], tasks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [_evaluate(payload, t) for t in tasks]


def _evaluate_with_cache(tasks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    payload = next(iter(_WORKER_PAYLOAD.values()))
    return _evaluate_many(payload, tasks)


def _chunks(tasks: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [tasks[i : i + size] for i in range(0, len(tasks), max(1, size))]


_WORKER_PAYLOAD: dict[str, Any] = {}


def _init_pool(payload: dict[str, Any]) -> None:
    _WORKER_PAYLOAD.clear()
    _WORKER_PAYLOAD[payload["key"]] = payload
    _model_from_payload(payload)


# ----------------------------------------------------------------------------- results
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
        Perturbations that switch a pathological condition from resorbing to quiescent, ranked.
    files : tuple of Path
        What was written (empty without an output folder).
    computed, resumed : int
        Rows computed in this run, and rows taken from an earlier run's journal.
    """

    model: str
    update: str
    conditions: tuple[str, ...]
    perturbations: int
    rows: tuple[dict[str, Any], ...]
    targets: tuple[dict[str, Any], ...]
    files: tuple[Path, ...] = ()
    computed: int = 0
    resumed: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_csv(self) -> str:
        return rows_csv(self.rows)


def _add_changes(rows: list[dict[str, Any]], labels: Sequence[str]) -> list[dict[str, Any]]:
    base = {(r["condition"], r["update"]): r for r in rows if r["perturbation"] == "none"}
    head = ["perturbation", "order", "nodes", "values", "condition", "update", "attractors", "phenotype"]
    head += [f"share_{lab}" for lab in labels]
    out = []
    for r in rows:
        b = base.get((r["condition"], r["update"]))
        r = {k: r[k] for k in head if k in r} | {k: v for k, v in r.items() if k not in head}
        if b is not None:
            r["base_phenotype"] = b["phenotype"]
            r["changed"] = r["phenotype"] != b["phenotype"] or any(
                r[f"share_{lab}"] != b[f"share_{lab}"] for lab in labels)
            r["delta_share_resorbing"] = round(r.get("share_resorbing", 0.0) - b.get("share_resorbing", 0.0), 6)
        out.append(r)
    return out


def rank_targets(rows: Sequence[dict[str, Any]], *, pathological: str = "resorbing",
                 healthy: str = "quiescent") -> list[dict[str, Any]]:
    """Perturbations that turn pathological conditions (base has ``pathological`` attractors) fully ``healthy``.

    Ranked by the number of pathological conditions rescued (more first), then by
    the number of nodes perturbed (fewer first), then by label.
    """
    base = {r["condition"]: r for r in rows if r["perturbation"] == "none"}
    patho = [c for c, r in base.items() if r.get(f"share_{pathological}", 0) > 0]
    by_pert: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["perturbation"] != "none":
            by_pert.setdefault(r["perturbation"], []).append(r)
    rescues: dict[str, set[str]] = {}
    out = []
    for label, rs in by_pert.items():
        rescued = [r["condition"] for r in rs if r["condition"] in patho and r.get(f"share_{healthy}", 0) == 1.0]
        rescues[label] = set(rescued)
        if not rescued:
            continue
        harmed = [r["condition"] for r in rs if r["condition"] not in patho and r.get(f"share_{pathological}", 0) > 0]
        out.append({
            "perturbation": label,
            "order": rs[0]["order"],
            "rescued": len(rescued),
            "pathological_conditions": len(patho),
            "rescued_conditions": ";".join(rescued),
            "harms_conditions": ";".join(harmed),
            "redundant_with": "",
        })
    for t in out:  # a combination is redundant when one of its parts alone rescues as much
        if t["order"] > 1:
            parts = t["perturbation"].split("+")
            same = [p for p in parts if rescues.get(p, set()) >= set(t["rescued_conditions"].split(";"))]
            t["redundant_with"] = ";".join(same)
    out.sort(key=lambda t: (-t["rescued"], t["redundant_with"] != "", t["harms_conditions"] != "", t["order"],
                            t["perturbation"]))
    for i, t in enumerate(out, 1):
        t["rank"] = i
    return out


# ----------------------------------------------------------------------------- journal (resume)
def _read_journal(path: Path, header: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of an earlier run with the same parameters; a torn last line is dropped (and trimmed)."""
    if not path.exists():
        return []
    rows, good_bytes = [], 0
    with open(path, "rb") as fh:
        data = fh.read()
    lines = data.split(b"\n")
    for i, line in enumerate(lines):
        if not line.strip():
            good_bytes += len(line) + (1 if i < len(lines) - 1 else 0)
            continue
        if i == len(lines) - 1:  # no newline at the end: torn write
            break
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            break
        if i == 0:
            if doc.get("header") != header:
                raise LogicModelError(
                    f"{path} holds a screen with other parameters; use another --out folder or --restart")
        else:
            rows.append(doc)
        good_bytes += len(line) + 1
    if good_bytes < len(data):
        with open(path, "r+b") as fh:
            fh.truncate(good_bytes)
    return rows


class _Journal:
    def __init__(self, path: Path, header: dict[str, Any], fresh: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh or not path.exists():
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"header": header}, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        self.fh = open(path, "a", encoding="utf-8")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
        self.fh.write(text)
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


# ----------------------------------------------------------------------------- the screen
def _conditions(model, spec) -> list[tuple[str, dict[str, int]]]:
    from .validation import condition_values

    meta = model.metadata
    if meta is None:
        raise MetadataError("a screen needs a model with metadata (inputs and phenotypes)", source=str(model.path))
    if isinstance(spec, str):
        if spec not in ("named", "all"):
            spec = [spec]
    return condition_values(meta, spec)


def _payload(model) -> dict[str, Any]:
    bnet = model.network.to_bnet()
    meta_raw = model.metadata.raw if model.metadata is not None else None
    key = hashlib.sha256((bnet + json.dumps(meta_raw, sort_keys=True, default=str)).encode()).hexdigest()
    return {"key": key, "bnet": bnet, "name": model.name, "source": model.network.source, "meta": meta_raw,
            "meta_source": model.metadata.source if model.metadata is not None else ""}


def screen(
    model,
    *,
    nodes: Sequence[str] | None = None,
    kinds: str = "ko",
    order: int = 2,
    conditions: "str | Sequence[str | dict[str, int]]" = "named",
    interventions: Sequence[str] = (),
    update: str = "asynchronous",
    workers: int = 1,
    scheduler: str | None = None,
    out: "str | os.PathLike[str] | None" = None,
    restart: bool = False,
    progress: bool = False,
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
    """
    from .dynamics import get_update_mode

    t0 = time.perf_counter()
    get_update_mode(update)
    net = model.network
    meta = model.metadata
    conds = _conditions(model, conditions)
    fixed_all: dict[str, int] = {}
    for iv in interventions:
        if meta is None:
            raise MetadataError("interventions need metadata", source=str(model.path))
        fixed_all.update(meta.intervention(iv).values)
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
        raise PerturbationError("workers must be at least 1")
    perts = enumerate_perturbations(nodes, kinds, order, constants=net.constants)
    labels = list(meta.labels)
    header = {"version": FORMAT_VERSION, "model": _payload(model)["key"], "update": update,
              "conditions": [[c, v] for c, v in conds], "fixed_all": fixed_all, "nodes": nodes, "kinds": kinds,
              "order": order, "max_states": max_states}
    done_rows: list[dict[str, Any]] = []
    journal = None
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        jpath = out_dir / JOURNAL
        if not restart:
            done_rows = _read_journal(jpath, header)
        journal = _Journal(jpath, header, fresh=restart or not done_rows and not jpath.exists())
    done = {(r["perturbation"], r["condition"]) for r in done_rows}
    tasks = []
    for p in perts:
        todo = [(c, v) for c, v in conds if (p.label, c) not in done]
        if todo:
            tasks.append({"label": p.label, "values": p.fixed, "conditions": todo, "update": update,
                          "fixed_all": fixed_all, "max_states": max_states})
    payload = _payload(model)
    new_rows: list[dict[str, Any]] = []
    bar = _progress(len(tasks), progress, resumed=len(perts) - len(tasks))
    last_flush = time.monotonic()

    flush_every = 2.0

    def collect(rows: list[dict[str, Any]]) -> None:
        nonlocal last_flush, flush_every
        new_rows.extend(rows)
        if journal is not None and out_dir is not None:
            journal.write(rows)
            if time.monotonic() - last_flush > flush_every:
                t = time.monotonic()
                _write_tables(out_dir, done_rows + new_rows, labels, final=False)
                # keep the live CSV cheap: wait at least ten times as long as writing it took
                flush_every = max(2.0, 10 * (time.monotonic() - t))
                last_flush = time.monotonic()
        bar.update(1)

    try:
        if scheduler:
            _run_dask(scheduler, payload, _chunks(tasks, chunk), collect)
        elif workers == 1 or len(tasks) <= 1:
            for task in tasks:
                collect(_evaluate(payload, task))
        else:
            _run_local(workers, payload, _chunks(tasks, chunk), collect)
    finally:
        bar.close()
        if journal is not None:
            journal.close()

    order_p = {p.label: i for i, p in enumerate(perts)}
    order_c = {c: i for i, (c, _) in enumerate(conds)}
    rows = sorted(done_rows + new_rows, key=lambda r: (order_p[r["perturbation"]], order_c[r["condition"]]))
    rows = _add_changes(rows, labels)
    targets = rank_targets(rows)
    files: list[Path] = []
    if out_dir is not None:
        files = _write_tables(out_dir, rows, labels, final=True, targets=targets, model=model)
    return ScreenResult(model.name, update, tuple(c for c, _ in conds), len(perts), tuple(rows), tuple(targets),
                        tuple(files), computed=len(new_rows), resumed=len(done_rows),
                        seconds=time.perf_counter() - t0)


def _write_tables(out: Path, rows: list[dict[str, Any]], labels: Sequence[str], *, final: bool,
                  targets: Sequence[dict[str, Any]] = (), model=None) -> list[Path]:
    files = [atomic_write_text(out / "screen.csv", rows_csv(rows))]
    if final:
        files.append(atomic_write_text(out / "screen.json", json.dumps({"rows": rows}, separators=(",", ":")) + "\n"))
        files.append(atomic_write_text(out / "targets.csv", rows_csv(list(targets))))
        if model is not None and rows:
            from .figures import plot_screen

            files += plot_screen(rows, model.metadata, out / "screen_heatmap")
        files.append(out / JOURNAL)
    return files


def _run_local(workers: int, payload: dict[str, Any], chunks: list[list[dict[str, Any]]], collect) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_pool,
                             initargs=(payload,)) as pool:
        futures = [pool.submit(_evaluate_with_cache, c) for c in chunks]
        try:
            for fut in as_completed(futures):
                for rows in fut.result():
                    collect(rows)
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _run_dask(address: str, payload: dict[str, Any], chunks: list[list[dict[str, Any]]], collect) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover
        raise LogicModelError("--scheduler needs dask.distributed: pip install 'logicmodel[dask]'") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise LogicModelError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    try:
        [remote] = client.scatter([payload], broadcast=True)
        futures = [client.submit(_evaluate_many, remote, c, pure=False) for c in chunks]
        try:
            for fut in as_completed(futures):
                for rows in fut.result():
                    collect(rows)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool, resumed: int = 0):
    if not enabled or not sys.stderr.isatty():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return _NoBar()
    desc = f"screen ({resumed} resumed)" if resumed else "screen"
    return tqdm(total=total, unit="pert", desc=desc, file=sys.stderr, dynamic_ncols=True)
