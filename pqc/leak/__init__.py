"""The timing-leak screen: does an implementation's time depend on secret input?

Two classes of inputs per operation (:mod:`pqc.leak.classes`), interleaved
in random order and timed one call at a time (:mod:`pqc.leak.harness`),
judged by dudect's cropped t-tests and a bootstrap interval of the
difference of medians (:mod:`pqc.leak.stats`, :mod:`pqc.leak.verdict`).
Controls with a known leak and without one (:mod:`pqc.leak.controls`) show
the screen's sensitivity on this machine. Results are versioned JSON
(:mod:`pqc.leak.results`).

A verdict is evidence over a sample ("leak: B is X ns slower (|t| = Y, N
samples)", "no leak larger than X ns at 95% over N samples"), never a proof
that code is constant-time.
"""

from pqc.leak.harness import Budget
from pqc.leak.results import LeakCase, LeakResult, read_leak_result, write_leak_result
from pqc.leak.screen import CaseSpec, build_result, plan, run_case, run_control, run_controls

__all__ = [
    "Budget",
    "CaseSpec",
    "LeakCase",
    "LeakResult",
    "build_result",
    "plan",
    "read_leak_result",
    "run_case",
    "run_control",
    "run_controls",
    "write_leak_result",
]
