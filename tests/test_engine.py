"""The engine's numpy helpers against numpy itself."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from logicmodel.engine.bitset import unique, unique_rows

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
