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
import secrets
from functools import cache
from typing import Any

from pqc.backends.base import BackendStatus, KEMImplementation
from pqc.catalog import Algorithm
from pqc.errors import (
    BackendError,
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    UnsupportedAlgorithmError,
)
from pqc.sm.curve import GX, GY, N, is_on_curve  # curveSM2: GB/T 32918.5, RFC 8998

NAME = "gmssl-ecdh"

POINT_SIZE = 65
SCALAR_SIZE = 32


@cache
def status() -> BackendStatus:
    """Available when the gmssl package can be imported (checked without importing it)."""
    library = "gmssl (pure Python) point arithmetic"
    if importlib.util.find_spec("gmssl") is None:
        return BackendStatus(
            name=NAME,
            available=False,
            version=None,
            language="pure Python",
            library=library,
            reason="the gmssl package is not installed; fix: pip install gmssl==3.2.2.",
        )
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("gmssl")
    except PackageNotFoundError:  # importable but without metadata
        found = "unknown"
    return BackendStatus(
        name=NAME,
        available=True,
        version=f"gmssl {found}",
        language="pure Python",
        library=library,
        details=(("gmssl", found), ("operation", "CryptSM2._kg scalar multiplication")),
    )


@cache
def _engine() -> Any:
    """A gmssl CryptSM2 object used only for its scalar multiplication (holds no key)."""
    from gmssl import sm2

    return sm2.CryptSM2(private_key="", public_key="")


def _generator_hex() -> str:
    return f"{GX:064x}{GY:064x}"


def scalar_mult(k: int, point_hex: str) -> tuple[int, int]:
    """k*Q with gmssl's pure-Python Jacobian arithmetic; Q as 128 hex digits X||Y."""
    result = _engine()._kg(k, point_hex)
    if result is None:  # cannot happen for 1 <= k < n and a valid point
        raise BackendError("gmssl's scalar multiplication reached the point at infinity.")
    return int(result[:64], 16), int(result[64:], 16)


def encode_point(x: int, y: int) -> bytes:
    """Uncompressed SEC 1 encoding 04||X||Y (65 bytes)."""
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def decode_point(data: bytes, error: type[InvalidArgumentError] = InvalidKeyError) -> str:
    """Validate an uncompressed curveSM2 point; return it as gmssl's 128-hex-digit X||Y."""
    if len(data) != POINT_SIZE or data[0] != 4:
        raise error("an SM2 point must be 65 bytes 04||X||Y (uncompressed).")
    if not is_on_curve(int.from_bytes(data[1:33], "big"), int.from_bytes(data[33:], "big")):
        raise error("the SM2 point is not on curveSM2 (or a coordinate is not reduced).")
    return data[1:].hex()


def decode_scalar(data: bytes) -> int:
    """A secret scalar d in [1, n-1] from 32 big-endian bytes."""
    d = int.from_bytes(data, "big")
    if not 1 <= d < N:
        raise InvalidKeyError("the SM2 secret scalar must be in [1, n-1].")
    return d


def random_scalar() -> int:
    """d uniform in [1, n-2], as GB/T 32918 key generation asks, from `secrets`."""
    return secrets.randbelow(N - 2) + 1


class SM2ECDH(KEMImplementation):
    """Ephemeral-static ECDH on curveSM2 as a KEM (ciphertext = ephemeral point, secret = x)."""

    def _keygen(self) -> tuple[bytes, bytes]:
        d = random_scalar()
        x, y = scalar_mult(d, _generator_hex())
        return encode_point(x, y), d.to_bytes(SCALAR_SIZE, "big")

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        peer = decode_point(public_key)
        e = random_scalar()
        ex, ey = scalar_mult(e, _generator_hex())
        sx, _ = scalar_mult(e, peer)
        return encode_point(ex, ey), sx.to_bytes(32, "big")

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        d = decode_scalar(secret_key)
        peer = decode_point(ciphertext, InvalidCiphertextError)
        sx, _ = scalar_mult(d, peer)
        return sx.to_bytes(32, "big")


def implementation(algorithm: Algorithm, native_name: str) -> KEMImplementation:
    """The curveSM2 ECDH implementation (the only algorithm this backend offers)."""
    if algorithm.name != "ECDH-SM2":
        raise UnsupportedAlgorithmError(f"the {NAME} backend has no code for {algorithm.name}.")
    return SM2ECDH(algorithm, status(), native_name)
