"""An attractor kept as a BDD (exact, possibly far too large to list), and its picklable form."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ...engine.kernels import States, Subspace
from ...errors import TooLargeToListError
from ..stores import LIST_LIMIT, Row
from .space import BDD, Ref, SymbolicSpace

__all__ = ["SymbolicStore", "to_node_list", "from_node_list"]

NodeList = list[tuple[str, int, int]]
#: Attractors of at most this many states are listed once, and their fixed nodes and representative read
#: from the list (32,768 small attractors of a 23-node network: 3.6 s of BDD operations otherwise).
SMALL_ATTRACTOR = 4096


def to_node_list(bdd: BDD, u: Ref) -> NodeList:
    """``u`` as a list of ``(variable, low, high)`` rows, children before parents; entries 0 and 1
    are the constants, row ``k`` is entry ``k + 2`` and the last row is ``u`` (a plain, picklable
    form, linear in the BDD's size)."""
    if u == bdd.false or u == bdd.true:
        return [("", int(u == bdd.true), -1)]
    rows: NodeList = []
    ids: dict[int, int] = {}
    stack: list[tuple[Ref, bool]] = [(u, False)]
    while stack:  # iterative post-order: BDDs can be deeper than Python's recursion limit
        v, expanded = stack.pop()
        key = int(v)
        if v == bdd.false or v == bdd.true or key in ids:
            continue
        name = bdd.var_at_level(v.level)
        low, high = bdd.let({name: False}, v), bdd.let({name: True}, v)
        if not expanded:
            stack.append((v, True))
            stack.extend((c, False) for c in (high, low))
            continue
        ref = {int(bdd.false): 0, int(bdd.true): 1}
        rows.append((name, ref.get(int(low), ids.get(int(low), 0)), ref.get(int(high), ids.get(int(high), 0))))
        ids[key] = len(rows) + 1
    return rows


def from_node_list(bdd: BDD, rows: NodeList) -> Ref:
    """The inverse of :func:`to_node_list`, in ``bdd`` (variables declared by name)."""
    if len(rows) == 1 and rows[0][2] == -1:
        return bdd.true if rows[0][1] else bdd.false
    built = [bdd.false, bdd.true]
    for name, low, high in rows:
        built.append(bdd.ite(bdd.var(name), built[high], built[low]))
    return built[-1]


class SymbolicStore(Subspace):
    """An attractor kept as a BDD over the free nodes of its subspace."""

    def __init__(self, space: SymbolicSpace, states: Ref) -> None:
        self.nodes = space.network.nodes
        self.fixed_idx = dict(space.values)
        self.space = space
        self.bdd_states = states
        self._size = space.count(states)
        self._small: States | None = None

    @property
    def size(self) -> int:
        return self._size

    def __getstate__(self) -> dict[str, Any]:
        # a BDD lives in its manager: travel as a node list, rebuilt in a fresh manager
        return {"network": self.space.network, "values": self.space.values,
                "nodes": to_node_list(self.space.bdd, self.bdd_states)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        space = SymbolicSpace(state["network"], state["values"])
        self.__init__(space, from_node_list(space.bdd, state["nodes"]))  # type: ignore[misc]

    def states(self, limit: int = LIST_LIMIT) -> States:
        if self.size > limit:
            raise TooLargeToListError(f"the attractor has {self.size:,} states, too many to list "
                                      f"(its fixed and oscillating nodes and its size are exact)")
        small = self._rows
        return small.copy() if small is not None else self._listed()

    def _listed(self) -> States:
        """Every state, sorted, from the cubes of the BDD."""
        blocks = [self._cube_rows(cube) for cube in self.space.cubes(self.bdd_states)]
        rows = np.concatenate(blocks) if blocks else np.empty((0, len(self.nodes)), dtype=np.uint8)
        out: States = rows[np.lexsort(rows.T[::-1])]
        return out

    @property
    def _rows(self) -> States | None:
        """The sorted states of a small attractor (at most :data:`SMALL_ATTRACTOR` states), listed once:
        its fixed nodes and representative are read from them instead of from one BDD operation per node."""
        if self.size > SMALL_ATTRACTOR:
            return None
        if self._small is None:
            self._small = self._listed()
        return self._small

    def _cube_rows(self, cube: dict[int, int]) -> States:
        """The states of one cube (free node → 0/1; the free nodes it leaves out take every value)."""
        open_ = [i for i in self.space.free if i not in cube]
        row = self.base.copy()
        row[list(cube)] = list(cube.values())
        if not open_:
            one: States = row[None, :]
            return one
        rows = np.repeat(row[None, :], 1 << len(open_), axis=0)
        codes = np.arange(1 << len(open_), dtype=np.int64)
        rows[:, open_] = (codes[:, None] >> np.arange(len(open_))) & 1
        return rows

    def iter_rows(self, chunk: int = 65536) -> Iterator[States]:
        yield self.states()

    def contains(self, row: Row) -> bool:
        if not self.in_subspace(row)[0]:
            return False
        sp = self.space
        return bool((sp.cube({i: int(row[i]) for i in sp.free}) & self.bdd_states) != sp.false)

    def node_values(self) -> dict[int, int]:
        sp = self.space
        out = dict(self.fixed_idx)
        rows = self._rows
        if rows is not None:
            same = np.all(rows == rows[:1], axis=0)
            out.update((i, int(rows[0, i])) for i in sp.free if same[i])
            return out
        for i in sp.free:
            if (self.bdd_states & sp.var[i]) == sp.false:
                out[i] = 0
            elif (self.bdd_states & ~sp.var[i]) == sp.false:
                out[i] = 1
        return out

    def representative(self) -> Row:
        if self._rows is not None:
            first: Row = self._rows[0].copy()
            return first
        rep: Row = self.base.copy()
        for i, v in self.space.smallest(self.bdd_states).items():
            rep[i] = v
        return rep
