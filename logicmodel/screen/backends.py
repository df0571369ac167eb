"""Where a screen's rows are computed: in this process, in local worker processes, or on a Dask cluster.

Each backend takes the chunks of tasks, runs ``evaluate(payload, chunk)`` for each (in any order),
and hands every finished task's rows to ``collect`` as they come. The model travels as plain text
in the payload, so workers need logicmodel installed but not the model files.
"""
from __future__ import annotations

import importlib
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..errors import BackendError

__all__ = ["run_serial", "run_local", "run_dask", "Evaluate", "Collect"]

Row = dict[str, Any]
Task = dict[str, Any]
Payload = dict[str, Any]
#: Computes the rows of each task of a chunk (runs in a worker).
Evaluate = Callable[[Payload, list[Task]], list[list[Row]]]
#: Receives the rows of one finished task (runs in the calling process).
Collect = Callable[[list[Row]], None]

_POOL: dict[str, tuple[Evaluate, Payload]] = {}


def run_serial(evaluate: Evaluate, payload: Payload, chunks: Sequence[list[Task]], collect: Collect) -> None:
    """Every chunk in this process, in order."""
    for chunk in chunks:
        for rows in evaluate(payload, chunk):
            collect(rows)


def _init_pool(evaluate: Evaluate, payload: Payload) -> None:
    _POOL["job"] = (evaluate, payload)


def _pool_task(chunk: list[Task]) -> list[list[Row]]:
    evaluate, payload = _POOL["job"]
    return evaluate(payload, chunk)


def run_local(workers: int, evaluate: Evaluate, payload: Payload, chunks: Sequence[list[Task]],
              collect: Collect) -> None:
    """The chunks on ``workers`` local processes (the payload is sent once per worker)."""
    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_pool,
                             initargs=(evaluate, payload)) as pool:
        futures = [pool.submit(_pool_task, c) for c in chunks]
        try:
            for fut in as_completed(futures):
                for rows in fut.result():
                    collect(rows)
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def run_dask(address: str, evaluate: Evaluate, payload: Payload, chunks: Sequence[list[Task]],
             collect: Collect) -> None:
    """The chunks on the Dask cluster whose scheduler listens at ``address`` (``tcp://host:port``)."""
    try:
        distributed: Any = importlib.import_module("distributed")  # partly typed: used as Any
    except ImportError:  # pragma: no cover
        raise BackendError("--scheduler needs dask.distributed: pip install 'logicmodel[dask]'") from None
    try:
        client = distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise BackendError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    try:
        [remote] = client.scatter([payload], broadcast=True)
        futures = [client.submit(evaluate, remote, c, pure=False) for c in chunks]
        try:
            for fut in distributed.as_completed(futures):
                for rows in fut.result():
                    collect(rows)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
