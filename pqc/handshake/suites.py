"""The handshake suites compared: a key exchange (a KEM) and a server signature scheme."""

from __future__ import annotations

from dataclasses import dataclass

from pqc.catalog import lookup
from pqc.errors import InvalidArgumentError


@dataclass(frozen=True)
class Suite:
    """A TLS-1.3-style suite: ``kem`` for the key exchange, ``signature`` for the certificates."""

    name: str
    title: str
    kem: str
    signature: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.title,
            "kem": self.kem,
            "signature": self.signature,
            "note": self.note,
        }


DEFAULT_SUITES: tuple[Suite, ...] = (
    Suite("classical", "Classical", "X25519", "ECDSA-P256", "today's common TLS 1.3 handshake"),
    Suite("nist-pq", "NIST PQ", "ML-KEM-768", "ML-DSA-65", "post-quantum only"),
    Suite(
        "hybrid",
        "Hybrid",
        "X25519MLKEM768",
        "ML-DSA-65",
        "the browsers' hybrid key share with a post-quantum certificate",
    ),
    Suite(
        "gm",
        "GM",
        "ECDH-SM2",
        "SM2",
        "RFC 8998 shape: ECDHE on curveSM2 + SM2 certificates",
    ),
    Suite(
        "gm-hybrid",
        "GM hybrid",
        "SM2-MLKEM768",
        "SM2",
        "curveSM2MLKEM768 key share + SM2 certificates",
    ),
)

EXTRA_SUITES: tuple[Suite, ...] = (
    Suite(
        "hybrid-p256",
        "Hybrid (P-256)",
        "SecP256r1MLKEM768",
        "ML-DSA-65",
        "the FIPS-approved hybrid",
    ),
    Suite(
        "gm-enc",
        "GM (SM2 encryption)",
        "SM2-ENC",
        "SM2",
        "SM2 public-key encryption of a fresh secret as the key exchange (C via GmSSL); "
        "key transport, not the ECDHE TLS 1.3 uses",
    ),
    Suite("classical-ed25519", "Classical (Ed25519)", "X25519", "Ed25519", ""),
)

ALL_SUITES: tuple[Suite, ...] = DEFAULT_SUITES + EXTRA_SUITES


def suite(name: str) -> Suite:
    """The suite called ``name`` (see :data:`ALL_SUITES`), or ``KEM+SIGNATURE`` for any pair.

    Raises :class:`InvalidArgumentError` for an unknown suite, and
    :class:`~pqc.errors.UnknownAlgorithmError` for an unknown algorithm in a pair.
    """
    for item in ALL_SUITES:
        if item.name == name.strip().lower():
            return item
    if "+" in name:
        kem_name, signature_name = (part.strip() for part in name.split("+", 1))
        kem, signature = lookup(kem_name), lookup(signature_name)
        if kem.kind != "kem" or signature.kind != "signature":
            raise InvalidArgumentError(
                f"a custom suite is KEM+SIGNATURE; {name!r} gives a {kem.kind} and a "
                f"{signature.kind}."
            )
        return Suite(f"{kem.name}+{signature.name}", f"{kem.name} + {signature.name}", kem.name,
                     signature.name)  # fmt: skip
    known = ", ".join(s.name for s in ALL_SUITES)
    raise InvalidArgumentError(
        f"unknown suite {name!r}; expected one of: {known}, or KEM+SIGNATURE (e.g. "
        "ML-KEM-768+ML-DSA-44)."
    )
