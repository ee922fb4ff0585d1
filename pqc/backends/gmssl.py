"""The pure-Python ``gmssl`` package (3.2.2): SM2 signatures and SM2 encryption as a KEM.

The library's own arithmetic does the work (``CryptSM2._kg`` scalar
multiplication, ``CryptSM2.sign``/``verify``, ``sm3.sm3_hash``, ``sm3.sm3_kdf``);
pqc guards its defects (see FACTS.md):

- it has no key generation: pqc draws d in [1, n-2] from :mod:`secrets` and
  computes d*G with ``_kg``;
- its nonces and encryption k come from ``random.choice`` (Mersenne
  Twister): pqc passes a signing nonce from :mod:`secrets`, and encrypts with
  the library's primitives exactly as its ``encrypt`` does, with k from
  :mod:`secrets`;
- its ``decrypt`` never compares C3: pqc decrypts with the same primitives,
  checks C1 is on the curve and compares C3 in constant time;
- ``public_key.lstrip("04")`` corrupts keys whose hex starts with ``04``: pqc
  sets the key attribute directly, never through the constructor;
- its ``verify`` has no range check on r, s: pqc checks 1 <= r, s <= n-1.

Byte formats: public key X||Y (64), secret key d (32), signature r||s (64),
ciphertext X1||Y1||C3||C2 (C1C3C2, 128 for the 32-byte secret).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

from pqc.backends.base import (
    BackendStatus,
    KEMImplementation,
    KeyCache,
    SignatureImplementation,
)
from pqc.catalog import Algorithm
from pqc.errors import BackendError, DecryptionError, UnsupportedAlgorithmError
from pqc.sm import curve, keys
from pqc.sm.digest import encryption_check, message_digest, z_a

NAME = "gmssl"
PACKAGE = "gmssl"
LANGUAGE = "pure Python"


@cache
def status() -> BackendStatus:
    """The gmssl package's version, or why it cannot be used and how to fix it."""
    try:
        version = metadata.version(PACKAGE)
        import gmssl.sm2  # needs pycryptodomex
        import gmssl.sm3  # noqa: F401
    except (metadata.PackageNotFoundError, ImportError) as exc:
        return BackendStatus(
            name=NAME,
            available=False,
            version=None,
            language=LANGUAGE,
            library="gmssl (pure Python)",
            reason=f"the gmssl package is not importable ({exc}); fix: pip install gmssl==3.2.2",
        )
    return BackendStatus(
        name=NAME,
        available=True,
        version=f"gmssl {version}",
        language=LANGUAGE,
        library="gmssl (pure Python)",
        details={"gmssl": version},
    )


# ---------------------------------------------------------------- library access
def sm3(data: bytes) -> bytes:
    """SM3 by the gmssl package (32 bytes)."""
    from gmssl import sm3 as library_sm3

    return bytes.fromhex(library_sm3.sm3_hash(list(data)))


def sm3_kdf(shared: bytes, length: int) -> bytes:
    """The gmssl package's SM3 KDF of ``shared`` (x2||y2), ``length`` bytes."""
    from gmssl import sm3 as library_sm3

    return bytes.fromhex(library_sm3.sm3_kdf(shared.hex().encode("ascii"), length))


def crypt(secret_key: bytes | None = None, public_key: bytes | None = None) -> Any:
    """A ``CryptSM2`` in C1C3C2 mode, keys set as attributes (bypassing its ``lstrip("04")``)."""
    from gmssl import sm2

    obj = sm2.CryptSM2(private_key="", public_key="", mode=1)
    obj.private_key = secret_key.hex() if secret_key is not None else ""
    obj.public_key = public_key.hex() if public_key is not None else ""
    return obj


@cache
def _arithmetic() -> Any:
    """A keyless ``CryptSM2``, used only for ``_kg`` (which reads no key, only curve constants)."""
    return crypt()


def multiply(k: int, point_xy: bytes = curve.GENERATOR_XY) -> bytes:
    """k * point (X||Y, 64 bytes) by the library's ``_kg``; X||Y bytes (64)."""
    result = _arithmetic()._kg(k, point_xy.hex())
    if result is None:  # the point at infinity: impossible for 1 <= k < n on a valid point
        raise BackendError("gmssl's scalar multiplication reached the point at infinity.")
    return bytes.fromhex(result)


@dataclass(frozen=True, repr=False)
class _Key:
    """A parsed key: the library object and the signer's Z_A. Its repr shows nothing secret."""

    crypt: Any
    public_key: bytes
    z: bytes

    def __repr__(self) -> str:
        return "<SM2 key>"


def _parse_secret(secret_key: bytes) -> _Key:
    public = multiply(keys.secret_scalar(secret_key))
    obj = crypt(secret_key, public)
    return _Key(obj, public, z_a(public, sm3))


def _parse_public(public_key: bytes) -> _Key:
    keys.public_point(public_key)
    return _Key(crypt(public_key=public_key), public_key, z_a(public_key, sm3))


def _keygen_pair() -> tuple[bytes, bytes]:
    d = keys.random_secret_scalar()
    return multiply(d), d.to_bytes(curve.SCALAR_SIZE, "big")


# ---------------------------------------------------------------- KAT-only entry points
def sign_with_nonce_for_kat(secret_key: bytes, message: bytes, k: int) -> bytes:
    """Known-answer use ONLY: SM2-sign (default ID) with a caller-chosen nonce ``k``; r||s.

    A fixed nonce reveals the secret key after two signatures. Never used by pqc's
    normal paths, which draw every nonce from :mod:`secrets`.
    """
    key = _parse_secret(secret_key)
    signature = key.crypt.sign(message_digest(key.z, message, sm3), f"{k:064x}")
    if signature is None:
        raise ValueError("this nonce gives r = 0, r + k = n or s = 0; SM2 needs another k")
    return bytes.fromhex(signature)


def encrypt_with_nonce_for_kat(public_key: bytes, plaintext: bytes, k: int) -> bytes:
    """Known-answer use ONLY: SM2-encrypt with a caller-chosen ``k``; X1||Y1||C3||C2.

    A fixed k lets anyone who knows it decrypt. Never used by pqc's normal paths.
    """
    keys.public_point(public_key)
    ciphertext = _encrypt(public_key, plaintext, k)
    if ciphertext is None:
        raise ValueError("this k gives an all-zero KDF output; SM2 needs another k")
    return ciphertext


def decrypt_checked(secret_key: bytes, ciphertext: bytes) -> bytes:
    """SM2-decrypt X1||Y1||C3||C2 of any plaintext length, checking C1 and C3 (DecryptionError)."""
    return _decrypt(keys.secret_scalar(secret_key), ciphertext)


# ---------------------------------------------------------------- SM2 encryption core
def _encrypt(public_key: bytes, plaintext: bytes, k: int) -> bytes | None:
    """What the library's ``encrypt`` computes, with k supplied; None when the KDF output is 0."""
    c1 = multiply(k)
    shared = multiply(k, public_key)
    mask = sm3_kdf(shared, len(plaintext))
    if not any(mask):
        return None
    c2 = bytes(a ^ b for a, b in zip(plaintext, mask, strict=True))
    c3 = encryption_check(shared[:32], plaintext, shared[32:], sm3)
    return c1 + c3 + c2


def _decrypt(d: int, ciphertext: bytes) -> bytes:
    """What the library's ``decrypt`` computes, plus the C1 and C3 checks it omits."""
    c1 = ciphertext[: curve.XY_SIZE]
    c3 = ciphertext[curve.XY_SIZE : curve.XY_SIZE + 32]
    c2 = ciphertext[curve.XY_SIZE + 32 :]
    if curve.decode_xy(c1) is None or not c2 or len(c3) != 32:
        raise DecryptionError("SM2 decryption failed: C1 is not a point on the SM2 curve.")
    shared = multiply(d, c1)
    mask = sm3_kdf(shared, len(c2))
    if not any(mask):
        raise DecryptionError("SM2 decryption failed: the KDF output is all zero.")
    plaintext = bytes(a ^ b for a, b in zip(c2, mask, strict=True))
    expected = encryption_check(shared[:32], plaintext, shared[32:], sm3)
    if not hmac.compare_digest(expected, c3):
        raise DecryptionError("SM2 decryption failed: the check value C3 does not match.")
    return plaintext


# ---------------------------------------------------------------- implementations
class SM2Signature(SignatureImplementation):
    """SM2 with SM3 and the default ID; nonces from :mod:`secrets`, r and s range-checked."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._secret_keys = KeyCache(_parse_secret)
        self._public_keys = KeyCache(_parse_public)

    def _keygen(self) -> tuple[bytes, bytes]:
        return _keygen_pair()

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        key = self._secret_keys.get(secret_key)
        e = message_digest(key.z, message, sm3)
        while True:  # the library returns None for r = 0, r + k = n or s = 0: draw again
            signature = key.crypt.sign(e, f"{keys.random_nonce():064x}")
            if signature is not None:
                return bytes.fromhex(signature)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        key = self._public_keys.get(public_key)
        if not curve.is_signature_in_range(signature):
            return False
        e = message_digest(key.z, message, sm3)
        try:
            return bool(key.crypt.verify(signature.hex(), e))
        except TypeError:  # s*G + t*P at infinity makes the library index None
            return False


class SM2KEM(KEMImplementation):
    """SM2 encryption of a fresh 32-byte secret; ciphertext X1||Y1||C3||C2 (128 bytes)."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._secret_keys = KeyCache(_parse_secret)
        self._public_keys = KeyCache(_parse_public)

    def _keygen(self) -> tuple[bytes, bytes]:
        return _keygen_pair()

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        self._public_keys.get(public_key)  # checks the point once per key
        secret = secrets.token_bytes(self.shared_secret_size)
        while True:
            ciphertext = _encrypt(public_key, secret, keys.random_nonce())
            if ciphertext is not None:
                return ciphertext, secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._secret_keys.get(secret_key)
        return _decrypt(int(key.crypt.private_key, 16), ciphertext)


_CLASSES: dict[str, type[KEMImplementation] | type[SignatureImplementation]] = {
    "SM2": SM2Signature,
    "SM2-ENC": SM2KEM,
}


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The gmssl (pure Python) implementation of ``algorithm``."""
    cls = _CLASSES.get(algorithm.name)
    if cls is None:
        raise UnsupportedAlgorithmError(f"the gmssl backend has no code for {algorithm.name}.")
    return cls(algorithm, status(), native_name)
