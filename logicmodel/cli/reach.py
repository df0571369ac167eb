"""``logicmodel reach``: can a state reach a phenotype (or NODE=V), and a shortest path."""
from __future__ import annotations

import argparse

from ..analysis.landscape import reach
from .common import EXIT_FAILED, add_cap, add_fixing, add_json, add_model, add_update, fixed_from, load, print_json
from .states import start_state, target_of



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    add_fixing(p)
    p.add_argument("--from", dest="start", default="naive",
                   help="'naive' (every non-input node 0), a named condition (its attractor), or NODE=V,...")
    p.add_argument("--to", required=True, help="a phenotype name or NODE=V,...")
    add_update(p)
    add_cap(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    fixed = fixed_from(model, args)
    start = start_state(model, args.start, args.update, fixed)
    target = target_of(model, args.to)
    res = reach(model.network, start, target, args.update, fixed, max_states=args.max_states)
    if args.json:
        print_json(res.to_dict())
        return 0
    where = f"under {args.condition}" if args.condition else "with the given nodes fixed" if fixed else ""
    if res.reachable is None:
        print(f"undecided: more than --max-states {args.max_states:,} states explored")
        return EXIT_FAILED
    if not res.reachable:
        print(f"{args.to} is NOT reachable from {args.start} {where} ({res.explored:,} states explored)")
        return 0
    print(f"{args.to} is reachable from {args.start} {where}: shortest path of {len(res.switches)} "
          f"switches ({res.explored:,} states explored)")
    for k, (n, v) in enumerate(res.switches, 1):
        print(f"  {k:>3}. {n} → {v}")
    return 0
