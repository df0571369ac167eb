"""Throughput of the full double-knockout screen of the bundled model over its named conditions.

Runs, each in a fresh process and repeated (median), the screen with 1 and 2 local workers and on a
dask.distributed LocalCluster (2 worker processes, started inside that process; start-up excluded from
the compute time, included in the wall time), and prints a Markdown table with perturbations per second.

    python benchmarks/screen.py [--repeat 3] [--kinds ko] [--conditions named]

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent


def worker(backend: str, kinds: str, conditions: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from logicmodel import load_model
    from logicmodel.screen import screen

    model = load_model("osteoclastogenesis")
    kwargs = dict(kinds=kinds, order=2, conditions=conditions, out=tempfile.mkdtemp())
    if backend == "dask":
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            t0 = time.perf_counter()
            res = screen(model, scheduler=cluster.scheduler_address, **kwargs)
            dt = time.perf_counter() - t0
    else:
        t0 = time.perf_counter()
        res = screen(model, workers=int(backend), **kwargs)
        dt = time.perf_counter() - t0
    return {"perturbations": res.perturbations, "rows": len(res.rows), "compute_s": dt,
            "targets": len(res.targets)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--kinds", default="ko")
    ap.add_argument("--conditions", default="named")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    print(f"# Screen throughput: {args.kinds} singles + doubles × {args.conditions} conditions, "
          f"median of {args.repeat} fresh processes\n")
    print("| backend | perturbations | rows | compute | wall | perturbations/s (compute) |")
    print("|---|---|---|---|---|---|")
    for backend, label in (("1", "1 local worker"), ("2", "2 local workers"), ("dask", "dask LocalCluster (2 procs)")):
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, str(HERE), "--worker", backend, args.kinds, args.conditions],
                                 capture_output=True, text=True, check=True).stdout
            doc = json.loads(out.strip().splitlines()[-1])
            doc["wall_s"] = time.perf_counter() - t0
            runs.append(doc)
        c = statistics.median(r["compute_s"] for r in runs)
        w = statistics.median(r["wall_s"] for r in runs)
        print(f"| {label} | {runs[0]['perturbations']} | {runs[0]['rows']} | {c:.2f} s | {w:.2f} s | "
              f"{runs[0]['perturbations'] / c:.0f} |", flush=True)


if __name__ == "__main__":
    main()
