"""Trap spaces and most-permissive attractors against pyboolnet, AEON, mpbn and brute force; control sets
verified by recomputing the attractors of the perturbed network; the interaction-graph exports."""
from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.analysis.control import control
from logicmodel.cli import main
from logicmodel.output.graph import to_graphml, to_sif
from logicmodel.screen import screen

from reference import (corpus_attractors, corpus_path, pyboolnet_primes, pyboolnet_trap_spaces, random_networks,
                       to_bnet)


def _spaces(res):
    return sorted(sorted(s.fixed.items()) for s in res)


@pytest.mark.parametrize("kind", ["min", "max"])
def test_trap_spaces_equal_pyboolnet(corpus_model, kind):
    ours = lm.trap_spaces(lm.read_bnet(corpus_path(corpus_model)), kind)
    theirs = pyboolnet_trap_spaces(pyboolnet_primes(corpus_path(corpus_model)), kind)
    assert _spaces(ours) == sorted(sorted(s.items()) for s in theirs)


def test_minimal_trap_spaces_equal_aeon(corpus_model):
    ba = pytest.importorskip("biodivine_aeon")
    bn = ba.BooleanNetwork.from_file(str(corpus_path(corpus_model)))
    ctx = ba.SymbolicSpaceContext(bn)
    theirs = ba.TrapSpaces.minimal_symbolic(ctx, ba.AsynchronousGraph(bn, ctx))
    expected = sorted(sorted((n, int(v)) for n, v in s.to_named_dict().items() if v is not None)
                      for s in theirs.spaces())
    assert _spaces(lm.trap_spaces(lm.read_bnet(corpus_path(corpus_model)), "min")) == expected


def test_every_minimal_trap_space_holds_an_attractor(corpus_model):
    net = lm.read_bnet(corpus_path(corpus_model))
    atts = corpus_attractors(corpus_model)
    for s in lm.trap_spaces(net, "min"):
        assert any(all(a.fixed.get(n) == v for n, v in s.fixed.items()) for a in atts), s.text()


def test_most_permissive_attractors_equal_mpbn(corpus_model):
    mpbn = pytest.importorskip("mpbn")
    net = lm.read_bnet(corpus_path(corpus_model))
    res = lm.attractors(net, "most-permissive")
    theirs = sorted(sorted((n, int(v)) for n, v in a.items() if v != "*")
                    for a in mpbn.MPBooleanNetwork(str(corpus_path(corpus_model))).attractors())
    assert sorted(sorted(a.fixed.items()) for a in res) == theirs
    assert res.method == ("trapspaces",) and all(a.size == 2 ** len(a.oscillating) for a in res)


def _brute_trap_spaces(names, tables):
    """Every subspace that no transition leaves, by checking every state of every subspace."""
    out = []
    for digits in itertools.product((0, 1, None), repeat=len(names)):
        free = [i for i, d in enumerate(digits) if d is None]
        ok = True
        for bits in itertools.product((0, 1), repeat=len(free)):
            state = list(digits)
            for i, b in zip(free, bits):
                state[i] = b
            for i, d in enumerate(digits):
                if d is not None and tables[i][1][tuple(state[r] for r in tables[i][0])] != d:
                    ok = False
            if not ok:
                break
        if ok:
            out.append({names[i]: d for i, d in enumerate(digits) if d is not None})
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=5))
def test_trap_spaces_match_brute_force(case):
    names, tables, _ = case
    net = lm.from_bnet(to_bnet(names, tables))
    every = _brute_trap_spaces(names, tables)
    sub = lambda a, b: a.items() >= b.items()  # noqa: E731  space a (more fixed) inside space b
    minimal = [s for s in every if not any(t != s and sub(t, s) for t in every)]
    maximal = [s for s in every if s and not any(t and t != s and sub(s, t) for t in every)]
    for kind, expected in (("all", every), ("min", minimal), ("max", maximal)):
        assert _spaces(lm.trap_spaces(net, kind)) == sorted(sorted(s.items()) for s in expected), kind


def test_trap_space_cap_and_kind_errors():
    net = lm.from_bnet("\n".join(f"x{i}, x{i}" for i in range(6)))
    with pytest.raises(lm.SearchIncompleteError, match="max_spaces=10"):
        lm.trap_spaces(net, "min", max_spaces=10)
    with pytest.raises(ValueError, match="min, max, all"):
        lm.trap_spaces(net, "smallest")


# --------------------------------------------------------------------------- control
def _satisfies(net, fixed, target, update="asynchronous"):
    return all(all(a.fixed.get(n) == v for n, v in target.items()) for a in lm.attractors(net, update, fixed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=5), st.data())
def test_control_equals_brute_force(case, data):
    names, tables, _ = case
    net = lm.from_bnet(to_bnet(names, tables))
    node = data.draw(st.sampled_from(names))
    target = {node: data.draw(st.integers(0, 1))}
    update = data.draw(st.sampled_from(["asynchronous", "synchronous"]))
    model = lm.Model(net)
    res = control(model, target, max_size=2, update=update)
    candidates = [n for n in net.nodes if n not in net.inputs]
    singles = [(n, v) for n in candidates for v in (0, 1) if net.constants.get(n) != v]
    good = [frozenset(c) for k in range(3) for c in itertools.combinations(singles, k)
            if len({n for n, _ in c}) == k and _satisfies(net, dict(c), target, update)]
    minimal = sorted(sorted(s) for s in good if not any(t < s for t in good))
    assert sorted(sorted(s.perturbation.values) for s in res.sets) == minimal


def test_control_sets_on_the_bone_model_are_exact_and_minimal(osteo_model):
    res = control(osteo_model, "quiescent", condition="estrogen_deficiency", max_size=2)
    meta = osteo_model.metadata
    base = meta.condition("estrogen_deficiency").values
    assert res.sets and {s.size for s in res.sets} == {1, 2}
    for s in res.sets:
        atts = lm.attractors(osteo_model.network, "asynchronous", {**base, **s.perturbation.fixed})
        assert len(atts) == s.attractors and {meta.classify(a) for a in atts} == {"quiescent"}
        for k in range(s.size):  # no proper subset works
            for sub in itertools.combinations(s.perturbation.values, k):
                atts = lm.attractors(osteo_model.network, "asynchronous", {**base, **dict(sub)})
                assert {meta.classify(a) for a in atts} != {"quiescent"}, (s.label, sub)


def test_control_agrees_with_the_screen_targets(osteo_model):
    """For K <= 2, the minimal sets are the screen's rescuing perturbations that have no rescuing part."""
    conditions = ["estrogen_deficiency", "pth_excess"]
    scr = screen(osteo_model, kinds="both", order=2, conditions=conditions)
    for c in conditions:
        rescuing = {frozenset(r["perturbation"].split("+")) for r in scr.rows
                    if r["condition"] == c and r["share_quiescent"] == 1.0 and r["perturbation"] != "none"}
        minimal = {s for s in rescuing if not any(t < s for t in rescuing)}
        res = control(osteo_model, "quiescent", condition=c, max_size=2)
        assert {frozenset(s.label.split("+")) for s in res.sets} == minimal, c


def test_control_when_the_condition_already_holds(osteo_model):
    res = control(osteo_model, "quiescent", condition="baseline", max_size=2)
    assert [s.size for s in res.sets] == [0]


# --------------------------------------------------------------------------- the command line
def test_cli_trapspaces_control_graph(tmp_path, capsys):
    assert main(["trapspaces", "--condition", "pth_excess", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "min" and [s["phenotype"] for s in doc["trap_spaces"]] == ["resorbing"]
    assert main(["trapspaces", "--kind", "max"]) == 0
    assert "max trap space(s)" in capsys.readouterr().out
    assert main(["control", "--target", "quiescent", "--condition", "estrogen_deficiency", "--max-size", "1",
                 "--kinds", "ko", "--json", "--quiet"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "RANKL=KO" in [s["perturbation"] for s in doc["sets"]] and doc["target"] == "quiescent"
    assert main(["control", "--target", "Resorption=0", "--condition", "pth_excess", "--max-size", "1",
                 "--quiet"]) == 0
    assert "Denosumab=OE" in capsys.readouterr().out
    assert main(["attractors", "--update", "most-permissive", "--condition", "pth_excess", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == ["trapspaces"]
    for ext in ("graphml", "sif", "dot"):
        assert main(["graph", "-o", str(tmp_path / f"g.{ext}")]) == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes["RANKL"]["uniprot"] == "O14788" and g.nodes["RANKL"]["cell"] == "osteoblast_lineage"
    assert g.edges["OPG_high", "RANK_active"]["interaction"] == "inhibition"
    assert "OPG_high\tinhibition\tRANK_active" in (tmp_path / "g.sif").read_text().splitlines()
    capsys.readouterr()
    for args, words in ((["control", "--target", "calm"], ["unknown phenotype 'calm'", "quiescent"]),
                        (["control", "--target", "Nope=1"], ["unknown node 'Nope'"]),
                        (["trapspaces", "--kind", "min", "--set", "RANKL=2"], ["0 or 1"]),
                        (["graph", "-o", str(tmp_path / "g.png")], ["unknown graph format", ".graphml"])):
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert all(w in err for w in words) and "Traceback" not in err, err


def test_graph_exports_follow_the_network():
    net = lm.from_bnet("A, A\nB, A & !C\nC, B")
    model = lm.Model(net)
    assert to_sif(model).splitlines() == ["A\tactivation\tA", "A\tactivation\tB", "C\tinhibition\tB",
                                          "B\tactivation\tC"]
    assert "<graphml" in to_graphml(model)
