"""Boolean functions from their truth tables: ternary tables and prime implicants.

A rule's truth table over its ``k`` regulators (regulator ``j`` is bit ``j`` of the row) answers two
questions that trap spaces, percolation and the primes exporter ask:

- :func:`ternary_table`: the value the rule is forced to under every partial assignment of its
  regulators (each 0, 1 or free), as one array of ``3**k`` entries;
- :func:`prime_implicants`: the prime implicants of the rule and of its negation, by the cofactor
  recursion ``P(f) = P(f0 & f1) ∪ {¬x·p : p ∈ P(f0) \\ P(f0 & f1)} ∪ {x·p : p ∈ P(f1) \\ P(f0 & f1)}``
  on the truth table.

Examples
--------
>>> import numpy as np
>>> from logicmodel import from_bnet
>>> net = from_bnet("A, A\\nB, B\\nC, A & !B | A & B")
>>> prime_implicants(net.truth_table("C"), ("A", "B"))
([{'A': 0}], [{'A': 1}])
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .rules import all_rows

__all__ = ["ternary_table", "prime_implicants", "FREE", "Implicant"]

#: The value of a free node or regulator (a ternary digit of 2 in :func:`ternary_table`'s index).
FREE = -1
#: A conjunction of literals: node → the value it must have.
Implicant = dict[str, int]


def ternary_table(table: npt.NDArray[np.bool_], k: int) -> npt.NDArray[np.int8]:
    """For a truth table over ``k`` regulators, the value the rule is forced to for every partial
    assignment: index ``sum(d_j * 3**j)`` with digit ``d_j`` 0, 1 or 2 (free); value 0, 1, or
    :data:`FREE` when the free regulators still matter.

    Built axis by axis: a free digit at axis ``j`` keeps a value where the 0 and 1 digits agree.
    """
    cube = table.astype(np.int8).reshape((2,) * k, order="F") if k else table.astype(np.int8).reshape(())
    for axis in range(k):
        zero, one = np.take(cube, 0, axis=axis), np.take(cube, 1, axis=axis)
        both = np.where(zero == one, zero, np.int8(FREE))
        cube = np.concatenate([cube, np.expand_dims(both, axis)], axis=axis)
    out: npt.NDArray[np.int8] = cube.reshape(-1, order="F")
    return out


Literals = tuple[tuple[int, int], ...]


def _primes(mask: int, m: int, memo: dict[tuple[int, int], list[Literals]]) -> list[Literals]:
    """Prime implicants (tuples of (variable, value), variables descending) of the function on variables
    ``0 .. m-1`` whose truth table is the bit mask ``mask`` (row ``r`` is bit ``r``)."""
    if mask == 0:
        return []
    if mask == all_rows(m):
        return [()]
    key = (m, mask)
    found = memo.get(key)
    if found is not None:
        return found
    half = 1 << (m - 1)
    f0, f1 = mask & ((1 << half) - 1), mask >> half  # the top variable (bit m-1) at 0, then at 1
    both = _primes(f0 & f1, m - 1, memo)
    shared = set(both)
    out = list(both)
    out += [((m - 1, 0),) + p for p in _primes(f0, m - 1, memo) if p not in shared]
    out += [((m - 1, 1),) + p for p in _primes(f1, m - 1, memo) if p not in shared]
    memo[key] = out
    return out


def prime_implicants(table: npt.NDArray[np.bool_], regulators: Sequence[str]) -> tuple[list[Implicant], list[Implicant]]:
    """The prime implicants of the rule's negation and of the rule (PyBoolNet's ``[primes of 0, primes of 1]``),
    each a list of ``{regulator: value}``, sorted."""
    table = np.asarray(table, dtype=bool)
    k = len(regulators)
    ones = int.from_bytes(np.packbits(table, bitorder="little").tobytes(), "little")  # row r is bit r
    full = all_rows(k)
    memo: dict[tuple[int, int], list[Literals]] = {}
    out = []
    for side in (full & ~ones, ones):
        primes = [{regulators[j]: v for j, v in sorted(p)} for p in _primes(side, k, memo)]
        out.append(sorted(primes, key=lambda p: sorted(p.items())))
    return out[0], out[1]
