"""The `pqc verify` result file: the checks, their summary, and where they ran.

A :mod:`pqc.resultfile` envelope of kind ``"verify"`` (kind_version
:data:`KIND_VERSION`) whose body is the run time, the summary (failed or
not, counts per status, the backend x family matrix) and every
:class:`~pqc.conformance.model.CheckResult`. :func:`verify_result` makes one
from a :class:`~pqc.conformance.model.Report`. The files earlier pqc wrote
(``"kind": "pqc-verify"``, no ``format``) are read too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pqc import __version__
from pqc.bench.results import ResultHeader
from pqc.conformance.model import CheckResult, Report, Status
from pqc.resultfile import ENVELOPE_VERSION, FORMAT, register_kind, utc_now

KIND_VERSION = 1
LEGACY_KIND = "pqc-verify"  # what files of pqc up to fc017e9 say (and no "format")
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class VerifySettings:
    """What was asked for: ``backends`` and ``algorithms`` (empty = all) and the vectors folder."""

    backends: tuple[str, ...] = ()
    algorithms: tuple[str, ...] = ()
    vectors: str | None = None


@dataclass(frozen=True)
class Cell:
    """One matrix cell: the worst status among its checks and how many checks have it."""

    status: Status
    count: int


@dataclass(frozen=True)
class VerifySummary:
    """``failed`` when any check failed; ``counts`` per status; ``matrix[backend][family]``."""

    failed: bool
    counts: Mapping[str, int]
    matrix: Mapping[str, Mapping[str, Cell]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        frozen = {k: MappingProxyType(dict(v)) for k, v in self.matrix.items()}
        object.__setattr__(self, "matrix", MappingProxyType(frozen))


@dataclass(frozen=True)
class VerifyResult(ResultHeader):
    """A whole `pqc verify` run as stored: header, wall time, summary and every check."""

    settings: VerifySettings
    seconds: float
    summary: VerifySummary
    checks: tuple[CheckResult, ...] = field(default=())
    complete: bool = True


def summarise(report: Report) -> VerifySummary:
    """The summary of ``report`` (what `pqc verify` prints as its matrix)."""
    return VerifySummary(
        failed=report.failed,
        counts=report.counts(),
        matrix={b: {f: Cell(s, n) for f, (s, n) in row.items()}
                for b, row in report.matrix().items()},
    )


def verify_result(
    report: Report,
    *,
    command: Sequence[str] = (),
    backends: Sequence[str] = (),
    algorithms: Sequence[str] = (),
) -> VerifyResult:
    """``report`` as a result file's value; ``backends``/``algorithms``: the filters asked."""
    return VerifyResult(
        created=utc_now(),
        command=tuple(command),
        pqc_version=__version__,
        machine=report.machine,
        backends=report.backends,
        settings=VerifySettings(tuple(backends), tuple(algorithms), report.vectors),
        seconds=round(report.seconds, 3),
        summary=summarise(report),
        checks=report.results,
    )


def _from_verify_file_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A ``"kind": "pqc-verify"`` schema_version 1 file (pqc up to fc017e9) as envelope data.

    Those files kept only a machine summary (cpu, cores, os, python) and no
    time, command or pqc version: what they lack reads as "not recorded"
    (or None where the field allows it).
    """
    old = data.get("machine") or {}
    machine = {
        "cpu_model": old.get("cpu"), "architecture": NOT_RECORDED,
        "cpu_flags": [], "logical_cpus": old.get("cores"), "physical_cores": None,
        "usable_cpus": None, "governor": None, "frequency_mhz": None, "max_frequency_mhz": None,
        "boost": None, "os": old.get("os", NOT_RECORDED), "kernel": NOT_RECORDED,
        "distribution": None, "python_version": old.get("python", NOT_RECORDED),
        "python_implementation": NOT_RECORDED, "python_compiler": NOT_RECORDED,
        "load_average": None,
    }  # fmt: skip
    return {
        "format": FORMAT, "schema_version": ENVELOPE_VERSION, "kind": "verify",
        "kind_version": 1, "created": NOT_RECORDED, "command": [],
        "pqc_version": NOT_RECORDED, "complete": True, "machine": machine,
        "backends": data.get("backends"), "settings": {"vectors": data.get("vectors")},
        "body": {key: data[key] for key in ("seconds", "summary", "checks") if key in data},
    }  # fmt: skip


VERIFY = register_kind(
    "verify",
    VerifyResult,
    version=KIND_VERSION,
    written_by="`pqc verify --json`",
    legacy={LEGACY_KIND: {1: _from_verify_file_v1}},
)


# Reading and writing are the kind's (see ResultKind and pqc.bench.results).
write_verify_result, read_verify_result = VERIFY.write, VERIFY.read
