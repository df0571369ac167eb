"""Running the chosen methods: one :class:`Search` per call of :func:`~logicmodel.search.attractors`.

The search holds what its subspaces share: the memo of results by *signature* (subspaces whose
free nodes and fixed regulators agree have the same dynamics, so one search serves them all) and
one BDD manager for every symbolic subspace. :data:`RUNNERS` maps each method of the registry
(:data:`~logicmodel.search.choose.METHODS`) to the function that runs it on one subspace; a
runner returns ``None`` when the method declines the subspace.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from ..engine.kernels import compiled
from ..errors import SearchIncompleteError
from ..model.network import Network
from .candidates import candidate_attractors
from .choose import FACTORED_MAX_BLOCK, FACTORED_MAX_PROJECTION, Limits, Part
from .exhaustive import check_cap, exhaustive_components
from .factored import factored_attractors
from .records import Attractor, AttractorResult, make_attractor
from .stores import CodeStore
from .symbolic import Budget, SymbolicSpace, SymbolicStore, async_attractors, new_manager, reordering, sync_attractors

__all__ = ["Search", "RUNNERS"]

logger = logging.getLogger(__name__)


class Search:
    """One attractor search: the network, the update mode, the limits, and what its subspaces share."""

    def __init__(self, network: Network, update: str, limits: Limits) -> None:
        self.network = network
        self.update = update
        self.limits = limits
        self.engine = compiled(network)
        self.memo: dict[tuple[Any, ...], list[Any]] = {}
        self.used: set[str] = set()
        self._bdd: Any = None

    @property
    def bdd(self) -> Any:
        """The BDD manager shared by every symbolic subspace of the search (made on first use)."""
        if self._bdd is None:
            self._bdd = new_manager(self.network)
        return self._bdd

    def run(self, part: Part, methods: Sequence[str]) -> list[Attractor]:
        """The attractors of one subspace, by the first of ``methods`` that does not decline."""
        for name in methods:
            # one line per subspace with -v, except the many small exhaustive ones
            logger.log(logging.DEBUG if name == "exhaustive" else logging.INFO, "subspace %s: %d free nodes, %s",
                       part.inputs or "(no input split)", part.n, name)
            found = RUNNERS[name](self, part)
            if found is not None:
                self.used.add(name)
                return found
        raise SearchIncompleteError(
            f"the {' and '.join(methods)} method declined a subspace of {part.n} free nodes (a strongly connected "
            f"block of more than {FACTORED_MAX_BLOCK} nodes, or a projection of more than "
            f"{FACTORED_MAX_PROJECTION:,} values onto a block); use method='auto' / --method auto")

    def result(self, fixed: dict[str, int], parts: Sequence[Part], found: list[Attractor]) -> AttractorResult:
        """The sorted result record of the whole search."""
        common = set(parts[0].values.items()) if parts else set()  # fixed at the same value everywhere
        fixed_everywhere = set(parts[0].values) if parts else set()  # fixed everywhere, at any value
        for p in parts[1:]:
            common &= p.values.items()
            fixed_everywhere &= p.values.keys()
        return AttractorResult(
            network=self.network.name,
            nodes=self.network.nodes,
            update=self.update,
            attractors=tuple(sorted(found, key=Attractor.key)),
            fixed=fixed,
            percolated={self.network.nodes[i]: v for i, v in sorted(common)},
            free=tuple(n for i, n in enumerate(self.network.nodes) if i not in fixed_everywhere),
            states_searched=sum(1 << p.n for p in parts),
            method=tuple(sorted(self.used)) or ("exhaustive",),
            subspaces=len(parts),
        )


def _exhaustive(search: Search, part: Part) -> list[Attractor]:
    kernel = part.kernel
    check_cap(kernel, search.limits.max_states)
    key = ("exhaustive", search.engine.signature(kernel))
    comps = search.memo.get(key)
    if comps is None:
        comps = search.memo[key] = exhaustive_components(kernel, search.update)
    return [make_attractor(CodeStore(kernel, c)) for c in comps]


def _factored(search: Search, part: Part) -> list[Attractor] | None:
    products = factored_attractors(search.network, part.values, blocks=part.blocks)
    return None if products is None else [make_attractor(p) for p in products]


def _symbolic(search: Search, part: Part) -> list[Attractor]:
    limits = search.limits
    space = SymbolicSpace(search.network, part.values, search.bdd)
    key = ("symbolic", search.engine.signature(part.kernel))
    sets = search.memo.get(key)
    if sets is None:
        budget = Budget(limits)
        with reordering(space.bdd, bool(space.constant)), budget.guard(space.bdd):
            if search.update == "asynchronous":
                sets = async_attractors(space, budget)
            else:
                sets = sync_attractors(space, budget, max_cycle=limits.max_states, seed=limits.seed)
        search.memo[key] = sets
    return [make_attractor(SymbolicStore(space, a)) for s in sets
            for a in space.split_colours(s, limits.max_input_combinations)]


def _candidates(search: Search, part: Part) -> list[Attractor]:
    fixed = {search.network.nodes[i]: v for i, v in part.values.items()}
    return [make_attractor(store) for store in candidate_attractors(search.network, fixed, search.limits)]


#: Method name → the function that runs it on one subspace (``None``: the method declines).
RUNNERS: dict[str, Callable[[Search, Part], list[Attractor] | None]] = {
    "exhaustive": _exhaustive,
    "factored": _factored,
    "symbolic": _symbolic,
    "candidates": _candidates,
}
