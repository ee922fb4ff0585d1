"""The gmssl-native backend (GmSSL C via gmssl-pyx): digest-path signing, DER conversions,
GmSSL's debug output kept off fd 2, SM9 key encoding and errors.

Catalog-wide round trips and tamper tests live in test_roundtrip.py.
"""

from __future__ import annotations

import os

import pytest

import pqc
from pqc.backends import gmssl_native as backend
from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.sm import curve
from pqc.sm.der import ciphertext_to_der, signature_to_der

pytestmark = pytest.mark.skipif(
    not backend.status().available,
    reason=f"gmssl-native backend unavailable: {backend.status().reason}",
)

MESSAGE = b"message for the gmssl-native backend"


@pytest.fixture(scope="module")
def sig() -> SignatureImplementation:
    return pqc.signature("SM2", "gmssl-native")


@pytest.fixture(scope="module")
def kem() -> KEMImplementation:
    return pqc.kem("SM2-ENC", "gmssl-native")


@pytest.fixture(scope="module")
def sm9() -> KEMImplementation:
    return pqc.kem("SM9-ENC", "gmssl-native")


def test_status_reports_both_versions() -> None:
    status = backend.status()
    details = dict(status.details)
    assert status.language == "C"
    assert details["gmssl-pyx"] == "2.1.0"
    assert details["gmssl"] == "3.2.0"  # the GmSSL release gmssl-pyx's description names
    assert status.version == "gmssl-pyx 2.1.0; GmSSL 3.2.0"


def test_digest_path_signature_verifies_with_gmssl_full_path(sig: SignatureImplementation) -> None:
    """pqc computes Z_A and e itself; GmSSL's own sm2_verify (which computes Z) must agree."""
    import gmssl_pyx

    public, secret = sig.keygen()
    signature = sig.sign(secret, MESSAGE)
    assert len(signature) == 64
    assert gmssl_pyx.sm2_verify(public, MESSAGE, signature_to_der(signature))
    der = gmssl_pyx.sm2_sign(secret, public, MESSAGE)  # GmSSL's slow full path
    from pqc.sm.der import signature_from_der

    assert sig.verify(public, MESSAGE, signature_from_der(der))


def test_secret_key_derives_the_same_public_key_as_gmssl(sig: SignatureImplementation) -> None:
    for _ in range(3):
        public, secret = sig.keygen()
        assert curve.public_key_from_secret(secret) == public


@pytest.mark.parametrize(
    "r, s", [(0, 1), (1, 0), (curve.N, 1), (1, curve.N)], ids=["r=0", "s=0", "r=n", "s=n"]
)
def test_verify_range_checks_r_and_s(sig: SignatureImplementation, r: int, s: int) -> None:
    public, _ = sig.keygen()
    assert sig.verify(public, MESSAGE, r.to_bytes(32, "big") + s.to_bytes(32, "big")) is False


def test_invalid_keys_raise_invalid_key(
    sig: SignatureImplementation, kem: KEMImplementation
) -> None:
    public, secret = sig.keygen()
    off_curve = public[:-1] + bytes([public[-1] ^ 1])
    with pytest.raises(pqc.InvalidKeyError):
        sig.verify(off_curve, MESSAGE, sig.sign(secret, MESSAGE))
    with pytest.raises(pqc.InvalidKeyError):
        kem.encaps(off_curve)
    for d in (0, curve.N - 1, 2**256 - 1):
        with pytest.raises(pqc.InvalidKeyError):
            sig.sign(d.to_bytes(32, "big"), MESSAGE)
        with pytest.raises(pqc.InvalidKeyError):
            kem.decaps(d.to_bytes(32, "big"), b"\x01" * 128)


def test_ciphertext_is_c1c3c2_of_gmssl_der(kem: KEMImplementation) -> None:
    import gmssl_pyx

    public, secret = kem.keygen()
    ciphertext, shared = kem.encaps(public)
    assert len(ciphertext) == 128
    assert curve.decode_xy(ciphertext[:64]) is not None
    assert gmssl_pyx.sm2_decrypt(secret, ciphertext_to_der(ciphertext)) == shared


# SM2 ciphertexts are 128 bytes (C1 64, C3 32, C2 32); SM9's here 142.
TAMPERED = [("kem", 0), ("kem", 64), ("kem", 100), ("kem", 127),
            ("sm9", 0), ("sm9", 10), ("sm9", 70), ("sm9", 141)]  # fmt: skip


@pytest.mark.parametrize(("scheme", "offset"), TAMPERED,
                         ids=[f"{'SM2' if s == 'kem' else 'SM9'}-byte{o}" for s, o in TAMPERED])
def test_tampered_ciphertext_raises_quietly(
    scheme: str, offset: int, request: pytest.FixtureRequest, capfd: pytest.CaptureFixture[str]
) -> None:
    kem: KEMImplementation = request.getfixturevalue(scheme)
    public, secret = kem.keygen()
    ciphertext, _ = kem.encaps(public)
    tampered = bytearray(ciphertext)
    tampered[offset] ^= 0x01
    capfd.readouterr()
    with pytest.raises(pqc.DecryptionError):
        kem.decaps(secret, bytes(tampered))
    assert capfd.readouterr().err == ""


def test_failed_verify_is_quiet(
    sig: SignatureImplementation, capfd: pytest.CaptureFixture[str]
) -> None:
    public, secret = sig.keygen()
    signature = bytearray(sig.sign(secret, MESSAGE))
    signature[10] ^= 0x01
    capfd.readouterr()
    assert sig.verify(public, MESSAGE, bytes(signature)) is False
    assert capfd.readouterr().err == ""


def test_gmssl_does_write_debug_lines_without_the_guard(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """The control for the two tests above: unguarded, GmSSL prints to fd 2."""
    import gmssl_pyx

    public, secret = gmssl_pyx.sm2_key_generate()
    der = bytearray(gmssl_pyx.sm2_encrypt(public, b"x" * 32))
    der[-1] ^= 0x01
    capfd.readouterr()
    with pytest.raises(gmssl_pyx.GmsslInnerError):
        gmssl_pyx.sm2_decrypt(secret, bytes(der))
    assert "sm2_decrypt" in capfd.readouterr().err


def test_quiet_stderr_restores_fd2(capfd: pytest.CaptureFixture[str]) -> None:
    with backend.quiet_stderr():
        os.write(2, b"hidden\n")
    os.write(2, b"visible\n")
    assert capfd.readouterr().err == "visible\n"


# ---------------------------------------------------------------- SM9
def test_sm9_sizes_and_encoding(sm9: KEMImplementation) -> None:
    public, secret = sm9.keygen()
    assert (len(public), len(secret)) == (sm9.public_key_size, sm9.secret_key_size) == (87, 221)
    identity, master_der = backend.split_sm9_key(public)
    assert len(identity) == backend.SM9_IDENTITY_SIZE
    assert backend.split_sm9_key(secret)[0] == identity
    ciphertext, shared = sm9.encaps(public)
    assert len(ciphertext) == sm9.ciphertext_size == 142
    assert sm9.decaps(secret, ciphertext) == shared
    other_public, _ = sm9.keygen()
    assert backend.split_sm9_key(other_public)[1] == master_der  # one master key per object


def test_sm9_other_identity_cannot_decrypt(sm9: KEMImplementation) -> None:
    public, _ = sm9.keygen()
    _, other_secret = sm9.keygen()
    ciphertext, _ = sm9.encaps(public)
    with pytest.raises(pqc.DecryptionError):
        sm9.decaps(other_secret, ciphertext)


def test_sm9_master_keys_differ_per_object(sm9: KEMImplementation) -> None:
    public, _ = sm9.keygen()
    _, foreign_secret = pqc.kem("SM9-ENC", "gmssl-native").keygen()
    ciphertext, _ = sm9.encaps(public)
    with pytest.raises(pqc.DecryptionError):
        sm9.decaps(foreign_secret, ciphertext)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: b"\x00" + key[1:],  # zero identity length
        lambda key: b"\xff" + key[1:],  # identity longer than the key
        lambda key: key[:40],  # DER cut short
        lambda key: key[:17] + b"\x30\x00" + key[19:],  # DER header destroyed
    ],
    ids=["zero-id-length", "id-too-long", "truncated", "bad-der"],
)
def test_sm9_malformed_keys_raise_invalid_key(
    sm9: KEMImplementation, mangle: object, capfd: pytest.CaptureFixture[str]
) -> None:
    assert callable(mangle)
    public, secret = sm9.keygen()
    ciphertext, _ = sm9.encaps(public)
    capfd.readouterr()
    with pytest.raises(pqc.InvalidKeyError):
        sm9.encaps(mangle(public))
    with pytest.raises(pqc.InvalidKeyError):
        sm9.decaps(mangle(secret), ciphertext)
    assert capfd.readouterr().err == ""


def test_sm9_repr_shows_no_secret(sm9: KEMImplementation) -> None:
    _, secret = sm9.keygen()
    assert secret.hex()[40:80] not in repr(sm9)
    assert "SM9-ENC" in repr(sm9)


def test_quiet_stderr_nests(capfd: pytest.CaptureFixture[str]) -> None:
    with backend.quiet_stderr():
        with backend.quiet_stderr():
            os.write(2, b"inner\n")
        os.write(2, b"outer\n")
    assert capfd.readouterr().err == ""


# ---------------------------------------------------------------- evidence of the behaviours
def test_finding_stderr_debug_lines() -> None:
    from pqc.backends.gmssl_native_findings import stderr_debug_lines

    evidence = stderr_debug_lines()
    assert evidence["failed_verify_returned"] == "False"
    verify_lines, decrypt_lines = (
        evidence["failed_verify_fd2_lines"],
        evidence["failed_decrypt_fd2_lines"],
    )
    assert isinstance(verify_lines, list) and isinstance(decrypt_lines, list)
    assert any("sm2_verify" in line for line in verify_lines)
    assert any("sm2_decrypt" in line for line in decrypt_lines)
    assert str(evidence["pqc_decaps_raised"]).startswith("DecryptionError")
    assert evidence["pqc_decaps_fd2_lines"] == []


def test_finding_sign_paths() -> None:
    from pqc.backends.gmssl_native_findings import sign_paths

    evidence = sign_paths(runs=5)
    assert evidence["digest_path_signature_verifies_with_sm2_verify"] is True
    assert evidence["sm2_sign_signature_verifies_with_digest_path"] is True
    assert isinstance(evidence["ratio"], float) and evidence["ratio"] > 0


def test_finding_sm9_master_key_unchecked() -> None:
    from pqc.backends.gmssl_native_findings import sm9_master_key_unchecked

    evidence = sm9_master_key_unchecked()
    assert evidence["spliced_master_key_accepted"] is True
    assert evidence["own_user_key_decrypts"] is False
