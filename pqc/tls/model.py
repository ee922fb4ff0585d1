"""The `pqc handshake` model next to the real handshake of the same group and certificate.

The model (:mod:`pqc.handshake.cost`) counts what the primitives cost: key
generation, encapsulation, decapsulation, one signature and chain + 1
verifications, as sums of operation medians, and only the cryptographic
bytes (key shares, public keys, signatures). A real TLS 1.3 handshake also
moves the ClientHello's and ServerHello's other fields and extensions, the
certificates' DER (names, validity, extensions, algorithm identifiers), the
Certificate and CertificateVerify framing, EncryptedExtensions and two
Finished messages, record headers, AEAD tags and compatibility
ChangeCipherSpec records; its CPU adds the transcript hashes, HKDF, record
encryption, certificate parsing and chain building, and the Python calls
that move bytes between the two sides. :func:`byte_gaps` splits the byte
difference into those parts; they add up to it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from pqc.bench.results import BenchResult
from pqc.catalog import lookup
from pqc.errors import PQCError
from pqc.handshake import ALL_SUITES, HandshakeCost, Suite, costs_from_result
from pqc.tls.catalog import certificate_types, groups
from pqc.tls.results import HandshakeRun, ModelRow


def matching_suites(runs: Sequence[HandshakeRun]) -> list[tuple[Suite, HandshakeRun]]:
    """Each modelled suite with the real run of its group and certificate type (if run)."""
    group_of = {g.model: g.name for g in groups() if g.model}
    certificate_of = {c.model: c.name for c in certificate_types() if c.model}
    pairs: list[tuple[Suite, HandshakeRun]] = []
    for suite in ALL_SUITES:
        kem, signature = lookup(suite.kem).name, lookup(suite.signature).name
        wanted = (group_of.get(kem), certificate_of.get(signature))
        for run in runs:
            if (run.group, run.certificate) == wanted:
                pairs.append((suite, run))
    return pairs


def byte_gaps(run: HandshakeRun, cost: HandshakeCost) -> tuple[tuple[str, int], ...]:
    """Where the real handshake's bytes exceed the model's, part by part (they sum exactly)."""
    messages = [m for m in run.messages if m.name != "NewSessionTicket"]

    def size(name: str) -> int:
        return sum(m.bytes for m in messages if m.name == name)

    certificates = sum(run.certificate_sizes)
    carried = sum(m.bytes for m in messages)
    return (
        ("ClientHello beyond the key share", size("ClientHello") - cost.client_share_bytes),
        ("ServerHello beyond the key share", size("ServerHello") - cost.server_share_bytes),
        ("certificate DER beyond keys and signatures", certificates - cost.certificate_bytes),
        ("Certificate message framing", size("Certificate") - certificates),
        ("CertificateVerify beyond the signature",
         size("CertificateVerify") - cost.certificate_verify_bytes),
        ("EncryptedExtensions and both Finished", size("EncryptedExtensions") + size("Finished")),
        ("record headers, AEAD tags, ChangeCipherSpec", run.total_bytes - carried),
    )  # fmt: skip


def stack_backend() -> str | None:
    """The pqc backend over the same OpenSSL that runs the handshakes (None when none is).

    Found by the library version each backend reports, so the model's medians
    come from the very code the TLS stack calls where that backend has the part.
    """
    from pqc.api import backends
    from pqc.tls.openssl import library_version

    version = library_version()
    for status in backends():
        if status.available and version in status.details.values():
            return status.name
    return None


def model_rows(
    runs: Sequence[HandshakeRun], medians: BenchResult
) -> tuple[tuple[ModelRow, ...], tuple[str, ...]]:
    """One row per modelled suite that was run, from the operation medians in ``medians``:
    each part on the TLS stack's own library where it has it (:func:`stack_backend`),
    otherwise on the fastest backend in ``medians``."""
    rows: list[ModelRow] = []
    skipped: list[str] = []
    backend = stack_backend()
    for suite, run in matching_suites(runs):
        costs, why = costs_from_result(medians, [suite], chain=run.chain, backend=backend)
        if not costs:
            skipped.extend(f"model: {line}" for line in why)
            continue
        cost = costs[0]
        rows.append(
            ModelRow(
                suite=suite.name,
                title=suite.title,
                group=run.group,
                certificate=run.certificate,
                chain=run.chain,
                model_client_ns=cost.client_ns,
                model_server_ns=cost.server_ns,
                model_client_to_server_bytes=cost.client_to_server_bytes,
                model_server_to_client_bytes=cost.server_to_client_bytes,
                model_kem_backend=f"{cost.kem.backend} ({cost.kem.language})",
                model_signature_backend=f"{cost.signature.backend} ({cost.signature.language})",
                real_client_cpu_ns=run.client_cpu.median_ns,
                real_server_cpu_ns=run.server_cpu.median_ns,
                real_latency_ns=run.latency.median_ns,
                real_client_to_server_bytes=run.client_to_server_bytes,
                real_server_to_client_bytes=run.server_to_client_bytes,
                gaps=byte_gaps(run, cost),
            )
        )
    return tuple(rows), tuple(skipped)


def time_model(runs: Sequence[HandshakeRun], *, quick: bool = True) -> BenchResult | None:
    """Time the operations the matching suites need with the bench engine (None: no suite)."""
    from pqc.handshake.measure import measure

    suites = list(dict.fromkeys(suite for suite, _ in matching_suites(runs)))
    if not suites:
        return None
    try:
        return measure(suites, quick=quick, backend=stack_backend())
    except PQCError:
        return None
