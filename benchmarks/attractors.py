"""Exact asynchronous attractors: logicmodel vs biodivine AEON (and mpbn / pyboolnet for reference).

Measured as ../shared/BENCHMARKING.md says: each (tool, model, repeat) in a fresh process; two figures
per run (compute time inside the process, from a loaded network to the result, and whole-process wall
time); the median over repeats; peak memory of the child (VmHWM); a per-model time limit reported as "timeout";
answers compared before times (same number of attractors, same sizes); the ratio ours/AEON per model
with its median, geometric mean and worst (largest) value.

    python benchmarks/attractors.py                      # pyboolnet repository models that fit the cap
    python benchmarks/attractors.py --all --tools ours,aeon,mpbn,pyboolnet-trap
    python benchmarks/attractors.py --models raf,irons_yeast --repeat 5
    python benchmarks/attractors.py --generated          # the generated corpus (benchmarks/generated.py)
    python benchmarks/attractors.py --generated --models inputs_k13_core8,random_n40

Both tools are asked what a user asks: every attractor (``lm.attractors(net)``, AEON's
``Attractors.attractors``). A refusal to list (more attractors than ``max_attractors``) is shown as
"refused" with the exact count, and counts against us where AEON answers. Models with more free inputs
than :data:`BY_INPUTS_ABOVE` hold more attractors than the default ``max_attractors`` lists, so they
are run by input combination: our ``attractor_families`` against AEON with ``inline_inputs()``; the count
is every attractor of every combination and sizes are not compared (jaoude_thdiff: 21 inputs, 6,063,664).

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, SHORT_REPEAT, SHORT_S, fmt_time, medians, peak_rss_mib, repository_dir, summary  # noqa: E402

HERE = Path(__file__).resolve()
DEFAULT_TOOLS = ("ours", "aeon")
#: Models with more free inputs than this have at least 2**19 attractors, more than the default
#: ``max_attractors`` (2**18) lists: both tools then run by input combination.
BY_INPUTS_ABOVE = 18
#: The issue's targets for the generated corpus (#17): worst and median ratio ours/AEON.
TARGET_WORST, TARGET_MEDIAN = 1.5, 0.5


# ----------------------------------------------------------------------------- workers (child process)
def _ours(path: str, limit: float) -> dict:
    sys.path.insert(0, str(ROOT))
    import logicmodel as lm
    import logicmodel.search.symbolic.space as symbolic  # the BDD library loads here, as AEON's does before its clock

    net = lm.read_bnet(path)
    symbolic.bdd_module()
    t0 = time.perf_counter()
    if len(net.inputs) > BY_INPUTS_ABOVE:
        fams = lm.attractor_families(net, time_limit=limit)
        return {"count": fams.total, "sizes": None, "compute_s": time.perf_counter() - t0,
                "note": "by input combination"}
    try:
        res = lm.attractors(net, "asynchronous", time_limit=limit)
    except lm.errors.TooLargeToListError:
        dt = time.perf_counter() - t0
        return {"count": lm.attractor_families(net).total, "sizes": None, "compute_s": dt, "refused": True}
    dt = time.perf_counter() - t0
    return {"count": len(res), "sizes": sorted(a.size for a in res), "compute_s": dt, "method": res.method_label}


def _aeon(path: str) -> dict:
    import biodivine_aeon as ba

    bn = ba.BooleanNetwork.from_file(path)
    t0 = time.perf_counter()
    if len(bn.inputs()) > BY_INPUTS_ABOVE:  # inputs as parameters: one colour set per family
        atts = ba.Attractors.attractors(ba.AsynchronousGraph(bn.inline_inputs()))
        dt = time.perf_counter() - t0
        return {"count": sum(int(a.colors().cardinality()) for a in atts), "sizes": None, "compute_s": dt,
                "note": "by input combination"}
    atts = ba.Attractors.attractors(ba.AsynchronousGraph(bn))
    sizes = sorted(int(a.vertices().cardinality()) for a in atts)
    return {"count": len(atts), "sizes": sizes, "compute_s": time.perf_counter() - t0}


def worker(tool: str, path: str) -> dict:
    """Run one tool on one model file; return what it found and the compute time."""
    if tool == "ours":
        return _ours(path, float(os.environ.get("LM_TIME_LIMIT", "600")))
    if tool == "aeon":
        return _aeon(path)
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


# ----------------------------------------------------------------------------- driver (parent process)
def _repository_models(names: list[str] | None, everything: bool) -> list[tuple[str, Path]]:
    import logicmodel as lm

    repo = repository_dir()
    found = sorted(p.name for p in repo.iterdir() if (p / f"{p.name}.bnet").is_file())
    if names:
        found = names
    elif not everything:  # those whose subspaces fit the default cap of the exhaustive search
        keep = []
        for n in found:
            try:
                lm.attractors(lm.read_bnet(repo / n / f"{n}.bnet"), method="exhaustive")
                keep.append(n)
            except lm.LogicModelError:
                pass
        found = keep
    return [(n, repo / n / f"{n}.bnet") for n in found]


def _generated_models(names: list[str] | None, directory: Path) -> list[tuple[str, Path]]:
    from generated import write_corpus

    paths = {p.stem: p for p in write_corpus(directory)}
    unknown = sorted(set(names or ()) - set(paths))
    if unknown:
        raise SystemExit(f"not in the generated corpus: {', '.join(unknown)} (it has {', '.join(paths)})")
    return [(n, p) for n, p in paths.items() if not names or n in names]


def _cell(r: dict) -> list[str]:
    if "timeout" in r:
        return ["timeout", "timeout", "—"]
    if "error" in r:
        return [f"error: {r['error']}", "—", "—"]
    time_s = fmt_time(r["compute_s"]) + (" (refused)" if r.get("refused") else "")
    return [time_s, fmt_time(r["wall_s"]), f"{r['rss_mib']:.0f}"]


def _count(results: dict) -> str:
    for r in results.values():
        if "count" in r:
            return f"{r['count']:,}"
    return "—"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs=2, metavar=("TOOL", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument("--models", help="comma-separated model names (default: those that fit, or all generated)")
    ap.add_argument("--all", action="store_true", help="every repository model, including the large ones")
    ap.add_argument("--generated", action="store_true",
                    help="the generated corpus (many inputs, long DNF rules, large networks) instead of pyboolnet's")
    ap.add_argument("--corpus-dir", type=Path, help="where the generated models are written (default: a temporary folder)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    args = ap.parse_args()
    if args.worker:
        doc = worker(*args.worker)
        doc["rss_mib"] = peak_rss_mib()
        print(json.dumps(doc))
        return

    tools = args.tools.split(",")
    sys.path.insert(0, str(ROOT))
    import logicmodel as lm

    names = args.models.split(",") if args.models else None
    with tempfile.TemporaryDirectory() as tmp:
        if args.generated:
            models = _generated_models(names, args.corpus_dir or Path(tmp))
            corpus = "the generated corpus (benchmarks/generated.py)"
        else:
            models = _repository_models(names, args.all)
            corpus = "pyboolnet's repository"
        print(f"# Exact asynchronous attractors on {corpus}: {', '.join(tools)}; median of {args.repeat} fresh "
              f"processes per tool, taking turns ({SHORT_REPEAT} where every tool takes under "
              f"{SHORT_S * 1000:.0f} ms), timeout {args.timeout:.0f} s\n")
        head = ["model", "nodes", "inputs", "attractors"]
        for t in tools:
            head += [f"{t} compute", f"{t} wall", f"{t} MiB"]
        compare = "ours" in tools and "aeon" in tools
        if compare:
            head += ["ours/aeon compute", "agree"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        ratios: list[float] = []
        refusals: list[str] = []
        for name, path in models:
            net = lm.read_bnet(path)
            results = medians(HERE, {t: [t, str(path)] for t in tools}, args.repeat, args.timeout)
            row = [name, str(len(net)), str(len(net.inputs)), _count(results)]
            for t in tools:
                row += _cell(results[t])
            if compare:
                a, b = results["ours"], results["aeon"]
                if a.get("refused") and "compute_s" in b:
                    refusals.append(name)
                if "compute_s" in a and "compute_s" in b and not a.get("refused"):
                    ratio = a["compute_s"] / b["compute_s"]
                    ratios.append(ratio)
                    agree = a["count"] == b["count"] and a["sizes"] == b["sizes"]
                    row += [f"{ratio:.2f}", "yes" if agree else "**NO**"]
                elif "compute_s" in a and "compute_s" not in b:
                    row += ["< 1 (AEON did not answer)", "—"]
                elif "compute_s" in b and "compute_s" not in a:
                    row += ["**ours did not answer**", "—"]
                else:
                    row += ["—", "—"]
            print("| " + " | ".join(row) + " |", flush=True)
    if compare:
        print("\n" + summary(ratios, "ours/aeon compute-time ratio"))
        if refusals:
            print(f"refused by us where AEON answered: {', '.join(refusals)}")
        if args.generated and ratios:
            import statistics

            worst, median = max(ratios), statistics.median(ratios)
            ok = worst <= TARGET_WORST and median <= TARGET_MEDIAN and not refusals
            print(f"target (#17): worst ≤ {TARGET_WORST}, median ≤ {TARGET_MEDIAN}, no refusal: "
                  f"{'met' if ok else 'NOT met'} (worst {worst:.2f}, median {median:.2f})")


if __name__ == "__main__":
    main()
