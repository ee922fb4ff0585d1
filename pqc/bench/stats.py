"""Summary statistics of a case's raw samples (nanoseconds per call).

Medians and quantiles rather than means: a crypto operation's timing has a
heavy right tail (interrupts, rejection sampling), which a mean hides.
Quantiles use linear interpolation between order statistics (numpy's default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stats:
    """Statistics of ``n`` timings, all in nanoseconds except ``cv`` (a ratio) and ``ops_per_s``.

    ``iqr_ns = q3_ns - q1_ns``; ``cv = stdev_ns / mean_ns`` (sample stdev);
    ``ops_per_s = 1e9 / median_ns`` (a median under 1 ns counts as 1 ns).
    """

    n: int
    median_ns: float
    q1_ns: float
    q3_ns: float
    iqr_ns: float
    p99_ns: float
    min_ns: int
    max_ns: int
    mean_ns: float
    stdev_ns: float
    cv: float
    ops_per_s: float

    @property
    def median_us(self) -> float:
        """The median in microseconds."""
        return self.median_ns / 1000.0



def summarize(samples_ns: Sequence[int]) -> Stats:
    """Statistics of one or more timings in nanoseconds; raises ValueError when empty."""
    if len(samples_ns) == 0:
        raise ValueError("no samples to summarise")
    data = np.asarray(samples_ns, dtype=np.float64)
    q1, median, q3, p99 = (float(v) for v in np.percentile(data, [25.0, 50.0, 75.0, 99.0]))
    mean = float(data.mean())
    stdev = float(data.std(ddof=1)) if data.size > 1 else 0.0
    return Stats(
        n=int(data.size),
        median_ns=median,
        q1_ns=q1,
        q3_ns=q3,
        iqr_ns=q3 - q1,
        p99_ns=p99,
        min_ns=int(min(samples_ns)),
        max_ns=int(max(samples_ns)),
        mean_ns=mean,
        stdev_ns=stdev,
        cv=stdev / mean if mean > 0 else 0.0,
        ops_per_s=1e9 / max(median, 1.0),
    )


def around_run_medians(runs: Sequence[Sequence[int]], centre_ns: float) -> Stats:
    """Statistics of each run's calls scaled so that every run's median lands on ``centre_ns``.

    The spread of the calls of one process, without how far the runs' medians sit
    apart (that is the between-run interval's job). One run: its own statistics,
    unchanged. Runs with fewer than two samples say nothing about the spread
    within a run and are left out; when no run has two (a slow case: one RSA
    key generation a run), the calls pooled over the runs, unscaled, are all
    there is (a spread of 0 would be false); with no samples at all, one
    sample at ``centre_ns``.
    """
    scaled: list[int] = []
    for samples in runs:
        median = float(np.median(samples)) if len(samples) > 1 else 0.0
        if median > 0:
            factor = centre_ns / median
            scaled += list(samples) if factor == 1.0 else [round(v * factor) for v in samples]
    if not scaled:
        scaled = [value for samples in runs for value in samples]
    return summarize(scaled or [round(centre_ns)])
