"""``logicmodel graph``: the signed interaction graph as GraphML, SIF or DOT (by extension)."""
from __future__ import annotations

import argparse

from ..output.graph import GRAPH_FORMATS, write_graph
from .common import add_model, load


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("-o", "--output", required=True,
                   help=f"output file; the format follows the extension ({'/'.join(GRAPH_FORMATS)})")


def run(args: argparse.Namespace) -> int:
    model = load(args)
    path = write_graph(model, args.output)
    print(f"wrote {path} ({len(model.network)} nodes, {len(model.network.edges())} regulations)")
    return 0
