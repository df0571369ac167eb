"""The signed interaction graph as a file: GraphML, SIF or DOT, with node attributes from the metadata.

- **GraphML** (networkx's writer): one node per node of the network with ``name``, ``cell``,
  ``description``, ``rule``, ``input``, ``constant`` and one attribute per database identifier
  (``uniprot``, ``chebi``, ...); one edge per regulation with ``sign`` (``+ - ± 0``) and
  ``interaction`` (``activation``, ``inhibition``, ``dual``, ``none``). Cytoscape, Gephi and yEd read it.
- **SIF** (Cytoscape's simple interaction format): ``source<TAB>interaction<TAB>target`` per line.
- **DOT** (graphviz): nodes coloured and grouped in clusters by cell compartment, edges coloured by
  sign, ``tee`` arrowheads for inhibition; ``dot -Tsvg`` lays it out.

Examples
--------
>>> from logicmodel import from_bnet, Model
>>> from logicmodel.output.graph import to_sif
>>> to_sif(Model(from_bnet("A, A\\nB, A & !B"))).splitlines()
['A\\tactivation\\tA', 'A\\tactivation\\tB', 'B\\tinhibition\\tB']
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ..io.files import atomic_write_text
from ..model.model import Model

__all__ = ["to_graphml", "to_sif", "to_dot", "write_graph", "GRAPH_FORMATS", "INTERACTIONS", "SIGN_COLORS"]

#: Edge sign → interaction name (SIF and GraphML).
INTERACTIONS = {"+": "activation", "-": "inhibition", "±": "dual", "0": "none"}
#: Edge sign → colour (figures and DOT).
SIGN_COLORS = {"+": "#1e8449", "-": "#c0392b", "±": "#7d3c98", "0": "#aab7b8"}
_ARROWHEADS = {"+": "normal", "-": "tee", "±": "odot", "0": "none"}


def _cell(model: Model, node: str) -> str:
    return model.metadata.cell_of(node) if model.metadata is not None else "other"


def _graph(model: Model) -> Any:
    """The interaction graph as a networkx DiGraph with the metadata's node attributes."""
    import networkx as nx

    net, meta = model.network, model.metadata
    g = nx.DiGraph(name=net.name)
    for n in net.nodes:
        attrs: dict[str, Any] = {"rule": net.rule_text(n), "input": n in net.inputs,
                                 "constant": n in net.constants, "cell": _cell(model, n), "name": n,
                                 "description": ""}
        info = meta.nodes.get(n) if meta is not None else None
        if info is not None:
            attrs.update(name=info.name, description=info.description)
            attrs.update({k: v for k, v in info.ids.items()})
        g.add_node(n, **attrs)
    for e in net.edges():
        g.add_edge(e.source, e.target, sign=e.sign, interaction=INTERACTIONS[e.sign])
    return g


def to_graphml(model: Model) -> str:
    """The interaction graph as GraphML text."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(_graph(model), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def to_sif(model: Model) -> str:
    """The interaction graph as SIF: one ``source<TAB>interaction<TAB>target`` line per regulation."""
    return "".join(f"{e.source}\t{INTERACTIONS[e.sign]}\t{e.target}\n" for e in model.network.edges())


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(model: Model) -> str:
    """The interaction graph as graphviz DOT, nodes grouped by cell compartment (``subgraph cluster_*``)."""
    net, meta = model.network, model.metadata
    lines = [f"digraph {_quote(net.name)} {{", '  graph [rankdir=TB, newrank=true, fontname="Helvetica", fontsize=11, '
             'nodesep=0.15, ranksep=0.35];',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, height=0.3, margin="0.06,0.03"];',
             "  edge [arrowsize=0.6, penwidth=0.9];"]
    cells = list(dict.fromkeys([*(meta.cells if meta is not None else []), *(_cell(model, n) for n in net.nodes)]))
    for k, cell in enumerate(cells):
        members = [n for n in net.nodes if _cell(model, n) == cell]
        if not members:
            continue
        info = meta.cell_info(cell) if meta is not None else None
        title = info.title if info is not None else cell
        color = info.color if info is not None else "#d5dbdb"
        lines.append(f"  subgraph cluster_{k} {{")
        lines.append(f'    label={_quote(title)}; style="rounded,filled"; color="#d0d3d4"; fillcolor="#f8f9f9";')
        for n in members:
            lines.append(f"    {_quote(n)} [fillcolor={_quote(color)}];")
        lines.append("  }")
    for e in net.edges():
        if e.source == e.target:
            continue
        lines.append(f"  {_quote(e.source)} -> {_quote(e.target)} [color={_quote(SIGN_COLORS[e.sign])}, "
                     f"arrowhead={_ARROWHEADS[e.sign]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: File extension → writer.
GRAPH_FORMATS = {".graphml": to_graphml, ".sif": to_sif, ".dot": to_dot, ".gv": to_dot}


def write_graph(model: Model, path: "str | os.PathLike[str]") -> Path:
    """Write the interaction graph in the format the extension names (``.graphml``, ``.sif``, ``.dot``), atomically."""
    path = Path(path)
    writer = GRAPH_FORMATS.get(path.suffix.lower())
    if writer is None:
        raise FormatError(f"unknown graph format {path.suffix!r}; use one of {', '.join(GRAPH_FORMATS)}",
                          source=str(path))
    return atomic_write_text(path, writer(model))
