"""SBML-qual export/import and the other formats: validity, round trips, other readers, idioms, errors."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import logicmodel as lm
from logicmodel.cli import main
from logicmodel.io.sbml import sbml_errors
from logicmodel.model.rules import parse_rule

from reference import OSTEO, corpus_path

FIXTURES = Path(__file__).parent / "fixtures" / "sbml"


def _model(name: str) -> lm.Model:
    """The bundled model (with its metadata) or a repository model (rules only)."""
    if name == "osteoclastogenesis":
        return lm.load_model(OSTEO)
    return lm.Model(lm.read_bnet(corpus_path(name)))


def _truth(net: lm.Network, node: str, regs) -> np.ndarray:
    rows = np.arange(1 << len(regs))
    env = {r: ((rows >> j) & 1).astype(bool) for j, r in enumerate(regs)}
    return np.broadcast_to(net.rule(node).evaluate(env), rows.shape)


def same_truth_tables(a: lm.Network, b: lm.Network, *, ordered: bool = True) -> None:
    assert a.nodes == b.nodes if ordered else sorted(a.nodes) == sorted(b.nodes)
    for n in a.nodes:
        regs = sorted(set(a.regulators(n)) | set(b.regulators(n)))
        assert np.array_equal(_truth(a, n, regs), _truth(b, n, regs)), n


def lint(text: str, net: lm.Network) -> list[str]:
    """What libsbml does not check: every <ci> is an input (or input id) of its transition; signs agree."""
    import libsbml

    problems = []
    doc = libsbml.readSBMLFromString(text)
    qual = doc.getModel().getPlugin("qual")
    signs = {(e.source, e.target): e.sign for e in net.edges()}
    want = {"+": libsbml.INPUT_SIGN_POSITIVE, "-": libsbml.INPUT_SIGN_NEGATIVE, "±": libsbml.INPUT_SIGN_DUAL,
            "0": libsbml.INPUT_SIGN_UNKNOWN}
    outputs = []
    for i in range(qual.getNumTransitions()):
        tr = qual.getTransition(i)
        out = tr.getOutput(0).getQualitativeSpecies()
        outputs.append(out)
        names = {tr.getInput(j).getQualitativeSpecies() for j in range(tr.getNumInputs())}
        names |= {tr.getInput(j).getId() for j in range(tr.getNumInputs())}
        if tr.getNumFunctionTerms() > 1:
            problems.append(f"{tr.getId()}: {tr.getNumFunctionTerms()} function terms")
        for j in range(tr.getNumFunctionTerms()):
            ft = tr.getFunctionTerm(j)
            if ft.getResultLevel() != 1:
                problems.append(f"{tr.getId()}: resultLevel {ft.getResultLevel()}")
            stack = [ft.getMath()]
            while stack:
                node = stack.pop()
                if node.getType() == libsbml.AST_NAME and node.getName() not in names:
                    problems.append(f"{tr.getId()}: <ci> {node.getName()} is not an input")
                if node.getType() == libsbml.AST_REAL:
                    problems.append(f"{tr.getId()}: real <cn>")
                stack.extend(node.getChild(k) for k in range(node.getNumChildren()))
        if tr.getDefaultTerm().getResultLevel() not in (0, 1):
            problems.append(f"{tr.getId()}: defaultTerm")
        for j in range(tr.getNumInputs()):
            inp = tr.getInput(j)
            if inp.getSign() != want[signs[(inp.getQualitativeSpecies(), out)]]:
                problems.append(f"{tr.getId()}: sign of {inp.getQualitativeSpecies()}")
    if len(outputs) != len(set(outputs)):
        problems.append("a species is the output of several transitions")
    if sorted(outputs) != sorted(net.nodes):
        problems.append("not every node has exactly one transition")
    return problems


def test_export_is_valid_and_round_trips(format_model, tmp_path):
    name, model = format_model, _model(format_model)
    text = lm.to_sbml_qual(model.network, model.metadata)
    assert sbml_errors(text) == []
    assert lint(text, model.network) == []
    again = lm.from_sbml_qual(text)
    same_truth_tables(model.network, again)
    path = lm.write_sbml_qual(model.network, tmp_path / f"{name}.sbml", model.metadata)
    same_truth_tables(model.network, lm.read_sbml_qual(path))
    assert lm.read_sbml_qual(path).inputs == model.network.inputs


def test_primes_round_trip(format_model, tmp_path):
    model = _model(format_model)
    path = lm.write_primes(model.network, tmp_path / "p.json")
    same_truth_tables(model.network, lm.read_primes(path))
    assert set(json.loads(path.read_text())) == set(model.network.nodes)


def test_annotations_survive(osteo_model):
    import libsbml

    doc = libsbml.readSBMLFromString(lm.to_sbml_qual(osteo_model.network, osteo_model.metadata))
    model = doc.getModel()
    assert "Osteoporos Int 2000" in model.getNotesString()
    qual = model.getPlugin("qual")
    sp = qual.getQualitativeSpecies("RANKL")
    assert "osteocytes" in sp.getNotesString()
    resources = [sp.getCVTerm(i).getResourceURI(j) for i in range(sp.getNumCVTerms())
                 for j in range(sp.getCVTerm(i).getNumResources())]
    assert "https://identifiers.org/uniprot:O14788" in resources
    assert sp.getCVTerm(0).getBiologicalQualifierType() == libsbml.BQB_IS
    estrogen = qual.getQualitativeSpecies("Estrogen")
    uris = {estrogen.getCVTerm(i).getResourceURI(j) for i in range(estrogen.getNumCVTerms())
            for j in range(estrogen.getCVTerm(i).getNumResources())}
    assert "https://identifiers.org/CHEBI:16469" in uris and "https://identifiers.org/pubmed:12697741" in uris
    tr = qual.getTransition("tr_RANK_active")
    term = tr.getCVTerm(0)
    assert term.getBiologicalQualifierType() == libsbml.BQB_IS_DESCRIBED_BY
    assert "https://identifiers.org/pubmed:9950424" in [term.getResourceURI(j) for j in range(term.getNumResources())]
    assert "RANKL in excess of OPG" in tr.getNotesString()


def _aeon_sizes(path: Path, fixed: dict[str, int]):
    ba = pytest.importorskip("biodivine_aeon")
    bn = ba.BooleanNetwork.from_file(str(path))
    graph = ba.AsynchronousGraph(bn)
    if fixed:  # inputs never change, so their subspace is a trap set
        atts = ba.Attractors.attractors(graph, graph.mk_subspace({k: bool(v) for k, v in fixed.items()}))
    else:
        atts = ba.Attractors.attractors(graph)
    return sorted(int(a.vertices().cardinality()) for a in atts), graph, atts


def test_aeon_reads_our_export_and_agrees(fitting_model, tmp_path):
    name = fitting_model
    net = lm.read_bnet(corpus_path(name))
    path = lm.write_sbml_qual(net, tmp_path / f"{name}.sbml")
    sizes, _, _ = _aeon_sizes(path, {})
    assert sizes == sorted(a.size for a in lm.attractors(net))


def test_aeon_reads_the_osteoclastogenesis_export(osteo_model, tmp_path):
    path = lm.write_sbml_qual(osteo_model.network, tmp_path / "osteo.sbml", osteo_model.metadata)
    for cname in ("estrogen_deficiency", "baseline"):
        fixed = osteo_model.metadata.condition(cname).values
        sizes, graph, atts = _aeon_sizes(path, fixed)
        ours = lm.attractors(osteo_model.network, fixed=fixed)
        assert sizes == sorted(a.size for a in ours)
        for a in ours:
            rep = graph.mk_subspace_vertices({k: bool(v) for k, v in a.representative.items()})
            assert any(not t.vertices().intersect(rep).is_empty() for t in atts)


def test_maboss_reads_the_same_rules(format_model, tmp_path):
    name, model = format_model, _model(format_model)
    maboss = pytest.importorskip("maboss")
    path = lm.write_sbml_qual(model.network, tmp_path / f"{name}.sbml", model.metadata)
    sim = maboss.loadSBML(str(path), cmaboss=True)
    rules = sim.get_logical_rules()
    assert set(rules) == set(model.network.nodes)
    for node, text in rules.items():
        expr = parse_rule(text, node=node)
        regs = sorted(set(expr.variables()) | set(model.network.regulators(node)))
        rows = np.arange(1 << len(regs))
        env = {r: ((rows >> j) & 1).astype(bool) for j, r in enumerate(regs)}
        theirs = np.broadcast_to(expr.evaluate(env), rows.shape)
        assert np.array_equal(theirs, _truth(model.network, node, regs)), node


@pytest.mark.parametrize(
    "fixture, expected",
    [
        ("biolqm_style", {"A": "A", "B": "A & !C | A & B", "C": "B"}),
        ("threshold_ids", {"A": "B & !D", "B": "!A", "D": "D"}),
        ("two_terms", {"A": "B | C", "B": "B", "C": "C", "K": "1"}),
        ("cellcollective_style", {"S_1": "S_1", "S_2": "S_1 & !S_3", "S_3": "S_2"}),
    ],
)
def test_import_idioms(fixture, expected):
    net = lm.read_sbml_qual(FIXTURES / f"{fixture}.sbml")
    assert list(net.nodes) == list(expected)
    want = lm.Network.from_rules(expected)
    same_truth_tables(net, want)


def test_import_aeon_export(tmp_path):
    """AEON's own SBML (no compartment, extra attribute) still reads, with the same functions."""
    ba = pytest.importorskip("biodivine_aeon")
    net = lm.read_bnet(corpus_path("faure_cellcycle"))
    text = ba.BooleanNetwork.from_bnet(net.to_bnet()).to_sbml()
    same_truth_tables(net, lm.from_sbml_qual(text), ordered=False)  # AEON sorts variables by name


def _fixture_with(tmp_path, old: str, new: str, name: str = "biolqm_style") -> Path:
    text = (FIXTURES / f"{name}.sbml").read_text()
    assert old in text
    path = tmp_path / "bad.sbml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    "old, new, words",
    [
        ('qual:id="C" qual:compartment="comp1" qual:constant="false" qual:maxLevel="1"',
         'qual:id="C" qual:compartment="comp1" qual:constant="false" qual:maxLevel="2"', ["'C'", "multi-valued"]),
        ("<ci> B </ci><cn type=\"integer\"> 1 </cn></apply></math>", "<ci> Q </ci><cn type=\"integer\"> 1 </cn></apply></math>",
         ["tr_C_", "Q"]),
        ("<apply><geq/><ci> B </ci><cn type=\"integer\"> 1 </cn></apply>",
         "<apply><plus/><ci> B </ci><cn type=\"integer\"> 1 </cn></apply>", ["tr_C_", "unsupported"]),
        ("</qual:listOfTransitions>", "</qual:listOfTransitionz>", ["line"]),
    ],
)
def test_import_errors_name_the_element(tmp_path, old, new, words):
    path = _fixture_with(tmp_path, old, new)
    with pytest.raises(lm.FormatError) as info:
        lm.read_sbml_qual(path)
    msg = str(info.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, msg


def test_not_qual_and_not_xml(tmp_path):
    core = tmp_path / "core.xml"
    core.write_text('<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" '
                    'version="1"><model id="m"/></sbml>')
    with pytest.raises(lm.FormatError, match="qual"):
        lm.read_sbml_qual(core)
    junk = tmp_path / "junk.sbml"
    junk.write_text("this is not xml")
    with pytest.raises(lm.FormatError):
        lm.read_sbml_qual(junk)


def test_cli_export_convert_and_errors(tmp_path, capsys):
    out = tmp_path / "m.sbml"
    assert main(["export", "-o", str(out)]) == 0
    assert sbml_errors(out.read_text()) == []
    for ext in ("bnet", "json", "xml"):
        assert main(["convert", str(out), str(tmp_path / f"m.{ext}")]) == 0
    same_truth_tables(lm.read_bnet(tmp_path / "m.bnet"), lm.read_bnet(OSTEO))
    same_truth_tables(lm.read_primes(tmp_path / "m.json"), lm.read_bnet(OSTEO))
    assert main(["attractors", str(tmp_path / "m.xml"), "--set", "Estrogen=0", "--set", "PTH=0", "--json"]) == 0
    capsys.readouterr()
    bad = _fixture_with(tmp_path, 'qual:maxLevel="1"/>\n      <qual:qualitativeSpecies qual:id="B"',
                        'qual:maxLevel="3"/>\n      <qual:qualitativeSpecies qual:id="B"')
    assert main(["attractors", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "multi-valued" in err and "'A'" in err and "Traceback" not in err
    assert main(["convert", str(out), str(tmp_path / "m.txt")]) == 2


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    import logicmodel.io.sbml as sbml

    net = lm.read_bnet(OSTEO)
    target = tmp_path / "x.sbml"
    target.write_text("previous content")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sbml, "to_sbml_qual", lambda *a, **k: "<sbml>partial")
    real_replace = __import__("os").replace
    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(RuntimeError):
        sbml.write_sbml_qual(net, target)
    monkeypatch.setattr("os.replace", real_replace)
    assert target.read_text() == "previous content"
    assert list(tmp_path.iterdir()) == [target]


def test_import_by_names():
    net = lm.read_sbml_qual(FIXTURES / "cellcollective_style.sbml", names=True)
    assert net.nodes == ("Growth_factor", "Receptor_kinase", "Phosphatase")
    same_truth_tables(net, lm.Network.from_rules({"Growth_factor": "Growth_factor",
                                                  "Receptor_kinase": "Growth_factor & !Phosphatase",
                                                  "Phosphatase": "Receptor_kinase"}))
