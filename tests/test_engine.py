"""The engine's helpers against the libraries they stand in for: numpy's unique, networkx's reverse
Cuthill-McKee order, networkx's reachability and terminal components for both state-set algebras;
truth tables and percolation read from ints; the row store; what a symbolic search imports."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from networkx.utils import reverse_cuthill_mckee_ordering

import logicmodel as lm
from logicmodel.engine import percolation
from logicmodel.engine.bitset import IntSpace, Space, space_for, unique, unique_rows
from logicmodel.engine.graphs import reverse_cuthill_mckee, terminal_sccs
from logicmodel.model.rules import Var
from reference import random_networks, to_bnet

ROOT = Path(__file__).resolve().parents[1]

shapes = st.tuples(st.integers(0, 40), st.integers(0, 6))


@settings(max_examples=200, deadline=None)
@given(arrays(np.uint8, shapes, elements=st.integers(0, 2)))
def test_unique_rows_equals_numpy(rows):
    ours = unique_rows(rows)
    assert ours.dtype == rows.dtype
    np.testing.assert_array_equal(ours, np.unique(rows, axis=0))
    if len(ours):
        assert not np.shares_memory(ours, rows)


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.integers(0, 60), elements=st.integers(-5, 5)))
def test_unique_equals_numpy(values):
    np.testing.assert_array_equal(unique(values), np.unique(values))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 60).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))),
                         max_size=3 * n if n else 0))))
def test_reverse_cuthill_mckee_equals_networkx(case):
    """Tie for tie: the BDD variable order of every symbolic search is this order."""
    n, edges = case
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for i, j in edges:
        if i != j:
            g.add_edge(i, j)
    assert reverse_cuthill_mckee(n, edges) == list(reverse_cuthill_mckee_ordering(g))


def test_a_symbolic_search_does_not_import_networkx():
    """networkx takes 200 ms to import, more than most searches; dd would import it for nothing."""
    code = ("import sys, logicmodel as lm\n"
            "res = lm.attractors(lm.read_bnet('networks/osteoclastogenesis.bnet'), method='symbolic')\n"
            "assert len(res) > 0\n"
            "import dd.cudd\n"
            "print(sorted(m for m in ('networkx', 'scipy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    # and networkx still imports afterwards, for those who need it
    code = "from logicmodel.model.functions import bdd_module; bdd_module(); import networkx; print(networkx.Graph)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "Graph" in out.stdout


def test_a_row_store_checks_its_rows_and_the_states_it_is_asked_about():
    from logicmodel.search.stores import RowStore

    rows = np.array([[1, 0, 0], [1, 1, 1]], dtype=np.uint8)
    store = RowStore(("a", "b", "c"), {0: 1}, rows)
    assert store.contains(np.array([1, 1, 1])) and not store.contains(np.array([1, 0, 1]))
    assert store.node_values() == {0: 1} and store.representative().tolist() == [1, 0, 0]
    for bad in ([1], [1, 0, 0, 0]):
        with pytest.raises(ValueError, match="3 values, one per node"):
            store.contains(np.array(bad))
    for bad in (rows[:0], rows[:, :2]):
        with pytest.raises(ValueError, match="one or more rows of 3 values"):
            RowStore(("a", "b", "c"), {}, bad)
    back = pickle.loads(pickle.dumps(store))
    np.testing.assert_array_equal(back.states(), rows)
    assert back.contains(np.array([1, 0, 0])) and back.size == 2


@st.composite
def flip_graphs(draw):
    """A subspace of 0-8 free nodes and, per node, the set of states in which it can flip (as codes)."""
    n = draw(st.integers(0, 8))
    size = 1 << n
    masks = [draw(st.integers(0, (1 << size) - 1)) for _ in range(n)]
    return n, [[c for c in range(size) if (m >> c) & 1] for m in masks]


def _explicit(n, flips, bits):
    g = nx.DiGraph()
    g.add_nodes_from(range(1 << n))
    for j, codes in enumerate(flips):
        g.add_edges_from((c, c ^ (1 << bits[j])) for c in codes)
    return g


@settings(max_examples=150, deadline=None)
@given(flip_graphs(), st.randoms(use_true_random=False))
def test_both_state_set_algebras_agree_with_the_explicit_graph(case, rnd):
    """Reachability and terminal SCCs on ints and on packed words equal networkx on the explicit graph."""
    n, flips = case
    bits = list(range(n))
    rnd.shuffle(bits)
    g = _explicit(n, flips, bits)
    expected = sorted(sorted(c) for c in nx.attracting_components(g))
    start = rnd.randrange(1 << n)
    for sp in (IntSpace(n), Space(n)):
        sets = [sp.from_codes(c) for c in flips]
        assert [sp.codes(s).tolist() for s in sets] == flips
        assert [sp.count(s) for s in sets] == [len(c) for c in flips]
        found = sorted(c.tolist() for c in terminal_sccs(sp, sets, bits))
        assert found == expected, type(sp).__name__
        fwd = sp.forward(sp.single(start), sets, bits)
        assert sp.codes(fwd).tolist() == sorted(nx.descendants(g, start) | {start})
        back = sp.backward(sp.single(start), sets, bits)
        assert sp.to_bools(back).tolist() == [c in nx.ancestors(g, start) | {start} for c in range(1 << n)]
        if flips and flips[0]:
            assert sp.first(sets[0]) == flips[0][0]
        for b in range(n):
            assert sp.codes(sp.bit_set(b)).tolist() == [c for c in range(1 << n) if (c >> b) & 1]
            assert sp.codes(sp.flip(sp.single(start), b)).tolist() == [start ^ (1 << b)]


def test_small_subspaces_hold_their_sets_in_ints():
    assert isinstance(space_for(16), IntSpace) and isinstance(space_for(17), Space)


@settings(max_examples=150, deadline=None)
@given(random_networks(max_nodes=6))
def test_integer_truth_tables_equal_row_by_row_evaluation(case):
    """Each row of a truth table (an int evaluated on bit columns) equals the rule evaluated on plain bools."""
    names, tables, _ = case
    net = lm.from_bnet(to_bnet(names, tables))
    for node, rule in zip(net.nodes, net.rules):
        regs = net.regulators(node)
        rows = [bool(rule.evaluate({r: bool((row >> j) & 1) for j, r in enumerate(regs)})) for row in range(1 << len(regs))]
        assert net.truth_table(node).tolist() == rows
        assert [bool((net.truth_bits(node) >> row) & 1) for row in range(1 << len(regs))] == rows


@settings(max_examples=100, deadline=None)
@given(random_networks(max_nodes=7))
def test_percolation_from_integer_tables_equals_percolation_from_boolean_tables(case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    ints = percolation.Percolator(net)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(percolation, "INT_TABLE_MAX_REGULATORS", -1)
        bools = percolation.Percolator(net)
    assert all(b is None for b in bools._bits) and not any(b is None for b in ints._bits)
    assert ints.percolate(fixed) == bools.percolate(fixed)
    for node in net.nodes:
        if net.rule(node) != Var(node):
            assert ints.percolate({node: 1}) == bools.percolate({node: 1})


@settings(max_examples=100, deadline=None)
@given(random_networks(max_nodes=7), st.booleans(), st.booleans())
def test_value_sets_hold_each_rule_evaluated_state_by_state(case, from_tables, in_words):
    """Value sets, folded on the sets or read from truth tables, on ints or on words, equal the rule
    evaluated on each decoded state with plain bools."""
    from logicmodel.engine import bitset, kernels

    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "FOLD_UP_TO", -1 if from_tables else 10**9)
        mp.setattr(bitset, "INT_SET_MAX_BITS", -1 if in_words else 64)
        kernel = lm.engine.compiled(net).kernel(fixed, percolate=False)
        sp = kernel.space()
        assert isinstance(sp, Space if in_words else IntSpace)
        sets = kernel.value_sets()
    states = kernel.decode(np.arange(kernel.size))
    for j, i in enumerate(kernel.free_idx):
        rule = net.rules[i]
        expected = [bool(rule.evaluate({n: bool(v) for n, v in zip(net.nodes, row)})) for row in states.tolist()]
        assert sp.to_bools(sets[j]).tolist() == expected
