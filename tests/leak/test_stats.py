"""The screen's statistics on synthetic samples with known answers (seeded, so never flaky)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pqc.leak.stats import (
    T_THRESHOLD,
    bootstrap_medians,
    crop_percentiles,
    dudect_test,
    median_difference,
    t_threshold,
    welch_t,
)

SEEDS = range(12)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(1000 + seed)


def test_threshold_is_tvla_or_bonferroni_whichever_is_stricter() -> None:
    assert t_threshold(1) == T_THRESHOLD
    assert t_threshold(101) == T_THRESHOLD  # Bonferroni for 101 tests at 1e-3 is 4.42
    assert t_threshold(10**6) > 6.0
    with pytest.raises(ValueError):
        t_threshold(0)


def test_crop_points_are_dudects() -> None:
    points = crop_percentiles(100)
    assert points.size == 100
    assert points[0] == pytest.approx(100 * (1 - 0.5**0.1))
    assert points[-1] == pytest.approx(100 * (1 - 0.5**10))
    assert np.all(np.diff(points) > 0)


def test_welch_t_matches_the_formula() -> None:
    a = [10.0, 12.0, 11.0, 13.0]
    b = [14.0, 15.0, 13.0, 16.0]
    se = math.sqrt(np.var(a, ddof=1) / 4 + np.var(b, ddof=1) / 4)
    assert welch_t(a, b) == pytest.approx((np.mean(b) - np.mean(a)) / se)
    assert welch_t(b, a) == pytest.approx(-welch_t(a, b))
    assert welch_t([1.0], [2.0, 3.0]) == 0.0
    assert welch_t([5.0, 5.0], [5.0, 5.0]) == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_equal_distributions_give_no_leak(seed: int) -> None:
    rng = _rng(seed)
    a = rng.normal(40_000, 800, 20_000).round()
    b = rng.normal(40_000, 800, 20_000).round()
    test = dudect_test(a, b)
    assert not test.significant, test
    assert test.tests == 101
    diff = median_difference(a, b, rng=rng)
    assert diff.low_ns <= 0.0 <= diff.high_ns or abs(diff.estimate_ns) < 40


@pytest.mark.parametrize("seed", SEEDS)
def test_heavy_tails_give_no_false_alarm(seed: int) -> None:
    """Pareto tails (infinite variance) plus rare huge outliers, as interrupts make."""
    rng = _rng(seed)

    def sample(n: int) -> np.ndarray:
        base = 30_000 + 2_000 * rng.pareto(1.5, n)
        spikes = rng.random(n) < 0.002
        return np.where(spikes, base + rng.uniform(1e5, 2e6, n), base).round()

    test = dudect_test(sample(20_000), sample(20_000))
    assert not test.significant, test


@pytest.mark.parametrize("shift", [60.0, -60.0])
def test_a_shift_is_detected_with_its_sign_and_size(shift: float) -> None:
    rng = _rng(0)
    a = rng.normal(40_000, 300, 20_000).round()
    b = (rng.normal(40_000, 300, 20_000) + shift).round()
    test = dudect_test(a, b)
    assert test.significant
    assert math.copysign(1, test.t) == math.copysign(1, shift)
    assert test.mean_difference_ns == pytest.approx(shift, abs=15)
    diff = median_difference(a, b, rng=rng)
    assert diff.excludes_zero
    assert diff.low_ns <= diff.estimate_ns <= diff.high_ns
    assert diff.estimate_ns == pytest.approx(shift, abs=20)
    assert diff.low_ns < shift < diff.high_ns


def test_cropping_finds_a_shift_hidden_by_heavy_tails() -> None:
    rng = _rng(3)
    tail_a = 5_000 * rng.pareto(1.2, 30_000)
    tail_b = 5_000 * rng.pareto(1.2, 30_000)
    a = (30_000 + rng.normal(0, 200, 30_000) + tail_a).round()
    b = (30_100 + rng.normal(0, 200, 30_000) + tail_b).round()
    assert abs(welch_t(a, b)) < T_THRESHOLD  # the plain t-test drowns in the tail
    test = dudect_test(a, b)
    assert test.significant and test.t > 0
    assert test.crop_percentile is not None


def test_too_few_samples_fall_back_to_one_welch_test() -> None:
    test = dudect_test([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    assert test.tests == 1 and test.crop_percentile is None
    with pytest.raises(ValueError):
        dudect_test([1.0], [1.0, 2.0])


def test_bootstrap_medians_are_order_statistics_near_the_median() -> None:
    rng = _rng(5)
    values = np.sort(rng.normal(0, 1, 1001))
    medians = bootstrap_medians(values, 5000, rng)
    assert set(medians.tolist()) <= set(values.tolist())
    assert float(np.mean(medians)) == pytest.approx(float(np.median(values)), abs=0.02)
    # the spread of the bootstrap median matches its asymptotic SE, sqrt(pi/2)/sqrt(n)
    assert float(np.std(medians)) == pytest.approx(math.sqrt(math.pi / 2 / 1001), rel=0.2)


def test_median_difference_checks_its_arguments() -> None:
    with pytest.raises(ValueError):
        median_difference([1.0], [2.0], confidence=1.0)
    with pytest.raises(ValueError):
        median_difference([], [2.0])
    same = median_difference([5.0] * 10, [5.0] * 10, rng=_rng(0))
    assert same.estimate_ns == 0.0 and same.bound_ns == 0.0 and not same.excludes_zero
