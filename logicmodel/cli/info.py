"""``logicmodel info``: a model at a glance."""
from __future__ import annotations

import argparse

from ..model.bundled import bundled_models
from .common import add_model, load



def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model(p)


def run(args: argparse.Namespace) -> int:
    model = load(args)
    net = model.network
    edges = net.edges()
    print(f"{net.name}: {len(net)} nodes, {len(edges)} regulations "
          f"({sum(e.sign == '+' for e in edges)} activating, {sum(e.sign == '-' for e in edges)} inhibiting, "
          f"{sum(e.sign == '±' for e in edges)} dual)")
    print(f"inputs: {', '.join(net.inputs) or 'none'}")
    print(f"constants: {', '.join(f'{k}={v}' for k, v in net.constants.items()) or 'none'}")
    meta = model.metadata
    if meta is not None:
        print(f"phenotypes: {', '.join(p.name for p in meta.phenotypes)}")
        print(f"conditions: {', '.join(meta.conditions)}")
        print(f"interventions: {', '.join(meta.interventions)}")
        print(f"observations: {len(meta.observations)} in scope, {len(meta.out_of_scope)} out of scope")
    print(f"bundled models: {', '.join(bundled_models())}")
    return 0
