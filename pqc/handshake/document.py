"""The handshake comparison as a versioned JSON document (what `pqc handshake --json` writes)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pqc.bench.results import BenchResult
from pqc.errors import ResultFormatError
from pqc.handshake import cost as _cost_module
from pqc.handshake.cost import HandshakeCost
from pqc.jsondata import to_data
from pqc.resultfile import atomic_write_text

FORMAT = "pqc-handshake-result"
SCHEMA_VERSION = 1


def _definition() -> str:
    text = _cost_module.__doc__ or ""
    return " ".join(text.split())


def handshake_document(
    costs: Sequence[HandshakeCost],
    skipped: Sequence[str],
    *,
    chain: int,
    backend: str | None,
    source: BenchResult,
    source_path: str | None = None,
    chosen: Sequence[HandshakeCost] | None = None,
    chosen_skipped: Sequence[str] = (),
) -> dict[str, Any]:
    """The JSON-ready comparison: the model, where the medians came from, and one entry per suite.

    ``costs`` are on the fastest backend for each part; ``chosen`` (when
    ``backend`` is given) the same suites on ``backend`` where it implements
    a part, under ``"chosen"``.
    """
    document: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "chain": chain,
        "backend": backend,
        "definition": _definition(),
        "source": {
            "path": source_path,
            "created": source.created,
            "pqc_version": source.pqc_version,
            "settings": to_data(source.settings),
        },
        "machine": to_data(source.machine),
        "suites": [cost.to_dict() for cost in costs],
        "skipped": list(skipped),
    }
    if chosen is not None:
        document["chosen"] = {
            "backend": backend,
            "suites": [cost.to_dict() for cost in chosen],
            "skipped": list(chosen_skipped),
        }
    return document


def write_handshake(document: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write the document as JSON, atomically."""
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def read_handshake(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a document written by :func:`write_handshake`; raises :class:`ResultFormatError`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultFormatError(f"cannot read {os.fspath(path)} as JSON: {exc}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResultFormatError(
            f"{os.fspath(path)} is not a pqc handshake result; give a `pqc handshake --json` file."
        )
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ResultFormatError(
            f"{os.fspath(path)} has schema_version {data.get('schema_version')!r}; this pqc "
            f"reads {SCHEMA_VERSION}."
        )
    if not isinstance(data.get("suites"), list):
        raise ResultFormatError(f"{os.fspath(path)} is a damaged handshake result (no suites).")
    return data
