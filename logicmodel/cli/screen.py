"""``logicmodel screen``: every single and double perturbation × conditions."""
from __future__ import annotations

import argparse
import os
from typing import Any

from ..errors import UsageError
from ..model.perturbations import KINDS, ORDERS
from ..screen import screen
from .common import ProgressBar, add_cap, add_json, add_model, add_update, count, load, print_json



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--kinds", choices=list(KINDS), default="ko", help="knockouts, over-expression or both")
    p.add_argument("--order", type=int, choices=list(ORDERS), default=2, help="1 = singles, 2 = singles and doubles")
    p.add_argument("--nodes", help="comma-separated nodes to perturb (default: all but inputs and constants)")
    p.add_argument("--conditions", default="named",
                   help='"named" (default), "all" (every input combination) or a comma-separated list of names')
    p.add_argument("--intervention", action="append", metavar="NAME", help="named intervention applied throughout")
    add_update(p)
    p.add_argument("--workers", type=count(), default=os.cpu_count() or 1, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on a Dask cluster instead")
    p.add_argument("--out", default="screen", help="output folder (default: screen/); rerun to resume")
    p.add_argument("--restart", action="store_true", help="ignore an earlier journal in --out")
    p.add_argument("--top", type=count(0), default=15, help="targets to print (default 15)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_cap(p)
    add_json(p, "rows and targets as JSON")


def run(args: argparse.Namespace) -> int:
    model = load(args)
    conditions: Any = args.conditions
    if conditions not in ("named", "all"):
        conditions = [c.strip() for c in conditions.split(",") if c.strip()]
        if model.metadata is None:
            raise UsageError("--conditions needs a model with metadata")
        for c in conditions:
            model.metadata.condition(c)
    nodes = [n.strip() for n in args.nodes.split(",")] if args.nodes else None
    bar = ProgressBar("pert", "screen", enabled=not args.quiet)
    try:
        res = screen(model, nodes=nodes, kinds=args.kinds, order=args.order, conditions=conditions,
                     interventions=args.intervention or [], update=args.update, workers=args.workers,
                     scheduler=args.scheduler, out=args.out, restart=args.restart, progress=bar,
                     max_states=args.max_states)
    finally:
        bar.close()
    if args.json:
        print_json({"rows": list(res.rows), "targets": list(res.targets)})
        return 0
    n_changed = len({r["perturbation"] for r in res.rows if r.get("changed")})
    print(f"{model.name}: {res.perturbations - 1} perturbations ({args.kinds}, order ≤ {args.order}) × "
          f"{len(res.conditions)} conditions, {args.update}: {len(res.rows)} rows "
          f"({res.computed} computed, {res.resumed} resumed) in {res.seconds:.1f} s")
    print(f"{n_changed} perturbations change the phenotype under at least one condition")
    roles = model.metadata.targets if model.metadata is not None else None
    if res.targets and roles is not None:
        patho = res.targets[0]["pathological_conditions"]
        print(f"candidate therapeutic targets (switch pathological conditions from {roles.pathological} to "
              f"{roles.healthy}; {patho} pathological):")
        minimal = [t for t in res.targets if not t["redundant_with"]]
        for t in minimal[: args.top]:
            harm = f"  [makes {t['harms_conditions']} {roles.pathological}]" if t["harms_conditions"] else ""
            conds = t["rescued_conditions"].split(";")
            shown = ", ".join(conds[:4]) + (f", … ({len(conds) - 4} more)" if len(conds) > 4 else "")
            print(f"  {t['rank']:>3}. {t['perturbation']:<28} rescues {t['rescued']}/{t['pathological_conditions']}"
                  f"  ({shown}){harm}")
        rest = len(res.targets) - min(len(minimal), args.top)
        if rest:
            print(f"  ... {rest} more in targets.csv ({len(res.targets) - len(minimal)} are combinations whose "
                  f"single parts rescue as much)")
    if res.files:
        print(f"wrote {', '.join(str(p) for p in res.files)}")
    return 0
