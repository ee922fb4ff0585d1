"""Shared test fixtures: the vectors directory, catalog x backend parametrisation, and a
summary of which backends the run exercised."""

from __future__ import annotations

import os
from pathlib import Path

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


def _unavailable_reason(backend: str) -> str | None:
    from pqc.backends import backend_status

    s = backend_status(backend)
    return None if s.available else f"backend {backend} unavailable: {s.reason}"


def implementation_params(
    kind: str | None = None, *, where: object = None
) -> list[object]:
    """pytest params for every (algorithm, backend) pair in the catalog of ``kind``.

    Unavailable backends become skips whose reason says what is missing and how to get it.
    ``where`` is an optional predicate on the Algorithm.
    """
    params: list[object] = []
    for algorithm in pqc.algorithms():
        if kind is not None and algorithm.kind != kind:
            continue
        if callable(where) and not where(algorithm):
            continue
        for backend in algorithm.backends:
            reason = _unavailable_reason(backend)
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            params.append(
                pytest.param(algorithm.name, backend, id=f"{algorithm.name}-{backend}", marks=marks)
            )
    return params


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from pqc.backends import backend_names, backend_status

    terminalreporter.section("pqc backends")
    for name in backend_names():
        try:
            s = backend_status(name)
        except Exception as exc:  # a missing module must not hide the test results
            terminalreporter.write_line(f"{name:<13} ERROR {exc}")
            continue
        state = f"exercised ({s.version})" if s.available else f"SKIPPED: {s.reason}"
        terminalreporter.write_line(f"{name:<13} {state}")
