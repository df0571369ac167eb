"""``logicmodel validate``: the model against its literature observations."""
from __future__ import annotations

import argparse

from ..analysis.validation import validate
from ..dynamics import UPDATE_NAMES
from ..io.files import atomic_write_text
from ..output.report import validation_markdown
from .common import EXIT_FAILED, add_cap, add_json, add_model, add_update, load, print_json



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    add_update(p, both=True)
    p.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    add_json(p)
    add_cap(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    updates = UPDATE_NAMES if args.update == "both" else (args.update,)
    report = validate(model, updates=updates, max_states=args.max_states)
    if args.json:
        print_json(report.to_dict())
    else:
        for update in updates:
            rows = [r for r in report.results if r.update == update]
            print(f"{model.name}: {sum(r.passed for r in rows)}/{len(rows)} observations reproduced ({update})")
            id_w = max(len(r.observation.id) for r in rows)
            pert_w = min(34, max(len(r.perturbation()) for r in rows))
            for r in rows:
                ev = ", ".join(r.observation.evidence[:2])
                print(f"  {'pass' if r.passed else 'FAIL'}  {r.observation.id:<{id_w}}  {r.perturbation()[:pert_w]:<{pert_w}}  "
                      f"{r.expectation()}  → {r.got}  [{ev}]")
                if args.verbose:
                    print(f"        {r.observation.description}")
        if report.out_of_scope:
            print(f"out of scope: {', '.join(o['id'] for o in report.out_of_scope)} (reasons with --json)")
        if args.markdown:
            atomic_write_text(args.markdown, validation_markdown(report))
            print(f"wrote {args.markdown}")
    # exit 0 only when every in-scope observation passes in every requested mode
    return 0 if all(r.passed for r in report.results) else EXIT_FAILED
