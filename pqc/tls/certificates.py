"""X.509 v3 chains for TLS, assembled as DER here and signed with each issuer's key.

A chain of ``length`` certificates is what the server sends: the leaf first,
then ``length - 1`` intermediates. The self-signed root that issued the last of
them stays with the client (its trust store), as in a real deployment, so a
handshake verifies ``length`` certificate signatures plus the CertificateVerify
-- the same count ``pqc handshake`` models.

Every certificate is assembled here (TBSCertificate DER, then signed with the
issuer's key) for every key type alike, because cryptography's
CertificateBuilder refuses ML-DSA and SM2 keys. Each carries what a verifier
checks: basicConstraints (critical; cA and pathLenConstraint on CAs),
keyUsage (critical; keyCertSign+cRLSign on CAs, digitalSignature on the
leaf), extendedKeyUsage serverAuth and subjectAltName dNSName on the leaf,
subject and authority key identifiers.

Keys: ECDSA-P256, Ed25519, RSA-2048 and ML-DSA-44/65/87 come from
cryptography (the library whose OpenSSL runs the handshakes); SM2 keys and
signatures come from pqc's own SM2 implementation (``pqc.signature("SM2")``),
with the default signer ID, and are handed to OpenSSL as PKCS#8.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, padding, rsa

from pqc import asn1
from pqc.errors import InvalidArgumentError
from pqc.tls.catalog import CertificateType, certificate_type

DEFAULT_HOST = "server.pqc.test"
MAX_CHAIN = 3
_OID_CN = "2.5.4.3"
_OID_O = "2.5.4.10"
_OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
_OID_SM2_CURVE = "1.2.156.10197.1.301"
_OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
_EXT_SUBJECT_KEY_ID = "2.5.29.14"
_EXT_KEY_USAGE = "2.5.29.15"
_EXT_SAN = "2.5.29.17"
_EXT_BASIC_CONSTRAINTS = "2.5.29.19"
_EXT_AUTHORITY_KEY_ID = "2.5.29.35"
_EXT_EXTENDED_KEY_USAGE = "2.5.29.37"
_KEY_USAGE_DIGITAL_SIGNATURE = 0x80
_KEY_USAGE_CA = 0x06  # keyCertSign (bit 5) | cRLSign (bit 6)


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"".join(
        [f"-----BEGIN {label}-----\n".encode(), *(line + b"\n" for line in lines),
         f"-----END {label}-----\n".encode()]
    )  # fmt: skip


class SigningKey:
    """A private key that signs certificates and serves TLS; its secret never leaves except as
    the PKCS#8 PEM handed to OpenSSL (:meth:`private_pem`). ``repr`` shows only the type."""

    def __init__(
        self,
        kind: CertificateType,
        spki: bytes,
        sign: Callable[[bytes], bytes],
        private_der: Callable[[], bytes],
    ) -> None:
        self.kind = kind
        self.spki = spki
        self._sign = sign
        self._private_der = private_der
        self._lock = threading.Lock()

    def sign(self, data: bytes) -> bytes:
        """The signature over ``data`` as it goes into a certificate's signatureValue."""
        with self._lock:
            return self._sign(data)

    def private_pem(self) -> bytes:
        """PKCS#8 PEM of the private key, for OpenSSL's loader only (never log or store it)."""
        return _pem("PRIVATE KEY", self._private_der())

    @property
    def key_bits(self) -> bytes:
        """The subjectPublicKey BIT STRING contents (what the key identifiers hash)."""
        return _spki_key_bits(self.spki)

    def __repr__(self) -> str:
        return f"<SigningKey {self.kind.name} (secret not shown)>"


def _spki_key_bits(spki: bytes) -> bytes:
    """The subjectPublicKey bits of a SubjectPublicKeyInfo (skips the AlgorithmIdentifier)."""

    def header(data: bytes, pos: int) -> tuple[int, int]:
        first = data[pos + 1]
        if first < 0x80:
            return pos + 2, first
        count = first & 0x7F
        return pos + 2 + count, int.from_bytes(data[pos + 2 : pos + 2 + count], "big")

    body, _ = header(spki, 0)
    algorithm_start, algorithm_length = header(spki, body)
    bits_start, bits_length = header(spki, algorithm_start + algorithm_length)
    return spki[bits_start + 1 : bits_start + bits_length]


def _from_cryptography(
    kind: CertificateType, key: Any, sign: Callable[[bytes], bytes]
) -> SigningKey:
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def private_der() -> bytes:
        der: bytes = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return der

    return SigningKey(kind, spki, sign, private_der)


def _sm2_key(kind: CertificateType) -> SigningKey:
    from pqc.api import signature
    from pqc.sm.der import signature_to_der

    scheme = signature("SM2")
    public, secret = scheme.keygen()
    point = b"\x04" + public
    algorithm = asn1.sequence(asn1.oid(_OID_EC_PUBLIC_KEY), asn1.oid(_OID_SM2_CURVE))
    spki = asn1.sequence(algorithm, asn1.bit_string(point))

    def sign(data: bytes) -> bytes:
        return signature_to_der(scheme.sign(secret, data))

    def private_der() -> bytes:
        ec_private = asn1.sequence(
            asn1.integer(1), asn1.octet_string(secret), asn1.explicit(1, asn1.bit_string(point))
        )
        return asn1.sequence(asn1.integer(0), algorithm, asn1.octet_string(ec_private))

    return SigningKey(kind, spki, sign, private_der)


def generate_key(kind: CertificateType | str) -> SigningKey:
    """A fresh key of certificate type ``kind`` (see :data:`pqc.tls.catalog.CERTIFICATE_TYPES`)."""
    kind = certificate_type(kind) if isinstance(kind, str) else kind
    family = kind.key
    if family == "ecdsa-p256":
        ec_key = ec.generate_private_key(ec.SECP256R1())
        return _from_cryptography(kind, ec_key, lambda d: ec_key.sign(d, ec.ECDSA(hashes.SHA256())))
    if family == "ed25519":
        ed_key = ed25519.Ed25519PrivateKey.generate()
        return _from_cryptography(kind, ed_key, ed_key.sign)
    if family == "rsa-2048":
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _from_cryptography(
            kind, rsa_key, lambda d: rsa_key.sign(d, padding.PKCS1v15(), hashes.SHA256())
        )
    ml_dsa: dict[str, Any] = {
        "ml-dsa-44": mldsa.MLDSA44PrivateKey,
        "ml-dsa-65": mldsa.MLDSA65PrivateKey,
        "ml-dsa-87": mldsa.MLDSA87PrivateKey,
    }
    if family in ml_dsa:
        ml_key = ml_dsa[family].generate()
        return _from_cryptography(kind, ml_key, ml_key.sign)
    if family == "sm2":
        return _sm2_key(kind)
    raise InvalidArgumentError(f"no key generator for certificate key family {family!r}.")


def _name(common_name: str) -> bytes:
    def rdn(attribute: str, value: str) -> bytes:
        return asn1.tlv(asn1.SET, asn1.sequence(asn1.oid(attribute), asn1.utf8_string(value)))

    return asn1.sequence(rdn(_OID_O, "pqc test PKI"), rdn(_OID_CN, common_name))


def _extension(extension_oid: str, value: bytes, *, critical: bool = False) -> bytes:
    flag = asn1.boolean(True) if critical else b""
    return asn1.sequence(asn1.oid(extension_oid), flag, asn1.octet_string(value))


def _key_id(key: SigningKey) -> bytes:
    return hashlib.sha1(key.key_bits, usedforsecurity=False).digest()  # RFC 5280 4.2.1.2 (1)


@dataclass(frozen=True)
class Certificate:
    """One certificate: its DER, and the subject name it was issued to."""

    subject: str
    der: bytes = field(repr=False)
    is_ca: bool

    @property
    def pem(self) -> bytes:
        return _pem("CERTIFICATE", self.der)

    @property
    def size(self) -> int:
        return len(self.der)


def issue(
    subject: str,
    subject_key: SigningKey,
    issuer: str,
    issuer_key: SigningKey,
    *,
    ca_path_length: int | None = None,
    host: str | None = None,
    not_before: datetime.datetime | None = None,
    days: int = 30,
) -> Certificate:
    """A certificate for ``subject_key`` signed by ``issuer_key``.

    ``ca_path_length`` makes it a CA with that pathLenConstraint; otherwise it
    is a TLS server leaf for ``host`` (subjectAltName dNSName, serverAuth).
    """
    start = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    algorithm = issuer_key.kind.algorithm_identifier()
    is_ca = ca_path_length is not None
    if is_ca:
        constraints = asn1.sequence(asn1.boolean(True), asn1.integer(ca_path_length or 0))
        usage = asn1.bit_string(bytes([_KEY_USAGE_CA]), unused_bits=1)
    else:
        constraints = asn1.sequence()
        usage = asn1.bit_string(bytes([_KEY_USAGE_DIGITAL_SIGNATURE]), unused_bits=7)
    extensions = [
        _extension(_EXT_BASIC_CONSTRAINTS, constraints, critical=True),
        _extension(_EXT_KEY_USAGE, usage, critical=True),
        _extension(_EXT_SUBJECT_KEY_ID, asn1.octet_string(_key_id(subject_key))),
        _extension(
            _EXT_AUTHORITY_KEY_ID, asn1.sequence(asn1.implicit_primitive(0, _key_id(issuer_key)))
        ),
    ]
    if not is_ca:
        dns = (host or DEFAULT_HOST).encode("ascii")
        extensions.append(
            _extension(_EXT_EXTENDED_KEY_USAGE, asn1.sequence(asn1.oid(_OID_SERVER_AUTH)))
        )
        extensions.append(_extension(_EXT_SAN, asn1.sequence(asn1.implicit_primitive(2, dns))))
    tbs = asn1.sequence(
        asn1.explicit(0, asn1.integer(2)),
        asn1.integer(secrets.randbits(63) | 1 << 62),
        algorithm,
        _name(issuer),
        asn1.sequence(asn1.time(start), asn1.time(start + datetime.timedelta(days=days))),
        _name(subject),
        subject_key.spki,
        asn1.explicit(3, asn1.sequence(*extensions)),
    )
    der = asn1.sequence(tbs, algorithm, asn1.bit_string(issuer_key.sign(tbs)))
    return Certificate(subject=subject, der=der, is_ca=is_ca)


@dataclass(frozen=True)
class Chain:
    """A root (kept by the client) and the certificates the server sends, leaf first.

    ``leaf_key`` is the server's private key; it is not part of ``repr``.
    """

    kind: CertificateType
    root: Certificate
    sent: tuple[Certificate, ...]
    leaf_key: SigningKey = field(repr=False)
    host: str = DEFAULT_HOST

    @property
    def leaf(self) -> Certificate:
        return self.sent[0]

    @property
    def intermediates(self) -> tuple[Certificate, ...]:
        return self.sent[1:]

    @property
    def sent_bytes(self) -> int:
        """DER bytes of every certificate the server sends."""
        return sum(c.size for c in self.sent)


def build_chain(kind: CertificateType | str, length: int = 2, *, host: str = DEFAULT_HOST) -> Chain:
    """A fresh root, ``length - 1`` intermediates and a leaf for ``host``, all of type ``kind``.

    ``length`` (1-3) is the number of certificates the server sends. Raises
    :class:`InvalidArgumentError` for another length.
    """
    kind = certificate_type(kind) if isinstance(kind, str) else kind
    if not isinstance(length, int) or not 1 <= length <= MAX_CHAIN:
        raise InvalidArgumentError(
            f"a chain is 1-{MAX_CHAIN} certificates sent by the server, got {length!r}."
        )
    label = kind.name
    root_key = generate_key(kind)
    root_name = f"pqc {label} root CA"
    root = issue(root_name, root_key, root_name, root_key, ca_path_length=length - 1, days=60)
    issuer_name, issuer_key = root_name, root_key
    cas: list[Certificate] = []
    for level in range(length - 1, 0, -1):
        key = generate_key(kind)
        name = f"pqc {label} intermediate CA {level}"
        cas.append(issue(name, key, issuer_name, issuer_key, ca_path_length=level - 1))
        issuer_name, issuer_key = name, key
    leaf_key = generate_key(kind)
    leaf = issue(host, leaf_key, issuer_name, issuer_key, host=host)
    return Chain(kind=kind, root=root, sent=(leaf, *reversed(cas)), leaf_key=leaf_key, host=host)
