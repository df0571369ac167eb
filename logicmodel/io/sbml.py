"""SBML Level 3 qual (SBML-qual) import and export, with python-libsbml.

Export writes the profile that GINsim/bioLQM, biodivine AEON, MaBoSS, BoolNet and
CellCollective all read correctly (see ``shared/ecosystem/sbml_qual.md`` §2):

- one compartment; one ``qualitativeSpecies`` per node with ``maxLevel`` 1 and
  ``name`` equal to ``id`` (readers that name variables after ``name`` keep ours);
- **inputs (rule ``X, X``) are non-constant species with an identity transition**
  (``X := X``). AEON then keeps them as state variables, so its attractors are ours;
  a constant species without a transition would become a parameter ("colour") there.
  bioLQM, MaBoSS and BoolNet read the identity as a free input;
- one transition per node: every regulator declared as an ``input`` with its
  sign computed from the rule (``dual`` when non-monotone, ``unknown`` when the rule
  does not depend on it), one ``output``, a ``defaultTerm`` 0 and exactly one
  ``functionTerm`` at level 1 whose MathML compares species with integer constants;
  a constant rule is a transition with only a ``defaultTerm`` at the constant;
- annotations: node names and descriptions as notes, database identifiers as MIRIAM
  ``bqbiol:is`` identifiers.org URIs, rule evidence as ``bqbiol:isDescribedBy``,
  the model's citation and notes on the model.

Import reads Boolean SBML-qual as written by GINsim/bioLQM, CellCollective, BoolNet,
AEON and ourselves: both threshold idioms (integer constants, and an input id
standing for its threshold), several function terms (their disjunction), constant
species as inputs, and ``and or not xor implies eq neq lt leq gt geq true false``.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import FormatError, RuleParseError
from ..model.metadata import Metadata
from ..model.network import Network
from ..model.rules import And, Const, Expr, Not, Or, Var, check_name, depth
from ..model.rules import rename as rename_nodes
from .files import atomic_write_text, read_model_text

__all__ = ["to_sbml_qual", "write_sbml_qual", "from_sbml_qual", "read_sbml_qual", "sbml_errors"]

_MATHML = "http://www.w3.org/1998/Math/MathML"
_SIGNS = {"+": "INPUT_SIGN_POSITIVE", "-": "INPUT_SIGN_NEGATIVE", "±": "INPUT_SIGN_DUAL", "0": "INPUT_SIGN_UNKNOWN"}


def _libsbml() -> Any:
    try:
        import libsbml
    except ImportError:  # pragma: no cover
        raise FormatError("SBML-qual needs python-libsbml (pip install python-libsbml)") from None
    return libsbml


# ----------------------------------------------------------------------------- export
def _mathml(expr: Expr) -> str:
    """The MathML content of a rule (without the ``<math>`` element), written with an explicit stack."""
    parts: list[str] = []
    stack: list[Expr | str] = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, str):
            parts.append(e)
        elif isinstance(e, Var):
            parts.append(f'<apply><eq/><ci> {e.name} </ci><cn type="integer"> 1 </cn></apply>')
        elif isinstance(e, Const):
            parts.append("<true/>" if e.value else "<false/>")
        elif isinstance(e, Not) and isinstance(e.arg, Var):
            parts.append(f'<apply><eq/><ci> {e.arg.name} </ci><cn type="integer"> 0 </cn></apply>')
        else:
            op = "not" if isinstance(e, Not) else "and" if isinstance(e, And) else "or"
            parts.append(f"<apply><{op}/>")
            stack.append("</apply>")
            stack.extend(reversed(e.children))
    return "".join(parts)


#: The stand-in for a rule's MathML while libsbml writes the document; the rule's own MathML replaces it
#: after. libsbml never holds a rule's tree: its MathML reader and writer recurse (and crash past a few
#: thousand levels), and its writer indents every level.
_PLACEHOLDER = "logicmodel_rule_{}"
_PLACEHOLDER_RE = re.compile(r"<ci>\s*logicmodel_rule_(\d+)\s*</ci>")
#: XML nested deeper than this is refused before libsbml reads it (and not written).
MAX_XML_DEPTH = 50_000
#: Levels of XML around a function term's MathML (sbml, model, qual:listOfTransitions, ..., math, apply).
_DOCUMENT_DEPTH = 10
#: The stack of the thread in which libsbml reads a document (its parser recurses once per level).
_READER_STACK = 512 * 1024 * 1024


_CURIE_URI = {
    "uniprot": "https://identifiers.org/uniprot:{}",
    "chebi": "https://identifiers.org/{}",  # value already "CHEBI:nnnn"
    "drugbank": "https://identifiers.org/drugbank:{}",
    "ncbigene": "https://identifiers.org/ncbigene:{}",
    "PMID": "https://identifiers.org/pubmed:{}",
    "PMC": "https://identifiers.org/pmc:{}",
    "DOI": "https://identifiers.org/doi:{}",
}


def _evidence_uri(item: str) -> str | None:
    kind, _, value = item.partition(":")
    fmt = _CURIE_URI.get(kind)
    return fmt.format(value) if fmt and kind != "REF" else None


def _id_uri(kind: str, value: str) -> str:
    fmt = _CURIE_URI.get(kind.lower()) or _CURIE_URI.get(kind)
    if fmt is None:
        return f"https://identifiers.org/{kind}:{value}"
    return fmt.format(value)


def _notes(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    return f'<body xmlns="http://www.w3.org/1999/xhtml">{body}</body>'


def _cv(sbase: Any, libsbml: Any, qualifier: int, uris: list[str | None]) -> None:
    uris = [u for u in uris if u]
    if not uris:
        return
    term = libsbml.CVTerm(libsbml.BIOLOGICAL_QUALIFIER)
    term.setBiologicalQualifierType(qualifier)
    for u in uris:
        term.addResource(u)
    _check(sbase.addCVTerm(term), libsbml, f"annotation of {sbase.getId() or sbase.getMetaId()}")


def _check(code: int, libsbml: Any, what: str) -> None:
    if code is not None and code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise FormatError(f"libsbml refused {what}: {libsbml.OperationReturnValue_toString(code)}")


def _sid(text: str) -> str:
    sid = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return sid if re.match(r"^[A-Za-z_]", sid) else f"m_{sid}"


def to_sbml_qual(network: Network, metadata: Metadata | None = None) -> str:
    """The network as an SBML L3 qual document (text); ``metadata`` adds names, identifiers and evidence."""
    libsbml = _libsbml()
    doc = libsbml.SBMLDocument(libsbml.SBMLNamespaces(3, 1, "qual", 1))
    doc.setPackageRequired("qual", True)
    model = doc.createModel()
    model.setId(_sid(network.name))
    model.setMetaId(f"meta_{_sid(network.name)}")
    info = (metadata.model if metadata is not None else {}) or {}
    model.setName(str(info.get("title", network.name)))
    paragraphs = [info.get("citation", ""), info.get("reading", "").strip(), info.get("notes", "").strip()]
    if any(paragraphs):
        model.setNotes(_notes([p for p in paragraphs if p]))
    if info.get("citation"):
        dois = re.findall(r"10\.\d{4,}/\S+", info["citation"])
        _cv(model, libsbml, libsbml.BQB_IS_DESCRIBED_BY, [_id_uri("DOI", d) for d in dois])
    comp = model.createCompartment()
    comp.setId("cell")
    comp.setConstant(True)
    qual = model.getPlugin("qual")
    inputs = set(network.inputs)
    defaults = {n: i.default for n, i in metadata.inputs.items()} if metadata is not None else {}
    nodes_meta = metadata.nodes if metadata is not None else {}
    for node in network.nodes:
        sp = qual.createQualitativeSpecies()
        sp.setId(node)
        sp.setName(node)
        sp.setMetaId(f"meta_{node}")
        sp.setCompartment("cell")
        sp.setConstant(False)
        sp.setMaxLevel(1)
        if node in defaults:
            sp.setInitialLevel(defaults[node])
        info_n = nodes_meta.get(node)
        if info_n is not None:
            sp.setNotes(_notes([f"{info_n.name}: {info_n.description}", info_n.justification]))
            _cv(sp, libsbml, libsbml.BQB_IS, [_id_uri(k, v) for k, v in info_n.ids.items()])
            if node in inputs:  # an input's evidence describes the species itself
                _cv(sp, libsbml, libsbml.BQB_IS_DESCRIBED_BY, [_evidence_uri(e) for e in info_n.evidence])
    signs = {(e.source, e.target): e.sign for e in network.edges()}
    maths: list[str] = []  # the MathML of each function term, put in place of its placeholder
    for node in network.nodes:
        tr = qual.createTransition()
        tr.setId(f"tr_{node}")
        tr.setMetaId(f"meta_tr_{node}")
        for reg in network.regulators(node):
            inp = tr.createInput()
            inp.setId(f"tr_{node}_in_{reg}")
            inp.setQualitativeSpecies(reg)
            inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
            inp.setSign(getattr(libsbml, _SIGNS[signs[(reg, node)]]))
            inp.setThresholdLevel(1)
        out = tr.createOutput()
        out.setId(f"tr_{node}_out")
        out.setQualitativeSpecies(node)
        out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        rule = network.rule(node)
        default = tr.createDefaultTerm()
        if isinstance(rule, Const):
            default.setResultLevel(int(rule.value))
        elif depth(rule) + _DOCUMENT_DEPTH > MAX_XML_DEPTH:
            raise FormatError(f"the rule of {node!r} nests {depth(rule):,} levels deep; SBML-qual files are read up to "
                              f"{MAX_XML_DEPTH:,} levels of XML, so this one could not be read back (bnet keeps it)",
                              source=network.source, element=f"tr_{node}")
        else:
            default.setResultLevel(0)
            term = tr.createFunctionTerm()
            term.setResultLevel(1)
            ast = libsbml.readMathMLFromString(
                f'<math xmlns="{_MATHML}"><ci> {_PLACEHOLDER.format(len(maths))} </ci></math>')
            maths.append(_mathml(rule))
            _check(term.setMath(ast), libsbml, f"the function of tr_{node}")
        info_n = nodes_meta.get(node)
        if info_n is not None:
            _cv(tr, libsbml, libsbml.BQB_IS_DESCRIBED_BY, [_evidence_uri(e) for e in info_n.evidence])
            refs = [e[4:] for e in info_n.evidence if e.startswith("REF:")]
            tr.setNotes(_notes([f"Rule: {node} = {rule.to_bnet()}", info_n.justification]
                               + [f"Reference: {r}" for r in refs]))
    text: str = libsbml.writeSBMLToString(doc)
    return _PLACEHOLDER_RE.sub(lambda m: maths[int(m.group(1))], text)


def write_sbml_qual(network: Network, path: "str | os.PathLike[str]", metadata: Metadata | None = None) -> Path:
    """Write the network as SBML-qual, atomically (an error never leaves a half-written file)."""
    return atomic_write_text(path, to_sbml_qual(network, metadata))


def sbml_errors(text: str, *, consistency: bool = True) -> list[str]:
    """libsbml's errors (severity error or fatal) on reading ``text`` and, optionally, its consistency checks;
    a document :func:`from_sbml_qual` refuses before libsbml reads it gives that one reason."""
    try:
        _scan_xml(text, "<text>")
    except FormatError as err:
        return [str(err)]
    return _with_reader_stack(lambda: _sbml_errors(text, consistency))


def _sbml_errors(text: str, consistency: bool) -> list[str]:
    libsbml = _libsbml()
    doc = libsbml.readSBMLFromString(text)
    out = []
    log = doc.getErrorLog()
    for i in range(log.getNumErrors()):
        e = log.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            out.append(f"line {e.getLine()}: [{e.getErrorId()}] {e.getShortMessage()}: {e.getMessage().strip()}")
    if consistency:
        doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
        doc.checkConsistency()
        log = doc.getErrorLog()
        for i in range(log.getNumErrors()):
            e = log.getError(i)
            msg = f"line {e.getLine()}: [{e.getErrorId()}] {e.getShortMessage()}: {e.getMessage().strip()}"
            if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR and msg not in out:
                out.append(msg)
    return out


# ----------------------------------------------------------------------------- import
class _Ctx:
    def __init__(self, source: str, transition: str, species: dict[str, int],
                 inputs: dict[str, tuple[str, int]]) -> None:
        self.source = source
        self.transition = transition
        self.species = species  # id -> maxLevel
        self.inputs = inputs  # input id -> (species, threshold)

    def fail(self, problem: str) -> FormatError:
        return FormatError(problem, source=self.source, element=self.transition)


_RELATIONS = {"eq", "neq", "lt", "leq", "gt", "geq"}
_MIRROR = {"eq": "eq", "neq": "neq", "lt": "gt", "gt": "lt", "leq": "geq", "geq": "leq"}


def _compare(op: str, species: str, c: int) -> Expr:
    """``species OP c`` for a Boolean species, as an expression."""
    truth = {v: {"eq": v == c, "neq": v != c, "lt": v < c, "leq": v <= c, "gt": v > c, "geq": v >= c}[op] for v in (0, 1)}
    if truth[0] and truth[1]:
        return Const(True)
    if not truth[0] and not truth[1]:
        return Const(False)
    return Var(species) if truth[1] else Not(Var(species))


def _operand(node: Any, ctx: _Ctx, libsbml: Any) -> tuple[str, Any]:
    """('species', id) or ('const', int) for one side of a comparison."""
    t = node.getType()
    if t == libsbml.AST_INTEGER:
        return "const", int(node.getInteger())
    if t == libsbml.AST_REAL:
        v = node.getReal()
        if float(v).is_integer():
            return "const", int(v)
        raise ctx.fail(f"non-integer threshold {v} in a comparison")
    if t == libsbml.AST_NAME:
        name = node.getName()
        if name in ctx.species:
            return "species", name
        if name in ctx.inputs:  # the input id stands for its threshold level
            return "const", ctx.inputs[name][1]
        raise ctx.fail(f"<ci> {name} </ci> names no species and no input of this transition")
    raise ctx.fail(f"unsupported operand {_describe(node, libsbml)!r} in a comparison")


def _describe(node: Any, libsbml: Any) -> str:
    """A MathML node as text for a message: the formula when it is small, else its operator."""
    size, stack = 0, [node]
    while stack and size <= 50:
        n = stack.pop()
        size += 1
        stack.extend(n.getChild(i) for i in range(n.getNumChildren()))
    if size <= 50:
        return str(libsbml.formulaToL3String(node))
    return f"{node.getOperatorName() or node.getName() or 'an expression'}(...)"


#: The most arguments of one ``<xor/>`` read from MathML (its and/or/not form doubles per argument).
MAX_XOR_ARGUMENTS = 10


def _expr(root: Any, ctx: _Ctx, libsbml: Any) -> Expr:
    """A function term's MathML as an expression, with an explicit stack (MathML may nest thousands deep)."""
    logical = {libsbml.AST_LOGICAL_AND, libsbml.AST_LOGICAL_OR, libsbml.AST_LOGICAL_NOT, libsbml.AST_LOGICAL_XOR,
               getattr(libsbml, "AST_LOGICAL_IMPLIES", -999)}
    stack: list[tuple[Any, bool]] = [(root, False)]
    values: list[Expr] = []
    while stack:
        node, ready = stack.pop()
        t = node.getType()
        n = node.getNumChildren()
        if t not in logical:
            values.append(_atom(node, ctx, libsbml))
        elif not ready:
            if t == libsbml.AST_LOGICAL_NOT and n != 1:
                raise ctx.fail(f"<not/> needs one argument, not {n}")
            if t == libsbml.AST_LOGICAL_XOR and n > MAX_XOR_ARGUMENTS:
                raise ctx.fail(f"<xor/> of {n} arguments: bnet rules have no xor, and written with and/or/not "
                               f"the rule would double in size per argument (at most {MAX_XOR_ARGUMENTS} are read)")
            if t not in (libsbml.AST_LOGICAL_AND, libsbml.AST_LOGICAL_OR, libsbml.AST_LOGICAL_NOT,
                         libsbml.AST_LOGICAL_XOR) and n != 2:
                raise ctx.fail(f"<implies/> needs two arguments, not {n}")
            stack.append((node, True))
            stack.extend((node.getChild(i), False) for i in reversed(range(n)))
        else:
            args = values[len(values) - n:]
            del values[len(values) - n:]
            values.append(_combine(t, args, libsbml))
    return values[0]


def _combine(t: int, args: list[Expr], libsbml: Any) -> Expr:
    """The expression of a logical MathML operator of type ``t`` over its arguments' expressions."""
    if t == libsbml.AST_LOGICAL_AND:
        return And(tuple(args)) if len(args) > 1 else (args[0] if args else Const(True))
    if t == libsbml.AST_LOGICAL_OR:
        return Or(tuple(args)) if len(args) > 1 else (args[0] if args else Const(False))
    if t == libsbml.AST_LOGICAL_NOT:
        return Not(args[0])
    if t == libsbml.AST_LOGICAL_XOR:  # n-ary: true when an odd number of arguments is (none: false)
        if not args:
            return Const(False)
        out = args[0]
        for a in args[1:]:
            out = Or((And((out, Not(a))), And((Not(out), a))))
        return out
    a, b = args  # implies
    return Or((Not(a), b))


def _atom(node: Any, ctx: _Ctx, libsbml: Any) -> Expr:
    """A MathML leaf of a Boolean function: a constant, a bare species or a comparison."""
    t = node.getType()
    n = node.getNumChildren()
    if t == libsbml.AST_CONSTANT_TRUE:
        return Const(True)
    if t == libsbml.AST_CONSTANT_FALSE:
        return Const(False)
    if t == libsbml.AST_NAME:  # a bare species reads as "species >= 1"
        kind, value = _operand(node, ctx, libsbml)
        if kind != "species":
            raise ctx.fail(f"<ci> {node.getName()} </ci> (an input id) cannot stand alone as a condition")
        return Var(value)
    rel = {libsbml.AST_RELATIONAL_EQ: "eq", libsbml.AST_RELATIONAL_NEQ: "neq", libsbml.AST_RELATIONAL_LT: "lt",
           libsbml.AST_RELATIONAL_LEQ: "leq", libsbml.AST_RELATIONAL_GT: "gt", libsbml.AST_RELATIONAL_GEQ: "geq"}.get(t)
    if rel is not None:
        if n != 2:
            raise ctx.fail(f"<{rel}/> with {n} arguments (only two are supported)")
        (ka, va), (kb, vb) = (_operand(node.getChild(i), ctx, libsbml) for i in range(2))
        if ka == "species" and kb == "const":
            return _compare(rel, va, vb)
        if ka == "const" and kb == "species":
            return _compare(_MIRROR[rel], vb, va)
        raise ctx.fail(f"comparison {_describe(node, libsbml)!r} must compare a species with a level")
    raise ctx.fail(f"unsupported MathML element {_describe(node, libsbml)!r}")


def _node_names(qual: Any, use_names: bool, source: str) -> dict[str, str]:
    """Species id → node name: the id, or with ``use_names`` the ``qual:name`` made a valid identifier."""
    out: dict[str, str] = {}
    for i in range(qual.getNumQualitativeSpecies()):
        sp = qual.getQualitativeSpecies(i)
        sid = sp.getId()
        label = sid
        if use_names and sp.isSetName() and sp.getName().strip():
            label = re.sub(r"[^A-Za-z0-9_]", "_", sp.getName().strip())
            if not re.match(r"^[A-Za-z_]", label):
                label = f"n_{label}"
        out[sid] = label
    counts: dict[str, int] = {}
    for label in out.values():
        counts[label] = counts.get(label, 0) + 1
    clashes = sorted(k for k, v in counts.items() if v > 1)
    if clashes:
        raise FormatError(f"several species are named {clashes[0]!r}; read them by id (names=False)", source=source,
                          element=clashes[0])
    return out


def _scan_xml(text: str, source: str) -> None:
    """Refuse, before libsbml reads it, what it must not see: malformed XML, entity declarations (SBML needs
    none; they are how "billion laughs" expansion and external-file (XXE) reads work), an external DTD, and
    elements nested deeper than :data:`MAX_XML_DEPTH`. expat reads without recursion."""
    from xml.parsers import expat

    class Refused(Exception):
        pass

    parser = expat.ParserCreate()
    depth = 0
    limit = MAX_XML_DEPTH if _reader_stack_available() else 2_000

    def start(name: str, attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise Refused(f"elements nested more than {limit:,} deep")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(name: str, *args: object) -> None:
        raise Refused(f"the document declares the XML entity {name!r}; SBML needs no entity declarations, "
                      "and they are refused (entity expansion, external files)")

    def doctype(name: str, system_id: str | None, public_id: str | None, internal: int) -> None:
        if system_id or public_id:
            raise Refused(f"the document names an external DTD ({system_id or public_id!r}); it is not read")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(text, True)
    except Refused as err:
        raise FormatError(f"line {parser.CurrentLineNumber}: {err}", source=source) from None
    except expat.ExpatError as err:
        raise FormatError(f"line {err.lineno}, column {err.offset + 1}: not well-formed XML: "
                          f"{expat.errors.messages[err.code]}", source=source) from None


def _reader_stack_available() -> bool:
    """Whether threads can get the large stack libsbml needs for deep documents (not on every platform)."""
    import threading

    try:
        old = threading.stack_size(_READER_STACK)
    except (ValueError, RuntimeError):  # pragma: no cover
        return False
    threading.stack_size(old)
    return True


T = TypeVar("T")


def _with_reader_stack(work: Callable[[], T]) -> T:
    """``work()`` in a thread with a stack of :data:`_READER_STACK` bytes: libsbml's reader, and the
    destructor of what it read, recurse once per XML level."""
    import threading

    if not _reader_stack_available():  # pragma: no cover
        return work()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:  # handed to the calling thread, which raises it
            outcome["error"] = err

    old = threading.stack_size(_READER_STACK)
    try:
        thread = threading.Thread(target=run, name="logicmodel-sbml-reader", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def from_sbml_qual(text: str, *, name: str = "network", source: str = "<text>", names: bool = False) -> Network:
    """Build a :class:`Network` from SBML-qual text.

    Nodes are named after the species ids, or with ``names=True`` after their
    ``qual:name`` (characters outside ``[A-Za-z0-9_]`` replaced by ``_``), as
    CellCollective files with ids ``S_1, S_2, ...`` need.

    Raises
    ------
    FormatError
        For malformed XML, a document without the qual package, multi-valued species
        (named), a function naming an undeclared species, an unsupported MathML element
        (naming the transition), or a node id that is not a valid node name.
    """
    _scan_xml(text, source)
    return _with_reader_stack(lambda: _from_sbml_qual(text, name, source, names))


def _from_sbml_qual(text: str, name: str, source: str, names: bool) -> Network:
    libsbml = _libsbml()
    doc = libsbml.readSBMLFromString(text)
    log = doc.getErrorLog()
    fatal = [log.getError(i) for i in range(log.getNumErrors())
             if log.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    model = doc.getModel()
    if fatal and (model is None or any(e.getSeverity() == libsbml.LIBSBML_SEV_FATAL or
                                       e.getCategory() == libsbml.LIBSBML_CAT_XML for e in fatal)):
        e = fatal[0]
        raise FormatError(f"line {e.getLine()}: {e.getMessage().strip()}", source=source)
    if model is None:
        raise FormatError("no <model> in the document", source=source)
    qual = model.getPlugin("qual")
    if qual is None or not doc.isPackageEnabled("qual"):
        raise FormatError("not an SBML-qual document (the qual package is not enabled)", source=source)
    species: dict[str, int] = {}
    constant: dict[str, bool] = {}
    order: list[str] = []
    for i in range(qual.getNumQualitativeSpecies()):
        sp = qual.getQualitativeSpecies(i)
        sid = sp.getId()
        max_level = sp.getMaxLevel() if sp.isSetMaxLevel() else 1
        if max_level > 1:
            raise FormatError(f"species {sid!r} is multi-valued (maxLevel {max_level}); only Boolean models "
                              "(maxLevel 1) are supported: Booleanise it first (e.g. with bioLQM)",
                              source=source, element=sid)
        try:
            check_name(sid, source=source)
        except RuleParseError as err:
            raise FormatError(f"species id {sid!r} cannot be a node name: {getattr(err, 'problem', err)}",
                              source=source, element=sid) from None
        species[sid] = max_level
        constant[sid] = sp.getConstant() if sp.isSetConstant() else False
        order.append(sid)
    if not order:
        raise FormatError("the model declares no qualitative species", source=source)
    rules: dict[str, Expr] = {}
    for i in range(qual.getNumTransitions()):
        tr = qual.getTransition(i)
        tid = tr.getId() or f"transition #{i + 1}"
        outs = [tr.getOutput(j) for j in range(tr.getNumOutputs())]
        if len(outs) != 1:
            raise FormatError(f"{len(outs)} outputs (one is supported)", source=source, element=tid)
        out = outs[0].getQualitativeSpecies()
        if out not in species:
            raise FormatError(f"output {out!r} is not a declared species", source=source, element=tid)
        if out in rules:
            raise FormatError(f"species {out!r} is the output of more than one transition", source=source, element=tid)
        if outs[0].isSetTransitionEffect() and outs[0].getTransitionEffect() != libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL:
            raise FormatError("only assignmentLevel outputs are supported", source=source, element=tid)
        inputs: dict[str, tuple[str, int]] = {}
        for j in range(tr.getNumInputs()):
            inp = tr.getInput(j)
            sp = inp.getQualitativeSpecies()
            if sp not in species:
                raise FormatError(f"input {inp.getId() or sp!r} names undeclared species {sp!r}", source=source, element=tid)
            if inp.getId():
                inputs[inp.getId()] = (sp, inp.getThresholdLevel() if inp.isSetThresholdLevel() else 1)
        ctx = _Ctx(source, tid, species, inputs)
        default = tr.getDefaultTerm()
        d = default.getResultLevel() if default is not None and default.isSetResultLevel() else 0
        terms = []
        for j in range(tr.getNumFunctionTerms()):
            ft = tr.getFunctionTerm(j)
            level = ft.getResultLevel()
            if level not in (0, 1):
                raise FormatError(f"resultLevel {level} on a Boolean species", source=source, element=tid)
            if not ft.isSetMath():
                raise FormatError("a functionTerm without MathML", source=source, element=tid)
            terms.append((level, _expr(ft.getMath(), ctx, libsbml)))
        if d not in (0, 1):
            raise FormatError(f"defaultTerm resultLevel {d} on a Boolean species", source=source, element=tid)
        other = [e for lvl, e in terms if lvl != d]
        if not other:
            rule: Expr = Const(bool(d))
        else:
            body = other[0] if len(other) == 1 else Or(tuple(other))
            rule = body if d == 0 else Not(body)
        rules[out] = rule
    for sid in order:
        if sid not in rules:
            rules[sid] = Var(sid)  # a species without a transition (constant or not) is a free input
    if names:
        rename = _node_names(qual, True, source)
        for label in rename.values():
            try:
                check_name(label, source=source)
            except RuleParseError as err:
                raise FormatError(f"name {label!r} cannot be a node name: {getattr(err, 'problem', err)}",
                                  source=source, element=label) from None
        order = [rename[s] for s in order]
        rules = {rename[s]: rename_nodes(e, rename) for s, e in rules.items()}
    try:
        return Network(tuple(order), tuple(rules[s] for s in order), name=name, source=source)
    except RuleParseError as err:  # e.g. a rule naming a species that does not exist
        raise FormatError(str(err), source=source) from None


def read_sbml_qual(path: "str | os.PathLike[str]", *, names: bool = False) -> Network:
    """Read an SBML-qual file (the network is named after the file stem); see :func:`from_sbml_qual`."""
    path = Path(path)
    return from_sbml_qual(read_model_text(path, FormatError), name=path.stem, source=str(path), names=names)
