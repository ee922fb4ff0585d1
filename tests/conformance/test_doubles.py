"""Deliberately broken implementations (test doubles) must be caught by the verify machinery."""

from __future__ import annotations

from pathlib import Path

import pytest

import pqc
from pqc.backends import backend_status
from pqc.backends.openssl import MLKEM, Ed25519
from pqc.conformance.hostile import run_hostile
from pqc.conformance.interop import run_interop
from pqc.conformance.kat import run_kat
from pqc.conformance.model import Status
from pqc.conformance.runner import verify_implementations


class WrongSecretKEM(MLKEM):
    """ML-KEM whose decapsulation returns a wrong shared secret."""

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        good = super()._decaps(secret_key, ciphertext)
        return bytes([good[0] ^ 1]) + good[1:]


class AcceptAnythingSignature(Ed25519):
    """Ed25519 whose verification accepts any signature."""

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return True


def _double(cls: type, name: str) -> object:
    real = pqc.api.implementation(name, "openssl")
    return cls(real.algorithm, backend_status("openssl"), real.native_name)


def _statuses(results: list) -> set[Status]:
    return {r.status for r in results}


def test_wrong_shared_secret_fails_interop() -> None:
    broken = _double(WrongSecretKEM, "ML-KEM-768")
    results = run_interop([broken, pqc.kem("ML-KEM-768", "openssl")])
    assert len(results) == 2 and all(r.status is Status.FAIL for r in results)


def test_wrong_shared_secret_fails_known_answers(vectors: Path) -> None:
    broken = _double(WrongSecretKEM, "ML-KEM-768")
    by_name = {r.name: r for r in run_kat(broken, vectors, "")}
    assert by_name["mlkem_768_test.json"].status is Status.FAIL
    assert by_name["mlkem_768_test.json"].evidence["vectors_failed"] >= 100


def test_accept_anything_signature_fails_hostile_and_kat(vectors: Path) -> None:
    broken = _double(AcceptAnythingSignature, "Ed25519")
    hostile = {r.name: r for r in run_hostile(broken)}
    assert hostile["verify: signature"].status is Status.FAIL
    assert hostile["verify: message"].status is Status.FAIL
    kat = run_kat(broken, vectors, "")
    assert kat[0].status is Status.FAIL


def test_accept_anything_signature_fails_interop() -> None:
    broken = _double(AcceptAnythingSignature, "Ed25519")
    real = pqc.signature("Ed25519", "openssl")
    results = run_interop([real, broken])
    assert any(r.status is Status.FAIL for r in results)


def test_verify_implementations_reports_the_double_and_passes_the_real_one() -> None:
    broken = _double(WrongSecretKEM, "ML-KEM-768")
    real = pqc.kem("ML-KEM-768", "openssl")
    results = verify_implementations([real], None, "no vectors")
    assert Status.FAIL not in _statuses(results)
    results = verify_implementations([broken, real], None, "no vectors")
    assert any(r.status is Status.FAIL and r.family == "interop" for r in results)


@pytest.mark.parametrize("name", ["X25519", "ECDSA-P256", "ML-DSA-65", "ML-KEM-1024"])
def test_real_openssl_passes_hostile(name: str) -> None:
    results = run_hostile(pqc.api.implementation(name, "openssl"))
    failures = [r.detail for r in results if r.status is Status.FAIL]
    assert not failures


def test_a_check_group_that_crashes_becomes_one_failing_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected error inside the findings must not lose the report or reach the user."""
    import dataclasses

    from pqc.backends import gmssl
    from pqc.conformance import runner
    from pqc.conformance.model import Status

    def broken(*_: object) -> list[object]:
        raise TypeError("object of type 'NoneType' has no len()")

    monkeypatch.setattr(
        gmssl, "CAPABILITIES", dataclasses.replace(gmssl.CAPABILITIES, findings=broken)
    )
    report = runner.run_verify(["gmssl"], ["SM2", "SM2-ENC"])
    crashed = [r for r in report.results if r.name == "gmssl findings"]
    assert len(crashed) == 1 and crashed[0].status is Status.FAIL
    assert "TypeError" in crashed[0].detail
    assert any(r.family == "interop" or r.family == "hostile" for r in report.results)
