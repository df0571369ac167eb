"""Parsing of Boolean rules: the only module that imports boolean.py.

A rule text such as ``"RANKL & !OPG"`` becomes an immutable expression tree
(:class:`Var`, :class:`Const`, :class:`Not`, :class:`And`, :class:`Or`).
The tree is evaluated on numpy arrays by the engine; rule text is never
``eval``-ed.

Examples
--------
>>> from logicmodel.model.rules import parse_rule
>>> e = parse_rule("A & !(B | C)")
>>> sorted(e.variables())
['A', 'B', 'C']
>>> e.to_bnet()
'A & !(B | C)'
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

import boolean
import numpy as np
import numpy.typing as npt

from ..errors import RuleParseError

__all__ = [
    "Expr",
    "Var",
    "Const",
    "Not",
    "And",
    "Or",
    "parse_rule",
    "parse_bnet",
    "RuleLine",
    "NAME_PATTERN",
    "RESERVED_NAMES",
    "check_name",
    "substitute",
    "Value",
]

#: What a rule evaluates to: one truth value, or one per state of a batch.
Value = Union[npt.NDArray[np.bool_], bool]

#: What a node name may look like: a letter or underscore, then letters, digits, underscores.
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Names that boolean.py reads as constants or operators (compared case-insensitively).
RESERVED_NAMES = frozenset({"0", "1", "true", "false", "none", "and", "or", "not"})


# --------------------------------------------------------------------------- expression tree
@dataclass(frozen=True)
class Var:
    """A reference to a node."""

    name: str

    def variables(self) -> frozenset[str]:
        return frozenset((self.name,))

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return env[self.name]

    def to_bnet(self, parent: int = 0) -> str:
        return self.name


@dataclass(frozen=True)
class Const:
    """The constant 0 or 1."""

    value: bool

    def variables(self) -> frozenset[str]:
        return frozenset()

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return self.value

    def to_bnet(self, parent: int = 0) -> str:
        return "1" if self.value else "0"


@dataclass(frozen=True)
class Not:
    """Negation."""

    arg: "Expr"

    def variables(self) -> frozenset[str]:
        return self.arg.variables()

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        v = self.arg.evaluate(env)
        if isinstance(v, np.ndarray):
            out: npt.NDArray[np.bool_] = np.logical_not(v)
            return out
        return not v

    def to_bnet(self, parent: int = 0) -> str:
        return "!" + self.arg.to_bnet(3)


@dataclass(frozen=True)
class And:
    """Conjunction of two or more terms."""

    args: tuple["Expr", ...]

    def variables(self) -> frozenset[str]:
        return frozenset().union(*(a.variables() for a in self.args))

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        out = self.args[0].evaluate(env)
        for a in self.args[1:]:
            out = out & a.evaluate(env)
        return out

    def to_bnet(self, parent: int = 0) -> str:
        text = " & ".join(a.to_bnet(2) for a in self.args)
        return f"({text})" if parent > 2 else text


@dataclass(frozen=True)
class Or:
    """Disjunction of two or more terms."""

    args: tuple["Expr", ...]

    def variables(self) -> frozenset[str]:
        return frozenset().union(*(a.variables() for a in self.args))

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        out = self.args[0].evaluate(env)
        for a in self.args[1:]:
            out = out | a.evaluate(env)
        return out

    def to_bnet(self, parent: int = 0) -> str:
        text = " | ".join(a.to_bnet(1) for a in self.args)
        return f"({text})" if parent > 1 else text


Expr = Union[Var, Const, Not, And, Or]


def substitute(expr: Expr, fixed: Mapping[str, bool]) -> Expr:
    """``expr`` with the nodes of ``fixed`` replaced by their constants, simplified.

    Examples
    --------
    >>> substitute(parse_rule("A & !B | C"), {"B": True}).to_bnet()
    'C'
    """
    if isinstance(expr, Var):
        return Const(fixed[expr.name]) if expr.name in fixed else expr
    if isinstance(expr, Const):
        return expr
    if isinstance(expr, Not):
        a = substitute(expr.arg, fixed)
        return Const(not a.value) if isinstance(a, Const) else Not(a)
    args = [substitute(a, fixed) for a in expr.args]
    absorbing = isinstance(expr, Or)  # the constant that decides the whole: 1 for Or, 0 for And
    if any(isinstance(a, Const) and a.value == absorbing for a in args):
        return Const(absorbing)
    rest = [a for a in args if not isinstance(a, Const)]
    if not rest:
        return Const(not absorbing)
    if len(rest) == 1:
        return rest[0]
    return Or(tuple(rest)) if absorbing else And(tuple(rest))


# --------------------------------------------------------------------------- parsing
_WORD_OPERATORS = {"and": "&", "or": "|", "not": "!"}
_SYMBOL_OPERATORS = {"*": "&", "+": "|", "~": "!", "[": "(", "]": ")"}


class _Algebra(boolean.BooleanAlgebra):  # type: ignore[misc]  # boolean.py ships no types
    """boolean.py algebra restricted to the bnet dialect (``! & |``, ``0 1 true false``)."""

    def tokenize(self, expr: str) -> Iterator[tuple[Any, str, Any]]:
        for tok, text, end in super().tokenize(expr):
            # boolean.py reports the offset of a token's last character
            pos = end - len(text) + 1 if isinstance(end, int) else end
            low = text.lower()
            if low == "none":
                raise _token_error(pos, f"{text!r} is read as the constant false by boolean.py; rename the node")
            if low in _WORD_OPERATORS:
                raise _token_error(
                    pos, f"{text!r} is an operator word; bnet rules use {_WORD_OPERATORS[low]!r} (rename a node called {text!r})"
                )
            if text in _SYMBOL_OPERATORS:
                raise _token_error(pos, f"{text!r} is not a bnet operator; use {_SYMBOL_OPERATORS[text]!r}")
            if tok not in (boolean.TOKEN_TRUE, boolean.TOKEN_FALSE) and isinstance(tok, boolean.Symbol):
                if not NAME_PATTERN.match(text):
                    raise _token_error(pos, f"{text!r} is not a valid node name (letters, digits and '_', not starting with a digit)")
            yield tok, text, end


def _token_error(pos: int, message: str) -> RuleParseError:
    """A token problem at 0-based offset ``pos`` of the rule text (located by :func:`parse_rule`)."""
    return RuleParseError(message, column=pos)


_ALGEBRA = _Algebra()


def check_name(name: str, *, source: str = "<text>", line: int | None = None, column: int | None = None) -> None:
    """Raise :class:`RuleParseError` unless ``name`` is a valid, unreserved node name."""
    if name.lower() in RESERVED_NAMES:
        raise RuleParseError(
            f"{name!r} is reserved (boolean.py reads 0 1 true false none as constants and and/or/not as operators); rename the node",
            source=source, line=line, column=column, node=name,
        )
    if not NAME_PATTERN.match(name):
        raise RuleParseError(
            f"{name!r} is not a valid node name (letters, digits and '_', not starting with a digit)",
            source=source, line=line, column=column, node=name,
        )


def _convert(e: boolean.Expression) -> Expr:
    if e is _ALGEBRA.TRUE or isinstance(e, _ALGEBRA.TRUE.__class__):
        return Const(True)
    if e is _ALGEBRA.FALSE or isinstance(e, _ALGEBRA.FALSE.__class__):
        return Const(False)
    if isinstance(e, boolean.Symbol):
        return Var(str(e.obj))
    if isinstance(e, boolean.NOT):
        return Not(_convert(e.args[0]))
    if isinstance(e, boolean.AND):
        return And(tuple(_convert(a) for a in e.args))
    if isinstance(e, boolean.OR):
        return Or(tuple(_convert(a) for a in e.args))
    raise TypeError(f"unexpected boolean.py node {e!r}")  # pragma: no cover


def parse_rule(
    text: str,
    *,
    source: str = "<text>",
    line: int | None = None,
    column_offset: int = 0,
    node: str | None = None,
) -> Expr:
    """Parse one rule (the part after the comma in bnet) into an expression tree.

    Parameters
    ----------
    text : str
        The rule, e.g. ``"A & !B"``.
    source, line, column_offset, node
        Used only to locate errors: the file, its 1-based line, the 0-based offset
        of ``text`` within that line, and the target node.

    Raises
    ------
    RuleParseError
        With file, line, column and node, for empty rules, unbalanced
        parentheses, reserved names, unknown tokens and malformed expressions.
    """
    def fail(msg: str, pos: int | None) -> RuleParseError:
        col = column_offset + pos + 1 if pos is not None and pos >= 0 else None
        return RuleParseError(msg, source=source, line=line, column=col, node=node)

    if not text.strip():
        raise fail("empty rule (write 0 or 1 for a constant, or the node itself for an input)", None)
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise fail("unbalanced parentheses: ')' without a matching '('", i)
    if depth > 0:
        raise fail(f"unbalanced parentheses: {depth} '(' never closed", text.rfind("("))
    try:
        parsed = _ALGEBRA.parse(text)
    except RuleParseError as err:  # raised by the tokenizer, at an offset within the rule
        raise fail(err.problem, err.column) from None
    except boolean.ParseError as err:
        pos = err.position if isinstance(err.position, int) else None
        if pos is not None and err.token_string:
            pos = pos - len(err.token_string) + 1
        token = f" at {err.token_string!r}" if err.token_string else ""
        reason = boolean.boolean.PARSE_ERRORS.get(err.error_code, "invalid expression").lower()
        raise fail(f"cannot parse rule{token}: {reason}", pos) from None
    return _convert(parsed)


@dataclass(frozen=True)
class RuleLine:
    """One parsed line of a bnet file."""

    target: str
    expr: Expr
    text: str
    line: int
    column: int  # 1-based column where the rule text starts


_HEADER = re.compile(r"^\s*targets\s*,\s*factors\s*$", re.IGNORECASE)


def parse_bnet(text: str, *, source: str = "<text>") -> list[RuleLine]:
    """Parse bnet text into rule lines (no cross-line checks beyond duplicates).

    Raises
    ------
    RuleParseError
        Naming file, line, column and node.
    """
    out: list[RuleLine] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        body = raw.split("#", 1)[0]
        if not body.strip():
            continue
        if _HEADER.match(body):
            continue
        if "," not in body:
            raise RuleParseError(
                "expected 'target, rule' (no comma found)", source=source, line=lineno, column=1
            )
        target_part, rule_part = body.split(",", 1)
        target = target_part.strip()
        tcol = len(target_part) - len(target_part.lstrip()) + 1
        if not target:
            raise RuleParseError("missing target name before ','", source=source, line=lineno, column=1)
        check_name(target, source=source, line=lineno, column=tcol)
        if target in seen:
            raise RuleParseError(
                f"duplicate target: {target!r} already has a rule on line {seen[target]}",
                source=source, line=lineno, column=tcol, node=target,
            )
        offset = len(target_part) + 1
        expr = parse_rule(rule_part, source=source, line=lineno, column_offset=offset, node=target)
        seen[target] = lineno
        rcol = offset + len(rule_part) - len(rule_part.lstrip()) + 1
        out.append(RuleLine(target, expr, rule_part.strip(), lineno, rcol))
    return out
