"""The screen's journal: one JSON row per line, appended and synced as results come, resumable.

The first line is a header with the screen's parameters; a journal with another header belongs to
another screen and is refused. A torn last line (a crash mid-write) is dropped and trimmed off.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import ScreenJournalError
from ..io.files import MAX_JSON_DEPTH, json_depth

__all__ = ["Journal", "read_journal", "JOURNAL"]

#: The journal's file name in a screen's output folder.
JOURNAL = "screen.jsonl"

Row = dict[str, Any]


def read_journal(path: Path, header: dict[str, Any]) -> list[Row]:
    """Rows of an earlier run with the same parameters; a torn last line is dropped (and trimmed)."""
    if not path.exists():
        return []
    rows, good_bytes = [], 0
    data = path.read_bytes()
    lines = data.split(b"\n")
    for i, line in enumerate(lines):
        if not line.strip():
            good_bytes += len(line) + (1 if i < len(lines) - 1 else 0)
            continue
        if i == len(lines) - 1:  # no newline at the end: torn write
            break
        if json_depth(line) > MAX_JSON_DEPTH:  # not a line this journal wrote: a torn or foreign one
            break
        try:
            doc = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            break
        if not isinstance(doc, dict):
            break
        if i == 0:
            if doc.get("header") != header:
                raise ScreenJournalError(
                    f"{path} holds a screen with other parameters; use another --out folder or --restart")
        else:
            rows.append(doc)
        good_bytes += len(line) + 1
    if good_bytes < len(data):
        with open(path, "r+b") as fh:
            fh.truncate(good_bytes)
    return rows


class Journal:
    """An open journal: :meth:`write` appends rows and syncs them to disk."""

    def __init__(self, path: Path, header: dict[str, Any], fresh: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh or not path.exists():
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"header": header}, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        self.fh = open(path, "a", encoding="utf-8")

    def write(self, rows: Iterable[Row]) -> None:
        text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
        self.fh.write(text)
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
