"""The exception tree of logicmodel.

Every error the library raises on purpose derives from :class:`LogicModelError`;
each subclass also derives from the matching builtin so that ``except ValueError``
keeps working for callers that do not know our names.
"""
from __future__ import annotations

__all__ = [
    "LogicModelError",
    "RuleParseError",
    "UnknownNodeError",
    "StateSpaceTooLargeError",
    "MetadataError",
    "FormatError",
    "PerturbationError",
]


class LogicModelError(Exception):
    """Root of every error raised by logicmodel on purpose."""


class RuleParseError(LogicModelError, ValueError):
    """A rule file (or rule text) could not be read.

    Attributes
    ----------
    source : str
        The file name, or ``"<text>"`` for text input.
    line : int or None
        1-based line number of the offending rule.
    column : int or None
        1-based column of the offending token within that line.
    node : str or None
        The target node whose rule is wrong, when known.
    problem : str
        What is wrong, in words.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str = "<text>",
        line: int | None = None,
        column: int | None = None,
        node: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.line = line
        self.column = column
        self.node = node
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        subject = f" (node {node!r})" if node else ""
        super().__init__(f"{where}{subject}: {problem}")


class UnknownNodeError(LogicModelError, KeyError, ValueError):
    """A node name that the network does not have."""

    def __init__(self, name: str, known: "list[str] | tuple[str, ...]", what: str = "node") -> None:
        self.name = name
        import difflib

        lower = {k.lower(): k for k in known}
        close = [lower[name.lower()]] if name.lower() in lower else [
            lower[c] for c in difflib.get_close_matches(name.lower(), list(lower), n=3)]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        self.message = f"unknown {what} {name!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError quotes its argument otherwise
        return self.message


class StateSpaceTooLargeError(LogicModelError, ValueError):
    """The exhaustive search would exceed the state-space cap.

    Raise the cap with ``max_states=`` (API) or ``--max-states`` (CLI), or fix
    more inputs, to go further.
    """

    def __init__(self, free_nodes: int, max_states: int) -> None:
        self.free_nodes = free_nodes
        self.max_states = max_states
        super().__init__(
            f"{free_nodes} nodes remain free after percolation: 2^{free_nodes} = {2**free_nodes:,} states "
            f"exceed the cap max_states={max_states:,} (raise it with max_states= / --max-states, "
            f"or fix inputs with --set / a condition)"
        )


class MetadataError(LogicModelError, ValueError):
    """The model metadata file is inconsistent with the rules (file and key named)."""

    def __init__(self, problem: str, *, source: str = "<metadata>", key: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.key = key
        where = f"{source} [{key}]" if key else source
        super().__init__(f"{where}: {problem}")


class FormatError(LogicModelError, ValueError):
    """A model file in another format (SBML-qual, primes JSON) could not be read or written."""

    def __init__(self, problem: str, *, source: str = "<text>", element: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.element = element
        where = f"{source} (element {element!r})" if element else source
        super().__init__(f"{where}: {problem}")


class PerturbationError(LogicModelError, ValueError):
    """A perturbation, condition or intervention cannot be applied."""
