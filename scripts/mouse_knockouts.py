"""The knockouts of the classic mouse models, in the model.

For each classic knockout (RANKL, RANK, OPG, TRAF6, c-Fos, NFATc1, NF-kB p50/p52, DAP12/FcRgamma, M-CSF
(op/op), c-Fms, PU.1, c-Src, cathepsin K, beta3 integrin, DC-STAMP, TRAP, IRF8), the phenotype under the
premenopausal baseline, estrogen deficiency and PTH excess, with the observed phenotype for comparison.
Writes a heatmap (PNG, SVG), a CSV and a text summary.

    python scripts/mouse_knockouts.py [--out results/knockouts]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import finish, start  # noqa: E402

import logicmodel as lm  # noqa: E402
from logicmodel.io.files import write_csv  # noqa: E402
from logicmodel.analysis.conditions import phenotype_summary  # noqa: E402
from logicmodel.output.figures import plot_named_grid  # noqa: E402

KNOCKOUTS = [
    ("RANKL", ["RANKL"], "osteopetrosis, no osteoclasts"),
    ("RANK", ["RANK"], "osteopetrosis, no osteoclasts"),
    ("OPG", ["OPG"], "osteoporosis, more resorption"),
    ("TRAF6", ["TRAF6"], "osteopetrosis"),
    ("c-Fos", ["cFos"], "osteopetrosis, no osteoclasts"),
    ("NFATc1", ["NFATc1"], "osteopetrosis, no osteoclasts"),
    ("p50/p52", ["NFkB"], "osteopetrosis, no mature osteoclasts"),
    ("DAP12/FcRg", ["DAP12", "FcRg"], "severe osteopetrosis"),
    ("op/op (M-CSF)", ["MCSF"], "osteopetrosis"),
    ("c-Fms", ["CSF1R"], "osteopetrosis"),
    ("PU.1", ["PU1"], "no osteoclasts, no macrophages"),
    ("c-Src", ["SRC"], "osteoclasts present, not resorbing"),
    ("cathepsin K", ["CTSK"], "osteoclasts present, not degrading matrix"),
    ("beta3 integrin", ["ITGB3"], "more but dysfunctional osteoclasts"),
    ("DC-STAMP", ["DCSTAMP"], "no fusion, less resorption"),
    ("TRAP", ["TRAP"], "mild osteopetrosis"),
    ("IRF8", ["IRF8"], "osteoporosis, more osteoclasts"),
]
CONDITIONS = ["baseline", "estrogen_deficiency", "pth_excess"]


def main(argv=None) -> str:
    args, out, model = start(__doc__, "results/knockouts", argv)
    meta, net = model.metadata, model.network
    grid, rows = [], []
    for label, nodes, observed in [("wild type", [], "normal")] + KNOCKOUTS:
        row = {"knockout": label, "observed": observed}
        for cname in CONDITIONS:
            fixed = dict(meta.condition(cname).values)
            fixed.update({n: 0 for n in nodes})
            phen = phenotype_summary(meta.classify(a) for a in lm.attractors(net, "asynchronous", fixed))
            row[cname] = phen
            grid.append({"condition": label, "intervention": cname, "phenotype": phen})
        rows.append(row)
    write_csv(out / "knockouts.csv", rows)
    plot_named_grid(grid, meta, out / "knockouts")
    lines = ["Classic mouse knockouts in the model (asynchronous; baseline | estrogen deficiency | PTH excess)", ""]
    width = max(len(r["knockout"]) for r in rows)
    for r in rows:
        lines.append(f"- {r['knockout']:<{width}}  {' | '.join(r[c] for c in CONDITIONS):<44} observed: {r['observed']}")
    return finish(out, lines)


if __name__ == "__main__":
    main()
