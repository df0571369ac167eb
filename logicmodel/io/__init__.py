"""Readers and writers: bnet text, SBML-qual, PyBoolNet primes.

Text and paths are different inputs: ``from_*`` takes text, ``read_*`` a path;
``to_*`` returns text and ``write_*`` writes a file atomically.
"""
from .bnet import from_bnet, read_bnet, to_bnet, write_bnet

__all__ = ["from_bnet", "read_bnet", "to_bnet", "write_bnet"]
