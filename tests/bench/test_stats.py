"""Summary statistics and stability warnings."""

from __future__ import annotations

import numpy as np
import pytest

from pqc.bench.results import BenchResult
from pqc.bench.stability import stability_warnings
from pqc.bench.stats import summarize


def test_summary_of_known_samples() -> None:
    stats = summarize([10, 20, 30, 40, 1000])
    assert stats.n == 5
    assert stats.median_ns == 30.0
    assert stats.q1_ns == 20.0 and stats.q3_ns == 40.0 and stats.iqr_ns == 20.0
    assert stats.min_ns == 10 and stats.max_ns == 1000
    assert stats.mean_ns == 220.0
    assert stats.ops_per_s == pytest.approx(1e9 / 30)
    assert stats.cv == pytest.approx(stats.stdev_ns / 220.0)
    assert 40 < stats.p99_ns <= 1000
    assert stats.median_us == 0.03


def test_single_sample_has_zero_spread() -> None:
    stats = summarize([500])
    assert stats.median_ns == 500.0 and stats.stdev_ns == 0.0 and stats.cv == 0.0


def test_empty_samples_are_refused() -> None:
    with pytest.raises(ValueError):
        summarize([])


def test_stable_case_has_no_warning() -> None:
    stats = summarize([100 + (i % 5) for i in range(200)])
    assert stability_warnings(stats, family="ML-KEM", op="encaps", language="C", seconds=1) == ()


def test_few_samples_are_flagged() -> None:
    (warning,) = stability_warnings(
        summarize([10_000_000] * 3), family="SM2", op="sign", language="C", seconds=0.05
    )
    assert "only 3 samples" in warning and "--seconds" in warning


def test_spread_by_design_is_explained() -> None:
    samples = [100, 150, 200, 250, 300, 350, 400] * 10
    warnings = stability_warnings(
        summarize(samples), family="ML-DSA", op="sign", language="C", seconds=1
    )
    assert any("IQR" in w and "rejection" in w for w in warnings)
    warnings = stability_warnings(
        summarize(samples), family="ML-KEM", op="encaps", language="C", seconds=1
    )
    assert any("machine noise" in w for w in warnings)


def test_heavy_tail_is_flagged() -> None:
    samples = [100] * 95 + [10_000] * 5
    warnings = stability_warnings(
        summarize(samples), family="RSA", op="keygen", language="C", seconds=1
    )
    assert any("heavy tail" in w and "prime" in w for w in warnings)


def test_spread_around_run_medians_leaves_out_how_far_runs_sit_apart() -> None:
    from pqc.bench.stats import around_run_medians
    from tests.bench.conftest import lognormal

    # Two runs whose calls are tight (2%) but whose medians sit 50% apart.
    runs = [lognormal(median, 400, seed, 0.02) for seed, median in enumerate((100_000, 150_000))]
    pooled = summarize(runs[0] + runs[1])
    assert pooled.iqr_ns / pooled.median_ns > 0.25  # the pooled calls would read "noisy"
    within = around_run_medians(runs, 125_000)
    assert within.n == 800
    assert within.iqr_ns / within.median_ns < 0.05
    assert within.median_ns == pytest.approx(125_000, rel=0.01)
    assert around_run_medians([runs[0]], float(np.median(runs[0]))) == summarize(runs[0])


def test_runs_of_one_call_each_show_the_calls_spread_not_zero() -> None:
    from pqc.bench.stats import around_run_medians

    one_each = [[50_000_000], [62_000_000], [55_000_000]]  # RSA keygen: a call a run
    spread = around_run_medians(one_each, 55_000_000)
    assert spread == summarize([50_000_000, 62_000_000, 55_000_000])
    assert spread.iqr_ns > 0
    mixed = around_run_medians([[100, 110, 120], [900]], 110)  # the single call is left out
    assert mixed == summarize([100, 110, 120])
    assert around_run_medians([[], []], 7.0) == summarize([7])


def test_a_case_shows_the_spread_within_its_runs(sample_result: BenchResult) -> None:
    case = sample_result.cases[0]  # one run: the same as all calls
    assert case.within_run_stats == case.stats
