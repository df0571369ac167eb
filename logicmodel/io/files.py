"""Atomic file writing: an error never leaves a half-written file."""
from __future__ import annotations

import errno
import itertools
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import FormatError, RuleParseError

#: The deepest JSON nesting the readers accept. Python's JSON decoder recurses once per level in C;
#: with a recursion limit raised by another library (mpbn sets 100,000) a deep document would overflow
#: the C stack (a crash, not an error), so depth is measured first, without recursion.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")

__all__ = ["atomic_write_text", "atomic_write_bytes", "read_model_text", "rows_csv", "write_csv", "json_depth",
           "MAX_JSON_DEPTH"]


def atomic_write_bytes(path: "str | os.PathLike[str]", data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _about(err, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise _about(err, path) from None
        raise
    return path


def _about(err: OSError, path: Path) -> OSError:
    """``err`` as the same kind of error about ``path`` (not about a temporary file or a parent folder).

    ``mkdir`` under a path whose parent is a file reports "File exists" on that parent; say what is wrong."""
    reason = err.strerror or str(err)
    if isinstance(err, (FileExistsError, NotADirectoryError)):
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            reason = f"cannot write there: {blocker} is a file, not a folder"
    out = type(err)(err.errno, reason, str(path))
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: "str | os.PathLike[str]", text: str) -> Path:
    """Write ``text`` (UTF-8) atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def rows_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """Dict rows (all with the keys of the first) as CSV text."""
    import csv
    import io

    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def write_csv(path: "str | os.PathLike[str]", rows: Sequence[Mapping[str, Any]]) -> Path:
    """Write dict rows as CSV, atomically."""
    return atomic_write_text(path, rows_csv(rows))


def read_model_text(path: Path, error: type[RuleParseError] | type[FormatError]) -> str:
    """The UTF-8 text of a model file; a missing or unreadable file raises ``error`` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"cannot read: {err}", source=str(path)) from None


def json_depth(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (strings skipped), without recursion."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data))
    return max(itertools.accumulate(1 if c in b"[{" else -1 for c in brackets), default=0)
