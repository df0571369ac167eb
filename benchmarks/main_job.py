"""The main job, as a new user runs it: wall and CPU time of the README's commands, each in a fresh process.

Measured as ../shared/BENCHMARKING.md says: a fresh process per run, the median of ``--repeat`` runs
(default 5) after one uncounted warm-up run, wall time and CPU time (user + system of the child, from
``os.wait4``) and peak memory. The children may write bytecode, as an installed package has it (this
machine sets PYTHONDONTWRITEBYTECODE, which would make every run compile the package from source).
``--root`` runs another checkout of logicmodel (e.g. a git worktree of an older commit) the same way,
for before/after tables; the bundled model is passed by path so that each checkout reads its own.

    python benchmarks/main_job.py
    python benchmarks/main_job.py --root ../old-checkout --repeat 5

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent

#: label → the arguments of ``python -m logicmodel`` (MODEL and OUT are filled in per run).
COMMANDS = {
    "logicmodel --help": ["--help"],
    "logicmodel info": ["info", "{model}"],
    "logicmodel conditions": ["conditions", "{model}", "--out", "{out}"],
    "logicmodel validate": ["validate", "{model}"],
    "logicmodel report": ["report", "{model}", "--out", "{out}"],
}


def run_once(root: Path, args: list[str]) -> tuple[float, float, float, int]:
    """One fresh process: (wall s, CPU s, peak MiB, exit code)."""
    with tempfile.TemporaryDirectory() as out:
        argv = [a.format(model=root / "networks" / "osteoclastogenesis.bnet", out=out) for a in args]
        # as an installed package runs: with bytecode (the first, uncounted run writes it)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(root)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "logicmodel", *argv], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env, cwd=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: validation failed, still a full run
        raise SystemExit(f"{' '.join(args)} failed ({code}): {err.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout of logicmodel to run (default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", help="comma-separated labels (default: all)")
    args = ap.parse_args()
    wanted = args.only.split(",") if args.only else list(COMMANDS)
    print(f"# The main job ({args.root}), median of {args.repeat} fresh processes\n")
    print("| command | wall | CPU | peak MiB |")
    print("|---|---|---|---|")
    for label in wanted:
        run_once(args.root.resolve(), COMMANDS[label])  # warm-up: bytecode and file caches
        runs = [run_once(args.root.resolve(), COMMANDS[label]) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        mib = max(r[2] for r in runs)
        print(f"| `{label}` | {wall:.2f} s | {cpu:.2f} s | {mib:.0f} |", flush=True)


if __name__ == "__main__":
    main()
