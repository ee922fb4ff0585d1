"""The botan backend: found without side effects, the GM examples with the standard's k,
SM2 interop with Botan's own DER ciphertexts, the guarded library defects, key generation
from chosen scalars (the leak screen's hook)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pqc
from pqc.backends import backend_capabilities, botan
from pqc.backends.capabilities import Finding, Guard
from pqc.conformance.vectors import gm_kat, unhex
from pqc.sm import curve
from pqc.sm.der import ciphertext_from_der

REPO = Path(__file__).resolve().parents[2]
needs_botan = pytest.mark.skipif(not botan.status().available,
                                 reason=f"botan unavailable: {botan.status().reason}")


def test_absent_binding_is_reported_with_the_apt_command(tmp_path: Path) -> None:
    code = ("import sys; from pqc.backends import botan\n"
            f"botan.DEBIAN_DIRECTORIES = ({str(tmp_path)!r},)\n"
            "s = botan.status(); print(s.available); print(s.reason)\n"
            "print('botan2' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
                          check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    available, reason, imported = done.stdout.strip().splitlines()
    if available == "True":
        pytest.skip("botan2 is on this interpreter's own path")
    assert "apt-get update && apt-get install -y python3-botan" in reason
    assert imported == "False"  # nothing was executed to find out


@needs_botan
def test_status_names_the_binding_and_the_library() -> None:
    status = botan.status()
    assert status.version and status.version.startswith("Botan 2.")
    assert status.details["binding"].endswith("botan2.py")
    assert status.language == "C++"


@needs_botan
def test_gm_examples_with_the_standards_k() -> None:
    primitives = backend_capabilities("botan").gm_primitives
    assert primitives is not None and primitives.sm2_sign_with_nonce is not None
    sign = gm_kat()["sm2_sign"][0]
    got = primitives.sm2_sign_with_nonce(unhex(sign["private_key"]),
                                         sign["msg_ascii"].encode(), int(sign["k"], 16))
    assert got == unhex(sign["r"]) + unhex(sign["s"])
    enc = gm_kat()["sm2_encrypt"][0]
    raw = unhex(enc["c1_x"]) + unhex(enc["c1_y"]) + unhex(enc["c3"]) + unhex(enc["c2"])
    assert primitives.sm2_encrypt_with_nonce is not None and primitives.sm2_decrypt is not None
    assert primitives.sm2_encrypt_with_nonce(unhex(enc["public_key"]),
                                             enc["plaintext_ascii"].encode(),
                                             int(enc["k"], 16)) == raw
    assert primitives.sm2_decrypt(unhex(enc["private_key"]), raw) == \
        enc["plaintext_ascii"].encode()
    assert primitives.sm3 is not None and primitives.sm3(b"abc").hex() == \
        gm_kat()["sm3"][0]["digest"].lower()


@needs_botan
def test_botans_own_ciphertext_is_der_and_converts() -> None:
    """Botan's SM2 ciphertext: SEQUENCE {x1, y1, C3, C2}; pqc exchanges C1C3C2."""
    kem = pqc.kem("SM2-ENC", "botan")
    public, secret = kem.keygen()
    b = botan._botan()
    point = b.PublicKey.load_sm2("sm2p256v1", int.from_bytes(public[:32], "big"),
                                 int.from_bytes(public[32:], "big"))
    der = bytes(b.PKEncrypt(point, "SM3").encrypt(b"\x07" * 32, b.RandomNumberGenerator()))
    assert der[0] == 0x30
    raw = ciphertext_from_der(der)
    assert len(raw) == 128 and curve.decode_xy(raw[:64]) is not None
    assert kem.decaps(secret, raw) == b"\x07" * 32


@needs_botan
def test_each_library_defect_is_observed_and_guarded() -> None:
    selected = [pqc.implementation(n, "botan") for n in ("SM2", "X25519", "Ed25519")]
    findings = backend_capabilities("botan").findings
    assert findings is not None
    observations = list(findings(selected))
    assert sum(isinstance(o, Finding) for o in observations) == 3
    for observation in observations:
        if isinstance(observation, Finding):
            assert observation.observed, observation.name
        elif isinstance(observation, Guard):
            ok, detail = observation.run()
            assert ok, detail


@needs_botan
@pytest.mark.parametrize("name", ["SM2", "SM2-ENC", "Ed25519", "X25519", "ECDSA-P256"])
def test_public_key_from_a_chosen_secret_is_what_keygen_pairs(name: str) -> None:
    impl = pqc.implementation(name, "botan")
    target = backend_capabilities("botan").secret_target(impl)
    assert target is not None and target.size == 32
    public, secret = impl.keygen()
    assert target.compute(secret) == public
    if target.limit is not None:
        low_weight = (1).to_bytes(32, "big")
        assert target.compute(low_weight) != target.compute((3).to_bytes(32, "big"))


@needs_botan
def test_x25519_low_order_point_is_refused() -> None:
    kem = pqc.kem("X25519", "botan")
    _, secret = kem.keygen()
    with pytest.raises(pqc.InvalidCiphertextError, match="small order"):
        kem.decaps(secret, bytes(32))
