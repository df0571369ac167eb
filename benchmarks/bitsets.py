"""State sets in Python ints against packed numpy words: where :func:`~logicmodel.engine.bitset.space_for`
switches from one to the other (:data:`~logicmodel.engine.bitset.MAX_INT_SET_NODES`).

For each number of free nodes ``n``, a seeded random asynchronous graph (each node flips in a random
half of the states) is searched for its terminal SCCs with both algebras; the table shows the median
time of ``--repeat`` runs in one process and the ratio int/words. Internal: no peer does this work.

    python benchmarks/bitsets.py
    python benchmarks/bitsets.py --sizes 4,8,12,16,20 --repeat 7

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from logicmodel.engine.bitset import MAX_INT_SET_NODES, IntSpace, Space  # noqa: E402
from logicmodel.engine.graphs import terminal_sccs  # noqa: E402


def _time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="4,6,8,10,12,14,16,17,18,20,22", help="comma-separated numbers of free nodes")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    print(f"# Terminal SCCs of random asynchronous graphs: int sets vs packed words, median of {args.repeat} "
          f"(ints are used up to {MAX_INT_SET_NODES} free nodes)\n")
    print("| free nodes | states | int sets | packed words | int/words |")
    print("|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        bits = list(range(n - 1, -1, -1))
        codes = [np.flatnonzero(rng.random(1 << n) < 0.5) for _ in range(n)]
        ints, words = IntSpace(n), Space(n)
        int_flips = [ints.from_codes(c) for c in codes]
        word_flips = [words.from_codes(c) for c in codes]
        a = _time(lambda: terminal_sccs(ints, int_flips, bits), args.repeat)
        b = _time(lambda: terminal_sccs(words, word_flips, bits), args.repeat)
        print(f"| {n} | {1 << n:,} | {a * 1e3:.3f} ms | {b * 1e3:.3f} ms | {a / b:.2f} |")


if __name__ == "__main__":
    main()
