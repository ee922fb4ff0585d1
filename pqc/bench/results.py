"""The benchmark result model: frozen values and their versioned JSON file.

A :class:`BenchResult` holds the machine it ran on, each backend's exact
version, the settings, the engine's own timer overhead, and one
:class:`CaseResult` per (algorithm, backend, operation) with every raw sample
in nanoseconds and the statistics derived from them.

Files are JSON objects with ``"format": "pqc-bench-result"`` and
``"schema_version": 1``; :func:`write_result` writes them atomically and
:func:`read_result` reads them back into equal values. A file that is not
JSON, not a pqc result, of another schema version, or damaged raises
:class:`~pqc.errors.ResultFormatError`.

Reading a result (what other tools need)::

    result = read_result("run.json")
    for case in result.cases:           # case.algorithm, .backend, .op, .language
        case.stats.median_ns, case.sizes["public_key"], case.samples_ns
    result.case("ML-KEM-768", "encaps")  # best (first) backend's case, or None
    result.machine.cpu_model
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pqc.backends.base import BackendStatus
from pqc.bench.stats import Stats
from pqc.errors import ResultFormatError
from pqc.resultfile import atomic_write_text, parse_json, read_text

SCHEMA_VERSION = 1
FORMAT = "pqc-bench-result"

KEM_OPS = ("keygen", "encaps", "decaps")
SIGNATURE_OPS = ("keygen", "sign", "verify")
ALL_OPS = ("keygen", "encaps", "decaps", "sign", "verify")


def _frozen_map(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))


@dataclass(frozen=True)
class Machine:
    """Where a result was measured. Values that could not be read are None.

    Frequencies are in MHz; ``cpu_flags`` lists only the flags that matter to
    crypto speed (AVX2, AVX-512, AES, SHA, ...) that the CPU reports.
    """

    cpu_model: str | None
    architecture: str
    cpu_flags: tuple[str, ...]
    logical_cpus: int | None
    physical_cores: int | None
    usable_cpus: int | None
    governor: str | None
    frequency_mhz: float | None
    max_frequency_mhz: float | None
    boost: str | None
    os: str
    kernel: str
    distribution: str | None
    python_version: str
    python_implementation: str
    python_compiler: str
    load_average: tuple[float, float, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cpu_model": self.cpu_model,
            "architecture": self.architecture,
            "cpu_flags": list(self.cpu_flags),
            "logical_cpus": self.logical_cpus,
            "physical_cores": self.physical_cores,
            "usable_cpus": self.usable_cpus,
            "governor": self.governor,
            "frequency_mhz": self.frequency_mhz,
            "max_frequency_mhz": self.max_frequency_mhz,
            "boost": self.boost,
            "os": self.os,
            "kernel": self.kernel,
            "distribution": self.distribution,
            "python_version": self.python_version,
            "python_implementation": self.python_implementation,
            "python_compiler": self.python_compiler,
            "load_average": list(self.load_average) if self.load_average is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Machine:
        load = data["load_average"]
        return cls(
            cpu_model=data["cpu_model"],
            architecture=data["architecture"],
            cpu_flags=tuple(data["cpu_flags"]),
            logical_cpus=data["logical_cpus"],
            physical_cores=data["physical_cores"],
            usable_cpus=data["usable_cpus"],
            governor=data["governor"],
            frequency_mhz=data["frequency_mhz"],
            max_frequency_mhz=data["max_frequency_mhz"],
            boost=data["boost"],
            os=data["os"],
            kernel=data["kernel"],
            distribution=data["distribution"],
            python_version=data["python_version"],
            python_implementation=data["python_implementation"],
            python_compiler=data["python_compiler"],
            load_average=(float(load[0]), float(load[1]), float(load[2])) if load else None,
        )


@dataclass(frozen=True)
class Settings:
    """How a run was configured.

    ``seconds`` is the time budget for the timed calls of each case;
    ``min_samples``/``max_samples`` bound the calibrated sample count;
    ``key_pool`` key pairs and ``input_pool`` inputs (ciphertexts, messages,
    signatures) are prepared per implementation and cycled through;
    ``message_size`` is the length in bytes of every message signed;
    ``baselines`` maps a kind (``"kem"``, ``"signature"``) to the algorithm
    ratios are taken against. ``algorithms``/``backends``/``ops`` are the
    filters asked for (empty = defaults).
    """

    seconds: float
    quick: bool
    min_samples: int
    max_samples: int
    warmup_calls: int
    key_pool: int
    input_pool: int
    message_size: int
    baselines: Mapping[str, str] = field(default_factory=lambda: _frozen_map({}))
    algorithms: tuple[str, ...] = ()
    backends: tuple[str, ...] = ()
    ops: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "baselines", _frozen_map(self.baselines))

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "quick": self.quick,
            "min_samples": self.min_samples,
            "max_samples": self.max_samples,
            "warmup_calls": self.warmup_calls,
            "key_pool": self.key_pool,
            "input_pool": self.input_pool,
            "message_size": self.message_size,
            "baselines": dict(self.baselines),
            "algorithms": list(self.algorithms),
            "backends": list(self.backends),
            "ops": list(self.ops),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        return cls(
            seconds=float(data["seconds"]),
            quick=bool(data["quick"]),
            min_samples=int(data["min_samples"]),
            max_samples=int(data["max_samples"]),
            warmup_calls=int(data["warmup_calls"]),
            key_pool=int(data["key_pool"]),
            input_pool=int(data["input_pool"]),
            message_size=int(data["message_size"]),
            baselines=dict(data["baselines"]),
            algorithms=tuple(data["algorithms"]),
            backends=tuple(data["backends"]),
            ops=tuple(data["ops"]),
        )


@dataclass(frozen=True)
class TimerInfo:
    """The engine's own cost, in nanoseconds.

    ``resolution_ns`` is the clock's advertised resolution; ``min_step_ns`` the
    smallest non-zero difference seen between two back-to-back reads;
    ``empty_call_ns`` the median of timing a call to a function that does
    nothing through the engine's own loop (what every sample includes on top of
    the operation); ``empty_call_min_ns`` its minimum.
    """

    clock: str
    resolution_ns: float
    min_step_ns: int
    empty_call_ns: float
    empty_call_min_ns: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "clock": self.clock,
            "resolution_ns": self.resolution_ns,
            "min_step_ns": self.min_step_ns,
            "empty_call_ns": self.empty_call_ns,
            "empty_call_min_ns": self.empty_call_min_ns,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimerInfo:
        return cls(
            clock=data["clock"],
            resolution_ns=float(data["resolution_ns"]),
            min_step_ns=int(data["min_step_ns"]),
            empty_call_ns=float(data["empty_call_ns"]),
            empty_call_min_ns=int(data["empty_call_min_ns"]),
        )


@dataclass(frozen=True)
class CaseResult:
    """One timed case: ``op`` of ``algorithm`` by ``backend``.

    ``samples_ns`` holds every timed call in nanoseconds (warm-up excluded);
    ``stats`` is derived from them. ``sizes`` are this implementation's byte
    sizes (public_key, secret_key, ciphertext/signature, shared_secret).
    ``inputs`` says what the calls were fed (e.g. "4 key pairs, 8
    ciphertexts"); ``message_size`` is the signed message length in bytes
    (signatures only). ``warnings`` explain instability; ``complete`` is False
    when the run was interrupted during this case.
    """

    algorithm: str
    kind: str
    family: str
    backend: str
    backend_version: str | None
    language: str
    op: str
    sizes: Mapping[str, int]
    samples_ns: tuple[int, ...]
    stats: Stats
    warmup_calls: int
    inputs: str
    message_size: int | None = None
    warnings: tuple[str, ...] = ()
    complete: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", _frozen_map(self.sizes))

    @property
    def key(self) -> tuple[str, str, str]:
        """``(algorithm, backend, op)``: what pairs cases across runs."""
        return (self.algorithm, self.backend, self.op)

    @property
    def label(self) -> str:
        return f"{self.algorithm} {self.op} [{self.backend}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "kind": self.kind,
            "family": self.family,
            "backend": self.backend,
            "backend_version": self.backend_version,
            "language": self.language,
            "op": self.op,
            "sizes": dict(self.sizes),
            "stats": self.stats.to_dict(),
            "warmup_calls": self.warmup_calls,
            "inputs": self.inputs,
            "message_size": self.message_size,
            "warnings": list(self.warnings),
            "complete": self.complete,
            "samples_ns": list(self.samples_ns),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseResult:
        stats = data["stats"]
        return cls(
            algorithm=data["algorithm"],
            kind=data["kind"],
            family=data["family"],
            backend=data["backend"],
            backend_version=data["backend_version"],
            language=data["language"],
            op=data["op"],
            sizes={str(k): int(v) for k, v in data["sizes"].items()},
            samples_ns=tuple(int(v) for v in data["samples_ns"]),
            stats=Stats.from_dict(stats),
            warmup_calls=int(data["warmup_calls"]),
            inputs=data["inputs"],
            message_size=data["message_size"],
            warnings=tuple(data["warnings"]),
            complete=bool(data["complete"]),
        )


@dataclass(frozen=True)
class BenchResult:
    """A whole run: metadata, settings, timer overhead and cases, in the order they ran.

    ``created`` is an ISO 8601 UTC timestamp; ``command`` the command line
    (or a description when run from Python); ``backends`` each backend's
    status with its exact version (available or not, with the reason);
    ``packages`` the installed versions of the Python packages involved;
    ``skipped`` says which requested algorithms could not be timed and why;
    ``complete`` is False when the run was interrupted.
    """

    created: str
    command: tuple[str, ...]
    pqc_version: str
    machine: Machine
    backends: tuple[BackendStatus, ...]
    packages: Mapping[str, str | None]
    settings: Settings
    timer: TimerInfo
    cases: tuple[CaseResult, ...]
    skipped: tuple[str, ...] = ()
    complete: bool = True
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", _frozen_map(self.packages))

    def case(self, algorithm: str, op: str, backend: str | None = None) -> CaseResult | None:
        """The case for ``algorithm``/``op`` (on ``backend``, or the first backend timed)."""
        for item in self.cases:
            same = item.algorithm == algorithm and item.op == op
            if same and (backend is None or item.backend == backend):
                return item
        return None

    def by_kind(self, kind: str) -> tuple[CaseResult, ...]:
        """Cases of one kind (``"kem"`` or ``"signature"``), in run order."""
        return tuple(c for c in self.cases if c.kind == kind)

    def backend_status(self, name: str) -> BackendStatus | None:
        for status in self.backends:
            if status.name == name:
                return status
        return None

    def __iter__(self) -> Iterator[CaseResult]:
        return iter(self.cases)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (what :func:`write_result` writes)."""
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
            "timer": self.timer.to_dict(),
            "skipped": list(self.skipped),
            "cases": [case.to_dict() for case in self.cases],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "the data") -> BenchResult:
        """Parse :meth:`to_dict` output; raises :class:`ResultFormatError` for anything else."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ResultFormatError(
                f'{source} is not a pqc bench result (no "format": "{FORMAT}" field); '
                "give a file written by `pqc bench --json`."
            )
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ResultFormatError(
                f"{source} has schema_version {version!r}, but this pqc reads version "
                f"{SCHEMA_VERSION}; re-run `pqc bench` or use the pqc version that wrote it."
            )
        try:
            return cls(
                created=data["created"],
                command=tuple(data["command"]),
                pqc_version=data["pqc_version"],
                machine=Machine.from_dict(data["machine"]),
                backends=tuple(BackendStatus.from_dict(item) for item in data["backends"]),
                packages=dict(data["packages"]),
                settings=Settings.from_dict(data["settings"]),
                timer=TimerInfo.from_dict(data["timer"]),
                cases=tuple(CaseResult.from_dict(item) for item in data["cases"]),
                skipped=tuple(data["skipped"]),
                complete=bool(data["complete"]),
                schema_version=SCHEMA_VERSION,
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ResultFormatError(f"{source} is a damaged pqc bench result: {what}.") from exc


_NUMBER_LIST = re.compile(r"\[\s*(-?[\d.eE+-]+(?:\s*,\s*-?[\d.eE+-]+)*)\s*\]")


def _one_line(match: re.Match[str]) -> str:
    return "[" + ", ".join(item.strip() for item in match.group(1).split(",")) + "]"


def dumps_result(result: BenchResult) -> str:
    """The JSON text of ``result``: indented, with lists of numbers kept on one line."""
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    return _NUMBER_LIST.sub(_one_line, text)


def loads_result(text: str, *, source: str = "the text") -> BenchResult:
    """Parse JSON text written by :func:`dumps_result`."""
    data = parse_json(text, source=source, expected="a `pqc bench --json` file")
    return BenchResult.from_dict(data, source=source)


def write_result(result: BenchResult, path: str | os.PathLike[str]) -> None:
    """Write ``result`` as JSON to ``path`` atomically."""
    atomic_write_text(path, dumps_result(result) + "\n")


def read_result(path: str | os.PathLike[str]) -> BenchResult:
    """Read a result file written by :func:`write_result`.

    Raises :class:`ResultFormatError` when the file cannot be read, is not
    JSON, is not a pqc result, has another schema version, or is damaged.
    """
    return loads_result(read_text(path), source=os.fspath(path))

