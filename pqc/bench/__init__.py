"""Timing: the engine, the result model (versioned JSON), comparison and rendering.

The library entry points are :func:`pqc.bench.engine.run_bench` (time cases),
:func:`pqc.bench.results.read_result` / :func:`write_result` (files) and
:func:`pqc.bench.compare.compare_results` (two runs).
"""

from pqc.bench.results import (
    KIND_VERSION,
    BenchResult,
    CaseResult,
    Machine,
    Settings,
    TimerInfo,
    read_result,
    write_result,
)
from pqc.bench.stats import Stats, summarize

__all__ = [
    "KIND_VERSION",
    "BenchResult",
    "CaseResult",
    "Machine",
    "Settings",
    "Stats",
    "TimerInfo",
    "read_result",
    "summarize",
    "write_result",
]
