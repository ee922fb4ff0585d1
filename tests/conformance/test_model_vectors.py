"""The report model, vector location and the GM/finding checks."""

from __future__ import annotations

from pathlib import Path

import pytest

import pqc
from pqc.backends import backend_status
from pqc.conformance import findings, gm
from pqc.conformance.kat import run_kat
from pqc.conformance.model import CheckResult, Report, Status, cell_status
from pqc.conformance.result import summarise
from pqc.conformance.vectors import VECTORS_ENV, gm_kat, resolve_vectors
from pqc.errors import InvalidArgumentError


def _r(status: Status, backend: str = "b", family: str = "kat") -> CheckResult:
    return CheckResult(family, backend, "A", "n", status, "d")


def test_cell_status_worst_first() -> None:
    assert cell_status([_r(Status.PASS), _r(Status.FINDING)]) == (Status.FINDING, 1)
    assert cell_status([_r(Status.PASS), _r(Status.FAIL), _r(Status.FAIL)]) == (Status.FAIL, 2)
    assert cell_status([]) == (Status.SKIPPED, 0)


def test_report_fails_only_on_fail() -> None:
    report = Report((_r(Status.FINDING), _r(Status.PASS)), (), {}, None, 0.1)
    assert not report.failed
    summary = summarise(report)
    assert not summary.failed and summary.counts["finding"] == 1
    assert Report((_r(Status.FAIL),), (), {}, None, 0.1).failed


def test_interop_checks_count_for_both_backends() -> None:
    check = CheckResult("interop", "a", "A", "a -> b", Status.PASS, "", peers=("b",))
    matrix = Report((check,), (), {}, None, 0).matrix()
    assert matrix["a"]["interop"] == matrix["b"]["interop"] == (Status.PASS, 1)


def test_explicit_missing_vectors_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="--vectors"):
        resolve_vectors(tmp_path / "absent")


def test_missing_env_vectors_skip_with_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.setenv(VECTORS_ENV, str(tmp_path / "absent"))
    root, reason = resolve_vectors(None)
    assert root is None and VECTORS_ENV in reason and "--vectors" in reason
    results = run_kat(pqc.kem("X25519", "openssl"), root, reason)
    assert [r.status for r in results] == [Status.SKIPPED]
    assert "--vectors" in results[0].detail


def test_gm_examples_are_package_data() -> None:
    data = gm_kat()
    assert data["sm3"][0]["digest"].startswith("66c7f0f4")


@pytest.mark.parametrize("backend", ["openssl", "gmssl", "gmssl-native"])
def test_gm_examples_pass(backend: str) -> None:
    if not backend_status(backend).available:
        pytest.skip(f"backend {backend} unavailable: {backend_status(backend).reason}")
    results = gm.run_gm(backend)
    assert results and all(r.status in (Status.PASS, Status.SKIPPED) for r in results)


def test_gmssl_findings_are_findings_and_guards_hold() -> None:
    status = backend_status("gmssl")
    if not status.available:
        pytest.skip(f"backend gmssl unavailable: {status.reason}")
    results = findings.backend_findings(
        "gmssl", [pqc.kem("SM2-ENC", "gmssl"), pqc.signature("SM2", "gmssl")]
    )
    found = [r for r in results if r.status is Status.FINDING]
    guards = [r for r in results if r.name.startswith("pqc guard")]
    assert len(found) == 4
    assert guards and all(r.status is Status.PASS for r in guards)
    assert any(r.evidence.get("library_returned_altered_plaintext") for r in found)


def test_liboqs_finding() -> None:
    status = backend_status("liboqs")
    if not status.available:
        pytest.skip(f"backend liboqs unavailable: {status.reason}; build liboqs into ~/_oqs")
    results = findings.backend_findings("liboqs", [pqc.kem("ML-KEM-768", "liboqs")])
    assert results[0].status is Status.FINDING
    assert results[0].evidence["short_public_key"]["accepted"] is True
    assert results[1].status is Status.PASS
