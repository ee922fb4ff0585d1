"""The public API: choosing algorithms and backends, and the errors for bad choices."""

from __future__ import annotations

import pytest

import pqc
from pqc.backends import backend_names


def test_backends_report_every_backend_with_a_reason_when_unavailable() -> None:
    statuses = pqc.backends()
    assert [s.name for s in statuses] == list(backend_names())
    for s in statuses:
        assert s.language
        if s.available:
            assert s.version
        else:
            assert s.reason and "fix" in s.reason.lower(), s.reason  # says what to do


def test_openssl_is_available_here() -> None:
    status = {s.name: s for s in pqc.backends()}["openssl"]
    assert status.available, status.reason
    assert "OpenSSL" in (status.version or "")


def test_kind_mismatch_is_explained() -> None:
    with pytest.raises(pqc.InvalidArgumentError, match=r"pqc\.signature"):
        pqc.kem("Ed25519")
    with pytest.raises(pqc.InvalidArgumentError, match=r"pqc\.kem"):
        pqc.signature("X25519")


def test_backend_that_lacks_the_algorithm_names_those_that_have_it() -> None:
    with pytest.raises(pqc.UnsupportedAlgorithmError, match="openssl"):
        pqc.kem("X25519", backend="pqclean")


def test_unknown_backend() -> None:
    with pytest.raises(pqc.UnknownBackendError, match="expected one of"):
        pqc.kem("ML-KEM-768", backend="bouncycastle")


def test_default_backend_prefers_native_code() -> None:
    for algorithm in pqc.algorithms():
        usable = pqc.available_backends(algorithm)
        if not usable:
            continue
        chosen = pqc.implementation(algorithm.name)
        assert chosen.backend == usable[0]
        if len(usable) > 1 and "gmssl" in usable:
            assert chosen.backend != "gmssl", "pure Python must not win over native code"


def test_objects_say_what_they_are() -> None:
    kem = pqc.kem("ML-KEM-768", backend="openssl")
    info = kem.describe()
    assert info["algorithm"] == "ML-KEM-768"
    assert info["backend"] == "openssl"
    assert info["language"] == "C"
    assert kem.algorithm.name == "ML-KEM-768"
    assert kem.sizes()["ciphertext"] == 1088


def test_repr_shows_no_secret() -> None:
    kem = pqc.kem("ML-KEM-768", backend="openssl")
    pk, sk = kem.keygen()
    ct, ss = kem.encaps(pk)
    kem.decaps(sk, ct)  # populates the key cache
    text = repr(kem) + repr(vars(kem))
    for secret in (sk, ss):
        assert secret.hex() not in text
        assert repr(secret) not in text


def test_hybrid_on_a_component_backend_points_to_compose() -> None:
    with pytest.raises(pqc.UnsupportedAlgorithmError, match=r"pqc\.hybrid\.compose"):
        pqc.kem("X25519MLKEM768", backend="openssl")
