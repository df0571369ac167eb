"""``logicmodel perturb``: attractors and phenotypes with a perturbation, beside the unperturbed ones."""
from __future__ import annotations

import argparse

from ..analysis.perturb import perturb
from ..errors import UsageError
from ..model.perturbations import Perturbation, resolve_fixed
from .common import add_cap, add_json, add_model, add_update, load, parse_set, print_json



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--ko", action="append", metavar="NODE", help="knock a node out (repeatable)")
    p.add_argument("--oe", action="append", metavar="NODE", help="over-express a node (repeatable)")
    p.add_argument("--set", action="append", metavar="NODE=0|1", help="fix a node (repeatable)")
    p.add_argument("--condition", metavar="NAME", help="named condition for both runs")
    p.add_argument("--intervention", action="append", metavar="NAME", help="named intervention (part of the perturbation)")
    add_update(p)
    add_cap(p)
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    interventions = args.intervention or []
    own = Perturbation.from_lists(args.ko or [], args.oe or [], network=model.network)
    extra = parse_set(args.set)
    clash = sorted(set(extra) & set(own.fixed))
    if clash:
        raise UsageError(f"{', '.join(clash)} given twice (--ko/--oe and --set)")
    values = resolve_fixed(model, interventions=interventions, perturbation=own, values=extra)
    if not values:
        raise UsageError("nothing to perturb: give --ko, --oe, --set or --intervention")
    label = " + ".join(interventions + [Perturbation(tuple(own.values) + tuple(extra.items())).label]
                       if own.values or extra else interventions)
    cmp = perturb(model, Perturbation(tuple(values.items())), condition=args.condition, update=args.update,
                  max_states=args.max_states)
    if args.json:
        doc = cmp.to_dict()
        doc["interventions"] = interventions
        print_json(doc)
        return 0
    print(f"{model.name}: {label} under {args.condition or 'every input combination'} ({args.update})")

    def fmt(d: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    print(f"  unperturbed: {len(cmp.base)} attractor(s): {fmt(cmp.base_phenotypes)}")
    print(f"  perturbed:   {len(cmp.perturbed)} attractor(s): {fmt(cmp.perturbed_phenotypes)}")
    print(f"  phenotype {'CHANGED' if cmp.base_phenotypes != cmp.perturbed_phenotypes else 'unchanged'}")
    changes = cmp.node_changes()
    if changes:
        print("  nodes that changed (unperturbed → perturbed; ~ = differs across attractors or oscillates):")
        width = max(len(n) for n in changes)
        for n, (a, b) in changes.items():
            print(f"    {n:<{width}}  {a} → {b}")
    return 0
