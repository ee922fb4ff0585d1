"""The handshake comparison as a result file (what `pqc handshake --json` writes).

A :mod:`pqc.resultfile` envelope of kind ``"handshake"`` (kind_version
:data:`KIND_VERSION`): the settings (chain, chosen backend), where the
medians came from (:class:`MedianSource`), one
:class:`~pqc.handshake.cost.HandshakeCost` per suite on the fastest backend
for each part and, when a backend was chosen, the same suites on it. The
model's definition is not stored: it is :func:`model_definition`, rendered
from the code. Files of earlier pqc (``"format": "pqc-handshake-result"``)
are read too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pqc.bench.results import BenchResult, ResultHeader, Settings
from pqc.handshake import cost as _cost_module
from pqc.handshake.cost import HandshakeCost
from pqc.resultfile import ENVELOPE_VERSION, FORMAT, register_kind, utc_now

KIND_VERSION = 2
LEGACY_FORMAT = "pqc-handshake-result"  # what files of pqc up to fc017e9 say


def model_definition() -> str:
    """The cost model in words, on one line (the docstring of :mod:`pqc.handshake.cost`)."""
    return " ".join((_cost_module.__doc__ or "").split())


@dataclass(frozen=True)
class HandshakeSettings:
    """``chain`` certificates sent by the server; ``backend`` the backend also costed (or None)."""

    chain: int
    backend: str | None = None


@dataclass(frozen=True)
class MedianSource:
    """The bench run the medians came from: its file (None when timed now), time and settings."""

    path: str | None
    created: str
    pqc_version: str
    settings: Settings


@dataclass(frozen=True)
class ChosenBackend:
    """The suites costed on ``backend`` where it implements a part, and those it could not."""

    backend: str
    suites: tuple[HandshakeCost, ...]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandshakeResult(ResultHeader):
    """A whole comparison: the header, the source of the medians and one cost per suite."""

    settings: HandshakeSettings
    source: MedianSource
    suites: tuple[HandshakeCost, ...]
    skipped: tuple[str, ...] = ()
    chosen: ChosenBackend | None = None
    complete: bool = True


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
    command: Sequence[str] = (),
) -> HandshakeResult:
    """The comparison as a result: ``costs`` on the fastest backend for each part.

    ``chosen`` (when ``backend`` is given) holds the same suites on
    ``backend`` where it implements a part. Machine, backends and
    completeness are those of ``source``, the bench run the medians come from.
    """
    return HandshakeResult(
        created=utc_now(),
        command=tuple(command),
        pqc_version=source.pqc_version,
        machine=source.machine,
        backends=source.backends,
        settings=HandshakeSettings(chain=chain, backend=backend),
        source=MedianSource(source_path, source.created, source.pqc_version, source.settings),
        suites=tuple(costs),
        skipped=tuple(skipped),
        chosen=None if chosen is None or backend is None
        else ChosenBackend(backend, tuple(chosen), tuple(chosen_skipped)),
        complete=source.complete,
    )


# ---------------------------------------------------------------- older files
_CPU = {"client_keygen": "client_keygen_ns", "server_encaps": "server_encaps_ns",
        "client_decaps": "client_decaps_ns", "server_sign": "server_sign_ns",
        "verify_each": "verify_ns", "verifies": "verifies", "client": "client_ns",
        "server": "server_ns", "total": "total_ns"}  # fmt: skip
_BYTES = {"client_share": "client_share_bytes", "server_share": "server_share_bytes",
          "certificates": "certificate_bytes", "certificate_verify": "certificate_verify_bytes",
          "client_to_server": "client_to_server_bytes",
          "server_to_client": "server_to_client_bytes", "total": "total_bytes"}  # fmt: skip


def _flat_cost(entry: dict[str, Any]) -> dict[str, Any]:
    cpu, wire = entry.pop("cpu_ns"), entry.pop("bytes")
    entry.update({field: cpu[key] for key, field in _CPU.items()})
    entry.update({field: wire[key] for key, field in _BYTES.items()})
    return entry


def _upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """kind_version 1 -> 2: each suite's ``cpu_ns``/``bytes`` groups become its flat fields."""
    body = data["body"]
    body["suites"] = [_flat_cost(entry) for entry in body["suites"]]
    if body.get("chosen") is not None:
        body["chosen"]["suites"] = [_flat_cost(entry) for entry in body["chosen"]["suites"]]
    return data


def _from_handshake_file_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A `pqc-handshake-result` schema_version 1 file (pqc up to fc017e9) as envelope data.

    Those files recorded no time, command or backends of their own: ``created``
    and ``pqc_version`` are the source run's, ``command`` and ``backends`` empty.
    The stored ``definition`` text is dropped (it is the code's docstring).
    """
    source = data.get("source") or {}
    body = {key: data[key] for key in ("source", "suites", "skipped", "chosen") if key in data}
    return {
        "format": FORMAT, "schema_version": ENVELOPE_VERSION, "kind": "handshake",
        "kind_version": 1, "created": source.get("created"), "command": [],
        "pqc_version": source.get("pqc_version"), "complete": True,
        "machine": data.get("machine"), "backends": [],
        "settings": {"chain": data.get("chain"), "backend": data.get("backend")}, "body": body,
    }  # fmt: skip


HANDSHAKE = register_kind(
    "handshake",
    HandshakeResult,
    version=KIND_VERSION,
    written_by="`pqc handshake --json`",
    upgraders={1: _upgrade_v1},
    legacy={LEGACY_FORMAT: {1: _from_handshake_file_v1}},
)


# Reading and writing are the kind's (see ResultKind and pqc.bench.results).
write_handshake, read_handshake = HANDSHAKE.write, HANDSHAKE.read
