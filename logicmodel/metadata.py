"""Model metadata: node annotations, rule evidence, inputs, phenotypes, conditions,
interventions and validation observations, read from a TOML file beside the rules.

Every name the file uses is checked against the network; a typo raises
:class:`~logicmodel.errors.MetadataError` naming the file and the key.
The format is documented in ``docs/metadata.md``.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import MetadataError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Metadata",
    "NodeInfo",
    "InputInfo",
    "Phenotype",
    "Condition",
    "Intervention",
    "Observation",
    "read_metadata",
    "parse_metadata",
    "CELLS",
    "UNMATCHED",
    "OSCILLATING",
]

#: The cell compartments a node may belong to.
CELLS = ("systemic", "drug", "osteoblast_lineage", "precursor", "mature_osteoclast", "other")
#: Label of an attractor whose phenotype nodes oscillate.
OSCILLATING = "oscillating"
#: Label of a fixed attractor that matches no phenotype definition.
UNMATCHED = "unmatched"

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
class Phenotype:
    """A phenotype: nodes that must be fixed at given values across an attractor."""

    name: str
    description: str
    when: dict[str, int]
    color: str = "#7f8c8d"

    def matches(self, fixed: Mapping[str, int]) -> bool:
        return all(fixed.get(n) == v for n, v in self.when.items())


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


@dataclass(frozen=True, eq=False)
class Metadata:
    """Everything the metadata file says about a network."""

    source: str
    model: dict[str, Any]
    nodes: dict[str, NodeInfo]
    inputs: dict[str, InputInfo]
    phenotypes: tuple[Phenotype, ...]
    conditions: dict[str, Condition]
    interventions: dict[str, Intervention]
    observations: tuple[Observation, ...]
    out_of_scope: tuple[dict[str, str], ...] = field(default=())
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------- phenotypes
    def classify_fixed(self, fixed: Mapping[str, int], oscillating: "tuple[str, ...] | list[str]" = ()) -> str:
        """Phenotype label from an attractor's fixed nodes (first match wins)."""
        for p in self.phenotypes:
            if p.matches(fixed):
                return p.name
        watched = {n for p in self.phenotypes for n in p.when}
        if watched & set(oscillating):
            return OSCILLATING
        return UNMATCHED

    def classify(self, attractor) -> str:
        """Phenotype label of an :class:`~logicmodel.attractors.Attractor`."""
        return self.classify_fixed(attractor.fixed, attractor.oscillating)

    def classify_states(self, rows, nodes: tuple[str, ...]):
        """Label index (into :attr:`labels`) of each state row: the first phenotype whose nodes match.

        States that match no phenotype get the index of ``unmatched``.
        """
        import numpy as np

        rows = np.asarray(rows)
        out = np.full(len(rows), self.labels.index(UNMATCHED), dtype=np.int64)
        free = np.ones(len(rows), dtype=bool)
        index = {n: i for i, n in enumerate(nodes)}
        for k, p in enumerate(self.phenotypes):
            match = free.copy()
            for n, v in p.when.items():
                match &= rows[:, index[n]] == v
            out[match] = k
            free &= ~match
        return out

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label an attractor can get, in display order."""
        return tuple(p.name for p in self.phenotypes) + (OSCILLATING, UNMATCHED)

    def color(self, label: str) -> str:
        for p in self.phenotypes:
            if p.name == label:
                return p.color
        return {"oscillating": "#8e44ad", "unmatched": "#7f8c8d"}.get(label, "#bdc3c7")

    # ----------------------------------------------------------- conditions and interventions
    @property
    def input_defaults(self) -> dict[str, int]:
        return {n: i.default for n, i in self.inputs.items()}

    def condition(self, name: str) -> Condition:
        try:
            return self.conditions[name]
        except KeyError:
            raise MetadataError(
                f"unknown condition {name!r}; named conditions: {', '.join(self.conditions)}",
                source=self.source, key="conditions",
            ) from None

    def intervention(self, name: str) -> Intervention:
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


def _values(raw: Any, source: str, key: str, nodes: "set[str] | tuple[str, ...]") -> dict[str, int]:
    if not isinstance(raw, dict):
        raise _err(source, key, "expected a table of node = 0 or 1")
    out = {}
    for n, v in raw.items():
        if n not in nodes:
            import difflib

            close = difflib.get_close_matches(n, list(nodes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _err(source, f"{key}.{n}", f"{n!r} is not a node of the network{hint}")
        if v not in (0, 1) or isinstance(v, float):
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


def parse_metadata(data: Mapping[str, Any], network, *, source: str = "<metadata>") -> Metadata:
    """Build :class:`Metadata` from parsed TOML and check it against ``network``."""
    names = set(network.nodes)
    known = {"model", "inputs", "phenotypes", "conditions", "interventions", "nodes", "observations", "out_of_scope"}
    for k in data:
        if k not in known:
            raise _err(source, k, f"unknown section (expected one of {', '.join(sorted(known))})")

    nodes: dict[str, NodeInfo] = {}
    for n, raw in (data.get("nodes") or {}).items():
        key = f"nodes.{n}"
        if n not in names:
            _values({n: 0}, source, "nodes", names)
        cell = raw.get("cell", "other")
        if cell not in CELLS:
            raise _err(source, f"{key}.cell", f"unknown cell {cell!r}; choose one of {', '.join(CELLS)}")
        ids = raw.get("ids", {}) or {}
        if not isinstance(ids, dict):
            raise _err(source, f"{key}.ids", "ids must be a table, e.g. { uniprot = \"O14788\" }")
        nodes[n] = NodeInfo(
            id=n,
            name=str(raw.get("name", n)),
            description=str(raw.get("description", "")),
            cell=cell,
            ids={str(k): str(v) for k, v in ids.items()},
            evidence=_evidence(raw.get("evidence"), source, f"{key}.evidence"),
            justification=str(raw.get("justification", "")),
        )

    inputs: dict[str, InputInfo] = {}
    for n, raw in (data.get("inputs") or {}).items():
        if n not in names:
            _values({n: 0}, source, "inputs", names)
        if n not in network.inputs:
            raise _err(source, f"inputs.{n}", f"{n!r} is not an input of the rules (its rule must be '{n}, {n}')")
        default = raw.get("default", 0) if isinstance(raw, dict) else raw
        _values({n: default}, source, "inputs", names)
        inputs[n] = InputInfo(n, int(default), str(raw.get("kind", "input")) if isinstance(raw, dict) else "input")

    phenotypes = []
    for i, raw in enumerate(data.get("phenotypes") or []):
        key = f"phenotypes[{i}]"
        if "name" not in raw or "when" not in raw:
            raise _err(source, key, "a phenotype needs 'name' and 'when'")
        phenotypes.append(
            Phenotype(str(raw["name"]), str(raw.get("description", "")), _values(raw["when"], source, f"{key}.when", names),
                      str(raw.get("color", "#7f8c8d")))
        )
    seen_ph: set[str] = set()
    for p in phenotypes:
        if p.name in seen_ph or p.name in (OSCILLATING, UNMATCHED):
            raise _err(source, "phenotypes", f"phenotype name {p.name!r} is duplicated or reserved")
        seen_ph.add(p.name)
    for i, a in enumerate(phenotypes):
        for b in phenotypes[i + 1 :]:
            if not any(n in b.when and b.when[n] != v for n, v in a.when.items()):
                raise _err(source, "phenotypes",
                           f"phenotypes {a.name!r} and {b.name!r} can match the same attractor; "
                           "give them a node with different required values so every attractor gets one label")

    conditions: dict[str, Condition] = {}
    defaults = {n: i.default for n, i in inputs.items()}
    for name, raw in (data.get("conditions") or {}).items():
        key = f"conditions.{name}"
        values = _values(raw.get("set", {}), source, f"{key}.set", names)
        for n in values:
            if n not in inputs:
                raise _err(source, f"{key}.set.{n}", f"{n!r} is not a physiological input (declared under [inputs])")
        full = dict(defaults)
        full.update(values)
        conditions[name] = Condition(name, str(raw.get("description", "")), full, _evidence(raw.get("evidence"), source, f"{key}.evidence"))

    interventions: dict[str, Intervention] = {}
    for name, raw in (data.get("interventions") or {}).items():
        key = f"interventions.{name}"
        interventions[name] = Intervention(
            name, str(raw.get("description", "")), _values(raw.get("set", {}), source, f"{key}.set", names),
            _evidence(raw.get("evidence"), source, f"{key}.evidence"),
        )

    observations = []
    seen_ids: set[str] = set()
    for i, raw in enumerate(data.get("observations") or []):
        oid = str(raw.get("id", i))
        key = f"observations[{oid}]"
        if oid in seen_ids:
            raise _err(source, key, f"duplicate observation id {oid!r}")
        seen_ids.add(oid)
        conds = raw.get("conditions", ["baseline"])
        if isinstance(conds, str):
            if conds not in ("all", "named"):
                raise _err(source, f"{key}.conditions", "conditions must be \"all\", \"named\" or a list")
            cond_spec: Any = conds
        else:
            items: list[str | dict[str, int]] = []
            for c in conds:
                if isinstance(c, str):
                    if c not in conditions:
                        raise _err(source, f"{key}.conditions", f"unknown condition {c!r}; named conditions: {', '.join(conditions)}")
                    items.append(c)
                else:
                    vals = _values(c, source, f"{key}.conditions", names)
                    for n in vals:
                        if n not in inputs:
                            raise _err(source, f"{key}.conditions.{n}", f"{n!r} is not a physiological input")
                    items.append(vals)
            cond_spec = tuple(items)
        for iv in raw.get("interventions", []):
            if iv not in interventions:
                raise _err(source, f"{key}.interventions", f"unknown intervention {iv!r}; named: {', '.join(interventions)}")
        expect = tuple(raw.get("expect", []))
        for label in expect:
            if label not in seen_ph and label not in (OSCILLATING, UNMATCHED):
                raise _err(source, f"{key}.expect", f"unknown phenotype {label!r}; phenotypes: {', '.join(seen_ph)}")
        relation = raw.get("relation")
        if relation not in (None, "at_least_wild_type"):
            raise _err(source, f"{key}.relation", "relation must be \"at_least_wild_type\"")
        from_initial = raw.get("from_initial")
        if from_initial not in (None, "naive"):
            raise _err(source, f"{key}.from_initial", "from_initial must be \"naive\"")
        obs_nodes = _values(raw.get("nodes", {}), source, f"{key}.nodes", names)
        if not expect and not obs_nodes and relation is None:
            raise _err(source, key, "an observation needs 'expect', 'nodes' or 'relation'")
        observations.append(
            Observation(
                id=oid,
                description=str(raw.get("description", "")),
                perturbation=_values(raw.get("perturbation", {}), source, f"{key}.perturbation", names),
                interventions=tuple(raw.get("interventions", [])),
                conditions=cond_spec,
                expect=expect,
                nodes=obs_nodes,
                relation=relation,
                from_initial=from_initial,
                evidence=_evidence(raw.get("evidence"), source, f"{key}.evidence"),
                kind=str(raw.get("kind", "")),
            )
        )
    out_of_scope = tuple({"id": str(r.get("id")), "reason": str(r.get("reason", ""))} for r in data.get("out_of_scope") or [])
    return Metadata(
        source=source,
        model=dict(data.get("model") or {}),
        nodes=nodes,
        inputs=inputs,
        phenotypes=tuple(phenotypes),
        conditions=conditions,
        interventions=interventions,
        observations=tuple(observations),
        out_of_scope=out_of_scope,
        raw=dict(data),
    )


def read_metadata(path: "str | os.PathLike[str]", network) -> Metadata:
    """Read and check a metadata TOML file against ``network``."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise MetadataError("no such file", source=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise MetadataError(f"invalid TOML: {err}", source=str(path)) from None
    return parse_metadata(data, network, source=str(path))
