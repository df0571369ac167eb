"""``logicmodel control``: every minimal set of perturbations that forces a phenotype (or node values)."""
from __future__ import annotations

import argparse

from ..analysis.control import DEFAULT_MAX_SIZE, control
from ..model.perturbations import KINDS
from .common import ProgressBar, add_cap, add_fixing, add_json, add_model, add_update, count, load, parse_set, print_json


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--target", required=True, metavar="PHENOTYPE|NODE=V,...",
                   help="a phenotype every attractor must have, or node values every attractor must hold")
    add_fixing(p, what=" throughout")
    p.add_argument("--max-size", type=count(), default=DEFAULT_MAX_SIZE, metavar="K",
                   help=f"perturb at most K nodes together (default {DEFAULT_MAX_SIZE})")
    p.add_argument("--kinds", choices=list(KINDS), default="both", help="knockouts, over-expression or both (default)")
    p.add_argument("--nodes", help="comma-separated nodes to perturb (default: the target's ancestors, not inputs)")
    add_update(p)
    add_cap(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    target = parse_set(args.target.split(","), "--target") if "=" in args.target else args.target
    pert = {n: 0 for n in args.ko or []} | {n: 1 for n in args.oe or []} | parse_set(args.set)
    nodes = [n.strip() for n in args.nodes.split(",") if n.strip()] if args.nodes else None
    bar = ProgressBar("set", "control", enabled=not args.quiet)
    try:
        res = control(model, target, condition=args.condition, interventions=args.intervention or [], values=pert,
                      max_size=args.max_size, kinds=args.kinds, nodes=nodes, update=args.update,
                      max_states=args.max_states, progress=bar)
    finally:
        bar.close()
    if args.json:
        print_json(res.to_dict())
        return 0
    where = args.condition or "the inputs as given"
    print(f"{res.network}: {len(res.sets)} minimal perturbation(s) of at most {res.max_size} node(s) after which every "
          f"attractor is {res.target_label} under {where} ({res.update}; {res.checked:,} sets of "
          f"{len(res.candidates)} candidate perturbations checked in {res.seconds:.1f} s)")
    for size in sorted({s.size for s in res.sets}):
        sets = [s for s in res.sets if s.size == size]
        print(f"  size {size}: " + ", ".join(s.label if s.size else "(none needed)" for s in sets))
    return 0
