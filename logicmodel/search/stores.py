"""How the states of one attractor are kept: five stores behind one :class:`AttractorStore` protocol.

- :class:`CodeStore`: sorted integer codes of a subspace kernel (exhaustive search);
- :class:`KeyStore`: packed keys of boolean rows over any number of free nodes (candidate method);
- :class:`RowStore`: sorted full rows (attractors cut from one listing of an input family);
- :class:`ProductStore`: a Cartesian product of factors over disjoint node groups (factored method);
- ``SymbolicStore`` (:mod:`logicmodel.search.symbolic.store`): a BDD (symbolic method).

A record (:class:`~logicmodel.search.records.Attractor`) is built from any of them by
:func:`~logicmodel.search.records.make_attractor`; the last two stay exact for attractors far
too large to list.
"""
from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..engine.bitset import Codes
from ..engine.kernels import States, Subspace, SubspaceKernel
from ..errors import TooLargeToListError
from ..model.network import Network

__all__ = ["AttractorStore", "CodeStore", "KeyStore", "RowStore", "ProductStore", "pack_rows", "LIST_LIMIT", "Row"]

#: Attractors with more states than this are never listed state by state.
LIST_LIMIT = 1 << 22
# attractors of at most this many states find their constant nodes in a Python loop
_PYTHON_REDUCE_UP_TO = 64
#: One full state: a ``uint8`` vector over all nodes, in node order.
Row = npt.NDArray[np.uint8]
#: Packed state keys (one void scalar per state; sortable, comparable).
Keys = npt.NDArray[np.void]


class AttractorStore(Protocol):
    """The states of one attractor, kept exactly."""

    nodes: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of states."""
        ...

    def states(self, limit: int = LIST_LIMIT) -> States:
        """Every state as a ``uint8`` row over all nodes, sorted (lexicographically in node order);
        raises :class:`~logicmodel.errors.TooLargeToListError` past ``limit``."""
        ...

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        """The sorted states, a block of rows at a time."""
        ...

    def contains(self, row: Row) -> bool:
        """Whether a full state belongs to the attractor."""
        ...

    def node_values(self) -> dict[int, int]:
        """Every node constant across the attractor (node index → value), fixed nodes included."""
        ...

    def representative(self) -> Row:
        """The lexicographically smallest state in node order."""
        ...


def _too_many(size: int) -> TooLargeToListError:
    return TooLargeToListError(f"the attractor has {size:,} states, too many to list "
                               f"(its fixed and oscillating nodes and its size are exact)")


def _lexmin(rows: States) -> Row:
    order = np.lexsort(rows.T[::-1])
    out: Row = rows[order[0]]
    return out


def _sorted_rows(rows: States) -> States:
    out: States = rows[np.lexsort(rows.T[::-1])]
    return out


class CodeStore:
    """States as sorted codes of a :class:`~logicmodel.engine.kernels.SubspaceKernel`."""

    def __init__(self, kernel: SubspaceKernel, codes: Codes) -> None:
        self.kernel = kernel
        self.nodes = kernel.nodes
        self.codes = np.sort(np.asarray(codes, dtype=np.int64))

    @property
    def size(self) -> int:
        return len(self.codes)

    def states(self, limit: int = LIST_LIMIT) -> States:
        if self.size > limit:
            raise _too_many(self.size)
        return self.kernel.decode(self.codes)

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        for start in range(0, self.size, chunk):
            yield self.kernel.decode(self.codes[start : start + chunk])

    def contains(self, row: Row) -> bool:
        if not self.kernel.in_subspace(row)[0]:
            return False
        code = self.kernel.encode(row)[0]
        i = int(np.searchsorted(self.codes, code))
        return bool(i < len(self.codes) and self.codes[i] == code)

    def node_values(self) -> dict[int, int]:
        out = dict(self.kernel.fixed_idx)
        if self.kernel.n and len(self.codes):
            if len(self.codes) <= _PYTHON_REDUCE_UP_TO:  # a Python loop beats numpy's call overhead
                codes = self.codes.tolist()
                all_and, all_or = functools.reduce(operator.and_, codes), functools.reduce(operator.or_, codes)
            else:
                all_and = int(np.bitwise_and.reduce(self.codes))
                all_or = int(np.bitwise_or.reduce(self.codes))
            for i, bit in self.kernel.pos.items():
                if (all_and >> bit) & 1 == (all_or >> bit) & 1:
                    out[i] = (all_and >> bit) & 1
        return out

    def representative(self) -> Row:
        first = int(self.codes[0]) if len(self.codes) else 0  # codes are sorted: the smallest code first
        rep = [0] * len(self.nodes)
        for i, v in self.kernel.fixed_idx.items():
            rep[i] = v
        for i, bit in self.kernel.pos.items():
            rep[i] = (first >> bit) & 1
        return np.array(rep, dtype=np.uint8)


def pack_rows(rows: npt.NDArray[np.bool_]) -> Keys:
    """Boolean state rows → sortable, hashable keys (packed bits viewed as one void scalar per row)."""
    if rows.shape[1] == 0:  # no free node: one zero byte per state
        rows = np.zeros((len(rows), 1), dtype=bool)
    packed = np.packbits(rows.astype(bool), axis=1)
    out: Keys = np.ascontiguousarray(packed).view(f"V{packed.shape[1]}").ravel()
    return out


class KeyStore(Subspace):
    """States of a subspace kept as sorted packed keys of their free nodes (any number of nodes)."""

    def __init__(self, network: Network, fixed: Mapping[str, int], free: Sequence[str],
                 free_rows: npt.NDArray[np.bool_]) -> None:
        self.nodes = network.nodes
        self.free = list(free)
        self.free_idx = [network.index(n) for n in free]
        self.fixed_idx = {network.index(n): int(v) for n, v in fixed.items()}
        self.keys = np.sort(pack_rows(free_rows))

    @property
    def size(self) -> int:
        return len(self.keys)

    def decode(self, keys: Keys) -> States:
        raw = keys.view(np.uint8).reshape(len(keys), -1)
        free_rows = np.unpackbits(raw, axis=1)[:, : len(self.free)]
        out = np.repeat(self.base[None, :], len(keys), axis=0)
        out[:, self.free_idx] = free_rows
        return out

    def states(self, limit: int = LIST_LIMIT) -> States:
        if self.size > limit:
            raise _too_many(self.size)
        return self.decode(self.keys)

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        for start in range(0, self.size, chunk):
            yield self.decode(self.keys[start : start + chunk])

    def contains(self, row: Row) -> bool:
        if not self.in_subspace(row)[0]:
            return False
        key = pack_rows(np.atleast_2d(row)[:, self.free_idx].astype(bool))[0]
        i = int(np.searchsorted(self.keys, key))
        return bool(i < len(self.keys) and self.keys[i] == key)

    def node_values(self) -> dict[int, int]:
        rows = self.decode(self.keys)
        lo, hi = rows.min(axis=0), rows.max(axis=0)
        return {i: int(lo[i]) for i in range(len(self.nodes)) if lo[i] == hi[i]}

    def representative(self) -> Row:
        out: Row = self.decode(self.keys[:1])[0]  # sorted keys: lexicographic order of the free rows
        return out


class RowStore(Subspace):
    """States kept as full rows: ``rows``, at least one, sorted (lexicographic in node order);
    ``fixed_idx``, the subspace they lie in. ``contains`` scans the rows (attractors listed at once
    are small)."""

    def __init__(self, nodes: Sequence[str], fixed_idx: Mapping[int, int], rows: States) -> None:
        if rows.ndim != 2 or not len(rows) or rows.shape[1] != len(nodes):
            raise ValueError(f"a row store needs one or more rows of {len(nodes)} values, not an array "
                             f"of shape {rows.shape}")
        self.nodes = tuple(nodes)
        self.fixed_idx = dict(fixed_idx)
        self.rows = rows

    @property
    def size(self) -> int:
        return len(self.rows)

    def states(self, limit: int = LIST_LIMIT) -> States:
        if self.size > limit:
            raise _too_many(self.size)
        out: States = self.rows.copy()
        return out

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        for start in range(0, self.size, chunk):
            yield self.rows[start : start + chunk].copy()

    def contains(self, row: Row) -> bool:
        row = np.asarray(row, dtype=np.uint8)
        if row.shape != (len(self.nodes),):
            raise ValueError(f"a state is {len(self.nodes)} values, one per node, not an array of shape {row.shape}")
        return bool(np.any(np.all(self.rows == row, axis=1)))

    def node_values(self) -> dict[int, int]:
        if len(self.rows) == 1:
            return dict(enumerate(self.rows[0].tolist()))
        lo, hi = self.rows.min(axis=0).tolist(), self.rows.max(axis=0).tolist()
        return {i: a for i, (a, b) in enumerate(zip(lo, hi)) if a == b}

    def representative(self) -> Row:
        first: Row = self.rows[0].copy()
        return first


class ProductStore(Subspace):
    """An attractor kept as a Cartesian product of factors over disjoint groups of free nodes.

    Each factor is ``(node indices, uint8 matrix of the group's states)``; the attractor is every
    combination of one state per factor, with the fixed nodes at their values.
    """

    def __init__(self, network: Network, fixed_idx: Mapping[int, int],
                 factors: list[tuple[tuple[int, ...], States]]) -> None:
        self.nodes = network.nodes
        self.fixed_idx = dict(fixed_idx)
        self.factors = factors

    @property
    def size(self) -> int:
        out = 1
        for _, states in self.factors:
            out *= len(states)
        return out

    def states(self, limit: int = LIST_LIMIT) -> States:
        if self.size > limit:
            raise _too_many(self.size)
        rows = self.base[None, :].copy()
        for idx, states in self.factors:
            rep = np.repeat(rows, len(states), axis=0)
            rep[:, list(idx)] = np.tile(states, (len(rows), 1))
            rows = rep
        return _sorted_rows(rows)

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        yield self.states()

    def node_values(self) -> dict[int, int]:
        out = dict(self.fixed_idx)
        for idx, states in self.factors:
            lo, hi = states.min(axis=0), states.max(axis=0)
            out.update({i: int(lo[c]) for c, i in enumerate(idx) if lo[c] == hi[c]})
        return out

    def contains(self, row: Row) -> bool:
        if not self.in_subspace(row)[0]:
            return False
        return all(bool(np.any(np.all(states == row[list(idx)], axis=1))) for idx, states in self.factors)

    def representative(self) -> Row:
        rep: Row = self.base.copy()
        for idx, states in self.factors:
            rep[list(idx)] = _lexmin(states)  # smallest in node order (idx is sorted)
        return rep
