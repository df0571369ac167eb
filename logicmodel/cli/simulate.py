"""``logicmodel simulate``: seeded stochastic simulation of many cells (or a synchronous trajectory)."""
from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

import numpy as np

from ..analysis.landscape import DEFAULT_CELLS, DEFAULT_STEPS, simulate, synchronous_trajectory
from ..errors import UsageError
from ..io.files import atomic_write_text
from ..model.model import Model
from ..output.figures import plot_trajectories
from .common import SEED, add_fixing, add_json, add_model, add_update, count, fixed_from, load, print_json
from .states import start_state



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)
    add_fixing(p)
    p.add_argument("--from", dest="start", default="naive",
                   help="'naive', 'random' (uniform), a named condition (its attractor), or NODE=V,...")
    p.add_argument("--cells", type=count(), default=DEFAULT_CELLS, help=f"simulated cells (default {DEFAULT_CELLS})")
    p.add_argument("--steps", type=count(0), default=DEFAULT_STEPS, help=f"update steps per cell (default {DEFAULT_STEPS})")
    p.add_argument("--seed", type=SEED, default=0, help="seed of the simulation")
    add_update(p)
    p.add_argument("--out", default=".", help="folder for the table and figure (default: .)")
    p.add_argument("--prefix", default="simulation")
    add_json(p)


def _trajectory(model: Model, args: argparse.Namespace, fixed: dict[str, int]) -> int:
    if args.start == "random":
        raise UsageError("a synchronous trajectory needs one initial state (not --from random)")
    states, start = synchronous_trajectory(model.network, start_state(model, args.start, args.update, fixed),
                                           fixed=fixed)
    if args.json:
        print_json({"states": states, "cycle_start": start, "cycle_length": len(states) - start})
        return 0
    meta = model.metadata
    nodes = model.network.nodes
    print(f"synchronous trajectory: {start} transient step(s), then a cycle of {len(states) - start}")
    for k, st in enumerate(states):
        lab = ""
        if meta is not None:
            lab = meta.labels[meta.classify_states(np.array([[st[n] for n in nodes]]), nodes)[0]]
        print(f"  {k:>4}{'*' if k == start else ' '} {''.join(str(st[n]) for n in nodes)}  {lab}")
    return 0


def run(args: argparse.Namespace) -> int:
    model = load(args)
    meta = model.metadata
    fixed = fixed_from(model, args)
    if args.update == "synchronous":
        return _trajectory(model, args, fixed)
    if args.cells < 1 or args.steps < 1:
        raise UsageError("--cells and --steps must be at least 1")
    initial = {} if args.start == "random" else start_state(model, args.start, args.update, fixed)
    classify = None
    labels: tuple[str, ...] = ()
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
        print_json({"steps": list(traj.steps), "shares": {k: list(v) for k, v in traj.shares.items()}})
        return 0
    final = {k: v[-1] for k, v in traj.shares.items() if v[-1]}
    print(f"{model.name}: {args.cells} cells × {args.steps} steps from {args.start or 'naive'} (seed {args.seed})")
    print("  final shares: " + ", ".join(f"{k} {v:.3f}" for k, v in final.items()))
    print("wrote " + ", ".join(str(p) for p in files))
    return 0
