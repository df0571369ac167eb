"""``logicmodel attractors``: every attractor of a model, exactly (or by input combination)."""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..errors import UsageError
from ..model.model import Model
from ..search import ATTRACTOR_UPDATES, attractor_families, attractors
from ..search.families import DEFAULT_SPLIT_INPUTS, AttractorFamilies
from ..search.records import Attractor, AttractorResult
from .common import add_fixing, add_json, add_limits, add_model, count, fixed_from, load, print_json



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--update", choices=list(ATTRACTOR_UPDATES), default=ATTRACTOR_UPDATES[0],
                   help="update mode (default: asynchronous); the most-permissive attractors are the minimal trap spaces")
    add_fixing(p)
    add_limits(p)
    p.add_argument("--by-inputs", action="store_true",
                   help="every combination of the free inputs at once, attractors grouped in families "
                        "(asynchronous; for models with too many inputs to list attractors one by one)")
    p.add_argument("--split-inputs", type=count(0), default=DEFAULT_SPLIT_INPUTS, metavar="K",
                   help=f"with --by-inputs: split the K inputs that percolate furthest into separate searches "
                        f"(default {DEFAULT_SPLIT_INPUTS})")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    fixed = fixed_from(model, args)
    if args.by_inputs:
        return _families(model, fixed, args)
    res = attractors(model.network, args.update, fixed, max_states=args.max_states, method=args.method,
                     max_candidates=args.max_candidates, time_limit=args.time_limit, seed=args.seed,
                     max_bdd_nodes=args.max_bdd_nodes, max_input_combinations=args.max_input_combinations,
                     max_attractors=args.max_attractors, max_bdd_work=args.max_bdd_work)
    res = res.with_phenotypes(model.classify_all(res.attractors))
    if args.json:
        # the records' dicts are made as they are printed (print_json streams a large answer)
        print_json({**res.provenance(), "attractors": (a.to_dict() for a in res.attractors)})
    else:
        print_attractors(res, model, sys.stdout)
    return 0


def _state_string(att: Attractor, nodes: tuple[str, ...]) -> str:
    return "".join(str(att.fixed[n]) if n in att.fixed else "~" for n in nodes)


def print_attractors(res: AttractorResult, model: Model, out: TextIO) -> None:
    """The attractors as a table (up to 12) or one line each (up to 40), with phenotype counts."""
    net = model.network
    labels = [a.phenotype for a in res]
    head = f"{res.network}: {len(res)} attractor(s), {res.update} update"
    if res.fixed:
        head += "; fixed " + ", ".join(f"{k}={v}" for k, v in res.fixed.items())
    print(head, file=out)
    print(f"searched {res.states_searched:,} states over {len(res.free)} free node(s) [{res.method_label}]", file=out)
    if not len(res):
        return
    shown = res.attractors[:40]
    if len(shown) <= 12:
        width = max(len(n) for n in net.nodes + ("phenotype",))
        cw = max([5] + [len(a.phenotype or "") for a in shown] + [len(str(a.size)) for a in shown])
        print(f"{'':<{width}}  " + "  ".join(f"{'#' + str(i + 1):<{cw}}" for i in range(len(shown))), file=out)
        print(f"{'size':<{width}}  " + "  ".join(f"{a.size:<{cw}}" for a in shown), file=out)
        if any(labels):
            print(f"{'phenotype':<{width}}  " + "  ".join(f"{a.phenotype or '':<{cw}}" for a in shown), file=out)
        for n in net.nodes:
            cells = ["~" if n in a.oscillating else str(a.fixed[n]) for a in shown]
            print(f"{n:<{width}}  " + "  ".join(f"{c:<{cw}}" for c in cells), file=out)
        print("(~ = oscillates within the attractor)", file=out)
    else:
        print("state over nodes in order: " + " ".join(net.nodes), file=out)
        for i, a in enumerate(shown, 1):
            ph = f" {a.phenotype}" if a.phenotype else ""
            print(f"#{i:<4} size {a.size:<8}{ph:<16} {_state_string(a, net.nodes)}", file=out)
        if len(res) > len(shown):
            print(f"... {len(res) - len(shown)} more (use --json for all)", file=out)
    if any(labels):
        counts: dict[str, int] = {}
        for lab in labels:
            if lab is not None:
                counts[lab] = counts.get(lab, 0) + 1
        print("phenotypes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=out)


def _families(model: Model, fixed: dict[str, int], args: argparse.Namespace) -> int:
    if args.update != "asynchronous":
        raise UsageError("--by-inputs is for asynchronous updating")
    fams = attractor_families(model.network, fixed, split_inputs=args.split_inputs, time_limit=args.time_limit,
                              max_bdd_nodes=args.max_bdd_nodes, max_bdd_work=args.max_bdd_work)
    if args.json:
        print_json(fams.to_dict())
        return 0
    print_families(fams, model.network.nodes)
    return 0


def print_families(fams: AttractorFamilies, nodes: tuple[str, ...]) -> None:
    head = (f"{fams.network}: {fams.total:,} attractor(s) over {fams.input_combinations:,} combinations of "
            f"{len(fams.inputs)} free input(s), in {len(fams)} famil{'y' if len(fams) == 1 else 'ies'}")
    if fams.fixed:
        head += "; fixed " + ", ".join(f"{k}={v}" for k, v in fams.fixed.items())
    print(head)
    print("each family: one attractor per input combination it covers (and per value of a node stuck in it); "
          "state over nodes in order (~ = varies within the family): " + " ".join(nodes))
    shown = fams.families[:40]
    for k, f in enumerate(shown, 1):
        kind = "fixed points" if f.fixed_points_only else f"{f.states:,} states"
        state = "".join(str(f.fixed[n]) if n in f.fixed else "~" for n in nodes)
        print(f"#{k:<4} {f.attractors:>12,} attractor(s) over {f.combinations:>12,} input combination(s) "
              f"{kind:>20}  {state}")
    if len(fams) > len(shown):
        print(f"... {len(fams) - len(shown)} more (use --json for all)")
