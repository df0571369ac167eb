"""Attractors, checked against independent references.

- hypothesis-generated small networks: explicit state-transition graph + networkx terminal SCCs;
- pyboolnet's model repository (the ``corpus_model`` / ``fitting_model`` fixtures, see conftest):
  pyboolnet's steady states and minimal trap spaces, and biodivine AEON's exact asynchronous attractors.
"""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm

from reference import (MOTIF_AVOIDANT, aeon_match, corpus_attractors, corpus_path, explicit_stg, fixed_tables,
                       generated_corpus, needs_symbolic, pyboolnet_primes, pyboolnet_steady_states, pyboolnet_trap_spaces,
                       random_networks, reference_attractors, state_sets, to_bnet)


def ours(net, update, fixed):
    return state_sets(lm.attractors(net, update, fixed))


@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_random_networks_match_brute_force(update, case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    expected = reference_attractors(explicit_stg(fixed_tables(tables, names, fixed), update))
    assert ours(net, update, fixed) == expected


@settings(max_examples=60, deadline=None)
@given(random_networks(max_nodes=6))
def test_invariants(case):
    """Fixed points = size-1 attractors in both modes; records are consistent with their states."""
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    fps = {tuple(a.representative.values()) for a in lm.fixed_points(net, fixed)}
    for update in ("asynchronous", "synchronous"):
        res = lm.attractors(net, update, fixed)
        assert {tuple(a.representative.values()) for a in res.fixed_points} == fps
        keys = [a.key() for a in res]
        assert keys == sorted(keys)
        for a in res:
            states = a.states()
            assert len(states) == a.size
            assert a.contains(a.representative)
            for n, v in a.fixed.items():
                assert set(states[:, net.index(n)]) == {v}
            for n in a.oscillating:
                assert set(states[:, net.index(n)]) == {0, 1}
            assert tuple(states[0]) == tuple(a.representative.values())


def test_negative_loop_is_a_cycle():
    net = lm.from_bnet("A, !B\nB, A")
    (a,) = lm.attractors(net, "asynchronous")
    assert a.size == 4 and a.oscillating == ("A", "B") and not a.fixed
    (s,) = lm.attractors(net, "synchronous")
    assert s.size == 4


def test_cap_is_named_and_exact():
    net = lm.from_bnet("\n".join(f"x{i}, !x{(i + 1) % 12}" for i in range(12)))
    with pytest.raises(lm.StateSpaceTooLargeError, match="max_states=1,024"):
        lm.attractors(net, method="exhaustive", max_states=1024)
    sync_exact = lm.attractors(net, "synchronous", max_states=4096)
    sync_beyond = lm.attractors(net, "synchronous", max_states=1024)  # auto: the symbolic method takes over
    assert sync_beyond.method == ("symbolic",)
    assert [a.key() for a in sync_beyond] == [a.key() for a in sync_exact]
    exact = lm.attractors(net, max_states=4096)
    beyond = lm.attractors(net, max_states=1024)  # auto: another exact method takes over, same answer
    assert "exhaustive" not in beyond.method
    assert [a.key() for a in beyond] == [a.key() for a in exact]
    by_candidates = lm.attractors(net, method="candidates", max_states=1024)
    assert [a.key() for a in by_candidates] == [a.key() for a in exact]


def test_percolation_reduces_search():
    net = lm.from_bnet("A, A\nB, A\nC, B & C\nD, !D & C")
    res = lm.attractors(net, fixed={"A": 0})
    assert res.free == () and res.states_searched == 1
    assert res.percolated == {"A": 0, "B": 0, "C": 0, "D": 0}


def test_update_mode_errors():
    net = lm.from_bnet("A, A")
    with pytest.raises(ValueError, match="asynchronous, synchronous"):
        lm.attractors(net, "mixed")


# --------------------------------------------------------------------------- pyboolnet repository
def test_fixed_points_match_pyboolnet(fitting_model):
    expected = pyboolnet_steady_states(pyboolnet_primes(corpus_path(fitting_model)))
    net = lm.read_bnet(corpus_path(fitting_model))
    got = {tuple(sorted(a.representative.items())) for a in lm.fixed_points(net)}
    assert got == expected
    res = lm.attractors(net, "asynchronous")
    assert {tuple(sorted(a.representative.items())) for a in res.fixed_points} == expected


def test_minimal_trap_spaces_hold_an_attractor(corpus_model):
    """AEON's invariants on the whole corpus: every fixed point (pyboolnet's) is an attractor of ours, and
    every minimal trap space (pyboolnet's) holds one."""
    primes = pyboolnet_primes(corpus_path(corpus_model))
    res = corpus_attractors(corpus_model)
    points = {tuple(sorted(a.representative.items())) for a in res.fixed_points}
    assert pyboolnet_steady_states(primes) <= points
    for space in pyboolnet_trap_spaces(primes, "min"):
        assert any(all(a.fixed.get(n) == v for n, v in space.items()) for a in res), space


def test_async_attractors_match_aeon(corpus_model):
    """The default method (auto) gives AEON's attractors on every corpus model: exhaustive, factored and
    symbolic subspaces together; where the chooser sends every subspace to the symbolic method (grieco_mapk,
    zhang_tlgl, selvaggio_emt, ...), that is the method that ran."""
    res = corpus_attractors(corpus_model)
    if needs_symbolic(corpus_model):
        assert "symbolic" in res.method
    aeon_match(corpus_path(corpus_model), res)


def test_osteoclastogenesis_matches_aeon_under_conditions(osteo_model):
    ba = pytest.importorskip("biodivine_aeon")
    net = osteo_model.network
    meta = osteo_model.metadata
    for cname in ("baseline", "estrogen_deficiency", "pth_excess", "inflammatory_ifng"):
        fixed = meta.condition(cname).values
        fixed_net = net.fix(fixed)
        res = lm.attractors(fixed_net, "asynchronous")
        bn = ba.BooleanNetwork.from_bnet(fixed_net.to_bnet())
        graph = ba.AsynchronousGraph(bn)
        theirs = ba.Attractors.attractors(graph)
        assert len(theirs) == len(res)
        for a in res:
            rep = graph.mk_subspace_vertices({n: bool(v) for n, v in a.representative.items()})
            assert any(not t.vertices().intersect(rep).is_empty() for t in theirs)


# --------------------------------------------------------------------------- the candidate method (beyond the cap)
@pytest.mark.parametrize("method", ["candidates", "factored", "symbolic"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_methods_beyond_the_cap_match_brute_force(method, case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    expected = reference_attractors(explicit_stg(fixed_tables(tables, names, fixed), "asynchronous"))
    res = lm.attractors(net, "asynchronous", fixed, method=method)
    assert state_sets(res) == expected
    for a in res:
        assert a.contains(a.representative)
        assert a.representative == dict(zip(net.nodes, map(int, a.states()[0])))


def test_attractor_outside_minimal_trap_spaces_is_found():
    """A 6-state attractor that lies in no minimal trap space (the only one is the fixed point 100)."""
    net = lm.from_bnet(MOTIF_AVOIDANT)
    assert pyboolnet_trap_spaces(pyboolnet_primes(net.to_bnet()), "min") == [{"x0": 1, "x1": 0, "x2": 0}]
    for method in ("exhaustive", "candidates", "symbolic"):
        res = lm.attractors(net, method=method)
        assert sorted(a.size for a in res) == [1, 6]
        big = res.attractors[1]
        assert big.oscillating == ("x0", "x1", "x2")


@pytest.mark.parametrize("name", ["randomnet_n15k3", "dinwoodie_life", "tournier_apoptosis", "calzone_cellfate"])
def test_methods_beyond_the_cap_agree_with_exhaustive(name):
    net = lm.read_bnet(corpus_path(name))
    exact = lm.attractors(net, method="exhaustive")
    for method in ("auto", "candidates", "symbolic"):
        res = lm.attractors(net, method=method, max_states=1 << 8)
        assert "exhaustive" not in res.method or method == "auto"
        assert [a.key() for a in res] == [a.key() for a in exact]
        assert [a.fixed for a in res] == [a.fixed for a in exact]


def test_incomplete_search_raises_naming_the_limit():
    net = lm.read_bnet(corpus_path("irons_yeast"))
    with pytest.raises(lm.LogicModelError, match="max_states"):
        lm.attractors(net, method="candidates", max_states=1000)
    with pytest.raises(lm.LogicModelError, match="max_candidates"):
        lm.attractors(net, method="candidates", max_candidates=0)
    with pytest.raises(ValueError, match="asynchronous"):
        lm.attractors(net, "synchronous", method="candidates")


@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
@settings(max_examples=40, deadline=None)
@given(random_networks(max_nodes=5))
def test_state_transition_graph_matches_explicit(update, case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    g = lm.state_transition_graph(net, update)
    ref = explicit_stg(tables, update)
    as_label = lambda s: "".join(map(str, s))  # noqa: E731
    assert set(g.nodes) == {as_label(s) for s in ref.nodes}
    assert set(g.edges) == {(as_label(a), as_label(b)) for a, b in ref.edges if a != b}


# --------------------------------------------------------------------------- the factored method
@pytest.mark.parametrize("name", ["klamt_tcr", "remy_tumorigenesis", "calzone_cellfate", "dahlhaus_neuroplastoma"])
def test_factored_matches_aeon_including_huge_attractors(name):
    """klamt_tcr has an attractor of 133,143,986,176 states: kept as an exact product."""
    res = lm.attractors(lm.read_bnet(corpus_path(name)), method="factored")
    aeon_match(corpus_path(name), res)


@pytest.mark.parametrize("name, text, method", [
    ("random_n20", lambda g: g.random_network(20, seed=20), "symbolic"),  # one block of 18: nothing to factor
    ("oscillator_n50", lambda g: g.oscillator(50, seed=50), "factored"),  # a cascade of small blocks
])
def test_the_chooser_factors_only_where_blocks_leave_nodes_out(name, text, method, tmp_path):
    """Past SYMBOLIC_ABOVE free nodes, auto factors a subspace only when its largest block leaves
    FACTORED_MIN_SPLIT nodes out; either way the answer is AEON's."""
    from logicmodel.search.choose import FACTORED_MIN_SPLIT, SYMBOLIC_ABOVE, Limits, plan

    path = tmp_path / f"{name}.bnet"
    path.write_text(text(generated_corpus()))
    net = lm.read_bnet(path)
    (part,) = plan(net, {}, "asynchronous", "auto", Limits())
    assert part.n > SYMBOLIC_ABOVE
    assert (part.n - part.largest_block >= FACTORED_MIN_SPLIT) == (method == "factored")
    res = lm.attractors(net)
    assert res.method == (method,)
    aeon_match(path, res)
