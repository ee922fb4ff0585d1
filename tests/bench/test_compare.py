"""Comparison of two runs: the Mann-Whitney U test, bootstrap interval, verdicts."""

from __future__ import annotations

import pytest

from pqc.bench.compare import (
    bootstrap_ratio_interval,
    compare_results,
    mann_whitney,
)
from pqc.errors import InvalidArgumentError
from tests.bench.conftest import lognormal, make_case, make_result


def test_mann_whitney_matches_textbook_values() -> None:
    # scipy.stats.mannwhitneyu([1,2,3],[4,5,6], method="asymptotic") -> U=0, p=0.0809
    result = mann_whitney([1, 2, 3], [4, 5, 6])
    assert result.u == 0.0
    assert result.p_value == pytest.approx(0.08085, abs=1e-4)
    # ties (average ranks 1, 3, 3, 3, 6, 6, 6, 8): U = 13 - 10 = 3, tie-corrected
    # variance 16/12 * (9 - 48/56), z = (3 - 8 + 0.5) / sd, p = 0.1720 (as scipy's asymptotic)
    tied = mann_whitney([1, 2, 2, 3], [2, 3, 3, 4])
    assert tied.u == 3.0
    assert tied.p_value == pytest.approx(0.1720, abs=1e-4)


def test_mann_whitney_identical_values_is_not_significant() -> None:
    assert mann_whitney([5, 5, 5], [5, 5]).p_value == 1.0


def test_bootstrap_interval_contains_the_true_ratio() -> None:
    low, high = bootstrap_ratio_interval(lognormal(1000, 400, 1), lognormal(1500, 400, 2))
    assert low < 1.5 < high
    assert high - low < 0.1


def _pair(median_b: float, seed: int = 2) -> tuple[object, object]:
    a = make_result([make_case("ML-KEM-768", "encaps", lognormal(30_000, 300, 1))])
    b = make_result([make_case("ML-KEM-768", "encaps", lognormal(median_b, 300, seed))])
    return a, b


@pytest.mark.parametrize(
    ("median_b", "verdict"),
    [(20_000, "faster"), (45_000, "slower"), (30_000, "not significant")],
)
def test_verdicts(median_b: float, verdict: str) -> None:
    a, b = _pair(median_b)
    comparison = compare_results(a, b)  # type: ignore[arg-type]
    (case,) = comparison.cases
    assert case.verdict == verdict
    assert case.ratio == pytest.approx(median_b / 30_000, rel=0.03)
    assert comparison.geometric_mean == pytest.approx(case.ratio)


def test_unpaired_cases_and_geometric_mean() -> None:
    a = make_result(
        [
            make_case("X25519", "encaps", lognormal(40_000, 200, 1)),
            make_case("ML-KEM-768", "encaps", lognormal(30_000, 200, 2)),
            make_case("Ed25519", "sign", lognormal(30_000, 200, 3), kind="signature"),
        ]
    )
    b = make_result(
        [
            make_case("X25519", "encaps", lognormal(80_000, 200, 4)),
            make_case("ML-KEM-768", "encaps", lognormal(15_000, 200, 5)),
            make_case("SM2", "sign", lognormal(30_000, 200, 6), kind="signature"),
        ]
    )
    comparison = compare_results(a, b)
    assert [c.verdict for c in comparison.cases] == ["slower", "faster"]
    assert comparison.geometric_mean == pytest.approx(1.0, rel=0.05)  # 2x and 0.5x cancel
    assert comparison.only_a == ("Ed25519 sign [openssl]",)
    assert comparison.only_b == ("SM2 sign [openssl]",)
    data = comparison.to_dict()
    assert data["faster"] == 1 and data["slower"] == 1


def test_bad_alpha_is_refused() -> None:
    a, b = _pair(30_000)
    with pytest.raises(InvalidArgumentError):
        compare_results(a, b, alpha=2.0)  # type: ignore[arg-type]
