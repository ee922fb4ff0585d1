"""The SM2 signature and KEM classes every SM2 backend shares; each library supplies its primitives.

What is the same whatever library computes SM2 lives here once: parsed keys
cached per encoding (:class:`~pqc.backends.base.KeyCache`), key generation by
the library, the 1 <= r, s <= n-1 range check before verifying, a fresh
32-byte secret per encapsulation, the C1-on-the-curve check before decrypting
and the check that the plaintext has the secret's length. A backend writes a
class that implements :class:`SM2Library` (keys, sign, verify, encrypt,
decrypt through its library) and subclasses :class:`SM2Signature` and
:class:`SM2KEM` naming it.

Byte formats (every SM2 backend): public key X||Y (64), secret key d (32),
signature r||s (64), ciphertext X1||Y1||C3||C2 (C1C3C2, 128 for the secret).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pqc.backends.base import BackendStatus, KEMImplementation, KeyCache, SignatureImplementation
from pqc.catalog import Algorithm
from pqc.errors import DecryptionError
from pqc.sm import curve

K = TypeVar("K")


class SM2Library(Protocol[K]):
    """One library's SM2 operations on parsed keys ``K`` (one object per implementation)."""

    def parse_secret(self, secret_key: bytes) -> K:
        """The checked secret key d (InvalidKeyError when out of range)."""
        ...

    def parse_public(self, public_key: bytes) -> K:
        """The checked public key X||Y (InvalidKeyError when not on the curve)."""
        ...

    def key_pair(self) -> tuple[bytes, bytes]:
        """A fresh (public X||Y, secret d) pair."""
        ...

    def sign(self, key: K, secret_key: bytes, message: bytes) -> bytes:
        """r||s over ``message`` with SM3 and the default signer ID."""
        ...

    def verify(self, key: K, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (r, s already in range) is valid."""
        ...

    def encrypt(self, key: K, public_key: bytes, plaintext: bytes) -> bytes:
        """X1||Y1||C3||C2 of ``plaintext`` with a fresh k."""
        ...

    def decrypt(self, key: K, secret_key: bytes, ciphertext: bytes) -> bytes:
        """The plaintext of a ciphertext whose C1 is on the curve; DecryptionError when not ours."""
        ...


class _SM2Keys(Generic[K]):
    """The library object and the two key caches one SM2 implementation object holds."""

    def __init__(self, library: SM2Library[K]) -> None:
        self.library = library
        self.secret_keys: KeyCache[bytes, K] = KeyCache(library.parse_secret)
        self.public_keys: KeyCache[bytes, K] = KeyCache(library.parse_public)


class _WithLibrary:
    """What both SM2 classes do the same: name the library (a subclass sets it), keygen by it."""

    library: ClassVar[Callable[[], SM2Library[Any]]]
    _sm2: _SM2Keys[Any]

    def _keygen(self) -> tuple[bytes, bytes]:
        return self._sm2.library.key_pair()


class SM2Signature(_WithLibrary, SignatureImplementation):
    """SM2 with SM3 and the default ID; r and s range-checked before the library verifies."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._sm2 = _SM2Keys(type(self).library())

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        key = self._sm2.secret_keys.get(secret_key)
        return self._sm2.library.sign(key, secret_key, message)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        key = self._sm2.public_keys.get(public_key)
        if not curve.is_signature_in_range(signature):
            return False
        return self._sm2.library.verify(key, public_key, message, signature)


class SM2KEM(_WithLibrary, KEMImplementation):
    """SM2 encryption of a fresh 32-byte secret; ciphertext X1||Y1||C3||C2 (128 bytes)."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._sm2 = _SM2Keys(type(self).library())

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        key = self._sm2.public_keys.get(public_key)  # checks the point once per key
        secret = secrets.token_bytes(self.shared_secret_size)
        return self._sm2.library.encrypt(key, public_key, secret), secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._sm2.secret_keys.get(secret_key)
        if curve.decode_xy(ciphertext[: curve.XY_SIZE]) is None:
            raise DecryptionError("SM2 decryption failed: C1 is not a point on the SM2 curve.")
        secret = self._sm2.library.decrypt(key, secret_key, ciphertext)
        if len(secret) != self.shared_secret_size:
            raise DecryptionError(
                f"SM2 ciphertext carried {len(secret)} bytes, expected {self.shared_secret_size}."
            )
        return secret
