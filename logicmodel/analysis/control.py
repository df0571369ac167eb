"""Control: the minimal perturbations after which every attractor has a target phenotype (or node values).

For a condition, every set of at most ``max_size`` node perturbations (knockouts, over-expression
or both) is checked in increasing size, and the sets that force the target are kept when no subset
of them does (*minimal*). The check is exact: every attractor of the perturbed network, under the
chosen update mode, must have the target phenotype, or the target nodes fixed at the target
values. Three things make it fast:

- only the target's ancestors in the interaction graph are perturbed (a node upstream of nothing
  the target reads cannot change whether the target holds, so it is in no minimal set);
- supersets of a set already found are never checked (they would not be minimal);
- all the sets of one size are checked at once by a row sweep
  (:func:`~logicmodel.search.sweep.attractors_of_rows`): percolation of every perturbed condition in
  arrays settles most of them, and the rest are searched once per group of equal dynamics.

Examples
--------
>>> from logicmodel import load_model
>>> from logicmodel.analysis.control import control
>>> res = control(load_model("osteoclastogenesis"), "quiescent", condition="estrogen_deficiency", max_size=1)
>>> [s.label for s in res.sets][:4]
['CSF1R=KO', 'Calcineurin=KO', 'Denosumab=OE', 'ER_OB=OE']
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InvalidChoiceError, MetadataError, UsageError
from ..model.implicants import FREE
from ..model.model import Model
from ..model.network import Network
from ..model.perturbations import KINDS, Perturbation, resolve_fixed
from ..model.phenotypes import Phenotypes
from ..search.choose import DEFAULT_MAX_STATES, Limits
from ..search.sweep import attractors_of_rows

__all__ = ["ControlSet", "ControlResult", "control", "DEFAULT_MAX_SIZE", "BATCH"]

#: Default largest number of nodes perturbed together.
DEFAULT_MAX_SIZE = 2
#: Perturbation sets checked in one row sweep.
BATCH = 20_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ControlSet:
    """One minimal perturbation that forces the target.

    Attributes
    ----------
    perturbation : Perturbation
        The nodes and the values they are held at.
    attractors : int
        Number of attractors of the perturbed network (all satisfy the target).
    """

    perturbation: Perturbation
    attractors: int

    @property
    def size(self) -> int:
        return self.perturbation.size

    @property
    def label(self) -> str:
        return self.perturbation.label

    def to_dict(self) -> dict[str, Any]:
        return {"perturbation": self.label, "size": self.size, "fixed": self.perturbation.fixed,
                "attractors": self.attractors}


@dataclass(frozen=True)
class ControlResult:
    """Every minimal perturbation of at most ``max_size`` nodes that forces the target, ranked by size.

    Attributes
    ----------
    target : dict
        The target: node → value every attractor must hold fixed (a phenotype's definition).
    target_label : str
        The phenotype's name, or the target as ``NODE=V,...``.
    fixed : dict
        The condition and interventions under which the perturbations act.
    candidates : tuple of str
        The perturbations considered, one by one (``NODE=KO``/``NODE=OE``).
    checked : int
        Perturbation sets checked.
    sets : tuple of ControlSet
        The minimal ones that force the target, by size, then label.
    """

    network: str
    update: str
    target: dict[str, int]
    target_label: str
    fixed: dict[str, int]
    max_size: int
    kinds: str
    candidates: tuple[str, ...]
    checked: int
    sets: tuple[ControlSet, ...]
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"network": self.network, "update": self.update, "target": self.target_label,
                "target_nodes": dict(self.target), "fixed": dict(self.fixed), "max_size": self.max_size,
                "kinds": self.kinds, "candidates": list(self.candidates), "checked": self.checked,
                "sets": [s.to_dict() for s in self.sets]}


def _target(model: Model, target: str | Mapping[str, int]) -> tuple[dict[str, int], str, Phenotypes | None]:
    """(target nodes and values, label, the phenotypes to classify with when the target is one)."""
    meta = model.metadata
    if isinstance(target, str):
        if meta is None or meta.phenotypes.get(target) is None:
            names = ", ".join(meta.phenotypes.names) if meta is not None else "none: the model has no metadata"
            raise MetadataError(f"unknown phenotype {target!r}; phenotypes: {names}", source=str(model.path),
                                key="phenotypes")
        return dict(meta.phenotypes.items[meta.phenotypes.names.index(target)].when), target, meta.phenotypes
    values = model.network.checked_values(target)
    if not values:
        raise UsageError("the target names no node")
    return values, ",".join(f"{n}={v}" for n, v in values.items()), None


def _ancestors(model: Model, targets: Iterable[str]) -> set[str]:
    net = model.network
    regs = {n: net.regulators(n) for n in net.nodes}
    seen = set(targets)
    stack = list(seen)
    while stack:
        for r in regs[stack.pop()]:
            if r not in seen:
                seen.add(r)
                stack.append(r)
    return seen


def control(
    model: Model,
    target: str | Mapping[str, int],
    *,
    condition: str | Mapping[str, int] | None = None,
    interventions: Iterable[str] = (),
    values: Mapping[str, int] | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    kinds: str = "both",
    nodes: Sequence[str] | None = None,
    update: str = "asynchronous",
    max_states: int = DEFAULT_MAX_STATES,
    progress: Progress | None = None,
) -> ControlResult:
    """Every minimal set of at most ``max_size`` perturbations after which every attractor satisfies ``target``.

    Parameters
    ----------
    model : Model
        The network and its metadata.
    target : str or dict
        A phenotype name, or node → value that every attractor must hold fixed.
    condition, interventions, values
        What holds throughout (:func:`~logicmodel.model.perturbations.resolve_fixed`).
    max_size : int
        Largest number of nodes perturbed together.
    kinds : {"ko", "oe", "both"}
        Knockouts, over-expression, or both.
    nodes : sequence of str, optional
        The nodes to perturb (default: the target's ancestors that are neither physiological inputs
        nor held by the condition or interventions; a constant node only away from its constant).
    update : {"asynchronous", "synchronous"}
        The update mode of the attractors.
    progress : callable, optional
        Called with (sets checked, sets to check at this size).
    """
    t0 = time.perf_counter()
    net = model.network
    if kinds not in KINDS:
        raise InvalidChoiceError("kind", kinds, KINDS)
    if max_size < 0:
        raise UsageError(f"max_size must be 0 or more, got {max_size}")
    goal, label, phenotypes = _target(model, target)
    base = resolve_fixed(model, condition=condition, interventions=interventions, values=values)
    meta = model.metadata
    if nodes is None:
        skip = set(meta.inputs if meta is not None else net.inputs) | set(base)
        wanted = _ancestors(model, goal)
        nodes = [n for n in net.nodes if n in wanted and n not in skip]
    else:
        for n in nodes:
            net.index(n)  # an unknown node raises UnknownNodeError
    singles = [(n, v) for n in nodes for v in KINDS[kinds] if net.constants.get(n) != v]
    limits = Limits(max_states=max_states)
    found: list[ControlSet] = []
    solved: set[frozenset[tuple[str, int]]] = set()
    checked = 0
    for size in range(0, max_size + 1):
        combos = [c for c in itertools.combinations(singles, size)
                  if len({n for n, _ in c}) == size
                  and not any(frozenset(sub) in solved for k in range(size) for sub in itertools.combinations(c, k))]
        for start in range(0, len(combos), BATCH):
            batch = combos[start : start + BATCH]
            ok, counts = _satisfied(net, update, base, batch, goal, label if phenotypes else None, phenotypes,
                                    limits)
            for combo, good, n_att in zip(batch, ok, counts):
                if good:
                    solved.add(frozenset(combo))
                    found.append(ControlSet(Perturbation(tuple(combo)), int(n_att)))
            checked += len(batch)
            if progress is not None:
                progress(start + len(batch), len(combos))
        if frozenset() in solved:
            break  # the condition already forces the target: nothing else is minimal
    found.sort(key=lambda s: (s.size, s.label))
    return ControlResult(network=net.name, update=update, target=goal, target_label=label, fixed=base,
                         max_size=max_size, kinds=kinds,
                         candidates=tuple(Perturbation(((n, v),)).label for n, v in singles), checked=checked,
                         sets=tuple(found), seconds=time.perf_counter() - t0)


def _satisfied(net: Network, update: str, base: Mapping[str, int], combos: Sequence[tuple[tuple[str, int], ...]],
               goal: Mapping[str, int], phenotype: str | None, phenotypes: Phenotypes | None,
               limits: Limits) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """For each perturbation set: whether every attractor satisfies the target, and the attractor count."""
    rows = np.full((len(combos), len(net.nodes)), FREE, dtype=np.int8)
    for n, v in base.items():
        rows[:, net.index(n)] = v
    for r, combo in enumerate(combos):
        for n, v in combo:
            rows[r, net.index(n)] = v
    owner, values, _, _ = attractors_of_rows(net, update, rows, limits=limits)
    if phenotype is not None and phenotypes is not None:
        good_row = phenotypes.classify_states(values, net.nodes) == phenotypes.labels.index(phenotype)
    else:
        good_row = np.all(np.stack([values[:, net.index(n)] == v for n, v in goal.items()], axis=1), axis=1)
    counts = np.bincount(owner, minlength=len(combos))
    bad = np.bincount(owner[~good_row], minlength=len(combos))
    return (counts > 0) & (bad == 0), counts
