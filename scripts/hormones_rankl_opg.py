"""Hormones and estrogen shift the RANKL/OPG balance, and with it the phenotype.

For every named condition of the bundled model: the stromal readouts (RANKL induced, OPG basal, OPG
induced), RANK engagement and the phenotype, in both update modes; and, one hormone at a time on top of
baseline and of estrogen deficiency, what each input does. Writes a heatmap (PNG, SVG), a CSV and a short
text summary.

    python scripts/hormones_rankl_opg.py [--out results/hormones]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import finish, start  # noqa: E402

import logicmodel as lm  # noqa: E402
from logicmodel.io.files import write_csv  # noqa: E402
from logicmodel.output.figures import pyplot, save_figure  # noqa: E402

READOUTS = ["RANKL_high", "OPG", "OPG_high", "RANK_active", "NFATc1", "OC_mature", "Resorption"]


def main(argv=None) -> str:
    args, out, model = start(__doc__, "results/hormones", argv)
    meta, net = model.metadata, model.network
    rows = []
    for c in meta.conditions.values():
        res = lm.attractors(net, "asynchronous", c.values)
        sync = lm.attractors(net, "synchronous", c.values)
        (a,) = res.attractors  # one attractor per condition in this model
        rows.append({"condition": c.name, **{r: a.fixed.get(r, "~") for r in READOUTS},
                     "phenotype": meta.classify(a),
                     "phenotype_sync": "+".join(sorted({meta.classify(s) for s in sync}))})
    single = []
    for base in ("baseline", "estrogen_deficiency"):
        for hormone in ("PTH", "VitD", "PGE2", "IL1", "TNF", "Glucocorticoid", "TGFB", "Wnt", "IFNG"):
            values = dict(meta.condition(base).values)
            values[hormone] = 1
            (a,) = lm.attractors(net, "asynchronous", values).attractors
            single.append({"base": base, "added": hormone, "RANKL_high": a.fixed["RANKL_high"], "OPG": a.fixed["OPG"],
                           "OPG_high": a.fixed["OPG_high"], "phenotype": meta.classify(a)})
    write_csv(out / "conditions_readouts.csv", rows)
    write_csv(out / "single_inputs.csv", single)
    import numpy as np

    plt = pyplot()
    grid = np.array([[r[k] for k in READOUTS] for r in rows], dtype=float)
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.42 * len(rows)))
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.6, aspect="auto")
    ax.set_xticks(range(len(READOUTS)))
    ax.set_xticklabels(READOUTS, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['condition']} → {r['phenotype']}" for r in rows], fontsize=8)
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, int(v), ha="center", va="center", fontsize=7, color="white" if v else "black")
    ax.set_title("RANKL/OPG balance and phenotype by condition (asynchronous)", fontsize=10)
    fig.tight_layout()
    save_figure(fig, out / "hormones_rankl_opg")
    lines = ["Hormones, estrogen and the RANKL/OPG balance", ""]
    for r in rows:
        lines.append(f"- {r['condition']}: RANKL induced={r['RANKL_high']}, OPG={r['OPG']}, OPG induced={r['OPG_high']}"
                     f" → RANK engaged={r['RANK_active']} → {r['phenotype']} (synchronous: {r['phenotype_sync']})")
    lines += ["", "One input added at a time:"]
    for s in single:
        lines.append(f"- {s['base']} + {s['added']}: RANKL induced={s['RANKL_high']}, OPG={s['OPG']} → {s['phenotype']}")
    pro = [s["added"] for s in single if s["base"] == "baseline" and s["phenotype"] == "resorbing"]
    protect = [s["added"] for s in single if s["base"] == "estrogen_deficiency" and s["phenotype"] == "quiescent"]
    lines += ["", f"Switch a premenopausal baseline to resorption: {', '.join(pro)}.",
              f"Protect against estrogen-deficiency resorption: {', '.join(protect)}."]
    return finish(out, lines)


if __name__ == "__main__":
    main()
