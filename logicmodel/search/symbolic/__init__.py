"""The symbolic method: sets of states as BDDs, for state spaces far past the exhaustive cap.

- :mod:`.space`: the symbolic space of a subspace (variables, update functions, colours, limits);
- :mod:`.reduction`: transition-guided reduction (drop states that lie in no attractor);
- :mod:`.asynchronous`: terminal SCCs by pivot descent, every input colour at once;
- :mod:`.synchronous`: cycles of the successor map, basins removed by pre-images;
- :mod:`.store`: an attractor kept as a BDD.

Either search raises :class:`~logicmodel.errors.SearchIncompleteError` naming the limit (time, BDD
nodes, cycle length) instead of returning a partial answer.
"""
from __future__ import annotations

from .asynchronous import async_attractors
from .space import Budget, SymbolicSpace, count_exact, new_manager, reordering
from .store import SymbolicStore
from .synchronous import sync_attractors

__all__ = ["async_attractors", "sync_attractors", "Budget", "SymbolicSpace", "SymbolicStore", "count_exact",
           "new_manager", "reordering"]
