"""The library type-checks (mypy), as the style guide asks."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from reference import ROOT


@pytest.mark.slow
def test_mypy_is_clean():
    if shutil.which("mypy") is None and subprocess.run([sys.executable, "-m", "mypy", "--version"],
                                                       capture_output=True).returncode != 0:
        pytest.skip("mypy is not installed (it is in the test extra)")
    proc = subprocess.run([sys.executable, "-m", "mypy", "logicmodel"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
