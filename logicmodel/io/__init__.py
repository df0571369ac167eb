"""Readers and writers: bnet text, SBML-qual, PyBoolNet primes.

Text and paths are different inputs: ``from_*`` takes text (or a dict), ``read_*`` a
path; ``to_*`` returns text (or a dict) and ``write_*`` writes a file atomically.
:func:`read_network` and :func:`write_network` choose the format by extension (``.bnet``,
``.sbml``/``.xml``, ``.json``); :func:`load_model` adds the metadata.
"""
from __future__ import annotations

from .bnet import from_bnet, read_bnet, to_bnet, write_bnet
from .formats import FORMATS, load_model, read_network, write_network
from .primes import from_primes, read_primes, to_primes, write_primes
from .sbml import from_sbml_qual, read_sbml_qual, to_sbml_qual, write_sbml_qual

__all__ = [
    "from_bnet", "read_bnet", "to_bnet", "write_bnet",
    "from_sbml_qual", "read_sbml_qual", "to_sbml_qual", "write_sbml_qual",
    "from_primes", "read_primes", "to_primes", "write_primes",
    "read_network", "write_network", "load_model", "FORMATS",
]
