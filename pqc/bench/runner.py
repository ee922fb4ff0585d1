"""Timing in independent runs: N worker processes, cases interleaved, the machine's drift watched.

:func:`run_bench_in_workers` times every case of a plan in ``settings.runs``
runs. Each run is a fresh worker process (:mod:`pqc.bench.worker`) that
prepares its own inputs (fresh keys), warms up and calibrates every case
itself, and visits the cases in its own order: run ``r`` of ``N`` starts at
case ``r * M // N`` of the ``M`` cases and wraps around (a rotation), so over
the runs every case is timed early, midway and late in a run alike, and a
drift of the machine during the session hits every case about equally
instead of all the cases after some point. Within a run, the worker makes
``settings.passes`` passes over the cases and times a slice of each per pass
(:mod:`pqc.bench.worker`), timing a fixed reference workload
(:mod:`pqc.bench.drift`) before every slice and after the last; each run's
record keeps those probes and says how far they moved, and each case's
:class:`~pqc.bench.runmodel.RunValue` its speed-adjusted value.

The budgets in ``settings`` are totals over the runs: each run gets
``seconds / N`` per case and a share of the sample bounds and input pools
(:func:`per_run_settings`), so N runs cost about as much timing as one run
did, plus one interpreter start and one input preparation per run.

A worker that crashes or hangs (no event for ``timeout`` seconds) costs only
the case it was timing in that run: the case records the error, and a new
worker carries on with the rest of the run. Ctrl-C asks the worker under way
for what it has timed (:func:`_drain`), keeps every case timed in any run
(``complete=False``) and raises
:class:`~pqc.bench.engine.BenchInterrupted`.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, NoReturn

import pqc
from pqc.bench.cases import Plan
from pqc.bench.drift import MOVED_WARNING, summarize_drift
from pqc.bench.engine import MAX_RUNS, BenchInterrupted, Progress, measure_timer, new_result
from pqc.bench.machine import collect_machine
from pqc.bench.results import BenchResult, CaseResult, Machine, Settings, TimerInfo
from pqc.bench.runmodel import RunRecord, RunValue
from pqc.bench.runstats import median_interval
from pqc.bench.stability import likely_cause, stability_warnings
from pqc.bench.stats import around_run_medians, summarize
from pqc.bench.workers import WorkerCommand, WorkerEnd, events, same_package, worker_command
from pqc.errors import InvalidArgumentError, WorkerError
from pqc.jsondata import ConversionError, from_data, to_data

MIN_SAMPLES_PER_RUN = 1
BETWEEN_RUNS_WARNING = 0.10
"""A case whose centre's interval across runs (:func:`median_interval`) is wider than this
fraction of the centre is flagged."""


def run_orders(cases: int, runs: int) -> tuple[tuple[int, ...], ...]:
    """The order each run visits ``cases`` cases in: run r is rotated to start at r*cases//runs."""
    return tuple(
        tuple((start + i) % cases for i in range(cases))
        for start in (r * cases // runs for r in range(runs))
    )


def per_run_settings(settings: Settings) -> Settings:
    """What one of ``settings.runs`` runs gets: its share of the time, samples and pools."""
    n = settings.runs
    if n == 1:
        return settings
    min_samples = max(MIN_SAMPLES_PER_RUN, math.ceil(settings.min_samples / n))
    return replace(
        settings,
        seconds=settings.seconds / n,
        min_samples=min_samples,
        max_samples=max(min_samples, math.ceil(settings.max_samples / n)),
        key_pool=max(1, math.ceil(settings.key_pool / n)),
        input_pool=max(2, math.ceil(settings.input_pool / n)),
    )


def default_timeout(settings: Settings) -> float:
    """Seconds a worker may go without reporting before it counts as hung."""
    return 60.0 + 20.0 * per_run_settings(settings).seconds


@dataclass(frozen=True)
class TimedSlice:
    """One slice of a case in one run: its samples, their median, the probes around it."""

    samples: int
    median_ns: float
    probe_before_ns: int | None
    probe_after_ns: int | None


def slices_from_event(raw: object) -> tuple[TimedSlice, ...]:
    """The ``slices`` of a worker's ``case`` event; :class:`WorkerError` when malformed."""
    try:
        assert isinstance(raw, list)
        out = []
        for samples, median, before, after in raw:
            out.append(TimedSlice(int(samples), float(median),
                                  None if before is None else int(before),
                                  None if after is None else int(after)))  # fmt: skip
        return tuple(out)
    except (AssertionError, TypeError, ValueError) as exc:
        raise WorkerError(f"a benchmark worker sent slices pqc cannot read: {raw!r:.80}") from exc


def speed_adjusted_value(slices: Sequence[TimedSlice]) -> float | None:
    """The run's speed-adjusted value of a case: the geometric mean over its non-empty
    slices of median / sqrt(probe before * probe after); None without probes."""
    logs = []
    for piece in slices:
        if piece.samples == 0:
            continue
        if not piece.probe_before_ns or not piece.probe_after_ns or piece.median_ns <= 0:
            return None
        reference = 0.5 * (math.log(piece.probe_before_ns) + math.log(piece.probe_after_ns))
        logs.append(math.log(piece.median_ns) - reference)
    return math.exp(math.fsum(logs) / len(logs)) if logs else None


@dataclass
class _Piece:
    """One case as one run measured it."""

    run: int
    position: int
    case: CaseResult
    slices: tuple[TimedSlice, ...] = ()


@dataclass
class _Session:
    plan: Plan
    settings: Settings
    progress: Progress | None
    command: WorkerCommand
    timeout: float
    pieces: dict[int, list[_Piece]] = field(default_factory=dict)
    failures: dict[int, list[str]] = field(default_factory=dict)
    records: list[RunRecord] = field(default_factory=list)
    done: int = 0

    started: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Slices to time in all: every case, in every run, once per pass."""
        return len(self.plan.cases) * self.settings.runs * self.settings.passes

    def _advance(self, run: int, index: int, *, ended: bool = False) -> None:
        """Count a slice of case ``index`` started in ``run`` (or the case ended there)."""
        key = (run, index)
        before = self.started.get(key, 0)
        after = self.settings.passes if ended else min(before + 1, self.settings.passes)
        self.started[key] = max(before, after)
        self.done += self.started[key] - before

    def _tick(self, run: int, index: int | None, pass_number: int = 0) -> None:
        if self.progress is None:
            return
        label = "" if index is None else self.plan.cases[index].label
        prefix = f"run {run + 1}/{self.settings.runs}: " if self.settings.runs > 1 else ""
        if self.settings.passes > 1 and label:
            prefix += f"pass {pass_number + 1}/{self.settings.passes}: "
        self.progress(self.done, self.total, prefix + label if label else "")

    def run(self, run: int, order: Sequence[int], job_settings: dict[str, Any]) -> None:
        """One run: workers until every case of ``order`` was timed, skipped or failed."""
        labels = tuple(self.plan.cases[i].label for i in order)
        position = {case: place for place, case in enumerate(order)}
        cases = [[s.algorithm.name, s.backend, s.op] for s in self.plan.cases]
        probes: list[int] = []
        errors: list[str] = []
        workers = 0
        pending = list(order)
        start = time.perf_counter()
        complete = False
        try:
            while pending:
                workers += 1
                job = {"settings": job_settings, "cases": cases, "order": pending, "drift": True}
                current: int | None = None
                started_any = False
                end: WorkerEnd | None = None

                def handle(event: dict[str, Any] | WorkerEnd, *, quiet: bool = False) -> None:
                    nonlocal current, started_any, end
                    if isinstance(event, WorkerEnd):
                        end = event
                        return
                    kind = event.get("event")
                    if kind == "hello" and not same_package(event.get("pqc")):
                        raise WorkerError(
                            f"the benchmark worker imported pqc from {event.get('pqc')}, not from "
                            f"{pqc.__file__}; check PYTHONPATH and the working directory."
                        )
                    if kind == "probe":
                        probes.append(int(event["ns"]))
                    elif kind == "start":
                        current = int(event["case"])
                        started_any = True
                        if not quiet:
                            self._tick(run, current, int(event.get("pass", 0)))
                        self._advance(run, current)
                    elif kind in ("case", "skip"):
                        index = int(event["case"])
                        if kind == "case":
                            piece = _Piece(run, position[index], _case(event),
                                           slices_from_event(event.get("slices", [])))  # fmt: skip
                            self.pieces.setdefault(index, []).append(piece)
                        else:
                            self.failures.setdefault(index, []).append(
                                f"run {run + 1}: {event['reason']}"
                            )
                        if index in pending:
                            pending.remove(index)
                        if current == index:
                            current = None
                        self._advance(run, index, ended=True)

                stream = events(job, timeout=self.timeout, command=self.command)
                try:
                    for event in stream:
                        handle(event)
                        if end is not None:
                            break
                except KeyboardInterrupt:
                    _drain(stream, partial(handle, quiet=True))
                assert end is not None
                if end.finished:
                    break
                if not started_any:
                    why = f"a benchmark worker {end.describe()} before timing anything" + (
                        f"; its last words: {end.stderr_tail.strip()[-300:]}"
                        if end.stderr_tail.strip() else "")  # fmt: skip
                    if not self.pieces:
                        raise WorkerError(why)  # nothing timed yet: nothing to keep
                    for index in pending:  # keep what earlier workers timed
                        self.failures.setdefault(index, []).append(f"run {run + 1}: {why}")
                        self._advance(run, index, ended=True)
                    errors.append(why)
                    pending.clear()
                    break
                if current is not None:
                    reason = f"run {run + 1}: the worker {end.describe()} while timing it"
                    self.failures.setdefault(current, []).append(reason)
                    errors.append(f"{self.plan.cases[current].label}: {reason}")
                    pending.remove(current)
                    self._advance(run, current, ended=True)
            complete = True
        finally:
            self.records.append(
                RunRecord(
                    index=run,
                    order=labels,
                    probes_ns=tuple(probes),
                    drift=summarize_drift(probes),
                    seconds=round(time.perf_counter() - start, 3),
                    workers=workers,
                    errors=tuple(errors),
                    complete=complete,
                )
            )


def _drain(
    stream: Generator[dict[str, Any] | WorkerEnd, None, None],
    handle: Callable[[dict[str, Any] | WorkerEnd], None],
) -> NoReturn:
    """After Ctrl-C: have the worker report what it timed, take that, and re-raise.

    The interrupt is thrown into the event stream (which asks the worker to
    stop; :func:`pqc.bench.workers.events`), unless it came from there; the
    events that follow are handled without progress ticks.
    """
    try:
        event = stream.throw(KeyboardInterrupt())  # raises at once if the stream raised it
        while True:
            handle(event)
            event = next(stream)
    except StopIteration:
        pass
    raise KeyboardInterrupt


def _case(event: dict[str, Any]) -> CaseResult:
    try:
        case: CaseResult = from_data(CaseResult, event["result"], "result")
    except (ConversionError, KeyError) as exc:
        raise WorkerError(f"a benchmark worker sent a result pqc cannot read: {exc}") from exc
    return case


def run_bench_in_workers(
    plan: Plan,
    settings: Settings,
    *,
    command: Sequence[str] | None = None,
    progress: Progress | None = None,
    worker: WorkerCommand = worker_command,
    timeout: float | None = None,
) -> BenchResult:
    """Time every case of ``plan`` in ``settings.runs`` worker processes; see the module text.

    Raises :class:`~pqc.bench.engine.BenchInterrupted` on Ctrl-C (with what
    finished) and :class:`~pqc.errors.WorkerError` when no worker can start.
    """
    if not 1 <= settings.runs <= MAX_RUNS:
        raise InvalidArgumentError(
            f"--runs must be between 1 and {MAX_RUNS}, got {settings.runs}."
        )
    created = datetime.now(UTC).isoformat(timespec="seconds")
    machine = collect_machine()
    timer = measure_timer()
    session = _Session(
        plan, settings, progress, worker, timeout if timeout else default_timeout(settings)
    )
    job_settings = to_data(per_run_settings(settings))
    complete = True
    try:
        for run, order in enumerate(run_orders(len(plan.cases), settings.runs)):
            session.run(run, order, job_settings)
        if progress is not None:
            progress(session.total, session.total, "")
    except KeyboardInterrupt as exc:
        complete = False
        result = _result(session, created, command, machine, timer, complete)
        raise BenchInterrupted(result) from exc
    return _result(session, created, command, machine, timer, complete)


def _result(
    session: _Session,
    created: str,
    command: Sequence[str] | None,
    machine: Machine,
    timer: TimerInfo,
    complete: bool,
) -> BenchResult:
    cases: list[CaseResult] = []
    skipped = list(session.plan.skipped)
    for index, spec in enumerate(session.plan.cases):
        pieces = sorted(session.pieces.get(index, []), key=lambda piece: piece.run)
        failures = session.failures.get(index, [])
        if pieces:
            cases.append(_combine(pieces, failures, session.settings, interrupted=not complete))
        elif failures:
            reasons = list(dict.fromkeys(text.split(": ", 1)[1] for text in failures))
            runs = "every run" if len(failures) == session.settings.runs else (
                f"{len(failures)} of {session.settings.runs} runs")
            skipped.append(f"{spec.label}: {'; '.join(reasons)} ({runs})")
    records = sorted(session.records, key=lambda record: record.index)
    return new_result(
        created, command, machine, timer, session.settings, cases, skipped, complete, records
    )


def _combine(
    pieces: list[_Piece], failures: list[str], settings: Settings, *, interrupted: bool
) -> CaseResult:
    """One case from its runs: samples one run after the other, centre across runs."""
    first = pieces[0].case
    samples: list[int] = []
    values = []
    for piece in pieces:
        own = piece.case.samples_ns
        samples += own
        timed = [part for part in piece.slices if part.samples]
        values.append(
            RunValue(
                run=piece.run,
                samples=len(own),
                median_ns=float(statistics.median(own)),
                warmup_calls=piece.case.warmup_calls,
                position=piece.position,
                complete=piece.case.complete,
                probe_before_ns=timed[0].probe_before_ns if timed else None,
                probe_after_ns=timed[-1].probe_after_ns if timed else None,
                slices=max(1, len(timed)),
                adjusted=speed_adjusted_value(timed) if len(timed) > 1 else None,
            )
        )
    stats = summarize(samples)
    interval = median_interval([value.median_ns for value in values])
    warnings = list(
        stability_warnings(
            around_run_medians([piece.case.samples_ns for piece in pieces], interval.centre_ns),
            family=first.family, op=first.op,
            language=first.language, seconds=settings.seconds,
        )
    )  # fmt: skip
    width = (interval.high_ns - interval.low_ns) / interval.centre_ns if interval.centre_ns else 0
    if interval.runs > 1 and width > BETWEEN_RUNS_WARNING:
        warnings.append(
            f"the runs disagree: the centre's {interval.coverage:.0%} interval spans {width:.0%} "
            f"of it (> {BETWEEN_RUNS_WARNING:.0%}): "
            + likely_cause(first.family, first.op, first.language)
        )
    for value in values:
        moved = value.machine_moved
        if moved is not None and abs(moved) > MOVED_WARNING:
            warnings.append(
                f"run {value.run + 1}: the machine ran the drift monitor's reference workload "
                f"{abs(moved):.0%} {'slower' if moved > 0 else 'faster'} after this case than "
                "before it"
            )
    warnings += failures
    missing = settings.runs - len(pieces) - len(failures)
    if missing > 0 and interrupted:
        warnings.append(f"interrupted: timed in {len(pieces)} of {settings.runs} runs")
    return replace(
        first,
        samples_ns=tuple(samples),
        stats=stats,
        warmup_calls=sum(value.warmup_calls for value in values),
        inputs=first.inputs + (" per run" if settings.runs > 1 else ""),
        warnings=tuple(warnings),
        complete=all(value.complete for value in values) and missing <= 0,
        runs=tuple(values),
        across_runs=interval,
    )
