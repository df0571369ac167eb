"""Shared fixtures: the pyboolnet model corpus and independent reference implementations."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
OSTEO = ROOT / "networks" / "osteoclastogenesis.bnet"


def _repository_dir() -> Path:
    from logicmodel.compat import quiet_import

    rep = quiet_import("pyboolnet.repository")
    return Path(os.path.dirname(rep.__file__))


def corpus_names() -> list[str]:
    from logicmodel.compat import quiet_import

    rep = quiet_import("pyboolnet.repository")
    return list(rep.get_all_names())


def corpus_path(name: str) -> Path:
    return _repository_dir() / name / f"{name}.bnet"


# Models of pyboolnet's repository whose percolated state space fits the default cap.
SMALL_CORPUS = [
    "arellano_rootstem", "davidich_yeast", "dinwoodie_life", "dinwoodie_stomatal", "faure_cellcycle",
    "irons_yeast", "krumsiek_myeloid", "multivalued", "n12c5", "n3s1c1a", "n3s1c1b", "n5s3", "n6s1c2",
    "n7s3", "raf", "randomnet_n15k3", "randomnet_n7k3", "saadatpour_guardcell", "tournier_apoptosis",
    "xiao_wnt5a",
]
# Larger ones that fit only after splitting over input combinations (seconds each).
MEDIUM_CORPUS = ["calzone_cellfate", "dahlhaus_neuroplastoma", "remy_tumorigenesis"]


@pytest.fixture(scope="session")
def osteo_model():
    from logicmodel import load_model

    return load_model(OSTEO)


# --------------------------------------------------------------------------- brute-force reference
def explicit_stg(tables: list[tuple[tuple[int, ...], dict[tuple[int, ...], int]]], update: str) -> nx.DiGraph:
    """State-transition graph from explicit truth tables (independent of logicmodel's engine).

    ``tables[i] = (regulator indices, {regulator values: output})``; states are tuples of 0/1.
    """
    n = len(tables)
    g = nx.DiGraph()
    for state in itertools.product((0, 1), repeat=n):
        g.add_node(state)
        nxt = [tables[i][1][tuple(state[r] for r in tables[i][0])] for i in range(n)]
        if update == "synchronous":
            g.add_edge(state, tuple(nxt))
        else:
            for i in range(n):
                if nxt[i] != state[i]:
                    succ = list(state)
                    succ[i] = nxt[i]
                    g.add_edge(state, tuple(succ))
    return g


def reference_attractors(g: nx.DiGraph) -> list[frozenset]:
    """Terminal strongly connected components (networkx)."""
    return sorted((frozenset(c) for c in nx.attracting_components(g)), key=lambda c: (len(c), min(c)))
