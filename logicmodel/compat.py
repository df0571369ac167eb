"""Quiet imports of optional third-party tools (pyboolnet logs graphviz warnings at import)."""
from __future__ import annotations

import contextlib
import io
import logging
from types import ModuleType

__all__ = ["quiet_import"]


def quiet_import(name: str) -> ModuleType:
    """Import ``name`` with its import-time log records and console output suppressed."""
    import importlib

    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            module = importlib.import_module(name)
    finally:
        logging.disable(previous)
    for logger_name in ("pyboolnet",):
        logging.getLogger(logger_name).setLevel(logging.ERROR)
    return module
