"""The command line as a user runs it: output, JSON fields, exit codes, no tracebacks."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import OSTEO, corpus_path

from logicmodel.cli import main


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_attractors_table(capsys):
    code, out, err = run(["attractors", str(corpus_path("raf")), "--update", "asynchronous"], capsys)
    assert code == 0 and err == ""
    assert "2 attractor(s)" in out and "size" in out


def test_attractors_json_fields(capsys):
    code, out, _ = run(["attractors", str(corpus_path("faure_cellcycle")), "--update", "synchronous",
                        "--set", "CycD=0", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["update"] == "synchronous"
    assert doc["nodes"][0] == "CycD"
    assert doc["fixed"] == {"CycD": 0}
    for a in doc["attractors"]:
        assert set(a) >= {"size", "fixed", "oscillating", "representative"}
        assert a["representative"]["CycD"] == 0
        assert set(a["fixed"]) | set(a["oscillating"]) == set(doc["nodes"])


def test_attractors_on_model_shows_phenotypes(capsys):
    code, out, _ = run(["attractors", "--condition", "estrogen_deficiency", "--json"], capsys)
    doc = json.loads(out)
    assert [a["phenotype"] for a in doc["attractors"]] == ["resorbing"]
    code, out, _ = run(["attractors", "--condition", "estrogen_deficiency", "--intervention", "denosumab", "--json"], capsys)
    assert [a["phenotype"] for a in json.loads(out)["attractors"]] == ["quiescent"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["attractors", "missing.bnet"], ["missing.bnet", "no such"]),
        (["attractors", str(corpus_path("raf")), "--set", "Nope=1"], ["unknown node 'Nope'"]),
        (["attractors", str(corpus_path("raf")), "--set", "Raf=2"], ["0 or 1"]),
        (["attractors", str(corpus_path("raf")), "--set", "Raf"], ["NODE=0"]),
        (["attractors", "--condition", "menopause"], ["unknown condition", "estrogen_deficiency"]),
        (["attractors", "--intervention", "aspirin"], ["unknown intervention", "opg_fc"]),
        (["attractors", str(corpus_path("grieco_mapk")), "--max-states", "1000", "--method", "exhaustive"],
         ["max_states", "--max-states"]),
        (["attractors", str(corpus_path("jaoude_thdiff"))], ["6,063,664 attractors", "--by-inputs", "--max-attractors"]),
        (["attractors", str(corpus_path("zhang_tlgl")), "--max-bdd-nodes", "1000"], ["--max-bdd-nodes"]),
        (["attractors", str(corpus_path("zhang_tlgl")), "--method", "symbolic", "--time-limit", "0.01"],
         ["--time-limit"]),
    ],
)
def test_errors_are_one_line_exit_2(args, words, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("logicmodel: error:")
    assert "Traceback" not in err
    for w in words:
        assert w in err, err


def test_symbolic_attractors_json(capsys):
    """A 10^12-state attractor through the command line: exact size, no state list."""
    code, out, err = run(["attractors", str(corpus_path("grieco_mapk")), "--set", "DNA_damage=0",
                          "--set", "EGFR_stimulus=0", "--set", "FGFR3_stimulus=1", "--set", "TGFBR_stimulus=0",
                          "--json"], capsys)
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert [a["size"] for a in doc["attractors"]] == [1785522552832]
    big = doc["attractors"][0]
    assert "states" not in big and len(big["oscillating"]) > 30


def test_parse_error_names_file_line_node(tmp_path, capsys):
    bad = tmp_path / "bad.bnet"
    bad.write_text("A, A\nB, A & (C\n")
    code, _, err = run(["attractors", str(bad)], capsys)
    assert code == 2
    assert f"{bad}:2" in err and "node 'B'" in err


def test_console_script_from_another_directory(tmp_path):
    exe = shutil.which("logicmodel")
    if exe is None:
        pytest.skip("console script not installed (run `pip install .`)")
    proc = subprocess.run([exe, "attractors", "--condition", "pth_excess", "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["attractors"][0]["phenotype"] == "resorbing"
    proc = subprocess.run([exe, "attractors", "nothing.bnet"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_python_module_entry_point(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "logicmodel", "info"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(OSTEO.parent.parent)})
    assert proc.returncode == 0, proc.stderr
    assert "osteoclastogenesis" in proc.stdout


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                        st.text(max_size=4) | st.integers(-3, 3) | st.booleans() | st.none(), kids, max_size=4),
                    max_leaves=30),
       st.integers(0, 4))
@settings(max_examples=200, deadline=None)
def test_layered_json_is_the_same_document(doc, depth):
    """Large answers are printed with only the top levels indented: the JSON reads back as json's
    own encoding of the document (keys as json writes them); a small answer prints as json.dumps does."""
    from logicmodel.cli.common import layered_json, print_json

    assert json.loads(layered_json(doc, depth)) == json.loads(json.dumps(doc))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_json(doc)
    assert out.getvalue() == json.dumps(doc, indent=1) + "\n"


@pytest.mark.parametrize("records", [3, 40_000])
def test_print_json_streams_an_iterator_as_the_list_it_makes(records, capsys):
    """A lazy list of records prints as the list would (small: indented; large: one record per line)."""
    from logicmodel.cli.common import JSON_LAYERED_ABOVE, print_json

    def make():
        return ({"i": i, "fixed": {"a": i % 2}, "states": ["01"] * (i % 3)} for i in range(records))

    doc = {"network": "n", "empty": [], "none": [], "attractors": list(make())}
    print_json({**doc, "none": iter(()), "attractors": make()})
    lazy = capsys.readouterr().out
    print_json(doc)
    eager = capsys.readouterr().out
    assert lazy == eager and json.loads(lazy) == doc
    assert (len(lazy) > JSON_LAYERED_ABOVE) == (records > 3)
    if records > 3:
        assert sum(line.startswith("  {") for line in lazy.splitlines()) == records


def test_a_large_json_answer_is_one_record_per_line(tmp_path, capsys):
    from logicmodel.cli.common import JSON_LAYERED_ABOVE

    path = tmp_path / "wide.bnet"
    path.write_text("".join(f"u{i}, u{i}\n" for i in range(13)) + "a, u0 & !a | u1\n")
    assert main(["attractors", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out) > JSON_LAYERED_ABOVE
    doc = json.loads(out)
    lines = out.splitlines()
    records = [line for line in lines if line.startswith("  {")]
    assert len(records) == len(doc["attractors"]) == 8192  # one per input combination
    assert sum(r["size"] == 2 for r in doc["attractors"]) == 2048  # u0=1, u1=0: a oscillates
