"""The drift monitor: a fixed reference workload timed between cases, to see the machine move.

A run's timings are only comparable with another run's if the machine ran at
the same speed. Frequency scaling, thermal limits and other processes change
that speed in the middle of a run (a quiet 2-vCPU machine once ran every case
after one point 30-40% faster). The monitor times the same deterministic work
before every slice of timing and after the last (:mod:`pqc.bench.worker`):
SHA-256 of a fixed 256 KiB buffer (C code, like most operations timed) and a
fixed pure-Python integer loop (the interpreter, like the bindings), about
0.5-1 ms together on a current x86 core. A worker's probe is one timing of it
(:func:`probe` with ``repeats=1``): one probe a slice costs what the median of
three a case did with four slices to a case, and a slice's adjustment uses
the probes on both sides of it.

:class:`DriftSummary` says, for one run, how far the machine's speed moved:
``moved`` is ``(p90 - p10) / median`` of the run's probes (0.05 = the
reference took 5% longer at the run's slow moments than at its fast ones).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

REFERENCE_BUFFER = bytes(range(256)) * 1024  # 256 KiB, fixed content
REFERENCE_LOOP = 4_000
PROBE_REPEATS = 3
MOVED_WARNING = 0.10
"""A run whose reference workload moved more than this is flagged as drifting."""


def reference_workload() -> int:
    """The fixed reference work; returns a value so nothing can be optimised away."""
    digest = hashlib.sha256(REFERENCE_BUFFER).digest()
    total = digest[0]
    for i in range(REFERENCE_LOOP):
        total = (total * 31 + i) & 0xFFFF
    return total


def probe(repeats: int = PROBE_REPEATS) -> int:
    """The median time in ns of ``repeats`` runs of :func:`reference_workload`."""
    clock = time.perf_counter_ns
    times = []
    for _ in range(max(1, repeats)):
        t0 = clock()
        reference_workload()
        times.append(clock() - t0)
    times.sort()
    return times[len(times) // 2]


@dataclass(frozen=True)
class DriftSummary:
    """One run's probes: their median (ns), how far they moved, the extreme probes' ratio."""

    probes: int
    median_ns: float
    moved: float
    slowest_to_fastest: float

    @property
    def drifting(self) -> bool:
        return self.moved > MOVED_WARNING


def summarize_drift(probes_ns: Sequence[int]) -> DriftSummary | None:
    """The :class:`DriftSummary` of one run's probes, or None when there were none."""
    if not probes_ns:
        return None
    data = np.asarray(probes_ns, dtype=np.float64)
    p10, median, p90 = (float(v) for v in np.percentile(data, [10.0, 50.0, 90.0]))
    return DriftSummary(
        probes=int(data.size),
        median_ns=median,
        moved=(p90 - p10) / median if median > 0 else 0.0,
        slowest_to_fastest=float(data.max() / data.min()) if data.min() > 0 else 1.0,
    )


def between_runs(medians_ns: Sequence[float]) -> float:
    """How far the machine's speed differed between runs: (max - min) / median of run medians."""
    if len(medians_ns) < 2:
        return 0.0
    values = np.asarray(medians_ns, dtype=np.float64)
    median = float(np.median(values))
    return float((values.max() - values.min()) / median) if median > 0 else 0.0
