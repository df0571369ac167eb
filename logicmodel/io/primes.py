"""PyBoolNet prime-implicant JSON: ``{node: [[implicants of 0], [implicants of 1]]}``.

Import builds each rule as the disjunction of the node's 1-implicants; export computes the prime
implicants from the truth tables (:mod:`logicmodel.model.implicants`). No external tool is involved
(pyboolnet's BNetToPrime, which the tests compare with, takes 25 s on n12c5; this takes 2 ms).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from ..errors import FormatError, RuleParseError
from ..model.functions import equivalent
from ..model.network import Network
from ..model.rules import And, Const, Expr, Not, Or, Var, check_name
from .files import MAX_JSON_DEPTH, atomic_write_text, json_depth, read_model_text

__all__ = ["from_primes", "read_primes", "to_primes", "write_primes"]


def _implicant(term: object, source: str, node: str) -> Expr:
    if not isinstance(term, dict):
        raise FormatError(f"a prime implicant of {node!r} is {type(term).__name__} {_short(term)}, not an object "
                          "{node: 0 or 1}", source=source, element=node)
    lits = []
    for name, v in term.items():
        if isinstance(v, bool) or v not in (0, 1):
            raise FormatError(f"value {v!r} of {name!r} in a prime implicant of {node!r} is not 0 or 1",
                              source=source, element=node)
        lits.append(Var(name) if v else Not(Var(name)))
    if not lits:
        return Const(True)
    return lits[0] if len(lits) == 1 else And(tuple(lits))


def _short(value: object, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _disjunction(terms: list[Expr]) -> Expr:
    if not terms:
        return Const(False)
    if any(isinstance(t, Const) for t in terms):
        return Const(True)
    return terms[0] if len(terms) == 1 else Or(tuple(terms))


def from_primes(primes: "Mapping[str, Any] | str", *, name: str = "network", source: str = "<primes>") -> Network:
    """A network from primes (a dict, or JSON text)."""
    if isinstance(primes, str):
        depth = json_depth(primes)
        if depth > MAX_JSON_DEPTH:
            raise FormatError(f"invalid primes: JSON nested {depth:,} deep (a primes document is 4 deep; "
                              f"at most {MAX_JSON_DEPTH} are read)", source=source)
        try:
            primes = json.loads(primes)
        except json.JSONDecodeError as err:
            raise FormatError(f"invalid JSON: {err}", source=source) from None
        except RecursionError:
            raise FormatError("invalid primes: JSON nested too deeply", source=source) from None
        except ValueError as err:  # an integer of more than 4,300 digits; the hint after ';' is for programmers
            raise FormatError(f"invalid JSON: {str(err).split(';')[0]}", source=source) from None
    if not isinstance(primes, dict) or not primes:
        raise FormatError("expected a JSON object {node: [[...], [...]]}", source=source)
    nodes, rules = [], []
    for node, pair in primes.items():
        try:
            check_name(node, source=source)
        except RuleParseError as err:
            raise FormatError(f"{node!r} cannot be a node name: {getattr(err, 'problem', err)}", source=source,
                              element=node) from None
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, list) for p in pair)):
            raise FormatError("expected [[implicants of 0], [implicants of 1]]", source=source, element=node)
        zeros = _disjunction([_implicant(t, source, node) for t in pair[0]])
        rule = _disjunction([_implicant(t, source, node) for t in pair[1]])
        if not equivalent(zeros, Not(rule)):
            raise FormatError("the implicants of 0 and of 1 are not complementary (some state would make the node "
                              "both 0 and 1, or neither)", source=source, element=node)
        nodes.append(node)
        rules.append(rule)
    try:
        return Network(tuple(nodes), tuple(rules), name=name, source=source)
    except RuleParseError as err:
        raise FormatError(err.problem, source=source, element=err.node) from None


def read_primes(path: "str | os.PathLike[str]") -> Network:
    """Read a PyBoolNet primes JSON file."""
    path = Path(path)
    return from_primes(read_model_text(path, FormatError), name=path.stem, source=str(path))


def to_primes(network: Network) -> dict[str, list[list[dict[str, int]]]]:
    """Prime implicants of every node's rule and of its negation, ``{node: [[primes of 0], [primes of 1]]}``
    (:meth:`~logicmodel.model.network.Network.prime_implicants`: from truth tables, or BDDs for large rules)."""
    out: dict[str, list[list[dict[str, int]]]] = {}
    for n in network.nodes:
        zeros, ones = network.prime_implicants(n)
        out[n] = [zeros, ones]
    return out


def write_primes(network: Network, path: "str | os.PathLike[str]") -> Path:
    """Write the primes as JSON, atomically."""
    return atomic_write_text(path, json.dumps(to_primes(network), indent=1, sort_keys=False) + "\n")
