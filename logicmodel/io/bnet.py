"""The bnet format of BoolNet, PyBoolNet, AEON and mpbn.

One ``target, rule`` per line, an optional ``targets, factors`` header, ``#``
comments, operators ``! & |``, parentheses and the constants ``0 1`` (also
``true``/``false``).

Examples
--------
>>> from logicmodel.io import from_bnet, to_bnet
>>> net = from_bnet("targets, factors\\nA, A\\nB, A & !B  # comment")
>>> print(to_bnet(net), end="")
targets, factors
A, A
B, A & !B
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import RuleParseError
from ..model.network import Network
from ..model.rules import parse_bnet
from .files import atomic_write_text, read_model_text

__all__ = ["from_bnet", "read_bnet", "to_bnet", "write_bnet"]


def from_bnet(text: str, *, name: str = "network", source: str = "<text>") -> Network:
    """Build a :class:`Network` from bnet text.

    Raises
    ------
    RuleParseError
        Naming ``source``, line, column and node.
    """
    return Network.from_rule_lines(parse_bnet(text, source=source), name=name, source=source)


def read_bnet(path: "str | os.PathLike[str]") -> Network:
    """Read a bnet file; the network is named after the file stem."""
    path = Path(path)
    return from_bnet(read_model_text(path, RuleParseError), name=path.stem, source=str(path))


def to_bnet(network: Network) -> str:
    """The network as bnet text (reads back to the same network)."""
    return network.to_bnet()


def write_bnet(network: Network, path: "str | os.PathLike[str]") -> Path:
    """Write the network to a bnet file, atomically."""
    return atomic_write_text(path, network.to_bnet())
