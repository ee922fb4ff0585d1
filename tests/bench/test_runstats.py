"""Statistics across runs: the t distribution, Welch's test, the order-statistic interval."""

from __future__ import annotations

import math

import pytest

from pqc.bench.runstats import median_interval, t_quantile, t_two_sided_p, welch_log


@pytest.mark.parametrize(
    ("t", "df", "p"),
    [  # two-sided p-values from tables of Student's t (scipy.stats.t.sf(t, df) * 2)
        (2.776445105, 4, 0.05),
        (12.70620474, 1, 0.05),
        (2.228138852, 10, 0.05),
        (1.0, 2.5, 0.4040610272782736),
        (3.2, 7.7, 0.013263734843242028),
        (0.0, 3, 1.0),
    ],
)
def test_t_distribution_matches_tables(t: float, df: float, p: float) -> None:
    assert t_two_sided_p(t, df) == pytest.approx(p, rel=1e-8)
    if 0 < p < 1:
        assert t_quantile(1 - p, df) == pytest.approx(t, rel=1e-8)


def test_welch_matches_a_worked_example() -> None:
    # scipy.stats.ttest_ind(log b, log a, equal_var=False): t 4.4701, df 5.1103, p 0.006245
    a = [100.0, 104.0, 97.0, 101.0, 99.0]
    b = [110.0, 112.0, 109.0, 113.0]
    result = welch_log(a, b)
    mean_a = sum(math.log(v) for v in a) / 5
    mean_b = sum(math.log(v) for v in b) / 4
    assert result.ratio == pytest.approx(math.exp(mean_b - mean_a))
    assert result.ratio_low < result.ratio < result.ratio_high
    assert result.p_value < 0.001
    same = welch_log(a, a)
    assert same.p_value == pytest.approx(1.0) and same.ratio == pytest.approx(1.0)


def test_welch_without_spread() -> None:
    assert welch_log([5.0, 5.0], [5.0, 5.0]).p_value == 1.0
    assert welch_log([5.0, 5.0], [6.0, 6.0]).p_value == 0.0
    with pytest.raises(ValueError):
        welch_log([5.0], [5.0, 6.0])
    with pytest.raises(ValueError):
        welch_log([0.0, 1.0], [5.0, 6.0])


@pytest.mark.parametrize(
    ("n", "coverage", "low", "high"),
    [
        (1, 0.0, 1, 1), (3, 0.75, 1, 3), (5, 0.9375, 1, 5), (6, 0.96875, 1, 6),
        (10, 0.978515625, 2, 9),
    ],
)
def test_median_interval_coverage(n: int, coverage: float, low: int, high: int) -> None:
    interval = median_interval([float(v) for v in range(n, 0, -1)])
    assert interval.runs == n
    assert interval.coverage == pytest.approx(coverage)
    assert (interval.low_ns, interval.high_ns) == (low, high)
    assert interval.centre_ns == (n + 1) / 2
    with pytest.raises(ValueError):
        median_interval([])
