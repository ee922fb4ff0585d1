"""Planning cases, running a tiny screen, and the JSON result round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import pqc.api
from pqc.backends.base import BackendStatus
from pqc.errors import (
    BackendUnavailableError,
    InvalidArgumentError,
    ResultFormatError,
    UnknownAlgorithmError,
    UnknownBackendError,
    UnsupportedAlgorithmError,
    UnsupportedOperationError,
)
from pqc.leak import Budget, build_result, plan, read_leak_result, run_case, run_control
from pqc.leak.results import (
    LEGACY_FORMAT,
    dumps_leak_result,
    loads_leak_result,
    write_leak_result,
)
from pqc.resultfile import FORMAT

TINY = Budget(seconds=None, samples=200)


def test_plan_defaults_cover_backends_and_ops() -> None:
    specs = plan("ML-KEM-768")
    backends = {s.backend for s in specs}
    assert backends == set(pqc.api.available_backends("ML-KEM-768"))
    assert {s.op for s in specs} >= {"decaps"}
    assert all(s.class_set.name == "valid-random" for s in specs if s.op == "decaps")
    only = plan("X25519", backend="openssl", op="decaps", classes="fixed-random")
    assert [s.label for s in only] == ["X25519 decaps [openssl] fixed-random"]


def test_plan_skips_backends_without_the_op_but_fails_when_none_has_it() -> None:
    specs = plan("ML-DSA-65", op="keygen")
    assert [s.backend for s in specs] == ["openssl"]  # only OpenSSL takes ML-DSA seeds here
    with pytest.raises(UnsupportedOperationError):
        plan("ML-DSA-65", backend="pqclean", op="keygen")
    with pytest.raises(UnsupportedOperationError):
        plan("X25519", op="verify")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"algorithm": "NotAnAlgorithm"}, UnknownAlgorithmError),
        ({"algorithm": "X25519", "backend": "nope"}, UnknownBackendError),
        ({"algorithm": "SM2", "backend": "openssl"}, UnsupportedAlgorithmError),
        ({"algorithm": "X25519", "op": "decaps", "classes": "nope"}, InvalidArgumentError),
    ],
)
def test_plan_errors(kwargs: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error):
        plan(**kwargs)


def test_plan_reports_an_unavailable_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pqc.api.backend_status

    implementing = set(pqc.lookup("X25519").backends)  # openssl and botan

    def status(name: str) -> BackendStatus:
        if name in implementing:
            return BackendStatus(name, False, None, "C", name, reason="not here; fix it")
        return real(name)

    monkeypatch.setattr(pqc.api, "backend_status", status)
    with pytest.raises(BackendUnavailableError, match="not here"):
        plan("X25519", backend="openssl")
    with pytest.raises(BackendUnavailableError, match="not here"):
        plan("X25519")


def test_tiny_case_and_round_trip(tmp_path: Path) -> None:
    case = run_case(plan("X25519", backend="openssl", op="decaps")[0], TINY)
    control = run_control("positive", TINY, leak_bytes=3)
    assert case.samples == control.samples == 200
    assert case.verdict.status in ("leak", "no-leak", "inconclusive")
    assert case.class_a.stats.n == 100 and case.language == "C"
    assert control.classes == "leak-3" and control.kind == "control"
    result = build_result([case, control], TINY, ["pqc", "leak", "X25519"])
    path = tmp_path / "leak.json"
    write_leak_result(result, path)
    assert read_leak_result(path) == result
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["kind"] == "leak" and data["kind_version"] == 2
    assert len(data["body"]["cases"][0]["samples_ns"][0]) == 100
    assert data["settings"]["samples"] == 200 and data["machine"]["python_version"]


def test_result_files_that_are_not_ours_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match="not JSON"):
        loads_leak_result("{nope")
    with pytest.raises(ResultFormatError, match="not a leak result; give a file written by "
                                                "`pqc leak --json`"):
        loads_leak_result(json.dumps({"format": FORMAT, "schema_version": 1, "kind": "bench",
                                      "kind_version": 1}))
    with pytest.raises(ResultFormatError, match="schema_version 99"):
        loads_leak_result(json.dumps({"format": LEGACY_FORMAT, "schema_version": 99}))
    with pytest.raises(ResultFormatError, match="damaged"):
        loads_leak_result(json.dumps({"format": LEGACY_FORMAT, "schema_version": 1}))
    with pytest.raises(ResultFormatError, match="cannot read"):
        read_leak_result(tmp_path / "missing.json")


def test_no_secret_in_the_result() -> None:
    case = run_case(plan("SM2", backend="gmssl", op="keygen")[0], Budget(seconds=None, samples=8))
    text = dumps_leak_result(build_result([case], TINY, ["pqc"]))
    assert re.search(r"[0-9a-fA-F]{32}", text) is None  # no hex-encoded scalar or key
    assert set(json.loads(text)["body"]["cases"][0]) == {
        "algorithm", "kind", "family", "backend", "backend_version", "language", "op",
        "classes", "labels", "description", "inputs", "note", "verdict", "dudect",
        "medians", "class_a", "class_b", "warmup_calls", "seconds", "clock_step_ns",
        "complete",
        "samples_ns",
    }
