"""Shared test fixtures: the vectors directory, catalog x backend parametrisation, and a
summary of which backends the run exercised.

A missing backend skips many tests with the same long reason (what is missing and how to
get it). :func:`pytest_runtest_makereport` folds every such skip into one short line per
backend, and the full reason is printed once, under "pqc backends", at the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import pqc

VECTORS_ENV = "PQC_VECTORS"
DEFAULT_VECTORS = Path(__file__).resolve().parents[1].parent / "shared" / "vectors"


def vectors_dir() -> Path:
    """Where the test vectors are: $PQC_VECTORS, else ../shared/vectors beside the repository."""
    return Path(os.environ.get(VECTORS_ENV, DEFAULT_VECTORS))


@pytest.fixture(scope="session")
def vectors() -> Path:
    path = vectors_dir()
    if not path.is_dir():
        pytest.skip(
            f"test vectors not found at {path}: set {VECTORS_ENV} to the shared/vectors "
            "directory (Wycheproof and gm_kat.json) to run known-answer tests"
        )
    return path


def short_skip_reason(backend: str) -> str:
    """The one-line skip reason for tests that need ``backend`` (the fix is in the summary)."""
    return (f"backend {backend} unavailable; the reason and the fix are under "
            "'pqc backends' at the end of this run")


@cache
def unavailable_backends() -> dict[str, str]:
    """Backend name -> its full reason, for every backend that cannot run here."""
    from pqc.backends import backend_names, backend_status

    missing: dict[str, str] = {}
    for name in backend_names():
        try:
            status = backend_status(name)
        except Exception as exc:  # reported by the summary; never break collection
            missing[name] = str(exc)
            continue
        if not status.available:
            missing[name] = status.reason or "unavailable"
    return missing


def _unavailable_reason(backend: str) -> str | None:
    return short_skip_reason(backend) if backend in unavailable_backends() else None


def folded_skip(longrepr: Any) -> tuple[str, int, str] | None:
    """The (file, line, reason) to report for a skip caused by a missing backend, or None.

    Every skip whose reason names a missing backend's reason (or is our short reason)
    is reported at this file's location with the short reason, so pytest's summary folds
    them into one line per backend instead of one per test function.
    """
    if not (isinstance(longrepr, tuple) and len(longrepr) == 3):
        return None
    message = str(longrepr[2])
    for name, reason in unavailable_backends().items():
        short = short_skip_reason(name)
        if short in message or (reason and reason in message):
            return (str(Path(__file__)), _FOLD_LINE, f"Skipped: {short}")
    if SLOW_OPS_MARK in message:  # one line for all the slow_ops skips
        return (str(Path(__file__)), _FOLD_LINE, f"Skipped: {SLOW_OPS_SUMMARY}")
    return None


SLOW_OPS_MARK = "(catalog slow_ops)"
SLOW_OPS_SUMMARY = ("algorithms with slow operations (catalog slow_ops: Classic McEliece "
                    "keygen, SLH-DSA 's' signing) are covered by their family's fast member "
                    "or first entry in the property and leak-class tests")


_FOLD_LINE = 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        folded = folded_skip(report.longrepr)
        if folded is not None:
            report.longrepr = folded


def slow_representative(algorithm: pqc.Algorithm) -> str | None:
    """For an algorithm with slow operations (catalog ``slow_ops``), the family member the
    slowest tests run instead: the family's first entry without slow operations (SLH-DSA's
    'f' variants), else its first entry (Classic McEliece); None when it has none."""
    if not algorithm.slow_ops:
        return None
    family = [a for a in pqc.algorithms() if a.family == algorithm.family]
    return next((a.name for a in family if not a.slow_ops), family[0].name)


def implementation_params(
    kind: str | None = None, *, where: object = None, one_slow_per_family: bool = False
) -> list[object]:
    """pytest params for every (algorithm, backend) pair in the catalog of ``kind``.

    Unavailable backends become skips whose reason says what is missing and how to get it;
    a pair the loaded build of an available backend lacks (a minimal liboqs build) is
    skipped as "not enabled in the loaded ... build". ``where`` is an optional predicate
    on the Algorithm. ``one_slow_per_family`` skips the algorithms with slow operations
    (Classic McEliece key generation, SLH-DSA "s" signing: tenths of a second a call)
    except each family's representative, saying which one covers the test.
    """
    params: list[object] = []
    for algorithm in pqc.algorithms():
        if kind is not None and algorithm.kind != kind:
            continue
        if callable(where) and not where(algorithm):
            continue
        for backend in algorithm.backends:
            reason = _unavailable_reason(backend) or pqc.api.unserved_reason(algorithm, backend)
            representative = slow_representative(algorithm)
            if one_slow_per_family and representative not in (None, algorithm.name):
                reason = reason or (
                    f"{algorithm.name}: {'/'.join(algorithm.slow_ops)} costs tenths of a second "
                    f"a call (catalog slow_ops); {representative} covers {algorithm.family} here")
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            params.append(
                pytest.param(algorithm.name, backend, id=f"{algorithm.name}-{backend}", marks=marks)
            )
    return params


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from pqc.backends import backend_names, backend_status

    terminalreporter.section("pqc backends (each skipped backend: why, and how to get it)")
    for name in backend_names():
        try:
            s = backend_status(name)
        except Exception as exc:  # a missing module must not hide the test results
            terminalreporter.write_line(f"{name:<13} ERROR {exc}")
            continue
        state = f"exercised ({s.version})" if s.available else f"SKIPPED: {s.reason}"
        terminalreporter.write_line(f"{name:<13} {state}")
        lacking = [a.name for a in pqc.algorithms() if name in a.implementations
                   and s.available and pqc.api.unserved_reason(a, name) is not None]
        if lacking:
            terminalreporter.write_line(
                f"{'':<13} not enabled in the loaded build (skipped): {', '.join(lacking)}")
