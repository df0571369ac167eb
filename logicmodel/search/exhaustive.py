"""The exhaustive method: every state of a (percolated) subspace, on state sets.

Asynchronous attractors are the terminal strongly connected components of the state-transition
graph, found by forward/backward reachability on state sets (one bit per state: Python ints up to
16 free nodes, numpy words above); synchronous ones are the cycles of the successor function.
Subspaces too large for ``max_states`` raise :class:`~logicmodel.errors.StateSpaceTooLargeError`,
never a partial answer.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.search.exhaustive import fixed_points
>>> [a.representative for a in fixed_points(from_bnet("A, A | B\\nB, !A & B"))]
[{'A': 0, 'B': 0}, {'A': 1, 'B': 0}]
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.bitset import Codes
from ..engine.graphs import function_cycles, terminal_sccs
from ..engine.kernels import SubspaceKernel, compiled
from ..errors import StateSpaceTooLargeError
from ..model.network import Network
from .choose import DEFAULT_MAX_STATES, MAX_CODE_BITS, Limits, plan
from .records import Attractor, make_attractor
from .stores import CodeStore

__all__ = ["exhaustive_components", "check_cap", "fixed_points", "fixed_points_of"]


def check_cap(kernel: SubspaceKernel, max_states: int) -> None:
    """Raise :class:`StateSpaceTooLargeError` when the subspace is over ``max_states`` (or past int64 codes)."""
    if kernel.n > MAX_CODE_BITS or kernel.size > max_states:
        raise StateSpaceTooLargeError(kernel.n, max_states)


def exhaustive_components(kernel: SubspaceKernel, update: str) -> list[Codes]:
    """The attractors of the subspace, as arrays of codes: terminal SCCs (asynchronous) or cycles
    of the successor function (synchronous)."""
    if update == "synchronous":
        return function_cycles(kernel.image_all())
    return terminal_sccs(kernel.space(), kernel.flip_sets(), kernel.bits)


def fixed_points_of(kernel: SubspaceKernel) -> list[Attractor]:
    """The fixed points of one subspace, by evaluating every state (in blocks of 2**20)."""
    out: list[Attractor] = []
    for start in range(0, kernel.size, 1 << 20):
        codes = np.arange(start, min(kernel.size, start + (1 << 20)), dtype=np.int64)
        hits = codes[kernel.image(codes) == codes]
        out.extend(make_attractor(CodeStore(kernel, np.array([c]))) for c in hits)
    return out


def fixed_points(network: Network, fixed: Mapping[str, int] | None = None, *,
                 max_states: int = DEFAULT_MAX_STATES) -> tuple[Attractor, ...]:
    """The fixed points (the same under every update mode), sorted.

    The free inputs are split into input combinations (as :func:`~logicmodel.search.attractors`
    does) and each percolated subspace is evaluated state by state; a subspace over
    ``max_states`` raises :class:`StateSpaceTooLargeError`.
    """
    limits = Limits(max_states=max_states)
    parts = plan(network, compiled(network).percolate(network.checked_values(fixed)), "asynchronous",
                 "exhaustive", limits)
    out: list[Attractor] = []
    for part in parts:
        check_cap(part.kernel, max_states)
        out.extend(fixed_points_of(part.kernel))
    return tuple(sorted(out, key=Attractor.key))
