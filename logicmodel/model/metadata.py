"""Model metadata: node annotations, rule evidence, inputs, phenotypes, conditions,
interventions and validation observations, read from a TOML file beside the rules.

Every name the file uses is checked against the network; a typo raises
:class:`~logicmodel.errors.MetadataError` naming the file and the key.
The format is documented in ``docs/metadata.md``.
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import MetadataError
from .phenotypes import OSCILLATING, UNMATCHED, Classifiable, Phenotype, Phenotypes

if TYPE_CHECKING:
    from .network import Network

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Metadata",
    "NodeInfo",
    "InputInfo",
    "CellInfo",
    "Condition",
    "Intervention",
    "Observation",
    "TargetRoles",
    "read_metadata",
    "parse_metadata",
    "DEFAULT_CELL",
    "RELATIONS",
    "INITIAL_STATES",
    "SECTIONS",
]

#: The cell compartment of a node the metadata does not place.
DEFAULT_CELL = "other"
#: Relations an observation may require between the perturbed and the unperturbed network.
RELATIONS = ("at_least_wild_type",)
#: Initial states an observation may restrict the attractors to (those reachable from it).
INITIAL_STATES = ("naive",)
#: The sections a metadata file may have.
SECTIONS = ("model", "cells", "inputs", "phenotypes", "targets", "report", "conditions", "interventions", "nodes",
            "observations", "out_of_scope")
#: Colours of cell compartments declared without one, in declaration order.
_CELL_PALETTE = ("#f4d03f", "#58d68d", "#5dade2", "#f5b041", "#ec7063", "#af7ac5", "#48c9b0", "#d5dbdb")

_CURIE = re.compile(r"^(PMID:\d+|PMC:PMC\d+|DOI:10\.\S+|REF:.+)$")


@dataclass(frozen=True)
class NodeInfo:
    """Annotation of one node and the evidence for its rule."""

    id: str
    name: str
    description: str
    cell: str
    ids: dict[str, str]
    evidence: tuple[str, ...]
    justification: str


@dataclass(frozen=True)
class InputInfo:
    """A physiological input: its baseline value and kind (hormone, cytokine, ...)."""

    node: str
    default: int
    kind: str


@dataclass(frozen=True)
class CellInfo:
    """A cell compartment (or any grouping of nodes): its title and colour in figures and documents."""

    name: str
    title: str
    color: str


@dataclass(frozen=True)
class TargetRoles:
    """Which phenotypes a perturbation screen ranks targets by.

    Attributes
    ----------
    pathological : str
        A condition is pathological when the unperturbed network has an attractor of this phenotype.
    healthy : str
        A perturbation rescues a pathological condition when every attractor has this phenotype.
    """

    pathological: str
    healthy: str


@dataclass(frozen=True)
class Condition:
    """A named condition: values for the physiological inputs (defaults filled in)."""

    name: str
    description: str
    values: dict[str, int]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Intervention:
    """A named perturbation such as a drug: node → fixed value."""

    name: str
    description: str
    values: dict[str, int]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observation:
    """A literature observation encoded as a machine-checked expectation."""

    id: str
    description: str
    perturbation: dict[str, int]
    interventions: tuple[str, ...]
    conditions: "str | tuple[str | dict[str, int], ...]"
    expect: tuple[str, ...]
    nodes: dict[str, int]
    relation: str | None
    from_initial: str | None
    evidence: tuple[str, ...]
    kind: str
    #: the phenotype a relation compares (default: the pathological phenotype of ``[targets]``)
    relation_phenotype: str | None = None


@dataclass(frozen=True, eq=False)
class Metadata:
    """Everything the metadata file says about a network.

    Attributes
    ----------
    source : str
        The file it was read from.
    model : dict
        The ``[model]`` table (name, title, version, citation, reading, notes, biology).
    cells : dict
        Cell compartment name → :class:`CellInfo`, in declaration order.
    nodes : dict
        Node → :class:`NodeInfo`.
    inputs : dict
        Physiological input → :class:`InputInfo`.
    phenotypes : Phenotypes
        The ordered phenotype definitions.
    targets : TargetRoles or None
        Which phenotypes screens rank targets by (``[targets]``).
    report : dict
        The ``[report]`` table (``intervention_conditions``: the named conditions whose
        interventions the report lists).
    conditions, interventions : dict
        Named conditions and interventions.
    observations : tuple of Observation
        Literature observations, checked by :func:`logicmodel.analysis.validation.validate`.
    """

    source: str
    model: dict[str, Any]
    nodes: dict[str, NodeInfo]
    inputs: dict[str, InputInfo]
    phenotypes: Phenotypes
    conditions: dict[str, Condition]
    interventions: dict[str, Intervention]
    observations: tuple[Observation, ...]
    out_of_scope: tuple[dict[str, str], ...] = field(default=())
    cells: dict[str, CellInfo] = field(default_factory=dict)
    targets: TargetRoles | None = None
    report: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------- phenotypes
    def classify(self, attractor: Classifiable) -> str:
        """Phenotype label of an attractor record."""
        return self.phenotypes.classify_attractor(attractor)

    def classify_states(self, rows: npt.ArrayLike, nodes: tuple[str, ...]) -> npt.NDArray[np.int64]:
        """Label index (into :attr:`labels`) of each state row (see :meth:`Phenotypes.classify_states`)."""
        return self.phenotypes.classify_states(rows, nodes)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label an attractor can get, in display order."""
        return self.phenotypes.labels

    def color(self, label: str) -> str:
        """Colour of a phenotype label in figures."""
        return self.phenotypes.color(label)

    def cell_of(self, node: str) -> str:
        """The cell compartment of a node (:data:`DEFAULT_CELL` when the metadata does not say)."""
        info = self.nodes.get(node)
        return info.cell if info is not None else DEFAULT_CELL

    def cell_info(self, cell: str) -> CellInfo:
        """Title and colour of a cell compartment (a grey default for undeclared ones)."""
        return self.cells.get(cell) or CellInfo(cell, cell.replace("_", " ").capitalize(), "#d5dbdb")

    # ----------------------------------------------------------- conditions and interventions
    @property
    def input_defaults(self) -> dict[str, int]:
        return {n: i.default for n, i in self.inputs.items()}

    def condition(self, name: str) -> Condition:
        """A named condition (:class:`MetadataError` listing the names when unknown)."""
        try:
            return self.conditions[name]
        except KeyError:
            raise MetadataError(
                f"unknown condition {name!r}; named conditions: {', '.join(self.conditions)}",
                source=self.source, key="conditions",
            ) from None

    def intervention(self, name: str) -> Intervention:
        """A named intervention (:class:`MetadataError` listing the names when unknown)."""
        try:
            return self.interventions[name]
        except KeyError:
            raise MetadataError(
                f"unknown intervention {name!r}; named interventions: {', '.join(self.interventions)}",
                source=self.source, key="interventions",
            ) from None

    def with_defaults(self, values: Mapping[str, int]) -> dict[str, int]:
        """Input values with every unspecified physiological input at its default."""
        out = self.input_defaults
        out.update(values)
        return out


def _err(source: str, key: str, problem: str) -> MetadataError:
    return MetadataError(problem, source=source, key=key)


def _values(raw: Any, source: str, key: str, nodes: set[str] | tuple[str, ...]) -> dict[str, int]:
    if not isinstance(raw, dict):
        raise _err(source, key, "expected a table of node = 0 or 1")
    out = {}
    for n, v in raw.items():
        if n not in nodes:
            close = difflib.get_close_matches(n, list(nodes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _err(source, f"{key}.{n}", f"{n!r} is not a node of the network{hint}")
        if isinstance(v, float) or not isinstance(v, int) or v not in (0, 1):
            raise _err(source, f"{key}.{n}", f"value must be 0 or 1, got {v!r}")
        out[n] = int(v)
    return out


def _evidence(raw: Any, source: str, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
        raise _err(source, key, "evidence must be a list of strings (PMID:…, PMC:…, DOI:…, REF:…)")
    for e in raw:
        if not _CURIE.match(e):
            raise _err(source, key, f"evidence item {e!r} is not PMID:<digits>, PMC:PMC<digits>, DOI:10.… or REF:<text>")
    return tuple(raw)


def _table(data: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    """``data[key]`` as a table (missing: empty); anything else is an error naming the key."""
    raw = data.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _err(source, key, f"expected a table, got {type(raw).__name__}")
    return raw


def _tables(data: Mapping[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    """``data[key]`` as an array of tables (``[[key]]``; missing: empty)."""
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise _err(source, key, f"expected an array of tables ([[{key}]])")
    return raw


def _entry(raw: Any, source: str, key: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _err(source, key, f"expected a table, got {type(raw).__name__}")
    return raw


def _text(raw: Mapping[str, Any], field_name: str, source: str, key: str, default: str = "") -> str:
    v = raw.get(field_name, default)
    if not isinstance(v, str):
        raise _err(source, f"{key}.{field_name}", f"expected text, got {type(v).__name__}")
    return v


_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def _color(raw: Mapping[str, Any], source: str, key: str, default: str) -> str:
    """A colour as ``#rrggbb`` (or ``#rgb``, ``#rrggbbaa``), or a CSS colour name, returned as ``#rrggbb``."""
    v = _text(raw, "color", source, key, default)
    if _HEX_COLOR.match(v):
        if len(v) == 4:
            v = "#" + "".join(c * 2 for c in v[1:])
        return v[:7].lower()
    from matplotlib.colors import CSS4_COLORS  # only for a colour given by name
    named: str | None = CSS4_COLORS.get(v.strip().lower())  # type: ignore[assignment]  # values are hex text
    if named is None:
        close = difflib.get_close_matches(v.lower(), sorted(CSS4_COLORS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _err(source, f"{key}.color", f"{v!r} is not a colour; give '#rrggbb' or a CSS colour name{hint}")
    return named.lower()


def _names(raw: Any, source: str, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise _err(source, key, "expected a list of names")
    return list(raw)


def _node(n: str, names: set[str], source: str, key: str) -> None:
    if n not in names:
        close = difflib.get_close_matches(n, sorted(names), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _err(source, key, f"{n!r} is not a node of the network{hint}")


def _phenotype(label: str, known: set[str], source: str, key: str) -> str:
    if label not in known and label not in (OSCILLATING, UNMATCHED):
        raise _err(source, key, f"unknown phenotype {label!r}; phenotypes: {', '.join(sorted(known))}")
    return label


def _parse_cells(data: Mapping[str, Any], source: str) -> dict[str, CellInfo]:
    cells: dict[str, CellInfo] = {}
    for k, (name, raw) in enumerate(_table(data, "cells", source).items()):
        entry = _entry(raw, source, f"cells.{name}")
        cells[name] = CellInfo(name, _text(entry, "title", source, f"cells.{name}", name.replace("_", " ")),
                               _color(entry, source, f"cells.{name}", _CELL_PALETTE[k % len(_CELL_PALETTE)]))
    return cells


def _parse_nodes(data: Mapping[str, Any], names: set[str], cells: dict[str, CellInfo],
                 source: str) -> dict[str, NodeInfo]:
    nodes: dict[str, NodeInfo] = {}
    for n, raw in _table(data, "nodes", source).items():
        key = f"nodes.{n}"
        _node(n, names, source, key)
        entry = _entry(raw, source, key)
        cell = _text(entry, "cell", source, key, DEFAULT_CELL)
        if cells and cell not in cells and cell != DEFAULT_CELL:
            raise _err(source, f"{key}.cell", f"unknown cell {cell!r}; declared under [cells]: {', '.join(cells)}")
        ids = entry.get("ids", {}) or {}
        if not isinstance(ids, dict):
            raise _err(source, f"{key}.ids", "ids must be a table, e.g. { uniprot = \"O14788\" }")
        nodes[n] = NodeInfo(
            id=n,
            name=str(entry.get("name", n)),
            description=_text(entry, "description", source, key),
            cell=cell,
            ids={str(k): str(v) for k, v in ids.items()},
            evidence=_evidence(entry.get("evidence"), source, f"{key}.evidence"),
            justification=_text(entry, "justification", source, key),
        )
    return nodes


def _parse_inputs(data: Mapping[str, Any], network: "Network", source: str) -> dict[str, InputInfo]:
    names = set(network.nodes)
    inputs: dict[str, InputInfo] = {}
    for n, raw in _table(data, "inputs", source).items():
        key = f"inputs.{n}"
        _node(n, names, source, key)
        if n not in network.inputs:
            raise _err(source, key, f"{n!r} is not an input of the rules (its rule must be '{n}, {n}')")
        default = raw.get("default", 0) if isinstance(raw, dict) else raw
        _values({n: default}, source, "inputs", names)
        kind = _text(raw, "kind", source, key, "input") if isinstance(raw, dict) else "input"
        inputs[n] = InputInfo(n, int(default), kind)
    return inputs


def _parse_phenotypes(data: Mapping[str, Any], names: set[str], source: str) -> Phenotypes:
    items = []
    for i, raw in enumerate(_tables(data, "phenotypes", source)):
        key = f"phenotypes[{i}]"
        if "name" not in raw or "when" not in raw:
            raise _err(source, key, "a phenotype needs 'name' and 'when'")
        items.append(Phenotype(_text(raw, "name", source, key), _text(raw, "description", source, key),
                               _values(raw["when"], source, f"{key}.when", names),
                               _color(raw, source, key, "#7f8c8d")))
    seen: set[str] = set()
    for p in items:
        if p.name in seen or p.name in (OSCILLATING, UNMATCHED):
            raise _err(source, "phenotypes", f"phenotype name {p.name!r} is duplicated or reserved")
        seen.add(p.name)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if not any(n in b.when and b.when[n] != v for n, v in a.when.items()):
                raise _err(source, "phenotypes",
                           f"phenotypes {a.name!r} and {b.name!r} can match the same attractor; "
                           "give them a node with different required values so every attractor gets one label")
    return Phenotypes(tuple(items))


def _parse_targets(data: Mapping[str, Any], phenotypes: Phenotypes, source: str) -> TargetRoles | None:
    raw = _table(data, "targets", source)
    if not raw:
        return None
    for k in raw:
        if k not in ("pathological", "healthy"):
            raise _err(source, f"targets.{k}", "unknown key (expected 'pathological' and 'healthy')")
    if "pathological" not in raw or "healthy" not in raw:
        raise _err(source, "targets", "give both 'pathological' and 'healthy' (phenotype names)")
    known = set(phenotypes.names)
    return TargetRoles(_phenotype(_text(raw, "pathological", source, "targets"), known, source, "targets.pathological"),
                       _phenotype(_text(raw, "healthy", source, "targets"), known, source, "targets.healthy"))


def _parse_conditions(data: Mapping[str, Any], names: set[str], inputs: dict[str, InputInfo],
                      source: str) -> dict[str, Condition]:
    conditions: dict[str, Condition] = {}
    defaults = {n: i.default for n, i in inputs.items()}
    for name, raw in _table(data, "conditions", source).items():
        key = f"conditions.{name}"
        entry = _entry(raw, source, key)
        values = _values(entry.get("set", {}), source, f"{key}.set", names)
        for n in values:
            if n not in inputs:
                raise _err(source, f"{key}.set.{n}", f"{n!r} is not a physiological input (declared under [inputs])")
        conditions[name] = Condition(name, _text(entry, "description", source, key), {**defaults, **values},
                                     _evidence(entry.get("evidence"), source, f"{key}.evidence"))
    return conditions


def _parse_interventions(data: Mapping[str, Any], names: set[str], source: str) -> dict[str, Intervention]:
    out: dict[str, Intervention] = {}
    for name, raw in _table(data, "interventions", source).items():
        key = f"interventions.{name}"
        entry = _entry(raw, source, key)
        out[name] = Intervention(name, _text(entry, "description", source, key),
                                 _values(entry.get("set", {}), source, f"{key}.set", names),
                                 _evidence(entry.get("evidence"), source, f"{key}.evidence"))
    return out


def _parse_observation(raw: dict[str, Any], index: int, names: set[str], inputs: dict[str, InputInfo],
                       conditions: dict[str, Condition], interventions: dict[str, Intervention],
                       phenotypes: Phenotypes, targets: TargetRoles | None, source: str) -> Observation:
    oid = str(raw.get("id", index))
    key = f"observations[{oid}]"
    conds = raw.get("conditions", ["baseline"])
    cond_spec: str | tuple[str | dict[str, int], ...]
    if isinstance(conds, str):
        if conds not in ("all", "named"):
            raise _err(source, f"{key}.conditions", "conditions must be \"all\", \"named\" or a list")
        cond_spec = conds
    elif isinstance(conds, list):
        items: list[str | dict[str, int]] = []
        for c in conds:
            if isinstance(c, str):
                if c not in conditions:
                    raise _err(source, f"{key}.conditions",
                               f"unknown condition {c!r}; named conditions: {', '.join(conditions)}")
                items.append(c)
            else:
                vals = _values(c, source, f"{key}.conditions", names)
                for n in vals:
                    if n not in inputs:
                        raise _err(source, f"{key}.conditions.{n}", f"{n!r} is not a physiological input")
                items.append(vals)
        cond_spec = tuple(items)
    else:
        raise _err(source, f"{key}.conditions", "conditions must be \"all\", \"named\" or a list")
    ivs = _names(raw.get("interventions", []), source, f"{key}.interventions")
    for iv in ivs:
        if iv not in interventions:
            raise _err(source, f"{key}.interventions", f"unknown intervention {iv!r}; named: {', '.join(interventions)}")
    known = set(phenotypes.names)
    expect = tuple(_phenotype(label, known, source, f"{key}.expect")
                   for label in _names(raw.get("expect", []), source, f"{key}.expect"))
    relation = raw.get("relation")
    if relation is not None and relation not in RELATIONS:
        raise _err(source, f"{key}.relation", f"relation must be one of: {', '.join(RELATIONS)}")
    relation_phenotype = raw.get("relation_phenotype")
    if relation is not None:
        if relation_phenotype is None and targets is not None:
            relation_phenotype = targets.pathological
        if relation_phenotype is None:
            raise _err(source, f"{key}.relation_phenotype",
                       "a relation needs the phenotype it compares (relation_phenotype, or [targets] pathological)")
        _phenotype(str(relation_phenotype), known, source, f"{key}.relation_phenotype")
    from_initial = raw.get("from_initial")
    if from_initial is not None and from_initial not in INITIAL_STATES:
        raise _err(source, f"{key}.from_initial", f"from_initial must be one of: {', '.join(INITIAL_STATES)}")
    obs_nodes = _values(raw.get("nodes", {}), source, f"{key}.nodes", names)
    if not expect and not obs_nodes and relation is None:
        raise _err(source, key, "an observation needs 'expect', 'nodes' or 'relation'")
    return Observation(
        id=oid,
        description=_text(raw, "description", source, key),
        perturbation=_values(raw.get("perturbation", {}), source, f"{key}.perturbation", names),
        interventions=tuple(ivs),
        conditions=cond_spec,
        expect=expect,
        nodes=obs_nodes,
        relation=relation,
        from_initial=from_initial,
        evidence=_evidence(raw.get("evidence"), source, f"{key}.evidence"),
        kind=str(raw.get("kind", "")),
        relation_phenotype=None if relation_phenotype is None else str(relation_phenotype),
    )


def parse_metadata(data: Mapping[str, Any], network: "Network", *, source: str = "<metadata>") -> Metadata:
    """Build :class:`Metadata` from parsed TOML and check it against ``network``.

    Raises
    ------
    MetadataError
        Naming the file and the key, for an unknown section or node, a value other than 0/1, a
        wrong type, an unknown condition, intervention or phenotype.
    """
    if not isinstance(data, Mapping):
        raise _err(source, "", "expected a table at the top level")
    names = set(network.nodes)
    for k in data:
        if k not in SECTIONS:
            raise _err(source, k, f"unknown section (expected one of {', '.join(SECTIONS)})")
    cells = _parse_cells(data, source)
    nodes = _parse_nodes(data, names, cells, source)
    inputs = _parse_inputs(data, network, source)
    phenotypes = _parse_phenotypes(data, names, source)
    targets = _parse_targets(data, phenotypes, source)
    conditions = _parse_conditions(data, names, inputs, source)
    interventions = _parse_interventions(data, names, source)
    observations = []
    seen_ids: set[str] = set()
    for i, raw in enumerate(_tables(data, "observations", source)):
        obs = _parse_observation(raw, i, names, inputs, conditions, interventions, phenotypes, targets, source)
        if obs.id in seen_ids:
            raise _err(source, f"observations[{obs.id}]", f"duplicate observation id {obs.id!r}")
        seen_ids.add(obs.id)
        observations.append(obs)
    report = _table(data, "report", source)
    for k in report:
        if k != "intervention_conditions":
            raise _err(source, f"report.{k}", "unknown key (expected 'intervention_conditions')")
    for c in _names(report.get("intervention_conditions", []), source, "report.intervention_conditions"):
        if c not in conditions:
            raise _err(source, "report.intervention_conditions",
                       f"unknown condition {c!r}; named conditions: {', '.join(conditions)}")
    out_of_scope = tuple({"id": str(r.get("id")), "reason": str(r.get("reason", ""))}
                         for r in _tables(data, "out_of_scope", source))
    return Metadata(
        source=source,
        model=_table(data, "model", source),
        nodes=nodes,
        inputs=inputs,
        phenotypes=phenotypes,
        conditions=conditions,
        interventions=interventions,
        observations=tuple(observations),
        out_of_scope=out_of_scope,
        cells=cells,
        targets=targets,
        report=dict(report),
        raw=dict(data),
    )


def read_metadata(path: "str | os.PathLike[str]", network: "Network") -> Metadata:
    """Read and check a metadata TOML file against ``network``."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise MetadataError("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise MetadataError(f"cannot read: {err}", source=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise MetadataError(f"invalid TOML: {err}", source=str(path)) from None
    return parse_metadata(data, network, source=str(path))
