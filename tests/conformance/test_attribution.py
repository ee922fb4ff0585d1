"""Interop failures decided from known answers: one backend's nonconformance (a finding
against it, with the evidence) or, without evidence either way, a failure."""

from __future__ import annotations

import pytest

from pqc.backends import liboqs
from pqc.conformance.attribution import attribute
from pqc.conformance.model import CheckResult, Status
from pqc.conformance.runner import run_verify


def _kat(backend: str, algorithm: str, status: Status) -> CheckResult:
    return CheckResult("kat", backend, algorithm, "NIST KAT", status, "digest")


def _interop(a: str, b: str, algorithm: str, status: Status) -> CheckResult:
    steps = {"A public key -> B encaps -> A decaps": "fail" if status is Status.FAIL else "pass",
             "seed": "n/a (no seeds)"}
    return CheckResult("interop", a, algorithm, f"{a} -> {b}", status, "x", {"steps": steps},
                       peers=(b,))


def test_failure_against_a_kat_conforming_peer_is_a_finding_against_the_other() -> None:
    results = [_kat("x", "HQC-128", Status.PASS), _interop("x", "y", "HQC-128", Status.FAIL),
               _interop("y", "x", "HQC-128", Status.FAIL),
               _interop("x", "y", "HQC-192", Status.PASS)]
    out = attribute(results)
    (finding,) = [r for r in out if r.status is Status.FINDING]
    assert finding.backend == "y" and finding.backends == ("y",)
    assert finding.evidence["conforming_peer"] == "x"
    assert finding.evidence["interoperating_relatives"] == ["HQC-192"]
    assert "1 of 1 crossings" in finding.detail and "HQC-192 does interoperate" in finding.detail
    assert not any(r.status is Status.FAIL for r in out)


@pytest.mark.parametrize("kats", [[], [("x", Status.PASS), ("y", Status.PASS)],
                                  [("x", Status.PASS), ("x", Status.FAIL)]])
def test_without_one_sided_evidence_the_failure_stays(kats: list[tuple[str, Status]]) -> None:
    results = [_kat(b, "HQC-128", s) for b, s in kats] + [
        _interop("x", "y", "HQC-128", Status.FAIL)]
    assert [r.status for r in attribute(results) if r.family == "interop"] == [Status.FAIL]


@pytest.mark.skipif(not liboqs.status().available, reason="liboqs unavailable")
def test_verify_attributes_hqc_128_to_pqcrypto_and_exits_clean() -> None:
    report = run_verify(["liboqs", "pqclean"], ["HQC-128"])
    interop = [r for r in report.results if r.family == "interop"]
    assert [(r.backend, r.status) for r in interop] == [("pqclean", Status.FINDING)]
    assert interop[0].evidence["conforming_peer"] == "liboqs"
    assert any(r.family == "kat" and r.backend == "liboqs" and r.status is Status.PASS
               for r in report.results)
    assert not report.failed
