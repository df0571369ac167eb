"""Every attractor of every combination of some free inputs, in one pass (a *sweep*).

Condition tables, validation over every input combination and screens need the attractors of
thousands of input combinations of one network. A sweep percolates all the combinations at once
(:meth:`~logicmodel.engine.percolation.Percolator.percolate_rows`, vectorised over the rows): in most
of them percolation fixes every node, and that state is the one attractor, under either update mode.
The remaining combinations are grouped by what their free nodes' dynamics depend on (the free nodes
and the values of their fixed regulators); one search per group (the method :func:`~.choose.choose`
picks) serves every combination of the group. The result holds, for every attractor of every
combination, its combination, the value of each node (0, 1, or :data:`FREE` where it oscillates)
and its size: what phenotypes and node checks need, in arrays.

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.search.sweep import sweep
>>> sw = sweep(from_bnet("I, I\\nA, I | B\\nB, A & !I"))
>>> sw.inputs, sw.counts().tolist()
(('I',), [2, 1])
>>> [s.fixed for s in sw.summaries({"I": 1})]
[{'I': 1, 'A': 1, 'B': 0}]
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..dynamics import get_update_mode
from ..engine.percolation import FREE
from ..errors import InvalidStateError, SearchIncompleteError, UnknownNodeError
from ..model.network import Network
from .choose import Limits, Part, check_method, choose
from .records import Attractor
from .runner import Search

__all__ = ["Sweep", "Summary", "sweep", "attractors_of_rows", "MAX_SWEEP_INPUTS"]

#: Most inputs a sweep enumerates (2**20 rows of partial states).
MAX_SWEEP_INPUTS = 20


@dataclass(frozen=True)
class Summary:
    """What a sweep knows of one attractor: its fixed nodes, its oscillating nodes, its size."""

    fixed: dict[str, int]
    oscillating: tuple[str, ...]
    size: int


@dataclass(frozen=True, eq=False)
class Sweep:
    """Every attractor of every combination of ``inputs`` (the other nodes as ``fixed`` says).

    Attributes
    ----------
    nodes : tuple of str
        Node order of :attr:`values`.
    update : str
        The update mode.
    fixed : dict
        Nodes held in every combination.
    inputs : tuple of str
        The swept inputs; combination ``c`` gives input ``j`` the value of bit ``len(inputs)-1-j`` of
        ``c`` (the lexicographic order of ``itertools.product((0, 1), repeat=k)``).
    owner : numpy.ndarray
        For each attractor, its combination (sorted).
    values : numpy.ndarray
        ``int8`` matrix, one row per attractor: each node's value across it, or :data:`FREE` where it
        oscillates.
    sizes : tuple of int
        Number of states of each attractor.
    method : tuple of str
        The methods that ran (``percolation`` for combinations that percolation settles alone).
    """

    nodes: tuple[str, ...]
    update: str
    fixed: dict[str, int]
    inputs: tuple[str, ...]
    owner: npt.NDArray[np.int64]
    values: npt.NDArray[np.int8]
    sizes: tuple[int, ...]
    method: tuple[str, ...]

    @property
    def combinations(self) -> int:
        return 1 << len(self.inputs)

    def counts(self) -> npt.NDArray[np.int64]:
        """Number of attractors of each combination."""
        out: npt.NDArray[np.int64] = np.bincount(self.owner, minlength=self.combinations)
        return out

    def index(self, inputs: Mapping[str, int]) -> int:
        """The combination of the given input values (every swept input needs one)."""
        missing = [n for n in self.inputs if n not in inputs]
        if missing:
            raise InvalidStateError(f"give a value to every swept input; missing: {', '.join(missing)}")
        k = len(self.inputs)
        return sum(int(inputs[n]) << (k - 1 - j) for j, n in enumerate(self.inputs))

    def rows(self, combination: int) -> npt.NDArray[np.int64]:
        """Indices (into :attr:`values`) of the attractors of one combination."""
        lo, hi = np.searchsorted(self.owner, [combination, combination + 1])
        return np.arange(lo, hi, dtype=np.int64)

    def summaries(self, inputs: Mapping[str, int]) -> list[Summary]:
        """The attractors of one combination of the swept inputs."""
        out = []
        for r in self.rows(self.index(inputs)):
            row = self.values[r]
            out.append(Summary({n: int(v) for n, v in zip(self.nodes, row) if v != FREE},
                               tuple(n for n, v in zip(self.nodes, row) if v == FREE), self.sizes[r]))
        return out


def _combinations(k: int) -> npt.NDArray[np.int8]:
    codes = np.arange(1 << k, dtype=np.int64)
    out: npt.NDArray[np.int8] = np.stack([(codes >> (k - 1 - j)) & 1 for j in range(k)], axis=1).astype(np.int8) \
        if k else np.zeros((1, 0), dtype=np.int8)
    return out


def attractors_of_rows(network: Network, update: str, rows: npt.NDArray[np.int8], *, method: str = "auto",
                       limits: Limits | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8], list[int],
                                                              tuple[str, ...]]:
    """Every attractor of every row of partial states at once: ``rows`` holds, per row, 0/1 for the
    nodes held fixed and :data:`FREE` for the others.

    Returns, per attractor (sorted by row), its row, each node's value (:data:`FREE` where it
    oscillates), its size; and the methods that ran.
    """
    mode = get_update_mode(update)
    check_method(method, mode.name)
    limits = (limits or Limits()).started()
    search = Search(network, mode.name, limits)
    settled = search.engine.percolator.percolate_rows(rows)
    free = settled == FREE
    open_rows = np.flatnonzero(free.any(axis=1))
    owners = [np.flatnonzero(~free.any(axis=1))]  # settled by percolation: one fixed point each
    blocks = [settled[owners[0]]]
    sizes: list[int] = [1] * len(owners[0])
    used = {"percolation"} if len(owners[0]) else set()
    if len(open_rows):
        # what the free nodes' dynamics depend on: the free nodes, and the values of their fixed regulators
        regulates = np.zeros((len(network.nodes), len(network.nodes)), dtype=np.float32)
        for i, regs in enumerate(search.engine.percolator.regs):
            regulates[list(regs), i] = 1
        depends = free[open_rows] | ((free[open_rows].astype(np.float32) @ regulates.T) > 0)
        keys = np.where(depends, settled[open_rows], np.int8(2))
        _, group = np.unique(keys, axis=0, return_inverse=True)
        group = group.ravel()
        order = np.argsort(group, kind="stable")
        cuts = np.flatnonzero(np.diff(group[order])) + 1
        for members in np.split(open_rows[order], cuts):
            limits.check_time()
            first = members[0]
            part = Part(network, {i: int(v) for i, v in enumerate(settled[first]) if v != FREE})
            found = sorted(search.run(part, choose(part, mode.name, method, limits)), key=Attractor.key)
            cols = np.flatnonzero(free[first])
            for a in found:
                template = np.array([a.fixed.get(network.nodes[i], FREE) for i in cols], dtype=np.int8)
                block = settled[members].copy()
                block[:, cols] = template
                owners.append(members)
                blocks.append(block)
                sizes += [a.size] * len(members)
        used |= search.used
    owner = np.concatenate(owners).astype(np.int64)
    order = np.argsort(owner, kind="stable")
    return owner[order], np.concatenate(blocks)[order], [sizes[k] for k in order], tuple(sorted(used))


def sweep(network: Network, update: str = "asynchronous", fixed: Mapping[str, int] | None = None,
          inputs: Sequence[str] | None = None, *, method: str = "auto", limits: Limits | None = None) -> Sweep:
    """Every attractor of every combination of ``inputs`` (default: the free inputs), exactly.

    The combinations whose subspaces percolation does not settle are searched like
    :func:`~logicmodel.search.attractors` searches a subspace (``method``, ``limits``).

    Raises
    ------
    SearchIncompleteError
        For more than :data:`MAX_SWEEP_INPUTS` inputs, or when a search hits a limit.
    """
    values = network.checked_values(fixed)
    names = tuple(inputs) if inputs is not None else tuple(n for n in network.inputs if n not in values)
    for n in names:
        if n not in network:
            raise UnknownNodeError(n, network.nodes, what="input")
        if n in values:
            raise InvalidStateError(f"{n} is both fixed and swept")
    if len(names) > MAX_SWEEP_INPUTS:
        raise SearchIncompleteError(f"{len(names)} inputs to sweep: 2^{len(names)} combinations, more than "
                                    f"2^{MAX_SWEEP_INPUTS} (fix some, or group them: attractor_families())")
    combos = _combinations(len(names))
    start = np.full((len(combos), len(network.nodes)), FREE, dtype=np.int8)
    for n, v in values.items():
        start[:, network.index(n)] = v
    for j, n in enumerate(names):
        start[:, network.index(n)] = combos[:, j]
    owner, values_matrix, sizes, used = attractors_of_rows(network, update, start, method=method, limits=limits)
    return Sweep(nodes=network.nodes, update=get_update_mode(update).name, fixed=values, inputs=names, owner=owner,
                 values=values_matrix, sizes=tuple(int(x) for x in sizes), method=used)
