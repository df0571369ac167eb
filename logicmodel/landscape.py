"""Where states go: attractors reachable from a given initial state.

The search explores only the states reachable from the initial state (breadth
first, in batches), so it works on networks far beyond the exhaustive cap as
long as the reachable set stays under ``max_states``.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.landscape import reachable_attractors
>>> net = from_bnet("A, A | B\\nB, !A & B")
>>> [a.fixed for a in reachable_attractors(net, {"A": 0, "B": 1})]
[{'A': 1, 'B': 0}]
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .attractors import DEFAULT_MAX_STATES, Attractor, _make_attractor
from .dynamics import get_update_mode
from .errors import LogicModelError, StateSpaceTooLargeError

__all__ = ["reachable_states", "reachable_attractors", "naive_state"]


def naive_state(network, values: Mapping[str, int] | None = None) -> dict[str, int]:
    """Every node at 0 except constants (at their value) and ``values`` (inputs of a condition, say)."""
    state = {n: 0 for n in network.nodes}
    state.update(network.constants)
    state.update(values or {})
    return state


def _kernel_and_code(network, initial: Mapping[str, int], fixed: Mapping[str, int] | None):
    fixed = dict(network._check_assignment(fixed or {}))
    missing = [n for n in network.nodes if n not in initial]
    if missing:
        raise LogicModelError(f"initial state gives no value for {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    state = {n: int(initial[n]) for n in network.nodes}
    state.update(fixed)
    kernel = network.compile().kernel(fixed, percolate=False)
    if kernel.n > 62:
        raise StateSpaceTooLargeError(kernel.n, 1 << 62)
    row = np.array([[state[n] for n in network.nodes]], dtype=np.uint8)
    return kernel, kernel.encode(row)


def reachable_states(
    network, initial: Mapping[str, int], update: str = "asynchronous", fixed: Mapping[str, int] | None = None,
    *, max_states: int = DEFAULT_MAX_STATES,
):
    """Codes and edges of every state reachable from ``initial`` (``fixed`` nodes held).

    Returns
    -------
    kernel, codes, src, dst
        The subspace kernel, the sorted reachable codes, and the edges as index pairs into ``codes``.
    """
    mode = get_update_mode(update)
    kernel, start = _kernel_and_code(network, initial, fixed)
    visited = np.unique(start)
    frontier = visited
    src_codes, dst_codes = [], []
    while len(frontier):
        s_idx, d = mode.transitions(kernel, frontier)
        src_codes.append(frontier[s_idx])
        dst_codes.append(d)
        new = np.setdiff1d(np.unique(d), visited, assume_unique=True)
        if len(new):
            visited = np.union1d(visited, new)
            if len(visited) > max_states:
                raise StateSpaceTooLargeError(kernel.n, max_states)
        frontier = new
    src = np.concatenate(src_codes) if src_codes else np.zeros(0, dtype=np.int64)
    dst = np.concatenate(dst_codes) if dst_codes else np.zeros(0, dtype=np.int64)
    return kernel, visited, np.searchsorted(visited, src), np.searchsorted(visited, dst)


def reachable_attractors(
    network, initial: Mapping[str, int], update: str = "asynchronous", fixed: Mapping[str, int] | None = None,
    *, max_states: int = DEFAULT_MAX_STATES,
) -> tuple[Attractor, ...]:
    """The attractors reachable from ``initial``, sorted (the terminal SCCs of the reachable graph)."""
    from .attractors import _scc

    kernel, codes, src, dst = reachable_states(network, initial, update, fixed, max_states=max_states)
    ncomp, labels = _scc(len(codes), src, dst)
    terminal = np.ones(ncomp, dtype=bool)
    ls, ld = labels[src], labels[dst]
    terminal[ls[ls != ld]] = False
    out = []
    for comp in np.flatnonzero(terminal):
        out.append(_make_attractor(kernel, codes[labels == comp]))
    return tuple(sorted(out, key=Attractor.key))
