"""Attractors, checked against independent references.

- hypothesis-generated small networks: explicit state-transition graph + networkx terminal SCCs;
- pyboolnet's model repository: pyboolnet's steady states and minimal trap spaces, and
  biodivine AEON's exact asynchronous attractors.
"""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.compat import quiet_import

from conftest import MEDIUM_CORPUS, SMALL_CORPUS, corpus_path, explicit_stg, reference_attractors


# --------------------------------------------------------------------------- random networks
@st.composite
def random_networks(draw, max_nodes: int = 7):
    n = draw(st.integers(1, max_nodes))
    names = [f"x{i}" for i in range(n)]
    tables = []
    for i in range(n):
        k = draw(st.integers(0, min(3, n)))
        regs = tuple(sorted(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True))))
        outs = draw(st.lists(st.integers(0, 1), min_size=1 << len(regs), max_size=1 << len(regs)))
        table = {vals: outs[j] for j, vals in enumerate(itertools.product((0, 1), repeat=len(regs)))}
        tables.append((regs, table))
    fixed_nodes = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
    fixed = {names[i]: draw(st.integers(0, 1)) for i in fixed_nodes}
    return names, tables, fixed


def to_bnet(names, tables) -> str:
    """Write explicit truth tables as a DNF of minterms (the text our parser must get right)."""
    lines = []
    for name, (regs, table) in zip(names, tables):
        terms = []
        for vals, out in table.items():
            if out:
                lits = [names[r] if v else f"!{names[r]}" for r, v in zip(regs, vals)]
                terms.append(" & ".join(lits) if lits else "1")
        lines.append(f"{name}, {' | '.join(f'({t})' for t in terms) if terms else '0'}")
    return "\n".join(lines) + "\n"


def fixed_tables(tables, names, fixed):
    out = list(tables)
    for node, v in fixed.items():
        out[names.index(node)] = ((), {(): v})
    return out


def ours(net, update, fixed):
    res = lm.attractors(net, update, fixed)
    return sorted((frozenset(tuple(int(x) for x in row) for row in a.states()) for a in res),
                  key=lambda c: (len(c), min(c)))


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
def _pyboolnet_primes(name):
    fe = quiet_import("pyboolnet.file_exchange")
    return fe.bnet2primes(str(corpus_path(name)))


@pytest.mark.parametrize("name", SMALL_CORPUS)
def test_fixed_points_match_pyboolnet(name):
    ss = quiet_import("pyboolnet.trap_spaces")
    expected = {tuple(sorted(s.items())) for s in ss.compute_steady_states(_pyboolnet_primes(name))}
    net = lm.read_bnet(corpus_path(name))
    got = {tuple(sorted(a.representative.items())) for a in lm.fixed_points(net)}
    assert got == expected
    res = lm.attractors(net, "asynchronous")
    assert {tuple(sorted(a.representative.items())) for a in res.fixed_points} == expected


@pytest.mark.parametrize("name", SMALL_CORPUS)
def test_minimal_trap_spaces_hold_an_attractor(name):
    ts = quiet_import("pyboolnet.trap_spaces")
    spaces = ts.compute_trap_spaces(_pyboolnet_primes(name), "min")
    res = lm.attractors(lm.read_bnet(corpus_path(name)), "asynchronous")
    for space in spaces:
        assert any(all(a.fixed.get(n) == v for n, v in space.items()) for a in res), space


def _aeon_match(name, res):
    ba = pytest.importorskip("biodivine_aeon")
    bn = ba.BooleanNetwork.from_file(str(corpus_path(name)))
    graph = ba.AsynchronousGraph(bn)
    theirs = ba.Attractors.attractors(graph)
    assert len(res) == len(theirs)
    assert sorted(a.size for a in res) == sorted(int(t.vertices().cardinality()) for t in theirs)
    used = set()
    for a in res:
        rep = graph.mk_subspace_vertices({n: bool(v) for n, v in a.representative.items()})
        hits = [i for i, t in enumerate(theirs) if not t.vertices().intersect(rep).is_empty()]
        assert len(hits) == 1
        assert int(theirs[hits[0]].vertices().cardinality()) == a.size
        used.add(hits[0])
    assert len(used) == len(theirs)


@pytest.mark.parametrize("name", SMALL_CORPUS)
def test_async_attractors_match_aeon(name):
    _aeon_match(name, lm.attractors(lm.read_bnet(corpus_path(name)), "asynchronous"))


@pytest.mark.slow
@pytest.mark.parametrize("name", MEDIUM_CORPUS)
def test_async_attractors_match_aeon_medium(name):
    _aeon_match(name, lm.attractors(lm.read_bnet(corpus_path(name)), "asynchronous"))


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
    got = sorted((frozenset(tuple(int(x) for x in row) for row in a.states()) for a in res),
                 key=lambda c: (len(c), min(c)))
    assert got == expected
    for a in res:
        assert a.contains(a.representative)
        assert a.representative == dict(zip(net.nodes, map(int, a.states()[0])))


MOTIF_AVOIDANT = """
x0, (!x0 & x1 & !x2) | (!x0 & x1 & x2) | (x0 & !x1 & !x2)
x1, (!x0 & !x1 & !x2) | (!x0 & !x1 & x2) | (!x0 & x1 & !x2) | (!x0 & x1 & x2) | (x0 & x1 & !x2)
x2, (!x0 & !x1 & x2) | (!x0 & x1 & !x2) | (x0 & !x1 & x2) | (x0 & x1 & !x2)
"""


def test_attractor_outside_minimal_trap_spaces_is_found():
    """A 6-state attractor that lies in no minimal trap space (the only one is the fixed point 100)."""
    net = lm.from_bnet(MOTIF_AVOIDANT)
    ts = quiet_import("pyboolnet.trap_spaces")
    fe = quiet_import("pyboolnet.file_exchange")
    assert ts.compute_trap_spaces(fe.bnet2primes(net.to_bnet()), "min") == [{"x0": 1, "x1": 0, "x2": 0}]
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
    _aeon_match(name, res)
