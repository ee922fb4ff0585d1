"""Deterministic randomness for known-answer tests: test-vector machinery, never key material.

:class:`NistCtrDrbg` is the AES-256 CTR_DRBG (SP 800-90A, no derivation function, no
prediction resistance) of NIST's PQC ``rng.c``, with which every NIST PQC submission
generated its ``PQCkemKAT_*.rsp`` / ``PQCsignKAT_*.rsp`` files and liboqs its KAT digests.
:class:`HqcShakePrng` is the SHAKE256 generator the HQC reference implementation (and
liboqs's KAT test for HQC) uses instead. Both are seeded with 48 bytes and are *not*
random number generators for real use: anyone who knows the seed knows every output.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SEED_SIZE = 48
HQC_PRNG_DOMAIN = 0  # liboqs tests/test_helpers.c HQC_PRNG_DOMAIN


class KatRng(Protocol):
    """A deterministic byte source that can be copied (liboqs's KAT save/restore state)."""

    def random_bytes(self, n: int) -> bytes: ...

    def copy(self) -> KatRng: ...


def _check_seed(label: str, value: bytes | None) -> None:
    if value is not None and len(value) != SEED_SIZE:
        raise ValueError(f"{label} must be {SEED_SIZE} bytes, got {len(value)}")


class NistCtrDrbg:
    """NIST PQC ``randombytes_init`` / ``randombytes`` (AES-256 CTR_DRBG), in Python."""

    __slots__ = ("_key", "_reseed_counter", "_v")

    def __init__(self, entropy_input: bytes, personalization: bytes | None = None) -> None:
        _check_seed("entropy_input", entropy_input)
        _check_seed("personalization", personalization)
        seed_material = bytes(entropy_input)
        if personalization is not None:
            mixed = zip(seed_material, personalization, strict=True)
            seed_material = bytes(a ^ b for a, b in mixed)
        self._key = bytes(32)
        self._v = bytes(16)
        self._update(seed_material)
        self._reseed_counter = 1

    def _block(self) -> bytes:
        """Increment V (a 128-bit big-endian counter) and encrypt it under the key."""
        self._v = ((int.from_bytes(self._v, "big") + 1) % (1 << 128)).to_bytes(16, "big")
        encryptor = Cipher(algorithms.AES(self._key), modes.ECB()).encryptor()
        return encryptor.update(self._v) + encryptor.finalize()

    def _update(self, provided: bytes | None) -> None:
        temp = b"".join(self._block() for _ in range(3))
        if provided is not None:
            temp = bytes(a ^ b for a, b in zip(temp, provided, strict=True))
        self._key, self._v = temp[:32], temp[32:]

    def random_bytes(self, n: int) -> bytes:
        """``n`` bytes, then the state update NIST's ``randombytes`` does after every call."""
        if n < 0:
            raise ValueError(f"cannot draw {n} bytes")
        out = bytearray()
        while len(out) < n:
            out += self._block()
        self._update(None)
        self._reseed_counter += 1
        return bytes(out[:n])

    def copy(self) -> NistCtrDrbg:
        clone = object.__new__(NistCtrDrbg)
        clone._key, clone._v, clone._reseed_counter = self._key, self._v, self._reseed_counter
        return clone

    def __repr__(self) -> str:
        return "<NistCtrDrbg (deterministic test-vector generator; state not shown)>"


class HqcShakePrng:
    """HQC's KAT generator: SHAKE256(entropy || [personalization] || domain), squeezed on."""

    __slots__ = ("_absorbed", "_offset")

    def __init__(self, entropy_input: bytes, personalization: bytes | None = None) -> None:
        _check_seed("entropy_input", entropy_input)
        _check_seed("personalization", personalization)
        self._absorbed = bytes(entropy_input) + (personalization or b"") + bytes([HQC_PRNG_DOMAIN])
        self._offset = 0

    def random_bytes(self, n: int) -> bytes:
        if n < 0:
            raise ValueError(f"cannot draw {n} bytes")
        end = self._offset + n
        out = hashlib.shake_256(self._absorbed).digest(end)[self._offset:]
        self._offset = end
        return out

    def copy(self) -> HqcShakePrng:
        clone = object.__new__(HqcShakePrng)
        clone._absorbed, clone._offset = self._absorbed, self._offset
        return clone

    def __repr__(self) -> str:
        return "<HqcShakePrng (deterministic test-vector generator; state not shown)>"


GENERATORS: dict[str, type[NistCtrDrbg] | type[HqcShakePrng]] = {
    "nist-aes256-ctr-drbg": NistCtrDrbg,
    "hqc-shake256": HqcShakePrng,
}


def generator(kind: str, entropy_input: bytes) -> KatRng:
    """A fresh generator of ``kind`` (a key of :data:`GENERATORS`) seeded with 48 bytes."""
    try:
        return GENERATORS[kind](entropy_input)
    except KeyError:
        raise ValueError(
            f"unknown KAT generator {kind!r}; expected one of: {', '.join(GENERATORS)}"
        ) from None
