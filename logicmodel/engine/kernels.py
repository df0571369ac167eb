"""Compiled evaluation kernels: rules → lookup tables over packed integer states.

:func:`compiled` turns a network into an :class:`Engine` (cached per network object): its
percolation tables, and :class:`SubspaceKernel` objects for any set of fixed nodes. A kernel's
states are ``int64`` codes over the free nodes that remain after percolation: free node ``j``
(in network order) is bit ``n-1-j``, so integer order is the lexicographic order of states in
node order. Every rule is a :class:`Lookup`: a table indexed by the bits of its free regulators
(sliced from the network's truth table), evaluated on whole batches at once; rules with very
many regulators fall back to evaluating the expression tree on boolean arrays. No rule text is
ever ``eval``-ed.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.engine.kernels import compiled
>>> kernel = compiled(from_bnet("A, A\\nB, A & !C\\nC, B")).kernel({"A": 1})
>>> kernel.free, kernel.size
(('B', 'C'), 4)
>>> kernel.image(kernel.encode([[1, 0, 0]])).tolist()   # from B=0, C=0 synchronously: B=1, C=0
[2]
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model.implicants import Implicant
from ..model.network import MAX_TRUTH_TABLE_REGULATORS, Network
from ..model.rules import Value, evaluate_bits, tree_size
from .bitset import Codes, IntSpace, StateSets, space_for
from .percolation import Percolator, Values

__all__ = ["Engine", "SubspaceKernel", "Subspace", "Lookup", "compiled", "MAX_LUT_REGULATORS", "MAX_FOLDED_TREE_SIZE",
           "MAX_FOLDED_TREE_SIZE_WORDS",
           "States", "Signature", "state_strings"]

#: Rules with more free regulators than this are evaluated from the expression tree.
MAX_LUT_REGULATORS = 16
#: :meth:`SubspaceKernel.value_sets` evaluates rules of at most this many tree nodes on state sets held
#: in ints (up to 16 free nodes), and reads longer ones from their truth table. Measured 2026-12-07 on
#: single DNF rules of 4-12 regulators, 16 free nodes: folding/table 0.15-0.23 at 60 tree nodes,
#: 0.64-0.94 at 230, 2.1-6.8 at 890.
MAX_FOLDED_TREE_SIZE = 256
#: The same for state sets in numpy words (17 free nodes and more): at 20 free nodes folding/table is
#: 0.02-0.15 at 60 tree nodes, 0.09-0.14 at 230, 0.37-1.17 at 900, 2.8-7.1 at 3,600 (dnf_n20, rules
#: of up to 700 literals: 268 ms -> 41 ms by tables).
MAX_FOLDED_TREE_SIZE_WORDS = 1024
#: How many compiled networks :func:`compiled` keeps.
ENGINE_CACHE_SIZE = 16
#: Full states: ``uint8`` rows over all nodes of the network, in node order.
States = npt.NDArray[np.uint8]
#: What the dynamics of a subspace's free nodes depend on (see :meth:`Engine.signature`).
Signature = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]


def state_strings(rows: States) -> list[str]:
    """Each state as a string of 0/1 in node order (``"0110"``), without a Python loop over its values."""
    rows = np.asarray(rows, dtype=np.uint8)
    if rows.ndim != 2 or not len(rows) or not rows.shape[1]:
        return [""] * (len(rows) if rows.ndim == 2 else 0)
    width = rows.shape[1]
    text = (rows + np.uint8(48)).tobytes().decode("ascii")
    return [text[k:k + width] for k in range(0, len(text), width)]


class Lookup:
    """One rule restricted to a subspace: its value as a function of its free regulators.

    The table is sliced from the network's truth table (regulator ``j`` of the free ones is bit
    ``j`` of the index); rules with more than :data:`MAX_LUT_REGULATORS` free regulators evaluate
    their expression tree instead. :meth:`on_codes` and :meth:`on_rows` read the regulators from
    packed codes or from boolean state matrices: the same evaluator for both.
    """

    def __init__(self, network: Network, node: int, free_regs: tuple[str, ...], fixed: Mapping[str, int]) -> None:
        self.rule = network.rules[node]
        self.names = free_regs
        regs = network.regulators(network.nodes[node])
        self.fixed_env: dict[str, Value] = {r: bool(fixed[r]) for r in regs if r in fixed}
        self.table: npt.NDArray[np.bool_] | None = None
        if len(free_regs) <= MAX_LUT_REGULATORS:
            if len(regs) <= MAX_TRUTH_TABLE_REGULATORS:
                full = network.truth_table(network.nodes[node])
                rows = np.arange(1 << len(free_regs), dtype=np.int64)
                at = {r: j for j, r in enumerate(free_regs)}
                idx = np.zeros(len(rows), dtype=np.int64)
                for j, r in enumerate(regs):
                    idx |= (((rows >> at[r]) & 1) if r in at else int(fixed[r])) << j
                self.table = full[idx]
            else:
                self.table = self._evaluate([((np.arange(1 << len(free_regs)) >> j) & 1).astype(bool)
                                             for j in range(len(free_regs))], 1 << len(free_regs))

    def _evaluate(self, columns: Sequence[npt.NDArray[np.bool_]], size: int) -> npt.NDArray[np.bool_]:
        env: dict[str, Value] = dict(self.fixed_env)
        env.update(zip(self.names, columns))
        out = np.empty(size, dtype=bool)
        out[:] = self.rule.evaluate(env)
        return out

    def on_codes(self, codes: Codes, bits: Sequence[int]) -> npt.NDArray[np.bool_]:
        """The rule's value in each state of ``codes``; ``bits[j]``: code bit of free regulator ``j``."""
        if self.table is not None:
            idx = np.zeros(len(codes), dtype=np.int64)
            for b, bit in enumerate(bits):
                idx |= ((codes >> bit) & 1) << b
            return self.table[idx]
        return self._evaluate([((codes >> bit) & 1).astype(bool) for bit in bits], len(codes))

    def on_rows(self, rows: npt.NDArray[np.bool_], cols: Sequence[int],
                select: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.bool_]:
        """The rule's value in each row of a boolean matrix (or in the rows ``select`` of it);
        ``cols[j]``: column of free regulator ``j``."""
        size = len(rows) if select is None else len(select)
        columns = [rows[:, c] if select is None else rows[select, c] for c in cols]
        if self.table is not None:
            idx = np.zeros(size, dtype=np.int64)
            for b, col in enumerate(columns):
                idx |= col.astype(np.int64) << b
            return self.table[idx]
        return self._evaluate(columns, size)


class Subspace:
    """The states where given nodes hold given values: ``fixed_idx`` (node index → 0/1) over ``nodes``."""

    nodes: tuple[str, ...]
    fixed_idx: dict[int, int]

    @cached_property
    def base(self) -> States:
        """A state row with the fixed nodes at their values and every other node at 0."""
        base = np.zeros(len(self.nodes), dtype=np.uint8)
        for i, v in self.fixed_idx.items():
            base[i] = v
        return base

    def in_subspace(self, states: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Which full states (rows over all nodes) agree with the fixed nodes."""
        rows = np.atleast_2d(np.asarray(states))
        fixed = list(self.fixed_idx)
        if not fixed:
            return np.ones(len(rows), dtype=bool)
        out: npt.NDArray[np.bool_] = np.all(rows[:, fixed] == self.base[fixed], axis=1)
        return out


class SubspaceKernel(Subspace):
    """Batch evaluation of a network restricted to a subspace (fixed nodes removed).

    Attributes
    ----------
    nodes : tuple of str
        All nodes of the network.
    free_idx : numpy.ndarray
        Indices of the free nodes, in network order.
    n : int
        Number of free nodes; codes range over ``0 .. 2**n - 1``.
    pos : dict
        Node index → code bit, for the free nodes.
    """

    def __init__(self, network: Network, fixed: Mapping[int, int]) -> None:
        self.network = network
        self.nodes = network.nodes
        self.fixed_idx = dict(fixed)
        self.free_idx = np.array([i for i in range(len(network.nodes)) if i not in self.fixed_idx], dtype=np.int64)
        self.n = len(self.free_idx)
        self.pos = {int(i): self.n - 1 - j for j, i in enumerate(self.free_idx)}
        self._lookups: dict[int, tuple[Lookup, list[int]]] = {}

    @cached_property
    def free(self) -> tuple[str, ...]:
        return tuple(self.nodes[i] for i in self.free_idx)

    @cached_property
    def fixed(self) -> dict[str, int]:
        return {self.nodes[i]: v for i, v in sorted(self.fixed_idx.items())}

    @cached_property
    def lookups(self) -> list[tuple[Lookup, list[int]]]:
        """Per free node: its rule as a :class:`Lookup`, and the code bits of its free regulators."""
        return [self.lookup(j) for j in range(self.n)]

    def lookup(self, j: int) -> tuple[Lookup, list[int]]:
        """Free node ``j``'s rule as a :class:`Lookup`, and the code bits of its free regulators (made once)."""
        found = self._lookups.get(j)
        if found is None:
            net, pos = self.network, self.pos
            i = int(self.free_idx[j])
            free_regs = tuple(r for r in net.regulators(net.nodes[i]) if net.index(r) in pos)
            found = self._lookups[j] = (Lookup(net, i, free_regs, self.fixed), [pos[net.index(r)] for r in free_regs])
        return found

    @property
    def size(self) -> int:
        """Number of states in the subspace."""
        return 1 << self.n

    @property
    def bits(self) -> list[int]:
        """Code bit of each free node (free node j is bit ``n-1-j``)."""
        return [self.n - 1 - j for j in range(self.n)]

    def space(self) -> StateSets[Any]:
        """The state-set algebra of this subspace (:func:`~logicmodel.engine.bitset.space_for`)."""
        return space_for(self.n)

    def value_sets(self) -> list[Any]:
        """State sets of :meth:`space`, one per free node: the states in which its rule gives 1.

        A rule of at most :data:`MAX_FOLDED_TREE_SIZE` tree nodes (:data:`MAX_FOLDED_TREE_SIZE_WORDS`
        on numpy words) is evaluated on the sets; a longer one (a DNF
        of many terms) is read from its truth table at every code (:meth:`Lookup.on_codes`), which
        costs a few array operations per regulator instead of one set operation per tree node. A long
        rule with more than :data:`MAX_LUT_REGULATORS` free regulators has no table and is evaluated
        on the sets too.
        """
        sp = self.space()
        ones, zeros = sp.full(), sp.empty()
        longest = MAX_FOLDED_TREE_SIZE if isinstance(sp, IntSpace) else MAX_FOLDED_TREE_SIZE_WORDS
        constants = {n: bool(v) for n, v in self.fixed.items()}
        sets: dict[str, Any] | None = None
        codes: Codes | None = None
        out = []
        for j, i in enumerate(self.free_idx):
            rule = self.network.rules[i]
            if tree_size(rule) > longest:
                lookup, bits = self.lookup(j)
                if lookup.table is not None:
                    if codes is None:
                        codes = np.arange(self.size, dtype=np.int64)
                    out.append(sp.from_bools(lookup.on_codes(codes, bits)))
                    continue
            if sets is None:
                sets = {name: sp.bit_set(b) for name, b in zip(self.free, self.bits)}
            out.append(evaluate_bits(rule, sets, ones, zeros, constants))
        return out

    def image_all(self) -> Codes:
        """Synchronous successor code of every code ``0 .. size-1`` (from the value sets)."""
        sp = self.space()
        out = np.zeros(self.size, dtype=np.int64)
        for row, b in zip(self.value_sets(), self.bits):
            out |= sp.to_bools(row).astype(np.int64) << b
        return out

    def flip_sets(self) -> list[Any]:
        """State sets of :meth:`space`, one per free node: the states in which that node can change."""
        sp = self.space()
        return [v ^ sp.bit_set(b) for v, b in zip(self.value_sets(), self.bits)]

    def next_values(self, codes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Boolean matrix ``(len(codes), n)``: the value each free node's rule gives in each state."""
        codes = np.asarray(codes, dtype=np.int64)
        out = np.empty((len(codes), self.n), dtype=bool)
        for j, (lookup, bits) in enumerate(self.lookups):
            out[:, j] = lookup.on_codes(codes, bits)
        return out

    def image(self, codes: npt.ArrayLike) -> Codes:
        """Synchronous successor code of each code."""
        vals = self.next_values(codes)
        if not self.n:
            return np.zeros(len(vals), dtype=np.int64)
        weights = np.int64(1) << np.arange(self.n - 1, -1, -1, dtype=np.int64)
        out: Codes = (vals.astype(np.int64) * weights).sum(axis=1)
        return out

    def decode(self, codes: npt.ArrayLike) -> States:
        """Full states (``uint8`` matrix over all nodes, network order) of codes."""
        codes = np.asarray(codes, dtype=np.int64)
        out = np.repeat(self.base[None, :], len(codes), axis=0)
        for j, i in enumerate(self.free_idx):
            out[:, i] = (codes >> (self.n - 1 - j)) & 1
        return out

    def encode(self, states: npt.ArrayLike) -> Codes:
        """Codes of full states (rows over all nodes); rows must agree with the fixed nodes."""
        rows = np.atleast_2d(np.asarray(states, dtype=np.int64))
        codes = np.zeros(len(rows), dtype=np.int64)
        for j, i in enumerate(self.free_idx):
            codes |= rows[:, i] << (self.n - 1 - j)
        return codes


class Engine:
    """The compiled form of a :class:`~logicmodel.model.network.Network`: percolation, and
    subspace kernels for any set of fixed nodes."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.percolator = Percolator(network)
        self._primes: dict[int, tuple[list[Implicant], list[Implicant]]] = {}

    def prime_implicants(self, i: int) -> tuple[list[Implicant], list[Implicant]]:
        """The prime implicants of node ``i``'s negation and of its rule (computed once per network)."""
        found = self._primes.get(i)
        if found is None:
            node = self.network.nodes[i]
            found = self._primes[i] = self.network.prime_implicants(node)
        return found

    def percolate(self, fixed: Mapping[str, int] | None = None, *, base: Mapping[int, int] | None = None) -> Values:
        """See :meth:`~logicmodel.engine.percolation.Percolator.percolate`."""
        return self.percolator.percolate(fixed, base=base)

    def signature(self, kernel: SubspaceKernel) -> Signature:
        """What the free-node dynamics of ``kernel`` depend on: the free nodes and their fixed regulators' values.

        Subspaces with equal signatures have the same dynamics, so one search serves them all.
        """
        free = kernel.free_idx.tolist()
        fixed = kernel.fixed_idx
        regs = sorted({r for i in free for r in self.percolator.regs[i] if r in fixed})
        return (tuple(free), tuple((r, fixed[r]) for r in regs))

    def kernel(self, fixed: Mapping[str, int] | None = None, *, percolate: bool = True) -> SubspaceKernel:
        """A :class:`SubspaceKernel` for the subspace where ``fixed`` holds.

        With ``percolate=True`` (default) the subspace is shrunk by constant propagation
        (constants included), which keeps every attractor. With ``percolate=False`` only
        ``fixed`` is removed: constant nodes stay free (their rule is constant), so the kernel
        spans the whole state space, as basins and trajectories need.
        """
        net = self.network
        if percolate:
            values = self.percolate(fixed)
        else:
            values = {net.index(n): int(v) for n, v in (fixed or {}).items()}
        return SubspaceKernel(net, values)


_ENGINES: OrderedDict[int, Engine] = OrderedDict()


def compiled(network: Network) -> Engine:
    """The compiled engine of ``network``, cached for the most recently used networks.

    The cache is keyed by object identity (networks are immutable), never by equality, so a
    lookup costs nothing however large the network.
    """
    key = id(network)
    engine = _ENGINES.get(key)
    if engine is not None and engine.network is network:
        _ENGINES.move_to_end(key)
        return engine
    engine = Engine(network)
    _ENGINES[key] = engine
    while len(_ENGINES) > ENGINE_CACHE_SIZE:
        _ENGINES.popitem(last=False)
    return engine
