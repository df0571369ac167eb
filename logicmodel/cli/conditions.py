"""``logicmodel conditions``: the phenotype under every combination of the physiological inputs."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..analysis.conditions import condition_table
from ..dynamics import UPDATE_NAMES
from ..io.files import atomic_write_text
from ..output.figures import plot_condition_table
from .common import add_cap, add_fixing, add_json, add_model, add_update, fixed_from, load



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    add_update(p, both=True)
    add_fixing(p, condition=False, what=" throughout")
    p.add_argument("--out", default=".", help="folder for conditions.csv/.json and the heatmap (default: .)")
    p.add_argument("--prefix", default="conditions", help="file name prefix (default: conditions)")
    add_cap(p)
    add_json(p, "the table as JSON")


def run(args: argparse.Namespace) -> int:
    model = load(args)
    fixed = fixed_from(model, args)
    updates = UPDATE_NAMES if args.update == "both" else (args.update,)
    table = condition_table(model, updates=updates, fixed=fixed, max_states=args.max_states)
    meta = model.metadata
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(out / f"{args.prefix}.csv", table.to_csv()),
               atomic_write_text(out / f"{args.prefix}.json", table.to_json())]
    if meta is not None:
        written += plot_condition_table(table, meta, out / f"{args.prefix}_heatmap")
    if args.json:
        print(table.to_json(), end="")
        return 0
    print(f"{model.name}: {len(table.rows) // len(updates)} input combinations of {', '.join(table.inputs)}"
          + (f"; fixed {', '.join(f'{k}={v}' for k, v in fixed.items())}" if fixed else ""))
    for update in updates:
        print(f"  {update}: " + ", ".join(f"{k} {v}" for k, v in table.counts(update).items()))
    named = [r for r in table.rows if r.named]
    if named:
        print("named conditions:")
        for r in named:
            print(f"  {r.update[:5]}  {', '.join(r.named):<40} {r.label}")
    print("wrote " + ", ".join(str(p) for p in written))
    return 0
