"""The symbolic (BDD) method: brute force on small networks, AEON and pyboolnet on the large models.

Large models of pyboolnet's repository (10^12-state attractors, 40-80 free nodes) are compared with
biodivine AEON's exact asynchronous attractors; their synchronous attractors are checked against
pyboolnet's steady states (fixed points are the same in both modes) and, where the state space
fits, against the exhaustive engine (itself tested against the explicit state-transition graph).
"""
from __future__ import annotations

import itertools
import random
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logicmodel as lm
from logicmodel.search.choose import Limits
from logicmodel.search.symbolic import Budget, SymbolicSpace, count_exact, new_manager
from logicmodel.search.symbolic.synchronous import sync_attractors

from reference import (MOTIF_AVOIDANT, corpus_path, explicit_stg, fixed_tables, pyboolnet_primes,
                       pyboolnet_steady_states, pyboolnet_synchronous_attractors, pyboolnet_trap_spaces,
                       random_networks, reference_attractors, state_sets, to_bnet)

_states = state_sets


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_synchronous_symbolic_matches_brute_force(case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    expected = reference_attractors(explicit_stg(fixed_tables(tables, names, fixed), "synchronous"))
    res = lm.attractors(net, "synchronous", fixed, method="symbolic")
    assert _states(res) == expected
    for a in res:
        assert a.contains(a.representative)
        assert a.representative == dict(zip(net.nodes, map(int, a.states()[0])))
        rows = a.states()
        for n, v in a.fixed.items():
            assert set(rows[:, net.index(n)]) == {v}
        for n in a.oscillating:
            assert set(rows[:, net.index(n)]) == {0, 1}


@pytest.mark.parametrize("update", ["asynchronous", "synchronous"])
def test_symbolic_equals_exhaustive_on_the_corpus(fitting_model, update):
    net = lm.read_bnet(corpus_path(fitting_model))
    exact = lm.attractors(net, update, method="exhaustive")
    res = lm.attractors(net, update, method="symbolic")
    assert res.method == ("symbolic",)
    assert [a.key() for a in res] == [a.key() for a in exact]
    assert [a.fixed for a in res] == [a.fixed for a in exact]
    assert [a.oscillating for a in res] == [a.oscillating for a in exact]
    small = [(a, b) for a, b in zip(res, exact) if a.size <= 4096]
    for a, b in small:  # the states listed from the BDD's cubes are those of the explicit search
        assert np.array_equal(a.states(), b.states())


def test_synchronous_attractors_match_pyboolnet_stg(stg_model):
    """Synchronous attractors = the cycles of pyboolnet's explicit synchronous graph (primes2stg + networkx),
    on every corpus model small enough for an explicit graph (default method, and symbolic)."""
    expected = pyboolnet_synchronous_attractors(pyboolnet_primes(corpus_path(stg_model)))
    net = lm.read_bnet(corpus_path(stg_model))
    for method in ("auto", "symbolic"):
        res = lm.attractors(net, "synchronous", method=method)
        got = sorted((frozenset(tuple(sorted(s.items())) for s in a.iter_states()) for a in res),
                     key=lambda c: (len(c), min(c)))
        assert got == expected, method


@pytest.mark.slow
@pytest.mark.parametrize("name", ["grieco_mapk"])
def test_large_models_synchronous_fixed_points_match_pyboolnet(name):
    expected = pyboolnet_steady_states(pyboolnet_primes(corpus_path(name)))
    res = lm.attractors(lm.read_bnet(corpus_path(name)), "synchronous")
    assert "symbolic" in res.method
    assert {tuple(sorted(a.representative.items())) for a in res.fixed_points} == expected
    net = lm.read_bnet(corpus_path(name))
    for a in res.cyclic:  # a synchronous attractor is one cycle: follow it by evaluating the rules
        state = dict(a.representative)
        seen = []
        while state not in seen:
            assert a.contains(state)
            seen.append(state)
            state = {n: int(bool(r.evaluate({k: bool(v) for k, v in state.items()})))
                     for n, r in zip(net.nodes, net.rules)}
        assert state == a.representative and len(seen) == a.size


def test_counts_are_exact_past_float_precision():
    """Sizes above 2**53 are counted with integers (a float would round them)."""
    n = 70
    text = "\n".join(f"v{i}, !v{i}" if i < n - 1 else f"v{i}, v{i} & v0" for i in range(n)) + "\n"
    net = lm.from_bnet(text)
    sp = SymbolicSpace(net, {}, new_manager(net))
    everything_but_one = ~(sp.cube({i: 1 for i in sp.free}))
    assert count_exact(sp.bdd, everything_but_one, n, sp.names) == 2 ** n - 1


def test_limits_raise_naming_the_knob():
    net = lm.read_bnet(corpus_path("zhang_tlgl"))
    with pytest.raises(lm.LogicModelError, match="max_bdd_nodes"):
        lm.attractors(net, method="symbolic", max_bdd_nodes=1000)
    with pytest.raises(lm.LogicModelError, match="time_limit"):
        lm.attractors(net, method="symbolic", time_limit=0.01)


def _random_and_or_network(n: int, seed: int) -> str:
    """Each node an and/or formula of 2-3 random regulators: synchronous basins with huge BDDs."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        lits = [("!" if rng.random() < 0.4 else "") + f"x{r}" for r in rng.sample(range(n), rng.randint(2, 3))]
        rule = lits[0]
        for lit in lits[1:]:
            rule = f"({rule} {rng.choice('&|')} {lit})"
        lines.append(f"x{i}, {rule}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("limit, message", [(dict(time_limit=1.0), "--time-limit"),
                                            (dict(max_bdd_work=2_000_000), "--max-bdd-work")])
def test_one_long_bdd_operation_stops_at_the_limit(limit, message):
    """The first pre-image of this 200-node network is one vector compose that runs for minutes: CUDD
    abandons it at the limit, and the manager stays usable afterwards."""
    net = lm.from_bnet(_random_and_or_network(200, seed=200))
    sp = SymbolicSpace(net, {}, new_manager(net))
    budget = Budget(Limits(**limit).started())
    t0 = time.monotonic()
    with pytest.raises(lm.SearchIncompleteError, match=message):
        with budget.guard(sp.bdd):
            sync_attractors(sp, budget)
    assert time.monotonic() - t0 < 20
    x0, x1 = sp.bdd.var("x0"), sp.bdd.var("x1")
    assert sp.bdd.let({"x0": x1}, x0 & ~x1) == sp.false  # no callback left behind, results still exact
    assert (x0 | x1).count(nvars=2) == 3


def test_too_many_attractors_to_list_stop_with_their_number():
    """jaoude_thdiff has 21 free inputs and 6,063,664 attractors (AEON, test_families): counted by input
    families, past max_attractors, the error gives the number and how to group them."""
    net = lm.read_bnet(corpus_path("jaoude_thdiff"))
    with pytest.raises(lm.LogicModelError, match=r"6,063,664 attractors over 2,097,152 combinations.*--by-inputs"):
        lm.attractors(net)


@pytest.mark.slow
def test_jaoude_under_fixed_inputs_matches_aeon():
    """With most inputs fixed, jaoude_thdiff (103 nodes) gives AEON's attractors, inputs split or not."""
    ba = pytest.importorskip("biodivine_aeon")
    net = lm.read_bnet(corpus_path("jaoude_thdiff"))
    inputs = list(net.inputs)
    fixed = {n: 0 for n in inputs[4:]}
    fixed["APC"] = 1
    res = lm.attractors(net, "asynchronous", fixed)
    assert "symbolic" in res.method
    graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(net.fix(fixed).to_bnet()))
    theirs = ba.Attractors.attractors(graph)
    assert len(res) == len(theirs) > 1
    assert sorted(a.size for a in res) == sorted(int(t.vertices().cardinality()) for t in theirs)
    for a in res:
        rep = graph.mk_subspace_vertices({n: bool(v) for n, v in a.representative.items()})
        hits = [t for t in theirs if not t.vertices().intersect(rep).is_empty()]
        assert len(hits) == 1 and int(hits[0].vertices().cardinality()) == a.size


# --------------------------------------------------------------------------- attractors outside minimal trap spaces
def _core_tables():
    """Truth tables of the 3-node motif-avoidant core (test_attractors.MOTIF_AVOIDANT)."""
    net = lm.from_bnet(MOTIF_AVOIDANT)
    tables = []
    for rule in net.rules:
        table = {}
        for vals in itertools.product((0, 1), repeat=3):
            table[vals] = int(bool(rule.evaluate({f"x{i}": bool(v) for i, v in enumerate(vals)})))
        tables.append(((0, 1, 2), table))
    return tables


@st.composite
def motif_avoidant_networks(draw):
    """The core, with each core node possibly read negated, plus random downstream nodes.

    Negating a node's meaning keeps the dynamics isomorphic, and nodes downstream of the core cannot
    bring its 6-state attractor into a minimal trap space: a trap space holding it projects onto a
    trap space of the core that holds it, and none of those is minimal.
    """
    flips = draw(st.lists(st.integers(0, 1), min_size=3, max_size=3))
    tables = []
    for i, (regs, table) in enumerate(_core_tables()):
        new = {}
        for vals in itertools.product((0, 1), repeat=3):
            orig = tuple(v ^ f for v, f in zip(vals, flips))
            new[vals] = table[orig] ^ flips[i]
        tables.append((regs, new))
    extra = draw(st.integers(0, 4))
    for j in range(3, 3 + extra):
        k = draw(st.integers(1, min(3, j + 1)))
        regs = tuple(sorted(draw(st.lists(st.integers(0, j), min_size=k, max_size=k, unique=True))))
        outs = draw(st.lists(st.integers(0, 1), min_size=1 << k, max_size=1 << k))
        tables.append((regs, {vals: outs[m] for m, vals in enumerate(itertools.product((0, 1), repeat=k))}))
    names = [f"x{i}" for i in range(len(tables))]
    return names, tables


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(motif_avoidant_networks())
def test_attractors_outside_minimal_trap_spaces_are_found_exactly(case):
    names, tables = case
    net = lm.from_bnet(to_bnet(names, tables))
    expected = reference_attractors(explicit_stg(tables, "asynchronous"))
    minimal = pyboolnet_trap_spaces(pyboolnet_primes(net.to_bnet()), "min")

    def in_minimal_trap_space(states) -> bool:
        return any(all(s[names.index(n)] == v for s in states for n, v in space.items()) for space in minimal)

    outside = [a for a in expected if not in_minimal_trap_space(a)]
    assert outside, "the construction must yield an attractor outside every minimal trap space"
    for method in ("exhaustive", "symbolic", "candidates", "auto"):
        res = lm.attractors(net, "asynchronous", method=method, max_states=1 << 16)
        assert _states(res) == expected, method


def test_symbolic_attractors_pickle():
    """Results travel between processes (screen workers): BDDs go as node lists into a fresh manager."""
    import pickle

    net = lm.read_bnet(corpus_path("irons_yeast"))
    res = lm.attractors(net, method="symbolic")
    back = pickle.loads(pickle.dumps(res))
    assert [a.key() for a in back] == [a.key() for a in res]
    for a, b in zip(res, back):
        assert a.size == b.size and a.fixed == b.fixed and a.oscillating == b.oscillating
        assert b.contains(a.representative)
    assert (back[0].states() == res[0].states()).all()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(), st.data())
def test_forward_and_backward_sets_match_the_explicit_graph(case, data):
    """Structural saturation (a node reopens only when a node it depends on either way fires) gives the
    reachable sets of the explicit asynchronous graph, inside the whole space and inside a smaller trap."""
    import networkx as nx

    names, tables, _ = case
    net = lm.from_bnet(to_bnet(names, tables))
    g = explicit_stg(tables, "asynchronous")
    states = sorted(g.nodes)
    sp = SymbolicSpace(net, {}, new_manager(net))

    def to_bdd(chosen):
        out = sp.false
        for state in chosen:
            out = out | sp.cube(dict(enumerate(state)))
        return out

    def from_bdd(u):
        return {state for state in states if (sp.cube(dict(enumerate(state))) & u) != sp.false}

    seeds = data.draw(st.sets(st.sampled_from(states), max_size=4))
    universe = set(states)
    if data.draw(st.booleans()):  # a smaller trap: what those seeds reach
        universe = set(seeds).union(*(nx.descendants(g, s) for s in seeds)) if seeds else set()
    start = data.draw(st.sets(st.sampled_from(sorted(universe)), max_size=3)) if universe else set()
    u = to_bdd(universe) if universe != set(states) else sp.true
    inside = g.subgraph(universe)
    expected_fwd = set(start).union(*(nx.descendants(g, s) for s in start))
    expected_bwd = set(start).union(*(nx.ancestors(inside, s) for s in start))
    assert from_bdd(sp.forward(to_bdd(start), u)) == expected_fwd
    assert from_bdd(sp.backward(to_bdd(start), u)) == expected_bwd
