"""Reading and writing pqc's JSON files: atomic writes, one error type for bad files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pqc.errors import ResultFormatError


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: a temporary file beside it, then rename.

    A reader sees either the old file or the whole new one, never a part. The
    file gets the permissions a plain ``open()`` would give (0666 less the
    umask), not mkstemp's private 0600. Raises OSError when the folder is
    missing or not writable.
    """
    target = Path(path)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of ``path``; :class:`ResultFormatError` when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ResultFormatError(f"cannot read {os.fspath(path)}: {reason}.") from exc


def parse_json(text: str, *, source: str, expected: str) -> Any:
    """``text`` as JSON; ``expected`` names the file wanted (e.g. "a `pqc bench --json` file")."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFormatError(f"{source} is not JSON ({exc}); give {expected}.") from exc
