"""Check results and the report they make up: frozen values (stored by :mod:`.result`).

A :class:`CheckResult` is one conformance check (or a group of vectors run as
one check) with a status, a one-line detail and evidence (counts, hex
snippets of public data, tcIds). Secret keys never appear in evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pqc.backends.base import BackendStatus
from pqc.bench.results import Machine

FAMILIES = ("kat", "interop", "hostile", "findings")


class Status(StrEnum):
    """The outcome of one check. Only FAIL makes ``pqc verify`` exit non-zero."""

    PASS = "pass"
    FAIL = "fail"
    FINDING = "finding"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    """One check: which family, backend(s), algorithm, outcome, why, and the evidence."""

    family: str
    backend: str
    algorithm: str
    name: str
    status: Status
    detail: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    peers: tuple[str, ...] = ()

    @property
    def backends(self) -> tuple[str, ...]:
        """Every backend this check involves (interop checks involve two)."""
        return (self.backend, *self.peers)


def passed(family: str, impl_backend: str, algorithm: str, name: str, detail: str,
           **evidence: Any) -> CheckResult:
    """A passing check."""
    return CheckResult(family, impl_backend, algorithm, name, Status.PASS, detail, evidence)


def failed(family: str, impl_backend: str, algorithm: str, name: str, detail: str,
           **evidence: Any) -> CheckResult:
    """A failing check."""
    return CheckResult(family, impl_backend, algorithm, name, Status.FAIL, detail, evidence)


def skipped(family: str, impl_backend: str, algorithm: str, name: str, reason: str,
            **evidence: Any) -> CheckResult:
    """A check that could not run here; ``reason`` says what is missing and how to get it."""
    return CheckResult(family, impl_backend, algorithm, name, Status.SKIPPED, reason, evidence)


def cell_status(results: Iterable[CheckResult]) -> tuple[Status, int]:
    """The summary of one matrix cell: worst status first (fail > finding > pass > skipped)."""
    items = list(results)
    for status in (Status.FAIL, Status.FINDING, Status.PASS, Status.SKIPPED):
        count = sum(1 for r in items if r.status is status)
        if count:
            return status, count
    return Status.SKIPPED, 0


@dataclass(frozen=True)
class Report:
    """Everything one ``pqc verify`` run found."""

    results: tuple[CheckResult, ...]
    backends: tuple[BackendStatus, ...]
    machine: Machine
    vectors: str | None
    seconds: float

    @property
    def failed(self) -> bool:
        """True when any conformance check failed (findings alone do not fail)."""
        return any(r.status is Status.FAIL for r in self.results)

    def counts(self) -> dict[str, int]:
        """How many checks ended in each status."""
        return {s.value: sum(1 for r in self.results if r.status is s) for s in Status}

    def matrix(self) -> dict[str, dict[str, tuple[Status, int]]]:
        """backend -> family -> (summary status, number of checks with that status)."""
        names: list[str] = []
        for r in self.results:
            for b in r.backends:
                if b not in names:
                    names.append(b)
        return {
            b: {f: cell_status(r for r in self.results if r.family == f and b in r.backends)
                for f in FAMILIES}
            for b in names
        }
