"""The plan of cases and the inputs prepared for each operation."""

from __future__ import annotations

import pytest

import pqc
from pqc.bench.cases import DEFAULT_ALGORITHMS, OPS_BY_KIND, Workload, plan_cases
from pqc.errors import (
    BackendUnavailableError,
    InvalidArgumentError,
    UnknownAlgorithmError,
    UnknownBackendError,
    UnsupportedAlgorithmError,
)
from tests.conftest import implementation_params


def test_default_plan_covers_the_comparison() -> None:
    plan = plan_cases()
    names = {spec.algorithm.name for spec in plan.cases}
    for name in ("ML-KEM-768", "ML-DSA-65", "X25519", "Ed25519", "ECDSA-P256", "RSA-PSS-2048"):
        assert name in names
    assert names | {s.split(":")[0] for s in plan.skipped} == set(DEFAULT_ALGORITHMS)
    for spec in plan.cases:
        assert spec.op in OPS_BY_KIND[spec.algorithm.kind]
        assert spec.backend in pqc.available_backends(spec.algorithm)


def test_filters() -> None:
    plan = plan_cases(["kyber768", "ML-DSA-65"], ["openssl"], ["encaps", "sign"])
    assert [spec.label for spec in plan.cases] == [
        "ML-KEM-768 encaps [openssl]",
        "ML-DSA-65 sign [openssl]",
    ]


def test_include_adds_a_baseline() -> None:
    plan = plan_cases(["ML-KEM-768"], ["openssl"], ["encaps"], include=["X25519"])
    assert [spec.algorithm.name for spec in plan.cases] == ["ML-KEM-768", "X25519"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"algorithms": ["NOPE-1"]}, UnknownAlgorithmError, "unknown algorithm"),
        ({"backends": ["nobackend"]}, UnknownBackendError, "unknown backend"),
        ({"ops": ["sing"]}, InvalidArgumentError, "unknown operation"),
        ({"algorithms": ["SM2"], "backends": ["openssl"]}, UnsupportedAlgorithmError, "SM2"),
        ({"algorithms": ["ML-KEM-768"], "ops": ["sign"]}, InvalidArgumentError, "is a kem"),
    ],
)
def test_bad_requests_raise(kwargs: dict[str, list[str]], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        plan_cases(**kwargs)


def test_unavailable_backend_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    from pqc.backends.base import BackendStatus
    from pqc.bench import cases

    def fake_status(name: str) -> BackendStatus:
        return BackendStatus(name, False, None, "C", "lib", reason="not installed; fix: pip x")

    monkeypatch.setattr(cases, "backend_status", fake_status)
    with pytest.raises(BackendUnavailableError, match="not installed"):
        plan_cases(backends=["openssl"])
    with pytest.raises(BackendUnavailableError, match="no available backend"):
        plan_cases(["X25519"])


def _timed_backends() -> list[object]:
    return [
        p
        for p in implementation_params()
        if p.values[0] in DEFAULT_ALGORITHMS  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(("name", "backend"), _timed_backends())
def test_prepared_inputs_are_valid(name: str, backend: str) -> None:
    """Every pool the engine times is accepted by the raw hook and gives the right answer."""
    impl = pqc.implementation(name, backend)
    workload = Workload(impl, key_pool=2, input_pool=2)
    keys = workload.keys()
    assert len(keys) == 2 and keys[0] != keys[1]
    for op in OPS_BY_KIND[impl.kind]:
        calls = workload.calls(op)
        assert calls.pool, op
        if op == "decaps":
            for secret_key, ciphertext in calls.pool:
                assert isinstance(calls.fn(secret_key, ciphertext), bytes)
        elif op == "verify":
            assert all(calls.fn(*args) is True for args in calls.pool)
            assert calls.message_size == 32
            assert all(len(message) == 32 for _, message, _ in calls.pool)
        elif op == "sign":
            assert all(isinstance(calls.fn(*args), bytes) for args in calls.pool)
        else:
            calls.fn(*calls.pool[0])
    with pytest.raises(InvalidArgumentError):
        workload.calls("sign" if impl.kind == "kem" else "encaps")
