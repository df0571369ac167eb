"""``logicmodel trapspaces``: minimal, maximal or all trap spaces, with their phenotypes."""
from __future__ import annotations

import argparse

from ..search.trapspaces import DEFAULT_MAX_SPACES, KINDS, trap_spaces
from .common import add_fixing, add_json, add_model, count, fixed_from, load, print_json


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    p.add_argument("--kind", choices=list(KINDS), default="min",
                   help="; ".join(f"{k}: {v}" for k, v in KINDS.items()) + " (default: min)")
    add_fixing(p)
    p.add_argument("--max-spaces", type=count(1, 10**9), default=DEFAULT_MAX_SPACES, metavar="N",
                   help=f"stop with an error past N trap spaces (default {DEFAULT_MAX_SPACES:,})")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    fixed = fixed_from(model, args)
    res = trap_spaces(model.network, args.kind, fixed, max_spaces=args.max_spaces)
    res = res.with_phenotypes(model.classify_all(list(res.spaces)))
    if args.json:
        print_json(res.to_dict())
        return 0
    nodes = model.network.nodes
    head = f"{res.network}: {len(res)} {args.kind} trap space(s)"
    if fixed:
        head += "; fixed " + ", ".join(f"{k}={v}" for k, v in fixed.items())
    print(head)
    print("space over nodes in order (- = free): " + " ".join(nodes))
    for i, s in enumerate(res.spaces[:60], 1):
        ph = f"  {s.phenotype}" if s.phenotype else ""
        print(f"#{i:<4} {len(s.free):>3} free  {s.text()}{ph}")
    if len(res) > 60:
        print(f"... {len(res) - 60} more (use --json for all)")
    return 0
