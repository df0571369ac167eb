"""Which method searches which subspace: the registry, the limits, and the one chooser.

A search first percolates the fixed nodes, then splits the free inputs into input combinations
(:func:`plan`): every attractor lies in one combination, and each combination percolates
further. Each subspace (a :class:`Part`) then goes to the method :func:`choose` picks:

- ``exhaustive``: every state, on state sets (one bit per state); where the subspace fits ``max_states``
  (and, asynchronous, has at most :data:`SYMBOLIC_ABOVE` free nodes);
- ``factored`` (asynchronous): the strongly connected blocks of the interaction graph,
  upstream first, as exact products; where every block is small;
- ``symbolic``: binary decision diagrams, no cap on states; everything else;
- ``candidates`` (asynchronous, on request): states stable outside a negative feedback vertex set.

Every threshold is a named constant below or a field of :class:`Limits`.

Examples
--------
>>> from logicmodel import read_bnet
>>> from logicmodel.search.choose import Limits, choose, plan
>>> net = read_bnet("networks/osteoclastogenesis.bnet")
>>> parts = plan(net, {}, "asynchronous", "auto", Limits())
>>> len(parts), choose(parts[0], "asynchronous", "auto", Limits())
(2048, ('exhaustive',))
"""
from __future__ import annotations

import math
import numbers
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..engine.graphs import blocks_upstream_first
from ..engine.kernels import SubspaceKernel, compiled
from ..engine.percolation import Values
from ..errors import InvalidChoiceError, SearchIncompleteError, UsageError
from ..model.network import Network

__all__ = ["Method", "METHODS", "METHOD_NAMES", "MOST_PERMISSIVE", "ATTRACTOR_UPDATES", "Limits", "Part", "choose", "plan", "check_method",
           "DEFAULT_MAX_STATES", "DEFAULT_MAX_BDD_NODES", "DEFAULT_MAX_CANDIDATES", "DEFAULT_MAX_INPUT_COMBINATIONS",
           "DEFAULT_MAX_ATTRACTORS", "by_families",
           "MAX_CODE_BITS", "SYMBOLIC_ABOVE", "FACTORED_FROM", "FACTORED_MIN_SPLIT", "FACTORED_MAX_BLOCK",
           "FACTORED_MAX_PROJECTION", "DEFAULT_MAX_BDD_WORK", "TIME_LIMIT_REACHED"]

#: Default cap on the number of states searched exhaustively (2**22).
DEFAULT_MAX_STATES = 1 << 22
#: Default memory limit of the symbolic method: live BDD nodes (about 40 bytes each, so about 2 GB).
DEFAULT_MAX_BDD_NODES = 50_000_000
#: Default work budget of one symbolic search (one subspace): BDD operations, counted as CUDD's
#: computed-table lookups, about 1.3 million a second on this project's 2-core machine. Counted, not
#: timed, so that a search that runs out does so at the same point on every machine. Every search of
#: the pyboolnet repository and of the generated corpus finishes within 2e7 (jaoude_thdiff's input
#: families, selvaggio_emt, zhang_tlgl_v2, random_n40, 17 inputs over a 10-node core; measured
#: 2026-12-07); a 200-node random network that neither this search nor AEON finishes in five minutes
#: stops here after about 45 s (at 1e8 it took 75 s).
DEFAULT_MAX_BDD_WORK = 60_000_000
#: What a search that ran out of time says.
TIME_LIMIT_REACHED = "the time limit was reached (raise it with time_limit= / --time-limit)"
#: Default cap on the candidate states of one subspace (candidate method).
DEFAULT_MAX_CANDIDATES = 100_000
#: Default number of input combinations the free inputs are split into, at most; past it, asynchronous
#: searches run by input families (every combination at once, :mod:`~logicmodel.search.families`).
DEFAULT_MAX_INPUT_COMBINATIONS = 4096
#: Default cap on the attractors listed one by one (past it, count them or group them: ``--by-inputs``).
DEFAULT_MAX_ATTRACTORS = 1 << 18
#: States are ``int64`` codes: an exhaustive search covers at most this many free nodes.
MAX_CODE_BITS = 62
#: ``auto``, asynchronous: subspaces with more free nodes than this go to the symbolic method even when
#: they fit the cap (BDDs beat enumerating 2**19 states and more).
SYMBOLIC_ABOVE = 18
#: ``auto``, asynchronous: subspaces that fit the cap with at least this many free nodes are factored
#: first when their blocks allow it (products beat enumerating 2**16 states and more).
FACTORED_FROM = 16
#: ... provided the largest block leaves at least this many other free nodes (else there is little to factor).
FACTORED_MIN_SPLIT = 4
#: Largest strongly connected block the factored method enumerates explicitly.
FACTORED_MAX_BLOCK = 20
#: Largest projection of the upstream attractor onto a block's regulators the factored method enumerates.
FACTORED_MAX_PROJECTION = 4096
#: Symbolic search: the transition-guided reduction stops once ``max(REDUCTION_PATIENCE, n // 10)``
#: nodes in a row (``n`` free nodes) finished without dropping a state (5 is too few on grieco_mapk:
#: 14 s instead of 1.2 s; ``n // 3`` cost random_n40 0.76 s instead of 0.53 s).
REDUCTION_PATIENCE = 8


@dataclass(frozen=True)
class Method:
    """One attractor search method of the registry."""

    name: str
    updates: tuple[str, ...]
    description: str


#: The most-permissive update mode: its attractors are the minimal trap spaces.
MOST_PERMISSIVE = "most-permissive"
#: The update modes attractors are searched under (the choices of ``attractors --update``).
ATTRACTOR_UPDATES: tuple[str, ...] = ("asynchronous", "synchronous", MOST_PERMISSIVE)

#: The attractor search methods, by name (the choices of ``--method``).
METHODS: dict[str, Method] = {m.name: m for m in (
    Method("auto", ATTRACTOR_UPDATES,
           "exhaustive where it fits, else factored (asynchronous), else symbolic; trap spaces (most-permissive)"),
    Method("exhaustive", ("asynchronous", "synchronous"), "every state of each subspace, on state sets (one bit per state)"),
    Method("factored", ("asynchronous",), "upstream-first strongly connected blocks, exact products"),
    Method("symbolic", ("asynchronous", "synchronous"), "binary decision diagrams, no state cap"),
    Method("candidates", ("asynchronous",), "states stable outside a negative feedback vertex set"),
    Method("trapspaces", (MOST_PERMISSIVE,), "minimal trap spaces (clingo): the most-permissive attractors"),
)}
METHOD_NAMES: tuple[str, ...] = tuple(METHODS)


def check_method(method: str, update: str) -> Method:
    """The registry entry of ``method``; unknown or inapplicable methods raise :class:`InvalidChoiceError`."""
    if update not in ATTRACTOR_UPDATES:
        raise InvalidChoiceError("update mode", update, ATTRACTOR_UPDATES)
    m = METHODS.get(method)
    if m is None:
        raise InvalidChoiceError("method", method, METHODS)
    if update not in m.updates:
        raise InvalidChoiceError("method", method, METHODS, f"the {method} method is for {' and '.join(m.updates)} "
                                 f"updating, not {update}")
    return m


def _check_count(name: str, value: object, minimum: int, maximum: int | None = None) -> None:
    """Refuse a limit that is not an integer in range, naming it."""
    # a plain int (the usual case) skips the abstract-class checks, which cost more than a small search
    if type(value) is not int and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise UsageError(f"{name} must be an integer, not {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"at least {minimum:,}" if maximum is None else f"from {minimum:,} to {maximum:,}"
        raise UsageError(f"{name} is {value:,}; give an integer {bound}")


@dataclass(frozen=True)
class Limits:
    """The caps and budgets of one search; the error that stops a search names the one to raise.

    Attributes
    ----------
    max_states : int
        Cap on a subspace searched exhaustively and, for the candidate method, on the states
        explored from one candidate (``--max-states``).
    max_bdd_nodes : int or None
        Memory limit of the symbolic method, in live BDD nodes (``--max-bdd-nodes``).
    max_bdd_work : int or None
        Work budget of one symbolic search, in BDD operations (``--max-bdd-work``); None: no budget.
    max_candidates : int
        Cap on the candidate states of one subspace (``--max-candidates``).
    max_input_combinations : int
        The free inputs are split into at most this many input combinations (``--max-input-combinations``);
        past it, an asynchronous search runs by input families.
    max_attractors : int
        Cap on the attractors listed one by one (``--max-attractors``).
    time_limit : float or None
        Seconds (``--time-limit``).
    seed : int
        Seed of the candidate method's random walks (the result does not depend on it).
    deadline : float or None
        ``time.monotonic()`` at which the time limit runs out (set by :meth:`started`).
    """

    max_states: int = DEFAULT_MAX_STATES
    max_bdd_nodes: int | None = DEFAULT_MAX_BDD_NODES
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    max_input_combinations: int = DEFAULT_MAX_INPUT_COMBINATIONS
    max_attractors: int = DEFAULT_MAX_ATTRACTORS
    time_limit: float | None = None
    seed: int = 0
    max_bdd_work: int | None = DEFAULT_MAX_BDD_WORK
    deadline: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("max_states", "max_candidates", "max_input_combinations", "max_attractors"):
            _check_count(name, getattr(self, name), 1)
        for name in ("max_bdd_nodes", "max_bdd_work"):
            if getattr(self, name) is not None:
                _check_count(name, getattr(self, name), 1)
        _check_count("seed", self.seed, 0, 2**32 - 1)
        if self.time_limit is not None:
            t = self.time_limit
            if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(t) or t <= 0:
                raise UsageError(f"time_limit must be a positive, finite number of seconds, not {t!r}")

    def started(self) -> "Limits":
        """A copy whose deadline runs from now (itself when there is no time limit)."""
        if self.time_limit is None and self.deadline is None:
            return self
        return replace(self, deadline=None if self.time_limit is None else time.monotonic() + self.time_limit)

    def check_time(self) -> None:
        """Raise :class:`SearchIncompleteError` once the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchIncompleteError(TIME_LIMIT_REACHED)

    def fits(self, free: int) -> bool:
        """Whether a subspace with ``free`` free nodes fits the exhaustive search."""
        return free <= MAX_CODE_BITS and (1 << free) <= self.max_states


@dataclass(eq=False)
class Part:
    """One subspace of a search: the nodes fixed after percolation, and the input combination."""

    network: Network
    values: Values
    inputs: dict[str, int] = field(default_factory=dict)

    @cached_property
    def kernel(self) -> SubspaceKernel:
        return SubspaceKernel(self.network, self.values)

    @property
    def n(self) -> int:
        """Number of free nodes."""
        return len(self.network.nodes) - len(self.values)

    @cached_property
    def blocks(self) -> tuple[list[list[int]], dict[int, list[int]]]:
        """Strongly connected blocks of the free nodes, upstream first, and their regulators."""
        return blocks_upstream_first(self.network, self.values)

    @property
    def largest_block(self) -> int:
        return max((len(b) for b in self.blocks[0]), default=0)


def choose(part: Part, update: str, method: str, limits: Limits) -> tuple[str, ...]:
    """The methods to try on one subspace, in order: a method may decline (the factored method when a
    projection is too large), and the next one runs.

    ``auto``, synchronous: exhaustive where the subspace fits ``max_states``, else symbolic.
    ``auto``, asynchronous: factored first where the subspace fits, has at least
    :data:`FACTORED_FROM` free nodes and blocks of at most :data:`FACTORED_MAX_BLOCK` leaving
    :data:`FACTORED_MIN_SPLIT` others; then exhaustive where it fits with at most
    :data:`SYMBOLIC_ABOVE` free nodes; else factored where every block has at most
    :data:`SYMBOLIC_ABOVE` nodes and the largest leaves :data:`FACTORED_MIN_SPLIT` others (a
    20-node random network with an 18-node block: factored 40 ms, symbolic 18 ms); else symbolic.
    Any other method: that method alone.
    """
    if method != "auto":
        return (method,)
    fits = limits.fits(part.n)
    if update == "synchronous":
        return ("exhaustive",) if fits else ("symbolic",)
    order: list[str] = []
    if (fits and part.n >= FACTORED_FROM and part.largest_block <= FACTORED_MAX_BLOCK
            and part.n - part.largest_block >= FACTORED_MIN_SPLIT):
        order.append("factored")
    if fits and part.n <= SYMBOLIC_ABOVE:
        return (*order, "exhaustive")
    if not order and part.largest_block <= SYMBOLIC_ABOVE and part.n - part.largest_block >= FACTORED_MIN_SPLIT:
        order.append("factored")
    return (*order, "symbolic")


def _combinations(network: Network, base: Values, free_inputs: list[str]) -> Iterator[tuple[dict[str, int], Values]]:
    """``(input values, percolated values)`` for every combination of ``free_inputs``, depth first so
    that percolation is shared by every combination with the same prefix."""
    engine = compiled(network)
    stack: list[tuple[int, Values, dict[str, int]]] = [(0, base, {})]
    while stack:
        k, values, assignment = stack.pop()
        if k == len(free_inputs):
            yield assignment, values
            continue
        node = free_inputs[k]
        for v in (1, 0):  # pushed in reverse: 0 is searched first
            stack.append((k + 1, engine.percolate({node: v}, base=values), {**assignment, node: v}))


def by_families(network: Network, base: Mapping[int, int], update: str, method: str, limits: Limits) -> bool:
    """Whether the search runs by input families (:func:`~logicmodel.search.families.attractor_families`,
    every input combination at once, then cut into one record per attractor): asynchronous, ``auto`` or
    ``symbolic``, with more input combinations than ``max_input_combinations``.

    A family search costs about what one symbolic search of the core costs, however many inputs there
    are, while searching every combination's subspace repeats the core's work once per combination
    (13 inputs over an 8-node core: 0.4 s instead of 8 s factored).
    """
    if update != "asynchronous" or method not in ("auto", "symbolic"):
        return False
    free_inputs = sum(1 for n in network.inputs if network.index(n) not in base)
    return free_inputs > 1 and (1 << free_inputs) > limits.max_input_combinations


def plan(network: Network, base: Mapping[int, int], update: str, method: str, limits: Limits) -> list[Part]:
    """The subspaces of a search: one per combination of the free inputs (at most
    ``max_input_combinations``), each percolated.

    When ``auto`` would send every combination to the symbolic method (asynchronous updating), the inputs stay
    BDD variables of one search instead, which shares the work separate searches would repeat
    (zhang_tlgl: 2.7 s instead of 9 s; not for synchronous updating, whose basins grow far larger
    with the inputs free).

    Raises
    ------
    SearchIncompleteError
        When there are more free inputs than the split allows, the search does not run by families
        (:func:`by_families`) and the whole space does not fit the exhaustive search.
    """
    base = dict(base)
    free_inputs = [n for n in network.inputs if network.index(n) not in base]
    whole = [Part(network, base)]
    if not free_inputs:
        return whole
    if (1 << len(free_inputs)) > limits.max_input_combinations:
        if len(free_inputs) > 1 and method != "exhaustive" and not limits.fits(whole[0].n):
            how = ("synchronous updating searches one input combination at a time (asynchronous updating "
                   "lists them by input families); " if update != "asynchronous" else
                   f"the {method} method cannot search every combination at once (method auto does); ")
            raise SearchIncompleteError(
                f"{len(free_inputs)} inputs are free, so there are at least {1 << len(free_inputs):,} attractors "
                f"(one or more per input combination), more input combinations than "
                f"max_input_combinations= / --max-input-combinations ({limits.max_input_combinations:,}); {how}"
                f"fix some inputs (fixed= / --set NODE=0|1) or raise the limit")
        return whole
    parts = [Part(network, values, inputs) for inputs, values in _combinations(network, base, free_inputs)]
    if (method in ("auto", "symbolic") and update == "asynchronous" and len(parts) > 1
            and all(choose(p, update, "auto", limits) == ("symbolic",) for p in parts)):
        return whole
    return parts
