"""Exact attractors: exhaustive search of the (percolated) state space, and beyond it.

Fixed inputs, constants and perturbed nodes are percolated first, so only the
nodes that can still change are searched. Where the remaining subspace fits the
cap, its state-transition graph is built in batches by the compiled engine and its
terminal strongly connected components are the attractors: fixed points and cyclic
attractors, under synchronous or asynchronous updating. Past the cap the search
goes to the factored method (:mod:`logicmodel.search`) or to binary decision
diagrams (:mod:`logicmodel.symbolic`), both exact.

Examples
--------
>>> from logicmodel import from_bnet, attractors
>>> net = from_bnet("A, !B\\nB, A\\nC, C")
>>> res = attractors(net, update="asynchronous")
>>> [(a.size, a.fixed, a.oscillating) for a in res]
[(4, {'C': 0}, ('A', 'B')), (4, {'C': 1}, ('A', 'B'))]
>>> attractors(net, update="asynchronous", fixed={"C": 1}).attractors[0].representative
{'A': 0, 'B': 0, 'C': 1}
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Mapping

import numpy as np

from .dynamics import get_update_mode
from .engine import SubspaceKernel
from .errors import LogicModelError, StateSpaceTooLargeError
from .search import (FACTORED_MAX_BLOCK, RowStore, SearchIncompleteError, blocks_upstream_first,
                     candidate_attractors, factored_attractors)

__all__ = ["Attractor", "AttractorResult", "attractors", "fixed_points", "DEFAULT_MAX_STATES", "METHODS"]

logger = logging.getLogger(__name__)

#: Default cap on the number of states searched exhaustively (2**22).
DEFAULT_MAX_STATES = 1 << 22
#: ``auto``: asynchronous subspaces with more free nodes than this go to the symbolic method even when
#: they fit the cap (BDDs beat enumerating 2**19 states and more).
SYMBOLIC_ABOVE = 18
#: Default cap on the live nodes of the BDD manager of the symbolic method (about 2 GB).
DEFAULT_MAX_BDD_NODES = 50_000_000


@dataclass(frozen=True, eq=False)
class Attractor:
    """One attractor: a fixed point or a cyclic attractor.

    Attributes
    ----------
    nodes : tuple of str
        The network's node order.
    size : int
        Number of states.
    fixed : dict
        Node → 0/1 for every node constant across the attractor.
    oscillating : tuple of str
        Nodes that take both values within the attractor, in node order.
    representative : dict
        One state of the attractor (the lexicographically smallest in node order).
    phenotype : str or None
        Phenotype label, when the network comes with phenotype definitions.
    """

    nodes: tuple[str, ...]
    size: int
    fixed: dict[str, int]
    oscillating: tuple[str, ...]
    representative: dict[str, int]
    phenotype: str | None = None
    _codes: Any = field(default=None, repr=False, compare=False)  # sorted codes (int64) or packed keys
    _kernel: Any = field(default=None, repr=False, compare=False)  # SubspaceKernel or search.RowStore

    @property
    def is_fixed_point(self) -> bool:
        """True for a single-state attractor."""
        return self.size == 1

    def states(self) -> np.ndarray:
        """All states as a ``uint8`` matrix (one row per state, columns in node order), sorted.

        Raises for an attractor kept as a product that is too large to list.
        """
        if self._codes is None:  # a factored (product) attractor
            return self._kernel.all_states()
        return self._kernel.decode(self._codes)

    def iter_states(self) -> Iterator[dict[str, int]]:
        """The states as dicts node → 0/1, in sorted order."""
        if self._codes is None:
            for row in self.states():
                yield dict(zip(self.nodes, map(int, row)))
            return
        for chunk in range(0, self.size, 65536):
            for row in self._kernel.decode(self._codes[chunk : chunk + 65536]):
                yield dict(zip(self.nodes, map(int, row)))

    def contains(self, state: Mapping[str, int]) -> bool:
        """Whether a full state (dict node → 0/1) belongs to the attractor."""
        row = np.array([[int(state[n]) for n in self.nodes]], dtype=np.uint8)
        if self._codes is None:
            return self._kernel.contains_row(row[0])
        if not self._kernel.in_subspace(row)[0]:
            return False
        code = self._kernel.encode(row)[0]
        i = np.searchsorted(self._codes, code)
        return bool(i < len(self._codes) and self._codes[i] == code)

    def key(self) -> tuple:
        """Sort key: size, then the representative in node order."""
        return (self.size, tuple(self.representative[n] for n in self.nodes))

    def to_dict(self, *, max_states: int = 64) -> dict[str, Any]:
        """JSON-ready record; ``states`` is listed (as strings in node order) for attractors up to ``max_states``."""
        out: dict[str, Any] = {
            "size": self.size,
            "fixed": dict(self.fixed),
            "oscillating": list(self.oscillating),
            "representative": dict(self.representative),
        }
        if self.phenotype is not None:
            out["phenotype"] = self.phenotype
        if self.size <= max_states:
            out["states"] = ["".join(map(str, r)) for r in self.states()]
        return out


@dataclass(frozen=True, eq=False)
class AttractorResult:
    """Every attractor of a network under one update mode and one set of fixed nodes.

    Attributes
    ----------
    network : str
        The network's name.
    nodes : tuple of str
        Node order of every state in the result.
    update : str
        ``"synchronous"`` or ``"asynchronous"``.
    attractors : tuple of Attractor
        Sorted by size, then representative.
    fixed : dict
        What was fixed on request (``fixed=`` argument).
    percolated : dict
        Every node fixed after percolation (constants, requests, and their consequences).
    free : tuple of str
        Nodes left free and searched.
    states_searched : int
        Size of the searched subspace (``2**len(free)``).
    method : str
        The algorithm used.
    """

    network: str
    nodes: tuple[str, ...]
    update: str
    attractors: tuple[Attractor, ...]
    fixed: dict[str, int]
    percolated: dict[str, int]
    free: tuple[str, ...]
    states_searched: int
    method: str = "exhaustive"

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.attractors)

    def __len__(self) -> int:
        return len(self.attractors)

    def __getitem__(self, i: int) -> Attractor:
        return self.attractors[i]

    @property
    def fixed_points(self) -> tuple[Attractor, ...]:
        """The single-state attractors."""
        return tuple(a for a in self.attractors if a.is_fixed_point)

    @property
    def cyclic(self) -> tuple[Attractor, ...]:
        """The attractors with more than one state."""
        return tuple(a for a in self.attractors if not a.is_fixed_point)

    def with_phenotypes(self, labels: list[str]) -> "AttractorResult":
        """A copy whose attractors carry the given phenotype labels (same order)."""
        return replace(self, attractors=tuple(replace(a, phenotype=p) for a, p in zip(self.attractors, labels)))

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the CLI: ``nodes``, ``update``, ``attractors`` and provenance."""
        return {
            "network": self.network,
            "nodes": list(self.nodes),
            "update": self.update,
            "method": self.method,
            "fixed": dict(self.fixed),
            "percolated": dict(self.percolated),
            "free": list(self.free),
            "states_searched": self.states_searched,
            "attractors": [a.to_dict() for a in self.attractors],
        }


def _make_attractor(kernel: SubspaceKernel, codes: np.ndarray) -> Attractor:
    codes = np.sort(codes)
    all_and = int(np.bitwise_and.reduce(codes)) if kernel.n else 0
    all_or = int(np.bitwise_or.reduce(codes)) if kernel.n else 0
    first = int(codes[0]) if len(codes) else 0
    fixed_idx, pos = kernel._fixed_idx, kernel._pos
    fixed: dict[str, int] = {}
    rep: dict[str, int] = {}
    oscillating = []
    for i, node in enumerate(kernel.nodes):
        v = fixed_idx.get(i)
        if v is not None:
            fixed[node] = rep[node] = v
            continue
        bit = pos[i]
        a = (all_and >> bit) & 1
        if a == (all_or >> bit) & 1:
            fixed[node] = a
        else:
            oscillating.append(node)
        rep[node] = (first >> bit) & 1
    return Attractor(
        nodes=kernel.nodes,
        size=len(codes),
        fixed=fixed,
        oscillating=tuple(oscillating),
        representative=rep,
        _codes=codes,
        _kernel=kernel,
    )


def _make_attractor_rows(store, free_rows: np.ndarray) -> Attractor:
    """An attractor record from boolean states over ``store.free`` (any number of free nodes)."""
    keys = np.sort(store.keys(free_rows))
    rows = store.decode(keys)
    lo, hi = rows.min(axis=0), rows.max(axis=0)
    fixed = {n: int(lo[i]) for i, n in enumerate(store.nodes) if lo[i] == hi[i]}
    oscillating = tuple(n for i, n in enumerate(store.nodes) if lo[i] != hi[i])
    # representative: the lexicographically smallest state in node order
    order = np.lexsort(rows.T[::-1])
    rep = rows[order[0]]
    return Attractor(nodes=store.nodes, size=len(keys), fixed=fixed, oscillating=oscillating,
                     representative=dict(zip(store.nodes, map(int, rep))), _codes=keys, _kernel=store)


def _make_attractor_store(store) -> Attractor:
    """An attractor record from a store kept whole: :class:`~logicmodel.search.ProductStore` or
    :class:`~logicmodel.symbolic.SymbolicStore` (exact, possibly far too large to list)."""
    fixed_idx = dict(store._fixed_idx)
    fixed_idx.update(store.node_values())
    nodes = store.nodes
    fixed = {n: fixed_idx[i] for i, n in enumerate(nodes) if i in fixed_idx}
    oscillating = tuple(n for i, n in enumerate(nodes) if i not in fixed_idx)
    rep = store.representative()
    return Attractor(nodes=nodes, size=store.size, fixed=fixed, oscillating=oscillating,
                     representative=dict(zip(nodes, map(int, rep))), _codes=None, _kernel=store)


def _check_cap(kernel: SubspaceKernel, max_states: int) -> None:
    if kernel.size > max_states:
        raise StateSpaceTooLargeError(kernel.n, max_states)


def _group(labels: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The codes (indices) where ``keep`` holds, split by component label."""
    codes = np.flatnonzero(keep).astype(np.int64)
    lab = labels[keep]
    order = np.argsort(lab, kind="stable")
    codes, lab = codes[order], lab[order]
    cuts = np.flatnonzero(np.diff(lab)) + 1
    return np.split(codes, cuts) if len(codes) else []


def _scc(size: int, src: np.ndarray, dst: np.ndarray) -> tuple[int, np.ndarray]:
    """Strongly connected components (scipy, imported on first use to keep start-up fast)."""
    from scipy import sparse
    from scipy.sparse import csgraph

    graph = sparse.csr_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(size, size))
    return csgraph.connected_components(graph, directed=True, connection="strong")


def attractors(
    network,
    update: str = "asynchronous",
    fixed: Mapping[str, int] | None = None,
    *,
    max_states: int = DEFAULT_MAX_STATES,
    method: str = "auto",
    max_candidates: int = 100_000,
    time_limit: float | None = None,
    seed: int = 0,
    max_bdd_nodes: int | None = DEFAULT_MAX_BDD_NODES,
    max_input_combinations: int = 4096,
) -> AttractorResult:
    """Every attractor of ``network`` under ``update``, exactly.

    Parameters
    ----------
    network : Network
        The network.
    update : {"asynchronous", "synchronous"}
        The update mode.
    fixed : dict, optional
        Node → 0/1 to hold fixed (inputs of a condition, or perturbations);
        equivalent to searching ``network.fix(fixed)``.
    max_states : int
        Cap on the size of a subspace searched exhaustively after percolation and,
        for the candidate method, on the states explored from one candidate.
    method : {"auto", "exhaustive", "factored", "symbolic", "candidates"}
        ``exhaustive`` enumerates each (percolated) subspace on packed bit sets;
        ``factored`` (asynchronous only) processes the strongly connected blocks of the
        interaction graph upstream first and keeps attractors as exact products
        (see :func:`logicmodel.search.factored_attractors`), for blocks of at most 20 nodes;
        ``candidates`` (asynchronous only) finds attractors from the states that are
        stable outside a negative feedback vertex set (see :mod:`logicmodel.search`);
        ``symbolic`` (either update mode) works on binary decision diagrams, with no cap on
        the number of states (see :mod:`logicmodel.symbolic`);
        ``auto`` uses exhaustive search where the subspace fits under ``max_states``, else
        the factored method where the blocks are small enough (asynchronous), else symbolic.
    max_candidates : int
        Cap on the candidate states of one subspace (candidate method).
    time_limit : float, optional
        Seconds; the search raises when they run out.
    seed : int
        Seed of the random walks of the candidate method (the result does not depend on it).
    max_bdd_nodes : int, optional
        Memory limit of the symbolic method: live BDD nodes (about 40 bytes each); the search
        raises when they grow past it. ``None``: no limit.
    max_input_combinations : int
        Free inputs are split into separate (percolated) searches up to this many combinations.
        Every combination holds at least one attractor, so beyond it a search that does not fit
        the exhaustive cap raises instead of listing millions of attractors.

    Returns
    -------
    AttractorResult
        Sorted attractor records.

    Raises
    ------
    StateSpaceTooLargeError
        When a subspace exceeds ``max_states`` and no other method applies.
    SearchIncompleteError
        When the candidate or symbolic method cannot finish within its limits (the message
        names the limit to raise).
    """
    mode = get_update_mode(update)
    if method not in METHODS:
        raise InvalidMethodError(method)
    if method in ("candidates", "factored") and mode.name != "asynchronous":
        raise InvalidMethodError(method, f"the {method} method is for asynchronous updating")
    deadline = time.monotonic() + time_limit if time_limit is not None else None
    fixed = dict(network._check_assignment(fixed or {}))
    engine = network.compile()
    atts: list[Attractor] = []
    searched = 0
    free: set[int] = set()
    common: set[tuple[int, int]] | None = None
    base = engine.percolate(fixed)
    memo: dict[tuple, list] = {}
    bdd = None  # one BDD manager for every symbolic subspace
    used: set[str] = set()
    subspaces = list(_input_subspaces(network, engine, base, max_input_combinations))
    free_inputs = [n for n in network.inputs if network.index(n) not in base]
    if len(subspaces) == 1 and len(free_inputs) > 1 and (1 << len(free_inputs)) > max_input_combinations:
        kernel = SubspaceKernel(engine, base)
        if not (kernel.n <= 62 and kernel.size <= max_states) and method != "exhaustive":
            raise SearchIncompleteError(
                f"{len(free_inputs)} inputs are free, so there are at least {1 << len(free_inputs):,} attractors "
                f"(one or more per input combination); fix some inputs (fixed= / --set NODE=0|1), group them "
                f"by input combination (attractor_families() / --by-inputs) or raise "
                f"max_input_combinations= / --max-input-combinations (now {max_input_combinations:,})")
    if (method in ("auto", "symbolic") and mode.name == "asynchronous" and len(subspaces) > 1
            and all(_needs_symbolic(network, engine, values, max_states, mode.name) for _, values in subspaces)):
        # every combination needs the symbolic method: one BDD search with the inputs as variables
        # shares the work that separate searches would repeat (zhang_tlgl: 2.7 s instead of 9 s;
        # not for synchronous updating, whose basins grow far larger with the inputs free)
        subspaces = [({}, base)]
    for k, (sub, values) in enumerate(subspaces):
        if deadline is not None and time.monotonic() > deadline:
            raise SearchIncompleteError("the time limit was reached (raise it with time_limit= / --time-limit)")
        kernel = SubspaceKernel(engine, values)
        fits = kernel.n <= 62 and kernel.size <= max_states
        if (method == "auto" and fits and mode.name == "asynchronous" and kernel.n >= 16
                and (products := factored_attractors(network, values, min_split=4)) is not None):
            # a large subspace made of several blocks: upstream-first products beat enumeration
            atts.extend(_make_attractor_store(p) for p in products)
            used.add("factored")
        elif method == "exhaustive" or (method == "auto" and fits and (
                mode.name == "synchronous" or kernel.n <= SYMBOLIC_ABOVE)):
            _check_cap(kernel, max_states)
            # The dynamics of the free nodes depend only on which nodes are free and on the
            # values of their fixed regulators: equal signatures share one search.
            signature = engine.signature(kernel)
            comps = memo.get(signature)
            if comps is None:
                logger.debug("subspace %d/%d: %d free nodes, exhaustive", k + 1, len(subspaces), kernel.n)
                comps = _sync_cycles(kernel.image_all()) if mode.name == "synchronous" else _async_attractors(kernel)
                memo[signature] = comps
            atts.extend(_make_attractor(kernel, c) for c in comps)
            searched += kernel.size
            used.add("exhaustive")
        elif method in ("auto", "factored") and mode.name == "asynchronous" and (
                products := factored_attractors(network, values, max_block=(
                    SYMBOLIC_ABOVE if method == "auto" else FACTORED_MAX_BLOCK))) is not None:
            logger.info("subspace %d/%d: %d free nodes, factored search", k + 1, len(subspaces), kernel.n)
            atts.extend(_make_attractor_store(p) for p in products)
            used.add("factored")
        elif method == "factored":
            raise SearchIncompleteError("the factored method needs every strongly connected block of the "
                                        "percolated interaction graph to have at most 20 nodes; use method='auto'")
        elif method in ("auto", "symbolic"):
            from .symbolic import SymbolicSpace, SymbolicStore, new_manager, symbolic_sets

            if bdd is None:
                bdd = new_manager(network)
            space = SymbolicSpace(network, values, bdd)
            signature = ("symbolic",) + engine.signature(kernel)
            sets = memo.get(signature)
            if sets is None:
                logger.info("subspace %d/%d: %d free nodes, symbolic search", k + 1, len(subspaces), kernel.n)
                sets = symbolic_sets(space, mode.name, deadline=deadline, max_nodes=max_bdd_nodes,
                                     max_cycle=max_states)
                memo[signature] = sets
            atts.extend(_make_attractor_store(SymbolicStore(space, a)) for s in sets
                        for a in space.split_colours(s, max_input_combinations))
            used.add("symbolic")
        else:
            logger.info("subspace %d/%d: %d free nodes, candidate search", k + 1, len(subspaces), kernel.n)
            sub_fixed = {network.nodes[i]: v for i, v in values.items()}
            for free_nodes, rows in candidate_attractors(network, sub_fixed, max_states=max_states,
                                                         max_candidates=max_candidates, seed=seed,
                                                         deadline=deadline):
                store = RowStore(network, {n: v for n, v in sub_fixed.items()}, free_nodes)
                atts.append(_make_attractor_rows(store, rows))
            used.add("candidates")
        free.update(kernel.free_idx.tolist())
        common = set(values.items()) if common is None else common & set(values.items())
    atts.sort(key=Attractor.key)
    label = " + ".join(sorted(used)) or "exhaustive"
    if len(subspaces) > 1:
        label += f" (split over {len(subspaces)} input combinations)"
    return AttractorResult(
        network=network.name,
        nodes=network.nodes,
        update=mode.name,
        attractors=tuple(atts),
        fixed=fixed,
        percolated={network.nodes[i]: v for i, v in sorted(common or ())},
        free=tuple(n for i, n in enumerate(network.nodes) if i in free),
        states_searched=searched,
        method=label,
    )


#: Attractor search methods (see :func:`attractors`).
METHODS = ("auto", "exhaustive", "factored", "symbolic", "candidates")


class InvalidMethodError(LogicModelError, ValueError):
    """An unknown or inapplicable search method."""

    def __init__(self, method: object, why: str = "") -> None:
        super().__init__(why or f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")


#: Free inputs are split into separate searches when there are at most this many combinations.
MAX_INPUT_SPLIT = 4096


def _needs_symbolic(network, engine, values, max_states: int, update: str) -> bool:
    """Whether ``auto`` would search this subspace symbolically: past the cap, or (asynchronous)
    more than ``SYMBOLIC_ABOVE`` free nodes, and not made of blocks of at most that many nodes."""
    kernel = SubspaceKernel(engine, values)
    fits = kernel.n <= 62 and kernel.size <= max_states
    if update != "asynchronous":
        return not fits
    if fits and kernel.n <= SYMBOLIC_ABOVE:
        return False
    blocks, _ = blocks_upstream_first(network, values)
    return max(len(b) for b in blocks) > SYMBOLIC_ABOVE


def _input_subspaces(network, engine, base: dict[int, int], limit: int = MAX_INPUT_SPLIT):
    """``(input assignment, percolated values)`` for each combination of the free inputs.

    Inputs never change, so every attractor lies in exactly one combination and
    searching each (percolated) combination separately is exact and usually far
    smaller. Combinations are enumerated depth first so that percolation work is
    shared by every combination with the same prefix. Without free inputs, or with
    more than :data:`MAX_INPUT_SPLIT` combinations, there is one subspace.
    """
    free_inputs = [n for n in network.inputs if network.index(n) not in base]
    if not free_inputs or (1 << len(free_inputs)) > limit:
        yield {}, base
        return

    def walk(k: int, values: dict[int, int], assignment: dict[str, int]):
        if k == len(free_inputs):
            yield assignment, values
            return
        node = free_inputs[k]
        for v in (0, 1):
            yield from walk(k + 1, engine.percolate({node: v}, base=values), {**assignment, node: v})

    yield from walk(0, base, {})


def _sync_cycles(nxt: np.ndarray) -> list[np.ndarray]:
    """Cycles of the functional graph ``x -> nxt[x]`` (every cycle is terminal)."""
    size = len(nxt)
    ncomp, labels = _scc(size, np.arange(size), nxt)
    counts = np.bincount(labels, minlength=ncomp)
    return _group(labels, (counts[labels] > 1) | (nxt == np.arange(size)))


def _async_attractors(kernel: SubspaceKernel) -> list[np.ndarray]:
    """Terminal SCCs of the asynchronous graph, on packed state sets.

    Fixed points first (states where no node can change), then the states that
    can reach one are set aside. In what remains (a trap set: it holds the
    states that cannot reach any attractor found so far), a pivot's forward set
    ``F`` is an attractor when every state of ``F`` can reach the pivot;
    otherwise ``F`` minus the pivot's backward set is a smaller trap set and the
    search continues in it. Each attractor found removes its backward set.
    """
    return terminal_sccs(kernel.space(), kernel.flip_sets(), kernel.bits)


def terminal_sccs(sp, flips: np.ndarray, bits: list[int]) -> list[np.ndarray]:
    """Terminal SCCs (as sorted codes) of the asynchronous graph given by ``flips`` on the space ``sp``.

    ``flips[j]`` is the set of states in which free bit ``bits[j]`` can be inverted.
    """
    moving = sp.empty()
    for row in flips:
        moving |= row
    fixed = sp.full() & ~moving
    comps = [np.array([c], dtype=np.int64) for c in sp.codes(fixed)]
    remaining = sp.full()
    if fixed.any():
        remaining &= ~sp.backward(fixed, flips, bits)
    while remaining.any():
        pivot = sp.single(sp.first(remaining))
        trap = sp.forward(pivot, flips, bits)
        while True:
            back = sp.backward(pivot, flips, bits, within=trap)
            rest = trap & ~back
            if not rest.any():
                break
            pivot = sp.single(sp.first(rest))
            trap = sp.forward(pivot, flips, bits)
        comps.append(sp.codes(trap))
        remaining &= ~sp.backward(trap, flips, bits)
    return comps


def fixed_points(
    network, fixed: Mapping[str, int] | None = None, *, max_states: int = DEFAULT_MAX_STATES
) -> tuple[Attractor, ...]:
    """The fixed points (the same under every update mode), sorted."""
    fixed = dict(network._check_assignment(fixed or {}))
    kernel = network.compile().kernel(fixed)
    _check_cap(kernel, max_states)
    out: list[Attractor] = []
    for start in range(0, kernel.size, 1 << 20):
        codes = np.arange(start, min(kernel.size, start + (1 << 20)), dtype=np.int64)
        hits = codes[kernel.image(codes) == codes]
        out.extend(_make_attractor(kernel, np.array([c])) for c in hits)
    return tuple(sorted(out, key=Attractor.key))
