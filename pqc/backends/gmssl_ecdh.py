"""ECDH on the SM2 curve (curveSM2) using the pure-Python gmssl package's point arithmetic.

No wrapped library offers SM2 key agreement as a primitive: OpenSSL (through
pyca/cryptography) lacks the SM2 curve and gmssl-pyx exposes no ECDH. This
backend therefore runs ephemeral-static ECDH, as a TLS 1.3 key share does
(RFC 8446 §7.4.2, RFC 8998 curveSM2), on gmssl's own scalar multiplication
``CryptSM2._kg`` -- pure Python, and it branches on the scalar's bits, so it
is slow and not constant-time. Point validation is done here.

Byte formats: public key and ciphertext are uncompressed points 04||X||Y
(65 bytes); the secret key is the scalar d (32 bytes, big-endian); the shared
secret is the x-coordinate of d*Q (32 bytes, no KDF).
"""

from __future__ import annotations

import importlib.util
from functools import cache

from pqc.backends.base import BackendStatus, KEMImplementation
from pqc.backends.capabilities import Capabilities
from pqc.backends.gmssl_primitives import multiply
from pqc.backends.installed import unavailable, usable
from pqc.catalog import Algorithm
from pqc.errors import InvalidCiphertextError, InvalidKeyError, UnsupportedAlgorithmError
from pqc.sm import curve, keys  # curveSM2: GB/T 32918.5, RFC 8998

NAME = "gmssl-ecdh"


@cache
def status() -> BackendStatus:
    """Available when the gmssl package can be imported (checked without importing it)."""
    library = "gmssl (pure Python) point arithmetic"
    if importlib.util.find_spec("gmssl") is None:
        return unavailable(
            NAME, "pure Python", library,
            "the gmssl package is not installed; fix: pip install gmssl==3.2.2.",
        )  # fmt: skip
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("gmssl")
    except PackageNotFoundError:  # importable but without metadata
        found = "unknown"
    return usable(
        NAME, "pure Python", library, f"gmssl {found}",
        {"gmssl": found, "operation": "CryptSM2._kg scalar multiplication"},
    )  # fmt: skip


class SM2ECDH(KEMImplementation):
    """Ephemeral-static ECDH on curveSM2 as a KEM (ciphertext = ephemeral point, secret = x)."""

    def _keygen(self) -> tuple[bytes, bytes]:
        d = keys.random_secret_scalar()
        return curve.uncompressed_from_xy(multiply(d)), d.to_bytes(curve.SCALAR_SIZE, "big")

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        peer = keys.xy_of_uncompressed(public_key, InvalidKeyError)
        e = keys.random_secret_scalar()
        shared = multiply(e, peer)
        return curve.uncompressed_from_xy(multiply(e)), shared[: curve.COORDINATE_SIZE]

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        d = keys.ecdh_scalar(secret_key)
        peer = keys.xy_of_uncompressed(ciphertext, InvalidCiphertextError)
        return multiply(d, peer)[: curve.COORDINATE_SIZE]


def implementation(algorithm: Algorithm, native_name: str) -> KEMImplementation:
    """The curveSM2 ECDH implementation (the only algorithm this backend offers)."""
    if algorithm.name != "ECDH-SM2":
        raise UnsupportedAlgorithmError(f"the {NAME} backend has no code for {algorithm.name}.")
    return SM2ECDH(algorithm, status(), native_name)


CAPABILITIES = Capabilities(packages=("gmssl",))
