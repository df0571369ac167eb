"""The main job in one pass: sweeps, the shared cache, and the one-pass results against one search per
combination (the slow path, kept here as the reference); start-up imports; the figures."""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.analysis.cache import AttractorCache
from logicmodel.analysis.conditions import condition_table, named_condition_grid
from logicmodel.analysis.validation import validate
from logicmodel.engine.kernels import compiled
from logicmodel.engine.percolation import FREE
from logicmodel.output.figures import plot_network
from logicmodel.output.graph import to_dot
from logicmodel.search.sweep import sweep

from reference import OSTEO, ROOT, networks_with_inputs, random_networks, to_bnet


def _bag(summaries):
    return Counter((tuple(sorted(s.fixed.items())), s.oscillating, s.size) for s in summaries)


# --------------------------------------------------------------------------- vectorised percolation
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=8), st.data())
def test_percolating_many_rows_equals_percolating_each(case, data):
    names, tables, _ = case
    net = lm.from_bnet(to_bnet(names, tables))
    engine = compiled(net)
    rows = np.array(data.draw(st.lists(st.lists(st.sampled_from([FREE, 0, 1]), min_size=len(names),
                                                max_size=len(names)), min_size=1, max_size=12)), dtype=np.int8)
    got = engine.percolator.percolate_rows(rows)
    for row, out in zip(rows, got):
        values = engine.percolate({names[i]: int(v) for i, v in enumerate(row) if v != FREE})
        want = np.full(len(names), FREE, dtype=np.int8)
        for i, v in values.items():
            want[i] = v
        assert out.tolist() == want.tolist()


# --------------------------------------------------------------------------- sweeps
@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs(), st.data())
def test_sweep_equals_one_search_per_combination(update, case, data):
    text, _ = case
    net = lm.from_bnet(text)
    free = [n for n in net.nodes if n not in net.inputs]
    held = data.draw(st.lists(st.sampled_from(free), max_size=2, unique=True)) if free else []
    fixed = {n: data.draw(st.integers(0, 1)) for n in held}
    sw = sweep(net, update, fixed)
    assert sw.inputs == tuple(n for n in net.inputs if n not in fixed)
    assert len(sw.sizes) == len(sw.owner) == len(sw.values)
    for combo in itertools.product((0, 1), repeat=len(sw.inputs)):
        inputs = dict(zip(sw.inputs, combo))
        res = lm.attractors(net, update, {**fixed, **inputs}, method="exhaustive")
        assert _bag(sw.summaries(inputs)) == Counter(
            (tuple(sorted(a.fixed.items())), a.oscillating, a.size) for a in res)


def test_sweep_of_a_perturbed_constant():
    """A perturbation of a constant node overrides the constant in every combination."""
    net = lm.from_bnet("I, I\nC, 1\nA, I & C\n")
    sw = sweep(net, "asynchronous", {"C": 0})
    assert [s.fixed["A"] for c in (0, 1) for s in sw.summaries({"I": c})] == [0, 0]


# --------------------------------------------------------------------------- the bone model, one pass vs the slow path
def _slow_table(model, update):
    """One search per input combination: the reference the one-pass table must equal."""
    meta = model.metadata
    rows = {}
    for combo in itertools.product((0, 1), repeat=len(meta.inputs)):
        inputs = dict(zip(meta.inputs, combo))
        res = lm.attractors(model.network, update, inputs)
        rows[combo] = (len(res), dict(sorted(Counter(meta.classify(a) for a in res).items())))
    return rows


@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
def test_one_pass_table_equals_one_search_per_combination(osteo_model, update):
    table = condition_table(osteo_model, updates=(update,))
    slow = _slow_table(osteo_model, update)
    assert len(table.rows) == len(slow) == 2 ** 11
    for r in table.rows:
        assert (r.attractors, r.phenotypes) == slow[tuple(r.inputs.values())], r.inputs


@pytest.mark.slow
@pytest.mark.parametrize("broken", [False, True])
def test_swept_validation_equals_checking_each_combination(osteo_model, broken, tmp_path):
    """The same verdicts and messages, on the model and on a model that fails (OPG without its decoy action)."""
    model = osteo_model
    if broken:
        text = OSTEO.read_text().replace(
            "RANK_active,    RANK & RANKL & !OPG_high & (!OPG | RANKL_high) & !OPG_Fc & !Denosumab",
            "RANK_active,    RANK & RANKL & !Denosumab")
        (tmp_path / "osteoclastogenesis.bnet").write_text(text)
        (tmp_path / "osteoclastogenesis.toml").write_text(OSTEO.with_suffix(".toml").read_text())
        model = lm.load_model(tmp_path / "osteoclastogenesis.bnet")
    fast = validate(model)
    slow = validate(model, swept=False)
    assert [r.to_dict() for r in fast.results] == [r.to_dict() for r in slow.results]
    assert fast.passed is not broken


def test_the_cache_answers_swept_questions_without_searching(osteo_model, monkeypatch):
    cache = AttractorCache(osteo_model)
    condition_table(osteo_model, cache=cache)
    import logicmodel.analysis.cache as module

    def no_search(*args, **kwargs):
        raise AssertionError("a swept combination was searched again")

    monkeypatch.setattr(module, "attractors", no_search)
    grid = named_condition_grid(osteo_model, cache=cache)
    assert {r["condition"]: r["phenotype"] for r in grid}["estrogen_deficiency"] == "resorbing"
    named_condition_grid(osteo_model, cache=cache, update="synchronous")
    monkeypatch.undo()
    with_iv = named_condition_grid(osteo_model, interventions=["denosumab"], cache=cache)
    assert {r["phenotype"] for r in with_iv} == {"quiescent"}
    assert grid == named_condition_grid(osteo_model)  # the same rows without a cache


# --------------------------------------------------------------------------- start-up
def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys, io, contextlib\nfrom logicmodel.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        main({args!r})\n    except SystemExit:\n        pass\n"
            "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout
    return set(out.split())


def test_help_and_info_import_nothing_heavy():
    heavy = {"matplotlib", "scipy", "networkx", "dd", "clingo", "pyboolnet", "libsbml", "igraph"}
    assert not {m.split(".")[0] for m in _modules_after(["--help"])} & (heavy | {"numpy", "boolean"})
    assert not {m.split(".")[0] for m in _modules_after(["info"])} & heavy


# --------------------------------------------------------------------------- figures and the graph
def test_network_figure_laid_out_in_layers(osteo_model, tmp_path):
    files = plot_network(osteo_model, tmp_path / "net", engine="sugiyama")
    assert [p.suffix for p in files] == [".png", ".svg"] and all(p.stat().st_size > 10_000 for p in files)
    svg = (tmp_path / "net.svg").read_text()
    assert "Osteoclast precursor" in svg and "RANK_active" in svg


def test_network_figure_through_dot(osteo_model, tmp_path, monkeypatch):
    """With graphviz's dot on the PATH, the figure is dot's rendering of our DOT (here a stand-in dot)."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncat > \"$(dirname \"$0\")/input.dot\"\nprintf 'drawn %s' \"$1\"\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    files = plot_network(osteo_model, tmp_path / "net")
    assert [p.read_text() for p in files] == ["drawn -Tpng", "drawn -Tsvg"]
    assert (fake.parent / "input.dot").read_text() == to_dot(osteo_model)
    dot = to_dot(osteo_model)
    assert dot.count("subgraph cluster_") == len(osteo_model.metadata.cells)
    assert '"OPG_high" -> "RANK_active" [color="#c0392b", arrowhead=tee]' in dot


def test_report_writes_everything(tmp_path, capsys):
    from logicmodel.cli import main

    assert main(["report", "--out", str(tmp_path)]) == 0
    for name in ("conditions.csv", "conditions.json", "conditions_heatmap.png", "named_conditions.svg",
                 "validation.json", "network.png", "network.svg", "report.md"):
        assert (tmp_path / name).stat().st_size > 0, name
    doc = json.loads((tmp_path / "conditions.json").read_text())
    assert len(doc["rows"]) == 2 * 2 ** 11
    assert "50/50 observations reproduced" in capsys.readouterr().out
