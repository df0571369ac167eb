"""What ``--from`` and ``--to`` name (``reach`` and ``simulate``): a start state and a target subspace."""
from __future__ import annotations

from collections.abc import Mapping

from ..analysis.landscape import naive_state
from ..errors import UsageError
from ..model.model import Model
from ..search import attractors
from .common import parse_set

__all__ = ["start_state", "target_of"]


def start_state(model: Model, spec: str, update: str, fixed: Mapping[str, int]) -> dict[str, int]:
    """The initial state named by ``--from``: naive, a named condition's attractor, or NODE=V,... over naive."""
    net = model.network
    inputs = {n: v for n, v in fixed.items() if n in net.inputs}
    if spec == "naive":
        state = naive_state(net, inputs)
    elif model.metadata is not None and spec in model.metadata.conditions:
        res = attractors(net, update, model.metadata.condition(spec).values)
        state = dict(res.attractors[0].representative)
    elif "=" in spec:
        state = naive_state(net, inputs)
        state.update(net.checked_values(parse_set(spec.split(","), "--from")))
    else:
        raise UsageError(f"--from must be 'naive', a named condition or NODE=V,...; got {spec!r}")
    state.update(fixed)
    return state


def target_of(model: Model, spec: str) -> dict[str, int]:
    """The target named by ``--to``: a phenotype (its defining nodes) or NODE=V,..."""
    meta = model.metadata
    phenotype = meta.phenotypes.get(spec) if meta is not None else None
    if phenotype is not None:
        return dict(phenotype.when)
    if "=" in spec:
        return model.network.checked_values(parse_set(spec.split(","), "--to"))
    names = ", ".join(meta.phenotypes.names) if meta is not None else "none"
    raise UsageError(f"--to must be a phenotype ({names}) or NODE=V,...; got {spec!r}")
