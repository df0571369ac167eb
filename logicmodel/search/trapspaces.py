"""Trap spaces: subspaces that no transition leaves, and the most-permissive attractors.

A subspace (some nodes fixed, the others free) is a *trap space* when every fixed node's rule is
constant at its value on the subspace; then no asynchronous (or synchronous, or most-permissive)
transition leaves it. The subspace's fixed literals then imply the rule, so some prime implicant of
the rule (or of its negation, for a node fixed at 0) is among them. The search is that condition in
answer-set programming, handed to clingo as ground rules (its backend), one choice per node (0, 1 or
free):

    { hit(I,0); hit(I,1) } 1.          ok(I,V) :- <the literals of one prime implicant of I = V>.
    :- hit(I,V), not ok(I,V).

Minimal trap spaces (the most fixed) and maximal ones (the least fixed, the whole space excluded)
come from clingo's domain heuristic with inclusion-based enumeration (``--enum-mode=domRec``), as
in PyBoolNet. Every minimal trap space holds an attractor (of any update mode); the minimal trap
spaces are exactly the attractors under the most-permissive update (Paulevé et al. 2020).

Examples
--------
>>> from logicmodel import from_bnet
>>> from logicmodel.search.trapspaces import trap_spaces
>>> net = from_bnet("A, !B\\nB, A\\nC, C | A")
>>> [s.fixed for s in trap_spaces(net, "min")]
[{'C': 1}]
>>> [s.fixed for s in trap_spaces(net, "max")]
[{'C': 1}]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from ..engine.kernels import States, compiled
from ..errors import InvalidChoiceError, RuleParseError, SearchIncompleteError, UsageError
from ..model.network import Network
from .choose import MOST_PERMISSIVE
from .records import Attractor, AttractorResult, make_attractor
from .stores import ProductStore

__all__ = ["TrapSpace", "TrapSpaceResult", "trap_spaces", "KINDS", "DEFAULT_MAX_SPACES", "as_attractors",
           "most_permissive_attractors"]

Kind = Literal["min", "max", "all"]
#: The kinds of trap spaces, by name (the choices of ``--kind``).
KINDS: dict[str, str] = {"min": "minimal (the most fixed; each holds an attractor)",
                         "max": "maximal (the least fixed, the whole space excluded)",
                         "all": "every trap space"}
#: Default cap on the number of trap spaces listed.
DEFAULT_MAX_SPACES = 100_000


@dataclass(frozen=True)
class TrapSpace:
    """One trap space.

    Attributes
    ----------
    nodes : tuple of str
        The network's node order.
    fixed : dict
        Node → 0/1 for the fixed nodes, in node order.
    free : tuple of str
        The nodes free in the space.
    phenotype : str or None
        Phenotype label, when the model defines phenotypes (the fixed nodes are what matches it).
    """

    nodes: tuple[str, ...]
    fixed: dict[str, int]
    free: tuple[str, ...]
    phenotype: str | None = None

    @property
    def size(self) -> int:
        """Number of states in the space."""
        return 1 << len(self.free)

    @property
    def oscillating(self) -> tuple[str, ...]:
        """The free nodes (the phenotype classification reads trap spaces like attractors)."""
        return self.free

    def text(self) -> str:
        """The space as a string in node order: ``0``/``1`` for fixed nodes, ``-`` for free ones."""
        return "".join(str(self.fixed[n]) if n in self.fixed else "-" for n in self.nodes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fixed": dict(self.fixed), "free": list(self.free), "size": self.size,
                               "space": self.text()}
        if self.phenotype is not None:
            out["phenotype"] = self.phenotype
        return out


@dataclass(frozen=True, eq=False)
class TrapSpaceResult:
    """The trap spaces of one kind of a network (under fixed nodes), sorted."""

    network: str
    nodes: tuple[str, ...]
    kind: str
    fixed: dict[str, int]
    spaces: tuple[TrapSpace, ...]
    method: str = field(default="clingo")

    def __iter__(self) -> Iterator[TrapSpace]:
        return iter(self.spaces)

    def __len__(self) -> int:
        return len(self.spaces)

    def __getitem__(self, i: int) -> TrapSpace:
        return self.spaces[i]

    def with_phenotypes(self, labels: list[str] | None) -> "TrapSpaceResult":
        if labels is None:
            return self
        return replace(self, spaces=tuple(replace(s, phenotype=p) for s, p in zip(self.spaces, labels)))

    def to_dict(self) -> dict[str, Any]:
        return {"network": self.network, "nodes": list(self.nodes), "kind": self.kind, "fixed": dict(self.fixed),
                "method": self.method, "trap_spaces": [s.to_dict() for s in self.spaces]}


def _add_program(backend: Any, network: Network, values: Mapping[int, int], kind: str) -> dict[Any, tuple[int, int]]:
    """The trap-space condition as ground rules (clingo's backend: no parsing, no grounding); returns the
    ``hit(I,V)`` atoms by their symbol's handle."""
    import clingo

    engine = compiled(network)
    hit = {}
    for i in range(len(network.nodes)):
        for v in (0, 1):
            hit[i, v] = backend.add_atom(clingo.Function("hit", [clingo.Number(i), clingo.Number(v)]))
        backend.add_rule([hit[i, 0], hit[i, 1]], [], choice=True)
        backend.add_rule([], [hit[i, 0], hit[i, 1]])  # at most one value
    for i, node in enumerate(network.nodes):
        if i in values:  # held fixed: a constant rule
            primes: tuple[list[dict[str, int]], list[dict[str, int]]] = ([{}], []) if values[i] == 0 else ([], [{}])
        else:
            try:
                primes = engine.prime_implicants(i)
            except RuleParseError as err:
                raise SearchIncompleteError(f"trap spaces need the prime implicants of every rule; {node!r}: "
                                            f"{err.problem}") from None
        for value, implicants in enumerate(primes):
            ok = backend.add_atom()  # some prime implicant of node = value is hit: not shown
            for p in implicants:
                backend.add_rule([ok], [hit[network.index(r), w] for r, w in p.items()])
            backend.add_rule([], [hit[i, value], -ok])
    if kind == "max":  # the whole space is a trap space, never a maximal one here
        backend.add_rule([], [-h for h in hit.values()])
    return {getattr(clingo.Function("hit", [clingo.Number(i), clingo.Number(v)]), "_rep", None): (i, v)
            for i, v in hit}


_CLINGO_MAX_MODELS = 2**31 - 1


def trap_spaces(network: Network, kind: str = "min", fixed: Mapping[str, int] | None = None, *,
                max_spaces: int = DEFAULT_MAX_SPACES) -> TrapSpaceResult:
    """The minimal, maximal or all trap spaces of ``network`` (with ``fixed`` nodes held: constant rules).

    Parameters
    ----------
    kind : {"min", "max", "all"}
        Minimal (most fixed), maximal (least fixed; the whole space is excluded), or all of them.
    fixed : dict, optional
        Node → 0/1 held fixed (a condition, a perturbation): the trap spaces of ``network.fix(fixed)``.
    max_spaces : int
        Cap on the number listed; more raise :class:`SearchIncompleteError` naming it.

    Returns
    -------
    TrapSpaceResult
        Sorted by the number of free nodes, then by the space in node order.
    """
    import clingo

    if kind not in KINDS:
        raise InvalidChoiceError("trap-space kind", kind, KINDS)
    if isinstance(max_spaces, bool) or not isinstance(max_spaces, int) or max_spaces < 1:
        raise UsageError(f"max_spaces must be a positive integer, not {max_spaces!r}")
    values = network.checked_values(fixed)
    # clingo's --models is a 32-bit count; 0 means all (a cap beyond it is no cap in practice)
    models = max_spaces + 1 if max_spaces < _CLINGO_MAX_MODELS else 0
    args = [f"--models={models}", "--warn=none"]
    if kind == "min":
        args += ["--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=3,16"]
    elif kind == "max":
        args += ["--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=5,16"]
    ctl = clingo.Control(args)
    with ctl.backend() as backend:
        # hit/2 atoms by their symbol's handle: reading a symbol's arguments through the Python API costs
        # five foreign calls, which dominated the search (selvaggio_emt: 0.48 s of 0.51 s for 1,452 spaces)
        atom = _add_program(backend, network, {network.index(n): v for n, v in values.items()}, kind)
    found: list[dict[int, int]] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            space: dict[int, int] = {}
            for sym in model.symbols(shown=True):
                i, v = atom.get(getattr(sym, "_rep", None)) or (sym.arguments[0].number, sym.arguments[1].number)
                space[i] = v
            found.append(space)
            if len(found) > max_spaces:
                raise SearchIncompleteError(f"more than max_spaces={max_spaces:,} {kind} trap spaces "
                                            f"(raise it with max_spaces= / --max-spaces, or fix inputs)")
    nodes = network.nodes
    spaces = [TrapSpace(nodes, {nodes[i]: v for i, v in sorted(f.items())},
                        tuple(n for i, n in enumerate(nodes) if i not in f)) for f in found]
    spaces.sort(key=lambda s: (len(s.free), s.text()))
    return TrapSpaceResult(network.name, nodes, kind, values, tuple(spaces))


def most_permissive_attractors(network: Network, fixed: Mapping[str, int], *,
                               max_spaces: int = DEFAULT_MAX_SPACES) -> AttractorResult:
    """The attractors under the most-permissive update: the minimal trap spaces, as attractor records."""
    values = network.checked_values(fixed)
    result = trap_spaces(network, "min", values, max_spaces=max_spaces)
    atts = sorted(as_attractors(result, network), key=Attractor.key)
    common = set.intersection(*(set(s.fixed.items()) for s in result)) if len(result) else set(values.items())
    free = {n for s in result for n in s.free}
    unfixed = len(network.nodes) - len(values)
    return AttractorResult(network=network.name, nodes=network.nodes, update=MOST_PERMISSIVE, attractors=tuple(atts),
                           fixed=values, percolated=dict(sorted(common, key=lambda kv: network.index(kv[0]))),
                           free=tuple(n for n in network.nodes if n in free),
                           states_searched=1 << unfixed, method=("trapspaces",))


def as_attractors(result: TrapSpaceResult, network: Network) -> list[Attractor]:
    """Trap spaces as attractor records (the most-permissive attractors: every state of the space)."""
    out = []
    for s in result:
        fixed_idx = {network.index(n): v for n, v in s.fixed.items()}
        factors: list[tuple[tuple[int, ...], States]] = [((network.index(n),), np.array([[0], [1]], dtype=np.uint8))
                                                         for n in s.free]
        out.append(make_attractor(ProductStore(network, fixed_idx, factors)))
    return out
