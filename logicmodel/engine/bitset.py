"""State sets: one bit per state of a subspace of ``n`` free nodes.

State code ``c`` is bit ``c`` of the set. Two representations share one interface
(:class:`StateSets`): :class:`Space` packs a set into a ``uint64`` array of ``max(1, 2**n // 64)``
words (bit ``c % 64`` of word ``c // 64``), and :class:`IntSpace` holds it in one Python ``int``.
Flipping free bit ``b`` of every state of a set is a word permutation or an in-word bit swap
(numpy), or two masks and two shifts (int), so images and pre-images under asynchronous updates
cost a few operations per node, whatever the number of states. A Python ``int`` operation costs
tens of nanoseconds where a numpy call costs a microsecond, so :func:`space_for` picks
:class:`IntSpace` up to :data:`MAX_INT_SET_NODES` free nodes (the two cost the same near 17 bits,
measured with ``benchmarks/bitsets.py``), and :class:`Space` above.

Examples
--------
>>> sp = space_for(3)
>>> type(sp).__name__
'IntSpace'
>>> flips = [sp.full(), sp.empty(), sp.empty()]   # only the first node (bit 2) can change, anywhere
>>> sp.codes(sp.forward(sp.single(1), flips, [2, 1, 0])).tolist()
[1, 5]
"""
from __future__ import annotations

from typing import Any, Generic

import numpy as np
import numpy.typing as npt

from ..model.rules import B, bit_columns

__all__ = ["StateSets", "Space", "IntSpace", "space_for", "MAX_INT_SET_NODES", "Words", "Codes", "unique",
           "unique_rows"]

#: A state set in numpy words: one bit per state, 64 states per word (a set is one
#: :data:`~logicmodel.model.rules.B`: such words, or one Python ``int``).
Words = npt.NDArray[np.uint64]
#: State codes (free node ``j`` of ``n`` is bit ``n-1-j``).
Codes = npt.NDArray[np.int64]
#: Subspaces of up to this many free nodes hold their state sets in Python ints (:func:`space_for`).
MAX_INT_SET_NODES = 16
# an int set of at most this many states lists its codes bit by bit, without numpy
_LOOP_CODES_UP_TO = 64

_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)
# word masks of the in-word positions whose bit b is 0, for b = 0..5
_LOW_MASKS = [
    np.uint64(0x5555555555555555),
    np.uint64(0x3333333333333333),
    np.uint64(0x0F0F0F0F0F0F0F0F),
    np.uint64(0x00FF00FF00FF00FF),
    np.uint64(0x0000FFFF0000FFFF),
    np.uint64(0x00000000FFFFFFFF),
]


def space_for(n: int) -> StateSets[Any]:
    """The state-set algebra of a subspace of ``n`` free nodes: :class:`IntSpace` up to
    :data:`MAX_INT_SET_NODES` nodes, :class:`Space` above."""
    return IntSpace(n) if n <= MAX_INT_SET_NODES else Space(n)


class StateSets(Generic[B]):
    """Set algebra over the ``2**n`` states of a subspace; sets are values of type ``B``, combined
    with ``&``, ``|`` and ``^`` (never changed in place)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.size = 1 << n

    # --------------------------------------------------------------- construction
    def empty(self) -> B:
        raise NotImplementedError

    def full(self) -> B:
        raise NotImplementedError

    def bit_set(self, bit: int) -> B:
        """The states whose free bit ``bit`` is 1."""
        raise NotImplementedError

    def single(self, code: int) -> B:
        """The set holding one state."""
        raise NotImplementedError

    def from_codes(self, codes: npt.ArrayLike) -> B:
        raise NotImplementedError

    def from_bools(self, bools: npt.NDArray[np.bool_]) -> B:
        """The set of the codes where ``bools`` (one per code ``0 .. size-1``) is true."""
        raise NotImplementedError

    # --------------------------------------------------------------- queries
    def to_bools(self, s: B) -> npt.NDArray[np.bool_]:
        """One boolean per code ``0 .. size-1``."""
        raise NotImplementedError

    def codes(self, s: B) -> Codes:
        """Sorted codes of the states in ``s``."""
        out: Codes = np.flatnonzero(self.to_bools(s)).astype(np.int64)
        return out

    def any(self, s: B) -> bool:
        raise NotImplementedError

    def same(self, a: B, b: B) -> bool:
        raise NotImplementedError

    def count(self, s: B) -> int:
        raise NotImplementedError

    def first(self, s: B) -> int:
        """Smallest code in a non-empty set (``ValueError`` on the empty set)."""
        raise NotImplementedError

    # --------------------------------------------------------------- combination
    def complement(self, s: B) -> B:
        """The states not in ``s``."""
        out: B = self.full() ^ s
        return out

    # --------------------------------------------------------------- moves
    def flip(self, s: B, bit: int) -> B:
        """Every state of ``s`` with free bit ``bit`` inverted."""
        raise NotImplementedError

    def forward(self, s: B, flips: list[B], bits: list[int], within: B | None = None) -> B:
        """All states reachable from ``s`` (``s`` included), optionally only through ``within``.

        ``flips[j]`` is the set of states in which free bit ``bits[j]`` can be inverted.
        """
        r = s
        while True:
            before = r
            for j, b in enumerate(bits):
                step = self.flip(r & flips[j], b)
                if within is not None:
                    step = step & within
                r = r | step
            if self.same(r, before):
                return r

    def backward(self, s: B, flips: list[B], bits: list[int], within: B | None = None) -> B:
        """All states that can reach ``s`` (``s`` included), optionally only through ``within``."""
        r = s
        while True:
            before = r
            for j, b in enumerate(bits):
                step = flips[j] & self.flip(r, b)
                if within is not None:
                    step = step & within
                r = r | step
            if self.same(r, before):
                return r


class Space(StateSets[Words]):
    """State sets as packed ``uint64`` words (any number of free nodes)."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.words = max(1, self.size >> 6)
        if self.size >= 64:
            self.valid = np.uint64(_ONES)
        else:
            self.valid = np.uint64((1 << self.size) - 1)

    def empty(self) -> Words:
        return np.zeros(self.words, dtype=np.uint64)

    def full(self) -> Words:
        return np.full(self.words, self.valid, dtype=np.uint64)

    def bit_set(self, bit: int) -> Words:
        if bit >= 6:
            block = 1 << (bit - 6)
            idx = np.arange(self.words, dtype=np.int64)
            out: Words = np.where((idx // block) % 2 == 1, _ONES, np.uint64(0)).astype(np.uint64)
            return out
        return np.full(self.words, ~_LOW_MASKS[bit] & self.valid, dtype=np.uint64)

    def single(self, code: int) -> Words:
        s = self.empty()
        s[code >> 6] = np.uint64(1) << np.uint64(code & 63)
        return s

    def from_codes(self, codes: npt.ArrayLike) -> Words:
        bits = np.zeros(self.words * 64, dtype=bool)
        bits[np.asarray(codes, dtype=np.int64)] = True
        out: Words = np.packbits(bits, bitorder="little").view(np.uint64)
        return out

    def from_bools(self, bools: npt.NDArray[np.bool_]) -> Words:
        bits = np.zeros(self.words * 64, dtype=bool)
        bits[: self.size] = bools
        out: Words = np.packbits(bits, bitorder="little").view(np.uint64)
        return out

    def to_bools(self, s: Words) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = np.unpackbits(s.view(np.uint8), bitorder="little")[: self.size].astype(bool)
        return out

    def any(self, s: Words) -> bool:
        return bool(s.any())

    def same(self, a: Words, b: Words) -> bool:
        return bool(np.array_equal(a, b))

    def count(self, s: Words) -> int:
        return int(np.unpackbits(s.view(np.uint8)).sum())

    def first(self, s: Words) -> int:
        nonzero = np.flatnonzero(s)
        if not len(nonzero):
            raise ValueError("the empty set has no first state")
        w = int(nonzero[0])
        word = int(s[w])
        return w * 64 + ((word & -word).bit_length() - 1)

    def flip(self, s: Words, bit: int) -> Words:
        if bit >= 6:
            block = 1 << (bit - 6)
            flipped: Words = np.ascontiguousarray(s.reshape(-1, 2, block)[:, ::-1, :]).reshape(-1)
            return flipped
        shift = np.uint64(1 << bit)
        m = _LOW_MASKS[bit]
        swapped: Words = ((s & m) << shift) | ((s >> shift) & m)
        return swapped


class IntSpace(StateSets[int]):
    """State sets as Python ints (bit ``c`` is state ``c``): fast for small subspaces (:func:`space_for`)."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self._full = (1 << self.size) - 1
        self._high = bit_columns(n)  # per free bit: the states where it is 1
        self._low = tuple(self._full ^ h for h in self._high)
        self._bytes = max(1, self.size >> 3)

    def empty(self) -> int:
        return 0

    def full(self) -> int:
        return self._full

    def bit_set(self, bit: int) -> int:
        return self._high[bit]

    def single(self, code: int) -> int:
        return 1 << code

    def from_codes(self, codes: npt.ArrayLike) -> int:
        bits = np.zeros(self._bytes * 8, dtype=bool)
        bits[np.asarray(codes, dtype=np.int64)] = True
        return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")

    def from_bools(self, bools: npt.NDArray[np.bool_]) -> int:
        return int.from_bytes(np.packbits(np.asarray(bools, dtype=bool), bitorder="little").tobytes(), "little")

    def codes(self, s: int) -> Codes:
        if s.bit_count() > _LOOP_CODES_UP_TO:
            return super().codes(s)
        found = []
        while s:
            low = s & -s
            found.append(low.bit_length() - 1)
            s ^= low
        return np.array(found, dtype=np.int64)

    def to_bools(self, s: int) -> npt.NDArray[np.bool_]:
        raw = np.frombuffer(s.to_bytes(self._bytes, "little"), dtype=np.uint8)
        out: npt.NDArray[np.bool_] = np.unpackbits(raw, bitorder="little", count=self.size).astype(bool)
        return out

    def any(self, s: int) -> bool:
        return s != 0

    def same(self, a: int, b: int) -> bool:
        return a == b

    def count(self, s: int) -> int:
        return s.bit_count()

    def first(self, s: int) -> int:
        if not s:
            raise ValueError("the empty set has no first state")
        return (s & -s).bit_length() - 1

    def flip(self, s: int, bit: int) -> int:
        shift, m = 1 << bit, self._low[bit]
        return ((s & m) << shift) | ((s >> shift) & m)


def unique(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The sorted distinct values of a 1-D array, as ``np.unique(values)``, by one sort. (``np.unique``
    imports ``numpy.ma`` on its first call, 33 ms, more than a whole search of a 20-node network.)"""
    out = np.sort(np.asarray(values).ravel())
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    keep[1:] = out[1:] != out[:-1]
    return out[keep]


def unique_rows(rows: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The distinct rows of a 2-D array in lexicographic order, as ``np.unique(rows, axis=0)``."""
    rows = np.asarray(rows)
    if len(rows) < 2:
        copy: npt.NDArray[Any] = rows.copy()
        return copy
    if not rows.shape[1]:  # zero columns: every row is the same empty row
        empty: npt.NDArray[Any] = rows[:1].copy()
        return empty
    out = rows[np.lexsort(rows.T[::-1])]
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.any(out[1:] != out[:-1], axis=1, out=keep[1:])
    return out[keep]
