"""Where states go: attractors reachable from a given initial state.

The search explores only the states reachable from the initial state (breadth
first, in batches), so it works on networks far beyond the exhaustive cap as
long as the reachable set stays under ``max_states``.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.analysis.landscape import reachable_attractors
>>> net = from_bnet("A, A | B\\nB, !A & B")
>>> [a.fixed for a in reachable_attractors(net, {"A": 0, "B": 1})]
[{'A': 1, 'B': 0}]
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..dynamics import get_update_mode, state_row
from ..engine.bitset import Codes, unique
from ..engine.graphs import function_cycles, terminal_components
from ..engine.kernels import States, SubspaceKernel, compiled
from ..errors import InvalidStateError, SearchIncompleteError, StateSpaceTooLargeError
from ..model.network import Network
from ..search.candidates import Explorer
from ..search.choose import DEFAULT_MAX_STATES, MAX_CODE_BITS
from ..search.exhaustive import check_cap, exhaustive_components
from ..search.records import Attractor, make_attractor
from ..search.stores import CodeStore

__all__ = ["reachable_states", "reachable_attractors", "naive_state", "Basin", "BasinResult", "basins",
           "ReachResult", "reach", "simulate", "Trajectories", "synchronous_trajectory"]


#: Default number of simulated cells, and of update steps per cell.
DEFAULT_CELLS = 1000
DEFAULT_STEPS = 2000
#: Decides which states (rows over all nodes) are targets.
Predicate = Callable[[States], npt.NDArray[np.bool_]]
#: Maps state rows to label indices.
Classifier = Callable[[States], npt.NDArray[np.int64]]


def naive_state(network: Network, values: Mapping[str, int] | None = None) -> dict[str, int]:
    """Every node at 0 except constants (at their value) and ``values`` (inputs of a condition, say)."""
    state = {n: 0 for n in network.nodes}
    state.update(network.constants)
    state.update(values or {})
    return state


def _kernel_and_code(network: Network, initial: Mapping[str, int],
                     fixed: Mapping[str, int] | None) -> tuple[SubspaceKernel, Codes]:
    values = network.checked_values(fixed)
    row = state_row(network, {**dict(initial), **values})
    kernel = compiled(network).kernel(values, percolate=False)
    if kernel.n > MAX_CODE_BITS:
        raise StateSpaceTooLargeError(kernel.n, 1 << MAX_CODE_BITS)
    return kernel, kernel.encode(row)


def reachable_states(
    network: Network, initial: Mapping[str, int], update: str = "asynchronous",
    fixed: Mapping[str, int] | None = None, *, max_states: int = DEFAULT_MAX_STATES,
) -> tuple[SubspaceKernel, Codes, Codes, Codes]:
    """Codes and edges of every state reachable from ``initial`` (``fixed`` nodes held).

    Returns
    -------
    kernel, codes, src, dst
        The subspace kernel, the sorted reachable codes, and the edges as index pairs into ``codes``.
    """
    mode = get_update_mode(update)
    kernel, start = _kernel_and_code(network, initial, fixed)
    visited = unique(start)
    frontier = visited
    src_codes: list[Codes] = []
    dst_codes: list[Codes] = []
    while len(frontier):
        s_idx, d = mode.transitions(kernel, frontier)
        src_codes.append(frontier[s_idx])
        dst_codes.append(d)
        new = np.setdiff1d(unique(d), visited, assume_unique=True)
        if len(new):
            visited = np.union1d(visited, new)
            if len(visited) > max_states:
                raise StateSpaceTooLargeError(kernel.n, max_states)
        frontier = new
    src = np.concatenate(src_codes) if src_codes else np.zeros(0, dtype=np.int64)
    dst = np.concatenate(dst_codes) if dst_codes else np.zeros(0, dtype=np.int64)
    return kernel, visited, np.searchsorted(visited, src), np.searchsorted(visited, dst)


def reachable_attractors(
    network: Network, initial: Mapping[str, int], update: str = "asynchronous", fixed: Mapping[str, int] | None = None,
    *, max_states: int = DEFAULT_MAX_STATES,
) -> tuple[Attractor, ...]:
    """The attractors reachable from ``initial``, sorted (the terminal SCCs of the reachable graph)."""
    kernel, codes, src, dst = reachable_states(network, initial, update, fixed, max_states=max_states)
    out = [make_attractor(CodeStore(kernel, codes[comp])) for comp in terminal_components(len(codes), src, dst)]
    return tuple(sorted(out, key=Attractor.key))


# ============================================================================= basins


@dataclass(frozen=True)
class Basin:
    """The basin of one attractor as shares of the searched state space.

    Attributes
    ----------
    attractor : Attractor
        The attractor.
    strong : float
        Share of states from which every path ends in this attractor (synchronous: the exact basin).
    weak : float
        Share of states from which some path reaches it (synchronous: equal to ``strong``).
    """

    attractor: Attractor
    strong: float
    weak: float


@dataclass(frozen=True)
class BasinResult:
    """Basins of every attractor of a subspace.

    Attributes
    ----------
    update : str
    fixed : dict
        Nodes held fixed (the condition and perturbations).
    free : tuple of str
        Nodes spanning the state space (``2**len(free)`` states).
    basins : tuple of Basin
    multi : float
        Share of states that can reach more than one attractor (0 under synchronous updating).
    """

    update: str
    fixed: dict[str, int]
    free: tuple[str, ...]
    basins: tuple[Basin, ...]
    multi: float

    @property
    def states(self) -> int:
        return 1 << len(self.free)

    def to_dict(self, labels: list[str] | None = None) -> dict[str, Any]:
        rows = []
        for i, b in enumerate(self.basins):
            d = {"attractor": i + 1, "size": b.attractor.size, "strong": b.strong, "weak": b.weak,
                 "fixed": b.attractor.fixed, "oscillating": list(b.attractor.oscillating)}
            if labels is not None:
                d["phenotype"] = labels[i]
            rows.append(d)
        return {"update": self.update, "fixed": self.fixed, "free": list(self.free), "states": self.states,
                "multi": self.multi, "basins": rows}


def basins(network: Network, update: str = "asynchronous", fixed: Mapping[str, int] | None = None, *,
           percolate: bool = True, max_states: int = DEFAULT_MAX_STATES) -> BasinResult:
    """Basins of attraction over a subspace, exactly.

    The state space is every state where ``fixed`` holds, over the remaining nodes;
    with ``percolate=True`` (default) the nodes that ``fixed`` and the constants force
    are also held (their transient values are not part of the space), which is what
    makes a condition's basins computable on large models.

    Synchronous: the exact partition of the space into basins. Asynchronous: the
    strong basin (every path ends in the attractor), the weak basin (some path
    reaches it), and the share of states that can reach several attractors.
    """
    mode = get_update_mode(update)
    values = network.checked_values(fixed)
    kernel = compiled(network).kernel(values, percolate=percolate)
    check_cap(kernel, max_states)
    size = kernel.size
    if mode.name == "synchronous":
        nxt = kernel.image_all()
        comps = function_cycles(nxt)
        atts = [make_attractor(CodeStore(kernel, c)) for c in comps]
        label = np.full(size, -1, dtype=np.int64)
        for i, c in enumerate(comps):
            label[c] = i
        g = nxt.copy()
        for _ in range(kernel.n + 1):  # pointer doubling: after 2**(n+1) steps every state is on its cycle
            g = g[g]
        label = label[g]
        counts = np.bincount(label, minlength=len(comps)) / size
        out = [Basin(a, float(counts[i]), float(counts[i])) for i, a in enumerate(atts)]
        multi = 0.0
    else:
        comps = exhaustive_components(kernel, mode.name)
        atts = [make_attractor(CodeStore(kernel, c)) for c in comps]
        sp = kernel.space()
        flips = kernel.flip_sets()
        bits = kernel.bits
        weak = [sp.backward(sp.from_codes(c), flips, bits) for c in comps]
        reach_count = np.zeros(size, dtype=np.int64)
        bools = [sp.to_bools(w) for w in weak]
        for b in bools:
            reach_count += b
        out = []
        for a, b in zip(atts, bools):
            strong = b & (reach_count == 1)
            out.append(Basin(a, float(strong.sum() / size), float(b.sum() / size)))
        multi = float((reach_count > 1).sum() / size)
    order = sorted(range(len(out)), key=lambda i: out[i].attractor.key())
    return BasinResult(mode.name, values, kernel.free, tuple(out[i] for i in order), multi)


# ============================================================================= reachability
@dataclass(frozen=True)
class ReachResult:
    """Whether a target is reachable from a state, and a shortest path when it is.

    Attributes
    ----------
    reachable : bool
        ``None`` when the search stopped at ``max_states`` before deciding.
    path : tuple of dict
        States from the start to the first target state (empty when unreachable).
    switches : tuple of (node, value)
        The node flips along the path, in order.
    explored : int
        States visited.
    """

    reachable: bool | None
    path: tuple[dict[str, int], ...]
    switches: tuple[tuple[str, int], ...]
    explored: int

    def to_dict(self) -> dict[str, Any]:
        return {"reachable": self.reachable, "steps": len(self.switches), "explored": self.explored,
                "switches": [{"node": n, "to": v} for n, v in self.switches],
                "path": list(self.path)}


def _subspace_predicate(network: Network, target: Mapping[str, int]) -> Predicate:
    """The states (rows) of the subspace ``target`` (node → 0/1)."""
    cols = [network.index(n) for n in target]
    want = np.array([int(v) for v in target.values()], dtype=np.uint8)

    def hit(rows: States) -> npt.NDArray[np.bool_]:
        if not cols:
            return np.ones(len(rows), dtype=bool)
        out: npt.NDArray[np.bool_] = np.all(rows[:, cols] == want, axis=1)
        return out

    return hit


def reach(network: Network, initial: Mapping[str, int], target: Mapping[str, int] | Predicate,
          update: str = "asynchronous",
          fixed: Mapping[str, int] | None = None, *, max_states: int = DEFAULT_MAX_STATES) -> ReachResult:
    """Breadth-first search from ``initial`` to the first state satisfying ``target``.

    ``target`` is a dict node → 0/1 (a subspace, e.g. ``{"Resorption": 1}``) or a
    callable taking a ``uint8`` state matrix (rows over all nodes) and returning a
    boolean per row. The path found is a shortest one (fewest transitions).
    """
    mode = get_update_mode(update)
    kernel, start = _kernel_and_code(network, initial, fixed)
    hit = _subspace_predicate(network, target) if isinstance(target, Mapping) else target
    parents: dict[int, int] = {int(start[0]): -1}
    frontier = unique(start)
    found: int | None = None
    if hit(kernel.decode(frontier))[0]:
        found = int(frontier[0])
    while found is None and len(frontier):
        s_idx, dst = mode.transitions(kernel, frontier)
        src = frontier[s_idx]
        fresh = []
        for s, d in zip(src.tolist(), dst.tolist()):
            if d not in parents:
                parents[d] = s
                fresh.append(d)
        if len(parents) > max_states:
            return ReachResult(None, (), (), len(parents))
        frontier = np.array(sorted(fresh), dtype=np.int64)
        if len(frontier):
            hits = np.flatnonzero(hit(kernel.decode(frontier)))
            if len(hits):
                found = int(frontier[hits[0]])
    if found is None:
        return ReachResult(False, (), (), len(parents))
    chain = [found]
    while parents[chain[-1]] != -1:
        chain.append(parents[chain[-1]])
    chain.reverse()
    rows = kernel.decode(np.array(chain, dtype=np.int64))
    path = tuple(dict(zip(network.nodes, map(int, r))) for r in rows)
    switches: list[tuple[str, int]] = []
    for a, b in zip(rows[:-1], rows[1:]):
        for i in np.flatnonzero(a != b):
            switches.append((network.nodes[i], int(b[i])))
    return ReachResult(True, path, tuple(switches), len(parents))


# ============================================================================= trajectories
@dataclass(frozen=True)
class Trajectories:
    """Seeded stochastic asynchronous simulation of many cells.

    Attributes
    ----------
    steps : tuple of int
        The recorded time points (number of update attempts per cell).
    shares : dict
        Label → share of cells with that label at each recorded step.
    final : numpy.ndarray
        The final states (``uint8``, one row per cell, columns in node order).
    seed : int
    """

    nodes: tuple[str, ...]
    steps: tuple[int, ...]
    shares: dict[str, tuple[float, ...]]
    final: States
    seed: int

    def to_csv(self) -> str:
        labels = list(self.shares)
        lines = ["step," + ",".join(labels)]
        for k, t in enumerate(self.steps):
            lines.append(f"{t}," + ",".join(f"{self.shares[lab][k]:.6g}" for lab in labels))
        return "\n".join(lines) + "\n"


def _initial_states(network: Network, initial: Mapping[str, float] | States, cells: int,
                    rng: np.random.Generator) -> States:
    """Rows for every cell: a state dict (all cells start there) or node → probability of 1."""
    n = len(network.nodes)
    if isinstance(initial, np.ndarray):
        rows = np.asarray(initial, dtype=np.uint8)
        if rows.shape[-1] != n or rows.ndim not in (1, 2) or not np.isin(rows, (0, 1)).all():
            raise InvalidStateError(f"initial states must be 0/1 rows over the {n} nodes")
        out: States = np.repeat(rows[None, :], cells, axis=0) if rows.ndim == 1 else rows.copy()
        return out
    probs = np.full(n, 0.5)
    for k, v in initial.items():
        probs[network.index(k)] = float(v)
        if not 0.0 <= float(v) <= 1.0:
            raise InvalidStateError(f"initial value of {k} must be 0, 1 or a probability, got {v!r}")
    drawn: States = (rng.random((cells, n)) < probs).astype(np.uint8)
    return drawn


def simulate(
    network: Network, initial: Mapping[str, float] | States, *, cells: int = DEFAULT_CELLS, steps: int = DEFAULT_STEPS,
    fixed: Mapping[str, int] | None = None, seed: int = 0, record_every: int = 10,
    classify: Classifier | None = None, labels: tuple[str, ...] = (),
) -> Trajectories:
    """Stochastic asynchronous simulation: at each step every cell picks one node uniformly at random
    and applies its rule (a node that already agrees with its rule does not move).

    Parameters
    ----------
    initial : dict
        A full state (node → 0/1: every cell starts there), or node → probability of 1
        (nodes not given: 1/2), or a ``uint8`` matrix of initial states.
    fixed : dict, optional
        Nodes held (condition, perturbation); they override the initial state.
    classify : callable, optional
        Rows → label index per row (into ``labels``); default: one label ``"cells"``.
    seed : int
        The only source of randomness (a local generator): equal seeds give equal results.
    """
    rng = np.random.default_rng(seed)
    net = network.fix(fixed) if fixed else network
    x = _initial_states(network, initial, cells, rng)
    for k, v in (fixed or {}).items():
        x[:, network.index(k)] = v
    rules = Explorer(net, {}, net.nodes)  # boolean rows: any number of nodes
    n = len(network.nodes)
    if classify is None:
        labels = ("cells",)
    shares: dict[str, list[float]] = {lab: [] for lab in labels}
    recorded: list[int] = []

    def record(t: int) -> None:
        idx = classify(x) if classify is not None else np.zeros(len(x), dtype=np.int64)
        counts = np.bincount(idx, minlength=len(labels)) / len(x)
        for i, lab in enumerate(labels):
            shares[lab].append(float(counts[i]))
        recorded.append(t)

    record(0)
    rows = np.arange(cells)
    for t in range(1, steps + 1):
        vals = rules.values(x.view(bool))  # the value every node's rule gives, in node order
        pick = rng.integers(n, size=cells)
        x[rows, pick] = vals[rows, pick]
        if t % record_every == 0 or t == steps:
            record(t)
    return Trajectories(network.nodes, tuple(recorded), {k: tuple(v) for k, v in shares.items()}, x.copy(), seed)


def synchronous_trajectory(network: Network, initial: Mapping[str, int], *, fixed: Mapping[str, int] | None = None,
                           max_steps: int = 10_000) -> tuple[list[dict[str, int]], int]:
    """The deterministic synchronous trajectory from ``initial`` until a state repeats.

    Returns the states (the first repeated one not duplicated) and the index where the
    attractor starts (the cycle is ``states[start:]``).
    """
    kernel, code = _kernel_and_code(network, initial, fixed)
    seen: dict[int, int] = {}
    codes: list[int] = []
    c = int(code[0])
    while c not in seen and len(codes) <= max_steps:
        seen[c] = len(codes)
        codes.append(c)
        c = int(kernel.image(np.array([c], dtype=np.int64))[0])
    if c not in seen:
        raise SearchIncompleteError(f"no repeated state within max_steps={max_steps:,}")
    rows = kernel.decode(np.array(codes, dtype=np.int64))
    return [dict(zip(network.nodes, map(int, r))) for r in rows], seen[c]
