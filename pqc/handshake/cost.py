"""The cost of one TLS-1.3-style handshake: CPU time from operation medians, bytes on the wire.

The model (what is counted, precisely):

- Key exchange: the client generates a key pair and sends the public key
  (its key share); the server encapsulates to it and sends the ciphertext
  (its key share); the client decapsulates.
- Server authentication with a chain of ``chain`` certificates sent by the
  server (leaf first, then ``chain - 1`` intermediates; the root stays in
  the client's trust store). The server signs once (CertificateVerify). The
  client verifies ``chain + 1`` signatures: the CertificateVerify (with the
  leaf's key) and one signature per certificate sent (each made by its
  issuer). Every certificate uses the suite's signature scheme.
- CPU: client = keygen + decaps + (chain + 1) x verify;
  server = encaps + sign; total = client + server. Each term is a median
  in nanoseconds; a sum of medians is not the median of a sum, but it is the
  right centre for independent operations run back to back.
- Bytes: client -> server = KEM public key; server -> client = KEM
  ciphertext + chain x (signature public key + signature) + one signature
  (CertificateVerify). Only the cryptographic bytes: names, extensions,
  ASN.1/TLS framing, OCSP and SCTs are left out, so real handshakes are
  larger by a roughly constant amount per certificate.

Server key generation and certificate issuance are not per-handshake costs
and are not counted.

A TLS 1.3 key share carries at most 65,535 bytes (``KeyShareEntry.key_exchange
<1..2^16-1>``, RFC 8446 section 4.2.8). A KEM whose public key or ciphertext is larger
(Classic McEliece: 261 KB to 1 MB public keys) cannot be a TLS 1.3 key share at all; its
row is still costed by the same model, and :attr:`HandshakeCost.notes` says that the
figures describe no deployable TLS 1.3 handshake (such a KEM is used with a static key
distributed out of band, so its key generation would not be paid per handshake either).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pqc.errors import InvalidArgumentError
from pqc.handshake.suites import Suite

KEM_OPS = ("keygen", "encaps", "decaps")
TLS13_KEY_SHARE_MAX = 65_535  # RFC 8446 section 4.2.8: key_exchange<1..2^16-1>
SIGNATURE_OPS = ("sign", "verify")
DEFAULT_CHAIN = 2


@dataclass(frozen=True)
class PartTimes:
    """Median times (ns) of one algorithm's operations on one backend, and its wire sizes (bytes).

    ``source`` says where the medians come from: ``"measured"`` or
    ``"sum of parts"`` (a hybrid estimated from its components' medians).
    ``backend`` may be a composite label for a hybrid (the composing backend's
    name, or ``"A+B"``, the parts' backends joined by ``+``, for a sum of parts).
    """

    algorithm: str
    backend: str
    language: str
    medians_ns: Mapping[str, float]
    sizes: Mapping[str, int]
    source: str = "measured"
    parts: tuple[PartTimes, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "medians_ns", MappingProxyType(dict(self.medians_ns)))
        object.__setattr__(self, "sizes", MappingProxyType(dict(self.sizes)))

    def median(self, op: str) -> float:
        """The median of ``op`` in ns; raises :class:`InvalidArgumentError` when not timed."""
        value = self.medians_ns.get(op)
        if value is None:
            raise InvalidArgumentError(
                f"no median for {self.algorithm} {op} on {self.backend}; time it with `pqc bench`."
            )
        return float(value)

    def size(self, name: str) -> int:
        value = self.sizes.get(name)
        if value is None:
            raise InvalidArgumentError(f"no {name} size for {self.algorithm}.")
        return int(value)


@dataclass(frozen=True)
class HandshakeCost:
    """One suite's handshake: CPU times in ns and bytes on the wire (see the module docstring)."""

    suite: Suite
    chain: int
    kem: PartTimes
    signature: PartTimes
    client_keygen_ns: float
    server_encaps_ns: float
    client_decaps_ns: float
    server_sign_ns: float
    verify_ns: float
    verifies: int
    client_ns: float
    server_ns: float
    total_ns: float
    client_share_bytes: int
    server_share_bytes: int
    certificate_bytes: int
    certificate_verify_bytes: int
    client_to_server_bytes: int
    server_to_client_bytes: int
    total_bytes: int
    notes: tuple[str, ...] = ()


def handshake_cost(
    suite: Suite, kem: PartTimes, signature: PartTimes, *, chain: int = DEFAULT_CHAIN
) -> HandshakeCost:
    """The handshake cost of ``suite`` from its KEM's and signature's medians and sizes.

    ``chain`` is the number of certificates the server sends (>= 1). Raises
    :class:`InvalidArgumentError` for a chain below 1 or a missing median/size.
    """
    if not isinstance(chain, int) or chain < 1:
        raise InvalidArgumentError(f"chain must be a whole number >= 1, got {chain!r}.")
    keygen, encaps, decaps = (kem.median(op) for op in KEM_OPS)
    sign, verify = (signature.median(op) for op in SIGNATURE_OPS)
    verifies = chain + 1
    client = keygen + decaps + verifies * verify
    server = encaps + sign
    client_share = kem.size("public_key")
    server_share = kem.size("ciphertext")
    certificates = chain * (signature.size("public_key") + signature.size("signature"))
    certificate_verify = signature.size("signature")
    server_to_client = server_share + certificates + certificate_verify
    notes = tuple(
        f"{suite.title}: the {kem.algorithm} {what} ({size:,} B) exceeds a TLS 1.3 key share "
        f"({TLS13_KEY_SHARE_MAX:,} B max, RFC 8446 4.2.8): no TLS 1.3 handshake can carry it; "
        "the row costs the model as if it could (with a fresh key pair per handshake)"
        for what, size in (("public key", client_share), ("ciphertext", server_share))
        if size > TLS13_KEY_SHARE_MAX
    )
    return HandshakeCost(
        suite=suite,
        chain=chain,
        kem=kem,
        signature=signature,
        client_keygen_ns=keygen,
        server_encaps_ns=encaps,
        client_decaps_ns=decaps,
        server_sign_ns=sign,
        verify_ns=verify,
        verifies=verifies,
        client_ns=client,
        server_ns=server,
        total_ns=client + server,
        client_share_bytes=client_share,
        server_share_bytes=server_share,
        certificate_bytes=certificates,
        certificate_verify_bytes=certificate_verify,
        client_to_server_bytes=client_share,
        server_to_client_bytes=server_to_client,
        total_bytes=client_share + server_to_client,
        notes=notes,
    )


def sum_of_parts(
    algorithm: str, parts: tuple[PartTimes, ...], sizes: Mapping[str, int]
) -> PartTimes:
    """A hybrid's times estimated as the sum of its components' medians (op by op)."""
    ops = set.intersection(*(set(p.medians_ns) for p in parts)) if parts else set()
    return PartTimes(
        algorithm=algorithm,
        backend="+".join(p.backend for p in parts),
        language=" + ".join(dict.fromkeys(p.language for p in parts)),
        medians_ns={op: sum(p.medians_ns[op] for p in parts) for op in sorted(ops)},
        sizes=sizes,
        source="sum of parts",
        parts=parts,
    )
