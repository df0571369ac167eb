"""Compiled evaluation kernels: rules → lookup tables over packed integer states.

A *subspace kernel* is built for a set of fixed nodes (constants, perturbations,
fixed inputs) after percolation. Its states are ``int64`` codes over the
remaining free nodes: free node ``j`` (in network order) is bit ``n-1-j``, so
that integer order is the lexicographic order of states in node order. Every
rule is a lookup table indexed by the bits of its free regulators, evaluated on
whole batches of codes at once; rules with very many regulators fall back to
evaluating the expression tree on boolean arrays. No rule text is ever ``eval``-ed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

import numpy as np

from .bitset import Space
from .rules import And, Const, Expr, Not, Or, Var

__all__ = ["Engine", "SubspaceKernel", "MAX_LUT_REGULATORS"]

logger = logging.getLogger(__name__)

#: Rules with more free regulators than this are evaluated from the expression tree.
MAX_LUT_REGULATORS = 16


def _table(rule: Expr, names: tuple[str, ...], fixed: Mapping[str, bool]) -> np.ndarray:
    rows = np.arange(1 << len(names), dtype=np.int64)
    env: dict[str, "np.ndarray | bool"] = dict(fixed)
    for j, n in enumerate(names):
        env[n] = ((rows >> j) & 1).astype(bool)
    out = np.empty(len(rows), dtype=bool)
    out[:] = rule.evaluate(env)
    return out


@dataclass(frozen=True, eq=False)
class _NodeKernel:
    bits: np.ndarray  # bit position (in codes) of each free regulator; regulator j is LUT index bit j
    table: np.ndarray | None  # bool LUT of size 2**len(bits), or None for the tree fallback
    rule: Expr
    names: tuple[str, ...]  # free regulator names (tree fallback)
    fixed_env: dict  # fixed regulator values (tree fallback)


def _eval_words(expr: Expr, env: Mapping[str, "np.ndarray | bool"], ones: np.ndarray, zeros: np.ndarray) -> np.ndarray:
    """Evaluate a rule on packed state sets: variables are word arrays, constants full or empty sets."""
    if isinstance(expr, Var):
        v = env[expr.name]
        if isinstance(v, np.ndarray):
            return v
        return ones if v else zeros
    if isinstance(expr, Const):
        return ones if expr.value else zeros
    if isinstance(expr, Not):
        return ones & ~_eval_words(expr.arg, env, ones, zeros)
    if isinstance(expr, And):
        out = _eval_words(expr.args[0], env, ones, zeros)
        for a in expr.args[1:]:
            out = out & _eval_words(a, env, ones, zeros)
        return out
    if isinstance(expr, Or):
        out = _eval_words(expr.args[0], env, ones, zeros)
        for a in expr.args[1:]:
            out = out | _eval_words(a, env, ones, zeros)
        return out
    raise TypeError(f"unknown expression {expr!r}")  # pragma: no cover


class FixedPart:
    """A subspace given by fixed node values (``_fixed_idx``: node index → 0/1) over ``nodes``."""

    nodes: tuple[str, ...]
    _fixed_idx: dict[int, int]

    @cached_property
    def _base(self) -> np.ndarray:
        base = np.zeros(len(self.nodes), dtype=np.uint8)
        for i, v in self._fixed_idx.items():
            base[i] = v
        return base

    def in_subspace(self, states: np.ndarray) -> np.ndarray:
        """Which full states (rows over all nodes) agree with the fixed nodes."""
        states = np.atleast_2d(np.asarray(states))
        fixed = list(self._fixed_idx)
        if not fixed:
            return np.ones(len(states), dtype=bool)
        return np.all(states[:, fixed] == self._base[fixed], axis=1)


class SubspaceKernel(FixedPart):
    """Batch evaluation of a network restricted to a subspace (fixed nodes removed).

    Attributes
    ----------
    nodes : tuple of str
        All nodes of the network.
    fixed : dict
        Node → 0/1 for every fixed node (after percolation).
    free : tuple of str
        The free nodes, in network order.
    n : int
        Number of free nodes; codes range over ``0 .. 2**n - 1``.
    """

    def __init__(self, engine: "Engine", fixed: Mapping[int, int]) -> None:
        net = engine.network
        self.nodes = net.nodes
        self._fixed_idx = fixed if isinstance(fixed, dict) else dict(fixed)
        self.free_idx = np.array([i for i in range(len(net.nodes)) if i not in self._fixed_idx], dtype=np.int64)
        self.n = len(self.free_idx)
        self._pos = {int(i): self.n - 1 - j for j, i in enumerate(self.free_idx)}
        self._net = net
        self._kernels_cache: list[_NodeKernel] | None = None

    @cached_property
    def free(self) -> tuple[str, ...]:
        return tuple(self.nodes[i] for i in self.free_idx)

    @cached_property
    def fixed(self) -> dict[str, int]:
        return {self.nodes[i]: v for i, v in sorted(self._fixed_idx.items())}

    @cached_property
    def _fixed_names(self) -> dict[str, bool]:
        return {self.nodes[i]: bool(v) for i, v in self._fixed_idx.items()}

    @property
    def _kernels(self) -> list[_NodeKernel]:
        """Per free node: free-regulator bit positions and restricted lookup table (built on first use)."""
        if self._kernels_cache is None:
            net, pos, fixed_names = self._net, self._pos, self._fixed_names
            out = []
            for i in self.free_idx:
                node = net.nodes[i]
                regs = net.regulators(node)
                free_regs = tuple(r for r in regs if net.index(r) in pos)
                bits = np.array([pos[net.index(r)] for r in free_regs], dtype=np.int64)
                env = {r: fixed_names[r] for r in regs if r in fixed_names}
                table = _table(net.rules[i], free_regs, env) if len(free_regs) <= MAX_LUT_REGULATORS else None
                out.append(_NodeKernel(bits, table, net.rules[i], free_regs, env))
            self._kernels_cache = out
        return self._kernels_cache

    @property
    def size(self) -> int:
        """Number of states in the subspace."""
        return 1 << self.n

    @property
    def bits(self) -> list[int]:
        """Code bit of each free node (free node j is bit ``n-1-j``)."""
        return [self.n - 1 - j for j in range(self.n)]

    def space(self) -> Space:
        """The packed state-set algebra of this subspace."""
        return Space(self.n)

    def value_sets(self) -> np.ndarray:
        """Packed sets, one row per free node: the states in which its rule gives 1."""
        sp = self.space()
        ones, zeros = sp.full(), sp.empty()
        var = {name: sp.bit_set(b) for name, b in zip(self.free, self.bits)}
        out = np.empty((self.n, sp.words), dtype=np.uint64)
        env: dict = dict(self._fixed_names)
        env.update(var)
        for j, i in enumerate(self.free_idx):
            out[j] = _eval_words(self._net.rules[i], env, ones, zeros)
        return out

    def image_all(self) -> np.ndarray:
        """Synchronous successor code of every code ``0 .. size-1`` (from the packed value sets)."""
        sp = self.space()
        out = np.zeros(self.size, dtype=np.int64)
        for row, b in zip(self.value_sets(), self.bits):
            out |= sp.to_bools(row).astype(np.int64) << b
        return out

    def flip_sets(self) -> np.ndarray:
        """Packed sets, one row per free node: the states in which that node can change."""
        sp = self.space()
        vals = self.value_sets()
        for j, b in enumerate(self.bits):
            vals[j] ^= sp.bit_set(b)
        return vals

    def next_values(self, codes: np.ndarray) -> np.ndarray:
        """Boolean matrix ``(len(codes), n)``: the value each free node's rule gives in each state."""
        codes = np.asarray(codes, dtype=np.int64)
        out = np.empty((len(codes), self.n), dtype=bool)
        for j, k in enumerate(self._kernels):
            if k.table is not None:
                idx = np.zeros(len(codes), dtype=np.int64)
                for b, bit in enumerate(k.bits):
                    idx |= ((codes >> bit) & 1) << b
                out[:, j] = k.table[idx]
            else:
                env: dict = dict(k.fixed_env)
                for name, bit in zip(k.names, k.bits):
                    env[name] = ((codes >> bit) & 1).astype(bool)
                out[:, j] = k.rule.evaluate(env)
        return out

    def image(self, codes: np.ndarray) -> np.ndarray:
        """Synchronous successor code of each code."""
        vals = self.next_values(codes)
        weights = np.int64(1) << np.arange(self.n - 1, -1, -1, dtype=np.int64)
        return (vals.astype(np.int64) * weights).sum(axis=1) if self.n else np.zeros(len(codes), dtype=np.int64)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """Full states (``uint8`` matrix over all nodes, network order) of codes."""
        codes = np.asarray(codes, dtype=np.int64)
        out = np.repeat(self._base[None, :], len(codes), axis=0)
        for j, i in enumerate(self.free_idx):
            out[:, i] = (codes >> (self.n - 1 - j)) & 1
        return out

    def encode(self, states: np.ndarray) -> np.ndarray:
        """Codes of full states (rows over all nodes); rows must agree with the fixed nodes."""
        states = np.atleast_2d(np.asarray(states, dtype=np.int64))
        codes = np.zeros(len(states), dtype=np.int64)
        for j, i in enumerate(self.free_idx):
            codes |= states[:, i] << (self.n - 1 - j)
        return codes


class Engine:
    """The compiled form of a :class:`~logicmodel.network.Network`.

    Holds, per node, the regulator indices and the truth table over them (regulator
    ``j`` is bit ``j`` of the row), used by percolation; subspace kernels are built
    from it for any set of fixed nodes.
    """

    def __init__(self, network) -> None:  # network: Network (no import cycle at runtime)
        self.network = network
        idx = {n: i for i, n in enumerate(network.nodes)}
        self._regs = [tuple(idx[r] for r in network.regulators(n)) for n in network.nodes]
        self._tables: list[np.ndarray | None] = []
        for i, node in enumerate(network.nodes):
            regs = network.regulators(node)
            self._tables.append(_table(network.rules[i], regs, {}) if len(regs) <= 20 else None)
        self._rows = [np.arange(len(t), dtype=np.int64) if t is not None else None for t in self._tables]
        self._memo: list[dict[tuple[int, int], int | None]] = [{} for _ in network.nodes]
        self._targets: list[list[int]] = [[] for _ in network.nodes]
        for i, regs in enumerate(self._regs):
            for r in regs:
                self._targets[r].append(i)

    def _constant_under(self, i: int, values: Mapping[int, int]) -> int | None:
        """The value node ``i``'s rule is forced to by ``values``, or ``None`` if it still varies."""
        table = self._tables[i]
        rows = self._rows[i]
        if table is None or rows is None:
            return None
        mask = bits = 0
        for j, r in enumerate(self._regs[i]):
            v = values.get(r)
            if v is not None:
                mask |= 1 << j
                bits |= v << j
        memo = self._memo[i]
        key = (mask, bits)
        if key not in memo:
            sub = table[(rows & mask) == bits] if mask else table
            memo[key] = 1 if sub.all() else 0 if not sub.any() else None
        return memo[key]

    def percolate(self, fixed: Mapping[str, int] | None = None, *, base: Mapping[int, int] | None = None) -> dict[int, int]:
        """Close ``fixed`` (plus the network's constants) under constant propagation.

        A node is added when its rule, with the fixed regulators substituted,
        no longer depends on the free ones. Attractors of the network all lie in
        the resulting subspace (under synchronous and asynchronous updating).

        Parameters
        ----------
        fixed : dict, optional
            Node name → 0/1.
        base : dict, optional
            An earlier result of ``percolate`` (node index → value) to extend:
            only the targets of the newly fixed nodes are re-examined, which makes
            sweeps over many input combinations cheap. ``fixed`` must agree with it.

        Returns
        -------
        dict
            Node index → 0/1, sorted by index.
        """
        net = self.network
        if base is None:
            values: dict[int, int] = {net.index(n): int(v) for n, v in net.constants.items()}
            new = {net.index(n): int(v) for n, v in (fixed or {}).items()}
            values.update(new)
            queue = [i for i in range(len(net.nodes)) if i not in values]
        else:
            values = dict(base)
            queue = []
            for n, v in (fixed or {}).items():
                i = net.index(n)
                if i not in values:
                    values[i] = int(v)
                    queue.extend(t for t in self._targets[i] if t not in values)
                elif values[i] != int(v):
                    raise ValueError(f"{n}={v} contradicts the base percolation ({n}={values[i]})")
        queued = set(queue)
        while queue:
            i = queue.pop()
            queued.discard(i)
            if i in values:
                continue
            forced = self._constant_under(i, values)
            if forced is not None:
                values[i] = forced
                for t in self._targets[i]:
                    if t not in values and t not in queued:
                        queue.append(t)
                        queued.add(t)
        return dict(sorted(values.items()))

    def signature(self, kernel: SubspaceKernel) -> tuple:
        """What the free-node dynamics of ``kernel`` depend on: the free nodes and their fixed regulators' values."""
        free = kernel.free_idx.tolist()
        fixed = kernel._fixed_idx
        regs = sorted({r for i in free for r in self._regs[i] if r in fixed})
        return (tuple(free), tuple((r, fixed[r]) for r in regs))

    def kernel(self, fixed: Mapping[str, int] | None = None, *, percolate: bool = True) -> SubspaceKernel:
        """A :class:`SubspaceKernel` for the subspace where ``fixed`` holds.

        With ``percolate=True`` (default) the subspace is shrunk by constant
        propagation (constants included), which keeps every attractor. With
        ``percolate=False`` only ``fixed`` is removed: constant nodes stay free
        (their rule is constant), so the kernel spans the whole state space,
        as basins and trajectories need.
        """
        net = self.network
        if percolate:
            values = self.percolate(fixed)
        else:
            values = {net.index(n): int(v) for n, v in (fixed or {}).items()}
        return SubspaceKernel(self, values)
