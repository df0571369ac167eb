"""Exact asynchronous attractors: logicmodel vs biodivine AEON (and mpbn / pyboolnet for reference).

Measured as ../shared/BENCHMARKING.md says: each (tool, model, repeat) in a fresh process; two figures
per run (compute time inside the process, from a loaded network to the result, and whole-process wall
time); the median over repeats; peak memory of the child (VmHWM); a per-model time limit reported as "timeout";
answers compared before times (same number of attractors, same sizes); the ratio ours/AEON per model
with its median and geometric mean.

    python benchmarks/attractors.py                      # pyboolnet repository models that fit the cap
    python benchmarks/attractors.py --all --tools ours,aeon,mpbn,pyboolnet-trap
    python benchmarks/attractors.py --models raf,irons_yeast --repeat 5

Models with more than 12 free inputs (jaoude_thdiff) are run by input combination: our
``attractor_families`` against AEON with ``inline_inputs()``; the count is every attractor of every
combination and sizes are not compared.

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
DEFAULT_TOOLS = ("ours", "aeon")
#: Models with more free inputs than this (2**12 = 4096 combinations, the default split limit) are run by
#: input combination: ours with ``attractor_families``, AEON with the inputs inlined as parameters; both
#: count every attractor of every combination (jaoude_thdiff: 21 inputs, 6,063,664 attractors).
BY_INPUTS_ABOVE = 12


def _repository_dir() -> Path:
    sys.path.insert(0, str(ROOT))
    from logicmodel.compat import quiet_import

    rep = quiet_import("pyboolnet.repository")
    return Path(os.path.dirname(rep.__file__))


# ----------------------------------------------------------------------------- workers (child process)
def worker(tool: str, path: str) -> dict:
    """Run one tool on one model file; return what it found and the compute time."""
    if tool == "ours":
        sys.path.insert(0, str(ROOT))
        import logicmodel as lm
        import logicmodel.search.symbolic.space as symbolic  # the BDD library loads here, as AEON's does before its clock

        net = lm.read_bnet(path)
        symbolic.bdd_module()
        limit = float(os.environ.get("LM_TIME_LIMIT", "600"))
        t0 = time.perf_counter()
        if len(net.inputs) > BY_INPUTS_ABOVE:
            fams = lm.attractor_families(net, time_limit=limit)
            dt = time.perf_counter() - t0
            return {"count": fams.total, "sizes": None, "compute_s": dt, "note": "by input combination"}
        res = lm.attractors(net, "asynchronous", time_limit=limit)
        dt = time.perf_counter() - t0
        return {"count": len(res), "sizes": sorted(a.size for a in res), "compute_s": dt, "method": res.method_label}
    if tool == "aeon":
        import biodivine_aeon as ba

        bn = ba.BooleanNetwork.from_file(path)
        t0 = time.perf_counter()
        if len(bn.inputs()) > BY_INPUTS_ABOVE:  # inputs as parameters: one colour set per family
            graph = ba.AsynchronousGraph(bn.inline_inputs())
            atts = ba.Attractors.attractors(graph)
            dt = time.perf_counter() - t0
            return {"count": sum(int(a.colors().cardinality()) for a in atts), "sizes": None, "compute_s": dt,
                    "note": "by input combination"}
        graph = ba.AsynchronousGraph(bn)
        atts = ba.Attractors.attractors(graph)
        sizes = sorted(int(a.vertices().cardinality()) for a in atts)
        dt = time.perf_counter() - t0
        return {"count": len(atts), "sizes": sizes, "compute_s": dt}
    if tool == "mpbn":
        import mpbn

        bn = mpbn.MPBooleanNetwork(path)
        t0 = time.perf_counter()
        atts = list(bn.attractors())
        dt = time.perf_counter() - t0
        return {"count": len(atts), "sizes": None, "compute_s": dt, "note": "most-permissive (trap spaces)"}
    if tool == "pyboolnet-trap":
        sys.path.insert(0, str(ROOT))
        from logicmodel.compat import quiet_import

        fe = quiet_import("pyboolnet.file_exchange")
        ts = quiet_import("pyboolnet.trap_spaces")
        primes = fe.bnet2primes(path)
        t0 = time.perf_counter()
        spaces = ts.compute_trap_spaces(primes, "min")
        dt = time.perf_counter() - t0
        return {"count": len(spaces), "sizes": None, "compute_s": dt, "note": "minimal trap spaces"}
    raise SystemExit(f"unknown tool {tool!r}")


def _peak_rss_mib() -> float:
    """This process's peak resident memory since exec (VmHWM; ru_maxrss would include the parent's at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ----------------------------------------------------------------------------- driver (parent process)
def measure(tool: str, path: Path, timeout: float) -> dict:
    """One fresh process: wall time, peak memory (KiB) and the worker's answer."""
    t0 = time.perf_counter()
    env = {**os.environ, "LM_TIME_LIMIT": str(timeout)}
    proc = subprocess.Popen([sys.executable, str(HERE), "--worker", tool, str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return {"timeout": True}
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    out = proc.stdout.read()
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": (err.strip().splitlines() or ["failed"])[-1][:80]}
    doc = json.loads(out.strip().splitlines()[-1])
    doc["wall_s"] = wall
    return doc


def fmt_time(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs=2, metavar=("TOOL", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument("--models", help="comma-separated pyboolnet repository names (default: those that fit)")
    ap.add_argument("--all", action="store_true", help="every repository model, including the large ones")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    args = ap.parse_args()
    if args.worker:
        doc = worker(*args.worker)
        doc["rss_mib"] = _peak_rss_mib()
        print(json.dumps(doc))
        return

    tools = args.tools.split(",")
    repo = _repository_dir()
    sys.path.insert(0, str(ROOT))
    import logicmodel as lm

    names = sorted(p.name for p in repo.iterdir() if (p / f"{p.name}.bnet").is_file())
    if args.models:
        names = args.models.split(",")
    elif not args.all:  # those whose subspaces fit the default cap of the exhaustive search
        keep = []
        for n in names:
            try:
                lm.attractors(lm.read_bnet(repo / n / f"{n}.bnet"), method="exhaustive")
                keep.append(n)
            except lm.LogicModelError:
                pass
        names = keep

    print(f"# Exact asynchronous attractors, {', '.join(tools)}; median of {args.repeat} fresh processes, "
          f"timeout {args.timeout:.0f} s\n")
    head = ["model", "nodes", "attractors"]
    for t in tools:
        head += [f"{t} compute", f"{t} wall", f"{t} MiB"]
    if "ours" in tools and "aeon" in tools:
        head += ["ours/aeon compute", "agree"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    ratios = []
    for name in names:
        path = repo / name / f"{name}.bnet"
        nodes = len(lm.read_bnet(path))
        results = {}
        for t in tools:
            runs = [measure(t, path, args.timeout)]
            if "compute_s" in runs[0]:  # a timeout or an error is not repeated
                runs += [measure(t, path, args.timeout) for _ in range(args.repeat - 1)]
            ok = [r for r in runs if "compute_s" in r]
            if not ok:
                results[t] = runs[0]
                continue
            results[t] = {
                "compute_s": statistics.median(r["compute_s"] for r in ok),
                "wall_s": statistics.median(r["wall_s"] for r in ok),
                "rss_mib": max(r["rss_mib"] for r in ok),
                "count": ok[0]["count"],
                "sizes": ok[0]["sizes"],
            }
        ref = results.get("ours", {})
        row = [name, str(nodes), str(ref.get("count", "—"))]
        for t in tools:
            r = results[t]
            if "timeout" in r:
                row += ["timeout", "timeout", "—"]
            elif "error" in r:
                row += [f"error: {r['error']}", "—", "—"]
            else:
                row += [fmt_time(r["compute_s"]), fmt_time(r["wall_s"]), f"{r['rss_mib']:.0f}"]
        if "ours" in tools and "aeon" in tools:
            a, b = results["ours"], results["aeon"]
            if "compute_s" in a and "compute_s" in b:
                ratio = a["compute_s"] / b["compute_s"]
                ratios.append(ratio)
                agree = a["count"] == b["count"] and a["sizes"] == b["sizes"]
                row += [f"{ratio:.2f}", "yes" if agree else "**NO**"]
            else:
                row += ["—", "—"]
        print("| " + " | ".join(row) + " |", flush=True)
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"\nours/aeon compute-time ratio over {len(ratios)} models: median {statistics.median(ratios):.2f}, "
              f"geometric mean {geo:.2f}, max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
