"""Wycheproof known answers through the machinery `pqc verify` ships, on every backend.

The cases are what ``pqc verify`` runs: each (check, file) pair that
``pqc/data/wycheproof.toml`` lists for an algorithm, on each backend the catalog
says implements it, run by the check function of :mod:`pqc.conformance.kat`
(loading and iteration in :mod:`pqc.conformance.vectors`). No check may fail;
a lenient outcome (FINDING: no check required, or a documented refusal) is
allowed, a skip says why; and every vector of the file is either run or
counted as skipped with its reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import pqc
from pqc.conformance.kat import CHECKS, sign_budget, wycheproof_plan
from pqc.conformance.model import Status
from pqc.conformance.vectors import load_wycheproof, wycheproof_tests
from tests.conftest import implementation_params


def _cases() -> list[object]:
    params: list[object] = []
    plan = wycheproof_plan()
    for param in implementation_params(where=lambda a: a.name in plan):
        algorithm, backend = param.values  # type: ignore[attr-defined]
        for check, filename in plan[algorithm]:
            params.append(pytest.param(algorithm, backend, check, filename,
                                       id=f"{algorithm}-{backend}-{check}",
                                       marks=param.marks))  # type: ignore[attr-defined]
    return params


def test_the_plan_covers_every_check_and_names_catalog_algorithms() -> None:
    plan = wycheproof_plan()
    assert {check for pairs in plan.values() for check, _ in pairs} == set(CHECKS)
    for name in plan:
        assert pqc.catalog.lookup(name).name == name


@pytest.mark.parametrize(("algorithm", "backend", "check", "filename"), _cases())
def test_wycheproof_file(vectors: Path, algorithm: str, backend: str, check: str,
                         filename: str, record_property: Any) -> None:
    data = load_wycheproof(vectors, filename)
    if data is None:
        pytest.skip(f"{filename} not in {vectors}: the shared Wycheproof vectors are incomplete")
    impl = pqc.implementation(algorithm, backend)
    result = CHECKS[check](impl, vectors, filename)
    record_property("evidence", result.evidence)
    if result.status is Status.SKIPPED:
        pytest.skip(result.detail)
    assert result.status in (Status.PASS, Status.FINDING), result.detail
    evidence = result.evidence
    assert evidence["vectors_failed"] == 0
    assert evidence["vectors_run"] > 0, f"no vector ran: {evidence.get('skip_reasons')}"
    total = len(wycheproof_tests(data))
    assert evidence["vectors_run"] + evidence["vectors_skipped"] == total
    if sign_budget(impl) > total:  # fast signers: only vectors pqc cannot pass are skipped
        budget_skips = [r for r in evidence.get("skip_reasons", {}) if "budget" in r]
        assert not budget_skips
