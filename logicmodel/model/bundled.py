"""The models that ship with logicmodel (``networks/``), by name.

Examples
--------
>>> from logicmodel.model.bundled import bundled_models
>>> "osteoclastogenesis" in bundled_models()
True
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import ModelNotFoundError

__all__ = ["DEFAULT_MODEL", "bundled_models", "bundled_path"]

#: The model used when a command is given none.
DEFAULT_MODEL = "osteoclastogenesis"


def _bundled_root() -> Path:
    """Folder of the bundled networks: the installed ``logicmodel.networks`` package, or ``networks/``
    beside the package when running from a source checkout without installing."""
    try:
        return Path(str(resources.files("logicmodel.networks")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent.parent / "networks"


def bundled_models() -> list[str]:
    """Names of the networks that ship with logicmodel."""
    return sorted(p.name[:-5] for p in _bundled_root().iterdir() if p.name.endswith(".bnet"))


def bundled_path(name: str) -> Path:
    """Path of a bundled network's rules file."""
    path = _bundled_root() / f"{name}.bnet"
    if not path.is_file():
        raise ModelNotFoundError(
            f"no model file {name!r} and no bundled model of that name (bundled: {', '.join(bundled_models())})"
        )
    return path
