"""Every exception of logicmodel, in one tree.

Every error the library raises on purpose derives from :class:`LogicModelError`, and each
subclass also derives from the matching builtin, so that ``except ValueError`` keeps working
for callers that do not know our names. The root class itself is never raised: each problem
has its own class, and its message names the file, line, node or the option to change.

The command line turns any of them into one line on stderr and exit code 2.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "LogicModelError",
    "RuleParseError",
    "FormatError",
    "MetadataError",
    "UnknownNodeError",
    "InvalidChoiceError",
    "InvalidStateError",
    "PerturbationError",
    "ModelNotFoundError",
    "StateSpaceTooLargeError",
    "TooLargeToListError",
    "SearchIncompleteError",
    "ScreenJournalError",
    "BackendError",
    "UsageError",
]


class LogicModelError(Exception):
    """Root of every error raised by logicmodel on purpose (never raised itself)."""


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


class FormatError(LogicModelError, ValueError):
    """A model file in another format (SBML-qual, primes JSON) could not be read or written."""

    def __init__(self, problem: str, *, source: str = "<text>", element: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.element = element
        where = f"{source} (element {element!r})" if element else source
        super().__init__(f"{where}: {problem}")


class MetadataError(LogicModelError, ValueError):
    """The model metadata file is inconsistent with the rules (file and key named)."""

    def __init__(self, problem: str, *, source: str = "<metadata>", key: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.key = key
        where = f"{source} [{key}]" if key else source
        super().__init__(f"{where}: {problem}")


def _suggest(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest known names (case-insensitive), or ``""``."""
    lower = {k.lower(): k for k in known}
    if name.lower() in lower:
        close = [lower[name.lower()]]
    else:
        close = [lower[c] for c in difflib.get_close_matches(name.lower(), list(lower), n=3)]
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


class UnknownNodeError(LogicModelError, KeyError, ValueError):
    """A node name that the network does not have (the closest names are suggested)."""

    def __init__(self, name: str, known: Iterable[str], what: str = "node") -> None:
        self.name = name
        self.message = f"unknown {what} {name!r}{_suggest(name, known)}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError quotes its argument otherwise
        return self.message


class InvalidChoiceError(LogicModelError, ValueError):
    """A name that is not in one of the library's registries (update modes, methods, kinds, ...).

    The message lists the valid names.
    """

    def __init__(self, what: str, value: object, choices: Iterable[str], why: str = "") -> None:
        self.value = value
        self.choices = tuple(choices)
        super().__init__(why or f"unknown {what} {value!r}; choose one of: {', '.join(self.choices)}")


class InvalidStateError(LogicModelError, ValueError):
    """A state or input combination that does not give a valid value to every node it must."""


class PerturbationError(LogicModelError, ValueError):
    """A perturbation, condition or intervention cannot be applied (a value other than 0/1, a node twice)."""


class ModelNotFoundError(LogicModelError, FileNotFoundError):
    """No model file of that name, and no bundled model either."""


class StateSpaceTooLargeError(LogicModelError, ValueError):
    """An exhaustive search would exceed the state-space cap.

    Raise the cap with ``max_states=`` (API) or ``--max-states`` (CLI), or fix more inputs,
    to go further.
    """

    def __init__(self, free_nodes: int, max_states: int) -> None:
        self.free_nodes = free_nodes
        self.max_states = max_states
        super().__init__(
            f"{free_nodes} nodes remain free after percolation: 2^{free_nodes} = {2**free_nodes:,} states "
            f"exceed the cap max_states={max_states:,} (raise it with max_states= / --max-states, "
            f"or fix inputs with --set / a condition)"
        )


class TooLargeToListError(LogicModelError, ValueError):
    """A set that is exact but too large to list one element at a time (attractor states,
    input combinations of a family); its size and summary stay available."""


class SearchIncompleteError(LogicModelError, RuntimeError):
    """Completeness could not be shown within the given limits (the message names the one to raise)."""


class ScreenJournalError(LogicModelError, ValueError):
    """A screen's output folder holds the journal of a screen with other parameters."""


class BackendError(LogicModelError, RuntimeError):
    """A compute backend (a Dask scheduler) is missing or cannot be reached."""


class UsageError(LogicModelError, ValueError):
    """A command-line usage problem: options that cannot be combined, a malformed ``NODE=V``."""
