"""Comparison of two results on run medians: verdicts with known answers, warnings, the gate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pqc.bench.compare import (
    compare_by_samples,
    compare_results,
    file_warnings,
    gate,
    mann_whitney_p,
)
from pqc.bench.drift import summarize_drift
from pqc.bench.results import BenchResult
from pqc.bench.runmodel import RunRecord
from pqc.errors import InvalidArgumentError
from tests.bench.conftest import (
    MACHINE,
    lognormal,
    make_case,
    make_result,
    make_run_case,
    run_medians,
)

RUNS = 5


def _pair(ratio: float, *, runs: int = RUNS, seed: int = 0) -> tuple[BenchResult, BenchResult]:
    a = make_result([make_run_case("ML-KEM-768", "encaps", run_medians(30_000, runs, seed))])
    b = make_result(
        [make_run_case("ML-KEM-768", "encaps", run_medians(30_000 * ratio, runs, seed + 500))]
    )
    return a, b


@pytest.mark.parametrize("seed", range(5))
def test_identical_runs_are_the_same(seed: int) -> None:
    a, b = _pair(1.0, seed=seed)
    (case,) = compare_results(a, b).cases
    assert case.verdict == "same"
    assert case.ratio_low is not None and case.ratio_high is not None
    assert case.ratio_low < case.ratio < case.ratio_high


@pytest.mark.parametrize("seed", range(5))
def test_a_planted_ten_percent_slow_down_is_slower(seed: int) -> None:
    a, b = _pair(1.10, seed=seed)
    (case,) = compare_results(a, b).cases
    assert case.verdict == "slower"
    assert case.p_value is not None and case.p_value < 0.05
    assert case.ratio == pytest.approx(1.10, rel=0.04)
    assert case.ratio_low is not None and case.ratio_low > 1.0
    assert (case.runs_a, case.runs_b) == (RUNS, RUNS)


def test_faster_and_not_significant() -> None:
    a, b = _pair(0.8)
    assert compare_results(a, b).cases[0].verdict == "faster"
    # 8% apart but runs spread 15%: not significant with 3 runs a side
    noisy_a = make_result([make_run_case("X", "encaps", [30_000, 36_000, 26_000])])
    noisy_b = make_result([make_run_case("X", "encaps", [33_000, 38_000, 26_500])])
    assert compare_results(noisy_a, noisy_b).cases[0].verdict == "not significant"


def test_below_the_minimum_effect_is_the_same_whatever_the_p_value() -> None:
    a = make_result([make_run_case("X", "encaps", [30_000, 30_001, 30_002])])
    b = make_result([make_run_case("X", "encaps", [30_900, 30_901, 30_902])])  # +3%, significant
    case = compare_results(a, b).cases[0]
    assert case.p_value is not None and case.p_value < 0.05
    assert case.verdict == "same"
    assert compare_results(a, b, min_effect=0.01).cases[0].verdict == "slower"


def test_too_few_runs_are_not_judged() -> None:
    one_run_a = make_result([make_case("X25519", "encaps", lognormal(40_000, 300, 1))])
    one_run_b = make_result([make_case("X25519", "encaps", lognormal(60_000, 300, 2))])
    comparison = compare_results(one_run_a, one_run_b)
    (case,) = comparison.cases
    assert case.verdict == "not judged" and case.p_value is None and case.ratio_low is None
    assert case.ratio == pytest.approx(1.5, rel=0.03)
    assert not comparison.judged
    assert any("too few to judge significance" in w for w in comparison.warnings)
    two = make_result([make_run_case("X25519", "encaps", [40_000, 41_000])])
    assert compare_results(two, two).cases[0].verdict == "not judged"


def test_gate_exit_conditions() -> None:
    a, b = _pair(1.10)
    slower = compare_results(a, b)
    assert gate(slower, 5.0) and not gate(slower, 20.0)
    assert gate(slower, 5.0, mode="geomean") and not gate(slower, 20.0, mode="geomean")
    same = compare_results(*_pair(1.0))
    assert not gate(same, 0.0)  # a "same" case never fails the per-case gate
    one_a = make_result([make_case("X25519", "encaps", lognormal(40_000, 300, 1))])
    one_b = make_result([make_case("X25519", "encaps", lognormal(60_000, 300, 2))])
    (reason,) = gate(compare_results(one_a, one_b), 10.0)
    assert "ratio only" in reason
    with pytest.raises(InvalidArgumentError):
        gate(same, -1.0)
    with pytest.raises(InvalidArgumentError):
        gate(same, 5.0, mode="median")


def test_files_that_differ_are_flagged() -> None:
    a, _ = _pair(1.0)
    base = a
    other = replace(
        base,
        settings=replace(base.settings, seconds=0.08, runs=3, passes=16),
        machine=replace(MACHINE, cpu_flags=("aes",), cpu_model="Other CPU",
                        load_average=(5.8, 5.0, 4.0)),
        backends=(replace(base.backends[0], version="cryptography 51"),
                  *base.backends[1:]),
    )  # fmt: skip
    text = " | ".join(file_warnings(base, other))
    assert "settings differ: seconds 0.25 vs 0.08, runs 1 vs 3, passes 1 vs 16" in text
    assert "machine differs: cpu_model 'Test CPU' vs 'Other CPU'" in text
    assert "CPU flags differ (only A: avx2)" in text
    assert "backend versions differ: openssl" in text
    assert "B was measured at load 5.8 on 2 CPUs" in text
    assert file_warnings(base, base) == ()


def test_a_machine_speed_change_is_flagged() -> None:
    def with_reference(ns: int) -> BenchResult:
        record = RunRecord(0, ("x",), (ns,) * 5, summarize_drift([ns] * 5), 1.0)
        return make_result([make_case("X", "encaps", [1, 2, 3])], runs=(record,))

    text = " ".join(file_warnings(with_reference(700_000), with_reference(900_000)))
    assert "reference workload ran 29% slower in B" in text
    assert not file_warnings(with_reference(700_000), with_reference(710_000))


def test_instruction_counts_are_compared_when_both_files_have_them() -> None:
    from pqc.bench.compare import compare_instructions

    class Counted:
        def __init__(self, call: float, library: float) -> None:
            self.instructions = {"call": {"median": call}, "library": {"median": library}}

    found = compare_instructions(Counted(1000, 800), Counted(1100, 800))  # type: ignore[arg-type]
    assert [(i.where, i.ratio) for i in found] == [("call", 1.1), ("library", 1.0)]
    plain = make_case("X", "encaps", [1, 2, 3])
    assert compare_instructions(plain, plain) == ()
    assert compare_results(make_result([plain]), make_result([plain])).instruction_summary() is None
    a, b = _pair(1.0)
    comparison = compare_results(a, b)
    counted = replace(comparison, cases=(replace(comparison.cases[0], instructions=found),))
    summary = counted.instruction_summary()
    assert summary is not None and "load" in summary and "1 moved more than 1%" in summary


def test_the_previous_method_calls_identical_processes_different() -> None:
    # Two processes whose calls differ by 3% (a memory-layout effect): the previous
    # method, taking 300 calls a side as independent, calls it significant.
    a = make_case("X", "encaps", lognormal(30_000, 300, 1, 0.02))
    b = make_case("X", "encaps", lognormal(30_900, 300, 2, 0.02))
    assert compare_by_samples(a, b) == "slower"
    # scipy.stats.mannwhitneyu([1,2,3],[4,5,6], method="asymptotic") -> p=0.0809
    assert mann_whitney_p([1, 2, 3], [4, 5, 6]) == pytest.approx(0.08085, abs=1e-4)
    assert mann_whitney_p([5, 5, 5], [5, 5]) == 1.0


def test_bad_parameters_are_refused() -> None:
    a, b = _pair(1.0)
    with pytest.raises(InvalidArgumentError):
        compare_results(a, b, alpha=1.5)
    with pytest.raises(InvalidArgumentError):
        compare_results(a, b, min_effect=5)


# ---------------------------------------------------------------- speed adjustment
def _probed(centre: float, speeds: list[float], *, seed: int) -> BenchResult:
    """A case whose run medians follow the machine's speed, with the probes that saw it."""
    case = make_run_case("ML-KEM-768", "encaps", run_medians(centre, len(speeds), seed, 0.01))
    runs = tuple(
        replace(run, median_ns=run.median_ns * speed, probe_before_ns=round(600_000 * speed),
                probe_after_ns=round(600_000 * speed * 1.01))
        for run, speed in zip(case.runs, speeds, strict=True)
    )  # fmt: skip
    return make_result([replace(case, runs=runs, across_runs=None)])


SPEEDS_A = [1.0, 1.3, 0.9, 1.2, 1.0, 1.4]  # a machine whose speed moves 40% between runs
SPEEDS_B = [1.3, 1.0, 1.4, 0.9, 1.25, 1.1]


def test_speed_adjustment_removes_the_machine_and_keeps_the_code() -> None:
    same_a, same_b = _probed(30_000, SPEEDS_A, seed=1), _probed(30_000, SPEEDS_B, seed=2)
    adjusted = compare_results(same_a, same_b).cases[0]
    raw = compare_results(same_a, same_b, adjust=False).cases[0]
    assert adjusted.adjusted and not raw.adjusted
    assert adjusted.verdict == "same" and abs(adjusted.ratio - 1.0) < 0.03
    assert raw.ratio_high is not None and adjusted.ratio_high is not None
    assert adjusted.ratio_high / adjusted.ratio_low < raw.ratio_high / raw.ratio_low  # type: ignore[operator]
    assert adjusted.raw_ratio == pytest.approx(raw.ratio)
    from pqc.bench.render import comparison_summary

    summary = " ".join(comparison_summary(compare_results(same_a, same_b)))
    assert "divided by the machine's speed around them" in summary
    raw_summary = comparison_summary(compare_results(same_a, same_b, adjust=False))
    assert "divided" not in " ".join(raw_summary)
    slowed = _probed(33_000, SPEEDS_B, seed=2)  # the code 10% slower, the machine as noisy
    assert compare_results(same_a, slowed).cases[0].verdict == "slower"
    assert compare_results(same_a, slowed, adjust=False).cases[0].verdict != "slower"


def test_speed_adjustment_needs_probes_on_both_sides() -> None:
    from pqc.bench.compare import speed_adjusted

    probed = _probed(30_000, SPEEDS_A, seed=1)
    plain = _pair(1.0, runs=len(SPEEDS_A))[0]
    assert speed_adjusted(plain.cases[0]) is None
    values = speed_adjusted(probed.cases[0])
    assert values is not None and len(values) == len(SPEEDS_A)
    case = compare_results(plain, probed).cases[0]
    assert not case.adjusted  # judged on raw run medians, and the summary says so
    assert compare_results(plain, probed).adjusted_cases == 0


# ---------------------------------------------------------------- instruction verdicts
def _counted(call: float, low: float, high: float) -> BenchResult:
    from pqc.bench.instructions import Counts, Instructions

    case = make_run_case("ML-KEM-768", "encaps", run_medians(30_000, RUNS, 0))
    counts = Instructions(Counts(call, int(low), int(high), 5), Counts(call * 0.9, 1, 2, 5))
    return make_result([replace(case, instructions=counts)])


@pytest.mark.parametrize(
    ("b", "verdict"),
    [
        ((110_000, 109_500, 110_500), "slower"),  # +10%
        ((90_000, 89_000, 91_000), "faster"),
        ((100_500, 100_000, 101_000), "same"),  # within 1%
        ((103_000, 102_000, 104_000), "within range"),  # +3%, inside A's own range
        ((108_000, 107_000, 110_000), "slower"),  # beyond A's slowest call
        ((97_000, 96_500, 97_500), "within range"),
    ],
)
def test_instruction_verdicts(b: tuple[float, float, float], verdict: str) -> None:
    a = _counted(100_000, 96_000, 105_000)  # one call 5% slower: an RNG reseed, say
    case = compare_results(a, _counted(*b)).cases[0]
    assert case.instructions_verdict == verdict


def test_the_gate_on_instructions() -> None:
    a = _counted(100_000, 98_000, 101_000)
    slower = compare_results(a, _counted(110_000, 109_500, 110_500))
    (reason,) = gate(slower, 5.0, by="instructions")
    assert "1.100x instructions per call" in reason
    assert gate(slower, 15.0, by="instructions") == ()
    assert gate(slower, 5.0, by="instructions", mode="geomean") != ()
    assert gate(compare_results(a, a), 0.0, by="instructions") == ()
    with pytest.raises(InvalidArgumentError, match="pqc bench --instructions"):
        gate(compare_results(*_pair(1.0)), 5.0, by="instructions")
    with pytest.raises(InvalidArgumentError, match="--by"):
        gate(slower, 5.0, by="cycles")


def test_a_run_timed_in_slices_is_judged_on_its_own_adjusted_value() -> None:
    from pqc.bench.compare import speed_adjusted

    probed = _probed(30_000, SPEEDS_A, seed=1)
    case = probed.cases[0]
    sliced = replace(case, runs=tuple(replace(run, slices=4, adjusted=run.median_ns / 500.0)
                                      for run in case.runs))  # fmt: skip
    assert speed_adjusted(sliced) == tuple(run.median_ns / 500.0 for run in case.runs)
    assert all(run.machine_moved is None for run in sliced.runs)  # probes a run apart
    mixed = replace(sliced, runs=(case.runs[0], *sliced.runs[1:]))  # one run in one go
    values = speed_adjusted(mixed)
    assert values is not None and values[1:] == speed_adjusted(sliced)[1:]  # type: ignore[index]
    assert values[0] != sliced.runs[0].adjusted
