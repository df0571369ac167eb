"""The osteoclastogenesis model: metadata, phenotypes, conditions, validation, report."""
from __future__ import annotations

import itertools
import json
import re

import pytest

import logicmodel as lm
from logicmodel.cli import main
from logicmodel.analysis.conditions import condition_table
from logicmodel.model.metadata import parse_metadata, read_metadata
from logicmodel.analysis.validation import validate

from reference import OSTEO

OSTEO_TOML = OSTEO.with_suffix(".toml")


def test_every_node_is_annotated(osteo_model):
    meta = osteo_model.metadata
    assert set(meta.nodes) == set(osteo_model.network.nodes)
    for n, info in meta.nodes.items():
        assert info.name and info.description, n
        assert info.cell in meta.cells and info.cell != "other", n
        assert info.evidence, f"{n} has no evidence"
        assert info.justification, f"{n} has no justification"


def test_identifiers_where_they_exist(osteo_model):
    meta = osteo_model.metadata
    uniprot = re.compile(r"^[OPQ][0-9][A-Z0-9]{3}[0-9]$|^[A-NR-Z][0-9][A-Z][A-Z0-9]{2}[0-9]$")
    for n, info in meta.nodes.items():
        if "uniprot" in info.ids:
            assert uniprot.match(info.ids["uniprot"]), (n, info.ids)
        if "chebi" in info.ids:
            assert re.match(r"^CHEBI:\d+$", info.ids["chebi"]), n
    # the proteins of the seed review carry their UniProt accession
    for n, acc in {"RANKL": "O14788", "RANK": "Q9Y6Q6", "OPG": "O00300", "MCSF": "P09603", "NFATc1": "O95644",
                   "TRAF6": "Q9Y4K3", "cFos": "P01100", "CTSK": "P43235"}.items():
        assert meta.nodes[n].ids.get("uniprot") == acc
    for n in ("Estrogen", "VitD", "PGE2"):
        assert "chebi" in meta.nodes[n].ids


def test_seed_review_claims_are_in_the_rules(osteo_model):
    net = osteo_model.network
    signs = {(e.source, e.target): e.sign for e in net.edges()}
    assert signs[("OPG_high", "RANK_active")] == "-" and signs[("OPG", "RANK_active")] == "-"
    assert signs[("RANKL", "RANK_active")] == "+" and signs[("RANK", "RANK_active")] == "+"
    # 1,25(OH)2D3, PTH, PGE2 and IL-11 each raise RANKL and lower OPG (through their receptors)
    for mediator in ("VDR", "CREB", "IL11"):
        assert signs[(mediator, "RANKL_high")] == "+" and signs[(mediator, "OPG")] == "-"
    assert signs[("PTH", "CREB")] == "+" and signs[("EP4", "CREB")] == "+" and signs[("VitD", "VDR")] == "+"
    assert signs[("ER_OB", "RANKL_high")] == "-"      # estrogen lowers RANKL
    assert signs[("ER_OCP", "cJun")] == "-"           # ... and RANKL-stimulated osteoclastogenesis
    assert signs[("OPG_Fc", "RANK_active")] == "-"    # OPG as a therapy
    assert net.constants["OPG_Fc"] == 0 and net.constants["Denosumab"] == 0


def test_metadata_typo_is_a_clear_error(tmp_path):
    text = OSTEO_TOML.read_text().replace("[nodes.NFATc1]", "[nodes.NFATC1]", 1)
    bad = tmp_path / "osteo.toml"
    bad.write_text(text)
    with pytest.raises(lm.MetadataError) as info:
        read_metadata(bad, lm.read_bnet(OSTEO))
    msg = str(info.value)
    assert str(bad) in msg and "NFATC1" in msg and "did you mean 'NFATc1'" in msg


@pytest.mark.parametrize(
    "section, key",
    [
        ({"conditions": {"x": {"set": {"Estrogen": 2}}}}, "conditions.x.set.Estrogen"),
        ({"conditions": {"x": {"set": {"RANK": 1}}}}, "conditions.x.set.RANK"),
        ({"interventions": {"x": {"set": {"Denosumb": 1}}}}, "interventions.x.set.Denosumb"),
        ({"phenotypes": [{"name": "a", "when": {"Resorption": 1}}, {"name": "b", "when": {"NFATc1": 1}}]}, "phenotypes"),
        ({"observations": [{"id": "1", "conditions": "named", "expect": ["resorbin"]}]}, "observations[1].expect"),
        ({"inputs": {"RANK": {"default": 1}}}, "inputs.RANK"),
    ],
)
def test_metadata_errors_name_the_key(section, key):
    with pytest.raises(lm.MetadataError) as info:
        parse_metadata(section, lm.read_bnet(OSTEO), source="m.toml")
    assert f"m.toml [{key}]" in str(info.value)


def test_every_attractor_gets_exactly_one_label(osteo_model):
    meta = osteo_model.metadata
    for update in ("asynchronous", "synchronous"):
        res = lm.attractors(osteo_model.network, update)
        for a in res:
            matches = [p.name for p in meta.phenotypes if p.matches(a.fixed)]
            assert len(matches) <= 1
            assert meta.classify(a) in meta.labels


def test_unmatched_and_oscillating_are_reported():
    net = lm.from_bnet("A, !B\nB, A\nC, C\nR, C")
    meta = parse_metadata({"phenotypes": [{"name": "on", "when": {"R": 1, "A": 1}},
                                          {"name": "off", "when": {"R": 0, "A": 0}}]}, net)
    labels = sorted(meta.classify(a) for a in lm.attractors(net))
    assert labels == ["oscillating", "oscillating"]
    meta2 = parse_metadata({"phenotypes": [{"name": "on", "when": {"R": 1, "C": 0}}, {"name": "off", "when": {"R": 0, "C": 1}}]}, net)
    assert sorted(meta2.classify(a) for a in lm.attractors(net)) == ["unmatched", "unmatched"]


def test_condition_table_covers_every_combination_once(osteo_model):
    table = condition_table(osteo_model)
    inputs = table.inputs
    assert len(inputs) == len(osteo_model.metadata.inputs) == 11
    for update in ("asynchronous", "synchronous"):
        combos = [tuple(r.inputs[n] for n in inputs) for r in table.rows if r.update == update]
        assert len(combos) == len(set(combos)) == 2 ** len(inputs)
        assert set(combos) == set(itertools.product((0, 1), repeat=len(inputs)))
        assert all(r.attractors >= 1 for r in table.rows)
    # every named condition appears on the row of its inputs
    for c in osteo_model.metadata.conditions.values():
        rows = [r for r in table.rows if c.name in r.named]
        assert len(rows) == 2 and all(r.inputs == c.values for r in rows)


def test_named_conditions_and_interventions_apply_what_they_say(osteo_model):
    meta = osteo_model.metadata
    c = meta.condition("estrogen_deficiency")
    assert c.values["Estrogen"] == 0 and c.values["MCSF"] == 1
    assert {k: v for k, v in c.values.items() if k not in ("Estrogen",)} == {
        k: v for k, v in meta.input_defaults.items() if k != "Estrogen"}
    res = lm.attractors(osteo_model.network, "asynchronous", c.values)
    for a in res:
        for n, v in c.values.items():
            assert a.fixed[n] == v
    fixed = dict(c.values)
    fixed.update(meta.intervention("opg_fc").values)
    (a,) = lm.attractors(osteo_model.network, "asynchronous", fixed)
    assert a.fixed["OPG_Fc"] == 1 and a.fixed["RANK_active"] == 0 and meta.classify(a) == "quiescent"


def test_validation_passes_in_both_modes(osteo_model):
    report = validate(osteo_model)
    assert len(osteo_model.metadata.observations) >= 30
    failed = [(r.update, r.observation.id, r.got) for r in report.results if not r.passed]
    assert failed == []
    assert report.passed


def test_validation_detects_a_broken_model(osteo_model, tmp_path):
    """A model without OPG's decoy action must fail (the check can fail)."""
    text = OSTEO.read_text().replace(
        "RANK_active,    RANK & RANKL & !OPG_high & (!OPG | RANKL_high) & !OPG_Fc & !Denosumab",
        "RANK_active,    RANK & RANKL & !Denosumab")
    broken = tmp_path / "osteoclastogenesis.bnet"
    broken.write_text(text)
    (tmp_path / "osteoclastogenesis.toml").write_text(OSTEO_TOML.read_text())
    from logicmodel import load_model

    report = validate(load_model(broken), updates=["asynchronous"])
    failed = {r.observation.id for r in report.results if not r.passed}
    assert {"7", "8", "30b", "37e", "51"} <= failed


def test_validate_command(capsys):
    code = main(["validate", "--update", "asynchronous"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"(\d+)/\1 observations reproduced \(asynchronous\)", out)
    code = main(["validate", "--update", "asynchronous", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["passed"] and all(o["passed"] for o in doc["observations"])
    assert {"id", "expectation", "got", "passed", "evidence"} <= set(doc["observations"][0])
    assert len(doc["out_of_scope"]) >= 1 and all(o["reason"] for o in doc["out_of_scope"])


def test_report_and_conditions_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", "rep"]) == 0
    out = capsys.readouterr().out
    assert "estrogen_deficiency" in out and "observations reproduced" in out
    for f in ("conditions.csv", "conditions.json", "conditions_heatmap.png", "conditions_heatmap.svg",
              "validation.csv", "validation.json", "network.png", "network.svg", "report.md",
              "named_conditions.png"):
        assert (tmp_path / "rep" / f).stat().st_size > 0, f
    assert main(["conditions", "--update", "asynchronous", "--out", "c"]) == 0
    doc = json.loads((tmp_path / "c" / "conditions.json").read_text())
    assert len(doc["rows"]) == 2 ** 11
    assert not list(tmp_path.rglob("*.tmp"))


def test_model_docs_generate(osteo_model, tmp_path):
    from logicmodel.output.docs import write_model_docs

    files = write_model_docs(osteo_model, tmp_path)
    text = (tmp_path / "model.md").read_text()
    for n in osteo_model.network.nodes:
        assert f"| **{n}** |" in text, n
    assert "figures/network.png" in text and "figures/conditions_heatmap.png" in text
    assert all(p.stat().st_size > 0 for p in files)
