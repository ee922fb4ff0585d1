"""Run-level values of a bench result: one case in one run, and one run as a whole.

A *run* is one worker process that timed every case of the bench once, in
its own order (see :mod:`pqc.bench.runner`). A case's samples from all runs
are kept in ``CaseResult.samples_ns`` one run after the other;
:class:`RunValue` says how many of them each run contributed and their
median. :class:`RunRecord` keeps what a run did as a whole: the order it
visited the cases in, its drift probes, how many worker processes it took.

A result written before runs existed converts to one run
(:func:`single_run_values`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pqc.bench.drift import DriftSummary


@dataclass(frozen=True)
class RunValue:
    """One case in one run.

    ``run`` is the run's index; ``samples`` how many of the case's samples
    (in ``samples_ns``, in run order) this run took; ``median_ns`` their
    median; ``warmup_calls`` the calls discarded first; ``position`` the
    case's place (0-based) in that run's order; ``complete`` False when the
    run was interrupted during the case. ``probe_before_ns``/``probe_after_ns``
    are the drift monitor's reference times just before the case's first
    slice and just after its last in that run (None when not measured).
    ``slices`` is how many slices of the run timed the case (spread over the
    run, one per pass; see :mod:`pqc.bench.worker`) and ``adjusted`` the
    run's speed-adjusted value of the case: the geometric mean over those
    slices of the slice's median divided by the reference time around it
    (the geometric mean of the probes just before and after it), in units of
    the reference's time; None when not measured (then
    :func:`pqc.bench.compare.speed_adjusted` divides the median by the
    probes around the whole case).
    """

    run: int
    samples: int
    median_ns: float
    warmup_calls: int
    position: int
    complete: bool = True
    probe_before_ns: int | None = None
    probe_after_ns: int | None = None
    slices: int = 1
    adjusted: float | None = None

    @property
    def machine_moved(self) -> float | None:
        """How much slower (> 0) or faster (< 0) the reference ran after the case than before.

        None when not measured, and for a case timed in slices over the run (its
        first and last probes are a run apart, not around one stretch of timing).
        """
        if self.slices > 1 or not self.probe_before_ns or not self.probe_after_ns:
            return None
        return self.probe_after_ns / self.probe_before_ns - 1.0


@dataclass(frozen=True)
class RunRecord:
    """One run (worker process) of a bench.

    ``order`` lists the case labels in the order the run visited them;
    ``probes_ns`` the drift monitor's times of the reference workload (one
    before each case, one after the last) and ``drift`` their summary;
    ``seconds`` the run's wall time; ``workers`` the processes it took (1,
    plus one per crash or hang); ``errors`` what went wrong, per case;
    ``complete`` False when it was interrupted.
    """

    index: int
    order: tuple[str, ...]
    probes_ns: tuple[int, ...]
    drift: DriftSummary | None
    seconds: float | None
    workers: int = 1
    errors: tuple[str, ...] = ()
    complete: bool = True


def single_run_values(samples: Sequence[int], median_ns: float, warmup_calls: int, position: int,
                      *, complete: bool = True) -> tuple[RunValue, ...]:
    """The run values of a case measured in one process (a result from before runs)."""
    return (RunValue(0, len(samples), median_ns, warmup_calls, position, complete),)


def describe_runs(records: Sequence[RunRecord], passes: int = 1) -> str:
    """One line on the runs: how many, how long, how far the machine's speed moved."""
    if not records:
        return "one process (no run records)"
    drifts = [record.drift for record in records if record.drift is not None]
    restarts = sum(record.workers - 1 for record in records)
    text = f"{len(records)} run{'s' if len(records) != 1 else ''} in worker processes"
    if passes > 1:
        text += f" ({passes} passes over the cases each)"
    text += f", {sum(record.seconds or 0.0 for record in records):.1f} s"
    if drifts:
        worst = max(drifts, key=lambda drift: drift.moved)
        medians = [drift.median_ns for drift in drifts]
        spread = (max(medians) - min(medians)) / sorted(medians)[len(medians) // 2]
        text += (
            f"; drift monitor: the reference workload moved up to {worst.moved:.0%} within a "
            f"run (p10-p90) and {spread:.0%} between runs"
        )
    if restarts:
        text += f"; {restarts} worker{'s' if restarts != 1 else ''} crashed or hung (see notes)"
    return text + "."
