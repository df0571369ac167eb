"""Packed state sets: one bit per state of a subspace of ``n`` free nodes.

A set is a ``uint64`` array of ``max(1, 2**n // 64)`` words; state code ``c``
is bit ``c % 64`` of word ``c // 64``. Flipping free bit ``b`` of every state of
a set is a word permutation (``b >= 6``) or an in-word bit swap (``b < 6``),
so images and pre-images under asynchronous updates cost a few vectorised
word operations per node, whatever the number of states.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Space", "Words", "Codes", "unique", "unique_rows"]

#: A packed state set: one bit per state, 64 states per word.
Words = npt.NDArray[np.uint64]
#: State codes (free node ``j`` of ``n`` is bit ``n-1-j``).
Codes = npt.NDArray[np.int64]

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


class Space:
    """Set algebra over the ``2**n`` states of a subspace."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.size = 1 << n
        self.words = max(1, self.size >> 6)
        if self.size >= 64:
            self.valid = np.uint64(_ONES)
        else:
            self.valid = np.uint64((1 << self.size) - 1)

    # --------------------------------------------------------------- construction
    def empty(self) -> Words:
        return np.zeros(self.words, dtype=np.uint64)

    def full(self) -> Words:
        return np.full(self.words, self.valid, dtype=np.uint64)

    def bit_set(self, bit: int) -> Words:
        """The states whose free bit ``bit`` is 1."""
        if bit >= 6:
            block = 1 << (bit - 6)
            idx = np.arange(self.words, dtype=np.int64)
            out: Words = np.where((idx // block) % 2 == 1, _ONES, np.uint64(0)).astype(np.uint64)
            return out
        return np.full(self.words, ~_LOW_MASKS[bit] & self.valid, dtype=np.uint64)

    def single(self, code: int) -> Words:
        """The set holding one state."""
        s = self.empty()
        s[code >> 6] = np.uint64(1) << np.uint64(code & 63)
        return s

    def from_codes(self, codes: npt.ArrayLike) -> Words:
        bits = np.zeros(self.words * 64, dtype=bool)
        bits[np.asarray(codes, dtype=np.int64)] = True
        out: Words = np.packbits(bits, bitorder="little").view(np.uint64)
        return out

    # --------------------------------------------------------------- queries
    def codes(self, s: Words) -> Codes:
        """Sorted codes of the states in ``s``."""
        bits = np.unpackbits(s.view(np.uint8), bitorder="little")[: self.size]
        out: Codes = np.flatnonzero(bits).astype(np.int64)
        return out

    def to_bools(self, s: Words) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = np.unpackbits(s.view(np.uint8), bitorder="little")[: self.size].astype(bool)
        return out

    @staticmethod
    def any(s: Words) -> bool:
        return bool(s.any())

    def count(self, s: Words) -> int:
        return int(np.unpackbits(s.view(np.uint8)).sum())

    def first(self, s: Words) -> int:
        """Smallest code in a non-empty set."""
        w = int(np.flatnonzero(s)[0])
        word = int(s[w])
        return w * 64 + ((word & -word).bit_length() - 1)

    # --------------------------------------------------------------- moves
    def flip(self, s: Words, bit: int) -> Words:
        """Every state of ``s`` with free bit ``bit`` inverted."""
        if bit >= 6:
            block = 1 << (bit - 6)
            flipped: Words = s.reshape(-1, 2, block)[:, ::-1, :].reshape(-1)
            return flipped
        shift = np.uint64(1 << bit)
        m = _LOW_MASKS[bit]
        swapped: Words = ((s & m) << shift) | ((s >> shift) & m)
        return swapped

    def forward(self, s: Words, flips: Words, bits: list[int], within: Words | None = None) -> Words:
        """All states reachable from ``s`` (``s`` included), optionally only through ``within``."""
        r = s.copy()
        while True:
            before = r.copy()
            for j, b in enumerate(bits):
                step = self.flip(r & flips[j], b)
                if within is not None:
                    step &= within
                r |= step
            if np.array_equal(r, before):
                out: Words = r
                return out

    def backward(self, s: Words, flips: Words, bits: list[int], within: Words | None = None) -> Words:
        """All states that can reach ``s`` (``s`` included), optionally only through ``within``."""
        r = s.copy()
        while True:
            before = r.copy()
            for j, b in enumerate(bits):
                step = flips[j] & self.flip(r, b)
                if within is not None:
                    step &= within
                r |= step
            if np.array_equal(r, before):
                out: Words = r
                return out


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
