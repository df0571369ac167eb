"""Fixtures: the bundled model, and the model corpus chosen by ``--max-nodes``.

Tests that take one of these arguments run once per pyboolnet repository model:

- ``corpus_model``: every model with at most ``--max-nodes`` nodes (default 60: all but jaoude_thdiff);
- ``fitting_model``: those whose every subspace also fits the exhaustive search's default cap
  (needed where the exhaustive engine is one side of a comparison);
- ``stg_model``: those with at most :data:`reference.STG_MAX_NODES` nodes (an explicit state graph);
- ``repository_model``: every model of the repository (format round trips and other cheap checks);
- ``format_model``: the bundled osteoclastogenesis model and every repository model (formats; the
  repository models over :data:`reference.QUICK_NODES` nodes marked ``slow``).

Models with more than :data:`reference.QUICK_NODES` nodes are marked ``slow``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference import OSTEO, QUICK_NODES, STG_MAX_NODES, corpus_names, corpus_nodes, fits_exhaustive  # noqa: E402

#: Default of ``--max-nodes``.
DEFAULT_MAX_NODES = 60


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--max-nodes", type=int, default=DEFAULT_MAX_NODES,
                     help=f"largest repository model (in nodes) the corpus tests use (default {DEFAULT_MAX_NODES})")


def _params(names: list[str]) -> list[object]:
    """One parameter per model; a large model's tests are ``slow``. A model's tests share one pytest-xdist
    group, so the worker that runs them computes its attractors and pyboolnet's primes once
    (``--dist loadgroup``)."""
    return [pytest.param(n, id=n, marks=[pytest.mark.xdist_group(n),
                                         *([pytest.mark.slow] if corpus_nodes(n) > QUICK_NODES else [])])
            for n in names]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    max_nodes = metafunc.config.getoption("--max-nodes")
    within = [n for n in corpus_names() if corpus_nodes(n) <= max_nodes]
    if "corpus_model" in metafunc.fixturenames:
        metafunc.parametrize("corpus_model", _params(within))
    if "fitting_model" in metafunc.fixturenames:
        metafunc.parametrize("fitting_model", _params([n for n in within if fits_exhaustive(n)]))
    if "stg_model" in metafunc.fixturenames:
        metafunc.parametrize("stg_model", _params([n for n in within if corpus_nodes(n) <= STG_MAX_NODES]))
    if "repository_model" in metafunc.fixturenames:
        metafunc.parametrize("repository_model", [pytest.param(n, id=n) for n in corpus_names()])
    if "format_model" in metafunc.fixturenames:
        metafunc.parametrize("format_model", [pytest.param("osteoclastogenesis", id="osteoclastogenesis"),
                                              *_params(list(corpus_names()))])


@pytest.fixture
def campaign(request: pytest.FixtureRequest) -> None:
    """Long campaigns (the fuzz campaign, the whole of jaoude_thdiff against AEON) run only when asked
    for with ``-m slow``, so a plain ``pytest tests`` stays within its ten minutes on two cores."""
    expr = request.config.getoption("markexpr") or ""
    if "slow" not in expr or re.search(r"not\s+slow", expr):
        pytest.skip("a campaign: runs with -m slow")


@pytest.fixture(scope="session")
def osteo_model():  # type: ignore[no-untyped-def]
    import logicmodel as lm

    return lm.load_model(OSTEO)
