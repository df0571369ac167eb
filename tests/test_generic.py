"""The toolkit works on any model with any phenotype names: nothing of the bone model is built in."""
from __future__ import annotations

import json

import logicmodel as lm
from logicmodel.analysis.conditions import condition_table
from logicmodel.analysis.validation import validate
from logicmodel.cli import main
from logicmodel.output.docs import write_model_docs
from logicmodel.output.report import build_report
from logicmodel.screen import screen

RULES = """Signal, Signal
Stress, Stress
Drug, 0
Receptor, Signal & !Drug
Kinase, Receptor | Stress
Out, Kinase
"""
META = """
[model]
title = "A toy pathway"
biology = "A signal activates a receptor; a kinase relays it. A drug blocks the receptor."

[cells.outside]
title = "Outside the cell"
color = "#aaaaaa"

[cells.inside]
title = "Inside the cell"

[inputs]
Signal = { default = 0, kind = "ligand" }
Stress = { default = 0 }

[[phenotypes]]
name = "firing"
when = { Out = 1 }

[[phenotypes]]
name = "silent"
when = { Out = 0 }

[targets]
pathological = "firing"
healthy = "silent"

[conditions.rest]
set = {}

[conditions.stimulated]
set = { Signal = 1 }

[conditions.stressed]
set = { Stress = 1 }

[interventions.blocker]
set = { Drug = 1 }

[nodes.Signal]
cell = "outside"
[nodes.Drug]
cell = "outside"
[nodes.Receptor]
cell = "inside"

[[observations]]
id = "blocked"
description = "The blocker silences a stimulated cell."
interventions = ["blocker"]
conditions = ["stimulated"]
expect = ["silent"]

[[observations]]
id = "kinase-up"
description = "An active kinase fires wherever the wild type does."
perturbation = { Kinase = 1 }
conditions = "all"
relation = "at_least_wild_type"
"""


def _model(tmp_path):
    (tmp_path / "toy.bnet").write_text(RULES)
    (tmp_path / "toy.toml").write_text(META)
    return lm.load_model(tmp_path / "toy.bnet")


def test_screen_ranks_targets_by_the_models_own_phenotypes(tmp_path):
    model = _model(tmp_path)
    res = screen(model, conditions="named", out=tmp_path / "s")
    row = next(r for r in res.rows if r["perturbation"] == "Receptor=KO" and r["condition"] == "stimulated")
    assert row["phenotype"] == "silent" and row["delta_share_firing"] == -1.0
    ranked = {t["perturbation"]: t for t in res.targets}
    assert ranked["Receptor=KO"]["rescued_conditions"] == "stimulated"  # Stress goes around the receptor
    assert ranked["Kinase=KO"]["rescued"] == 2
    assert not any("resorb" in k for r in res.rows for k in r)


def test_report_conditions_validation_and_docs(tmp_path, capsys):
    model = _model(tmp_path)
    report = validate(model)
    assert report.passed and {r.observation.id for r in report.results} == {"blocked", "kinase-up"}
    assert "firing wherever wild type is" in report.results[1].expectation()
    table = condition_table(model, updates=("asynchronous",))
    assert table.counts("asynchronous") == {"firing": 3, "silent": 1}
    rep = build_report(model, tmp_path / "r")
    assert "stressed" in rep.text and "blocker: " in rep.text  # every named condition (no [report] section)
    write_model_docs(model, tmp_path / "d")
    text = (tmp_path / "d" / "model.md").read_text()
    assert "A signal activates a receptor" in text and "### Outside the cell" in text
    assert main(["attractors", str(tmp_path / "toy.bnet"), "--condition", "stimulated", "--json"]) == 0
    assert [a["phenotype"] for a in json.loads(capsys.readouterr().out)["attractors"]] == ["firing"]


def test_a_model_without_target_roles_screens_without_targets(tmp_path):
    model = _model(tmp_path)
    (tmp_path / "toy.toml").write_text(META.replace('[targets]\npathological = "firing"\nhealthy = "silent"\n', "")
                                       .replace('relation = "at_least_wild_type"',
                                                'relation = "at_least_wild_type"\nrelation_phenotype = "firing"'))
    model = lm.load_model(tmp_path / "toy.bnet")
    res = screen(model, conditions="named")
    assert res.targets == () and "delta_share_firing" not in res.rows[1]
    assert validate(model).passed
