"""The ``logicmodel`` command line: one module per verb.

Every command takes an optional MODEL (a .bnet/.sbml/.xml/.json file, or the name of a bundled
model; default: the osteoclastogenesis model). Errors print one line to stderr and exit with
code 2; there is never a traceback. Only the verb that runs is imported (``logicmodel --help``
imports none of them, so it answers at once).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from ..errors import LogicModelError
from ..version import __version__

__all__ = ["main", "build_parser", "VERBS"]

#: Exit code of a usage or input error.
EXIT_USAGE = 2
#: Verb → its help line; each verb is the module of that name in this package, with ``add_arguments(parser)``
#: and ``run(args) -> exit code``.
VERBS: dict[str, str] = {
    "attractors": "every attractor of a model, exactly",
    "conditions": "phenotypes under every combination of the physiological inputs",
    "validate": "check the model against its literature observations",
    "report": "the main job: conditions, interventions, validation, figures",
    "perturb": "attractors and phenotypes with a perturbation, beside the unperturbed ones",
    "screen": "every single and double perturbation × conditions",
    "trapspaces": "minimal, maximal or all trap spaces, with their phenotypes",
    "control": "every minimal set of perturbations after which every attractor has a target phenotype",
    "export": "write a model as SBML-qual (annotated), bnet or primes JSON",
    "graph": "the signed interaction graph as GraphML, SIF or DOT (for Cytoscape, Gephi, graphviz)",
    "convert": "convert between bnet, SBML-qual and PyBoolNet primes JSON, by extension",
    "basins": "basin of every attractor (exact), as shares of the state space",
    "reach": "can a state reach a phenotype (or NODE=V), and a shortest path",
    "simulate": "seeded stochastic simulation of many cells (or a synchronous trajectory)",
    "info": "summary of a model",
}


def _verb(name: str) -> ModuleType:
    return importlib.import_module(f".{name}", __name__)


class _Parser(argparse.ArgumentParser):
    """argparse, with a malformed command line reported like every other error: one line, exit code 2."""

    def error(self, message: str) -> "NoReturn":
        self.exit(EXIT_USAGE, f"logicmodel: error: {message} (see '{self.prog} --help')\n")


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``verb``'s options are added (the others are listed by name and help)."""
    parser = _Parser(prog="logicmodel",
                                     description="Boolean models of RANKL-RANK-OPG bone resorption, and any other.")
    parser.add_argument("--version", action="version", version=f"logicmodel {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in VERBS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == verb:
            module = _verb(name)
            module.add_arguments(p)
            p.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``logicmodel`` console script."""
    # no command does linear algebra: one BLAS thread spares numpy's thread pool start-up
    # (0.08 s of CPU per call here); a value the user set is kept
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args_list = list(sys.argv[1:] if argv is None else argv)
    verb = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(verb if verb in VERBS else None)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        code: int = args.func(args)
        return code
    except LogicModelError as err:
        print(f"logicmodel: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"logicmodel: error: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("logicmodel: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
