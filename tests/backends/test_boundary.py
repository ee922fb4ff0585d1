"""Inputs become plain ``bytes`` at the public methods, before any length check.

A ``bytes`` subclass whose ``__len__`` lies used to pass the length check and
reach the library (liboqs zero-padded the short key and encapsulated to it).
Also: the fast path hands the caller's own bytes object to the hook, and only
other inputs take the slow path.
"""

from __future__ import annotations

import pytest

import pqc
from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.catalog import lookup
from pqc.errors import InvalidArgumentError, InvalidKeyError
from tests.conftest import implementation_params


def lying(data: bytes, length: int) -> bytes:
    """A bytes subclass holding ``data`` whose ``len()`` and ``bytes()`` say ``length``."""

    class Lying(bytes):
        def __len__(self) -> int:
            return length

        def __bytes__(self) -> bytes:
            return bytes(length)

    return Lying(data)


def _short_or_long(impl: KEMImplementation | SignatureImplementation) -> bytes:
    """Real content of a wrong length: one byte short, or one too many for variable sizes."""
    size = impl.public_key_size
    if impl.algorithm.is_variable("public_key"):
        return b"\x01" * (size + 1)
    return b"\x01" * (size - 1)


@pytest.mark.parametrize(("name", "backend"), implementation_params())
def test_lying_length_public_key_is_refused(name: str, backend: str) -> None:
    impl = pqc.api.implementation(name, backend)
    key = lying(_short_or_long(impl), impl.public_key_size)
    with pytest.raises(InvalidKeyError, match="public key must be"):
        if isinstance(impl, KEMImplementation):
            impl.encaps(key)
        else:
            impl.verify(key, b"message", bytes(impl.signature_size))


@pytest.mark.parametrize(
    ("name", "backend"),
    implementation_params("kem", where=lambda a: a.name in ("ML-KEM-768", "X25519MLKEM768")),
)
def test_subclass_with_correct_content_is_used_by_its_buffer(name: str, backend: str) -> None:
    impl = pqc.kem(name, backend)
    public_key, secret_key = impl.keygen()
    ciphertext, shared = impl.encaps(lying(public_key, 0))
    assert impl.decaps(lying(secret_key, 1), lying(ciphertext, 2)) == shared


@pytest.mark.parametrize(
    "wrap", [bytearray, memoryview, lambda b: memoryview(b"xx" + b)[2:]], ids=["ba", "mv", "slice"]
)
def test_bytearray_and_memoryview_are_copied_to_bytes(wrap: object) -> None:
    kem = Recording()
    public_key = b"\x02" * kem.public_key_size
    assert callable(wrap)
    kem.encaps(wrap(public_key))
    assert kem.seen == [(bytes, public_key)]


def test_other_types_are_refused_with_what_to_pass() -> None:
    with pytest.raises(InvalidArgumentError, match="must be bytes, got str"):
        Recording().encaps("00" * 1184)  # type: ignore[arg-type]
    released = memoryview(b"\x00" * 1184)
    released.release()
    with pytest.raises(InvalidArgumentError, match="cannot be read"):
        Recording().encaps(released)  # type: ignore[arg-type]


def test_fast_path_hands_the_callers_object_to_the_hook() -> None:
    kem = Recording()
    public_key = b"\x03" * kem.public_key_size
    kem.encaps(public_key)
    assert kem.received[0] is public_key
    assert kem.slow_path_calls == 0
    kem.encaps(bytearray(public_key))
    assert kem.slow_path_calls == 1


class Recording(KEMImplementation):
    """A test double over the real checks: records what reached the hook, and the slow path."""

    def __init__(self) -> None:
        super().__init__(lookup("ML-KEM-768"), BackendStatus("double", True, "0", "C", "x"), "x")
        self.seen: list[tuple[type, bytes]] = []
        self.received: list[bytes] = []
        self.slow_path_calls = 0

    def _public_key(self, public_key: object) -> bytes:
        self.slow_path_calls += 1
        return super()._public_key(public_key)

    def _keygen(self) -> tuple[bytes, bytes]:
        raise NotImplementedError

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        self.seen.append((type(public_key), public_key))
        self.received.append(public_key)
        return bytes(self.ciphertext_size), bytes(32)

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        raise NotImplementedError
