"""Readers and writers: bnet text, SBML-qual, PyBoolNet primes.

Text and paths are different inputs: ``from_*`` takes text (or a dict), ``read_*`` a
path; ``to_*`` returns text (or a dict) and ``write_*`` writes a file atomically.
:func:`write_network` chooses the format by extension (``.bnet``, ``.sbml``/``.xml``,
``.json``).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import FormatError
from .bnet import from_bnet, read_bnet, to_bnet, write_bnet
from .primes import from_primes, read_primes, to_primes, write_primes
from .sbml import from_sbml_qual, read_sbml_qual, to_sbml_qual, write_sbml_qual

__all__ = [
    "from_bnet", "read_bnet", "to_bnet", "write_bnet",
    "from_sbml_qual", "read_sbml_qual", "to_sbml_qual", "write_sbml_qual",
    "from_primes", "read_primes", "to_primes", "write_primes",
    "write_network", "FORMATS",
]

#: Extension → format name.
FORMATS = {".bnet": "bnet", ".sbml": "sbml-qual", ".xml": "sbml-qual", ".json": "primes"}


def write_network(network, path: "str | os.PathLike[str]", metadata=None) -> Path:
    """Write ``network`` in the format its extension names (metadata annotates SBML-qual)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "bnet":
        return write_bnet(network, path)
    if fmt == "sbml-qual":
        return write_sbml_qual(network, path, metadata)
    if fmt == "primes":
        return write_primes(network, path)
    raise FormatError(f"unknown output format {path.suffix!r}; use one of {', '.join(FORMATS)}", source=str(path))
