"""Regenerate docs/model.md and its figures from the bundled osteoclastogenesis model.

    python scripts/make_model_docs.py [--out docs] [--model osteoclastogenesis]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from logicmodel.output.docs import write_model_docs  # noqa: E402
from logicmodel import load_model  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs"))
    ap.add_argument("--model", default="osteoclastogenesis")
    args = ap.parse_args()
    for p in write_model_docs(load_model(args.model), args.out):
        print(p)


if __name__ == "__main__":
    main()
