"""``logicmodel report``: the main job (conditions, interventions, validation, figures)."""
from __future__ import annotations

import argparse

from ..output.report import build_report
from .common import EXIT_FAILED, add_model, load



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--out", default=".", help="folder for the files (default: current directory)")


def run(args: argparse.Namespace) -> int:
    rep = build_report(load(args), args.out)
    print(rep.text, end="")
    return 0 if rep.validation.passed else EXIT_FAILED
