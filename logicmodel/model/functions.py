"""Rules as binary decision diagrams: signs, equivalence and prime implicants without a truth table.

A truth table (:meth:`~logicmodel.model.network.Network.truth_table`) serves a rule of up to
:data:`~logicmodel.model.network.MAX_TRUTH_TABLE_REGULATORS` regulators. Past that, a rule is a BDD
(CUDD through ``dd``) over its regulators, in their order, and the same questions are answered on
it: the sign of each regulator (:func:`signs`), whether two rules are the same function
(:func:`equivalent`) and the prime implicants of a rule and of its negation
(:func:`prime_implicants`, the cofactor recursion of
:mod:`~logicmodel.model.implicants` run on BDD nodes, with an explicit stack).

Examples
--------
>>> from logicmodel.model.rules import parse_rule
>>> signs(parse_rule("A & !B | A & C"), ("A", "B", "C"))
['+', '-', '+']
>>> prime_implicants(parse_rule("A & !B | A & B"), ("A", "B"))
([{'A': 0}], [{'A': 1}])
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import TooLargeToListError
from .implicants import Implicant
from .rules import Const, Expr, Not, Operator, Var, fold

__all__ = ["bdd_module", "new_bdd", "to_bdd", "rule_bdd", "signs", "equivalent", "prime_implicants", "MAX_PRIMES",
           "MANAGER_MEMORY", "MANAGER_CACHE", "LOOSE_UP_TO"]

#: How many prime implicants :func:`prime_implicants` lists for one rule (or its negation) before it stops.
MAX_PRIMES = 100_000

#: A BDD manager (``dd.cudd.BDD``) and a node of it (``dd.cudd.Function``); ``dd`` ships no types.
BDD = Any
Ref = Any


def bdd_module() -> Any:
    """``dd.cudd`` (compiled CUDD), or ``dd.autoref`` where the compiled wheel is missing.

    dd imports networkx (200 ms, more than most searches) for its ``to_nx`` export alone, which
    nothing here uses. Where dd is first loaded here and networkx is not loaded yet, an import of
    networkx fails while dd loads, so dd does without it: ``networkx`` imports as usual afterwards,
    but dd's own ``to_nx`` stays unavailable in this process.
    """
    with _DD_LOADING:
        if "dd._utils" not in sys.modules and "networkx" not in sys.modules:
            sys.modules["networkx"] = None  # type: ignore[assignment]
            try:
                return _load_dd()
            finally:
                sys.modules.pop("networkx", None)
    return _load_dd()


#: Held while dd loads, so that no other thread sees networkx blocked or unblocks it early.
_DD_LOADING = threading.Lock()


def _load_dd() -> Any:
    try:
        import dd.cudd as mod  # compiled CUDD: fast
    except ImportError:  # pragma: no cover - platforms without the compiled wheel
        import dd.autoref as mod
    return mod


#: What CUDD is told to expect (bytes) and the computed table it starts with (slots). dd's defaults, 1 GiB
#: and 2**18 slots, cost 11-17 ms per manager (most of random_n20's attractor search, 22 ms); these cost
#: under 1 ms. The table grows as CUDD finds it pays, and :data:`LOOSE_UP_TO` keeps dd's default for 1 GiB,
#: so a large search grows its unique table as before (two runs each, old -> new: jaoude_thdiff 4.7-5.1 s
#: -> 4.2-4.8 s, selvaggio_emt 7.5-8.0 s -> 6.9-7.8 s, zhang_tlgl_v2 6.0 s either way) and uses less
#: memory (a random 200-node network stops at the default work limit at 190 MB instead of 1.2 GB).
MANAGER_MEMORY, MANAGER_CACHE = 1 << 26, 1 << 14

#: Nodes up to which CUDD grows its unique table rather than collect garbage (dd's value for 1 GiB).
LOOSE_UP_TO = (1 << 30) // 32 // 5


def new_bdd() -> BDD:
    """An empty BDD manager, quick to make, reordering off.

    Returns
    -------
    dd.cudd.BDD
        A manager that expects :data:`MANAGER_MEMORY` bytes, starts with :data:`MANAGER_CACHE`
        computed-table slots and grows its unique table up to :data:`LOOSE_UP_TO` nodes before it
        collects garbage (``dd.autoref.BDD`` where the compiled wheel is missing).

    Examples
    --------
    >>> bdd = new_bdd()
    >>> bdd.declare("a", "b")
    >>> int(bdd.count(bdd.add_expr("a | b"), nvars=2))
    3
    """
    mod = bdd_module()
    if mod.__name__ != "dd.cudd":  # pragma: no cover - platforms without the compiled wheel
        bdd = mod.BDD()
        bdd.configure(reordering=False)
        return bdd
    bdd = mod.BDD(memory_estimate=MANAGER_MEMORY, initial_cache_size=MANAGER_CACHE)
    bdd.configure(reordering=False, loose_up_to=LOOSE_UP_TO)
    return bdd


def to_bdd(expr: Expr, bdd: BDD, leaf: Callable[[str], Ref]) -> Ref:
    """The BDD of ``expr`` in manager ``bdd``; ``leaf(name)`` gives the BDD of a node (a variable or a constant)."""
    def operator(e: Operator, args: list[Ref]) -> Ref:
        if isinstance(e, Not):
            return ~args[0]
        out = args[0]
        for a in args[1:]:
            out = (out & a) if e.__class__.__name__ == "And" else (out | a)
        return out

    return fold(expr, lambda e: leaf(e.name) if isinstance(e, Var) else (bdd.true if e.value else bdd.false),
                operator)


def rule_bdd(expr: Expr, regulators: Sequence[str], bdd: BDD | None = None) -> tuple[BDD, Ref]:
    """A manager with one variable per regulator (in that order) and the BDD of ``expr`` in it."""
    if bdd is None:
        bdd = new_bdd()
    bdd.declare(*regulators)
    return bdd, to_bdd(expr, bdd, bdd.var)


def signs(expr: Expr, regulators: Sequence[str]) -> list[str]:
    """The sign of each regulator in ``expr``: ``+``, ``-``, ``±`` (both) or ``0`` (no effect)."""
    bdd, f = rule_bdd(expr, regulators)
    out = []
    for r in regulators:
        hi, lo = bdd.let({r: True}, f), bdd.let({r: False}, f)
        up, down = (hi & ~lo) != bdd.false, (lo & ~hi) != bdd.false
        out.append("±" if up and down else "+" if up else "-" if down else "0")
    return out


def equivalent(a: Expr, b: Expr) -> bool:
    """Whether two rules are the same Boolean function."""
    names = sorted(a.variables() | b.variables())
    bdd, fa = rule_bdd(a, names)
    return bool(fa == to_bdd(b, bdd, bdd.var))


#: An implicant as a bit mask: bit ``2j + v`` says regulator ``j`` has value ``v``.
Literals = int


def _cofactors(u: Ref) -> tuple[Ref, Ref]:
    lo, hi = u.low, u.high
    if getattr(u, "negated", False):  # CUDD's complemented edges: the children of the regular node
        lo, hi = ~lo, ~hi
    return lo, hi


def _primes(root: Ref, bdd: BDD, rank: dict[str, int], limit: int, node: str) -> list[Literals]:
    """Prime implicants of the BDD ``root``, by ``P(f) = P(f0 & f1) ∪ ¬x·(P(f0) \\ P(f0 & f1)) ∪ x·(P(f1) \\ P(f0 & f1))``,
    memoised on BDD nodes and evaluated with an explicit stack (a rule may have thousands of regulators)."""
    memo: dict[Ref, list[Literals]] = {bdd.false: [], bdd.true: [0]}
    total = 0  # implicants held in the memo, all nodes together
    stack = [root]
    while stack:
        u = stack[-1]
        if u in memo:
            stack.pop()
            continue
        lo, hi = _cofactors(u)
        both = lo & hi
        missing = [c for c in (lo, hi, both) if c not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        shared = memo[both]
        keep = set(shared)
        bit = 1 << (2 * rank[u.var])
        found = list(shared)
        found += [p | bit for p in memo[lo] if p not in keep]
        found += [p | bit << 1 for p in memo[hi] if p not in keep]
        total += len(found)
        if len(found) > limit or total > 10 * limit:
            raise TooLargeToListError(f"the rule of {node!r} has too many prime implicants to list "
                                      f"(more than {limit:,} for one subfunction or {10 * limit:,} in all)")
        memo[u] = found
    return memo[root]


def prime_implicants(expr: Expr, regulators: Sequence[str], *, node: str = "?",
                     limit: int = MAX_PRIMES) -> tuple[list[Implicant], list[Implicant]]:
    """The prime implicants of the negation of ``expr`` and of ``expr`` (in that order), each a
    ``{regulator: value}`` with regulators in the order given; computed on a BDD, for rules of any size.

    Raises :class:`~logicmodel.errors.TooLargeToListError` past ``limit`` implicants.
    """
    if isinstance(expr, Const):
        return ([{}], []) if not expr.value else ([], [{}])
    bdd, f = rule_bdd(expr, regulators)
    rank = {r: j for j, r in enumerate(regulators)}

    def as_dicts(primes: list[Literals]) -> list[Implicant]:
        out = []
        for p in primes:
            literals: Implicant = {}
            while p:
                b = (p & -p).bit_length() - 1  # lowest set bit: regulator b // 2 at value b % 2
                literals[regulators[b >> 1]] = b & 1
                p &= p - 1
            out.append(literals)
        return out

    return as_dicts(_primes(~f, bdd, rank, limit, node)), as_dicts(_primes(f, bdd, rank, limit, node))
