"""Verdict phrasing: evidence or a bound, never "constant-time"."""

from __future__ import annotations

import pytest

from pqc.jsondata import to_data
from pqc.leak.stats import DudectTest, MedianDifference
from pqc.leak.verdict import Verdict, decide, format_ns

LABELS = ("low-weight", "high-weight")


def _t(value: float) -> DudectTest:
    return DudectTest(
        max_abs_t=abs(value), t=value, crop_percentile=None, mean_difference_ns=0.0,
        tests=101, threshold=4.5,
    )


def _m(estimate: float, low: float, high: float) -> MedianDifference:
    return MedianDifference(estimate, low, high, confidence=0.95, resamples=1000)


def _all_text(v: Verdict) -> str:
    return " ".join([v.text, *v.notes]).lower()


def test_leak_names_the_slower_class_its_size_t_and_samples() -> None:
    v = decide(LABELS, 1512, _t(85.2), _m(3_712_000, 3_600_000, 3_800_000))
    assert v.status == "leak" and v.slower == "high-weight"
    assert v.text == (
        "leak: high-weight is 3,712,000 ns (3.71 ms) slower than low-weight "
        "(|t| = 85.2, 1,512 samples)"
    )


def test_leak_in_the_other_direction() -> None:
    v = decide(LABELS, 100_000, _t(-9.0), _m(-120, -150, -90))
    assert v.status == "leak" and v.slower == "low-weight"
    assert v.text.startswith("leak: low-weight is 120 ns slower than high-weight")


def test_no_leak_is_a_bound() -> None:
    v = decide(LABELS, 250_000, _t(1.3), _m(3, -20, 42))
    assert v.status == "no-leak" and v.slower is None
    assert v.text == "no leak larger than 42 ns at 95% over 250,000 samples (|t| = 1.3)"
    assert v.bound_ns == 42


@pytest.mark.parametrize(
    ("t", "medians", "needle"),
    [
        (6.0, _m(3, -2, 8), "includes 0"),
        (2.0, _m(12, 3, 20), "is under 4.5"),
    ],
)
def test_one_statistic_alone_is_inconclusive(
    t: float, medians: MedianDifference, needle: str
) -> None:
    v = decide(LABELS, 5000, _t(t), medians)
    assert v.status == "inconclusive"
    assert v.text.startswith("inconclusive: ") and needle in v.text


def test_never_says_constant_time() -> None:
    cases = [(_t(50), _m(100, 90, 110)), (_t(1), _m(0, -5, 5)), (_t(5), _m(0, -5, 5))]
    for t, m in cases:
        assert "constant" not in _all_text(decide(LABELS, 10, t, m))


def test_design_note_and_rejected_inputs_are_said() -> None:
    v = decide(
        ("fixed", "random"), 2000, _t(7), _m(50_000, 10_000, 90_000),
        design_note="ML-DSA signing varies by design",
        failures=(0, 1000), errors=(None, "DecryptionError"), counts=(1000, 1000),
    )
    assert v.text.endswith("[varies by design]")
    assert v.notes[0] == "ML-DSA signing varies by design"
    assert "100% of random calls raised DecryptionError" in v.notes[1]
    quiet = decide(("a", "b"), 10, _t(1), _m(0, -1, 1), design_note="varies")
    assert "[varies by design]" not in quiet.text and quiet.notes == ("varies",)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0 ns"), (3.25, "3.2 ns"), (37, "37 ns"), (1250, "1,250 ns (1.25 µs)"),
     (-3_712_000, "-3,712,000 ns (-3.71 ms)")],
)
def test_format_ns(value: float, text: str) -> None:
    assert format_ns(value) == text


def test_verdict_to_dict() -> None:
    v = decide(LABELS, 10, _t(1), _m(0, -1, 1))
    data = to_data(v)
    assert data["status"] == "no-leak" and data["text"] == v.text and data["notes"] == []


def test_a_bound_is_never_below_the_clock_step() -> None:
    v = decide(LABELS, 100_000, _t(1.0), _m(0, -1, 1), resolution_ns=10)
    assert v.bound_ns == 10
    assert v.text.startswith("no leak larger than 10 ns at 95%")
