"""Comparing two results case by case, on run-level values, with a minimum effect and a CI gate.

Cases pair by ``(algorithm, backend, op)``. The evidence is each file's run
medians (one per worker process, see :mod:`pqc.bench.runstats` for why calls
of one process are not independent samples). For each pair:

- ``ratio``: the ratio B/A of the geometric means of the run medians (below
  1: B is faster), with a 95% interval from Welch's t-test on the log run
  medians (:func:`pqc.bench.runstats.welch_log`). When every run of the case
  in both files has drift probes around it, each run's value is first
  divided by the machine's speed at that moment (:func:`speed_adjusted`): a
  case timed in slices over the run (``--passes``) carries its run value
  adjusted slice by slice (``RunValue.adjusted``: each slice's median over
  the reference times on either side of it); a case timed in one go, its
  median over the geometric mean of the reference times just before and
  just after it. ``adjusted`` says so and ``raw_ratio`` keeps the unadjusted
  ratio. The adjustment assumes the case slows down and speeds up with the
  machine as the reference workload does. It is not exact (under contention
  from a sibling hyperthread, cases slowed 0.8-1.75 times as much as the
  reference, in log terms), but on the shared 2-vCPU machines pqc is
  developed on it removes most of the between-run spread (see
  ``benchmarks/compare_runs.py`` and the README);
- ``verdict``:

  - ``"not judged"`` when either file has fewer than
    :data:`~pqc.bench.runstats.MIN_RUNS_TO_JUDGE` runs of the case (a file
    from one process, ``--runs 1`` or written before runs existed): the ratio
    of the two centres is shown, nothing more;
  - ``"same"`` when the ratio is within ``min_effect`` of 1 (default
    :data:`DEFAULT_MIN_EFFECT`), whatever the p-value: with enough runs any
    difference becomes "significant", and one below a few percent is within
    what the same code does on the same machine from one session to the next;
  - ``"faster"``/``"slower"`` when ``p < alpha``;
  - ``"not significant"`` otherwise.

The geometric mean of the ratios summarises the pairs (the right mean for
ratios: a 2x speed-up and a 2x slow-down cancel out). :func:`file_warnings`
says when the two files differ in what makes timings comparable (settings,
machine, CPU flags, backend versions, load, the drift monitor's reference
speed). :func:`gate` decides a CI gate (``pqc compare --fail-if-slower``).

When both files carry instruction counts per case (``instructions``:
``call`` and ``library`` counts per operation, from callgrind), those are
compared too: they do not depend on the machine's load or speed, so they are
comparable across days and machines with the same build.
``instructions_verdict`` judges the ``call`` counts: "same" when the
medians are within :data:`INSTRUCTIONS_SAME`; "slower"/"faster" when B's
median lies beyond A's whole range over calls (min to max: what the
operation's own inputs and randomness make it vary by, e.g. ML-DSA's
rejection loop, or a random-number generator reseeding on one call);
"within range" otherwise. It needs no test: for the same inputs the counts
are the same on every repeat. :func:`gate` can gate on
them (``by="instructions"``).

:func:`compare_by_samples` keeps the previous method (a Mann-Whitney test
on the pooled calls of one process per side) for the benchmark that shows
why it was replaced (``benchmarks/compare_runs.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from pqc.bench.results import BenchResult, CaseResult, case_label
from pqc.bench.runstats import MIN_RUNS_TO_JUDGE, welch_log
from pqc.errors import InvalidArgumentError

ALPHA = 0.05
LEVEL = 0.95
DEFAULT_MIN_EFFECT = 0.05
"""Differences below 5% are "same": see the README's run-to-run figures for why."""

VERDICTS = ("faster", "slower", "same", "not significant", "not judged")
GATES = ("case", "geomean")
GATE_BASES = ("time", "instructions")
INSTRUCTIONS_SAME = 0.01
"""Instruction counts within 1% are the same (an operation's own input-dependent range)."""
HIGH_LOAD_PER_CPU = 0.5
"""A 1-minute load average above this many runnable processes per usable CPU is flagged."""


@dataclass(frozen=True)
class InstructionComparison:
    """Instruction counts of one operation in A and B (median over calls): ``where`` is
    ``"call"`` (the whole call as a Python user makes it) or ``"library"`` (inside the
    native library only)."""

    where: str
    a: float
    b: float
    a_range: tuple[float, float] | None = None
    b_range: tuple[float, float] | None = None

    @property
    def ratio(self) -> float:
        return self.b / self.a if self.a > 0 else math.inf

    @property
    def verdict(self) -> str:
        """"same" within 1%; "slower"/"faster" when B's median is beyond every call of A (A's
        range over calls); "within range" when it moved more than 1% but not beyond that."""
        if abs(self.ratio - 1.0) <= INSTRUCTIONS_SAME:
            return "same"
        low_a, high_a = self.a_range or (self.a, self.a)
        if self.ratio > 1.0 and self.b > high_a:
            return "slower"
        if self.ratio < 1.0 and self.b < low_a:
            return "faster"
        return "within range"


@dataclass(frozen=True)
class CaseComparison:
    """One paired case: centres in ns (median of run medians), ratio B/A, interval, verdict.

    ``ratio_low``/``ratio_high``/``p_value`` are None when the case was not
    judged; ``runs_a``/``runs_b`` are the run counts behind each side.
    """

    algorithm: str
    backend: str
    op: str
    kind: str
    median_a_ns: float
    median_b_ns: float
    runs_a: int
    runs_b: int
    ratio: float
    ratio_low: float | None
    ratio_high: float | None
    p_value: float | None
    verdict: str
    instructions: tuple[InstructionComparison, ...] = ()
    adjusted: bool = False
    raw_ratio: float | None = None

    @property
    def instructions_verdict(self) -> str | None:
        """The verdict of the whole-call instruction counts, None when a file has none."""
        found = [i for i in self.instructions if i.where == "call"]
        return found[0].verdict if found else None

    @property
    def significant(self) -> bool:
        return self.verdict in ("faster", "slower")

    @property
    def label(self) -> str:
        return case_label(self.algorithm, self.op, self.backend)


@dataclass(frozen=True)
class Comparison:
    """Every paired case, the unpaired ones, the geometric mean and what makes the pair shaky."""

    cases: tuple[CaseComparison, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    geometric_mean: float | None
    geometric_mean_significant: float | None
    alpha: float
    min_effect: float
    warnings: tuple[str, ...] = ()

    def count(self, verdict: str) -> int:
        return sum(1 for c in self.cases if c.verdict == verdict)

    @property
    def adjusted_cases(self) -> int:
        """How many cases were judged on speed-adjusted run medians."""
        return sum(1 for c in self.cases if c.adjusted)

    @property
    def faster(self) -> int:
        return self.count("faster")

    @property
    def slower(self) -> int:
        return self.count("slower")

    def instruction_summary(self) -> str | None:
        """One sentence on the instruction counts both files carry (None when they carry none)."""
        counted = [(c, i) for c in self.cases for i in c.instructions]
        if not counted:
            return None
        moved = [f"{c.label} {i.where} {i.ratio:.3f}x ({i.verdict})" for c, i in counted
                 if abs(i.ratio - 1.0) > INSTRUCTIONS_SAME]  # fmt: skip
        text = (
            f"Instruction counts (callgrind; the same whatever the machine's load or speed, so "
            f"comparable across days): {len(counted)} counts in both files, "
        )
        if not moved:
            return text + f"all within {INSTRUCTIONS_SAME:.0%}."
        return (
            text + f"{len(moved)} moved more than {INSTRUCTIONS_SAME:.0%} (slower/faster: beyond "
            "A's range over calls): " + "; ".join(moved)
        )

    @property
    def judged(self) -> bool:
        """Whether any case had enough runs on both sides to be judged."""
        return any(c.verdict != "not judged" for c in self.cases)

    def to_dict(self) -> dict[str, object]:
        return {
            "method": METHOD,
            "speed_adjusted_cases": self.adjusted_cases,
            "alpha": self.alpha,
            "min_effect": self.min_effect,
            "geometric_mean_ratio": self.geometric_mean,
            "geometric_mean_ratio_significant": self.geometric_mean_significant,
            **{verdict.replace(" ", "_"): self.count(verdict) for verdict in VERDICTS},
            "warnings": list(self.warnings),
            "instructions": self.instruction_summary(),
            "only_in_a": list(self.only_a),
            "only_in_b": list(self.only_b),
            "cases": [_case_dict(c) for c in self.cases],
        }


METHOD = (
    "Welch's t-test on log run medians (one median per worker process), each divided by the "
    "drift monitor's reference time around it where both files have it (speed-adjusted); "
    "ratio of geometric means with its 95% t interval; below min_effect = same"
)


def _case_dict(case: CaseComparison) -> dict[str, object]:
    out: dict[str, object] = {f.name: getattr(case, f.name) for f in fields(case)}
    out["ratio_ci95"] = (
        [case.ratio_low, case.ratio_high] if case.ratio_low is not None else None
    )
    del out["ratio_low"], out["ratio_high"]
    out["instructions"] = [
        {"where": i.where, "a": i.a, "b": i.b, "ratio": i.ratio, "verdict": i.verdict}
        for i in case.instructions
    ]
    out["instructions_verdict"] = case.instructions_verdict
    return out


def _verdict(ratio: float, p_value: float | None, *, alpha: float, min_effect: float) -> str:
    if p_value is None:
        return "not judged"
    if abs(math.log(ratio)) < math.log1p(min_effect):
        return "same"
    if p_value < alpha:
        return "faster" if ratio < 1.0 else "slower"
    return "not significant"


def speed_adjusted(case: CaseResult) -> tuple[float, ...] | None:
    """Each run median divided by the machine's speed around it, or None when not measured.

    The speed is the geometric mean of the drift monitor's reference times just
    before and just after the case in that run; for a case timed in slices over
    the run, the run's value is already adjusted slice by slice
    (``RunValue.adjusted``). The values are in "case times
    the reference's time" and only their ratios mean anything. None when any
    run lacks a probe (``--runs 1`` results from before the monitor, an
    interrupted run).
    """
    values = []
    for run in case.runs:
        if run.adjusted is not None:  # timed in slices: adjusted slice by slice
            values.append(run.adjusted)
            continue
        if not run.probe_before_ns or not run.probe_after_ns:
            return None
        values.append(run.median_ns / math.sqrt(run.probe_before_ns * run.probe_after_ns))
    return tuple(values) or None


@dataclass(frozen=True)
class Method:
    """How cases are judged: significance level, minimum effect, speed adjustment.

    ``adjust``: divide each run median by the machine's speed around it
    (:func:`speed_adjusted`) where both files allow it. Raises
    :class:`~pqc.errors.InvalidArgumentError` for a level or effect out of range.
    """

    alpha: float = ALPHA
    min_effect: float = DEFAULT_MIN_EFFECT
    adjust: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise InvalidArgumentError(f"alpha must be between 0 and 1, got {self.alpha}.")
        if not 0 <= self.min_effect < 1:
            raise InvalidArgumentError(
                "--min-effect must be a fraction between 0 and 1 (0.05 = 5%), "
                f"got {self.min_effect}."
            )


def compare_cases(a: CaseResult, b: CaseResult, method: Method = Method()) -> CaseComparison:
    """Compare one case's run medians in A and B (B relative to A)."""
    runs_a, runs_b = a.run_medians, b.run_medians
    raw_ratio = _geometric_mean_ratio(runs_a, runs_b) or b.centre_ns / max(a.centre_ns, 1e-9)
    adjusted_a = speed_adjusted(a) if method.adjust else None
    adjusted_b = speed_adjusted(b) if method.adjust else None
    adjusted = adjusted_a is not None and adjusted_b is not None
    if adjusted_a is not None and adjusted_b is not None:
        runs_a, runs_b = adjusted_a, adjusted_b
    low = high = p_value = None
    if min(len(runs_a), len(runs_b)) >= MIN_RUNS_TO_JUDGE:
        test = welch_log(runs_a, runs_b, level=LEVEL)
        ratio, low, high, p_value = test.ratio, test.ratio_low, test.ratio_high, test.p_value
    else:
        ratio = b.centre_ns / max(a.centre_ns, 1e-9)
        adjusted = False
    return CaseComparison(
        a.algorithm, a.backend, a.op, a.kind,
        median_a_ns=a.centre_ns,
        median_b_ns=b.centre_ns,
        runs_a=len(runs_a),
        runs_b=len(runs_b),
        ratio=ratio,
        ratio_low=low,
        ratio_high=high,
        p_value=p_value,
        verdict=_verdict(ratio, p_value, alpha=method.alpha, min_effect=method.min_effect),
        instructions=compare_instructions(a, b),
        adjusted=adjusted,
        raw_ratio=raw_ratio,
    )  # fmt: skip


def compare_instructions(a: CaseResult, b: CaseResult) -> tuple[InstructionComparison, ...]:
    """Median instruction counts of both cases, where both files carry them (else empty)."""
    counts_a = _instruction_counts(getattr(a, "instructions", None))
    counts_b = _instruction_counts(getattr(b, "instructions", None))
    return tuple(
        InstructionComparison(
            where, counts_a[where][0], counts_b[where][0], counts_a[where][1], counts_b[where][1]
        )
        for where in ("call", "library")
        if where in counts_a and where in counts_b
    )


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _instruction_counts(data: Any) -> dict[str, tuple[float, tuple[float, float] | None]]:
    """``{where: (median, (min, max) or None)}`` from an ``instructions`` value, as present."""
    out: dict[str, tuple[float, tuple[float, float] | None]] = {}
    if data is None:
        return out
    for where in ("call", "library"):
        part = data.get(where) if isinstance(data, Mapping) else getattr(data, where, None)
        if part is None:
            continue
        median, low, high = (
            _number(part.get(name) if isinstance(part, Mapping) else getattr(part, name, None))
            for name in ("median", "min", "max")
        )
        if median is not None:
            out[where] = (median, (low, high) if low is not None and high is not None else None)
    return out


def _geometric_mean_ratio(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Geometric mean of ``b`` over that of ``a`` (None when either is empty or not positive)."""
    if not a or not b or min(*a, *b) <= 0:
        return None
    return math.exp(sum(map(math.log, b)) / len(b) - sum(map(math.log, a)) / len(a))


def _geometric_mean(values: Sequence[float]) -> float | None:
    usable = [v for v in values if v > 0]
    if not usable:
        return None
    return math.exp(sum(math.log(v) for v in usable) / len(usable))


def compare_results(
    a: BenchResult,
    b: BenchResult,
    *,
    alpha: float = ALPHA,
    min_effect: float = DEFAULT_MIN_EFFECT,
    adjust: bool = True,
) -> Comparison:
    """Pair the cases of ``a`` and ``b`` by (algorithm, backend, op) and compare each (B vs A).

    ``adjust=False`` judges the raw run medians (no speed adjustment); see :class:`Method`.
    """
    method = Method(alpha, min_effect, adjust)
    in_b = {case.key: case for case in b.cases}
    in_a = {case.key: case for case in a.cases}
    paired = tuple(compare_cases(case, in_b[case.key], method) for case in a.cases
                   if case.key in in_b)  # fmt: skip
    return Comparison(
        cases=paired,
        only_a=tuple(case.label for case in a.cases if case.key not in in_b),
        only_b=tuple(case.label for case in b.cases if case.key not in in_a),
        geometric_mean=_geometric_mean([c.ratio for c in paired]),
        geometric_mean_significant=_geometric_mean([c.ratio for c in paired if c.significant]),
        alpha=alpha,
        min_effect=min_effect,
        warnings=file_warnings(a, b, paired, min_effect=min_effect),
    )


# ---------------------------------------------------------------- what makes a pair shaky
_SETTINGS_COMPARED = (
    "seconds", "quick", "runs", "passes", "min_samples", "max_samples", "warmup_calls",
    "key_pool", "input_pool", "message_size",
)  # fmt: skip
_MACHINE_COMPARED = (
    "cpu_model", "architecture", "logical_cpus", "usable_cpus", "governor", "boost", "os",
    "kernel", "python_version", "python_implementation",
)  # fmt: skip


def _differences(a: object, b: object, names: Sequence[str]) -> list[str]:
    return [
        f"{name} {getattr(a, name)!r} vs {getattr(b, name)!r}"
        for name in names
        if getattr(a, name) != getattr(b, name)
    ]


def _load_note(result: BenchResult, side: str) -> str | None:
    load = result.machine.load_average
    cpus = result.machine.usable_cpus or result.machine.logical_cpus or 1
    if load is None or load[0] <= HIGH_LOAD_PER_CPU * cpus:
        return None
    return f"{side} was measured at load {load[0]:.1f} on {cpus} CPUs"


def reference_speed(result: BenchResult) -> float | None:
    """The median over runs of the drift monitor's reference time (ns), or None."""
    medians = [run.drift.median_ns for run in result.runs if run.drift is not None]
    return float(np.median(medians)) if medians else None


def file_warnings(
    a: BenchResult,
    b: BenchResult,
    paired: Sequence[CaseComparison] = (),
    *,
    min_effect: float = DEFAULT_MIN_EFFECT,
) -> tuple[str, ...]:
    """Why the two results may not be comparable, one sentence each (empty when they are)."""
    found: list[str] = []
    settings = _differences(a.settings, b.settings, _SETTINGS_COMPARED)
    if settings:
        found.append("settings differ: " + ", ".join(settings))
    machine = _differences(a.machine, b.machine, _MACHINE_COMPARED)
    if machine:
        found.append("machine differs: " + ", ".join(machine))
    flags_a, flags_b = set(a.machine.cpu_flags), set(b.machine.cpu_flags)
    if flags_a != flags_b:
        only = [f"only A: {' '.join(sorted(flags_a - flags_b))}" if flags_a - flags_b else "",
                f"only B: {' '.join(sorted(flags_b - flags_a))}" if flags_b - flags_a else ""]
        found.append("CPU flags differ (" + "; ".join(x for x in only if x) + ")")
    versions = {s.name: s.version for s in a.backends}
    changed = [
        f"{s.name} {versions[s.name]} vs {s.version}"
        for s in b.backends
        if s.name in versions and versions[s.name] != s.version
    ]
    if changed:
        found.append("backend versions differ: " + "; ".join(changed))
    for note in (_load_note(a, "A"), _load_note(b, "B")):
        if note:
            found.append(note + ": other processes slow timings unevenly; rerun when idle")
    speed_a, speed_b = reference_speed(a), reference_speed(b)
    if speed_a and speed_b and abs(math.log(speed_b / speed_a)) > math.log1p(min_effect):
        change = speed_b / speed_a - 1.0
        text = (
            f"the drift monitor's reference workload ran {abs(change):.0%} "
            f"{'slower' if change > 0 else 'faster'} in B than in A: the machine itself "
            "changed speed"
        )
        if paired and all(c.adjusted for c in paired):
            text += "; the ratios are adjusted for it, as far as a case follows the reference"
        else:
            text += ", and case differences of that size may be the machine"
        found.append(text)
    few = sorted({
        f"{side} has {runs} run{'s' if runs != 1 else ''}"
        for c in paired
        for side, runs in (("A", c.runs_a), ("B", c.runs_b))
        if runs < MIN_RUNS_TO_JUDGE
    })  # fmt: skip
    if few:
        found.append(
            f"{', '.join(few)}: too few to judge significance (ratio only, 'not judged'); "
            f"time both with --runs {MIN_RUNS_TO_JUDGE} or more"
        )
    return tuple(found)


# ---------------------------------------------------------------- the CI gate
def gate(
    comparison: Comparison, percent: float, *, mode: str = "case", by: str = "time"
) -> tuple[str, ...]:
    """What fails ``--fail-if-slower percent`` (empty: the gate passes).

    ``by="time"``, ``mode="case"``: every case slower by more than ``percent``
    percent whose slow-down is established (verdict "slower"), and every case
    not judged (too few runs) whose ratio alone exceeds it; ``mode="geomean"``:
    the geometric mean of all ratios. ``by="instructions"``: the same on the
    whole-call instruction counts (a case fails when its count ratio exceeds
    the limit and its instruction verdict is "slower"); raises
    :class:`~pqc.errors.InvalidArgumentError` when no paired case has counts.
    """
    if not percent >= 0:
        raise InvalidArgumentError(f"--fail-if-slower must be a percentage >= 0, got {percent}.")
    if mode not in GATES:
        raise InvalidArgumentError(f"--gate must be one of {', '.join(GATES)}, got {mode!r}.")
    if by not in GATE_BASES:
        raise InvalidArgumentError(f"--by must be one of {', '.join(GATE_BASES)}, got {by!r}.")
    limit = 1.0 + percent / 100.0
    if by == "instructions":
        return _gate_instructions(comparison, limit, mode)
    if mode == "geomean":
        mean = comparison.geometric_mean
        if mean is not None and mean > limit:
            return (f"geometric mean of B/A {mean:.3f} > {limit:.3f}",)
        return ()
    failing = []
    for case in comparison.cases:
        if case.ratio <= limit:
            continue
        if case.verdict == "slower":
            failing.append(f"{case.label}: {case.ratio:.3f}x (p = {case.p_value:.2g})")
        elif case.verdict == "not judged":
            failing.append(f"{case.label}: {case.ratio:.3f}x (ratio only: too few runs)")
    return tuple(failing)


def _gate_instructions(comparison: Comparison, limit: float, mode: str) -> tuple[str, ...]:
    counted = [(c, i) for c in comparison.cases for i in c.instructions if i.where == "call"]
    if not counted:
        raise InvalidArgumentError(
            "--by instructions needs instruction counts in both files; "
            "time both with: pqc bench --instructions"
        )
    if mode == "geomean":
        mean = _geometric_mean([i.ratio for _, i in counted])
        if mean is not None and mean > limit:
            return (f"geometric mean of B/A instructions {mean:.3f} > {limit:.3f}",)
        return ()
    return tuple(
        f"{case.label}: {count.ratio:.3f}x instructions per call"
        for case, count in counted
        if count.ratio > limit and count.verdict == "slower"
    )


# ---------------------------------------------------------------- the previous method
def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided Mann-Whitney U p-value (normal approximation, tie and continuity corrections)."""
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    n1, n2 = x.size, y.size
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    _, inverse, counts = np.unique(np.concatenate([x, y]), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2.0)
    n = n1 + n2
    ties = float(np.sum(counts.astype(np.float64) ** 3 - counts))
    variance = n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return 1.0
    delta = u1 - n1 * n2 / 2.0
    z = (delta - math.copysign(0.5, delta) if delta else 0.0) / math.sqrt(variance)
    return min(1.0, math.erfc(abs(z) / math.sqrt(2.0)))


def _bootstrap_excludes_one(a: Sequence[int], b: Sequence[int], resamples: int = 1000) -> bool:
    """Whether the 95% percentile bootstrap interval of median(b)/median(a) excludes 1."""
    rng = np.random.default_rng(0)
    x = np.asarray(a, dtype=np.float64)[:: max(1, len(a) // 1000)]
    y = np.asarray(b, dtype=np.float64)[:: max(1, len(b) // 1000)]
    mx = np.median(x[rng.integers(0, x.size, size=(resamples, x.size))], axis=1)
    my = np.median(y[rng.integers(0, y.size, size=(resamples, y.size))], axis=1)
    low, high = np.percentile(my / np.maximum(mx, 1e-9), [2.5, 97.5])
    return bool(high < 1.0 or low > 1.0)


def compare_by_samples(a: CaseResult, b: CaseResult, *, alpha: float = ALPHA) -> str:
    """The verdict of the previous method ("faster", "slower" or "not significant").

    Every call of each file is taken as an independent sample: significant
    when a Mann-Whitney test gives ``p < alpha`` and a bootstrap interval of
    the ratio of medians excludes 1. Kept for the benchmark that measures its
    false-positive rate.
    """
    significant = mann_whitney_p(a.samples_ns, b.samples_ns) < alpha and (
        _bootstrap_excludes_one(a.samples_ns, b.samples_ns)
    )
    if not significant:
        return "not significant"
    return "faster" if b.stats.median_ns < a.stats.median_ns else "slower"
