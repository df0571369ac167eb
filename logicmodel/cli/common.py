"""What the verbs of the command line share: options, loading, fixed nodes, start states, output, progress.

Choices and defaults come from the library's registries and constants, never retyped here.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ..analysis.landscape import naive_state
from ..dynamics import UPDATE_NAMES
from ..errors import UsageError
from ..io.formats import load_model
from ..model.model import Model
from ..model.perturbations import Perturbation, resolve_fixed
from ..search import attractors
from ..search.choose import (DEFAULT_MAX_ATTRACTORS, DEFAULT_MAX_BDD_NODES, DEFAULT_MAX_BDD_WORK, DEFAULT_MAX_CANDIDATES,
                             DEFAULT_MAX_INPUT_COMBINATIONS, DEFAULT_MAX_STATES, METHODS)

__all__ = ["EXIT_FAILED", "add_model", "add_fixing", "add_update", "add_cap", "add_limits", "add_json", "load",
           "count", "seconds", "SEED",
           "fixed_from", "parse_set", "print_json", "ProgressBar"]

#: Exit code of a command whose check failed (validation, an undecided reachability).
EXIT_FAILED = 1


def count(minimum: int = 1, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an integer of at least ``minimum`` (and at most ``maximum``)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"at least {minimum:,}" if maximum is None else f"from {minimum:,} to {maximum:,}"
            raise argparse.ArgumentTypeError(f"{text} is out of range (give an integer {bound})")
        return value

    return parse


def count_or_none(minimum: int = 1) -> Callable[[str], int | None]:
    """An argparse ``type``: ``none`` (no limit) or an integer of at least ``minimum``."""
    parse_count = count(minimum)

    def parse(text: str) -> int | None:
        return None if text.strip().lower() == "none" else parse_count(text)

    return parse


def seconds(text: str) -> float:
    """An argparse ``type``: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive, finite number of seconds")
    return value


#: Seeds of random walks and simulations (numpy takes 0 .. 2**32 - 1).
SEED = count(0, 2**32 - 1)


def add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", default=None,
                   help="model file (.bnet, .sbml/.xml, .json primes) or bundled model name (default: osteoclastogenesis)")
    p.add_argument("--metadata", help="metadata TOML file (default: <model>.toml beside the rules, if present)")


def add_fixing(p: argparse.ArgumentParser, *, condition: bool = True, what: str = "") -> None:
    """``--condition``, ``--intervention``, ``--ko``, ``--oe``, ``--set`` (applied in that order)."""
    if condition:
        p.add_argument("--condition", metavar="NAME", help="apply a named condition of the metadata")
    p.add_argument("--intervention", action="append", metavar="NAME",
                   help=f"apply a named intervention{what} (repeatable)")
    p.add_argument("--ko", action="append", metavar="NODE", help=f"knock a node out (fixed 0){what} (repeatable)")
    p.add_argument("--oe", action="append", metavar="NODE", help=f"over-express a node (fixed 1){what} (repeatable)")
    p.add_argument("--set", action="append", metavar="NODE=0|1", help=f"fix a node{what} (repeatable)")


def add_update(p: argparse.ArgumentParser, *, both: bool = False) -> None:
    choices = [*UPDATE_NAMES, "both"] if both else list(UPDATE_NAMES)
    p.add_argument("--update", choices=choices, default="both" if both else UPDATE_NAMES[0],
                   help=f"update mode (default: {'both' if both else UPDATE_NAMES[0]})")


def add_cap(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-states", type=count(), default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"cap on states searched exhaustively per subspace (default {DEFAULT_MAX_STATES:,})")


def add_limits(p: argparse.ArgumentParser) -> None:
    """The method and limits of an attractor search."""
    add_cap(p)
    p.add_argument("--method", choices=list(METHODS), default="auto",
                   help="; ".join(f"{m.name}: {m.description}" for m in METHODS.values()))
    p.add_argument("--max-bdd-nodes", type=count(), default=DEFAULT_MAX_BDD_NODES, metavar="N",
                   help=f"memory limit of the symbolic method in live BDD nodes, about 40 bytes each "
                        f"(default {DEFAULT_MAX_BDD_NODES:,})")
    p.add_argument("--max-bdd-work", type=count_or_none(), default=DEFAULT_MAX_BDD_WORK, metavar="N|none",
                   help=f"work budget of one symbolic search in BDD operations, about a million a second; counted, "
                        f"not timed, so it stops at the same point on every machine; 'none' for no budget "
                        f"(default {DEFAULT_MAX_BDD_WORK:,})")
    p.add_argument("--max-input-combinations", type=count(), default=DEFAULT_MAX_INPUT_COMBINATIONS, metavar="N",
                   help=f"split free inputs into separate searches up to N combinations; beyond it an asynchronous "
                        f"search runs by input families, every combination at once "
                        f"(default {DEFAULT_MAX_INPUT_COMBINATIONS:,})")
    p.add_argument("--max-attractors", type=count(), default=DEFAULT_MAX_ATTRACTORS, metavar="N",
                   help=f"cap on attractors listed one by one; past it the error gives their number "
                        f"(group them with --by-inputs) (default {DEFAULT_MAX_ATTRACTORS:,})")
    p.add_argument("--max-candidates", type=count(), default=DEFAULT_MAX_CANDIDATES, metavar="N",
                   help=f"cap on candidate states per subspace for the candidate method "
                        f"(default {DEFAULT_MAX_CANDIDATES:,})")
    p.add_argument("--time-limit", type=seconds, metavar="SECONDS", help="give up (with an error) after this long")
    p.add_argument("--seed", type=SEED, default=0, help="seed of the candidate method's random walks")


def add_json(p: argparse.ArgumentParser, what: str = "a JSON document") -> None:
    p.add_argument("--json", action="store_true", help=f"print {what}")


def load(args: argparse.Namespace) -> Model:
    return load_model(getattr(args, "model", None), metadata=getattr(args, "metadata", None))


def parse_set(items: Sequence[str] | None, option: str = "--set") -> dict[str, int]:
    """``NODE=0|1`` items as a dict (a malformed item raises :class:`UsageError`)."""
    out: dict[str, int] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"{option} expects NODE=0 or NODE=1, got {item!r}")
        node, value = (part.strip() for part in item.split("=", 1))
        if value not in ("0", "1"):
            raise UsageError(f"{option} {node}: value must be 0 or 1, got {value!r}")
        out[node] = int(value)
    return out


def fixed_from(model: Model, args: argparse.Namespace) -> dict[str, int]:
    """The fixed nodes of ``--condition``, ``--intervention``, ``--ko``/``--oe``, then ``--set``."""
    cond = getattr(args, "condition", None)
    ivs = getattr(args, "intervention", None) or []
    if (cond or ivs) and model.metadata is None:
        raise UsageError("--condition/--intervention need a model with a metadata file")
    pert = Perturbation.from_lists(getattr(args, "ko", None) or [], getattr(args, "oe", None) or [],
                                   network=model.network)
    return resolve_fixed(model, condition=cond, interventions=ivs, perturbation=pert,
                         values=parse_set(getattr(args, "set", None)))


#: A JSON answer longer than this is printed one record per line, as it is made (see :func:`print_json`).
JSON_LAYERED_ABOVE = 1 << 20


def print_json(doc: Any) -> None:
    """Print ``doc`` as JSON, indented; past :data:`JSON_LAYERED_ABOVE` characters, only its first two
    levels are indented and each record below them is one compact line (json's C encoder: an
    indented dump of 32,768 attractors took 13 s in the pure-Python one), written as it is encoded.

    An iterator among the first two levels is a list made as it is printed, so the dicts and the text
    of a large answer never exist whole (246,720 attractors, 158 MB of JSON: 27 s and 2.0 GB at peak
    encoded at once, 19 s and 0.73 GB streamed). An error while a large answer streams (an interrupt,
    memory) leaves the JSON written so far cut short on stdout; the error itself goes to stderr.
    """
    pieces = _layered(doc, 0, 2)
    head: list[str] = []
    size = 0
    for piece in pieces:
        head.append(piece)
        size += len(piece)
        if size > JSON_LAYERED_ABOVE:
            break
    else:  # small: the whole document, indented (read back from its layered text: iterators are spent)
        print(json.dumps(json.loads("".join(head)), indent=1))
        return
    write = sys.stdout.write
    write("".join(head))
    del head
    for piece in pieces:
        write(piece)
    write("\n")


def layered_json(doc: Any, depth: int = 2) -> str:
    """``doc`` as JSON with its first ``depth`` levels indented (one space a level) and every value
    below them on one line."""
    return "".join(_layered(doc, 0, depth))


def _key(k: Any) -> str:
    """A dict key as json writes it (``true``, ``null``, numbers as strings); other keys raise, as in json."""
    if isinstance(k, str):
        return json.dumps(k)
    if k is None or isinstance(k, (bool, int, float)):
        return json.dumps(json.dumps(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _layered(x: Any, level: int, depth: int) -> Iterator[str]:
    """The pieces of :func:`layered_json`; lists (or iterators) and dicts above ``depth`` are opened."""
    if level >= depth or not isinstance(x, (dict, list, Iterator)):
        yield json.dumps(x)
        return
    pad, end = " " * (level + 1), " " * level
    first = True
    if isinstance(x, dict):
        for k, v in x.items():
            yield ("{\n" if first else ",\n") + pad + _key(k) + ": "
            yield from _layered(v, level + 1, depth)
            first = False
        yield "{}" if first else "\n" + end + "}"
        return
    for v in x:
        yield ("[\n" if first else ",\n") + pad
        yield from _layered(v, level + 1, depth)
        first = False
    yield "[]" if first else "\n" + end + "]"


class ProgressBar:
    """A progress bar with an ETA on stderr, drawn only on a terminal (tqdm)."""

    def __init__(self, unit: str, desc: str, enabled: bool = True) -> None:
        self.bar: Any = None
        self.unit, self.desc = unit, desc
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit=self.unit, desc=self.desc, file=sys.stderr,
                            dynamic_ncols=True)
            return
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
