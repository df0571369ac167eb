"""OPG therapy and anti-RANKL reverse estrogen-deficiency resorption.

Simulates a population of cells (seeded, stochastic asynchronous updating): premenopausal baseline →
estrogen withdrawal (resorption rises) → OPG-Fc or denosumab given to the resorbing population (resorption
falls), with the share of cells per phenotype over time; plus the shortest switch sequence from a resorbing
cell back to quiescence under each drug. Writes figures (PNG, SVG), CSV tables and a text summary.

    python scripts/opg_therapy.py [--out results/opg_therapy] [--cells 400] [--seed 1]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import finish, start  # noqa: E402

import numpy as np  # noqa: E402

import logicmodel as lm  # noqa: E402
from logicmodel.output.figures import pyplot, save_figure  # noqa: E402
from logicmodel.analysis.landscape import reach, simulate  # noqa: E402


def main(argv=None) -> str:
    def options(ap):
        ap.add_argument("--cells", type=int, default=400)
        ap.add_argument("--steps", type=int, default=1500)
        ap.add_argument("--seed", type=int, default=1)

    args, out, model = start(__doc__, "results/opg_therapy", argv, options)
    meta, net = model.metadata, model.network
    nodes = net.nodes
    classify = lambda rows: meta.classify_states(rows, nodes)  # noqa: E731
    ed = meta.condition("estrogen_deficiency").values
    (base,) = lm.attractors(net, "asynchronous", meta.condition("baseline").values).attractors
    first = np.array([base.representative[n] for n in nodes], dtype=np.uint8)
    phase1 = simulate(net, np.repeat(first[None, :], args.cells, axis=0), cells=args.cells, steps=args.steps,
                      fixed=ed, seed=args.seed, record_every=10, classify=classify, labels=meta.labels)
    results = {"estrogen deficiency": phase1}
    lines = ["OPG therapy and anti-RANKL under estrogen deficiency", ""]
    lines.append(f"Estrogen withdrawn from {args.cells} quiescent cells: after {args.steps} steps "
                 f"{phase1.shares['resorbing'][-1]:.0%} resorbing.")
    (res_att,) = lm.attractors(net, "asynchronous", ed).attractors
    for drug in ("opg_fc", "denosumab"):
        fixed = dict(ed)
        fixed.update(meta.intervention(drug).values)
        phase2 = simulate(net, phase1.final, cells=args.cells, steps=args.steps, fixed=fixed, seed=args.seed + 1,
                          record_every=10, classify=classify, labels=meta.labels)
        results[f"+ {drug}"] = phase2
        path = reach(net, res_att.representative, {"NFATc1": 0, "Resorption": 0}, "asynchronous", fixed)
        lines.append(f"{drug}: resorbing {phase2.shares['resorbing'][0]:.0%} → {phase2.shares['resorbing'][-1]:.0%}, "
                     f"quiescent → {phase2.shares['quiescent'][-1]:.0%}; from a resorbing cell the shortest way back "
                     f"takes {len(path.switches)} switches: "
                     + ", ".join(f"{n}→{v}" for n, v in path.switches[:8]) + (" …" if len(path.switches) > 8 else ""))
    plt = pyplot()
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.4), sharey=True)
    for ax, (title, traj) in zip(axes, results.items()):
        for label, values in traj.shares.items():
            if any(values):
                ax.plot(traj.steps, values, label=label, color=meta.color(label), lw=2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("update steps per cell")
    axes[0].set_ylabel("share of cells")
    axes[-1].legend(fontsize=8, frameon=False)
    fig.tight_layout()
    save_figure(fig, out / "opg_therapy")
    for title, traj in results.items():
        (out / f"trajectory_{title.replace(' ', '_').replace('+_', 'plus_')}.csv").write_text(traj.to_csv())
    return finish(out, lines)


if __name__ == "__main__":
    main()
