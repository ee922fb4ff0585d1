"""The JSON-lines stream a conformance child process (``pqc.conformance.*child``) writes.

:func:`protocol_stream` keeps the process's original stdout for the protocol
and points fd 1 and :data:`sys.stdout` at stderr, so nothing a native library
prints can corrupt the stream; :func:`emit` writes one event per line.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO


def protocol_stream() -> TextIO:
    """The original stdout, for :func:`emit`; afterwards fd 1 and sys.stdout are stderr."""
    stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # native libraries' prints go to stderr, not into the protocol
    sys.stdout = sys.stderr
    return stream


def emit(stream: TextIO, payload: dict[str, object]) -> None:
    """One JSON object on a line of its own, flushed (the parent reads line by line)."""
    stream.write(json.dumps(payload) + "\n")
    stream.flush()
