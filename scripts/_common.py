"""What every analysis script shares: its command line, output folder, the model, and the summary."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logicmodel as lm  # noqa: E402


def start(doc: str, default_out: str, argv=None,
          options: Callable[[argparse.ArgumentParser], None] | None = None):
    """Parse ``--out`` (and the script's own ``options``), create the folder, load the bundled model."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--out", default=default_out)
    if options is not None:
        options(ap)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return args, out, lm.load_model("osteoclastogenesis")


def finish(out: Path, lines: list[str]) -> str:
    """Write ``summary.txt``, print it, and return it."""
    text = "\n".join(lines) + "\n"
    (out / "summary.txt").write_text(text)
    print(text, end="")
    return text
