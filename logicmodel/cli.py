"""The ``logicmodel`` command line.

Every command takes an optional MODEL (a .bnet/.sbml/.xml/.json file, or the name
of a bundled model; default: the osteoclastogenesis model). Errors print one
line to stderr and exit with code 2; there is never a traceback.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any, Sequence

__all__ = ["main"]

EXIT_USAGE = 2
EXIT_FAILED = 1


class CLIError(Exception):
    """A usage problem detected by the CLI itself."""


def _parse_set(items: Sequence[str] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items or []:
        if "=" not in item:
            raise CLIError(f"--set expects NODE=0 or NODE=1, got {item!r}")
        node, value = item.split("=", 1)
        node, value = node.strip(), value.strip()
        if value not in ("0", "1"):
            raise CLIError(f"--set {node}: value must be 0 or 1, got {value!r}")
        out[node] = int(value)
    return out


def _load(args) -> Any:
    from .model import load_model

    return load_model(getattr(args, "model", None), metadata=getattr(args, "metadata", None))


def _fixed(model, args) -> dict[str, int]:
    """Condition, then interventions, then --ko/--oe/--set, later ones overriding."""
    fixed: dict[str, int] = {}
    meta = model.metadata
    cond = getattr(args, "condition", None)
    ivs = getattr(args, "intervention", None) or []
    if (cond or ivs) and meta is None:
        raise CLIError("--condition/--intervention need a model with a metadata file")
    if cond:
        fixed.update(meta.condition(cond).values)
    for iv in ivs:
        fixed.update(meta.intervention(iv).values)
    for n in getattr(args, "ko", None) or []:
        fixed[n] = 0
    for n in getattr(args, "oe", None) or []:
        fixed[n] = 1
    fixed.update(_parse_set(getattr(args, "set", None)))
    for n in fixed:
        model.network.index(n)
    return fixed


def _state_string(att, nodes) -> str:
    return "".join(str(att.fixed[n]) if n in att.fixed else "~" for n in nodes)


def _print_attractors(res, model, out) -> None:
    net = model.network
    labels = [a.phenotype for a in res]
    head = f"{res.network}: {len(res)} attractor(s), {res.update} update"
    if res.fixed:
        head += "; fixed " + ", ".join(f"{k}={v}" for k, v in res.fixed.items())
    print(head, file=out)
    print(f"searched {res.states_searched:,} states over {len(res.free)} free node(s) [{res.method}]", file=out)
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
            counts[lab] = counts.get(lab, 0) + 1
        print("phenotypes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=out)


def cmd_attractors(args) -> int:
    from .attractors import attractors

    model = _load(args)
    fixed = _fixed(model, args)
    if args.by_inputs:
        return _attractor_families(model, fixed, args)
    res = attractors(model.network, args.update, fixed, max_states=args.max_states, method=args.method,
                     max_candidates=args.max_candidates, time_limit=args.time_limit, seed=args.seed,
                     max_bdd_nodes=args.max_bdd_nodes, max_input_combinations=args.max_input_combinations)
    if model.metadata is not None and model.metadata.phenotypes:
        res = res.with_phenotypes([model.metadata.classify(a) for a in res])
    if args.json:
        print(json.dumps(res.to_dict(), indent=1))
    else:
        _print_attractors(res, model, sys.stdout)
    return 0


def _attractor_families(model, fixed, args) -> int:
    from .families import attractor_families

    if args.update != "asynchronous":
        raise CLIError("--by-inputs is for asynchronous updating")
    fams = attractor_families(model.network, fixed, split_inputs=args.split_inputs, time_limit=args.time_limit,
                              max_bdd_nodes=args.max_bdd_nodes)
    if args.json:
        print(json.dumps(fams.to_dict(), indent=1))
        return 0
    nodes = model.network.nodes
    head = (f"{fams.network}: {fams.total:,} attractor(s) over {fams.input_combinations:,} combinations of "
            f"{len(fams.inputs)} free input(s), in {len(fams)} famil{'y' if len(fams) == 1 else 'ies'}")
    if fams.fixed:
        head += "; fixed " + ", ".join(f"{k}={v}" for k, v in fams.fixed.items())
    print(head)
    print("each family: one attractor per input combination it covers (and per value of a node stuck in it); "
          "state over nodes in order "
          "(~ = varies within the family): " + " ".join(nodes))
    shown = fams.families[:40]
    for k, f in enumerate(shown, 1):
        kind = "fixed points" if f.fixed_points_only else f"{f.states:,} states"
        state = "".join(str(f.fixed[n]) if n in f.fixed else "~" for n in nodes)
        print(f"#{k:<4} {f.attractors:>12,} attractor(s) over {f.combinations:>12,} input combination(s) "
              f"{kind:>20}  {state}")
    if len(fams) > len(shown):
        print(f"... {len(fams) - len(shown)} more (use --json for all)")
    return 0


def cmd_conditions(args) -> int:
    from .conditions import condition_table
    from .figures import plot_condition_table
    from .io._files import atomic_write_text

    model = _load(args)
    fixed = _fixed(model, args)
    updates = ("asynchronous", "synchronous") if args.update == "both" else (args.update,)
    table = condition_table(model, updates=updates, fixed=fixed, max_states=args.max_states)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(out / f"{args.prefix}.csv", table.to_csv()),
               atomic_write_text(out / f"{args.prefix}.json", table.to_json())]
    written += plot_condition_table(table, model.metadata, out / f"{args.prefix}_heatmap")
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


def cmd_validate(args) -> int:
    from .report import validation_markdown
    from .validation import validate

    model = _load(args)
    updates = ("asynchronous", "synchronous") if args.update == "both" else (args.update,)
    report = validate(model, updates=updates, max_states=args.max_states)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1))
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
            from .io._files import atomic_write_text

            atomic_write_text(args.markdown, validation_markdown(report))
            print(f"wrote {args.markdown}")
    # exit 0 only when every in-scope observation passes in every requested mode
    return 0 if all(r.passed for r in report.results) else EXIT_FAILED


def cmd_report(args) -> int:
    from .report import build_report

    model = _load(args)
    rep = build_report(model, args.out)
    print(rep.text, end="")
    return 0 if rep.validation.passed else EXIT_FAILED


def cmd_perturb(args) -> int:
    from .perturbations import Perturbation, perturb, resolve_fixed

    model = _load(args)
    interventions = args.intervention or []
    own = Perturbation.from_lists(args.ko or [], args.oe or [], network=model.network)
    extra = _parse_set(args.set)
    clash = sorted(set(extra) & set(own.fixed))
    if clash:
        raise CLIError(f"{', '.join(clash)} given twice (--ko/--oe and --set)")
    values = resolve_fixed(model, interventions=interventions)  # checks the names
    values.update(own.fixed)
    values.update(extra)
    if not values:
        raise CLIError("nothing to perturb: give --ko, --oe, --set or --intervention")
    label = " + ".join(interventions + [Perturbation(tuple(own.values) + tuple(extra.items())).label]
                       if own.values or extra else interventions)
    cmp = perturb(model, Perturbation(tuple(values.items())), condition=args.condition, update=args.update,
                  max_states=args.max_states)
    if args.json:
        doc = cmp.to_dict()
        doc["interventions"] = interventions
        print(json.dumps(doc, indent=1))
        return 0
    print(f"{model.name}: {label} under {args.condition or 'every input combination'} ({args.update})")
    fmt = lambda d: ", ".join(f"{k} {v}" for k, v in d.items()) or "none"  # noqa: E731
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


def cmd_screen(args) -> int:
    from .screen import screen

    model = _load(args)
    conditions: Any = args.conditions
    if conditions not in ("named", "all"):
        conditions = [c.strip() for c in conditions.split(",") if c.strip()]
        for c in conditions:
            if model.metadata is None:
                raise CLIError("--conditions needs a model with metadata")
            model.metadata.condition(c)
    nodes = [n.strip() for n in args.nodes.split(",")] if args.nodes else None
    res = screen(model, nodes=nodes, kinds=args.kinds, order=args.order, conditions=conditions,
                 interventions=args.intervention or [], update=args.update, workers=args.workers,
                 scheduler=args.scheduler, out=args.out, restart=args.restart,
                 progress=not args.quiet, max_states=args.max_states)
    if args.json:
        print(json.dumps({"rows": list(res.rows), "targets": list(res.targets)}, indent=0))
        return 0
    n_changed = len({r["perturbation"] for r in res.rows if r.get("changed")})
    print(f"{model.name}: {res.perturbations - 1} perturbations ({args.kinds}, order ≤ {args.order}) × "
          f"{len(res.conditions)} conditions, {args.update}: {len(res.rows)} rows "
          f"({res.computed} computed, {res.resumed} resumed) in {res.seconds:.1f} s")
    print(f"{n_changed} perturbations change the phenotype under at least one condition")
    if res.targets:
        patho = res.targets[0]["pathological_conditions"]
        print(f"candidate therapeutic targets (switch pathological conditions from resorbing to quiescent; "
              f"{patho} pathological):")
        minimal = [t for t in res.targets if not t["redundant_with"]]
        for t in minimal[: args.top]:
            harm = f"  [makes {t['harms_conditions']} resorbing]" if t["harms_conditions"] else ""
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


def cmd_export(args) -> int:
    from .io import write_network

    model = _load(args)
    path = write_network(model.network, args.output, model.metadata)
    print(f"wrote {path} ({len(model.network)} nodes)")
    return 0


def cmd_convert(args) -> int:
    from .io import write_network
    from .model import read_network

    src = Path(args.input)
    if not src.exists():
        raise CLIError(f"{src}: no such file")
    if args.sbml_names and src.suffix.lower() in (".sbml", ".xml"):
        from .io.sbml import read_sbml_qual

        network = read_sbml_qual(src, names=True)
    else:
        network = read_network(src)
    meta = None
    side = src.with_suffix(".toml")
    if side.is_file():
        from .metadata import read_metadata

        meta = read_metadata(side, network)
    path = write_network(network, args.output, meta)
    print(f"wrote {path} ({len(network)} nodes)")
    return 0


def _start_state(model, args, fixed: dict[str, int]) -> dict[str, int]:
    """The initial state named by --from: naive, a named condition's attractor, or NODE=V,... over naive."""
    from .attractors import attractors
    from .landscape import naive_state

    net = model.network
    spec = args.start or "naive"
    inputs = {n: v for n, v in fixed.items() if n in net.inputs}
    if spec == "naive":
        state = naive_state(net, inputs)
    elif model.metadata is not None and spec in model.metadata.conditions:
        res = attractors(net, args.update, model.metadata.condition(spec).values)
        state = dict(res.attractors[0].representative)
    elif "=" in spec:
        state = naive_state(net, inputs)
        state.update(_parse_set(spec.split(",")))
    else:
        raise CLIError(f"--from must be 'naive', a named condition or NODE=V,...; got {spec!r}")
    state.update(fixed)
    return state


def _target(model, spec: str):
    meta = model.metadata
    if meta is not None and spec in {p.name for p in meta.phenotypes}:
        p = next(p for p in meta.phenotypes if p.name == spec)
        return dict(p.when), spec
    if "=" in spec:
        want = _parse_set(spec.split(","))
        for n in want:
            model.network.index(n)
        return want, spec
    names = ", ".join(p.name for p in meta.phenotypes) if meta is not None else "none"
    raise CLIError(f"--to must be a phenotype ({names}) or NODE=V,...; got {spec!r}")


def cmd_basins(args) -> int:
    from .landscape import basins

    model = _load(args)
    fixed = _fixed(model, args)
    res = basins(model.network, args.update, fixed, percolate=not args.full, max_states=args.max_states)
    labels = [model.phenotype_of(b.attractor) or "" for b in res.basins]
    if args.json:
        print(json.dumps(res.to_dict(labels), indent=1))
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


def cmd_reach(args) -> int:
    from .landscape import reach

    model = _load(args)
    fixed = _fixed(model, args)
    start = _start_state(model, args, fixed)
    target, label = _target(model, args.to)
    res = reach(model.network, start, target, args.update, fixed, max_states=args.max_states)
    if args.json:
        print(json.dumps(res.to_dict(), indent=1))
        return 0
    where = f"under {args.condition}" if args.condition else "with the given nodes fixed" if fixed else ""
    if res.reachable is None:
        print(f"undecided: more than --max-states {args.max_states:,} states explored")
        return EXIT_FAILED
    if not res.reachable:
        print(f"{label} is NOT reachable from {args.start or 'naive'} {where} ({res.explored:,} states explored)")
        return 0
    print(f"{label} is reachable from {args.start or 'naive'} {where}: shortest path of {len(res.switches)} "
          f"switches ({res.explored:,} states explored)")
    for k, (n, v) in enumerate(res.switches, 1):
        print(f"  {k:>3}. {n} → {v}")
    return 0


def cmd_simulate(args) -> int:
    from .figures import plot_trajectories
    from .io._files import atomic_write_text
    from .landscape import simulate, synchronous_trajectory

    model = _load(args)
    meta = model.metadata
    fixed = _fixed(model, args)
    if args.update == "synchronous":
        if args.start == "random":
            raise CLIError("a synchronous trajectory needs one initial state (not --from random)")
        states, start = synchronous_trajectory(model.network, _start_state(model, args, fixed), fixed=fixed)
        doc = {"states": states, "cycle_start": start, "cycle_length": len(states) - start}
        if args.json:
            print(json.dumps(doc, indent=1))
            return 0
        nodes = model.network.nodes
        print(f"synchronous trajectory: {start} transient step(s), then a cycle of {len(states) - start}")
        for k, st in enumerate(states):
            lab = ""
            if meta is not None:
                import numpy as np

                lab = meta.labels[meta.classify_states(np.array([[st[n] for n in nodes]]), nodes)[0]]
            print(f"  {k:>4}{'*' if k == start else ' '} {''.join(str(st[n]) for n in nodes)}  {lab}")
        return 0
    initial = {} if args.start == "random" else _start_state(model, args, fixed)
    classify, labels = None, ()
    if meta is not None and meta.phenotypes:
        labels = meta.labels
        classify = partial(meta.classify_states, nodes=model.network.nodes)

    traj = simulate(model.network, initial, cells=args.cells, steps=args.steps, fixed=fixed, seed=args.seed,
                    record_every=max(1, args.steps // 200), classify=classify, labels=labels)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = [atomic_write_text(out / f"{args.prefix}.csv", traj.to_csv())]
    files += plot_trajectories(traj, meta, out / args.prefix,
                               title=f"{model.name}: {args.condition or 'inputs as given'}, {args.cells} cells")
    if args.json:
        print(json.dumps({"steps": list(traj.steps), "shares": {k: list(v) for k, v in traj.shares.items()}}))
        return 0
    final = {k: v[-1] for k, v in traj.shares.items() if v[-1]}
    print(f"{model.name}: {args.cells} cells × {args.steps} steps from {args.start or 'naive'} (seed {args.seed})")
    print("  final shares: " + ", ".join(f"{k} {v:.3f}" for k, v in final.items()))
    print("wrote " + ", ".join(str(p) for p in files))
    return 0


def cmd_info(args) -> int:
    from .model import bundled_models

    model = _load(args)
    net = model.network
    edges = net.edges()
    print(f"{net.name}: {len(net)} nodes, {len(edges)} regulations "
          f"({sum(e.sign == '+' for e in edges)} activating, {sum(e.sign == '-' for e in edges)} inhibiting, "
          f"{sum(e.sign == '±' for e in edges)} dual)")
    print(f"inputs: {', '.join(net.inputs) or 'none'}")
    print(f"constants: {', '.join(f'{k}={v}' for k, v in net.constants.items()) or 'none'}")
    meta = model.metadata
    if meta is not None:
        print(f"phenotypes: {', '.join(p.name for p in meta.phenotypes)}")
        print(f"conditions: {', '.join(meta.conditions)}")
        print(f"interventions: {', '.join(meta.interventions)}")
        print(f"observations: {len(meta.observations)} in scope, {len(meta.out_of_scope)} out of scope")
    print(f"bundled models: {', '.join(bundled_models())}")
    return 0


def _add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", default=None,
                   help="model file (.bnet, .sbml/.xml, .json primes) or bundled model name (default: osteoclastogenesis)")
    p.add_argument("--metadata", help="metadata TOML file (default: <model>.toml beside the rules, if present)")


def _add_fixing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="NODE=0|1", help="fix a node (repeatable)")
    p.add_argument("--condition", metavar="NAME", help="apply a named condition of the metadata")
    p.add_argument("--intervention", action="append", metavar="NAME", help="apply a named intervention (repeatable)")


def _add_cap(p: argparse.ArgumentParser) -> None:
    from .attractors import DEFAULT_MAX_STATES

    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"cap on states searched exhaustively per subspace (default {DEFAULT_MAX_STATES:,})")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="logicmodel", description="Boolean models of RANKL-RANK-OPG bone resorption.")
    parser.add_argument("--version", action="version", version=f"logicmodel {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("attractors", help="every attractor of a model, exactly")
    _add_model(p)
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    _add_fixing(p)
    p.add_argument("--ko", action="append", metavar="NODE", help="knock a node out (fixed 0)")
    p.add_argument("--oe", action="append", metavar="NODE", help="over-express a node (fixed 1)")
    _add_cap(p)
    p.add_argument("--method", choices=["auto", "exhaustive", "factored", "symbolic", "candidates"], default="auto",
                   help="exhaustive search of each subspace; factored (asynchronous: upstream-first blocks, exact "
                        "products); symbolic (binary decision diagrams, either update, no state cap); candidates "
                        "(asynchronous, from states stable outside a feedback vertex set); auto (default): "
                        "exhaustive where it fits, else factored, else symbolic")
    p.add_argument("--max-bdd-nodes", type=int, default=50_000_000, metavar="N",
                   help="memory limit of the symbolic method in live BDD nodes, about 40 bytes each "
                        "(default 50,000,000)")
    p.add_argument("--max-input-combinations", type=int, default=4096, metavar="N",
                   help="split free inputs into separate searches up to N combinations; beyond it a search "
                        "that does not fit --max-states stops (each combination holds an attractor) (default 4096)")
    p.add_argument("--max-candidates", type=int, default=100_000, metavar="N",
                   help="cap on candidate states per subspace for the candidate method (default 100,000)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="give up (with an error) after this long")
    p.add_argument("--seed", type=int, default=0, help="seed of the candidate method's random walks")
    p.add_argument("--by-inputs", action="store_true",
                   help="every combination of the free inputs at once, attractors grouped in families "
                        "(asynchronous; for models with too many inputs to list attractors one by one)")
    p.add_argument("--split-inputs", type=int, default=4, metavar="K",
                   help="with --by-inputs: split the K inputs that percolate furthest into separate searches "
                        "(default 4)")
    p.add_argument("--json", action="store_true", help="print a JSON document")
    p.set_defaults(func=cmd_attractors)

    p = sub.add_parser("conditions", help="phenotypes under every combination of the physiological inputs")
    _add_model(p)
    p.add_argument("--update", choices=["asynchronous", "synchronous", "both"], default="both")
    p.add_argument("--intervention", action="append", metavar="NAME", help="apply a named intervention throughout")
    p.add_argument("--ko", action="append", metavar="NODE", help="knock a node out throughout")
    p.add_argument("--oe", action="append", metavar="NODE", help="over-express a node throughout")
    p.add_argument("--set", action="append", metavar="NODE=0|1", help="fix a node throughout")
    p.add_argument("--out", default=".", help="folder for conditions.csv/.json and the heatmap (default: .)")
    p.add_argument("--prefix", default="conditions", help="file name prefix (default: conditions)")
    _add_cap(p)
    p.add_argument("--json", action="store_true", help="print the table as JSON")
    p.set_defaults(func=cmd_conditions)

    p = sub.add_parser("validate", help="check the model against its literature observations")
    _add_model(p)
    p.add_argument("--update", choices=["asynchronous", "synchronous", "both"], default="both")
    p.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    p.add_argument("--json", action="store_true")
    _add_cap(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("report", help="the main job: conditions, interventions, validation, figures")
    _add_model(p)
    p.add_argument("--out", default=".", help="folder for the files (default: current directory)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("perturb", help="attractors and phenotypes with a perturbation, beside the unperturbed ones")
    _add_model(p)
    p.add_argument("--ko", action="append", metavar="NODE", help="knock a node out (repeatable)")
    p.add_argument("--oe", action="append", metavar="NODE", help="over-express a node (repeatable)")
    p.add_argument("--set", action="append", metavar="NODE=0|1", help="fix a node (repeatable)")
    p.add_argument("--condition", metavar="NAME", help="named condition for both runs")
    p.add_argument("--intervention", action="append", metavar="NAME", help="named intervention (part of the perturbation)")
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    _add_cap(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_perturb)

    p = sub.add_parser("screen", help="every single and double perturbation × conditions")
    _add_model(p)
    p.add_argument("--kinds", choices=["ko", "oe", "both"], default="ko", help="knockouts, over-expression or both")
    p.add_argument("--order", type=int, choices=[1, 2], default=2, help="1 = singles, 2 = singles and doubles")
    p.add_argument("--nodes", help="comma-separated nodes to perturb (default: all but inputs and constants)")
    p.add_argument("--conditions", default="named",
                   help='"named" (default), "all" (every input combination) or a comma-separated list of names')
    p.add_argument("--intervention", action="append", metavar="NAME", help="named intervention applied throughout")
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on a Dask cluster instead")
    p.add_argument("--out", default="screen", help="output folder (default: screen/); rerun to resume")
    p.add_argument("--restart", action="store_true", help="ignore an earlier journal in --out")
    p.add_argument("--top", type=int, default=15, help="targets to print (default 15)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_cap(p)
    p.add_argument("--json", action="store_true", help="print rows and targets as JSON")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("export", help="write a model as SBML-qual (annotated), bnet or primes JSON")
    _add_model(p)
    p.add_argument("-o", "--output", required=True, help="output file; the format follows the extension "
                                                           "(.sbml/.xml, .bnet, .json)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("convert", help="convert between bnet, SBML-qual and PyBoolNet primes JSON, by extension")
    p.add_argument("input", help="input file (.bnet, .sbml/.xml, .json)")
    p.add_argument("output", help="output file (.bnet, .sbml/.xml, .json)")
    p.add_argument("--sbml-names", action="store_true",
                   help="name nodes after the species' qual:name rather than their id (e.g. CellCollective S_1, S_2)")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("basins", help="basin of every attractor (exact), as shares of the state space")
    _add_model(p)
    _add_fixing(p)
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    p.add_argument("--full", action="store_true",
                   help="span every node not fixed (default: the subspace left after percolation)")
    _add_cap(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_basins)

    p = sub.add_parser("reach", help="can a state reach a phenotype (or NODE=V), and a shortest path")
    _add_model(p)
    _add_fixing(p)
    p.add_argument("--from", dest="start", default="naive",
                   help="'naive' (every non-input node 0), a named condition (its attractor), or NODE=V,...")
    p.add_argument("--to", required=True, help="a phenotype name or NODE=V,...")
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    _add_cap(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reach)

    p = sub.add_parser("simulate", help="seeded stochastic simulation of many cells (or a synchronous trajectory)")
    _add_model(p)
    _add_fixing(p)
    p.add_argument("--from", dest="start", default="naive",
                   help="'naive', 'random' (uniform), a named condition (its attractor), or NODE=V,...")
    p.add_argument("--cells", type=int, default=1000)
    p.add_argument("--steps", type=int, default=2000, help="update steps per cell (default 2000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--update", choices=["asynchronous", "synchronous"], default="asynchronous")
    p.add_argument("--out", default=".", help="folder for the table and figure (default: .)")
    p.add_argument("--prefix", default="simulation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("info", help="summary of a model")
    _add_model(p)
    p.set_defaults(func=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``logicmodel`` console script."""
    from .errors import LogicModelError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except (LogicModelError, CLIError) as err:
        print(f"logicmodel: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as err:
        print(f"logicmodel: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("logicmodel: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
