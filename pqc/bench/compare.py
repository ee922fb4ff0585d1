"""Comparing two results: ratio of medians per paired case, with a significance test.

Cases pair by ``(algorithm, backend, op)``. For each pair:

- ``ratio = median(B) / median(A)`` (below 1: B is faster);
- a two-sided Mann-Whitney U test (normal approximation with tie correction
  and continuity correction), which asks whether one run's timings tend to be
  larger than the other's without assuming a distribution;
- a percentile bootstrap 95% interval of the ratio of medians (seeded, so the
  same files always give the same interval).

A difference counts as significant when ``p < alpha`` *and* the interval
excludes 1; otherwise the verdict is "not significant", whatever the ratio.
The summary is the geometric mean of the ratios (the right mean for ratios:
a 2x speed-up and a 2x slow-down cancel out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pqc.bench.results import BenchResult, CaseResult
from pqc.errors import InvalidArgumentError

ALPHA = 0.05
BOOTSTRAP_RESAMPLES = 1000
MAX_BOOTSTRAP_SAMPLES = 1000  # resample at most this many timings per side (keeps it fast)


@dataclass(frozen=True)
class MannWhitney:
    """U statistic of the first sample, the z score and the two-sided p-value."""

    u: float
    z: float
    p_value: float


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> MannWhitney:
    """Two-sided Mann-Whitney U test of ``a`` against ``b`` (normal approximation).

    Ranks ties by their average rank and corrects the variance for them; with
    every value tied (no variance) the p-value is 1.
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    n1, n2 = x.size, y.size
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    both = np.concatenate([x, y])
    _, inverse, counts = np.unique(both, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    average_rank = ends - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2.0)
    n = n1 + n2
    ties = float(np.sum(counts.astype(np.float64) ** 3 - counts))
    variance = n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return MannWhitney(u=u1, z=0.0, p_value=1.0)
    mean = n1 * n2 / 2.0
    delta = u1 - mean
    correction = 0.5 if delta > 0 else -0.5 if delta < 0 else 0.0
    z = (delta - correction) / math.sqrt(variance)
    p_value = min(1.0, math.erfc(abs(z) / math.sqrt(2.0)))
    return MannWhitney(u=u1, z=z, p_value=p_value)


def bootstrap_ratio_interval(
    a: Sequence[float],
    b: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval ``(low, high)`` of ``median(b) / median(a)``."""
    rng = np.random.default_rng(seed)
    x = _thin(np.asarray(a, dtype=np.float64))
    y = _thin(np.asarray(b, dtype=np.float64))
    mx = np.median(x[rng.integers(0, x.size, size=(resamples, x.size))], axis=1)
    my = np.median(y[rng.integers(0, y.size, size=(resamples, y.size))], axis=1)
    ratios = my / np.maximum(mx, 1e-9)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(ratios, [tail, 100.0 - tail])
    return float(low), float(high)


def _thin(data: np.ndarray) -> np.ndarray:
    """At most MAX_BOOTSTRAP_SAMPLES values, evenly spaced in the original order."""
    if data.size <= MAX_BOOTSTRAP_SAMPLES:
        return data
    index = np.linspace(0, data.size - 1, MAX_BOOTSTRAP_SAMPLES).astype(np.int64)
    return data[index]


@dataclass(frozen=True)
class CaseComparison:
    """One paired case: medians in ns, ratio B/A, its interval, the test, the verdict.

    ``verdict`` is ``"faster"`` (B significantly faster), ``"slower"`` or
    ``"not significant"``.
    """

    algorithm: str
    backend: str
    op: str
    kind: str
    median_a_ns: float
    median_b_ns: float
    ratio: float
    ratio_low: float
    ratio_high: float
    p_value: float
    verdict: str

    @property
    def significant(self) -> bool:
        return self.verdict != "not significant"


@dataclass(frozen=True)
class Comparison:
    """Every paired case, the cases only one side has, and the geometric means of the ratios."""

    cases: tuple[CaseComparison, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    geometric_mean: float | None
    geometric_mean_significant: float | None
    alpha: float

    @property
    def faster(self) -> int:
        return sum(1 for c in self.cases if c.verdict == "faster")

    @property
    def slower(self) -> int:
        return sum(1 for c in self.cases if c.verdict == "slower")

    def to_dict(self) -> dict[str, object]:
        return {
            "alpha": self.alpha,
            "geometric_mean_ratio": self.geometric_mean,
            "geometric_mean_ratio_significant": self.geometric_mean_significant,
            "faster": self.faster,
            "slower": self.slower,
            "not_significant": len(self.cases) - self.faster - self.slower,
            "only_in_a": list(self.only_a),
            "only_in_b": list(self.only_b),
            "cases": [
                {
                    "algorithm": c.algorithm,
                    "backend": c.backend,
                    "op": c.op,
                    "kind": c.kind,
                    "median_a_ns": c.median_a_ns,
                    "median_b_ns": c.median_b_ns,
                    "ratio": c.ratio,
                    "ratio_ci95": [c.ratio_low, c.ratio_high],
                    "p_value": c.p_value,
                    "verdict": c.verdict,
                }
                for c in self.cases
            ],
        }


def compare_cases(a: CaseResult, b: CaseResult, *, alpha: float = ALPHA) -> CaseComparison:
    """Compare one case's timings in run A and run B (B relative to A)."""
    test = mann_whitney(a.samples_ns, b.samples_ns)
    low, high = bootstrap_ratio_interval(a.samples_ns, b.samples_ns)
    ratio = b.stats.median_ns / max(a.stats.median_ns, 1e-9)
    significant = test.p_value < alpha and (high < 1.0 or low > 1.0)
    verdict = ("faster" if ratio < 1.0 else "slower") if significant else "not significant"
    return CaseComparison(
        algorithm=a.algorithm,
        backend=a.backend,
        op=a.op,
        kind=a.kind,
        median_a_ns=a.stats.median_ns,
        median_b_ns=b.stats.median_ns,
        ratio=ratio,
        ratio_low=low,
        ratio_high=high,
        p_value=test.p_value,
        verdict=verdict,
    )


def _geometric_mean(values: Sequence[float]) -> float | None:
    usable = [v for v in values if v > 0]
    if not usable:
        return None
    return math.exp(sum(math.log(v) for v in usable) / len(usable))


def compare_results(a: BenchResult, b: BenchResult, *, alpha: float = ALPHA) -> Comparison:
    """Pair the cases of ``a`` and ``b`` by (algorithm, backend, op) and compare each (B vs A)."""
    if not 0 < alpha < 1:
        raise InvalidArgumentError(f"alpha must be between 0 and 1, got {alpha}.")
    in_b = {case.key: case for case in b.cases}
    in_a = {case.key: case for case in a.cases}
    paired = tuple(
        compare_cases(case, in_b[case.key], alpha=alpha) for case in a.cases if case.key in in_b
    )
    return Comparison(
        cases=paired,
        only_a=tuple(case.label for case in a.cases if case.key not in in_b),
        only_b=tuple(case.label for case in b.cases if case.key not in in_a),
        geometric_mean=_geometric_mean([c.ratio for c in paired]),
        geometric_mean_significant=_geometric_mean([c.ratio for c in paired if c.significant]),
        alpha=alpha,
    )
