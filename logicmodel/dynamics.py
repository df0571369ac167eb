"""Update modes and state transitions.

Update modes are small strategy objects looked up by name in one registry
(:data:`UPDATE_MODES`); an unknown name raises a ``ValueError`` listing the
valid ones.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.dynamics import successors
>>> net = from_bnet("A, !B\\nB, A")
>>> successors(net, {"A": 0, "B": 0}, "asynchronous")
[{'A': 1, 'B': 0}]
>>> successors(net, {"A": 0, "B": 0}, "synchronous")
[{'A': 1, 'B': 0}]
"""
from __future__ import annotations

from typing import Literal, Mapping, Protocol

import numpy as np

from .engine import SubspaceKernel
from .errors import LogicModelError

__all__ = [
    "UpdateName",
    "UpdateMode",
    "Synchronous",
    "Asynchronous",
    "UPDATE_MODES",
    "get_update_mode",
    "successors",
    "state_transition_graph",
]

UpdateName = Literal["synchronous", "asynchronous"]


class UpdateMode(Protocol):
    """How a state moves: which successor states each state has."""

    name: str

    def transitions(self, kernel: SubspaceKernel, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Edges out of a batch of codes, as ``(index into codes, successor code)`` arrays.

        Self-loops are not listed (a state without an edge is a fixed point).
        """
        ...


class Synchronous:
    """Every node is updated at once: one successor per state."""

    name = "synchronous"

    def transitions(self, kernel: SubspaceKernel, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        codes = np.asarray(codes, dtype=np.int64)
        nxt = kernel.image(codes)
        moved = np.flatnonzero(nxt != codes)
        return moved, nxt[moved]


class Asynchronous:
    """Fully asynchronous: one node whose rule disagrees with its value flips per step."""

    name = "asynchronous"

    def transitions(self, kernel: SubspaceKernel, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        codes = np.asarray(codes, dtype=np.int64)
        vals = kernel.next_values(codes)
        src_parts, dst_parts = [], []
        for j in range(kernel.n):
            bit = kernel.n - 1 - j
            cur = ((codes >> bit) & 1).astype(bool)
            idx = np.flatnonzero(vals[:, j] != cur)
            src_parts.append(idx)
            dst_parts.append(codes[idx] ^ (np.int64(1) << bit))
        if not src_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(src_parts), np.concatenate(dst_parts)


UPDATE_MODES: dict[str, UpdateMode] = {m.name: m for m in (Synchronous(), Asynchronous())}


def get_update_mode(name: str) -> UpdateMode:
    """Look up an update mode by name (``"synchronous"`` or ``"asynchronous"``)."""
    try:
        return UPDATE_MODES[name]
    except (KeyError, TypeError):
        raise InvalidUpdateModeError(name) from None


class InvalidUpdateModeError(LogicModelError, ValueError):
    """An update mode name that is not in the registry."""

    def __init__(self, name: object) -> None:
        super().__init__(f"unknown update mode {name!r}; choose one of: {', '.join(sorted(UPDATE_MODES))}")


def _state_row(network, state: Mapping[str, int]) -> np.ndarray:
    missing = [n for n in network.nodes if n not in state]
    if missing:
        raise LogicModelError(f"state gives no value for {', '.join(missing)}")
    for n in state:
        network.index(n)
    return np.array([[int(state[n]) for n in network.nodes]], dtype=np.uint8)


def successors(network, state: Mapping[str, int], update: str = "asynchronous") -> list[dict[str, int]]:
    """Successor states of one full state (a dict node → 0/1), sorted; a fixed point has none."""
    mode = get_update_mode(update)
    kernel = network.compile().kernel(percolate=False)
    code = kernel.encode(_state_row(network, state))
    _, dst = mode.transitions(kernel, code)
    rows = kernel.decode(np.unique(dst))
    return [dict(zip(network.nodes, map(int, r))) for r in rows]


def state_transition_graph(
    network, update: str = "asynchronous", fixed: Mapping[str, int] | None = None, *, max_states: int = 1 << 16
):
    """The explicit state-transition graph of the subspace where ``fixed`` holds, as a networkx DiGraph.

    Nodes are state strings in node order (e.g. ``"0110"``); intended for small
    networks and figures, capped by ``max_states``.
    """
    import networkx as nx

    from .errors import StateSpaceTooLargeError

    mode = get_update_mode(update)
    kernel = network.compile().kernel(fixed, percolate=False)
    if kernel.size > max_states:
        raise StateSpaceTooLargeError(kernel.n, max_states)
    codes = np.arange(kernel.size, dtype=np.int64)
    labels = ["".join(map(str, r)) for r in kernel.decode(codes)]
    g = nx.DiGraph()
    g.add_nodes_from(labels)
    src, dst = mode.transitions(kernel, codes)
    g.add_edges_from((labels[s], labels[d]) for s, d in zip(src, dst))
    return g
