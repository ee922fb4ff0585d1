"""The leak-screen result model: frozen values and their versioned JSON file.

A :mod:`pqc.resultfile` envelope of kind ``"leak"`` (kind_version
:data:`KIND_VERSION`; the ``"format": "pqc-leak-result"`` files of earlier
pqc are read too): the machine, each backend's exact version, the
settings, and one :class:`LeakCase` per
screened (algorithm, backend, operation, class set) with every raw sample in
nanoseconds per class, each class's summary, both statistics and the
verdict. Written atomically; read back by :func:`read_leak_result` into
equal values. Inputs (secrets, keys) are never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

from pqc.bench.results import CaseIdentity, ResultHeader
from pqc.bench.stats import Stats
from pqc.leak.stats import DudectTest, MedianDifference
from pqc.leak.verdict import Verdict
from pqc.resultfile import lift_flat, register_kind

KIND_VERSION = 2
LEGACY_FORMAT = "pqc-leak-result"  # what files of pqc up to fc017e9 say


@dataclass(frozen=True)
class ClassSummary:
    """One class's timings: ``label``, summary ``stats`` (ns), and calls that raised."""

    label: str
    stats: Stats
    failures: int = 0
    error: str | None = None


@dataclass(frozen=True)
class LeakCase(CaseIdentity):
    """One screened case.

    ``classes`` names the class set and ``labels`` its classes (A, B);
    ``description`` and ``inputs`` say what they were; ``note`` says why the
    operation varies by design (or None). ``samples_ns`` holds every timed
    call of class A and of class B, in the order taken; ``seconds`` is the
    wall time of the timed phase; ``clock_step_ns`` the clock's effective
    resolution; ``complete`` is False when interrupted.
    """

    classes: str
    labels: tuple[str, str]
    description: str
    inputs: str
    note: str | None
    verdict: Verdict
    dudect: DudectTest
    medians: MedianDifference
    class_a: ClassSummary
    class_b: ClassSummary
    warmup_calls: int
    seconds: float
    samples_ns: tuple[tuple[int, ...], tuple[int, ...]]
    clock_step_ns: int = 1
    complete: bool = True

    @property
    def label(self) -> str:
        return f"{self.algorithm} {self.op} [{self.backend}] {self.classes}"

    @property
    def samples(self) -> int:
        return len(self.samples_ns[0]) + len(self.samples_ns[1])


@dataclass(frozen=True)
class LeakSettings:
    """How the screen ran: the budget per case, the pool size, the statistics' parameters.

    ``seconds`` or ``samples`` (the other is None) is the budget per case;
    ``pool_size`` inputs per class; ``confidence`` of the median-difference
    interval; ``crops`` the number of cropped t-tests; ``family_alpha`` the
    false-alarm rate behind the t threshold.
    """

    seconds: float | None
    samples: int | None
    pool_size: int
    confidence: float
    crops: int
    family_alpha: float


@dataclass(frozen=True)
class LeakResult(ResultHeader):
    """A whole screen: metadata, settings and cases in the order they ran."""

    packages: Mapping[str, str | None]
    settings: LeakSettings
    cases: tuple[LeakCase, ...]
    complete: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", MappingProxyType(dict(self.packages)))


def _upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """kind_version 1 -> 2: ``median_difference`` is named ``medians`` as the field is, and
    ``samples_ns`` is the pair ``[A, B]`` rather than ``{"a": A, "b": B}``."""
    for case in data["body"]["cases"]:
        case["medians"] = case.pop("median_difference")
        samples = case["samples_ns"]
        case["samples_ns"] = [samples["a"], samples["b"]]
    return data


# A `pqc-leak-result` schema_version 1 file (pqc up to fc017e9) kept header and body side
# by side: lift_flat makes it envelope data of kind_version 1, which _upgrade_v1 upgrades.
LEAK = register_kind(
    "leak", LeakResult, version=KIND_VERSION, written_by="`pqc leak --json`",
    upgraders={1: _upgrade_v1},
    legacy={LEGACY_FORMAT: {1: partial(lift_flat, kind="leak", kind_version=1)}},
)


# Reading and writing are the kind's (see ResultKind and pqc.bench.results).
dumps_leak_result, loads_leak_result = LEAK.dumps, LEAK.loads
write_leak_result, read_leak_result = LEAK.write, LEAK.read
