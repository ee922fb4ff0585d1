"""The values `pqc tls` produces: frozen dataclasses of plain types, no secrets.

Times are in nanoseconds, sizes in bytes with TLS record headers included.
Latency statistics describe handshakes run one after another in one process:
they share the machine's state, so they are not independent samples; compare
runs across processes before calling a difference real.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pqc.bench.results import ResultHeader
from pqc.bench.stats import Stats
from pqc.resultfile import register_kind
from pqc.tls import catalog
from pqc.tls.probe import Message
from pqc.tls.records import Flight


@dataclass(frozen=True)
class HandshakeRun:
    """Many in-process handshakes of one (group, certificate type, chain length).

    ``handshakes_per_s`` is handshakes completed per second of wall time in the
    timed loop (one thread doing both sides, so it is the inverse of the mean
    latency, not a server's capacity). ``negotiated_group`` is what
    ``SSL_get0_group_name`` returned; ``signature_scheme`` the SignatureScheme
    of the CertificateVerify the client verified (from OpenSSL's message
    callback); ``server_hello_group`` the ServerHello key_share's group.
    """

    group: str
    certificate: str
    chain: int
    family: str
    negotiated_group: str
    server_hello_group: str
    signature_scheme: str
    handshakes: int
    handshakes_per_s: float
    latency: Stats
    client_cpu: Stats
    server_cpu: Stats
    client_to_server_bytes: int
    server_to_client_bytes: int
    ticket_bytes: int
    flights: tuple[Flight, ...]
    messages: tuple[Message, ...]
    certificate_sizes: tuple[int, ...]
    root_size: int
    samples_ns: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.group} + {self.certificate}"

    @property
    def records(self) -> int:
        return sum(f.records for f in self.flights)

    @property
    def total_bytes(self) -> int:
        return self.client_to_server_bytes + self.server_to_client_bytes


@dataclass(frozen=True)
class ModelRow:
    """One `pqc handshake` suite next to the real handshake of the same group and certificate.

    ``model_*`` come from :func:`pqc.handshake.handshake_cost` (sums of operation
    medians, cryptographic bytes only); ``real_*`` from :class:`HandshakeRun`
    (medians of whole handshakes, bytes on the wire). ``gaps`` explains where the
    bytes differ, each entry a (what, bytes) pair.
    """

    suite: str
    title: str
    group: str
    certificate: str
    chain: int
    model_client_ns: float
    model_server_ns: float
    model_client_to_server_bytes: int
    model_server_to_client_bytes: int
    model_kem_backend: str
    model_signature_backend: str
    real_client_cpu_ns: float
    real_server_cpu_ns: float
    real_latency_ns: float
    real_client_to_server_bytes: int
    real_server_to_client_bytes: int
    gaps: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class LinkRun:
    """Handshakes over real TCP between two network namespaces on an emulated link.

    ``completion`` is the client's time from connect() to handshake done; with
    a response, ``last_byte`` the time from connect() to the last response
    byte. ``analytic_round_trips`` is the round trips the handshake needs at
    TCP's initial window of 10 segments (see :mod:`pqc.tls.analytic`).
    """

    group: str
    certificate: str
    chain: int
    profile: str
    rtt_ms: float
    loss: float
    rate_kbit: int
    response_bytes: int
    attempts: int
    completed: int
    completion: Stats | None
    last_byte: Stats | None
    analytic_round_trips: int
    analytic_ms: float
    samples_ns: tuple[int, ...]
    failures: tuple[str, ...]
    congestion_control: str


@dataclass(frozen=True)
class TLSSettings:
    """How a `pqc tls` run was configured (what the result file's header records)."""

    handshakes: int
    min_handshakes: int
    warmup: int
    seconds: float
    chains: tuple[int, ...]
    link_profiles: tuple[str, ...] = ()
    link_handshakes: int = 0
    response_bytes: int = 0
    link_seed: int = 1


@dataclass(frozen=True)
class TLSResult(ResultHeader):
    """A `pqc tls` run: where, with which OpenSSL, every combination, the model comparison,
    link runs if any, and why anything was skipped. No key material is kept."""

    complete: bool
    settings: TLSSettings
    tls_library: str
    runs: tuple[HandshakeRun, ...]
    model: tuple[ModelRow, ...] = ()
    links: tuple[LinkRun, ...] = ()
    skipped: tuple[str, ...] = ()
    link_note: str | None = None


def _renaming(renamed: Mapping[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An upgrader that gives the body's fields ``{old: new}`` their new names."""

    def upgrade(data: dict[str, Any]) -> dict[str, Any]:
        body = data["body"]
        for old, new in renamed.items():
            body[new] = body.pop(old)
        return data

    return upgrade


# kind_version 2 renamed the TLS stack's version field (pqc/data/tls.toml says from what).
TLS = register_kind(
    "tls", TLSResult, version=2, written_by="`pqc tls --json`",
    upgraders={v: _renaming(names) for v, names in catalog.renamed_result_fields().items()},
)
