"""Figures: the condition-table heatmap, the named-condition grid and the network diagram.

Every function writes PNG and SVG next to each other (atomically) and returns the paths.
matplotlib runs with the non-interactive Agg backend.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FormatError
from ..io.files import atomic_write_bytes
from ..model.metadata import Metadata
from ..model.model import Model
from .graph import SIGN_COLORS

if TYPE_CHECKING:  # types only: a figure module should not load the analyses it draws
    from ..analysis.conditions import ConditionTable
    from ..analysis.landscape import Trajectories

__all__ = ["plot_condition_table", "plot_named_grid", "plot_network", "plot_screen", "plot_trajectories",
           "pyplot", "save_figure", "SIGN_COLORS"]



def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text: searchable, and quicker to write
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, stem: "str | os.PathLike[str]", *, tight: bool = False) -> list[Path]:
    """Write ``fig`` as ``stem.png`` and ``stem.svg``, atomically; close it; return the paths.

    The figure's layout is computed once (by hand or one ``tight_layout``) and kept for both formats;
    ``tight=True`` crops each format to the drawn content instead (one more layout pass each).
    """
    plt = pyplot()
    paths = []
    for ext in ("png", "svg"):
        buf = io.BytesIO()
        extra = {"pil_kwargs": {"compress_level": 3}} if ext == "png" else {}  # zlib level 6 takes 2x as long
        fig.savefig(buf, format=ext, dpi=150, bbox_inches="tight" if tight else None, **extra)
        paths.append(atomic_write_bytes(Path(f"{stem}.{ext}"), buf.getvalue()))
    plt.close(fig)
    return paths


def _label_colors(labels: Iterable[str], meta: Metadata) -> dict[str, str]:
    return {lab: meta.color(lab) for lab in labels}


def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r, g, b)


def plot_condition_table(table: ConditionTable, meta: Metadata, stem: "str | os.PathLike[str]") -> list[Path]:
    """Heatmap of the phenotype under every input combination, one panel per update mode.

    Rows enumerate the first half of the inputs, columns the second half; each cell is one
    combination, coloured by its phenotype (several coexisting attractor phenotypes are shown as
    'a+b'). The strips above and left of the grid show each input's value (dark: 1) for the columns
    and the rows, labelled with the input's name: one label per input, not per cell. Each panel is
    one image (the panels stacked, A4 wide), so the figure renders in a fraction of a second.
    """
    import numpy as np
    from matplotlib.patches import Patch

    plt = pyplot()
    inputs = list(table.inputs)
    k = len(inputs) // 2
    row_in, col_in = inputs[:k], inputs[k:]
    kr, kc = len(row_in), len(col_in)
    updates = sorted({r.update for r in table.rows}, key=lambda u: u != "asynchronous")
    labels = sorted({r.label for r in table.rows}, key=lambda s: (("+" in s), s))
    colors = _label_colors(labels, meta)
    palette = np.array([_rgb(colors[lab]) for lab in labels])
    nr, nc = 1 << kr, 1 << kc
    gap = 1
    cell = min(0.075, 5.6 / (kr + gap + nc))  # inches per image cell: a panel at most 5.6 in wide (A4)
    panel_w, panel_h = (kr + gap + nc) * cell, (kc + gap + nr) * cell
    margin_l, margin_t, legend_h = 0.95, 0.35, 0.45  # inches: input names, panel title, the legend
    fig_w = panel_w + margin_l + 0.2
    fig_h = len(updates) * (panel_h + margin_t + 0.55) + legend_h
    fig = plt.figure(figsize=(fig_w, fig_h))

    def bits(n: int, width: int) -> Any:
        return (np.arange(n)[:, None] >> np.arange(width - 1, -1, -1)[None, :]) & 1

    for p, update in enumerate(updates):
        image = np.ones((kc + gap + nr, kr + gap + nc, 3))
        grid = image[kc + gap:, kr + gap:]
        for r in table.rows:
            if r.update == update:
                i = int("".join(str(r.inputs[n]) for n in row_in) or "0", 2)
                j = int("".join(str(r.inputs[n]) for n in col_in) or "0", 2)
                grid[i, j] = palette[labels.index(r.label)]
        image[:kc, kr + gap:] = (1 - 0.6 * bits(nc, kc).T)[..., None]
        image[kc + gap:, :kr] = (1 - 0.6 * bits(nr, kr))[..., None]
        bottom = fig_h - (p + 1) * (panel_h + margin_t + 0.55) + 0.55
        ax = fig.add_axes((margin_l / fig_w, bottom / fig_h, panel_w / fig_w, panel_h / fig_h))
        ax.imshow(image, interpolation="none", aspect="equal")
        ax.set_yticks(range(kc))
        ax.set_yticklabels(col_in, fontsize=6)
        ax.set_xticks(range(kr))
        ax.set_xticklabels(row_in, fontsize=6, rotation=90)
        ax.tick_params(length=0, pad=1.5)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title(f"{table.model}: {update} ({nr} × {nc} input combinations)", fontsize=8)
    fig.legend(handles=[Patch(color=colors[lab], label=lab) for lab in labels], loc="lower center",
               ncol=min(len(labels), 5), fontsize=7, frameon=False)
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
    fig, ax = plt.subplots(figsize=(1.8 + 0.95 * len(ivs), 1.2 + 0.32 * len(conds)))
    ax.imshow(grid, cmap=ListedColormap([colors[lab] for lab in labels]), vmin=-0.5, vmax=len(labels) - 0.5,
              aspect="auto")
    for (i, j), t in text.items():
        ax.text(j, i, t, ha="center", va="center", fontsize=6, color="white")
    ax.set_xticks(range(len(ivs)))
    ax.set_xticklabels(ivs, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(range(len(conds)))
    ax.set_yticklabels(conds, fontsize=7)
    ax.set_title("phenotype by named condition × intervention", fontsize=9)
    fig.tight_layout()  # one layout pass, kept for both formats
    return save_figure(fig, stem)


def _layers(model: Model) -> dict[str, int]:
    """A layer (row) per node: compartments one after another in the metadata's order, and within a
    compartment the longest path from its upstream nodes (cycles condensed)."""
    import networkx as nx

    net = model.network
    cell = {n: (model.metadata.cell_of(n) if model.metadata is not None else "other") for n in net.nodes}
    order = list(dict.fromkeys([*(model.metadata.cells if model.metadata is not None else []), *cell.values()]))
    g = net.interaction_graph()
    layer: dict[str, int] = {}
    offset = 0
    for c in order:
        members = [n for n in net.nodes if cell[n] == c]
        if not members:
            continue
        cond = nx.condensation(g.subgraph(members))
        depth: dict[int, int] = {}
        for v in nx.topological_sort(cond):
            depth[v] = max((depth[u] + 1 for u in cond.predecessors(v)), default=0)
        for v, d in depth.items():
            for n in cond.nodes[v]["members"]:
                layer[n] = offset + d
        offset += max(depth.values()) + 1
    return layer


def _render_dot(model: Model, stem: "str | os.PathLike[str]", dot: str) -> list[Path]:
    """The network figure laid out and drawn by graphviz ``dot`` (PNG and SVG)."""
    import subprocess

    from .graph import to_dot

    text = to_dot(model).encode("utf-8")
    paths = []
    for ext, extra in (("png", ["-Gdpi=150"]), ("svg", [])):
        out = subprocess.run([dot, f"-T{ext}", *extra], input=text, capture_output=True, timeout=120, check=True)
        paths.append(atomic_write_bytes(Path(f"{stem}.{ext}"), out.stdout))
    return paths


def plot_network(model: Model, stem: "str | os.PathLike[str]", *, engine: str = "auto") -> list[Path]:
    """The interaction graph, grouped by cell compartment, edges coloured by sign (PNG and SVG).

    ``engine``: ``dot`` (graphviz, when its ``dot`` program is on the PATH: clusters per compartment),
    ``sugiyama`` (igraph's layered layout, drawn with matplotlib: compartments as bands from top to
    bottom, crossings reduced by the barycenter heuristic, long edges routed through the layers), or
    ``auto`` (``dot`` when present, else ``sugiyama``).
    """
    import shutil

    dot = shutil.which("dot") if engine in ("auto", "dot") else None
    if engine == "dot" and dot is None:
        raise FormatError("the dot engine needs graphviz's dot program on the PATH (apt-get install graphviz)")
    if dot is not None:
        return _render_dot(model, stem, dot)
    import textwrap

    import igraph
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Patch
    from matplotlib.path import Path as MplPath

    plt = pyplot()
    net, meta = model.network, model.metadata
    layer = _layers(model)
    edges = [e for e in net.edges() if e.source != e.target]
    g = igraph.Graph(n=len(net.nodes), edges=[(net.index(e.source), net.index(e.target)) for e in edges],
                     directed=True)
    lay = g.layout_sugiyama(layers=[layer[n] for n in net.nodes], hgap=1, vgap=1, maxiter=500)
    # igraph's order within each layer (crossings reduced), then x in inches: each label gets its own
    # width and a dummy vertex (a long edge passing through) a narrow slot, each layer centred
    font = 5.5
    items: dict[int, list[tuple[float, float, tuple[str, int, int]]]] = {}
    for i, n in enumerate(net.nodes):
        x, _ = lay.coords[i]
        items.setdefault(layer[n], []).append((x, 0.12 + 0.0078 * font * len(n), ("node", i, 0)))
    for k, route in enumerate(lay.edge_routing):
        for j, (x, y) in enumerate(route):
            items.setdefault(int(round(y)), []).append((x, 0.05, ("bend", k, j)))
    gap = 0.07
    where: dict[tuple[str, int, int], float] = {}
    widths = {}
    for row, entries in items.items():
        entries.sort(key=lambda t: t[0])
        widths[row] = sum(w for _, w, _ in entries) + gap * (len(entries) - 1)
        x = -widths[row] / 2
        for _, w, key in entries:
            where[key] = x + w / 2
            x += w + gap
    width = max(widths.values())
    row_h = 0.42
    nrows = max(layer.values()) + 1
    margin = 1.0
    fig = plt.figure(figsize=(width + margin + 0.3, nrows * row_h + 1.1))
    ax = fig.add_axes((0, 0.7 / fig.get_figheight(), 1, (nrows * row_h + 0.1) / fig.get_figheight()))
    ax.set_xlim(-width / 2 - margin, width / 2 + 0.3)
    ax.set_ylim((nrows - 0.5) * row_h, -0.6 * row_h)
    ax.axis("off")
    cell = {n: (meta.cell_of(n) if meta is not None else "other") for n in net.nodes}
    order = list(dict.fromkeys([*(meta.cells if meta is not None else []), *cell.values()]))
    titles = {c: meta.cell_info(c).title if meta is not None else c for c in order}
    colors = {c: meta.cell_info(c).color if meta is not None else "#d5dbdb" for c in order}
    for c in order:  # a band behind each compartment, titled in the left margin
        rows = [layer[n] for n in net.nodes if cell[n] == c]
        if not rows:
            continue
        top, bottom = (min(rows) - 0.5) * row_h, (max(rows) + 0.5) * row_h
        ax.axhspan(top, bottom, color="#f2f4f4" if order.index(c) % 2 == 0 else "#fbfcfc", zorder=0)
        ax.text(-width / 2 - margin + 0.08, (top + bottom) / 2, textwrap.fill(titles[c], 16), ha="left",
                va="center", fontsize=6, color="#566573", linespacing=1.1)
    pos = {n: (where[("node", i, 0)], layer[n] * row_h) for i, n in enumerate(net.nodes)}
    for k, e in enumerate(edges):
        bends = [(where[("bend", k, j)], y * row_h) for j, (_, y) in enumerate(lay.edge_routing[k])]
        points = [pos[e.source], *bends, pos[e.target]]
        path = MplPath(points, [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1))
        style = "-|>" if e.sign in ("+", "±") else "-[" if e.sign == "-" else "-"
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle=style, mutation_scale=5, color=SIGN_COLORS[e.sign],
                                     lw=0.55, alpha=0.75, shrinkA=5, shrinkB=5, zorder=1))
    for n, (x, y) in pos.items():
        ax.text(x, y, n, ha="center", va="center", fontsize=font, zorder=2,
                bbox={"boxstyle": "round,pad=0.25", "fc": colors[cell[n]], "ec": "#34495e", "lw": 0.4})
    handles: list[Any] = [Line2D([0], [0], color=SIGN_COLORS[s], label=label)
                          for s, label in (("+", "activation"), ("-", "inhibition"), ("±", "dual"))]
    handles += [Patch(color=colors[c], label=titles[c]) for c in order if c in cell.values()]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=5.5, frameon=False)
    fig.suptitle(f"{net.name}: {len(net)} nodes, {len(net.edges())} regulations", fontsize=8,
                 y=1 - 0.08 / fig.get_figheight(), va="top")
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
    fig.tight_layout()  # one layout pass, kept for both formats
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
    fig.tight_layout()  # one layout pass, kept for both formats
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
    fig.tight_layout()  # one layout pass, kept for both formats
    return save_figure(fig, stem)
