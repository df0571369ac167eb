"""The engine's helpers against the libraries they stand in for: numpy's unique, networkx's reverse
Cuthill-McKee order; the row store; what a symbolic search imports."""
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

from logicmodel.engine.bitset import unique, unique_rows
from logicmodel.engine.graphs import reverse_cuthill_mckee

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
