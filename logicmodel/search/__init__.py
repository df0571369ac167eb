"""Exact attractors: fixed points and cyclic attractors, under synchronous and asynchronous updating.

:func:`attractors` percolates the fixed nodes, splits the free inputs into input combinations
(:func:`~logicmodel.search.choose.plan`), lets :func:`~logicmodel.search.choose.choose`
pick a method for each subspace, and runs it (:class:`~logicmodel.search.runner.Search`):

- :mod:`.exhaustive`: every state, on state sets (one bit per state);
- :mod:`.factored`: strongly connected blocks upstream first, exact products;
- :mod:`.symbolic`: binary decision diagrams, no cap on the number of states;
- :mod:`.candidates`: from states stable outside a negative feedback vertex set.

All are exact; a search that cannot finish within its limits raises an error naming the limit,
never a partial answer. :func:`attractor_families` (:mod:`.families`) gives every attractor of
every input combination at once, grouped in families.

Examples
--------
>>> from logicmodel import from_bnet, attractors
>>> net = from_bnet("A, !B\\nB, A\\nC, C")
>>> res = attractors(net, update="asynchronous")
>>> [(a.size, a.fixed, a.oscillating) for a in res]
[(4, {'C': 0}, ('A', 'B')), (4, {'C': 1}, ('A', 'B'))]
>>> attractors(net, update="asynchronous", fixed={"C": 1}).attractors[0].representative
{'A': 0, 'B': 0, 'C': 1}
"""
from __future__ import annotations

from collections.abc import Mapping

from ..dynamics import get_update_mode
from ..model.network import Network
from .choose import (ATTRACTOR_UPDATES, DEFAULT_MAX_ATTRACTORS, DEFAULT_MAX_BDD_NODES, DEFAULT_MAX_BDD_WORK, DEFAULT_MAX_CANDIDATES,
                     DEFAULT_MAX_INPUT_COMBINATIONS, DEFAULT_MAX_STATES, METHOD_NAMES, METHODS, MOST_PERMISSIVE, Limits,
                     by_families, check_method, choose, plan)
from .exhaustive import fixed_points
from .families import AttractorFamilies, AttractorFamily, attractor_families, attractors_by_families
from .records import Attractor, AttractorResult
from .runner import Search
from .trapspaces import TrapSpace, TrapSpaceResult, most_permissive_attractors, trap_spaces

__all__ = ["Attractor", "AttractorResult", "AttractorFamily", "AttractorFamilies", "attractors", "attractor_families",
           "trap_spaces", "TrapSpace", "TrapSpaceResult", "ATTRACTOR_UPDATES", "MOST_PERMISSIVE",
           "fixed_points", "METHODS", "METHOD_NAMES", "Limits", "DEFAULT_MAX_STATES", "DEFAULT_MAX_BDD_NODES", "DEFAULT_MAX_BDD_WORK",
           "DEFAULT_MAX_CANDIDATES", "DEFAULT_MAX_INPUT_COMBINATIONS", "DEFAULT_MAX_ATTRACTORS"]


def attractors(
    network: Network,
    update: str = "asynchronous",
    fixed: Mapping[str, int] | None = None,
    *,
    max_states: int = DEFAULT_MAX_STATES,
    method: str = "auto",
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    time_limit: float | None = None,
    seed: int = 0,
    max_bdd_nodes: int | None = DEFAULT_MAX_BDD_NODES,
    max_input_combinations: int = DEFAULT_MAX_INPUT_COMBINATIONS,
    max_attractors: int = DEFAULT_MAX_ATTRACTORS,
    max_bdd_work: int | None = DEFAULT_MAX_BDD_WORK,
) -> AttractorResult:
    """Every attractor of ``network`` under ``update``, exactly.

    Parameters
    ----------
    network : Network
    update : {"asynchronous", "synchronous", "most-permissive"}
        Most-permissive attractors are the minimal trap spaces (:func:`~.trapspaces.trap_spaces`).
    fixed : dict, optional
        Node → 0/1 held fixed (a condition, perturbations): the attractors of ``network.fix(fixed)``.
    method : {"auto", "exhaustive", "factored", "symbolic", "candidates"}
        See :data:`~.choose.METHODS`; ``auto`` picks per subspace (:func:`~.choose.choose`).
    max_states, max_candidates, time_limit, seed, max_bdd_nodes, max_bdd_work, max_input_combinations, max_attractors
        The limits of the search (:class:`~.choose.Limits`). Past ``max_input_combinations`` an asynchronous
        search runs by input families (:func:`~.choose.by_families`) and lists up to ``max_attractors``.

    Returns
    -------
    AttractorResult
        Sorted attractor records.

    Raises
    ------
    StateSpaceTooLargeError, SearchIncompleteError, TooLargeToListError
        When a subspace exceeds ``max_states`` and no other method applies, when a method cannot
        finish within its limits, or when there are more than ``max_attractors`` attractors; each
        message names the limit to raise (and the number of attractors, where known).
    """
    check_method(method, update)
    values = network.checked_values(fixed)
    if update == MOST_PERMISSIVE:
        return most_permissive_attractors(network, values)
    mode = get_update_mode(update)
    limits = Limits(max_states, max_bdd_nodes, max_candidates, max_input_combinations, max_attractors,
                    time_limit, seed, max_bdd_work).started()
    search = Search(network, mode.name, limits)
    base = search.engine.percolate(values)
    if by_families(network, base, mode.name, method, limits):
        return attractors_by_families(network, values, limits)
    parts = plan(network, base, mode.name, method, limits)
    found = []
    for part in parts:
        limits.check_time()
        found.extend(search.run(part, choose(part, mode.name, method, limits)))
    return search.result(values, parts, found)
