"""Limits that hold *inside* one CUDD operation.

One BDD operation (a vector compose, a conjunction of two large sets) can run for minutes; it holds
the interpreter the whole time, so a check between operations cannot stop it. CUDD itself can: it
samples a termination callback while it works (every few hundred thousand cache misses) and, when
the callback says stop, abandons the operation, returns ``NULL`` (``dd`` raises ``ValueError`` or ``RuntimeError``) and
leaves every existing BDD intact. ``dd`` does not wrap that callback, so it is registered here
through ``ctypes`` on the manager of a ``dd.cudd.BDD``.

The manager pointer is a private field of ``dd.cudd.BDD``; :func:`_manager` reads it only when the
object's layout is the one expected (the three public fields that follow it hold the very objects
``bdd.vars``, ``bdd._index_of_var`` and ``bdd._var_with_index``). Where that is not so (another
``dd`` release, the pure-Python ``dd.autoref``) :func:`interruptible` does nothing and the limits
are checked between operations only.
"""
from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import SearchIncompleteError

__all__ = ["interruptible", "lookups"]

#: ``int (*DD_THFP)(const void *)``: CUDD's termination callback.
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
#: ``CUDD_TERMINATION`` of ``Cudd_ErrorType``: an operation stopped by the termination callback.
_CUDD_TERMINATION = 5

@functools.lru_cache(maxsize=None)
def _cudd(path: str) -> ctypes.CDLL | None:
    """The CUDD functions of the compiled ``dd.cudd`` extension at ``path`` (``None`` where they are missing)."""
    try:
        lib = ctypes.CDLL(path)  # the already loaded extension: the same CUDD and the same managers
        for name, restype, argtypes in (
                ("Cudd_RegisterTerminationCallback", None, [ctypes.c_void_p, _CALLBACK, ctypes.c_void_p]),
                ("Cudd_UnregisterTerminationCallback", None, [ctypes.c_void_p]),
                ("Cudd_ReadErrorCode", ctypes.c_int, [ctypes.c_void_p]),
                ("Cudd_ClearErrorCode", None, [ctypes.c_void_p]),
                ("Cudd_ReadCacheLookUps", ctypes.c_double, [ctypes.c_void_p]),
                ("Cudd_ReadSize", ctypes.c_int, [ctypes.c_void_p])):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
    except (OSError, AttributeError, TypeError):
        return None
    return lib


def _manager(bdd: Any) -> tuple[Any, int] | None:
    """CUDD's functions and the ``DdManager *`` of a ``dd.cudd.BDD``; ``None`` where the layout is another."""
    cls = type(bdd)
    if cls.__module__ != "dd.cudd" or cls.__name__ != "BDD":
        return None
    lib = _cudd(sys.modules[cls.__module__].__file__)
    if lib is None:
        return None
    # PyObject header (2 words), Cython's vtable pointer, DdManager *manager, then the public fields
    words = (ctypes.c_void_p * 7).from_address(id(bdd))
    expected = (id(bdd.vars), id(bdd._index_of_var), id(bdd._var_with_index))
    if cls.__basicsize__ != ctypes.sizeof(words) or tuple(words[4:7]) != expected or not words[3]:
        return None
    if lib.Cudd_ReadSize(words[3]) != len(bdd.vars):
        return None
    return lib, int(words[3])


@contextmanager
def interruptible(bdd: Any, stop: Callable[[], str | None]) -> Iterator[None]:
    """Let CUDD abandon an operation of ``bdd`` when ``stop()`` names a reason (a message).

    ``stop`` is called from inside CUDD, a few times a second of work; it must be cheap and must not
    touch the manager. An operation so abandoned leaves the block as :class:`SearchIncompleteError`
    with that message.
    """
    found = _manager(bdd)
    if found is None:
        yield
        return
    lib, manager = found
    reason: list[str] = []

    def callback(_arg: int) -> int:
        if not reason:
            why = stop()
            if why is not None:
                reason.append(why)
        return 1 if reason else 0

    handle = _CALLBACK(callback)  # kept alive until unregistered
    lib.Cudd_RegisterTerminationCallback(manager, handle, None)
    try:
        yield
    except (ValueError, RuntimeError):  # dd's errors for a NULL result
        if reason and lib.Cudd_ReadErrorCode(manager) == _CUDD_TERMINATION:
            raise SearchIncompleteError(reason[0]) from None
        raise
    finally:
        lib.Cudd_UnregisterTerminationCallback(manager)
        lib.Cudd_ClearErrorCode(manager)


def lookups(bdd: Any) -> float | None:
    """CUDD's count of cache look-ups of the manager (its measure of work), read without ``statistics()``."""
    found = _manager(bdd)
    return None if found is None else float(found[0].Cudd_ReadCacheLookUps(found[1]))
