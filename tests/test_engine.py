"""The engine's helpers against the libraries they stand in for: numpy's unique, networkx's reverse
Cuthill-McKee order, networkx's reachability and terminal components for both state-set algebras;
truth tables and percolation read from ints; the row store; what a symbolic search imports."""
from __future__ import annotations

import itertools
import pickle
import random
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
from logicmodel.model.network import MAX_TRUTH_TABLE_REGULATORS
from logicmodel.model.rules import Var, all_rows, bit_columns, evaluate_bits, parse_rule
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
        with pytest.raises(ValueError, match="empty set"):
            sp.first(sp.empty())
        for s in sets:
            assert sp.codes(sp.complement(s)).tolist() == sorted(set(range(1 << n)) - set(sp.codes(s).tolist()))
        for b in range(n):
            assert sp.codes(sp.bit_set(b)).tolist() == [c for c in range(1 << n) if (c >> b) & 1]
            assert sp.codes(sp.flip(sp.single(start), b)).tolist() == [start ^ (1 << b)]


def test_small_subspaces_hold_their_sets_in_ints():
    assert isinstance(space_for(16), IntSpace) and isinstance(space_for(17), Space)


@pytest.mark.parametrize("n", [16, 17])
def test_ints_and_words_give_the_same_attractors_at_the_boundary(n):
    """A search of 16 and of 17 free nodes (the two sides of MAX_INT_SET_NODES) on ints and on words."""
    from logicmodel.engine import bitset

    rnd = random.Random(n)
    names = [f"x{j}" for j in range(n)]
    rules = []
    for j, name in enumerate(names):
        a, b = rnd.sample([m for m in names if m != name], 2)
        rules.append(f"{name}, " + rnd.choice([f"{a} & !{b}", f"!{a} | {b}", f"{a} & {b} | !{name}", f"!{a}"]))
    net = lm.from_bnet("\n".join(rules))

    def found(limit):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(bitset, "MAX_INT_SET_NODES", limit)
            kernel = lm.engine.compiled(net).kernel({}, percolate=False)
            sp = kernel.space()
            flips = [v ^ sp.bit_set(b) for v, b in zip(kernel.value_sets(), kernel.bits)]
            return type(sp), sorted(c.tolist() for c in terminal_sccs(sp, flips, kernel.bits))

    (t1, ints), (t2, words) = found(n), found(-1)
    assert (t1, t2) == (IntSpace, Space)
    assert ints == words and ints


def test_evaluate_bits_reads_fixed_nodes_from_constants():
    rule = parse_rule("A & !B | C")
    assert evaluate_bits(rule, {"A": 0b1100, "B": 0b1010}, 0b1111, 0, constants={"C": False}) == 0b0100
    assert evaluate_bits(rule, {"A": 0b1100, "B": 0b1010}, 0b1111, 0, constants={"C": True}) == 0b1111
    assert evaluate_bits(rule, {"A": 0b1100}, 0b1111, 0, constants={"B": False, "C": 0}) == 0b1100
    with pytest.raises(KeyError):
        evaluate_bits(rule, {"A": 0b1100}, 0b1111, 0)


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


def _percolate_by_enumeration(net: lm.Network, fixed: dict[str, int]) -> dict[str, int]:
    """Constant propagation by brute force: a free node is fixed once its rule, evaluated with plain
    bools on every assignment of its free regulators, gives one value; repeated until nothing changes."""
    values = {**{n: int(v) for n, v in net.constants.items()}, **fixed}
    changed = True
    while changed:
        changed = False
        for node, rule in zip(net.nodes, net.rules):
            if node in values:
                continue
            free = [r for r in net.regulators(node) if r not in values]
            seen = {bool(rule.evaluate({**{n: bool(v) for n, v in values.items()}, **dict(zip(free, row))}))
                    for row in itertools.product((False, True), repeat=len(free))}
            if len(seen) == 1:
                values[node] = int(seen.pop())
                changed = True
    return values


@settings(max_examples=100, deadline=None)
@given(random_networks(max_nodes=7))
def test_percolation_equals_propagation_by_enumeration(case):
    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    perc = percolation.Percolator(net)

    def named(values):
        return {net.nodes[i]: v for i, v in values.items()}

    assert named(perc.percolate(fixed)) == _percolate_by_enumeration(net, dict(fixed))
    for node in net.nodes:
        if net.rule(node) != Var(node):
            assert named(perc.percolate({node: 1})) == _percolate_by_enumeration(net, {node: 1})


def test_bit_columns_equal_the_bits_of_the_row_numbers():
    for k in range(13):
        rows = np.arange(1 << k, dtype=np.int64)
        for j, col in enumerate(bit_columns(k)):
            assert col.bit_length() <= 1 << k
            assert [bool((col >> r) & 1) for r in range(1 << k)] == ((rows >> j) & 1).astype(bool).tolist()
        assert all_rows(k) == (1 << (1 << k)) - 1


@pytest.mark.parametrize("k", [4, 9, 16, 17, 20])
def test_truth_tables_of_many_regulators_equal_rule_evaluation(k):
    """Rules over 4 to 20 regulators (ints hold every table up to MAX_TRUTH_TABLE_REGULATORS): sampled rows
    and the row count equal the rule evaluated on plain bools."""
    rnd = random.Random(k)
    names = [f"x{j}" for j in range(k)]
    terms = [" & ".join(("!" if rnd.random() < 0.5 else "") + n for n in rnd.sample(names, min(k, 4))) for _ in range(12)]
    rule = " | ".join(f"({t})" for t in terms) + " | " + " & ".join(names)  # every regulator appears
    net = lm.from_bnet(f"z, {rule}\n" + "\n".join(f"{n}, {n}" for n in names))
    regs = net.regulators("z")
    table, bits = net.truth_table("z"), net.truth_bits("z")
    assert len(table) == 1 << k and bits.bit_length() <= 1 << k
    for row in [0, (1 << k) - 1] + [rnd.randrange(1 << k) for _ in range(300)]:
        want = bool(net.rule("z").evaluate({r: bool((row >> j) & 1) for j, r in enumerate(regs)}))
        assert bool(table[row]) is want and bool((bits >> row) & 1) is want
    assert int(table.sum()) == bits.bit_count()


def test_rules_of_more_than_the_table_limit_have_no_table():
    names = [f"x{j}" for j in range(MAX_TRUTH_TABLE_REGULATORS + 1)]
    net = lm.from_bnet("z, " + " | ".join(names) + "\n" + "\n".join(f"{n}, {n}" for n in names))
    with pytest.raises(lm.RuleParseError, match="truth tables are limited to"):
        net.truth_bits("z")
    # such a rule is never forced (conservative: the search still finds its value)
    assert net.index("z") not in percolation.Percolator(net).percolate({"x0": 1})


@settings(max_examples=100, deadline=None)
@given(random_networks(max_nodes=7), st.booleans(), st.booleans())
def test_value_sets_hold_each_rule_evaluated_state_by_state(case, from_tables, in_words):
    """Value sets, folded on the sets or read from truth tables, on ints or on words, equal the rule
    evaluated on each decoded state with plain bools."""
    from logicmodel.engine import bitset, kernels

    names, tables, fixed = case
    net = lm.from_bnet(to_bnet(names, tables))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "MAX_FOLDED_TREE_SIZE", -1 if from_tables else 10**9)
        mp.setattr(kernels, "MAX_FOLDED_TREE_SIZE_WORDS", -1 if from_tables else 10**9)
        if in_words:
            mp.setattr(bitset, "MAX_INT_SET_NODES", -1)
        kernel = lm.engine.compiled(net).kernel(fixed, percolate=False)
        sp = kernel.space()
        assert isinstance(sp, Space if in_words else IntSpace)
        sets = kernel.value_sets()
    states = kernel.decode(np.arange(kernel.size))
    for j, i in enumerate(kernel.free_idx):
        rule = net.rules[i]
        expected = [bool(rule.evaluate({n: bool(v) for n, v in zip(net.nodes, row)})) for row in states.tolist()]
        assert sp.to_bools(sets[j]).tolist() == expected
