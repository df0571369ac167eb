"""Basins, reachability, trajectories and the analysis scripts."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import logicmodel as lm
from logicmodel.cli import main
from logicmodel.analysis.landscape import basins, reach, simulate, synchronous_trajectory

from reference import ROOT, explicit_stg, reference_attractors
from reference import random_networks, to_bnet


def _net(case):
    names, tables, _ = case
    return names, tables, lm.from_bnet(to_bnet(names, tables))


@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=6))
def test_basins_match_brute_force(update, case):
    names, tables, net = _net(case)
    g = explicit_stg(tables, update)
    atts = reference_attractors(g)
    total = 2 ** len(names)
    reach_sets = [set().union(*(nx.ancestors(g, s) | {s} for s in a)) for a in atts]
    res = basins(net, update, percolate=False)
    assert len(res.basins) == len(atts) and res.states == total
    by_rep = {tuple(b.attractor.representative.values()): b for b in res.basins}
    for a, weak_set in zip(atts, reach_sets):
        b = by_rep[min(a)]
        others = set().union(*(r for r in reach_sets if r is not weak_set)) if len(reach_sets) > 1 else set()
        assert b.weak == pytest.approx(len(weak_set) / total)
        assert b.strong == pytest.approx(len(weak_set - others) / total)
    strong = sum(b.strong for b in res.basins)
    assert strong + res.multi == pytest.approx(1.0)
    if update == "synchronous":
        assert strong == pytest.approx(1.0) and res.multi == 0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=6))
def test_reachability_matches_bfs(case):
    names, tables, net = _net(case)
    g = explicit_stg(tables, "asynchronous")
    states = sorted(g.nodes)
    start, goal = states[0], states[-1]
    res = reach(net, dict(zip(names, start)), dict(zip(names, goal)))
    if nx.has_path(g, start, goal):
        assert res.reachable
        assert len(res.path) - 1 == nx.shortest_path_length(g, start, goal)
        for a, b in zip(res.path[:-1], res.path[1:]):
            assert g.has_edge(tuple(a[n] for n in names), tuple(b[n] for n in names))
        assert len(res.switches) == len(res.path) - 1
    else:
        assert res.reachable is False


def test_simulation_is_reproducible_and_lands_in_basins():
    net = lm.from_bnet("A, A | B & !C\nB, !A & C | B & !C\nC, !B | A & C\nD, A & !D | B")
    b = basins(net, "asynchronous", percolate=False)
    atts = [x.attractor for x in b.basins]

    # label of each of the 16 states (first attractor that holds it, else transient), read by state code
    states = list(itertools.product((0, 1), repeat=len(net.nodes)))
    label_of = np.array([next((i for i, a in enumerate(atts) if a.contains(dict(zip(net.nodes, s)))), len(atts))
                         for s in states], dtype=np.int64)
    weights = 1 << np.arange(len(net.nodes) - 1, -1, -1)

    def classify(rows):
        return label_of[np.asarray(rows, dtype=np.int64) @ weights]

    labels = tuple(f"A{i}" for i in range(len(atts))) + ("transient",)
    one = simulate(net, {}, cells=3000, steps=400, seed=7, classify=classify, labels=labels)
    two = simulate(net, {}, cells=3000, steps=400, seed=7, classify=classify, labels=labels)
    other = simulate(net, {}, cells=3000, steps=400, seed=8, classify=classify, labels=labels)
    assert one.shares == two.shares and np.array_equal(one.final, two.final)
    assert one.shares != other.shares
    assert one.shares["transient"][-1] == 0
    for i, basin in enumerate(b.basins):
        share = one.shares[f"A{i}"][-1]
        assert basin.strong - 0.04 <= share <= basin.weak + 0.04


def test_synchronous_trajectory():
    net = lm.from_bnet("A, !B\nB, A")
    states, start = synchronous_trajectory(net, {"A": 0, "B": 0})
    assert [tuple(s.values()) for s in states] == [(0, 0), (1, 0), (1, 1), (0, 1)] and start == 0


def test_model_landscape_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["basins", "--condition", "estrogen_deficiency", "--intervention", "ifn_beta", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(b["phenotype"] for b in doc["basins"]) == ["quiescent", "resorbing"]
    assert sum(b["strong"] for b in doc["basins"]) + doc["multi"] == pytest.approx(1.0)
    assert main(["reach", "--condition", "pth_excess", "--from", "baseline", "--to", "resorbing"]) == 0
    out = capsys.readouterr().out
    assert "is reachable" in out and "CREB → 1" in out and "Resorption → 1" in out
    assert main(["reach", "--condition", "pth_excess", "--intervention", "denosumab", "--from", "baseline",
                 "--to", "resorbing"]) == 0
    assert "NOT reachable" in capsys.readouterr().out
    assert main(["simulate", "--condition", "estrogen_deficiency", "--from", "baseline", "--cells", "200",
                 "--steps", "1500", "--seed", "3", "--out", "sim"]) == 0
    out = capsys.readouterr().out
    assert "resorbing" in out and (tmp_path / "sim" / "simulation.png").stat().st_size > 0
    table = (tmp_path / "sim" / "simulation.csv").read_text().splitlines()
    assert table[0].startswith("step,resorbing") and len(table) > 10
    assert main(["simulate", "--update", "synchronous", "--condition", "pth_excess", "--from", "baseline",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cycle_length"] == 1 and doc["states"][-1]["Resorption"] == 1
    assert main(["reach", "--to", "nothing"]) == 2


@pytest.mark.parametrize("script, words", [
    ("hormones_rankl_opg.py", ["estrogen_deficiency", "Protect against estrogen-deficiency resorption: TGFB, Wnt"]),
    ("opg_therapy.py", ["opg_fc: resorbing", "denosumab: resorbing", "→ 0%"]),
    ("mouse_knockouts.py", ["RANKL", "quiescent | quiescent | quiescent", "c-Src"]),
])
def test_analysis_scripts_run(script, words, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for w in words:
        assert w in proc.stdout, proc.stdout
    assert (tmp_path / "summary.txt").read_text() == proc.stdout
    assert list(tmp_path.glob("*.png")) and list(tmp_path.glob("*.svg"))
