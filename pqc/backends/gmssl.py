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
from pqc.errors import DecryptionError, InvalidKeyError, UnsupportedAlgorithmError
from pqc.sm import curve
from pqc.sm.digest import encryption_check, message_digest, z_a

NAME = "gmssl"
PACKAGE = "gmssl"
LANGUAGE = "pure Python"
_HEX_GENERATOR = f"{curve.GX:064x}{curve.GY:064x}"


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
        details=(("gmssl", version),),
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


def multiply(obj: Any, k: int, point_hex: str = _HEX_GENERATOR) -> bytes:
    """k * point (hex X||Y) by the library's ``_kg``; X||Y bytes (64)."""
    result = obj._kg(k, point_hex)
    if result is None:  # the point at infinity: impossible for 1 <= k < n on a valid point
        raise ValueError("scalar multiplication reached the point at infinity")
    return bytes.fromhex(result)


def random_nonce() -> int:
    """A nonce in [1, n-1] from :mod:`secrets` (the library would use random.choice)."""
    return 1 + secrets.randbelow(curve.N - 1)


def _check_point(public_key: bytes) -> None:
    if curve.decode_point(public_key) is None:
        raise InvalidKeyError("the SM2 public key X||Y is not a point on the SM2 curve.")


def _check_scalar(secret_key: bytes) -> None:
    if not curve.is_valid_secret_scalar(int.from_bytes(secret_key, "big")):
        raise InvalidKeyError("an SM2 secret key must be an integer in [1, n-2].")


@dataclass(frozen=True, repr=False)
class _Key:
    """A parsed key: the library object and the signer's Z_A. Its repr shows nothing secret."""

    crypt: Any
    public_key: bytes
    z: bytes

    def __repr__(self) -> str:
        return "<SM2 key>"


def _parse_secret(secret_key: bytes) -> _Key:
    _check_scalar(secret_key)
    obj = crypt(secret_key)
    public = multiply(obj, int.from_bytes(secret_key, "big"))
    obj.public_key = public.hex()
    return _Key(obj, public, z_a(public, sm3))


def _parse_public(public_key: bytes) -> _Key:
    _check_point(public_key)
    return _Key(crypt(public_key=public_key), public_key, z_a(public_key, sm3))


def _keygen_pair() -> tuple[bytes, bytes]:
    d = 1 + secrets.randbelow(curve.N - 2)  # [1, n-2]
    return multiply(crypt(), d), d.to_bytes(curve.SCALAR_SIZE, "big")


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
    _check_point(public_key)
    ciphertext = _encrypt(crypt(public_key=public_key), public_key, plaintext, k)
    if ciphertext is None:
        raise ValueError("this k gives an all-zero KDF output; SM2 needs another k")
    return ciphertext


def decrypt_checked(secret_key: bytes, ciphertext: bytes) -> bytes:
    """SM2-decrypt X1||Y1||C3||C2 of any plaintext length, checking C1 and C3 (DecryptionError)."""
    _check_scalar(secret_key)
    return _decrypt(crypt(secret_key), int.from_bytes(secret_key, "big"), ciphertext)


# ---------------------------------------------------------------- SM2 encryption core
def _encrypt(obj: Any, public_key: bytes, plaintext: bytes, k: int) -> bytes | None:
    """What the library's ``encrypt`` computes, with k supplied; None when the KDF output is 0."""
    c1 = multiply(obj, k)
    shared = multiply(obj, k, public_key.hex())
    mask = sm3_kdf(shared, len(plaintext))
    if not any(mask):
        return None
    c2 = bytes(a ^ b for a, b in zip(plaintext, mask, strict=True))
    c3 = encryption_check(shared[:32], plaintext, shared[32:], sm3)
    return c1 + c3 + c2


def _decrypt(obj: Any, d: int, ciphertext: bytes) -> bytes:
    """What the library's ``decrypt`` computes, plus the C1 and C3 checks it omits."""
    c1 = ciphertext[: curve.POINT_SIZE]
    c3 = ciphertext[curve.POINT_SIZE : curve.POINT_SIZE + 32]
    c2 = ciphertext[curve.POINT_SIZE + 32 :]
    if curve.decode_point(c1) is None or not c2 or len(c3) != 32:
        raise DecryptionError("SM2 decryption failed: C1 is not a point on the SM2 curve.")
    shared = multiply(obj, d, c1.hex())
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
            signature = key.crypt.sign(e, f"{random_nonce():064x}")
            if signature is not None:
                return bytes.fromhex(signature)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        key = self._public_keys.get(public_key)
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        if not (1 <= r < curve.N and 1 <= s < curve.N):
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
        key = self._public_keys.get(public_key)
        secret = secrets.token_bytes(self.shared_secret_size)
        while True:
            ciphertext = _encrypt(key.crypt, public_key, secret, random_nonce())
            if ciphertext is not None:
                return ciphertext, secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._secret_keys.get(secret_key)
        return _decrypt(key.crypt, int(key.crypt.private_key, 16), ciphertext)


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
