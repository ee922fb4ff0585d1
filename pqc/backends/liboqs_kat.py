"""liboqs's side of the NIST known-answer checks: randomness from a KAT generator.

liboqs draws every random byte through ``OQS_randombytes``, which
``OQS_randombytes_custom_algorithm`` redirects to a callback; the operations here point
it at a deterministic generator (any object with ``random_bytes(n)``, e.g.
:class:`pqc.conformance.nist_drbg.NistCtrDrbg`) for the duration of one known-answer run
and back to the system generator afterwards. The redirection is process-wide: the
known-answer procedure (:mod:`pqc.conformance.nist_kat`) runs it only in a child process
of its own, never where other code may be drawing keys.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

RANDOMBYTES = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t)


class RandomSource(Protocol):
    """A deterministic byte source (the known-answer generator)."""

    def random_bytes(self, n: int) -> bytes: ...


@contextmanager
def _randomness(oqs: Any, rng: RandomSource) -> Iterator[None]:
    """Every ``OQS_randombytes`` call inside the block is served by ``rng``."""
    native = oqs.native()

    def fill(buffer: Any, length: int) -> None:
        ctypes.memmove(buffer, rng.random_bytes(int(length)), int(length))

    callback = RANDOMBYTES(fill)  # kept referenced until switched back
    native.OQS_randombytes_custom_algorithm(callback)
    try:
        yield
    finally:
        native.OQS_randombytes_switch_algorithm(b"system")
        del callback


class _Operations:
    """One liboqs-python object (``KeyEncapsulation`` or ``Signature``) and its randomness."""

    def __init__(self, oqs: Any, native_name: str, mechanism: Any) -> None:
        self._oqs = oqs
        self._name = native_name
        self._mechanism = mechanism
        self._object = mechanism(native_name)

    def randomness(self, rng: RandomSource) -> Any:
        return _randomness(self._oqs, rng)

    def keypair(self) -> tuple[bytes, bytes]:
        public_key = bytes(self._object.generate_keypair())
        return public_key, bytes(self._object.export_secret_key())

    def _with_secret(self, secret_key: bytes) -> Any:
        """A fresh object holding ``secret_key`` (a context manager)."""
        return self._mechanism(self._name, secret_key)


class _KEM(_Operations):
    def __init__(self, oqs: Any, native_name: str) -> None:
        super().__init__(oqs, native_name, oqs.KeyEncapsulation)

    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        ciphertext, shared_secret = self._object.encap_secret(public_key)
        return bytes(ciphertext), bytes(shared_secret)

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        with self._with_secret(secret_key) as kem:
            return bytes(kem.decap_secret(ciphertext))


class _Signature(_Operations):
    def __init__(self, oqs: Any, native_name: str) -> None:
        super().__init__(oqs, native_name, oqs.Signature)

    def sign(self, secret_key: bytes, message: bytes) -> bytes:
        with self._with_secret(secret_key) as sig:
            return bytes(sig.sign(message))

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return bool(self._object.verify(message, signature, public_key))


def operations(oqs: Any, kind: str, native_name: str) -> _KEM | _Signature:
    """The KEM or signature operations of ``native_name`` with a redirectable randomness.

    ``oqs`` is the imported liboqs-python module (the backend hands it in).
    """
    return _KEM(oqs, native_name) if kind == "kem" else _Signature(oqs, native_name)
