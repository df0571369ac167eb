"""What a screen's rows say: the change against the unperturbed network, and candidate targets.

A condition is *pathological* when the unperturbed network has an attractor of the model's
pathological phenotype; a perturbation *rescues* it when every attractor then has the healthy
phenotype (both named in the metadata's ``[targets]``; for the bundled model ``resorbing`` and
``quiescent``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model.metadata import TargetRoles

__all__ = ["add_changes", "rank_targets"]

Row = dict[str, Any]
#: The first columns of a screen row, in this order.
HEAD = ["perturbation", "order", "nodes", "values", "condition", "update", "attractors", "phenotype"]


def add_changes(rows: Sequence[Row], labels: Sequence[str], roles: TargetRoles | None) -> list[Row]:
    """Rows with the unperturbed row's phenotype beside each (``base_phenotype``, ``changed``) and,
    with target roles, ``delta_share_<pathological>``."""
    base = {(r["condition"], r["update"]): r for r in rows if r["perturbation"] == "none"}
    head = HEAD + [f"share_{lab}" for lab in labels]
    out = []
    for r in rows:
        b = base.get((r["condition"], r["update"]))
        r = {k: r[k] for k in head if k in r} | {k: v for k, v in r.items() if k not in head}
        if b is not None:
            r["base_phenotype"] = b["phenotype"]
            r["changed"] = r["phenotype"] != b["phenotype"] or any(
                r[f"share_{lab}"] != b[f"share_{lab}"] for lab in labels)
            if roles is not None:
                key = f"share_{roles.pathological}"
                r[f"delta_{key}"] = round(r.get(key, 0.0) - b.get(key, 0.0), 6)
        out.append(r)
    return out


def rank_targets(rows: Sequence[Row], roles: TargetRoles) -> list[Row]:
    """Perturbations that turn pathological conditions fully healthy.

    Ranked by the number of pathological conditions rescued (more first), then whether a part alone
    rescues as much (``redundant_with``), whether it makes other conditions pathological, the
    number of nodes perturbed (fewer first), and the label.
    """
    pathological, healthy = f"share_{roles.pathological}", f"share_{roles.healthy}"
    base = {r["condition"]: r for r in rows if r["perturbation"] == "none"}
    patho = [c for c, r in base.items() if r.get(pathological, 0) > 0]
    by_pert: dict[str, list[Row]] = {}
    for r in rows:
        if r["perturbation"] != "none":
            by_pert.setdefault(r["perturbation"], []).append(r)
    rescues: dict[str, set[str]] = {}
    out = []
    for label, rs in by_pert.items():
        rescued = [r["condition"] for r in rs if r["condition"] in patho and r.get(healthy, 0) == 1.0]
        rescues[label] = set(rescued)
        if not rescued:
            continue
        harmed = [r["condition"] for r in rs if r["condition"] not in patho and r.get(pathological, 0) > 0]
        out.append({
            "perturbation": label,
            "order": rs[0]["order"],
            "rescued": len(rescued),
            "pathological_conditions": len(patho),
            "rescued_conditions": ";".join(rescued),
            "harms_conditions": ";".join(harmed),
            "redundant_with": "",
        })
    for t in out:  # a combination is redundant when one of its parts alone rescues as much
        if t["order"] > 1:
            parts = t["perturbation"].split("+")
            same = [p for p in parts if rescues.get(p, set()) >= set(t["rescued_conditions"].split(";"))]
            t["redundant_with"] = ";".join(same)
    out.sort(key=lambda t: (-t["rescued"], t["redundant_with"] != "", t["harms_conditions"] != "", t["order"],
                            t["perturbation"]))
    for i, t in enumerate(out, 1):
        t["rank"] = i
    return out
