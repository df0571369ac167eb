"""Minimal and maximal trap spaces: logicmodel vs pyboolnet, biodivine AEON and mpbn.

Measured as ../shared/BENCHMARKING.md says: each (tool, model, kind) in a fresh process, the compute time
inside it (from a loaded network, or pyboolnet's primes, to the list of trap spaces) and the whole-process
wall time, median of ``--repeat`` (default 3), peak memory; a per-run time limit reported as "timeout";
the counts compared before the times; per model the ratio ours / the fastest peer, and its median and
geometric mean over the corpus.

    python benchmarks/trapspaces.py --all --tools ours,pyboolnet,aeon,mpbn
    python benchmarks/trapspaces.py --models raf,grieco_mapk --kinds min

Peers: pyboolnet ``compute_trap_spaces(primes, kind)`` (primes computed before the clock); AEON
``TrapSpaces.minimal_symbolic`` (minimal only: AEON 1.x has no maximal trap spaces that exclude the whole
space); mpbn ``MPBooleanNetwork.attractors()`` (the most-permissive attractors = the minimal trap spaces).
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, SHORT_REPEAT, SHORT_S, fmt_time, medians, peak_rss_mib, repository_dir, summary  # noqa: E402

HERE = Path(__file__).resolve()
TOOLS = ("ours", "pyboolnet", "aeon", "mpbn")


def worker(tool: str, kind: str, path: str) -> dict:
    """Run one tool on one model file for one kind; return the count and the compute time."""
    if tool == "ours":
        sys.path.insert(0, str(ROOT))
        import clingo  # noqa: F401  the solver library loads before the clock, as the peers' libraries do

        import logicmodel as lm

        net = lm.read_bnet(path)
        trap_spaces = lm.trap_spaces  # the package loads before the clock
        t0 = time.perf_counter()
        res = trap_spaces(net, kind, max_spaces=10_000_000)
        return {"count": len(res), "compute_s": time.perf_counter() - t0}
    if tool == "pyboolnet":
        sys.path.insert(0, str(ROOT))
        from logicmodel.compat import quiet_import

        fe = quiet_import("pyboolnet.file_exchange")
        ts = quiet_import("pyboolnet.trap_spaces")
        primes = fe.bnet2primes(path)
        t0 = time.perf_counter()
        spaces = ts.compute_trap_spaces(primes, kind, max_output=10_000_000)
        return {"count": len(spaces), "compute_s": time.perf_counter() - t0}
    if tool == "aeon":
        import biodivine_aeon as ba

        if kind != "min":
            return {"unsupported": True}
        bn = ba.BooleanNetwork.from_file(path)
        t0 = time.perf_counter()
        ctx = ba.SymbolicSpaceContext(bn)
        spaces = ba.TrapSpaces.minimal_symbolic(ctx, ba.AsynchronousGraph(bn, ctx))
        return {"count": int(spaces.cardinality()), "compute_s": time.perf_counter() - t0}
    if tool == "mpbn":
        import mpbn

        if kind != "min":
            return {"unsupported": True}
        bn = mpbn.MPBooleanNetwork(path)
        t0 = time.perf_counter()
        count = sum(1 for _ in bn.attractors())
        return {"count": count, "compute_s": time.perf_counter() - t0}
    raise SystemExit(f"unknown tool {tool!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs=3, metavar=("TOOL", "KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--kinds", default="min,max")
    ap.add_argument("--models", help="comma-separated pyboolnet repository names (default: all)")
    ap.add_argument("--all", action="store_true", help="every repository model (the default without --models)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    args = ap.parse_args()
    if args.worker:
        doc = worker(*args.worker)
        doc["rss_mib"] = peak_rss_mib()
        print(json.dumps(doc))
        return
    tools = args.tools.split(",")
    repo = repository_dir()
    names = args.models.split(",") if args.models else sorted(
        p.name for p in repo.iterdir() if (p / f"{p.name}.bnet").is_file())
    print(f"# Trap spaces, {', '.join(tools)}; compute time, median of {args.repeat} fresh processes per tool, taking turns "
          f"({SHORT_REPEAT} where every tool takes under {SHORT_S * 1000:.0f} ms), timeout {args.timeout:.0f} s\n")
    for kind in args.kinds.split(","):
        print(f"## {kind} trap spaces\n")
        head = ["model", "trap spaces"] + [f"{t}" for t in tools] + ["ours/best peer", "agree"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        ratios: list[float] = []
        slowest = 0.0
        for name in names:
            path = str(repo / name / f"{name}.bnet")
            res = medians(HERE, {t: [t, kind, path] for t in tools}, args.repeat, args.timeout)
            cells, counts = [], set()
            for t in tools:
                r = res[t]
                if "compute_s" in r:
                    cells.append(fmt_time(r["compute_s"]))
                    counts.add(r["count"])
                else:
                    cells.append("n/a" if r.get("unsupported") else "timeout" if r.get("timeout")
                                 else f"error: {r.get('error')}")
            ours = res.get("ours", {})
            peers = [res[t]["compute_s"] for t in tools if t != "ours" and "compute_s" in res[t]]
            if "compute_s" in ours:
                slowest = max(slowest, ours["compute_s"])
            ratio = "—"
            if "compute_s" in ours and peers:
                ratios.append(ours["compute_s"] / min(peers))
                ratio = f"{ratios[-1]:.2f}"
            row = [name, str(ours.get("count", "—"))] + cells + [ratio, "yes" if len(counts) <= 1 else "**NO**"]
            print("| " + " | ".join(row) + " |", flush=True)
        print(f"\n{summary(ratios, f'ours / fastest peer, {kind}')}; slowest of ours: {fmt_time(slowest)}\n")


if __name__ == "__main__":
    main()
