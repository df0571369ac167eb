"""Crash safety and resource caps, through real ``logicmodel`` processes.

- a screen SIGKILLed at several moments and resumed gives the rows of an uninterrupted run, row by row;
- a torn last journal line (a crash mid-write) is dropped, and the screen completes;
- an export that fails leaves an existing output file untouched;
- ``report --out`` killed mid-run leaves no half-written file;
- a 200-node random network with default options stops with an error naming the limit, within the
  memory of a 24 GiB machine; ``--time-limit`` is honoured.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz_cases import check_cli

#: The screen the kill tests interrupt: about 3,000 rows, a few seconds on one worker.
SCREEN_ARGS = ["screen", "--order", "2", "--conditions", "baseline,estrogen_deficiency,pth_excess", "--quiet"]
#: Journal lines (the header is line 1) after which each kill happens, in one folder, one after the other.
KILL_AFTER_LINES = (1, 300, 1200, 2200)
#: A machine with 24 GiB of memory: the address-space limit of the resource-cap runs.
MEMORY_BYTES = 24 * 2**30
#: The limits an error may name.
LIMIT_OPTIONS = ("--max-states", "--max-bdd-nodes", "--max-candidates", "--time-limit", "--max-input-combinations")


def _logicmodel(*argv: str) -> list[str]:
    return [sys.executable, "-m", "logicmodel", *argv]


def _run(argv: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_logicmodel(*argv), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_when(argv: list[str], cwd: Path, ready, timeout: float = 120) -> bool:
    """Start ``logicmodel ARGV`` and SIGKILL it as soon as ``ready()``; False if it finished first."""
    proc = subprocess.Popen(_logicmodel(*argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    try:
        while proc.poll() is None:
            if ready():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"logicmodel {' '.join(argv)} ran past {timeout} s")
            time.sleep(0.005)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _journal_rows(folder: Path) -> list[dict]:
    lines = (folder / "screen.jsonl").read_text().split("\n")
    assert lines[-1] == "", "the journal does not end with a newline"
    docs = [json.loads(line) for line in lines[:-1]]
    assert "header" in docs[0]
    return docs[1:]


def _row_key(row: dict) -> tuple:
    return (row["perturbation"], row["condition"], row["update"])


def _canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def _compare_screens(done: Path, reference: Path) -> None:
    rows = _journal_rows(done)
    keys = [_row_key(r) for r in rows]
    dup = len(keys) - len(set(keys))
    assert dup == 0, f"{dup} rows computed twice in the resumed journal"
    ref = _journal_rows(reference)
    assert len(rows) == len(ref)
    assert _canonical(rows) == _canonical(ref), "resumed rows differ from the uninterrupted run"
    for name in ("screen.csv", "screen.json", "targets.csv"):
        assert (done / name).read_text() == (reference / name).read_text(), f"{name} differs"


@pytest.fixture(scope="module")
def reference_screen(tmp_path_factory) -> Path:
    """The uninterrupted screen."""
    folder = tmp_path_factory.mktemp("screen_ref")
    proc = _run([*SCREEN_ARGS, "--workers", "1", "--out", str(folder / "out")], folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "out"


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_screen_killed_and_resumed(workers, reference_screen, tmp_path):
    out = tmp_path / "out"
    argv = [*SCREEN_ARGS, "--workers", str(workers), "--out", str(out)]
    killed = 0
    for n in KILL_AFTER_LINES:
        before = _lines(out / "screen.jsonl")
        if _kill_when(argv, tmp_path, lambda: _lines(out / "screen.jsonl") >= max(n, before + 1)):
            killed += 1
    assert killed >= 3, "the screen finished before it could be killed"
    assert (out / "screen.jsonl").exists()
    proc = _run(argv, tmp_path)
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"\((\d+) computed, (\d+) resumed\)", proc.stdout)
    assert m and int(m.group(2)) > 0, f"nothing was resumed: {proc.stdout[:300]}"
    _compare_screens(out, reference_screen)


@pytest.mark.parametrize("tear", ["half-row", "garbage-bytes",
                                  *(pytest.param(t, marks=pytest.mark.slow) for t in ("open-brace", "no-newline-valid-json", "nul-bytes"))])
def test_torn_last_journal_line(tear, reference_screen, tmp_path):
    """A crash in the middle of a write leaves a torn last line: it is dropped and recomputed."""
    out = tmp_path / "out"
    argv = [*SCREEN_ARGS, "--workers", "1", "--out", str(out)]
    assert _kill_when(argv, tmp_path, lambda: _lines(out / "screen.jsonl") >= 500)
    journal = out / "screen.jsonl"
    data = journal.read_bytes()
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    torn = {"half-row": last[: len(last) // 2], "open-brace": b"{", "no-newline-valid-json": last,
            "garbage-bytes": b"\xff\xfe\x00garbage", "nul-bytes": b"\x00" * 40}[tear]
    journal.write_bytes(data + torn)
    proc = _run(argv, tmp_path)
    assert check_cli(proc.returncode, proc.stdout, proc.stderr).kind == "result", proc.stderr
    _compare_screens(out, reference_screen)


def test_journal_of_another_screen_is_refused(reference_screen, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "screen.jsonl").write_text((reference_screen / "screen.jsonl").read_text())
    proc = _run(["screen", "--order", "1", "--quiet", "--workers", "1", "--out", str(out)], tmp_path)
    res = check_cli(proc.returncode, proc.stdout, proc.stderr)
    assert res.kind == "clean" and "--restart" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- exports
BAD_MODELS = {
    "parse-error.bnet": "A, A\nB, A & (\n",
    "undefined.bnet": "A, B\n",
    "empty.bnet": "",
    "broken.sbml": "<sbml><model",
    "broken.json": "{",
}


@pytest.mark.parametrize("bad, ext", [(b, e) if (b == "parse-error.bnet" or e == ".sbml") else
                                      pytest.param(b, e, marks=pytest.mark.slow)
                                      for b in sorted(BAD_MODELS) for e in (".sbml", ".bnet", ".json")])
def test_failing_export_leaves_existing_file(bad, ext, tmp_path):
    src = tmp_path / bad
    src.write_text(BAD_MODELS[bad])
    target = tmp_path / f"existing{ext}"
    target.write_text("precious\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    for argv in (["export", str(src), "-o", str(target)], ["convert", str(src), str(target)]):
        proc = _run(argv, tmp_path, timeout=60)
        assert check_cli(proc.returncode, proc.stdout, proc.stderr).kind == "clean", proc.stderr
        assert target.read_text() == "precious\n", f"{argv[0]} changed the existing {target.name}"
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "a failed export left files behind"


def test_export_failing_while_writing_leaves_existing_file(tmp_path):
    """A network that cannot be written in the target format (primes of a rule over 21 regulators: no
    truth table) fails after the network was read; the existing file stays as it was."""
    regs = [f"r{i}" for i in range(22)]
    src = tmp_path / "wide.bnet"
    src.write_text("".join(f"{r}, {r}\n" for r in regs) + "T, " + " & ".join(regs) + "\n")
    target = tmp_path / "wide.json"
    target.write_text("precious\n")
    proc = _run(["convert", str(src), str(target)], tmp_path, timeout=60)
    res = check_cli(proc.returncode, proc.stdout, proc.stderr)
    assert res.ok, res.detail
    if res.kind == "clean":
        assert target.read_text() == "precious\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["wide.bnet", "wide.json"]
    else:  # written: then completely
        json.loads(target.read_text())


# --------------------------------------------------------------------------- report killed mid-run
_PNG_END = b"IEND\xaeB`\x82"


def _complete(path: Path, reference: Path | None) -> str | None:
    """Why ``path`` looks half-written, or None."""
    data = path.read_bytes()
    ext = path.suffix
    if ext == ".png":
        return None if data.startswith(b"\x89PNG") and data.endswith(_PNG_END) else "truncated PNG"
    if ext == ".svg":
        return None if data.rstrip().endswith(b"</svg>") else "truncated SVG"
    if ext == ".json":
        try:
            json.loads(data)
        except ValueError:
            return "truncated JSON"
        return None
    if ext in (".csv", ".md", ".txt", ".graphml", ".dot", ".sif"):
        if data and not data.endswith(b"\n"):
            return "no final newline"
        if reference is not None and reference.exists():
            ref = reference.read_bytes()
            got, want = data.count(b"\n"), ref.count(b"\n")
            if got != want:
                return f"{got} lines instead of {want}"
        if ext == ".csv":
            rows = list(csv.reader(io.StringIO(data.decode())))
            if rows and len({len(r) for r in rows}) != 1:
                return "ragged CSV"
        return None
    return None


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("."))


@pytest.fixture(scope="module")
def reference_report(tmp_path_factory) -> tuple[Path, float]:
    folder = tmp_path_factory.mktemp("report_ref")
    t0 = time.monotonic()
    proc = _run(["report", "--out", str(folder / "out")], folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "out", time.monotonic() - t0


@pytest.mark.parametrize("fraction", [0.5, 0.9, *(pytest.param(f, marks=pytest.mark.slow) for f in (0.3, 0.7, 0.8, 0.95))])
def test_report_killed_leaves_no_half_written_file(fraction, reference_report, tmp_path):
    ref, seconds = reference_report
    out = tmp_path / "out"
    t0 = time.monotonic()
    _kill_when(["report", "--out", str(out)], tmp_path, lambda: time.monotonic() - t0 >= fraction * seconds)
    if not out.exists():
        return
    bad = [f"{p.relative_to(out)}: {why}" for p in sorted(out.rglob("*"))
           if p.is_file() and not p.name.startswith(".") and (why := _complete(p, ref / p.relative_to(out)))]
    assert not bad, f"half-written files after a kill at {fraction:.0%}: {bad}"
    # a rerun completes, and leaves no temporary file of the killed run behind
    proc = _run(["report", "--out", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not _temp_files(out), f"temporary files left in the report folder: {_temp_files(out)}"


def test_report_over_an_earlier_report_killed(reference_report, tmp_path):
    """Killed while overwriting a complete report: each file is the old one or the new one, never a mix."""
    ref, seconds = reference_report
    out = tmp_path / "out"
    assert _run(["report", "--out", str(out)], tmp_path).returncode == 0
    t0 = time.monotonic()
    _kill_when(["report", "--out", str(out)], tmp_path, lambda: time.monotonic() - t0 >= 0.8 * seconds)
    bad = [f"{p.name}: {why}" for p in sorted(out.rglob("*"))
           if p.is_file() and not p.name.startswith(".") and (why := _complete(p, ref / p.relative_to(out)))]
    assert not bad, bad


# --------------------------------------------------------------------------- resource caps
def random_network(n: int, seed: int) -> str:
    """A seeded random network: each node a random and/or formula of 2-3 random regulators."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        regs = rng.sample(range(n), rng.randint(2, 3))
        lits = [("!" if rng.random() < 0.4 else "") + f"x{r}" for r in regs]
        rule = lits[0]
        for lit in lits[1:]:
            rule = f"({rule} {rng.choice('&|')} {lit})"
        lines.append(f"x{i}, {rule}")
    return "\n".join(lines) + "\n"


def _capped(argv: list[str], cwd: Path, timeout: float) -> tuple[int, str, str, float, float]:
    """Run under a 24 GiB address-space limit: exit code, stdout, stderr, wall seconds, peak RSS (GiB)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))

    t0 = time.monotonic()
    proc = subprocess.Popen(_logicmodel(*argv), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limit)
    deadline = t0 + timeout
    status = rusage = None
    while time.monotonic() < deadline:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = -9
    wall = time.monotonic() - t0
    out, err = proc.stdout.read().decode(errors="replace"), proc.stderr.read().decode(errors="replace")
    proc.stdout.close()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status) if proc.returncode is None else proc.returncode
    return code, out, err, wall, rusage.ru_maxrss / 2**20


@pytest.mark.slow
def test_random_200_nodes_synchronous_default_options_stop_at_a_named_limit(campaign, tmp_path):
    """The synchronous twin of the test below (65 s): a -m slow campaign; the default run checks
    synchronous updating under --time-limit (test_time_limit_is_honoured)."""
    test_random_200_nodes_default_options_stop_at_a_named_limit("synchronous", tmp_path)


@pytest.mark.parametrize("update", ["asynchronous"])
def test_random_200_nodes_default_options_stop_at_a_named_limit(update, tmp_path):
    path = tmp_path / "random200.bnet"
    path.write_text(random_network(200, seed=200))
    code, out, err, wall, peak = _capped(["attractors", str(path), "--update", update], tmp_path, timeout=90)
    assert code != -9, f"no answer within 90 s with default options (peak {peak:.1f} GiB)"
    res = check_cli(code, out, err)
    assert res.ok, res.detail
    if res.kind == "clean":
        assert any(opt in err for opt in LIMIT_OPTIONS), f"the error names no limit: {err!r}"
    assert peak < MEMORY_BYTES / 2**30


@pytest.mark.parametrize("update, method", [("asynchronous", "auto"), ("synchronous", "auto"),
                                            ("asynchronous", "symbolic"), ("asynchronous", "candidates")])
def test_time_limit_is_honoured(update, method, tmp_path):
    path = tmp_path / "random200.bnet"
    path.write_text(random_network(200, seed=200))
    limit = 3.0
    code, out, err, wall, peak = _capped(["attractors", str(path), "--update", update, "--method", method,
                                          "--time-limit", str(limit)], tmp_path, timeout=40)
    assert code != -9, f"--time-limit {limit} not honoured: still running after 40 s"
    res = check_cli(code, out, err)
    assert res.ok, res.detail
    assert wall < limit + 10, f"--time-limit {limit}: stopped after {wall:.1f} s"
    if res.kind == "clean" and "time limit" in err:
        assert "--time-limit" in err
