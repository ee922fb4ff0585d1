"""Every algorithm in the catalog on every available backend: round trips, tampering,
wrong lengths and wrong types, and no secret in any repr.

Parametrised over the catalog (tests/conftest.py ``implementation_params``), so a
new algorithm or backend is covered without new tests. Key material is generated
once per (algorithm, backend) and reused: SLH-DSA-128s signing and RSA key
generation take hundreds of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest

import pqc
from pqc.backends.base import KEMImplementation, SignatureImplementation
from tests.conftest import implementation_params

# Families whose decapsulation of a tampered ciphertext returns a pseudo-random
# secret without error (implicit rejection, FIPS 203 and the HQC specification).
IMPLICIT_REJECTION = {"ML-KEM", "HQC", "FrodoKEM", "Classic-McEliece", "BIKE"}
# Families built on authenticated/padded encryption: a tampered ciphertext raises.
RAISES_ON_TAMPER = {"SM2", "SM9", "RSA"}

MESSAGE = b"pqc round-trip message \x00\xff"
NOT_BYTES: tuple[object, ...] = ("text", 12345, None)


def _kem(name: str, backend: str) -> KEMImplementation:
    try:
        return pqc.kem(name, backend)
    except pqc.UnsupportedAlgorithmError as exc:  # e.g. a minimal liboqs build
        pytest.skip(str(exc))


def _signature(name: str, backend: str) -> SignatureImplementation:
    try:
        return pqc.signature(name, backend)
    except pqc.UnsupportedAlgorithmError as exc:
        pytest.skip(str(exc))


@dataclass(frozen=True)
class KEMCase:
    impl: KEMImplementation
    public_key: bytes
    secret_key: bytes
    ciphertext: bytes
    shared_secret: bytes


@dataclass(frozen=True)
class SignatureCase:
    impl: SignatureImplementation
    public_key: bytes
    secret_key: bytes
    signature: bytes


_KEM_CASES: dict[tuple[str, str], KEMCase] = {}
_SIGNATURE_CASES: dict[tuple[str, str], SignatureCase] = {}


def kem_case(name: str, backend: str) -> KEMCase:
    """One key pair and one encapsulation per (algorithm, backend), made once."""
    key = (name, backend)
    if key not in _KEM_CASES:
        impl = _kem(name, backend)
        pk, sk = impl.keygen()
        ct, ss = impl.encaps(pk)
        _KEM_CASES[key] = KEMCase(impl, pk, sk, ct, ss)
    return _KEM_CASES[key]


def signature_case(name: str, backend: str) -> SignatureCase:
    """One key pair and one signature of MESSAGE per (algorithm, backend), made once."""
    key = (name, backend)
    if key not in _SIGNATURE_CASES:
        impl = _signature(name, backend)
        pk, sk = impl.keygen()
        _SIGNATURE_CASES[key] = SignatureCase(impl, pk, sk, impl.sign(sk, MESSAGE))
    return _SIGNATURE_CASES[key]


def wrong_lengths(accepted: Iterable[int], variable: bool) -> list[int]:
    """Lengths that must be refused: off by one either side (or out of 1..max when variable)."""
    sizes = set(accepted)
    if variable:
        return [0, max(sizes) + 1]
    near = {0} | {n - 1 for n in sizes} | {n + 1 for n in sizes}
    return sorted(n for n in near - sizes if n >= 0)


def flip(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def assert_length(value: bytes, size: int, variable: bool) -> None:
    assert isinstance(value, bytes)
    if variable:
        assert 0 < len(value) <= size
    else:
        assert len(value) == size


def assert_key_lengths(case: KEMCase | SignatureCase) -> None:
    """The key pair has the lengths the implementation and the catalog say."""
    impl, algorithm = case.impl, case.impl.algorithm
    assert_length(case.public_key, impl.public_key_size, algorithm.is_variable("public_key"))
    if algorithm.is_variable("secret_key"):
        assert 0 < len(case.secret_key) <= max(impl.secret_key_sizes)
    else:
        assert len(case.secret_key) == impl.secret_key_size
        assert impl.secret_key_size in impl.secret_key_sizes


KEM_PARAMS = implementation_params("kem")
SIGNATURE_PARAMS = implementation_params("signature")


# ---------------------------------------------------------------- KEMs
@pytest.mark.parametrize(("name", "backend"), KEM_PARAMS)
def test_kem_round_trip(name: str, backend: str) -> None:
    case = kem_case(name, backend)
    impl, algorithm = case.impl, case.impl.algorithm
    assert impl.backend == backend and impl.algorithm.name == name
    assert_key_lengths(case)
    assert_length(case.ciphertext, impl.ciphertext_size, algorithm.is_variable("ciphertext"))
    assert len(case.shared_secret) == impl.shared_secret_size
    assert impl.decaps(case.secret_key, case.ciphertext) == case.shared_secret
    ct2, ss2 = impl.encaps(bytearray(case.public_key))  # bytearray is accepted too
    assert ct2 != case.ciphertext, "encapsulation must be randomised"
    assert ss2 != case.shared_secret
    assert impl.decaps(case.secret_key, memoryview(ct2)) == ss2


@pytest.mark.parametrize(("name", "backend"), KEM_PARAMS)
def test_kem_tampered_ciphertext(name: str, backend: str) -> None:
    """Never the same secret; implicit rejection or an error according to the family."""
    case = kem_case(name, backend)
    family = case.impl.algorithm.family
    for index in (len(case.ciphertext) // 2, len(case.ciphertext) - 1):
        tampered = flip(case.ciphertext, index)
        if family in IMPLICIT_REJECTION:
            secret = case.impl.decaps(case.secret_key, tampered)
            assert len(secret) == case.impl.shared_secret_size
            assert secret != case.shared_secret
            assert case.impl.decaps(case.secret_key, tampered) == secret  # deterministic
        elif family in RAISES_ON_TAMPER:
            with pytest.raises((pqc.DecryptionError, pqc.InvalidCiphertextError)):
                case.impl.decaps(case.secret_key, tampered)
        else:  # Diffie-Hellman style: another point gives another secret, or is refused
            try:
                secret = case.impl.decaps(case.secret_key, tampered)
            except pqc.InvalidCiphertextError:
                continue
            assert secret != case.shared_secret


@pytest.mark.parametrize(("name", "backend"), KEM_PARAMS)
def test_kem_wrong_lengths_raise_documented_errors(name: str, backend: str) -> None:
    case = kem_case(name, backend)
    impl, algorithm = case.impl, case.impl.algorithm
    for n in wrong_lengths([impl.public_key_size], algorithm.is_variable("public_key")):
        with pytest.raises(pqc.InvalidKeyError):
            impl.encaps(bytes(n))
    for n in wrong_lengths(impl.secret_key_sizes, algorithm.is_variable("secret_key")):
        with pytest.raises(pqc.InvalidKeyError):
            impl.decaps(bytes(n), case.ciphertext)
    for n in wrong_lengths([impl.ciphertext_size], algorithm.is_variable("ciphertext")):
        with pytest.raises(pqc.InvalidCiphertextError):
            impl.decaps(case.secret_key, b"\x01" * n)


@pytest.mark.parametrize(("name", "backend"), KEM_PARAMS)
def test_kem_wrong_types_raise_invalid_argument(name: str, backend: str) -> None:
    case = kem_case(name, backend)
    for value in NOT_BYTES:
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            case.impl.encaps(value)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            case.impl.decaps(value, case.ciphertext)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            case.impl.decaps(case.secret_key, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "backend"), KEM_PARAMS)
def test_kem_repr_shows_no_secret(name: str, backend: str) -> None:
    case = kem_case(name, backend)
    case.impl.decaps(case.secret_key, case.ciphertext)  # populate any key cache
    assert_no_secret(case.impl, [case.secret_key, case.shared_secret])


# ---------------------------------------------------------------- signatures
@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_round_trip(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    impl, algorithm = case.impl, case.impl.algorithm
    assert impl.backend == backend and impl.algorithm.name == name
    assert_key_lengths(case)
    assert_length(case.signature, impl.signature_size, algorithm.is_variable("signature"))
    assert impl.verify(case.public_key, MESSAGE, case.signature) is True
    assert impl.verify(bytearray(case.public_key), bytearray(MESSAGE), case.signature) is True
    assert impl.verify(case.public_key, MESSAGE + b"!", case.signature) is False
    assert impl.verify(case.public_key, b"", case.signature) is False


@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_tampered_verifies_false(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    for index in (0, len(case.signature) // 2, len(case.signature) - 1):
        assert case.impl.verify(case.public_key, MESSAGE, flip(case.signature, index)) is False


@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_malformed_length_verifies_false(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    impl = case.impl
    bad = [case.signature[:-1], case.signature + b"\x00", b""]
    if impl.algorithm.is_variable("signature"):
        bad = [case.signature[:-1], case.signature + bytes(impl.signature_size), b""]
    for signature in bad:
        assert impl.verify(case.public_key, MESSAGE, signature) is False


@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_wrong_key_lengths_raise_invalid_key(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    impl, algorithm = case.impl, case.impl.algorithm
    for n in wrong_lengths([impl.public_key_size], algorithm.is_variable("public_key")):
        with pytest.raises(pqc.InvalidKeyError):
            impl.verify(bytes(n), MESSAGE, case.signature)
    for n in wrong_lengths(impl.secret_key_sizes, algorithm.is_variable("secret_key")):
        with pytest.raises(pqc.InvalidKeyError):
            impl.sign(bytes(n), MESSAGE)


@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_wrong_types_raise_invalid_argument(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    impl = case.impl
    for value in NOT_BYTES:
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            impl.sign(value, MESSAGE)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            impl.sign(case.secret_key, value)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            impl.verify(value, MESSAGE, case.signature)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            impl.verify(case.public_key, value, case.signature)  # type: ignore[arg-type]
        with pytest.raises(pqc.InvalidArgumentError, match="must be bytes"):
            impl.verify(case.public_key, MESSAGE, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "backend"), SIGNATURE_PARAMS)
def test_signature_repr_shows_no_secret(name: str, backend: str) -> None:
    case = signature_case(name, backend)
    assert_no_secret(case.impl, [case.secret_key])


def assert_no_secret(impl: object, secrets: list[bytes]) -> None:
    """Neither repr(impl), str(impl), describe() nor any attribute's repr shows a secret."""
    texts = [repr(impl), str(impl)]
    describe = getattr(impl, "describe", None)
    if callable(describe):
        texts.append(repr(describe()))
    texts += [repr(value) for value in vars(impl).values()]
    for secret in secrets:
        probes = {secret.hex()[:32], repr(secret)[2:34], secret.hex()[-32:]}
        for text in texts:
            for probe in probes:
                assert probe not in text, f"secret material appears in {text[:80]!r}"
