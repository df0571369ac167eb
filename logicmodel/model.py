"""Loading models: a network plus (optionally) its metadata, by path or bundled name.

Examples
--------
>>> from logicmodel.model import load_model, bundled_models
>>> "osteoclastogenesis" in bundled_models()
True
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import FormatError, LogicModelError
from .network import Network

__all__ = ["Model", "load_model", "read_network", "bundled_models", "bundled_path", "DEFAULT_MODEL"]

#: The model used when a command is given none.
DEFAULT_MODEL = "osteoclastogenesis"


@dataclass(frozen=True, eq=False)
class Model:
    """A network with its metadata (phenotypes, conditions, interventions, observations), if any.

    Attributes
    ----------
    network : Network
        The rules.
    metadata : Metadata or None
        Parsed metadata file; ``None`` for a bare network.
    path : Path or None
        The rules file.
    """

    network: Network
    metadata: Any = None
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.network.name

    def phenotype_of(self, attractor) -> str | None:
        """The phenotype label of an attractor, or ``None`` without phenotype definitions."""
        if self.metadata is None or not self.metadata.phenotypes:
            return None
        return self.metadata.classify(attractor)


def _bundled_root() -> Path:
    """Folder of the bundled networks: the installed ``logicmodel.networks`` package, or ``networks/``
    beside the package when running from a source checkout without installing."""
    try:
        return Path(str(resources.files("logicmodel.networks")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "networks"


def bundled_models() -> list[str]:
    """Names of the networks that ship with logicmodel."""
    return sorted(p.name[:-5] for p in _bundled_root().iterdir() if p.name.endswith(".bnet"))


def bundled_path(name: str) -> Path:
    """Path of a bundled network's rules file."""
    path = _bundled_root() / f"{name}.bnet"
    if not path.is_file():
        raise LogicModelError(
            f"no model file {name!r} and no bundled model of that name (bundled: {', '.join(bundled_models())})"
        )
    return path


def read_network(path: "str | os.PathLike[str]") -> Network:
    """Read a network file, choosing the format by extension (.bnet, .sbml/.xml, .json primes)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext in (".sbml", ".xml"):
        from .io.sbml import read_sbml_qual

        return read_sbml_qual(path)
    if ext == ".json":
        from .io.primes import read_primes

        return read_primes(path)
    if ext in (".bnet", ".txt", ""):
        from .io.bnet import read_bnet

        return read_bnet(path)
    raise FormatError(f"unknown model format {ext!r} (use .bnet, .sbml/.xml or .json primes)", source=str(path))


def load_model(spec: "str | os.PathLike[str] | None" = None, *, metadata: "str | os.PathLike[str] | None" = None) -> Model:
    """Load a model by path or bundled name (default: the osteoclastogenesis model).

    The metadata file is ``metadata`` if given, else ``<stem>.toml`` beside the rules file if present.
    """
    if spec is None:
        spec = DEFAULT_MODEL
    path = Path(spec)
    if not path.exists() and not any(sep in str(spec) for sep in "/\\") and path.suffix == "":
        path = bundled_path(str(spec))
    elif not path.exists():
        raise LogicModelError(f"{spec}: no such model file")
    network = read_network(path)
    meta_path = Path(metadata) if metadata is not None else path.with_suffix(".toml")
    meta = None
    if metadata is not None or meta_path.is_file():
        from .metadata import read_metadata

        meta = read_metadata(meta_path, network)
    return Model(network=network, metadata=meta, path=path)
