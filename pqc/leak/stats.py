"""Two statistics for a two-class timing screen, both on nanosecond samples.

1. dudect's test (Reparaz, Balasch, Verbauwhede, 2017): Welch's t between the
   classes on the whole sample and on the samples under each of ~100 pooled
   percentiles ("cropping" strips the right tail that interrupts add), and the
   largest |t| over those tests. Sensitive, but a mean-based test.
2. A bootstrap confidence interval of the difference of medians (B - A):
   robust to heavy tails, and it gives the size of a difference in ns, or a
   bound on it when there is none.

Sign convention everywhere: positive means class B is slower than class A.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.int64] | Sequence[int]

# The t threshold: |t| > 4.5 is the TVLA/dudect convention (p ~ 7e-6 for one
# two-sided test). The screen takes the largest |t| over ~100 correlated
# tests, so it also honours a Bonferroni bound: for `tests` tests at a family
# false-alarm rate of FAMILY_ALPHA the per-test threshold is
# z(FAMILY_ALPHA / (2 * tests)), which is 4.42 for 101 tests. The larger of
# the two is used.
T_THRESHOLD = 4.5
FAMILY_ALPHA = 1e-3
CROP_COUNT = 100
MIN_CROPPED = 20  # a cropped test needs at least this many samples per class


def t_threshold(tests: int, family_alpha: float = FAMILY_ALPHA) -> float:
    """The |t| above which a maximum over ``tests`` tests counts: max(4.5, Bonferroni z)."""
    if tests < 1:
        raise ValueError("tests must be at least 1")
    bonferroni = NormalDist().inv_cdf(1.0 - family_alpha / (2.0 * tests))
    return max(T_THRESHOLD, bonferroni)


def welch_t(a: Samples | npt.NDArray[np.float64], b: Samples | npt.NDArray[np.float64]) -> float:
    """Welch's t of ``b`` against ``a`` (positive when b's mean is larger); 0 when undefined."""
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if x.size < 2 or y.size < 2:
        return 0.0
    se2 = x.var(ddof=1) / x.size + y.var(ddof=1) / y.size
    if se2 <= 0.0:
        return 0.0
    return float((y.mean() - x.mean()) / math.sqrt(se2))


def crop_percentiles(count: int = CROP_COUNT) -> npt.NDArray[np.float64]:
    """dudect's crop points in percent: 100 * (1 - 0.5 ** (10 * (i + 1) / count)), i < count.

    They run from about 6.7 % to 99.9 %, dense near the top where the tail is cut.
    """
    i = np.arange(count, dtype=np.float64)
    return 100.0 * (1.0 - 0.5 ** (10.0 * (i + 1.0) / count))


@dataclass(frozen=True)
class DudectTest:
    """The largest |t| over the uncropped test and the cropped ones.

    ``t`` is signed (positive: B slower) at the test that gave ``max_abs_t``;
    ``crop_percentile`` is that test's crop point in percent (None: uncropped);
    ``mean_difference_ns`` is B's mean minus A's mean in that test; ``tests``
    is how many tests had enough samples; ``threshold`` is :func:`t_threshold`
    for that many tests.
    """

    max_abs_t: float
    t: float
    crop_percentile: float | None
    mean_difference_ns: float
    tests: int
    threshold: float

    @property
    def significant(self) -> bool:
        return self.max_abs_t > self.threshold


def _prefix_moments(
    sorted_values: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    zero = np.zeros(1)
    return (
        np.concatenate([zero, np.cumsum(sorted_values)]),
        np.concatenate([zero, np.cumsum(sorted_values * sorted_values)]),
    )


def dudect_test(a: Samples, b: Samples, crops: int = CROP_COUNT) -> DudectTest:
    """dudect's max |t| of ``b`` against ``a`` over the uncropped and ``crops`` cropped tests.

    A cropped test keeps, in each class, the samples strictly below a
    percentile of the pooled samples (the threshold does not depend on the
    class labels, so under no leak each t is still about N(0, 1)). Computed
    from sorted prefix sums: O(n log n) for all tests together.
    """
    x = np.sort(np.asarray(a, dtype=np.float64))
    y = np.sort(np.asarray(b, dtype=np.float64))
    if x.size < 2 or y.size < 2:
        raise ValueError("each class needs at least 2 samples")
    shift = float(np.median(np.concatenate([x, y])))  # centre for numerical accuracy
    x -= shift
    y -= shift
    sx, sxx = _prefix_moments(x)
    sy, syy = _prefix_moments(y)
    pooled = np.concatenate([x, y])
    cuts = np.percentile(pooled, crop_percentiles(crops))
    nx = np.concatenate([np.searchsorted(x, cuts, side="left"), [x.size]])
    ny = np.concatenate([np.searchsorted(y, cuts, side="left"), [y.size]])
    labels: list[float | None] = [*(float(p) for p in crop_percentiles(crops)), None]
    best: tuple[float, float | None, float] | None = None  # (t, crop, mean difference)
    tests = 0
    for k, (i, j) in enumerate(zip(nx.tolist(), ny.tolist(), strict=True)):
        if i < MIN_CROPPED or j < MIN_CROPPED:
            continue
        mean_x, mean_y = sx[i] / i, sy[j] / j
        var_x = max((sxx[i] - i * mean_x * mean_x) / (i - 1), 0.0)
        var_y = max((syy[j] - j * mean_y * mean_y) / (j - 1), 0.0)
        se2 = var_x / i + var_y / j
        tests += 1
        t = 0.0 if se2 <= 0.0 else float((mean_y - mean_x) / math.sqrt(se2))
        if best is None or abs(t) > abs(best[0]):
            best = (t, labels[k], float(mean_y - mean_x))
    if best is None:  # too few samples for any test above: the plain Welch test only
        best = (welch_t(x, y), None, float(y.mean() - x.mean()))
        tests = 1
    return DudectTest(
        max_abs_t=abs(best[0]),
        t=best[0],
        crop_percentile=best[1],
        mean_difference_ns=best[2],
        tests=tests,
        threshold=t_threshold(tests),
    )


@dataclass(frozen=True)
class MedianDifference:
    """Median of B minus median of A in ns, with a bootstrap interval.

    ``low_ns``/``high_ns`` bound ``estimate_ns`` at ``confidence`` (percentile
    bootstrap with ``resamples`` resamples); ``bound_ns`` is the largest
    difference in either direction the interval allows.
    """

    estimate_ns: float
    low_ns: float
    high_ns: float
    confidence: float
    resamples: int

    @property
    def excludes_zero(self) -> bool:
        return self.low_ns > 0.0 or self.high_ns < 0.0

    @property
    def bound_ns(self) -> float:
        return max(abs(self.low_ns), abs(self.high_ns))


def bootstrap_medians(
    sorted_values: npt.NDArray[np.float64], resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """``resamples`` bootstrap medians of ``sorted_values`` (ascending), without resampling.

    A resample's median is the sample's order statistic at index
    floor(n * U), where U is the median of n uniforms, U ~ Beta(m, n + 1 - m)
    with m = (n + 1) / 2: exact for odd n, a close approximation for even n.
    O(resamples) after the sort, so millions of samples cost nothing.
    """
    n = sorted_values.size
    m = (n + 1) / 2.0
    u = rng.beta(m, n + 1 - m, size=resamples)
    index = np.minimum((u * n).astype(np.int64), n - 1)
    result: npt.NDArray[np.float64] = sorted_values[index]
    return result


def median_difference(
    a: Samples,
    b: Samples,
    *,
    confidence: float = 0.95,
    resamples: int = 10_000,
    rng: np.random.Generator | None = None,
) -> MedianDifference:
    """median(b) - median(a) in ns with a ``confidence`` percentile-bootstrap interval."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    x = np.sort(np.asarray(a, dtype=np.float64))
    y = np.sort(np.asarray(b, dtype=np.float64))
    if x.size == 0 or y.size == 0:
        raise ValueError("each class needs at least 1 sample")
    generator = rng if rng is not None else np.random.default_rng()
    diffs = bootstrap_medians(y, resamples, generator) - bootstrap_medians(x, resamples, generator)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(diffs, [tail, 1.0 - tail])
    return MedianDifference(
        estimate_ns=float(np.median(y) - np.median(x)),
        low_ns=float(low),
        high_ns=float(high),
        confidence=confidence,
        resamples=resamples,
    )
