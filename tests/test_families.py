"""Attractor families: every input combination at once, checked combination by combination.

Small networks: for every combination of the free inputs, the family search's attractors equal the
exhaustive engine's (itself tested against the explicit state-transition graph), whether the inputs
are split into separate searches or kept as colours of one. jaoude_thdiff (103 nodes, 2^20 input
combinations with one input fixed) is compared with biodivine AEON run with the inputs as parameters.
"""
from __future__ import annotations

import itertools
import json
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.search import families
from logicmodel.search.families import attractor_families

from reference import corpus_path, generated_corpus
from reference import networks_with_inputs


def _keys(atts):
    return sorted(a.key() for a in atts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs(), st.sampled_from([0, 1, 6]), st.booleans())
def test_families_equal_the_attractors_of_every_input_combination(case, split, at_once):
    text, inputs = case
    net = lm.from_bnet(text)
    fams = attractor_families(net, split_inputs=split)
    assert set(fams.inputs) >= set(inputs)  # random rules can make more nodes inputs (x, x)
    inputs = list(fams.inputs)
    total = 0
    everything = []
    for combo in itertools.product((0, 1), repeat=len(inputs)):
        values = dict(zip(inputs, combo))
        exact = lm.attractors(net, "asynchronous", values, method="exhaustive")
        mine = fams.attractors_for(values)
        assert _keys(mine) == _keys(exact)
        assert sorted(a.size for a in mine) == sorted(a.size for a in exact)
        for a in mine:
            assert any(b.contains(a.representative) for b in exact)
            assert a.fixed == next(b for b in exact if b.contains(a.representative)).fixed
        total += len(exact)
        everything.extend(exact)
    assert fams.total == total
    # every record (each family listed in one walk and cut by colour, or cut first): the same
    # attractors, state for state, sorted as an ordinary result
    # at once, or (no family small enough) one BDD per input combination
    with mock.patch.object(families, "MAX_LISTED_CELLS", families.MAX_LISTED_CELLS if at_once else 0):
        listed = fams.records()
    assert [a.key() for a in listed] == sorted(a.key() for a in everything)
    by_key = {a.key(): a for a in everything}
    for a in listed:
        b = by_key[a.key()]
        assert a.fixed == b.fixed and a.oscillating == b.oscillating
        np.testing.assert_array_equal(a.states(), b.states())
        assert a.contains(b.representative) and a.contains(dict(zip(b.nodes, map(int, b.states()[-1]))))
    # each family: its counts and its representative agree with the combinations it covers
    for f in fams:
        assert f.attractors >= f.combinations >= 1 and f.states >= f.attractors
        assert f.contains(f.representative)
        rep_inputs = {n: f.representative[n] for n in fams.inputs}
        assert f.covers(rep_inputs)
        held = [a for a in f.attractors_for(rep_inputs) if a.contains(f.representative)]
        assert len(held) == 1 and held[0].size == f.representative_size
        assert sum(1 for _ in f.input_combinations()) == f.combinations


def test_a_node_stuck_by_the_inputs_counts_one_attractor_per_value():
    # with I=0, C's rule reduces to C: both values are attractors of the same input combination
    net = lm.from_bnet("I, I\nJ, J\nA, I & B\nB, A | J\nC, A & !C | !A & C\n")
    fams = attractor_families(net)
    assert fams.total == 8 and fams.input_combinations == 4
    assert [len(fams.attractors_for({"I": i, "J": j})) for i in (0, 1) for j in (0, 1)] == [2, 2, 3, 1]
    with pytest.raises(lm.LogicModelError, match="missing: J"):
        fams.attractors_for({"I": 0})
    with pytest.raises(lm.LogicModelError, match="not a free input"):
        fams.attractors_for({"I": 0, "J": 0, "A": 1})


def test_cli_by_inputs(tmp_path, capsys):
    from logicmodel.cli import main

    path = tmp_path / "m.bnet"
    path.write_text("I, I\nJ, J\nA, I & B\nB, A | J\n")
    assert main(["attractors", str(path), "--by-inputs", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["attractors"] == 5 and doc["input_combinations"] == 4 and doc["inputs"] == ["I", "J"]
    assert sum(f["attractors"] for f in doc["families"]) == 5
    assert main(["attractors", str(path), "--by-inputs"]) == 0
    assert "5 attractor(s) over 4 combinations of 2 free input(s)" in capsys.readouterr().out
    assert main(["attractors", str(path), "--by-inputs", "--update", "synchronous"]) == 2
    assert "--by-inputs is for asynchronous updating" in capsys.readouterr().err


def _agrees_with_aeon(net, fixed, fams, at_least: int, samples: int) -> None:
    """AEON with the free inputs inlined as parameters: the same number of attractors (colours) and
    (input combination, state) pairs; sampled combinations == our ordinary ``attractors``."""
    import random

    ba = pytest.importorskip("biodivine_aeon")
    graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(net.fix(fixed).to_bnet()).inline_inputs())
    theirs = ba.Attractors.attractors(graph)
    assert fams.total == sum(int(t.colors().cardinality()) for t in theirs) > at_least
    assert sum(f.states for f in fams) == sum(int(t.cardinality()) for t in theirs)
    rng = random.Random(1)
    for _ in range(samples):
        combo = {n: rng.randint(0, 1) for n in fams.inputs}
        assert _keys(fams.attractors_for(combo)) == _keys(lm.attractors(net, "asynchronous", {**fixed, **combo}))


@pytest.mark.slow
def test_jaoude_families_match_aeon_with_inputs_as_parameters():
    """jaoude_thdiff with APC=0: 20 free inputs, over a million attractors; AEON's colour sets agree."""
    pytest.importorskip("biodivine_aeon")
    net = lm.read_bnet(corpus_path("jaoude_thdiff"))
    fams = attractor_families(net, {"APC": 0})
    # the 20 free inputs, and a node whose rule reduces to itself once APC=0 percolates
    assert len(fams.inputs) == 21 and set(net.inputs) - {"APC"} <= set(fams.inputs)
    _agrees_with_aeon(net, {"APC": 0}, fams, at_least=1_000_000, samples=5)


@pytest.mark.slow
def test_whole_jaoude_families_match_aeon(campaign):
    """All of jaoude_thdiff (21 free inputs, 6 million attractors): AEON's colour sets agree (~70 s)."""
    pytest.importorskip("biodivine_aeon")
    net = lm.read_bnet(corpus_path("jaoude_thdiff"))
    fams = attractor_families(net)
    assert fams.inputs == tuple(net.inputs) and len(fams.inputs) == 21
    _agrees_with_aeon(net, {}, fams, at_least=2_000_000, samples=3)


# --------------------------------------------------------------------------- many inputs, by default
@pytest.fixture(scope="module")
def many_inputs(tmp_path_factory):
    """13 free inputs over an 8-node core: 8,192 input combinations, 10,048 attractors (AEON)."""
    path = tmp_path_factory.mktemp("many") / "inputs_k13_core8.bnet"
    path.write_text(generated_corpus().many_inputs(13, 8, seed=1308))
    return path


def test_many_inputs_default_answer_equals_aeon(many_inputs):
    """Past max_input_combinations the default search runs by input families and lists every record."""
    from reference import aeon_match

    net = lm.read_bnet(many_inputs)
    assert len(net.inputs) == 13
    res = lm.attractors(net)
    assert len(res) > 8192
    aeon_match(many_inputs, res)


def test_many_inputs_default_answer_equals_by_inputs_expanded_and_per_combination(many_inputs):
    import random

    net = lm.read_bnet(many_inputs)
    res = lm.attractors(net)
    fams = attractor_families(net)
    assert len(res) == fams.total
    by_combination = {}
    for a in res:
        by_combination.setdefault(tuple(a.fixed[n] for n in net.inputs), []).append(a)
    assert len(by_combination) == 1 << 13  # every combination holds one attractor or more
    rng = random.Random(0)
    for _ in range(60):
        combo = {n: rng.randint(0, 1) for n in net.inputs}
        mine = by_combination[tuple(combo.values())]
        assert _keys(mine) == _keys(fams.attractors_for(combo))
        # the ordinary search of that one combination (exhaustive engine), an independent path
        assert _keys(mine) == _keys(lm.attractors(net, fixed=combo))


def test_too_many_to_list_gives_their_exact_number(many_inputs, capsys):
    from logicmodel.cli import main

    net = lm.read_bnet(many_inputs)
    total = attractor_families(net).total
    with pytest.raises(lm.errors.TooLargeToListError, match=f"{total:,} attractors over 8,192 combinations"):
        lm.attractors(net, max_attractors=1000)
    assert main(["attractors", str(many_inputs), "--max-attractors", "1000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{total:,} attractors" in err and "--by-inputs" in err
    assert main(["attractors", str(many_inputs), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["attractors"]) == total


def test_many_inputs_synchronous_still_refuses_clearly(many_inputs):
    net = lm.read_bnet(many_inputs).knockout("c0")  # does not fit one exhaustive search with the inputs free
    big = lm.from_bnet(net.to_bnet() + "".join(f"p{i}, p{(i + 1) % 20}\n" for i in range(20)))
    with pytest.raises(lm.LogicModelError, match="synchronous updating searches one input combination at a time"):
        lm.attractors(big, "synchronous")
