"""The benchmark result model: frozen values and their versioned JSON file.

A :class:`BenchResult` holds the machine it ran on, each backend's exact
version, the settings, the engine's own timer overhead, and one
:class:`CaseResult` per (algorithm, backend, operation) with every raw sample
in nanoseconds and the statistics derived from them.

Files are :mod:`pqc.resultfile` envelopes of kind ``"bench"``
(kind_version :data:`KIND_VERSION`); :func:`write_result` writes them
atomically and :func:`read_result` reads them back into equal values, and
also reads the ``"format": "pqc-bench-result"`` files of earlier pqc. A
file that is not JSON, not a pqc bench result, of a version this pqc does
not know, or damaged raises :class:`~pqc.errors.ResultFormatError`.

Reading a result (what other tools need)::

    result = read_result("run.json")
    for case in result.cases:           # case.algorithm, .backend, .op, .language
        case.stats.median_ns, case.sizes["public_key"], case.samples_ns
    result.case("ML-KEM-768", "encaps")  # best (first) backend's case, or None
    result.machine.cpu_model
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

from pqc.backends.base import BackendStatus
from pqc.bench.instructions import Instructions
from pqc.bench.runmodel import RunRecord, RunValue, single_run_values
from pqc.bench.runstats import RunInterval, median_interval
from pqc.bench.stats import Stats, around_run_medians
from pqc.resultfile import lift_flat, register_kind

KIND_VERSION = 1
LEGACY_FORMAT = "pqc-bench-result"  # what files of pqc up to fc017e9 say

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


@dataclass(frozen=True)
class ResultHeader:
    """The fields every result kind starts with: when, by what command and pqc, where, on what.

    ``created`` is an ISO 8601 UTC timestamp, ``command`` the command line,
    ``backends`` each backend's status with its exact version. Each kind adds
    its ``settings`` and ``complete`` (see :data:`pqc.resultfile.HEADER_FIELDS`).
    """

    created: str
    command: tuple[str, ...]
    pqc_version: str
    machine: Machine
    backends: tuple[BackendStatus, ...]


def case_label(algorithm: str, op: str, backend: str) -> str:
    """How a case is named to people: ``"ML-KEM-768 encaps [liboqs]"``."""
    return f"{algorithm} {op} [{backend}]"


@dataclass(frozen=True)
class CaseIdentity:
    """Which case a measurement is of: ``op`` of ``algorithm`` (its kind and family) by ``backend``.

    ``backend_version`` and ``language`` say which implementation that backend was.
    """

    algorithm: str
    kind: str
    family: str
    backend: str
    backend_version: str | None
    language: str
    op: str

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
    filters asked for (empty = defaults). ``runs`` is how many worker
    processes timed every case (1: a single process, as before runs existed);
    the other budgets are totals over all runs. ``passes`` is how many slices
    each run timed a case in, one slice of every case per pass over the cases
    (1: each case in one go, as before passes existed).
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
    runs: int = 1
    passes: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "baselines", _frozen_map(self.baselines))

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

@dataclass(frozen=True)
class CaseResult(CaseIdentity):
    """One timed case: ``op`` of ``algorithm`` by ``backend``.

    ``samples_ns`` holds every timed call in nanoseconds (warm-up excluded);
    ``stats`` is derived from them. ``sizes`` are this implementation's byte
    sizes (public_key, secret_key, ciphertext/signature, shared_secret).
    ``inputs`` says what the calls were fed (e.g. "4 key pairs, 8
    ciphertexts"); ``message_size`` is the signed message length in bytes
    (signatures only). ``warnings`` explain instability; ``complete`` is False
    when the run was interrupted during this case.

    ``runs`` holds one :class:`~pqc.bench.runmodel.RunValue` per worker process
    that timed the case (its samples are in ``samples_ns`` one run after the
    other) and ``across_runs`` the centre across them (the median of run
    medians, :attr:`centre_ns`, what tables report) with a between-run
    interval. A case built without them (one process, or a file from before
    runs) is one run: both are filled in.
    """

    sizes: Mapping[str, int]
    samples_ns: tuple[int, ...]
    stats: Stats
    warmup_calls: int
    inputs: str
    message_size: int | None = None
    warnings: tuple[str, ...] = ()
    complete: bool = True
    runs: tuple[RunValue, ...] = ()
    across_runs: RunInterval | None = None
    instructions: Instructions | None = None  # callgrind counts (pqc bench --instructions)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", _frozen_map(self.sizes))
        if not self.runs and self.samples_ns:
            one = single_run_values(
                self.samples_ns, self.stats.median_ns, self.warmup_calls, 0,
                complete=self.complete,
            )  # fmt: skip
            object.__setattr__(self, "runs", one)
        if self.across_runs is None and self.runs:
            interval = median_interval([run.median_ns for run in self.runs])
            object.__setattr__(self, "across_runs", interval)

    @property
    def centre_ns(self) -> float:
        """The case's reported time: the median of its run medians (ns)."""
        return self.across_runs.centre_ns if self.across_runs else self.stats.median_ns

    @property
    def within_run_stats(self) -> Stats:
        """Statistics of the calls around their own run's median (scaled to the centre): how
        much one process's calls vary, without how far runs differ. What tables show as IQR."""
        runs = [self.run_samples(index) for index in range(len(self.runs))] or [self.samples_ns]
        return around_run_medians(runs, self.centre_ns)

    @property
    def run_medians(self) -> tuple[float, ...]:
        """Each run's median in ns, in run order."""
        return tuple(run.median_ns for run in self.runs)

    def run_samples(self, index: int) -> tuple[int, ...]:
        """The samples the ``index``-th entry of ``runs`` took (ns)."""
        start = sum(run.samples for run in self.runs[:index])
        return self.samples_ns[start : start + self.runs[index].samples]

    @property
    def key(self) -> tuple[str, str, str]:
        """``(algorithm, backend, op)``: what pairs cases across runs."""
        return (self.algorithm, self.backend, self.op)

    @property
    def label(self) -> str:
        return case_label(self.algorithm, self.op, self.backend)

@dataclass(frozen=True)
class BenchResult(ResultHeader):
    """A whole run: metadata, settings, timer overhead and cases, in the order they ran.

    ``created`` is an ISO 8601 UTC timestamp; ``command`` the command line
    (or a description when run from Python); ``backends`` each backend's
    status with its exact version (available or not, with the reason);
    ``packages`` the installed versions of the Python packages involved;
    ``skipped`` says which requested algorithms could not be timed and why;
    ``complete`` is False when the run was interrupted. ``runs`` records each
    worker process's run (its order, drift probes); a result timed in this
    process (or from before runs) has none.
    """

    packages: Mapping[str, str | None]
    settings: Settings
    timer: TimerInfo
    cases: tuple[CaseResult, ...]
    skipped: tuple[str, ...] = ()
    complete: bool = True
    runs: tuple[RunRecord, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", _frozen_map(self.packages))

    @property
    def in_runs(self) -> bool:
        """Whether any case was timed in more than one run (worker process)."""
        return any(len(case.runs) > 1 for case in self.cases)

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


# A `pqc-bench-result` schema_version 1 file (pqc up to fc017e9) kept header and body side
# by side: lift_flat makes it envelope data of kind_version 1.
BENCH = register_kind(
    "bench", BenchResult, version=KIND_VERSION, written_by="`pqc bench --json`",
    legacy={LEGACY_FORMAT: {1: partial(lift_flat, kind="bench", kind_version=1)}},
)


# The module's reading and writing functions are the kind's (see ResultKind): dumps gives the
# JSON text (every sample list on one line), loads/read take this version's or an earlier
# pqc's files and raise ResultFormatError naming what is wrong, write is atomic.
dumps_result, loads_result = BENCH.dumps, BENCH.loads
write_result, read_result = BENCH.write, BENCH.read
