"""The pure-Python ``gmssl`` package (3.2.2) as pqc calls it: SM3, SM2 arithmetic, keys, SM4.

Everything here calls the library; :mod:`pqc.backends.gmssl` builds the
backend's implementations on it and :mod:`pqc.backends.gmssl_findings` shows
the library's defects with it (see that backend's docstring for what is
guarded, and how).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from functools import cache
from typing import Any

from pqc.backends.base import ParsedKey
from pqc.errors import BackendError, DecryptionError
from pqc.sm import curve, keys
from pqc.sm.digest import encryption_check, message_digest, z_a


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
class Key(ParsedKey):
    """A parsed key: the library object and the signer's Z_A. Its repr shows nothing secret."""

    crypt: Any
    public_key: bytes
    z: bytes

    shown = "SM2 key"


def parse_secret(secret_key: bytes) -> Key:
    """The checked secret key d as a library object, its public key and Z_A."""
    public = multiply(keys.secret_scalar(secret_key))
    obj = crypt(secret_key, public)
    return Key(obj, public, z_a(public, sm3))


def parse_public(public_key: bytes) -> Key:
    """The checked public key X||Y as a library object and its Z_A."""
    keys.public_point(public_key)
    return Key(crypt(public_key=public_key), public_key, z_a(public_key, sm3))


def generate_key_pair() -> tuple[bytes, bytes]:
    """A fresh (public X||Y, secret d) pair: d from :mod:`secrets` in [1, n-2], d*G by ``_kg``."""
    d = keys.random_secret_scalar()
    return multiply(d), d.to_bytes(curve.SCALAR_SIZE, "big")


# ---------------------------------------------------------------- KAT-only entry points
def sm2_sign_with_nonce(secret_key: bytes, message: bytes, k: int) -> bytes:
    """Known-answer use ONLY: SM2-sign (default ID) with a caller-chosen nonce ``k``; r||s.

    A fixed nonce reveals the secret key after two signatures. Never used by pqc's
    normal paths, which draw every nonce from :mod:`secrets`.
    """
    key = parse_secret(secret_key)
    signature = key.crypt.sign(message_digest(key.z, message, sm3), f"{k:064x}")
    if signature is None:
        raise ValueError("this nonce gives r = 0, r + k = n or s = 0; SM2 needs another k")
    return bytes.fromhex(signature)


def sm2_encrypt_with_nonce(public_key: bytes, plaintext: bytes, k: int) -> bytes:
    """Known-answer use ONLY: SM2-encrypt with a caller-chosen ``k``; X1||Y1||C3||C2.

    A fixed k lets anyone who knows it decrypt. Never used by pqc's normal paths.
    """
    keys.public_point(public_key)
    ciphertext = encrypt(public_key, plaintext, k)
    if ciphertext is None:
        raise ValueError("this k gives an all-zero KDF output; SM2 needs another k")
    return ciphertext


def sm2_decrypt(secret_key: bytes, ciphertext: bytes) -> bytes:
    """SM2-decrypt X1||Y1||C3||C2 of any plaintext length, checking C1 and C3 (DecryptionError)."""
    return decrypt(keys.secret_scalar(secret_key), ciphertext)


# ---------------------------------------------------------------- SM2 encryption core
def encrypt(public_key: bytes, plaintext: bytes, k: int) -> bytes | None:
    """What the library's ``encrypt`` computes, with k supplied; None when the KDF output is 0."""
    c1 = multiply(k)
    shared = multiply(k, public_key)
    mask = sm3_kdf(shared, len(plaintext))
    if not any(mask):
        return None
    c2 = bytes(a ^ b for a, b in zip(plaintext, mask, strict=True))
    c3 = encryption_check(shared[:32], plaintext, shared[32:], sm3)
    return c1 + c3 + c2


def decrypt(d: int, ciphertext: bytes) -> bytes:
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




# ---------------------------------------------------------------- SM4 (for the GM examples)
def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """One SM4 block (16 bytes) under ``key`` (16 bytes) by the gmssl package's ECB mode."""
    from gmssl import sm4

    crypt_sm4 = sm4.CryptSM4()
    crypt_sm4.set_key(key, sm4.SM4_ENCRYPT)
    return bytes(crypt_sm4.crypt_ecb(block))[:16]  # the library appends a PKCS#7 block
