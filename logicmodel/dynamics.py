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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
import numpy.typing as npt

from .engine.bitset import Codes, unique
from .engine.kernels import SubspaceKernel, compiled, state_strings
from .errors import InvalidChoiceError, InvalidStateError, StateSpaceTooLargeError
from .model.network import Network

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "UpdateName",
    "UpdateMode",
    "Synchronous",
    "Asynchronous",
    "UPDATE_MODES",
    "UPDATE_NAMES",
    "get_update_mode",
    "successors",
    "state_transition_graph",
]

UpdateName = Literal["synchronous", "asynchronous"]


class UpdateMode(Protocol):
    """How a state moves: which successor states each state has."""

    name: str

    def transitions(self, kernel: SubspaceKernel, codes: Codes) -> tuple[Codes, Codes]:
        """Edges out of a batch of codes, as ``(index into codes, successor code)`` arrays.

        Self-loops are not listed (a state without an edge is a fixed point).
        """
        ...


class Synchronous:
    """Every node is updated at once: one successor per state."""

    name = "synchronous"

    def transitions(self, kernel: SubspaceKernel, codes: Codes) -> tuple[Codes, Codes]:
        codes = np.asarray(codes, dtype=np.int64)
        nxt = kernel.image(codes)
        moved = np.flatnonzero(nxt != codes)
        return moved, nxt[moved]


class Asynchronous:
    """Fully asynchronous: one node whose rule disagrees with its value flips per step."""

    name = "asynchronous"

    def transitions(self, kernel: SubspaceKernel, codes: Codes) -> tuple[Codes, Codes]:
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


UPDATE_MODES: dict[str, UpdateMode] = {m.name: m for m in (Asynchronous(), Synchronous())}
#: The update modes, by name (the choices of ``--update``).
UPDATE_NAMES: tuple[str, ...] = tuple(UPDATE_MODES)


def get_update_mode(name: str) -> UpdateMode:
    """Look up an update mode by name (``"synchronous"`` or ``"asynchronous"``)."""
    try:
        return UPDATE_MODES[name]
    except (KeyError, TypeError):
        raise InvalidChoiceError("update mode", name, sorted(UPDATE_MODES)) from None


def state_row(network: Network, state: Mapping[str, int]) -> npt.NDArray[np.uint8]:
    """One full state as a ``uint8`` row in node order (every node needs a value 0 or 1)."""
    missing = [n for n in network.nodes if n not in state]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise InvalidStateError(f"the state gives no value for {shown}")
    values = network.checked_values(state)
    return np.array([[values[n] for n in network.nodes]], dtype=np.uint8)


def successors(network: Network, state: Mapping[str, int], update: str = "asynchronous") -> list[dict[str, int]]:
    """Successor states of one full state (a dict node → 0/1), sorted; a fixed point has none."""
    mode = get_update_mode(update)
    kernel = compiled(network).kernel(percolate=False)
    code = kernel.encode(state_row(network, state))
    _, dst = mode.transitions(kernel, code)
    rows = kernel.decode(unique(dst))
    return [dict(zip(network.nodes, map(int, r))) for r in rows]


def state_transition_graph(
    network: Network, update: str = "asynchronous", fixed: Mapping[str, int] | None = None, *,
    max_states: int = 1 << 16,
) -> "nx.DiGraph":
    """The explicit state-transition graph of the subspace where ``fixed`` holds, as a networkx DiGraph.

    Nodes are state strings in node order (e.g. ``"0110"``); intended for small
    networks and figures, capped by ``max_states``.
    """
    import networkx as nx

    mode = get_update_mode(update)
    kernel = compiled(network).kernel(network.checked_values(fixed), percolate=False)
    if kernel.size > max_states:
        raise StateSpaceTooLargeError(kernel.n, max_states)
    codes = np.arange(kernel.size, dtype=np.int64)
    labels = state_strings(kernel.decode(codes))
    g = nx.DiGraph()
    g.add_nodes_from(labels)
    src, dst = mode.transitions(kernel, codes)
    g.add_edges_from((labels[s], labels[d]) for s, d in zip(src, dst))
    return g
