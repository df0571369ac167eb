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


def median_of(script: Path, args: list[str], repeat: int, timeout: float) -> dict:
    """The median over ``repeat`` fresh processes (a timeout or an error is not repeated)."""
    runs = [measure(script, args, timeout)]
    if "compute_s" in runs[0]:
        runs += [measure(script, args, timeout) for _ in range(repeat - 1)]
    ok = [r for r in runs if "compute_s" in r]
    if not ok:
        return runs[0]
    return {**ok[0], "compute_s": statistics.median(r["compute_s"] for r in ok),
            "wall_s": statistics.median(r["wall_s"] for r in ok), "rss_mib": max(r["rss_mib"] for r in ok)}


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
