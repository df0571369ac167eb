"""The benchmarks' measuring harness (benchmarks/harness.py): turns, repeats, timeouts.

A fake worker stands in for the tools: it appends its job's name to a log (so the order of the runs
can be read back) and answers the compute time it is told to.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent.parent / "benchmarks" / "harness.py"

WORKER = """\
import json, sys, time
_, _, name, seconds, log = sys.argv
with open(log, "a") as f:
    f.write(name + "\\n")
if seconds == "fail":
    sys.exit("worker failed")
if seconds == "hang":
    time.sleep(30)
print(json.dumps({"compute_s": float(seconds), "rss_mib": 1.0}))
"""


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("bench_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_harness"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def worker(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    return script, tmp_path / "log"


def _order(log: Path) -> list[str]:
    return log.read_text().split()


def test_jobs_take_turns_and_long_runs_are_repeated_as_asked(harness, worker):
    script, log = worker
    out = harness.medians(script, {"a": ["a", "0.5", str(log)], "b": ["b", "0.02", str(log)]}, 3, 10)
    assert _order(log) == ["a", "b"] * 3
    assert out["a"]["compute_s"] == 0.5 and out["a"]["runs"] == 3
    assert out["b"]["compute_s"] == 0.02 and out["b"]["runs"] == 3
    assert out["a"]["wall_s"] > 0


def test_short_runs_are_repeated_until_their_median_settles(harness, worker):
    script, log = worker
    out = harness.medians(script, {"a": ["a", "0.001", str(log)], "b": ["b", "0.002", str(log)]}, 3, 10)
    assert _order(log) == ["a", "b"] * harness.SHORT_REPEAT
    assert out["a"]["runs"] == out["b"]["runs"] == harness.SHORT_REPEAT


def test_one_long_job_keeps_every_job_at_the_asked_repeat(harness, worker):
    script, log = worker
    harness.medians(script, {"a": ["a", "0.001", str(log)], "b": ["b", "0.5", str(log)]}, 3, 10)
    assert _order(log) == ["a", "b"] * 3


def test_a_failing_or_hanging_job_is_run_once_and_the_others_go_on(harness, worker):
    script, log = worker
    out = harness.medians(script, {"a": ["a", "fail", str(log)], "b": ["b", "hang", str(log)],
                                   "c": ["c", "0.5", str(log)]}, 3, 2)
    assert _order(log) == ["a", "b", "c", "c", "c"]
    assert out["a"]["error"] == "worker failed"
    assert out["b"] == {"timeout": True}
    assert out["c"]["runs"] == 3
