"""The timing engine: one ``perf_counter_ns`` pair per call, warm-up discarded, GC off.

For each case the engine (1) prepares valid inputs outside the timed region
(:mod:`pqc.bench.cases`), (2) runs ``warmup_calls`` calls through the same loop
(one, when that one call took half the budget or more: it is warm by then)
and discards them, using their median to (3) pick a sample count that fills
``seconds`` (bounded by ``min_samples`` and ``max_samples``), then (4) times
that many calls, each on its own, with the garbage collector disabled. The
count is then re-estimated from the median of the samples taken and topped up
(up to :data:`CALIBRATION_ROUNDS` estimates in all): a warm-up of two or three
calls can include a cold first call (lazy initialisation, page faults) many
times slower than the rest, and sizing the run from it alone left the first
case of a quick run with 30-130 samples where its budget held 600.

The timed region holds only the call: ``t0 = clock(); fn(*args); t1 =
clock()`` with the clock and the list's append pre-bound, the arguments
unpacked by the ``for`` statement (outside the region), and one loop per
arity so no ``*args`` packing happens inside it. What remains of the
engine's own cost (two clock reads and a call) is measured once per run by
timing an empty function through the same loop (:func:`measure_timer`) and
recorded in the result.

Ctrl-C: :func:`run_bench` keeps the cases already timed (and the samples of
the case under way, marked incomplete) and raises :class:`BenchInterrupted`
carrying the partial :class:`~pqc.bench.results.BenchResult`.
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pqc
from pqc.bench.cases import (
    DEFAULT_BASELINES,
    MESSAGE_SIZE,
    Calls,
    CaseSpec,
    Plan,
    Workload,
)
from pqc.bench.machine import collect_backends, collect_machine, package_versions
from pqc.bench.results import BenchResult, CaseResult, Machine, Settings, TimerInfo
from pqc.bench.runmodel import RunRecord
from pqc.bench.stability import stability_warnings
from pqc.bench.stats import summarize
from pqc.errors import InvalidArgumentError, PQCError

DEFAULT_RUNS = {False: 10, True: 3}
"""Worker processes per bench by default (full, quick); see the README for why."""
MAX_RUNS = 100
DEFAULT_PASSES = {False: 16, True: 4}
"""Slices each run times a case in, spread over the run, by default (full, quick); see
:mod:`pqc.bench.worker` and the README for why."""
MAX_PASSES = 50

CALIBRATION_ROUNDS = 3
"""Sample-count estimates per case: from the warm-up, then from the samples taken so far."""

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, label)`` before each case and once at the end."""


def default_settings(
    *,
    quick: bool = False,
    seconds: float | None = None,
    baselines: dict[str, str] | None = None,
    algorithms: Sequence[str] = (),
    backends: Sequence[str] = (),
    ops: Sequence[str] = (),
    runs: int | None = None,
    passes: int | None = None,
) -> Settings:
    """Settings for a full run (0.25 s per case) or a quick one (0.05 s per case).

    ``runs`` worker processes share each case's budget (default
    :data:`DEFAULT_RUNS` for the mode); ``seconds`` overrides the per-case
    budget (a total over the runs); each run times a case in ``passes`` slices
    (default :data:`DEFAULT_PASSES`).
    """
    if seconds is not None and not seconds > 0:
        raise InvalidArgumentError(f"--seconds must be a positive number, got {seconds}.")
    if runs is not None and not 1 <= runs <= MAX_RUNS:
        raise InvalidArgumentError(f"--runs must be between 1 and {MAX_RUNS}, got {runs}.")
    if passes is not None and not 1 <= passes <= MAX_PASSES:
        raise InvalidArgumentError(
            f"--passes must be between 1 and {MAX_PASSES}, got {passes}."
        )
    if quick:
        base = Settings(
            seconds=0.05, quick=True, min_samples=3, max_samples=600, warmup_calls=2,
            key_pool=2, input_pool=4, message_size=MESSAGE_SIZE,
        )  # fmt: skip
    else:
        base = Settings(
            seconds=0.25, quick=False, min_samples=5, max_samples=3000, warmup_calls=3,
            key_pool=4, input_pool=8, message_size=MESSAGE_SIZE,
        )  # fmt: skip
    return replace(
        base,
        seconds=seconds if seconds is not None else base.seconds,
        baselines={**DEFAULT_BASELINES, **(baselines or {})},
        algorithms=tuple(algorithms),
        backends=tuple(backends),
        ops=tuple(ops),
        runs=runs if runs is not None else DEFAULT_RUNS[quick],
        passes=passes if passes is not None else DEFAULT_PASSES[quick],
    )


# ---------------------------------------------------------------- the timed loops
def _loop0(fn: Callable[[], object], pool: Sequence[tuple[()]], out: list[int]) -> None:
    clock = time.perf_counter_ns
    append = out.append
    for _ in pool:
        t0 = clock()
        fn()
        t1 = clock()
        append(t1 - t0)


def _loop1(fn: Callable[[bytes], object], pool: Sequence[tuple[bytes]], out: list[int]) -> None:
    clock = time.perf_counter_ns
    append = out.append
    for (a,) in pool:
        t0 = clock()
        fn(a)
        t1 = clock()
        append(t1 - t0)


def _loop2(
    fn: Callable[[bytes, bytes], object], pool: Sequence[tuple[bytes, bytes]], out: list[int]
) -> None:
    clock = time.perf_counter_ns
    append = out.append
    for a, b in pool:
        t0 = clock()
        fn(a, b)
        t1 = clock()
        append(t1 - t0)


def _loop3(
    fn: Callable[[bytes, bytes, bytes], object],
    pool: Sequence[tuple[bytes, bytes, bytes]],
    out: list[int],
) -> None:
    clock = time.perf_counter_ns
    append = out.append
    for a, b, c in pool:
        t0 = clock()
        fn(a, b, c)
        t1 = clock()
        append(t1 - t0)


_LOOPS: tuple[Callable[..., None], ...] = (_loop0, _loop1, _loop2, _loop3)


def time_calls(
    fn: Callable[..., object], args: Sequence[tuple[object, ...]], out: list[int]
) -> None:
    """Append to ``out`` the time in ns of ``fn(*a)`` for each ``a`` in ``args`` (GC off).

    Every tuple in ``args`` has the same length (0 to 3). Samples are appended
    as they are taken, so ``out`` keeps them if the loop is interrupted.
    """
    if not args:
        return
    loop = _LOOPS[len(args[0])]
    enabled = gc.isenabled()
    gc.disable()
    try:
        loop(fn, args, out)
    finally:
        if enabled:
            gc.enable()


def _cycle(pool: Sequence[tuple[bytes, ...]], n: int, start: int = 0) -> list[tuple[bytes, ...]]:
    return [pool[i % len(pool)] for i in range(start, start + n)]


def _wanted(settings: Settings, estimate_ns: float) -> int:
    """How many samples fill the budget at ``estimate_ns`` a call, within the bounds."""
    wanted = int(settings.seconds * 1e9 / max(1.0, estimate_ns))
    return min(settings.max_samples, max(settings.min_samples, wanted))


def _noop() -> None:
    return None


def measure_timer(calls: int = 2000) -> TimerInfo:
    """The clock's resolution and the engine's own cost per sample (an empty call), in ns."""
    clock = time.perf_counter_ns
    steps = []
    for _ in range(calls):
        t0 = clock()
        t1 = clock()
        while t1 == t0:
            t1 = clock()
        steps.append(t1 - t0)
    empty: list[int] = []
    time_calls(_noop, [()] * calls, empty)
    stats = summarize(empty)
    return TimerInfo(
        clock="time.perf_counter_ns",
        resolution_ns=time.get_clock_info("perf_counter").resolution * 1e9,
        min_step_ns=min(steps),
        empty_call_ns=stats.median_ns,
        empty_call_min_ns=stats.min_ns,
    )


# ---------------------------------------------------------------- one case
class CaseInterrupted(KeyboardInterrupt):
    """Ctrl-C during a case; ``partial`` holds the samples taken so far (or None)."""

    def __init__(self, partial: CaseResult | None) -> None:
        super().__init__()
        self.partial = partial


def _case_result(
    spec: CaseSpec,
    workload: Workload,
    calls: Calls,
    samples: list[int],
    warmup: int,
    settings: Settings,
    *,
    complete: bool,
) -> CaseResult:
    impl = workload.impl
    stats = summarize(samples)
    warnings = stability_warnings(
        stats,
        family=spec.algorithm.family,
        op=spec.op,
        language=impl.language,
        seconds=settings.seconds,
    )
    if not complete:
        warnings = (*warnings, "interrupted: fewer samples than planned")
    return CaseResult(
        algorithm=spec.algorithm.name,
        kind=spec.algorithm.kind,
        family=spec.algorithm.family,
        backend=impl.backend,
        backend_version=impl.backend_version,
        language=impl.language,
        op=spec.op,
        sizes=impl.sizes(),
        samples_ns=tuple(samples),
        stats=stats,
        warmup_calls=warmup,
        inputs=calls.inputs,
        message_size=calls.message_size,
        warnings=warnings,
        complete=complete,
    )


@dataclass(frozen=True)
class Slice:
    """One slice of a case's timing: how many samples it took and their median (ns)."""

    samples: int
    median_ns: float


class CaseTimer:
    """One case timed in ``slices`` slices, which a worker spreads over its run.

    The first slice warms up (``warmup_calls``, or one call when that one took
    half the budget or more) and sizes the case from the warm-up's median;
    every slice then takes its share of the samples the budget holds, re-sized
    from the median of the samples taken so far, and the last slice tops the
    count up to what the budget holds (up to :data:`CALIBRATION_ROUNDS`
    estimates). A case whose budget holds fewer samples than slices leaves some
    slices empty (its samples still spread over them). With one slice this is
    the whole case in one go.
    """

    def __init__(
        self, spec: CaseSpec, workload: Workload, settings: Settings, slices: int = 1
    ) -> None:
        self.spec = spec
        self.workload = workload
        self.settings = settings
        self.slices = max(1, slices)
        self.calls = workload.calls(spec.op)
        self.warmup: list[int] = []
        self.samples: list[int] = []
        self.done: list[Slice] = []
        self._estimate: float | None = None  # ns a call: the median of the samples so far

    @property
    def finished(self) -> bool:
        return len(self.done) >= self.slices

    def _goal(self, estimate: float) -> int:
        """The samples the budget holds at ``estimate`` ns a call, up to the next slice's end."""
        return math.ceil(_wanted(self.settings, estimate) * (len(self.done) + 1) / self.slices)

    def next_is_empty(self) -> bool:
        """True when the next slice would take no samples (a slow case with few of them)."""
        if self._estimate is None or len(self.done) + 1 >= self.slices:
            return False  # the first slice warms up; the last re-sizes and may top up
        return self._goal(self._estimate) <= len(self.samples)

    def skip_slice(self) -> None:
        """Record the next slice as empty (see :meth:`next_is_empty`)."""
        self.done.append(Slice(0, 0.0))

    def time_slice(self) -> Slice:
        """Time the next slice; raises :class:`CaseInterrupted` on Ctrl-C."""
        settings, calls, samples = self.settings, self.calls, self.samples
        first = len(samples)
        last = len(self.done) + 1 >= self.slices
        rounds = CALIBRATION_ROUNDS if last or not self.done else 1  # re-size after a cold start
        try:
            if not self.done:
                time_calls(calls.fn, _cycle(calls.pool, 1), self.warmup)
                if self.warmup[0] < settings.seconds * 1e9 / 2 and settings.warmup_calls > 1:
                    more = settings.warmup_calls - 1
                    time_calls(calls.fn, _cycle(calls.pool, more, start=1), self.warmup)
            estimate = self._estimate or statistics.median(self.warmup)  # no numpy set-up
            for _ in range(rounds):
                more = self._goal(estimate) - len(samples)
                if more <= 0:
                    break
                time_calls(calls.fn, _cycle(calls.pool, more, start=len(samples)), samples)
                estimate = self._estimate = statistics.median(samples)
        except KeyboardInterrupt as exc:
            raise CaseInterrupted(self.result(complete=False) if samples else None) from exc
        own = samples[first:]
        piece = Slice(len(own), float(statistics.median(own)) if own else 0.0)
        self.done.append(piece)
        return piece

    def result(self, *, complete: bool = True) -> CaseResult:
        """The case as timed so far."""
        return _case_result(
            self.spec, self.workload, self.calls, self.samples, len(self.warmup), self.settings,
            complete=complete,
        )  # fmt: skip


def time_case(spec: CaseSpec, workload: Workload, settings: Settings) -> CaseResult:
    """Time one case in one go: prepare inputs, warm up, calibrate the sample count, time.

    Raises :class:`CaseInterrupted` on Ctrl-C (with the samples taken so far)
    and :class:`PQCError` when inputs cannot be prepared.
    """
    timer = CaseTimer(spec, workload, settings)
    timer.time_slice()
    return timer.result()


# ---------------------------------------------------------------- a run
class BenchInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_bench`; ``result`` holds what was timed (``complete=False``)."""

    def __init__(self, result: BenchResult) -> None:
        super().__init__()
        self.result = result


def run_bench(
    plan: Plan,
    settings: Settings,
    *,
    command: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> BenchResult:
    """Time every case of ``plan`` and return the result with machine and version metadata.

    A case whose inputs cannot be prepared (a backend defect) is listed in
    ``skipped`` with the reason rather than stopping the run. Raises
    :class:`BenchInterrupted` (a KeyboardInterrupt) on Ctrl-C.
    """
    created = datetime.now(UTC).isoformat(timespec="seconds")
    settings = replace(settings, passes=1)  # in this process, each case in one go
    machine = collect_machine()
    timer = measure_timer()
    cases: list[CaseResult] = []
    skipped = list(plan.skipped)
    workloads: dict[tuple[str, str], Workload] = {}
    total = len(plan.cases)
    complete = True
    try:
        for index, spec in enumerate(plan.cases):
            if progress is not None:
                progress(index, total, spec.label)
            key = (spec.algorithm.name, spec.backend)
            if key not in workloads:
                workloads.clear()  # cases of one implementation are adjacent in a plan
            try:
                workload = workloads.get(key) or Workload.for_settings(spec, settings)
                workloads[key] = workload
                cases.append(time_case(spec, workload, settings))
            except PQCError as exc:
                skipped.append(f"{spec.label}: {exc}")
        if progress is not None:
            progress(total, total, "")
    except KeyboardInterrupt as exc:
        complete = False
        partial = getattr(exc, "partial", None)
        if isinstance(partial, CaseResult):
            cases.append(partial)
        result = new_result(created, command, machine, timer, settings, cases, skipped, complete)
        raise BenchInterrupted(result) from exc
    return new_result(created, command, machine, timer, settings, cases, skipped, complete)


def new_result(
    created: str,
    command: Sequence[str] | None,
    machine: Machine,
    timer: TimerInfo,
    settings: Settings,
    cases: Sequence[CaseResult],
    skipped: Sequence[str],
    complete: bool,
    runs: Sequence[RunRecord] = (),
) -> BenchResult:
    """A result of these cases with this process's backend and package versions."""
    return BenchResult(
        created=created,
        command=tuple(command if command is not None else sys.argv),
        pqc_version=pqc.__version__,
        machine=machine,
        backends=collect_backends(),
        packages=package_versions(),
        settings=settings,
        timer=timer,
        cases=tuple(cases),
        skipped=tuple(skipped),
        complete=complete,
        runs=tuple(runs),
    )
