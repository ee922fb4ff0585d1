"""The drift monitor's reference workload and its summaries."""

from __future__ import annotations

import pytest

from pqc.bench.drift import between_runs, probe, reference_workload, summarize_drift


def test_reference_workload_is_deterministic_and_timed() -> None:
    assert reference_workload() == reference_workload()
    assert 10_000 < probe(repeats=1) < 1_000_000_000


def test_summary_of_a_run_whose_machine_slowed_down() -> None:
    steady = summarize_drift([1000] * 20)
    assert steady is not None and steady.moved == 0.0 and not steady.drifting
    slowed = summarize_drift([1000] * 10 + [1300] * 10)
    assert slowed is not None and slowed.moved == pytest.approx(0.3 / 1.15, rel=1e-6)
    assert slowed.drifting and slowed.slowest_to_fastest == pytest.approx(1.3)
    assert summarize_drift([]) is None
    assert between_runs([1000, 1100, 1050]) == pytest.approx(100 / 1050)
    assert between_runs([1000]) == 0.0
