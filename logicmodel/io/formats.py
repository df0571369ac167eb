"""Choosing a format by extension: :func:`read_network` beside :func:`write_network`, and
:func:`load_model` (a network file, or a bundled model, with its metadata).

Examples
--------
>>> from logicmodel.io.formats import load_model
>>> model = load_model("osteoclastogenesis")
>>> model.network.name, model.metadata is not None
('osteoclastogenesis', True)
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import FormatError, ModelNotFoundError
from ..model.bundled import DEFAULT_MODEL, bundled_path
from ..model.metadata import Metadata, read_metadata
from ..model.model import Model
from ..model.network import Network
from .bnet import read_bnet, write_bnet
from .primes import read_primes, write_primes
from .sbml import read_sbml_qual, write_sbml_qual

__all__ = ["FORMATS", "read_network", "write_network", "load_model"]

#: Extension → format name.
FORMATS = {".bnet": "bnet", ".sbml": "sbml-qual", ".xml": "sbml-qual", ".json": "primes"}
#: Extensions also read as bnet (BoolNet's plain text, or no extension at all).
_BNET_ALSO = (".txt", "")


def read_network(path: "str | os.PathLike[str]") -> Network:
    """Read a network file, choosing the format by extension (.bnet, .sbml/.xml, .json primes)."""
    path = Path(path)
    ext = path.suffix.lower()
    fmt = FORMATS.get(ext, "bnet" if ext in _BNET_ALSO else None)
    if fmt == "sbml-qual":
        return read_sbml_qual(path)
    if fmt == "primes":
        return read_primes(path)
    if fmt == "bnet":
        return read_bnet(path)
    raise FormatError(f"unknown model format {ext!r} (use .bnet, .sbml/.xml or .json primes)", source=str(path))


def write_network(network: Network, path: "str | os.PathLike[str]", metadata: Metadata | None = None) -> Path:
    """Write ``network`` in the format its extension names (metadata annotates SBML-qual), atomically."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "bnet":
        return write_bnet(network, path)
    if fmt == "sbml-qual":
        return write_sbml_qual(network, path, metadata)
    if fmt == "primes":
        return write_primes(network, path)
    raise FormatError(f"unknown output format {path.suffix!r}; use one of {', '.join(FORMATS)}", source=str(path))


def load_model(spec: "str | os.PathLike[str] | None" = None, *,
               metadata: "str | os.PathLike[str] | None" = None) -> Model:
    """Load a model by path or bundled name (default: the osteoclastogenesis model).

    The metadata file is ``metadata`` if given, else ``<stem>.toml`` beside the rules file if present.
    """
    if spec is None:
        spec = DEFAULT_MODEL
    path = Path(spec)
    if not path.exists() and not any(sep in str(spec) for sep in "/\\") and path.suffix == "":
        path = bundled_path(str(spec))
    elif not path.exists():
        raise ModelNotFoundError(f"{spec}: no such model file")
    if path.is_dir():
        raise FormatError("is a directory, not a model file", source=str(path))
    network = read_network(path)
    meta_path = Path(metadata) if metadata is not None else path.with_suffix(".toml")
    meta = None
    if metadata is not None or meta_path.is_file():
        meta = read_metadata(meta_path, network)
    return Model(network=network, metadata=meta, path=path)
