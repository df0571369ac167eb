"""``logicmodel convert``: between bnet, SBML-qual and PyBoolNet primes JSON, by extension.

A metadata file beside the input (same stem, ``.toml``) annotates an SBML-qual output.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ModelNotFoundError
from ..io.formats import FORMATS, read_network, write_network
from ..io.sbml import read_sbml_qual
from ..model.metadata import read_metadata

_EXTENSIONS = "/".join(FORMATS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help=f"input file ({_EXTENSIONS})")
    p.add_argument("output", help=f"output file ({_EXTENSIONS})")
    p.add_argument("--sbml-names", action="store_true",
                   help="name nodes after the species' qual:name rather than their id (e.g. CellCollective S_1, S_2)")


def run(args: argparse.Namespace) -> int:
    src = Path(args.input)
    if not src.exists():
        raise ModelNotFoundError(f"{src}: no such file")
    if args.sbml_names and src.suffix.lower() in (".sbml", ".xml"):
        network = read_sbml_qual(src, names=True)
    else:
        network = read_network(src)
    side = src.with_suffix(".toml")
    meta = read_metadata(side, network) if side.is_file() else None
    path = write_network(network, args.output, meta)
    print(f"wrote {path} ({len(network)} nodes)")
    return 0
