"""The leak-screen result model: frozen values and their versioned JSON file.

Same style as bench results (:mod:`pqc.bench.results`): a JSON object with
``"format": "pqc-leak-result"`` and ``"schema_version": 1``, the machine,
each backend's exact version, the settings, and one :class:`LeakCase` per
screened (algorithm, backend, operation, class set) with every raw sample in
nanoseconds per class, each class's summary, both statistics and the
verdict. Written atomically; read back by :func:`read_leak_result` into
equal values. Inputs (secrets, keys) are never stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pqc.backends.base import BackendStatus
from pqc.bench.results import Machine
from pqc.bench.stats import Stats
from pqc.errors import ResultFormatError
from pqc.leak.stats import DudectTest, MedianDifference
from pqc.leak.verdict import Verdict
from pqc.resultfile import atomic_write_text, parse_json, read_text

FORMAT = "pqc-leak-result"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ClassSummary:
    """One class's timings: ``label``, summary ``stats`` (ns), and calls that raised."""

    label: str
    stats: Stats
    failures: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "stats": self.stats.to_dict(),
            "failures": self.failures,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClassSummary:
        return cls(
            label=data["label"],
            stats=Stats.from_dict(data["stats"]),
            failures=int(data["failures"]),
            error=data["error"],
        )


@dataclass(frozen=True)
class LeakCase:
    """One screened case.

    ``classes`` names the class set and ``labels`` its classes (A, B);
    ``description`` and ``inputs`` say what they were; ``note`` says why the
    operation varies by design (or None). ``samples_ns`` holds every timed
    call of class A and of class B, in the order taken; ``seconds`` is the
    wall time of the timed phase; ``clock_step_ns`` the clock's effective
    resolution; ``complete`` is False when interrupted.
    """

    algorithm: str
    kind: str
    family: str
    backend: str
    backend_version: str | None
    language: str
    op: str
    classes: str
    labels: tuple[str, str]
    description: str
    inputs: str
    note: str | None
    class_a: ClassSummary
    class_b: ClassSummary
    dudect: DudectTest
    medians: MedianDifference
    verdict: Verdict
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "kind": self.kind,
            "family": self.family,
            "backend": self.backend,
            "backend_version": self.backend_version,
            "language": self.language,
            "op": self.op,
            "classes": self.classes,
            "labels": list(self.labels),
            "description": self.description,
            "inputs": self.inputs,
            "note": self.note,
            "verdict": self.verdict.to_dict(),
            "dudect": self.dudect.to_dict(),
            "median_difference": self.medians.to_dict(),
            "class_a": self.class_a.to_dict(),
            "class_b": self.class_b.to_dict(),
            "warmup_calls": self.warmup_calls,
            "seconds": self.seconds,
            "clock_step_ns": self.clock_step_ns,
            "complete": self.complete,
            "samples_ns": {
                "a": list(self.samples_ns[0]),
                "b": list(self.samples_ns[1]),
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LeakCase:
        verdict, dudect, medians = data["verdict"], data["dudect"], data["median_difference"]
        crop = dudect["crop_percentile"]
        return cls(
            algorithm=data["algorithm"],
            kind=data["kind"],
            family=data["family"],
            backend=data["backend"],
            backend_version=data["backend_version"],
            language=data["language"],
            op=data["op"],
            classes=data["classes"],
            labels=(data["labels"][0], data["labels"][1]),
            description=data["description"],
            inputs=data["inputs"],
            note=data["note"],
            class_a=ClassSummary.from_dict(data["class_a"]),
            class_b=ClassSummary.from_dict(data["class_b"]),
            dudect=DudectTest(
                max_abs_t=float(dudect["max_abs_t"]),
                t=float(dudect["t"]),
                crop_percentile=None if crop is None else float(crop),
                mean_difference_ns=float(dudect["mean_difference_ns"]),
                tests=int(dudect["tests"]),
                threshold=float(dudect["threshold"]),
            ),
            medians=MedianDifference(
                estimate_ns=float(medians["estimate_ns"]),
                low_ns=float(medians["low_ns"]),
                high_ns=float(medians["high_ns"]),
                confidence=float(medians["confidence"]),
                resamples=int(medians["resamples"]),
            ),
            verdict=Verdict(
                status=verdict["status"],
                text=verdict["text"],
                slower=verdict["slower"],
                difference_ns=float(verdict["difference_ns"]),
                bound_ns=float(verdict["bound_ns"]),
                notes=tuple(verdict["notes"]),
            ),
            warmup_calls=int(data["warmup_calls"]),
            seconds=float(data["seconds"]),
            clock_step_ns=int(data["clock_step_ns"]),
            samples_ns=(
                tuple(int(v) for v in data["samples_ns"]["a"]),
                tuple(int(v) for v in data["samples_ns"]["b"]),
            ),
            complete=bool(data["complete"]),
        )


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "samples": self.samples,
            "pool_size": self.pool_size,
            "confidence": self.confidence,
            "crops": self.crops,
            "family_alpha": self.family_alpha,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LeakSettings:
        return cls(
            seconds=None if data["seconds"] is None else float(data["seconds"]),
            samples=None if data["samples"] is None else int(data["samples"]),
            pool_size=int(data["pool_size"]),
            confidence=float(data["confidence"]),
            crops=int(data["crops"]),
            family_alpha=float(data["family_alpha"]),
        )


@dataclass(frozen=True)
class LeakResult:
    """A whole screen: metadata, settings and cases in the order they ran."""

    created: str
    command: tuple[str, ...]
    pqc_version: str
    machine: Machine
    backends: tuple[BackendStatus, ...]
    packages: Mapping[str, str | None]
    settings: LeakSettings
    cases: tuple[LeakCase, ...]
    complete: bool = True
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", MappingProxyType(dict(self.packages)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "schema_version": self.schema_version,
            "created": self.created,
            "command": list(self.command),
            "pqc_version": self.pqc_version,
            "complete": self.complete,
            "machine": self.machine.to_dict(),
            "backends": [status.to_dict() for status in self.backends],
            "packages": dict(self.packages),
            "settings": self.settings.to_dict(),
            "cases": [case.to_dict() for case in self.cases],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "the data") -> LeakResult:
        """Parse :meth:`to_dict` output; raises :class:`ResultFormatError` for anything else."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ResultFormatError(
                f"{source} is not a pqc leak result (no \"format\": \"{FORMAT}\" field); "
                "give a file written by `pqc leak --json`."
            )
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ResultFormatError(
                f"{source} has schema_version {version!r}, but this pqc reads version "
                f"{SCHEMA_VERSION}; re-run `pqc leak` or use the pqc version that wrote it."
            )
        try:
            return cls(
                created=data["created"],
                command=tuple(data["command"]),
                pqc_version=data["pqc_version"],
                machine=Machine.from_dict(data["machine"]),
                backends=tuple(BackendStatus.from_dict(item) for item in data["backends"]),
                packages=dict(data["packages"]),
                settings=LeakSettings.from_dict(data["settings"]),
                cases=tuple(LeakCase.from_dict(item) for item in data["cases"]),
                complete=bool(data["complete"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ResultFormatError(f"{source} is a damaged pqc leak result: {what}.") from exc


def dumps_leak_result(result: LeakResult) -> str:
    """The JSON text of ``result``: indented, each sample list on one line."""
    data = result.to_dict()
    placeholders: dict[str, str] = {}
    for index, case in enumerate(data["cases"]):
        for side in ("a", "b"):
            key = f"@@samples-{index}-{side}@@"
            placeholders[f'"{key}"'] = json.dumps(case["samples_ns"][side], separators=(",", ":"))
            case["samples_ns"][side] = key
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    for key, value in placeholders.items():
        text = text.replace(key, value, 1)
    return text


def loads_leak_result(text: str, *, source: str = "the text") -> LeakResult:
    """Parse JSON text written by :func:`dumps_leak_result`."""
    data = parse_json(text, source=source, expected="a `pqc leak --json` file")
    return LeakResult.from_dict(data, source=source)


def write_leak_result(result: LeakResult, path: str | os.PathLike[str]) -> None:
    """Write ``result`` as JSON to ``path`` atomically."""
    atomic_write_text(path, dumps_leak_result(result) + "\n")


def read_leak_result(path: str | os.PathLike[str]) -> LeakResult:
    """Read a file written by :func:`write_leak_result`; raises :class:`ResultFormatError`."""
    return loads_leak_result(read_text(path), source=os.fspath(path))
