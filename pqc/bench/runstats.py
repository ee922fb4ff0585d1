"""Statistics across independent runs (worker processes): centre, interval, Welch's t-test.

Calls inside one process are not independent samples of "how fast is this
code": they share the process's memory layout, the machine's frequency and
load at that moment, and each other's cache state. The unit of evidence is
therefore the *run*: one worker process, summarised by its median. This
module works on run medians only.

- :func:`median_interval`: the centre of a case (the median of its run
  medians) and a distribution-free interval for it from order statistics.
  It assumes only that runs are independent and identically distributed; its
  coverage is exact but coarse with few runs (75% for 3 runs, 93.75% for 5,
  the highest possible below 6 runs) and is reported with it.
- :func:`welch_log`: Welch's t-test on the logarithms of two sets of run
  medians, and the interval of the ratio of their geometric means. Logs
  because timing effects are multiplicative (a change makes code 10% slower,
  not 2 µs slower) and run medians are right-skewed; Welch because the two
  files' run-to-run spreads differ (another day, another load). With 3-10
  runs per side a rank test cannot reach small p-values (Mann-Whitney with
  3 vs 3 runs: p >= 0.10; 5 vs 5: p >= 0.0079) and a bootstrap of 3-10
  values underestimates the spread; the t-test uses the t distribution's
  exact small-sample quantiles, at the price of assuming log run medians are
  roughly normal (a median of hundreds of calls is close to normal; a run
  hit by a burst of load is the exception, which the drift monitor flags).

The t distribution's tail is computed here (regularised incomplete beta by
Lentz's continued fraction) so pqc needs no SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_RUNS_TO_JUDGE = 3
"""Fewer runs than this on either side: a ratio only, no significance ("not judged")."""


# ---------------------------------------------------------------- the t distribution
def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularised incomplete beta (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """Two-sided p-value of Student's t statistic ``t`` with ``df`` degrees of freedom."""
    if math.isnan(t):
        return 1.0
    if math.isinf(t):
        return 0.0
    return incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(level: float, df: float) -> float:
    """The ``t`` with two-sided tail ``1 - level`` (e.g. 2.776 for level 0.95, df 4)."""
    low, high = 0.0, 1.0
    while t_two_sided_p(high, df) > 1.0 - level:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_two_sided_p(mid, df) > 1.0 - level:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


# ---------------------------------------------------------------- one case across runs
@dataclass(frozen=True)
class RunInterval:
    """The centre of a case across runs and a distribution-free interval for it (ns).

    ``centre_ns`` is the median of the run medians; ``low_ns``/``high_ns`` are
    order statistics of the run medians that cover the population median of
    a run with probability ``coverage`` (exact, assuming only independent,
    identically distributed runs); ``spread`` is ``(max - min) / centre`` of
    the run medians (0 for one run).
    """

    runs: int
    centre_ns: float
    low_ns: float
    high_ns: float
    coverage: float
    spread: float


def _binomial_tail(n: int, k: int) -> float:
    """P(Binomial(n, 1/2) <= k)."""
    return sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n


def median_interval(values: Sequence[float], *, level: float = 0.95) -> RunInterval:
    """Median of ``values`` and the narrowest order-statistic interval with coverage >= level.

    With too few values to reach ``level`` (fewer than 6 for 95%) the interval
    is the full range, whose coverage ``1 - 2 / 2**n`` is then reported.
    Raises ValueError when ``values`` is empty.
    """
    if not values:
        raise ValueError("no run medians")
    ordered = sorted(float(v) for v in values)
    n = len(ordered)
    centre = _median(ordered)
    k = 1  # [x_(k), x_(n-k+1)], 1-based; widen inwards while coverage stays >= level
    while k + 1 <= (n + 1) // 2 and 1.0 - 2.0 * _binomial_tail(n, k) >= level:
        k += 1
    coverage = 1.0 - 2.0 * _binomial_tail(n, k - 1) if n > 1 else 0.0
    spread = (ordered[-1] - ordered[0]) / centre if centre > 0 else 0.0
    return RunInterval(n, centre, ordered[k - 1], ordered[n - k], coverage, spread)


def _median(ordered: Sequence[float]) -> float:
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


# ---------------------------------------------------------------- two sets of runs
@dataclass(frozen=True)
class WelchResult:
    """Welch's t-test on log run medians of B against A.

    ``ratio`` is the ratio of geometric means of the run medians (B / A);
    ``ratio_low``/``ratio_high`` its ``level`` interval; ``t``, ``df`` and the
    two-sided ``p_value`` the test of "same mean log run median".
    """

    ratio: float
    ratio_low: float
    ratio_high: float
    t: float
    df: float
    p_value: float
    level: float


def _mean_var(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, var


def welch_log(
    a: Sequence[float], b: Sequence[float], *, level: float = 0.95
) -> WelchResult:
    """Welch's t-test of ``log(b)`` against ``log(a)`` (run medians, > 0), at least 2 each.

    When both sides have no spread at all the p-value is 0 if the means
    differ and 1 if they do not (the interval is then the ratio itself).
    Raises ValueError for fewer than two values a side or a value <= 0.
    """
    if len(a) < 2 or len(b) < 2:
        raise ValueError("Welch's test needs at least two run medians a side")
    if min(*a, *b) <= 0:
        raise ValueError("run medians must be positive")
    log_a = [math.log(v) for v in a]
    log_b = [math.log(v) for v in b]
    mean_a, var_a = _mean_var(log_a)
    mean_b, var_b = _mean_var(log_b)
    diff = mean_b - mean_a
    se2_a, se2_b = var_a / len(a), var_b / len(b)
    se = math.sqrt(se2_a + se2_b)
    ratio = math.exp(diff)
    if se == 0.0:
        p = 1.0 if diff == 0.0 else 0.0
        return WelchResult(ratio, ratio, ratio, math.copysign(math.inf, diff), math.inf, p, level)
    df = (se2_a + se2_b) ** 2 / (
        (se2_a**2 / (len(a) - 1) if se2_a else 0.0) + (se2_b**2 / (len(b) - 1) if se2_b else 0.0)
    )
    t = diff / se
    half = t_quantile(level, df) * se
    return WelchResult(
        ratio=ratio,
        ratio_low=math.exp(diff - half),
        ratio_high=math.exp(diff + half),
        t=t,
        df=df,
        p_value=t_two_sided_p(t, df),
        level=level,
    )
