"""One implementation object shared by 8 threads: no duplicate keys, no mismatched pairs,
no wrong secrets, no exceptions (ML-KEM-768, ML-DSA-65, SM2, X25519MLKEM768 on every
available backend, and the hybrid with each ML-KEM backend inside)."""

from __future__ import annotations

import pytest

import pqc
from pqc.hybrid import compose
from tests.backends.sharing import hammer
from tests.conftest import implementation_params

SHARED = ("ML-KEM-768", "ML-DSA-65", "SM2", "X25519MLKEM768")
SECONDS = 0.4  # liboqs-python's shared objects failed within the first 0.1 s
THREADS = 8


@pytest.mark.parametrize(
    ("name", "backend"), implementation_params(where=lambda a: a.name in SHARED)
)
def test_one_object_shared_by_eight_threads(name: str, backend: str) -> None:
    impl = pqc.api.implementation(name, backend)
    tally = hammer(impl, threads=THREADS, seconds=SECONDS)
    assert tally.rounds >= THREADS
    assert tally.clean, f"{impl!r}: {tally}"


@pytest.mark.parametrize("mlkem_backend", pqc.api.available_backends("ML-KEM-768"))
def test_hybrid_shared_with_each_mlkem_backend(mlkem_backend: str) -> None:
    impl = compose("X25519MLKEM768", mlkem_backend=mlkem_backend)
    tally = hammer(impl, threads=THREADS, seconds=SECONDS)
    assert tally.rounds >= THREADS
    assert tally.clean, f"{impl!r}: {tally}"


def test_the_harness_sees_a_shared_mutable_key_pair() -> None:
    """The check can fail: a KEM that keeps its last key pair in itself is caught."""
    import threading
    import time

    from pqc.backends.base import BackendStatus, KEMImplementation
    from pqc.catalog import lookup

    class LastPairKEM(KEMImplementation):  # the liboqs-python pattern, in pure Python
        def __init__(self) -> None:
            status = BackendStatus("double", True, "0", "C", "x")
            super().__init__(lookup("ML-KEM-768"), status, "x")
            self._secret = b""
            self._counter = 0
            self._lock = threading.Lock()

        def _keygen(self) -> tuple[bytes, bytes]:
            with self._lock:
                self._counter += 1
                self._secret = self._counter.to_bytes(self.secret_key_size, "big")
            time.sleep(0.0005)  # let another thread overwrite it
            return self._secret[: self.public_key_size], self._secret

        def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
            return bytes(self.ciphertext_size), public_key[-32:]

        def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
            return secret_key[-32:]

    tally = hammer(LastPairKEM(), threads=THREADS, seconds=0.2)
    assert tally.duplicate_secret_keys > 0
