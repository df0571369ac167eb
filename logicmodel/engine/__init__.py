"""The compiled engine: lookup-table kernels over packed states, percolation, packed state sets,
and the graph algorithms every search shares."""
from __future__ import annotations

from .bitset import Space
from .graphs import (blocks_upstream_first, function_cycles, negative_feedback_vertex_set, scc, terminal_components,
                     terminal_sccs)
from .kernels import Engine, Lookup, Subspace, SubspaceKernel, compiled, eval_words
from .percolation import Percolator

__all__ = ["Space", "blocks_upstream_first", "function_cycles", "negative_feedback_vertex_set", "scc",
           "terminal_components", "terminal_sccs", "Engine", "Lookup", "Subspace", "SubspaceKernel", "compiled",
           "eval_words", "Percolator"]
