"""``logicmodel export``: write a model (annotated from its metadata) in another format, by extension."""
from __future__ import annotations

import argparse

from ..io.formats import FORMATS, write_network
from .common import add_model, load

_EXTENSIONS = "/".join(FORMATS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("-o", "--output", required=True, help=f"output file; the format follows the extension ({_EXTENSIONS})")


def run(args: argparse.Namespace) -> int:
    model = load(args)
    path = write_network(model.network, args.output, model.metadata)
    print(f"wrote {path} ({len(model.network)} nodes)")
    return 0
