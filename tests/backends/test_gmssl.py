"""The pure-Python gmssl backend: its guards against the library's defects, and the evidence
functions that show those defects (pqc.backends.gmssl_findings).

The catalog-wide round-trip/tamper/length tests live in test_roundtrip.py; these
tests check what is particular to this backend. Each pure-Python SM2 operation
takes 5-25 ms, so key pairs are shared per module.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

import pytest

import pqc
from pqc.backends import gmssl as backend
from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.sm import curve

pytestmark = pytest.mark.skipif(
    not backend.status().available,
    reason=f"gmssl backend unavailable: {backend.status().reason}",
)

MESSAGE = b"message for the gmssl backend"
T = TypeVar("T")


@pytest.fixture(scope="module")
def sig() -> SignatureImplementation:
    return pqc.signature("SM2", "gmssl")


@pytest.fixture(scope="module")
def kem() -> KEMImplementation:
    return pqc.kem("SM2-ENC", "gmssl")


@pytest.fixture(scope="module")
def sig_keys(sig: SignatureImplementation) -> tuple[bytes, bytes]:
    return sig.keygen()


@pytest.fixture(scope="module")
def kem_keys(kem: KEMImplementation) -> tuple[bytes, bytes]:
    return kem.keygen()


def test_status_reports_version_and_language() -> None:
    status = backend.status()
    assert status.available and status.language == "pure Python"
    assert status.version == "gmssl 3.2.2"
    assert pqc.signature("SM2", "gmssl").language == "pure Python"


def test_keygen_gives_a_valid_pair(sig: SignatureImplementation) -> None:
    public, secret = sig.keygen()
    d = int.from_bytes(secret, "big")
    assert curve.is_valid_secret_scalar(d)
    assert public == curve.public_key_from_secret(secret)


def _twice_with_random_seeded_alike(call: Callable[[], T]) -> tuple[T, T]:
    """``call()`` twice, with `random` seeded identically before each (its state restored)."""
    state = random.getstate()
    try:
        random.seed(7)
        first = call()
        random.seed(7)
        second = call()
    finally:
        random.setstate(state)
    return first, second


def test_signature_nonces_ignore_the_random_module(
    sig: SignatureImplementation, sig_keys: tuple[bytes, bytes]
) -> None:
    """Seeding `random` identically before each signature must not repeat the nonce."""
    public, secret = sig_keys
    first, second = _twice_with_random_seeded_alike(lambda: sig.sign(secret, MESSAGE))
    assert first != second
    assert sig.verify(public, MESSAGE, first) and sig.verify(public, MESSAGE, second)


def test_encryption_k_ignores_the_random_module(
    kem: KEMImplementation, kem_keys: tuple[bytes, bytes]
) -> None:
    public, _ = kem_keys
    (first, _), (second, _) = _twice_with_random_seeded_alike(lambda: kem.encaps(public))
    assert first[:64] != second[:64]


@pytest.mark.parametrize(
    "r, s",
    [(0, 1), (1, 0), (curve.N, 1), (1, curve.N), (2**256 - 1, 1)],
    ids=["r=0", "s=0", "r=n", "s=n", "r=2^256-1"],
)
def test_verify_range_checks_r_and_s(
    sig: SignatureImplementation, sig_keys: tuple[bytes, bytes], r: int, s: int
) -> None:
    public, _ = sig_keys
    forged = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert sig.verify(public, MESSAGE, forged) is False


def test_off_curve_public_key_is_an_invalid_key(
    sig: SignatureImplementation, kem: KEMImplementation, sig_keys: tuple[bytes, bytes]
) -> None:
    public, secret = sig_keys
    off_curve = public[:-1] + bytes([public[-1] ^ 1])
    signature = sig.sign(secret, MESSAGE)
    with pytest.raises(pqc.InvalidKeyError, match="not a point"):
        sig.verify(off_curve, MESSAGE, signature)
    with pytest.raises(pqc.InvalidKeyError, match="not a point"):
        kem.encaps(off_curve)


@pytest.mark.parametrize("d", [0, curve.N - 1, curve.N, 2**256 - 1])
def test_out_of_range_secret_key_is_an_invalid_key(
    sig: SignatureImplementation, kem: KEMImplementation, d: int
) -> None:
    secret = d.to_bytes(32, "big")
    with pytest.raises(pqc.InvalidKeyError, match=r"\[1, n-2\]"):
        sig.sign(secret, MESSAGE)
    with pytest.raises(pqc.InvalidKeyError):
        kem.decaps(secret, b"\x00" * 128)


@pytest.mark.parametrize("offset", [0, 63, 64, 95, 96, 127], ids=lambda o: f"byte{o}")
def test_tampered_ciphertext_raises_decryption_error(
    kem: KEMImplementation, kem_keys: tuple[bytes, bytes], offset: int
) -> None:
    """C1 (0-63), C3 (64-95) and C2 (96-127): the library alone would return garbage for C2."""
    public, secret = kem_keys
    ciphertext, _ = kem.encaps(public)
    tampered = bytearray(ciphertext)
    tampered[offset] ^= 0x01
    with pytest.raises(pqc.DecryptionError):
        kem.decaps(secret, bytes(tampered))


def test_key_whose_first_byte_is_04_still_works(sig: SignatureImplementation) -> None:
    """The library's lstrip("04") would corrupt this key; pqc sets the key attribute directly."""
    secret = (1).to_bytes(32, "big")
    point = curve.GENERATOR
    for _ in range(4096):
        if curve.encode_xy(point)[0] == 0x04:
            break
        secret = (int.from_bytes(secret, "big") + 1).to_bytes(32, "big")
        next_point = curve.point_add(point, curve.GENERATOR)
        assert next_point is not None
        point = next_point
    public = curve.encode_xy(point)
    assert public[0] == 0x04
    signature = sig.sign(secret, MESSAGE)
    assert sig.verify(public, MESSAGE, signature)
    kem = pqc.kem("SM2-ENC", "gmssl")
    ciphertext, shared = kem.encaps(public)
    assert kem.decaps(secret, ciphertext) == shared


def test_kat_entry_points_are_deterministic() -> None:
    secret = (12345).to_bytes(32, "big")
    public = curve.public_key_from_secret(secret)
    gm = backend.CAPABILITIES.gm_primitives  # what the GM examples are checked through
    assert gm is not None and gm.sm2_sign_with_nonce and gm.sm2_encrypt_with_nonce
    assert gm.sm2_decrypt and gm.sm3 and gm.sm4_encrypt_block and gm.sm9_encryption_key is None
    one = gm.sm2_sign_with_nonce(secret, MESSAGE, 777)
    assert one == gm.sm2_sign_with_nonce(secret, MESSAGE, 777)
    assert pqc.signature("SM2", "gmssl").verify(public, MESSAGE, one)
    ciphertext = gm.sm2_encrypt_with_nonce(public, b"hello", 999)
    assert ciphertext == gm.sm2_encrypt_with_nonce(public, b"hello", 999)
    assert gm.sm2_decrypt(secret, ciphertext) == b"hello"


# ---------------------------------------------------------------- evidence of the defects
def test_finding_unchecked_c3() -> None:
    from pqc.backends.gmssl_findings import unchecked_c3

    evidence = unchecked_c3(b"pay 10")
    assert evidence["library_raised"] is False
    assert evidence["library_returned_altered_plaintext"] is True
    assert evidence["library_returned"] != evidence["plaintext"]
    assert evidence["pqc_rejected"] is True


def test_finding_predictable_nonces_restores_random_state() -> None:
    from pqc.backends.gmssl_findings import predictable_nonces

    state = random.getstate()
    evidence = predictable_nonces(seed=99)
    assert random.getstate() == state
    assert evidence["nonce_source"] == "random.Random.choice"
    assert evidence["predicted_nonce_matches_signature"] is True
    assert evidence["secret_key_recovered_from_two_signatures"] is True
    assert evidence["encryption_c1_predicted"] is True
    assert evidence["decrypted_without_secret_key"] is True


def test_finding_lstrip_corruption() -> None:
    from pqc.backends.gmssl_findings import lstrip_corruption

    evidence = lstrip_corruption()
    for case in ("prefixed", "unprefixed"):
        found = evidence[case]
        assert isinstance(found, dict), f"no {case} key found within the search limit"
        assert found["corrupted"] is True
        assert found["valid_signature_verifies_in_library"] is False
        assert found["valid_signature_verifies_in_pqc_guarded_object"] is True


def test_finding_zero_scalar() -> None:
    from pqc.backends.gmssl_findings import zero_scalar

    evidence = zero_scalar()
    assert evidence["equals_generator"] is True
    assert evidence["kg_n_times_g"] is None


def test_evidence_keys_survive_the_library_constructor() -> None:
    """The evidence functions' keys must not start with a hex digit lstrip('04') eats."""
    from pqc.backends import gmssl_findings

    for _ in range(64):
        public, _secret = gmssl_findings._fresh_pair()
        assert public.hex()[0] not in "04"
