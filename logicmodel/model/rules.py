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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, Union

import boolean
import numpy as np
import numpy.typing as npt

from ..errors import RuleParseError

__all__ = [
    "Expr",
    "evaluate_bits",
    "all_rows",
    "tree_size",
    "bit_columns",
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
    "rename",
    "depth",
    "fold",
    "variables",
    "evaluate",
    "to_bnet",
    "Operator",
    "Value",
]

#: What a rule evaluates to: one truth value, or one per state of a batch.
Value = Union[npt.NDArray[np.bool_], bool]

#: What a node name may look like: a letter or underscore, then letters, digits, underscores.
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Names that boolean.py reads as constants or operators (compared case-insensitively).
RESERVED_NAMES = frozenset({"0", "1", "true", "false", "none", "and", "or", "not"})


# --------------------------------------------------------------------------- expression tree
# Rules can be long (a DNF of thousands of terms) and deep (nested thousands of levels), so nothing
# here recurses: every walk over a tree is a loop with an explicit stack (:func:`fold`), and the
# hash of a node is computed once, when it is built, from its children's hashes.

T = TypeVar("T")
#: A state set: one bit per state, in a Python int or in numpy uint64 words (the type of the sets of
#: :class:`~logicmodel.engine.bitset.StateSets`).
B = TypeVar("B", int, npt.NDArray[np.uint64])


class _Operator:
    """What :class:`Not`, :class:`And` and :class:`Or` share: equality, hashing and printing without recursion."""

    __slots__ = ()
    _hash: int
    _size: int

    @property
    def children(self) -> tuple["Expr", ...]:
        raise NotImplementedError

    def _init_hash(self) -> None:
        children = self.children
        object.__setattr__(self, "_hash", hash((type(self).__name__, *(hash(c) for c in children))))
        object.__setattr__(self, "_size", 1 + sum(c._size if isinstance(c, _Operator) else 1 for c in children))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Var, Const, Not, And, Or)):
            return NotImplemented
        pending: list[tuple[Expr, Expr]] = [(self, other)]  # type: ignore[list-item]
        while pending:
            a, b = pending.pop()
            if a is b:
                continue
            if type(a) is not type(b) or hash(a) != hash(b):
                return False
            if isinstance(a, (Var, Const)):
                if a != b:
                    return False
                continue
            ca, cb = a.children, b.children
            if len(ca) != len(cb):
                return False
            pending.extend(zip(ca, cb))
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}<{self.to_bnet()}>"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        # rebuilt from the children, so the hash is that of the unpickling process
        return (type(self), (self.arg if isinstance(self, Not) else self.children,))

    def variables(self) -> frozenset[str]:
        return variables(self)  # type: ignore[arg-type]

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return evaluate(self, env)  # type: ignore[arg-type]

    def to_bnet(self, parent: int = 0) -> str:
        return to_bnet(self, parent)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Var:
    """A reference to a node."""

    name: str

    @property
    def children(self) -> tuple["Expr", ...]:
        return ()

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

    @property
    def children(self) -> tuple["Expr", ...]:
        return ()

    def variables(self) -> frozenset[str]:
        return frozenset()

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        return self.value

    def to_bnet(self, parent: int = 0) -> str:
        return "1" if self.value else "0"


@dataclass(frozen=True, eq=False, repr=False)
class Not(_Operator):
    """Negation."""

    arg: "Expr"
    _hash: int = field(init=False, repr=False, compare=False)
    _size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._init_hash()

    @property
    def children(self) -> tuple["Expr", ...]:
        return (self.arg,)


@dataclass(frozen=True, eq=False, repr=False)
class And(_Operator):
    """Conjunction of two or more terms."""

    args: tuple["Expr", ...]
    _hash: int = field(init=False, repr=False, compare=False)
    _size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._init_hash()

    @property
    def children(self) -> tuple["Expr", ...]:
        return self.args


@dataclass(frozen=True, eq=False, repr=False)
class Or(_Operator):
    """Disjunction of two or more terms."""

    args: tuple["Expr", ...]
    _hash: int = field(init=False, repr=False, compare=False)
    _size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._init_hash()

    @property
    def children(self) -> tuple["Expr", ...]:
        return self.args


Expr = Union[Var, Const, Not, And, Or]
Operator = Union[Not, And, Or]


def tree_size(expr: Expr) -> int:
    """The number of nodes of the expression tree (operators, variables and constants), known since it was built.

    Examples
    --------
    >>> tree_size(parse_rule("A & !(B | C)"))
    6
    """
    return expr._size if isinstance(expr, _Operator) else 1


def fold(expr: Expr, leaf: Callable[[Var | Const], T], operator: Callable[[Operator, list[T]], T]) -> T:
    """Combine a tree bottom-up without recursion: ``leaf`` maps a :class:`Var` or :class:`Const` to a
    value, ``operator`` maps an operator and its children's values (in order) to its own.

    Examples
    --------
    >>> fold(parse_rule("A & !(B | C)"), lambda e: 1, lambda e, vals: 1 + sum(vals))   # tree size
    6
    """
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    values: list[T] = []
    while stack:
        e, ready = stack.pop()
        if isinstance(e, (Var, Const)):
            values.append(leaf(e))
        elif ready:
            k = len(e.children)
            done = values[-k:]
            del values[-k:]
            values.append(operator(e, done))
        else:
            stack.append((e, True))
            stack.extend((c, False) for c in reversed(e.children))
    return values[0]


def variables(expr: Expr) -> frozenset[str]:
    """The nodes named in ``expr``."""
    found: set[str] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Var):
            found.add(e.name)
        else:
            stack.extend(e.children)
    return frozenset(found)


def _apply(e: Operator, vals: list[Value]) -> Value:
    if isinstance(e, Not):
        v = vals[0]
        if isinstance(v, np.ndarray):
            out: npt.NDArray[np.bool_] = np.logical_not(v)
            return out
        return not v
    acc = vals[0]
    if isinstance(e, And):
        for v in vals[1:]:
            acc = acc & v
    else:
        for v in vals[1:]:
            acc = acc | v
    return acc


def evaluate(expr: Expr, env: Mapping[str, Value]) -> Value:
    """The value of ``expr`` when each node has the value (or array of values) of ``env``."""
    return fold(expr, lambda e: env[e.name] if isinstance(e, Var) else e.value, _apply)


def all_rows(k: int) -> int:
    """The int whose ``2**k`` low bits are set: every row of a truth table over ``k`` variables."""
    return (1 << (1 << k)) - 1


@lru_cache(maxsize=None)
def bit_columns(k: int) -> tuple[int, ...]:
    """The truth-table columns of ``k`` variables as ints: bit ``r`` of column ``j`` is bit ``j`` of ``r``,
    for the rows ``r = 0 .. 2**k - 1``.

    Examples
    --------
    >>> [bin(c) for c in bit_columns(2)]
    ['0b1010', '0b1100']
    """
    size = 1 << k
    out = []
    for j in range(k):
        half = 1 << j
        col, width = ((1 << half) - 1) << half, 2 * half  # one period: ``half`` zeros, then ``half`` ones
        while width < size:
            col |= col << width
            width *= 2
        out.append(col)
    return tuple(out)


def evaluate_bits(expr: Expr, sets: Mapping[str, B], ones: B, zeros: B,
                  constants: Mapping[str, bool] | None = None) -> B:
    """The value of ``expr`` on state sets: ``sets`` maps each varying node to the set of states in
    which it is 1 (one bit per state: a Python ``int`` or a numpy ``uint64`` word array), ``constants``
    maps each fixed node to its value; ``1``/``0`` and fixed nodes read as ``ones``/``zeros``, and
    ``&``, ``|`` and ``ones & ~x`` combine them. A node in neither mapping is a ``KeyError``.

    Examples
    --------
    >>> bin(evaluate_bits(parse_rule("A & !B"), {"A": 0b1100, "B": 0b1010}, 0b1111, 0))   # four states
    '0b100'
    >>> bin(evaluate_bits(parse_rule("A & !B"), {"A": 0b1100}, 0b1111, 0, constants={"B": False}))
    '0b1100'
    """
    fixed = constants or {}

    def leaf(e: Var | Const) -> B:
        if isinstance(e, Const):
            return ones if e.value else zeros
        if e.name in fixed:
            return ones if fixed[e.name] else zeros
        return sets[e.name]

    def operator(e: Operator, args: list[B]) -> B:
        if isinstance(e, Not):
            return ones & ~args[0]
        out = args[0]
        for a in args[1:]:
            out = (out & a) if isinstance(e, And) else (out | a)
        return out

    return fold(expr, leaf, operator)


#: Binding strength of the bnet operators, for parentheses: ``|`` < ``&`` < ``!``.
_PRECEDENCE = {Or: 1, And: 2, Not: 3}


def to_bnet(expr: Expr, parent: int = 0) -> str:
    """``expr`` as bnet text, with parentheses only where the precedence ``! > & > |`` needs them."""
    parts: list[str] = []
    stack: list[tuple[Expr, int] | str] = [(expr, parent)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        e, outer = item
        if isinstance(e, Var):
            parts.append(e.name)
        elif isinstance(e, Const):
            parts.append("1" if e.value else "0")
        elif isinstance(e, Not):
            parts.append("!")
            stack.append((e.arg, 3))
        else:
            own = _PRECEDENCE[type(e)]
            wrap = outer > own
            if wrap:
                parts.append("(")
                stack.append(")")
            sep = " & " if isinstance(e, And) else " | "
            for i, c in enumerate(reversed(e.args)):
                stack.append((c, own))
                if i < len(e.args) - 1:
                    stack.append(sep)
    return "".join(parts)


def substitute(expr: Expr, fixed: Mapping[str, bool]) -> Expr:
    """``expr`` with the nodes of ``fixed`` replaced by their constants, simplified.

    Examples
    --------
    >>> substitute(parse_rule("A & !B | C"), {"B": True}).to_bnet()
    'C'
    """
    def leaf(e: Var | Const) -> Expr:
        return Const(fixed[e.name]) if isinstance(e, Var) and e.name in fixed else e

    def operator(e: Operator, args: list[Expr]) -> Expr:
        if isinstance(e, Not):
            a = args[0]
            return Const(not a.value) if isinstance(a, Const) else Not(a)
        absorbing = isinstance(e, Or)  # the constant that decides the whole: 1 for Or, 0 for And
        if any(isinstance(a, Const) and a.value == absorbing for a in args):
            return Const(absorbing)
        rest = [a for a in args if not isinstance(a, Const)]
        if not rest:
            return Const(not absorbing)
        if len(rest) == 1:
            return rest[0]
        return Or(tuple(rest)) if absorbing else And(tuple(rest))

    return fold(expr, leaf, operator)


def depth(expr: Expr) -> int:
    """Levels of the tree: 1 for a node or constant, one more per enclosing operator."""
    return fold(expr, lambda e: 1, lambda e, levels: 1 + max(levels))


def rename(expr: Expr, names: Mapping[str, str]) -> Expr:
    """``expr`` with each node of ``names`` renamed."""
    return fold(expr, lambda e: Var(names.get(e.name, e.name)) if isinstance(e, Var) else e,
                lambda e, args: Not(args[0]) if isinstance(e, Not) else type(e)(tuple(args)))


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
            if tok == boolean.TOKEN_SYMBOL or isinstance(tok, boolean.Symbol):
                if not NAME_PATTERN.match(text):
                    raise _token_error(pos, f"{text!r} is not a valid node name (letters, digits and '_', not starting with a digit)")
            yield tok, text, end


def _token_error(pos: int, message: str) -> RuleParseError:
    """A token problem at 0-based offset ``pos`` of the rule text (located by :func:`parse_rule`)."""
    return RuleParseError(message, column=pos)


_ALGEBRA = _Algebra()

_OPERANDS = (boolean.TOKEN_SYMBOL, boolean.TOKEN_TRUE, boolean.TOKEN_FALSE)
_BINARY = {boolean.TOKEN_AND: "&", boolean.TOKEN_OR: "|"}


def _check_grammar(tokens: list[tuple[Any, str, int]], length: int) -> None:
    """Raise a located :class:`RuleParseError` unless ``tokens`` form ``operand (op operand)*``.

    boolean.py's own parser lets some malformed rules through to a ``TypeError`` (``!&A``,
    ``!A!A``) or an ``IndexError`` (``()``); a two-state scan finds every such slip first.
    Offsets are 0-based token starts.
    """
    expect_operand = True
    previous = ""
    for tok, text, end in tokens:
        pos = end - len(text) + 1
        if expect_operand:
            if tok in _OPERANDS:
                expect_operand = False
            elif tok == boolean.TOKEN_RPAR:
                what = "empty parentheses '()'" if previous == "(" else f"')' right after {previous!r}"
                raise _token_error(pos, "cannot parse rule: " f"{what}: a node, constant or '(' is missing")
            elif tok in _BINARY:
                where = f"after {previous!r}" if previous else "at the start of the rule"
                raise _token_error(pos, "cannot parse rule: " f"{text!r} {where}: an operand is missing on its left")
        else:
            if tok == boolean.TOKEN_NOT or tok == boolean.TOKEN_LPAR or tok in _OPERANDS:
                raise _token_error(pos, "cannot parse rule: " f"missing operator ('&' or '|') between {previous!r} and {text!r}")
            if tok in _BINARY:
                expect_operand = True
        previous = text
    if expect_operand:
        raise _token_error(length, "cannot parse rule: " f"the rule ends after {previous!r}: an operand is missing")


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


def _convert(parsed: boolean.Expression) -> Expr:
    """boolean.py's tree as ours, without recursion (boolean.py parses any depth)."""
    true, false = _ALGEBRA.TRUE.__class__, _ALGEBRA.FALSE.__class__
    stack: list[tuple[boolean.Expression, bool]] = [(parsed, False)]
    values: list[Expr] = []
    while stack:
        e, ready = stack.pop()
        if isinstance(e, true):
            values.append(Const(True))
        elif isinstance(e, false):
            values.append(Const(False))
        elif isinstance(e, boolean.Symbol):
            values.append(Var(str(e.obj)))
        elif not isinstance(e, (boolean.NOT, boolean.AND, boolean.OR)):  # pragma: no cover
            raise TypeError(f"unexpected boolean.py node {type(e).__name__}")
        elif not ready:
            stack.append((e, True))
            stack.extend((a, False) for a in reversed(e.args))
        else:
            k = len(e.args)
            args = tuple(values[-k:])
            del values[-k:]
            values.append(Not(args[0]) if isinstance(e, boolean.NOT) else
                          And(args) if isinstance(e, boolean.AND) else Or(args))
    return values[0]


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
        tokens = list(_ALGEBRA.tokenize(text))
        _check_grammar(tokens, len(text.rstrip()))
        parsed = _ALGEBRA.parse(tokens)
    except RuleParseError as err:  # raised by the tokenizer or the grammar scan, at an offset within the rule
        raise fail(err.problem, err.column) from None
    except boolean.ParseError as err:
        pos = err.position if isinstance(err.position, int) else None
        if pos is not None and err.token_string:
            pos = pos - len(err.token_string) + 1
        token = f" at {err.token_string!r}" if err.token_string else ""
        reason = boolean.boolean.PARSE_ERRORS.get(err.error_code, "invalid expression").lower()
        raise fail(f"cannot parse rule{token}: {reason}", pos) from None
    except (TypeError, IndexError, AttributeError) as err:  # pragma: no cover - _check_grammar should catch these first
        raise fail(f"cannot parse rule: malformed expression ({err})", None) from None
    return _convert(parsed)


@dataclass(frozen=True)
class RuleLine:
    """One parsed line of a bnet file."""

    target: str
    expr: Expr
    text: str
    line: int
    column: int  # 1-based column where the rule text starts


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
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
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark, as some editors write
        text = text[1:]
    # only CR, LF and CRLF end a line: str.splitlines would also split at \v, \f, \x1c.. and U+2028,
    # so that line numbers in errors would not match an editor's
    for lineno, raw in enumerate(_LINE_BREAK.split(text), start=1):
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
