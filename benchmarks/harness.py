"""What the benchmarks share: a fresh child process per measurement, its wall time and peak memory, the
worker's JSON answer, the corpus, and the ratio summary (../shared/BENCHMARKING.md)."""
from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def repository_dir() -> Path:
    """pyboolnet's model repository (the corpus every benchmark runs)."""
    sys.path.insert(0, str(ROOT))
    from logicmodel.compat import quiet_import

    rep = quiet_import("pyboolnet.repository")
    return Path(os.path.dirname(rep.__file__))


def peak_rss_mib() -> float:
    """This process's peak resident memory since exec (VmHWM; ru_maxrss would include the parent's at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(script: Path, args: list[str], timeout: float) -> dict:
    """Run ``script --worker ARGS`` in a fresh process: its JSON answer (last stdout line), wall time and
    peak memory; ``{"timeout": True}`` past ``timeout`` seconds, ``{"error": ...}`` when it fails.

    The child writes to temporary files, not pipes: an answer larger than a pipe's buffer would block
    it until the parent reads, which it does only after the child ends."""
    env = {**os.environ, "LM_TIME_LIMIT": str(timeout)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script), "--worker", *args], stdout=out, stderr=err,
                                text=True, env=env)
        deadline = t0 + timeout
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"timeout": True}
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        answer, problem = out.read(), err.read()
    if proc.returncode != 0:
        return {"error": (problem.strip().splitlines() or ["failed"])[-1][:80]}
    doc = json.loads(answer.strip().splitlines()[-1])
    doc["wall_s"] = wall
    return doc


#: Runs whose median compute time is under :data:`SHORT_S` are repeated until :data:`SHORT_REPEAT` runs:
#: a fresh process's first call of a millisecond varies by ±40 % from run to run, so 3 runs do not settle
#: its median (each extra run costs well under a second).
SHORT_S, SHORT_REPEAT = 0.01, 9


def _median_run(runs: list[dict]) -> dict:
    ok = [r for r in runs if "compute_s" in r]
    if not ok:
        return runs[0]
    return {**ok[0], "compute_s": statistics.median(r["compute_s"] for r in ok),
            "wall_s": statistics.median(r["wall_s"] for r in ok), "rss_mib": max(r["rss_mib"] for r in ok),
            "runs": len(ok)}


def medians(script: Path, jobs: dict[str, list[str]], repeat: int, timeout: float) -> dict[str, dict]:
    """Per job (a name → the worker's arguments): the median over ``repeat`` fresh processes, the jobs
    taking turns run by run, so that a slow spell of the machine falls on every tool alike.

    A job that times out or fails is not repeated. When every job's median is under :data:`SHORT_S`,
    the rounds go on to :data:`SHORT_REPEAT`.
    """
    runs: dict[str, list[dict]] = {name: [] for name in jobs}

    def live() -> list[str]:
        return [n for n in jobs if not runs[n] or "compute_s" in runs[n][-1]]

    def short() -> bool:
        medians = [_median_run(r).get("compute_s") for r in runs.values()]
        return all(m is not None and m < SHORT_S for m in medians)

    rounds = 0
    while live() and (rounds < repeat or (rounds < SHORT_REPEAT and short())):
        for name in live():
            runs[name].append(measure(script, jobs[name], timeout))
        rounds += 1
    return {name: _median_run(r) for name, r in runs.items()}


def fmt_time(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def summary(ratios: list[float], what: str) -> str:
    if not ratios:
        return f"{what}: no model to compare"
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    return (f"{what} over {len(ratios)} models: median {statistics.median(ratios):.2f}, "
            f"geometric mean {geo:.2f}, max {max(ratios):.2f}")
