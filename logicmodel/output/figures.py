"""Figures: the condition-table heatmap, the named-condition grid and the network diagram.

Every function writes PNG and SVG next to each other (atomically) and returns the paths.
matplotlib runs with the non-interactive Agg backend.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..analysis.conditions import ConditionTable
from ..analysis.landscape import Trajectories
from ..io.files import atomic_write_bytes
from ..model.metadata import Metadata
from ..model.model import Model

__all__ = ["plot_condition_table", "plot_named_grid", "plot_network", "plot_screen", "plot_trajectories",
           "pyplot", "save_figure", "SIGN_COLORS"]

SIGN_COLORS = {"+": "#1e8449", "-": "#c0392b", "±": "#7d3c98", "0": "#aab7b8"}


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, stem: "str | os.PathLike[str]") -> list[Path]:
    """Write ``fig`` as ``stem.png`` and ``stem.svg``, atomically; close it; return the paths."""
    plt = pyplot()
    paths = []
    for ext in ("png", "svg"):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, dpi=150, bbox_inches="tight")
        paths.append(atomic_write_bytes(Path(f"{stem}.{ext}"), buf.getvalue()))
    plt.close(fig)
    return paths


def _label_colors(labels: Iterable[str], meta: Metadata) -> dict[str, str]:
    return {lab: meta.color(lab) for lab in labels}


def plot_condition_table(table: ConditionTable, meta: Metadata, stem: "str | os.PathLike[str]") -> list[Path]:
    """Heatmap of the phenotype under every input combination, one panel per update mode.

    Rows enumerate the first half of the inputs, columns the second half; each
    cell is one combination, coloured by its phenotype (several coexisting
    attractor phenotypes are shown as 'a+b').
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    plt = pyplot()
    inputs = list(table.inputs)
    k = len(inputs) // 2
    row_in, col_in = inputs[:k], inputs[k:]
    updates = sorted({r.update for r in table.rows}, key=lambda u: u != "asynchronous")
    labels = sorted({r.label for r in table.rows}, key=lambda s: (("+" in s), s))
    code = {lab: i for i, lab in enumerate(labels)}
    colors = _label_colors(labels, meta)
    cmap = ListedColormap([colors[lab] for lab in labels])
    nr, nc = 1 << len(row_in), 1 << len(col_in)
    fig, axes = plt.subplots(1, len(updates), figsize=(max(6, nc * 0.18) * len(updates), max(4, nr * 0.22) + 1.5),
                             squeeze=False)
    for ax, update in zip(axes[0], updates):
        grid = np.zeros((nr, nc), dtype=int)
        for r in table.rows:
            if r.update != update:
                continue
            i = int("".join(str(r.inputs[n]) for n in row_in) or "0", 2)
            j = int("".join(str(r.inputs[n]) for n in col_in) or "0", 2)
            grid[i, j] = code[r.label]
        ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(labels) - 0.5, aspect="auto", interpolation="nearest")
        ax.set_title(f"{table.model}: {update}", fontsize=10)
        ax.set_yticks(range(nr))
        ax.set_yticklabels([format(i, f"0{len(row_in)}b") for i in range(nr)], fontsize=5, family="monospace")
        ax.set_xticks(range(nc))
        ax.set_xticklabels([format(j, f"0{len(col_in)}b") for j in range(nc)], fontsize=4, rotation=90,
                           family="monospace")
        ax.set_ylabel(" ".join(row_in), fontsize=8)
        ax.set_xlabel(" ".join(col_in), fontsize=8)
    fig.legend(handles=[Patch(color=colors[lab], label=lab) for lab in labels], loc="upper center",
               ncol=min(len(labels), 5), fontsize=8, bbox_to_anchor=(0.5, 1.06))
    fig.tight_layout()
    return save_figure(fig, stem)


def plot_named_grid(rows: Sequence[dict[str, Any]], meta: Metadata, stem: "str | os.PathLike[str]") -> list[Path]:
    """Heatmap of named conditions (rows) × interventions (columns), cells labelled by phenotype."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    plt = pyplot()
    conds = list(dict.fromkeys(r["condition"] for r in rows))
    ivs = list(dict.fromkeys(r["intervention"] for r in rows))
    labels = sorted({r["phenotype"] for r in rows}, key=lambda s: (("+" in s), s))
    code = {lab: i for i, lab in enumerate(labels)}
    colors = _label_colors(labels, meta)
    grid = np.zeros((len(conds), len(ivs)), dtype=int)
    text = {}
    for r in rows:
        i, j = conds.index(r["condition"]), ivs.index(r["intervention"])
        grid[i, j] = code[r["phenotype"]]
        text[i, j] = r["phenotype"]
    fig, ax = plt.subplots(figsize=(1.6 + 1.5 * len(ivs), 0.8 + 0.45 * len(conds)))
    ax.imshow(grid, cmap=ListedColormap([colors[lab] for lab in labels]), vmin=-0.5, vmax=len(labels) - 0.5,
              aspect="auto")
    for (i, j), t in text.items():
        ax.text(j, i, t, ha="center", va="center", fontsize=7, color="white")
    ax.set_xticks(range(len(ivs)))
    ax.set_xticklabels(ivs, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(conds)))
    ax.set_yticklabels(conds, fontsize=8)
    ax.set_title("phenotype by named condition × intervention", fontsize=10)
    fig.tight_layout()
    return save_figure(fig, stem)


def plot_network(model: Model, stem: "str | os.PathLike[str]") -> list[Path]:
    """The interaction graph: nodes placed in columns by cell and coloured by cell, edges coloured by sign."""
    import networkx as nx
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = pyplot()
    net = model.network
    meta = model.metadata
    cell = {n: (meta.cell_of(n) if meta is not None else "other") for n in net.nodes}
    order = list(dict.fromkeys([*(meta.cells if meta is not None else []), *cell.values()]))
    colors = {c: (meta.cell_info(c).color if meta is not None else "#d5dbdb") for c in order}
    g = net.interaction_graph()
    depth: dict[str, int] = {}
    cond = nx.condensation(g)
    for layer, comps in enumerate(nx.topological_generations(cond)):
        for c in comps:
            for n in cond.nodes[c]["members"]:
                depth[n] = layer
    pos = {}
    for ci, c in enumerate(order):
        members = sorted((n for n in net.nodes if cell[n] == c), key=lambda n: (depth[n], net.index(n)))
        for k, n in enumerate(members):
            pos[n] = (ci * 3.0 + (k % 2) * 1.1, -k * 1.0)
    height = max(len([n for n in net.nodes if cell[n] == c]) for c in order)
    fig, ax = plt.subplots(figsize=(18, max(8, height * 0.42)))
    for e in net.edges():
        if e.source == e.target:
            continue
        nx.draw_networkx_edges(g, pos, edgelist=[(e.source, e.target)], ax=ax, edge_color=SIGN_COLORS[e.sign],
                               arrowstyle="-|>" if e.sign != "-" else "-[", arrowsize=8, width=0.8, alpha=0.7,
                               connectionstyle="arc3,rad=0.08", node_size=900)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=[colors[cell[n]] for n in g.nodes], node_size=900,
                           edgecolors="#34495e", linewidths=0.6)
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=6)
    handles: list[Any] = [Patch(color=colors[c], label=c.replace("_", " ")) for c in order if c in cell.values()]
    handles += [Line2D([0], [0], color=SIGN_COLORS[s], label={"+": "activation", "-": "inhibition",
                                                               "±": "dual", "0": "no effect"}[s]) for s in "+-±"]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    ax.set_title(f"{net.name}: {len(net)} nodes, {len(net.edges())} regulations", fontsize=11)
    ax.axis("off")
    fig.tight_layout()
    return save_figure(fig, stem)


def plot_screen(rows: Sequence[dict[str, Any]], meta: Metadata, stem: "str | os.PathLike[str]", *,
                max_rows: int = 60) -> list[Path]:
    """Heatmap of the phenotype by perturbation (rows) × condition (columns).

    The unperturbed network comes first, then the perturbations that change the
    phenotype in the most conditions (at most ``max_rows``).
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    plt = pyplot()
    conds = list(dict.fromkeys(r["condition"] for r in rows))
    if len(conds) > 40:
        return _plot_screen_aggregated(rows, meta, stem, conds, max_rows=max_rows)
    by: dict[str, dict[str, str]] = {}
    changed: dict[str, int] = {}
    for r in rows:
        by.setdefault(r["perturbation"], {})[r["condition"]] = r["phenotype"]
        changed[r["perturbation"]] = changed.get(r["perturbation"], 0) + int(bool(r.get("changed")))
    def row(p: str) -> tuple[str | None, ...]:
        return tuple(by[p].get(c) for c in conds)

    def interesting(p: str) -> bool:  # a combination is shown only when it differs from each of its parts alone
        parts = p.split("+")
        return len(parts) == 1 or all(part not in by or row(part) != row(p) for part in parts)

    ranked = sorted((p for p in by if p != "none" and changed[p]), key=lambda p: (p.count("+"), -changed[p], p))
    total_changed = len(ranked)
    perts = ["none"] + [p for p in ranked if interesting(p)][:max_rows]
    labels = sorted({by[p][c] for p in perts for c in conds if c in by[p]}, key=lambda s: (("+" in s), s))
    code = {lab: i for i, lab in enumerate(labels)}
    colors = _label_colors(labels, meta)
    grid = np.array([[code[by[p][c]] for c in conds] for p in perts])
    fig, ax = plt.subplots(figsize=(2.5 + 0.55 * len(conds), 1.5 + 0.22 * len(perts)))
    ax.imshow(grid, cmap=ListedColormap([colors[lab] for lab in labels]), vmin=-0.5, vmax=len(labels) - 0.5,
              aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(conds)))
    ax.set_xticklabels(conds, rotation=40, ha="right", fontsize=7)
    ax.set_yticks(range(len(perts)))
    ax.set_yticklabels(["unperturbed" if p == "none" else p for p in perts], fontsize=6)
    shown = len(perts) - 1
    ax.set_title(f"phenotype by perturbation × condition: {shown} of the {total_changed} perturbations that change it\n"
                 "(singles first; combinations only where they differ from each part alone)", fontsize=9)
    ax.legend(handles=[Patch(color=colors[lab], label=lab) for lab in labels], loc="upper left",
              bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False)
    fig.tight_layout()
    return save_figure(fig, stem)


def _plot_screen_aggregated(rows: Sequence[dict[str, Any]], meta: Metadata, stem: "str | os.PathLike[str]",
                            conds: list[str], *, max_rows: int) -> list[Path]:
    """For screens over many conditions: the share of conditions per phenotype, by perturbation."""
    import numpy as np

    plt = pyplot()
    labels = [lab for lab in meta.labels if any(r.get(f"share_{lab}", 0) for r in rows)]
    acc: dict[str, list[float]] = {}
    changed: dict[str, int] = {}
    for r in rows:
        v = acc.setdefault(r["perturbation"], [0.0] * len(labels))
        for i, lab in enumerate(labels):
            v[i] += r[f"share_{lab}"] / len(conds)
        changed[r["perturbation"]] = changed.get(r["perturbation"], 0) + int(bool(r.get("changed")))
    perts = ["none"] + sorted((p for p in acc if p != "none" and changed[p]), key=lambda p: (-changed[p], p))
    total = len(perts) - 1
    perts = perts[: max_rows + 1]
    grid = np.array([acc[p] for p in perts])
    fig, ax = plt.subplots(figsize=(3 + 1.0 * len(labels), 1.5 + 0.22 * len(perts)))
    im = ax.imshow(grid, cmap="viridis", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6, color="white" if v < 0.6 else "black")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(perts)))
    ax.set_yticklabels(["unperturbed" if p == "none" else p for p in perts], fontsize=6)
    ax.set_title(f"mean share of attractors per phenotype over {len(conds)} conditions\n"
                 f"({len(perts) - 1} of {total} perturbations that change it)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.04)
    fig.tight_layout()
    return save_figure(fig, stem)


def plot_trajectories(traj: Trajectories, meta: Metadata | None, stem: "str | os.PathLike[str]", title: str = "") -> list[Path]:
    """Share of cells per phenotype over simulation steps."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for label, values in traj.shares.items():
        if any(values):
            ax.plot(traj.steps, values, label=label, color=meta.color(label) if meta is not None else None, lw=2)
    ax.set_xlabel("asynchronous update steps per cell")
    ax.set_ylabel("share of cells")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title or f"{len(traj.final)} simulated cells (seed {traj.seed})", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return save_figure(fig, stem)
