"""Perturbations and screens: agreement with single runs, workers/backends, resume, errors."""
from __future__ import annotations

import json

import pytest

import logicmodel as lm
from logicmodel.cli import main
from logicmodel.analysis.perturb import perturb
from logicmodel.model.perturbations import Perturbation, enumerate_perturbations
from logicmodel.screen import screen


NODES = ["RANKL", "OPG", "IRF8", "IFNB", "cFos", "ER_OB", "Denosumab"]
CONDS = ["baseline", "estrogen_deficiency", "pth_excess", "inflammatory_ifng"]


def _key(rows):
    return [tuple(sorted(r.items())) for r in rows]


@pytest.fixture(scope="module")
def small_screen(osteo_model):
    return screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS)


def test_enumeration():
    perts = enumerate_perturbations(["A", "B", "C"], "both", 2, constants={"C": 0})
    labels = [p.label for p in perts]
    assert labels[0] == "none"
    assert "C=KO" not in labels and "C=OE" in labels           # a constant-0 node is only over-expressed
    assert "A=KO+A=OE" not in labels                           # never one node twice
    singles = [p for p in perts if p.size == 1]
    doubles = [p for p in perts if p.size == 2]
    assert len(singles) == 5 and len(doubles) == 5 * 4 // 2 - 2  # minus A+A and B+B
    assert len(set(labels)) == len(labels)


def test_screen_rows_match_single_runs(osteo_model, small_screen):
    meta = osteo_model.metadata
    rows = small_screen.rows
    assert len(rows) == small_screen.perturbations * len(CONDS)
    for r in rows:
        values = dict(zip(r["nodes"].split(";"), map(int, r["values"].split(";")))) if r["nodes"] else {}
        fixed = dict(meta.condition(r["condition"]).values)
        fixed.update(values)
        res = lm.attractors(osteo_model.network, "asynchronous", fixed)
        labels = [meta.classify(a) for a in res]
        assert r["attractors"] == len(res)
        for lab in meta.labels:
            assert r[f"share_{lab}"] == pytest.approx(labels.count(lab) / len(labels))
    # and with the perturb() API, including the comparison to the unperturbed network
    r = next(x for x in rows if x["perturbation"] == "OPG=KO" and x["condition"] == "baseline")
    cmp = perturb(osteo_model, Perturbation((("OPG", 0),)), condition="baseline")
    assert cmp.perturbed_phenotypes == {"resorbing": 1} and r["phenotype"] == "resorbing"
    assert r["changed"] and r["base_phenotype"] == "quiescent" and r["delta_share_resorbing"] == 1.0


def test_targets_are_ranked(small_screen):
    targets = small_screen.targets
    top = targets[0]
    assert top["rescued"] == top["pathological_conditions"] == 2       # estrogen deficiency and PTH excess
    labels = [t["perturbation"] for t in targets]
    assert "RANKL=KO" in labels and "Denosumab=OE" in labels and "OPG=KO" not in labels
    assert [t["rank"] for t in targets] == list(range(1, len(targets) + 1))
    ranked = [(-t["rescued"], t["redundant_with"] != "") for t in targets]
    assert ranked == sorted(ranked)


def test_workers_and_dask_give_the_same_table(osteo_model, small_screen, tmp_path):
    two = screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS, workers=2)
    assert _key(two.rows) == _key(small_screen.rows)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS,
                      scheduler=cluster.scheduler_address, out=tmp_path / "d")
    assert _key(dask.rows) == _key(small_screen.rows)
    assert (tmp_path / "d" / "screen.csv").read_text() == small_screen.to_csv()


def test_resume_after_torn_journal(osteo_model, small_screen, tmp_path):
    out = tmp_path / "s"
    full = screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS, out=out)
    journal = out / "screen.jsonl"
    lines = journal.read_text().splitlines(keepends=True)
    kept = lines[: 1 + (len(lines) - 1) // 3]
    journal.write_text("".join(kept) + lines[len(kept)][: 25])  # a torn last write
    (out / "screen.csv").unlink()
    again = screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS, out=out)
    assert again.resumed == len(kept) - 1
    assert again.computed == len(full.rows) - again.resumed
    assert _key(again.rows) == _key(full.rows) == _key(small_screen.rows)
    assert (out / "screen.csv").read_text() == full.to_csv()
    for line in journal.read_text().splitlines():
        json.loads(line)  # the journal is whole again
    third = screen(osteo_model, nodes=NODES, kinds="both", order=2, conditions=CONDS, out=out)
    assert third.computed == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--nodes", "RANKL,Nope"], ["unknown node 'Nope'"]),
        (["--conditions", "baseline,menopause"], ["unknown condition 'menopause'"]),
        (["--nodes", "RANKL,RANKL"], ["twice"]),
        (["--intervention", "aspirin"], ["unknown intervention"]),
    ],
)
def test_screen_errors_before_any_work(args, words, tmp_path, capsys):
    out = tmp_path / "never"
    code = main(["screen", "--out", str(out), "--quiet", *args])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    for w in words:
        assert w in err
    assert not out.exists()


def test_perturb_command(capsys):
    assert main(["perturb", "--ko", "OPG", "--condition", "baseline"]) == 0
    out = capsys.readouterr().out
    assert "unperturbed: 1 attractor(s): quiescent 1" in out and "perturbed:   1 attractor(s): resorbing 1" in out
    assert "RANK_active      0 → 1" in out
    assert main(["perturb", "--intervention", "denosumab", "--condition", "pth_excess", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changed"] and doc["perturbed"]["phenotypes"] == {"quiescent": 1}
    assert main(["perturb", "--ko", "IRF8", "--oe", "IRF8"]) == 2
    assert "both knocked out and over-expressed" in capsys.readouterr().err
    assert main(["perturb", "--ko", "Nope"]) == 2
    assert main(["perturb", "--ko", "OPG", "--condition", "nope"]) == 2


def test_screen_command_writes_outputs(tmp_path, capsys):
    out = tmp_path / "scr"
    assert main(["screen", "--nodes", "RANKL,OPG,CREB", "--order", "1", "--out", str(out), "--quiet",
                 "--workers", "1"]) == 0
    text = capsys.readouterr().out
    assert "candidate therapeutic targets" in text and "RANKL=KO" in text
    for f in ("screen.csv", "screen.json", "targets.csv", "screen_heatmap.png", "screen_heatmap.svg", "screen.jsonl"):
        assert (out / f).stat().st_size > 0
    assert not list(out.glob("*.tmp"))
