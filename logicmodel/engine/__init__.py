"""The compiled engine: lookup-table kernels over packed states, percolation, state sets,
and the graph algorithms every search shares."""
from __future__ import annotations

from .bitset import IntSpace, Space, StateSets, space_for
from .graphs import (blocks_upstream_first, function_cycles, negative_feedback_vertex_set, scc, terminal_components,
                     terminal_sccs)
from .kernels import Engine, Lookup, Subspace, SubspaceKernel, compiled
from .percolation import Percolator

__all__ = ["StateSets", "Space", "IntSpace", "space_for", "blocks_upstream_first", "function_cycles",
           "negative_feedback_vertex_set", "scc", "terminal_components", "terminal_sccs", "Engine", "Lookup", "Subspace",
           "SubspaceKernel", "compiled", "Percolator"]
