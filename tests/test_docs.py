"""The examples in the docstrings run and give what they say (every module of the package that has some)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import logicmodel


def _modules_with_examples() -> list[str]:
    names = ["logicmodel"] + [m.name for m in pkgutil.walk_packages(logicmodel.__path__, "logicmodel.")]
    out = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and ">>> " in open(spec.origin, encoding="utf-8").read():
            out.append(name)
    return out


MODULES = _modules_with_examples()


def test_the_main_modules_have_examples():
    for name in ("logicmodel", "logicmodel.model.rules", "logicmodel.model.network", "logicmodel.dynamics",
                 "logicmodel.search", "logicmodel.analysis.landscape", "logicmodel.model.perturbations",
                 "logicmodel.io.bnet", "logicmodel.analysis.conditions", "logicmodel.analysis.validation",
                 "logicmodel.screen.run", "logicmodel.output.report"):
        assert name in MODULES, name


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
