"""Percolation: constant propagation through the rules.

A node is fixed as soon as its rule, with the fixed regulators substituted, no longer depends on
the free ones. Every attractor (under synchronous and asynchronous updating) lies in the
subspace percolation leaves, so searches run only over the nodes that can still change.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.engine.percolation import Percolator
>>> net = from_bnet("A, A\\nB, A\\nC, B & C\\nD, !D & C")
>>> Percolator(net).percolate({"A": 0})
{0: 0, 1: 0, 2: 0, 3: 0}
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ..errors import PerturbationError
from ..model.implicants import FREE, ternary_table
from ..model.network import MAX_TRUTH_TABLE_REGULATORS, Network
from ..model.rules import all_rows, bit_columns

__all__ = ["Percolator", "Values", "FREE", "MAX_TERNARY_REGULATORS"]

#: Fixed nodes as node index → 0/1, sorted by index.
Values = dict[int, int]
#: Nodes with at most this many regulators get a ternary table (3**k entries) for vectorised percolation;
#: the others are forced only once all their regulators are fixed.
MAX_TERNARY_REGULATORS = 12


def _forced(table: int, k: int, mask: int, bits: int) -> int | None:
    """Whether the rows of the truth table ``table`` (an int over ``k`` regulators) whose regulators
    ``mask`` hold ``bits`` all give 1 (1), all give 0 (0), or neither (``None``)."""
    rows = all_rows(k)
    for j, col in enumerate(bit_columns(k)):
        if (mask >> j) & 1:
            rows &= col if (bits >> j) & 1 else ~col
    hit = table & rows
    return 1 if hit == rows else 0 if not hit else None


class Percolator:
    """Per node: its regulators (indices), its truth table over them and its targets; a memo of
    which partial assignments of its regulators force it.

    Rules are read from their truth table as an int (:meth:`~logicmodel.model.network.Network.truth_bits`,
    made on first use); rules past :data:`~logicmodel.model.network.MAX_TRUTH_TABLE_REGULATORS`
    regulators have none and are never forced.
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        idx = {n: i for i, n in enumerate(network.nodes)}
        self.regs = [tuple(idx[r] for r in network.regulators(n)) for n in network.nodes]
        self._memo: list[dict[tuple[int, int], int | None]] = [{} for _ in network.nodes]
        self._ternary: list[npt.NDArray[np.int8] | None] | None = None
        self.targets: list[list[int]] = [[] for _ in network.nodes]
        for i, regs in enumerate(self.regs):
            for r in regs:
                self.targets[r].append(i)

    @cached_property
    def tables(self) -> list[npt.NDArray[np.bool_] | None]:
        """Each node's boolean truth table (``None`` past :data:`MAX_TRUTH_TABLE_REGULATORS` regulators)."""
        net = self.network
        return [net.truth_table(n) if len(regs) <= MAX_TRUTH_TABLE_REGULATORS else None
                for n, regs in zip(net.nodes, self.regs)]

    def forced(self, i: int, values: Mapping[int, int]) -> int | None:
        """The value node ``i``'s rule is forced to by ``values``, or ``None`` if it still varies."""
        regs = self.regs[i]
        if len(regs) > MAX_TRUTH_TABLE_REGULATORS:  # no truth table: never forced
            return None
        mask = bits = 0
        for j, r in enumerate(regs):
            v = values.get(r)
            if v is not None:
                mask |= 1 << j
                bits |= v << j
        memo = self._memo[i]
        key = (mask, bits)
        if key not in memo:
            # the table is made on first use (and kept by the network): a node never examined costs nothing
            memo[key] = _forced(self.network.truth_bits(self.network.nodes[i]), len(regs), mask, bits)
        return memo[key]

    def percolate(self, fixed: Mapping[str, int] | None = None, *, base: Mapping[int, int] | None = None) -> Values:
        """Close ``fixed`` (plus the network's constants) under constant propagation.

        Parameters
        ----------
        fixed : dict, optional
            Node name → 0/1.
        base : dict, optional
            An earlier result of ``percolate`` to extend: only the targets of the newly fixed
            nodes are re-examined, which makes sweeps over many input combinations cheap.
            ``fixed`` must agree with it.

        Returns
        -------
        dict
            Node index → 0/1, sorted by index.
        """
        net = self.network
        if base is None:
            values: dict[int, int] = {net.index(n): int(v) for n, v in net.constants.items()}
            values.update({net.index(n): int(v) for n, v in (fixed or {}).items()})
            queue = [i for i in range(len(net.nodes)) if i not in values]
        else:
            values = dict(base)
            queue = []
            for n, v in (fixed or {}).items():
                i = net.index(n)
                if i not in values:
                    values[i] = int(v)
                    queue.extend(t for t in self.targets[i] if t not in values)
                elif values[i] != int(v):
                    raise PerturbationError(f"{n}={v} contradicts the base percolation ({n}={values[i]})")
        queued = set(queue)
        while queue:
            i = queue.pop()
            queued.discard(i)
            if i in values:
                continue
            forced = self.forced(i, values)
            if forced is not None:
                values[i] = forced
                for t in self.targets[i]:
                    if t not in values and t not in queued:
                        queue.append(t)
                        queued.add(t)
        return dict(sorted(values.items()))

    def percolate_rows(self, rows: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
        """Percolation of many partial states at once: ``rows`` (one per assignment, columns in node
        order) holds 0, 1 or :data:`FREE`; returns them closed under constant propagation (the
        network's constants fill the free entries of constant nodes), like :meth:`percolate` row by row.

        Each node's ternary table (:func:`ternary_table`) is read at the index its regulators' values
        give in every row; sweeps over the nodes repeat until nothing changes.
        """
        net = self.network
        x = np.array(rows, dtype=np.int8, copy=True)
        for n, v in net.constants.items():  # a row's own value (a perturbation) overrides the constant
            col = x[:, net.index(n)]
            col[col == FREE] = v
        if self._ternary is None:
            self._ternary = [ternary_table(t, len(r)) if t is not None and len(r) <= MAX_TERNARY_REGULATORS else None
                             for t, r in zip(self.tables, self.regs)]
        digit = np.where(x == FREE, np.int8(2), x).astype(np.int64)  # 0, 1, or 2 for free
        pending = [i for i in range(len(net.nodes)) if (x[:, i] == FREE).any()]
        while pending:
            changed: set[int] = set()
            for i in pending:
                free = x[:, i] == FREE
                if not free.any():
                    continue
                regs = self.regs[i]
                table = self._ternary[i]
                if table is not None:
                    idx = np.zeros(len(x), dtype=np.int64)
                    for j, r in enumerate(regs):
                        idx += digit[:, r] * 3 ** j
                    forced = table[idx]
                else:  # many regulators: forced once they are all fixed
                    full = self.tables[i]
                    known = np.all(x[:, list(regs)] != FREE, axis=1) if regs else np.ones(len(x), dtype=bool)
                    forced = np.full(len(x), FREE, dtype=np.int8)
                    if full is not None and known.any():
                        row = np.zeros(int(known.sum()), dtype=np.int64)
                        for j, r in enumerate(regs):
                            row |= x[known, r].astype(np.int64) << j
                        forced[known] = full[row]
                hit = free & (forced != FREE)
                if hit.any():
                    x[hit, i] = forced[hit]
                    digit[hit, i] = forced[hit]
                    changed.update(self.targets[i])
            pending = sorted(t for t in changed if (x[:, t] == FREE).any())
        return x
