"""The examples in the docstrings run and give what they say."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "logicmodel", "logicmodel.rules", "logicmodel.network", "logicmodel.dynamics", "logicmodel.attractors",
    "logicmodel.landscape", "logicmodel.perturbations", "logicmodel.io.bnet", "logicmodel.model",
    "logicmodel.conditions", "logicmodel.validation", "logicmodel.screen", "logicmodel.report",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
