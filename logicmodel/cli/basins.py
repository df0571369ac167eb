"""``logicmodel basins``: the basin of every attractor (exact), as shares of the state space."""
from __future__ import annotations

import argparse

from ..analysis.landscape import basins
from .common import add_cap, add_fixing, add_json, add_model, add_update, fixed_from, load, print_json



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    add_fixing(p)
    add_update(p)
    p.add_argument("--full", action="store_true",
                   help="span every node not fixed (default: the subspace left after percolation)")
    add_cap(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    fixed = fixed_from(model, args)
    res = basins(model.network, args.update, fixed, percolate=not args.full, max_states=args.max_states)
    labels = [model.phenotype_of(b.attractor) or "" for b in res.basins]
    if args.json:
        print_json(res.to_dict(labels))
        return 0
    print(f"{model.name}: {len(res.basins)} attractor(s), {res.update} update, over {res.states:,} states "
          f"({len(res.free)} free node(s){'' if args.full else ', after percolation'})")
    if res.update == "synchronous":
        print(f"  {'#':>3}  {'size':>8}  {'basin':>8}  phenotype")
        for i, (b, lab) in enumerate(zip(res.basins, labels), 1):
            print(f"  {i:>3}  {b.attractor.size:>8}  {b.strong:>8.4f}  {lab}")
    else:
        print(f"  {'#':>3}  {'size':>8}  {'strong':>8}  {'weak':>8}  phenotype")
        for i, (b, lab) in enumerate(zip(res.basins, labels), 1):
            print(f"  {i:>3}  {b.attractor.size:>8}  {b.strong:>8.4f}  {b.weak:>8.4f}  {lab}")
        print(f"  share of states that can reach several attractors: {res.multi:.4f}")
    return 0
