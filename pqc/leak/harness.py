"""Interleaved timing of one function over two prepared input pools.

Every call is timed on its own with ``time.perf_counter_ns`` with the garbage
collector off. The classes are interleaved in an order drawn by
``secrets.SystemRandom().shuffle`` per batch (each batch has as many A as B
calls), so drift, frequency changes and other processes' bursts fall on both
classes alike and no periodic activity can line up with one class. Inputs are
cycled through the pools, which are built before any timing starts.
"""

from __future__ import annotations

import functools
import gc
import itertools
import secrets
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Progress = Callable[[float], None]

BATCH_SECONDS = 0.2  # aim for one batch (and one progress update) per this many seconds
MAX_BATCH = 20_000
WARMUP_SECONDS = 0.3
WARMUP_CALLS = 2  # at least this many warm-up calls per class (doubling until WARMUP_SECONDS)


@dataclass(frozen=True)
class Budget:
    """How long to measure: ``seconds`` of timed calls, or exactly ``samples`` calls (A + B)."""

    seconds: float | None = 10.0
    samples: int | None = None

    def __post_init__(self) -> None:
        if (self.seconds is None) == (self.samples is None):
            raise ValueError("give exactly one of seconds or samples")
        if self.seconds is not None and self.seconds <= 0:
            raise ValueError("seconds must be positive")
        if self.samples is not None and self.samples < 4:
            raise ValueError("samples must be at least 4")


@dataclass(frozen=True)
class Timings:
    """Timed calls per class in ns (in the order taken), and what happened.

    ``failures`` counts calls per class that raised (they are timed too, the
    exception included); ``errors`` names the first exception type per class;
    ``warmup_calls`` were made and discarded; ``elapsed_s`` is the wall time
    of the timed phase (batches, their shuffles and the collections between
    them); ``clock_step_ns`` is the clock's effective resolution
    (:func:`clock_step_ns`); ``complete`` is False when interrupted.
    """

    a: npt.NDArray[np.int64]
    b: npt.NDArray[np.int64]
    failures: tuple[int, int]
    errors: tuple[str | None, str | None]
    warmup_calls: int
    elapsed_s: float
    clock_step_ns: int = 1
    complete: bool = True

    @property
    def samples(self) -> int:
        return int(self.a.size + self.b.size)


class _Recorder:
    """Runs batches and keeps what they measured."""

    def __init__(self, call: Callable[[Any], object], pools: tuple[Sequence[Any], Sequence[Any]]):
        if not pools[0] or not pools[1]:
            raise ValueError("both input pools need at least one input")
        self.call = call
        self.pools = pools
        self.positions = [0, 0]
        self.times: tuple[array[int], array[int]] = (array("q"), array("q"))
        self.failures = [0, 0]
        self.errors: list[str | None] = [None, None]
        self.rng = secrets.SystemRandom()

    def _inputs(self, half: int) -> tuple[list[int], list[Any]]:
        labels = [0] * half + [1] * half
        self.rng.shuffle(labels)
        inputs = []
        for label in labels:
            pool = self.pools[label]
            inputs.append(pool[self.positions[label] % len(pool)])
            self.positions[label] += 1
        return labels, inputs

    def batch(self, half: int, record: bool = True) -> float:
        """Time ``2 * half`` calls; returns the wall time of the timed loop in seconds.

        The pools are re-homed (:func:`rehome`) before every batch, so any
        effect of one input's address averages out over the run instead of
        staying with one class for all of it.
        """
        self.pools = rehome(self.pools)
        labels, inputs = self._inputs(half)
        durations: list[int] = []
        failed: list[int] = []
        append = durations.append
        clock = time.perf_counter_ns
        call = self.call
        start = clock()
        for k, item in enumerate(inputs):
            t0 = clock()
            try:
                call(item)
            except Exception as exc:  # a rejected input is a timed outcome, not an error
                failed.append(k)
                if record and self.errors[labels[k]] is None:
                    self.errors[labels[k]] = type(exc).__name__
            t1 = clock()
            append(t1 - t0)
        wall = (clock() - start) / 1e9
        if record:
            for k in failed:
                self.failures[labels[k]] += 1
            for label, duration in zip(labels, durations, strict=True):
                self.times[label].append(duration)
        return wall


@functools.cache
def clock_step_ns(reads: int = 20_000) -> int:
    """The effective resolution of ``perf_counter_ns`` in ns (1 when it is fine-grained).

    Some clocks advance in steps (10 ns on some virtual machines) with +-1 ns
    of conversion jitter: back-to-back differences cluster at multiples of
    the step. Values within 2 ns are merged into clusters; the step is the
    smallest gap between the count-weighted centres of clusters holding at
    least 1% of the reads, rounded.
    """
    clock = time.perf_counter_ns
    counts: Counter[int] = Counter()
    for _ in range(reads):
        t0 = clock()
        t1 = clock()
        if t1 > t0:
            counts[t1 - t0] += 1
    clusters: list[list[int]] = []
    for value in sorted(counts):
        if clusters and value - clusters[-1][-1] <= 2:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    total = sum(counts.values())
    centres = [  # clusters holding at least 1% of the reads (rare ones are interrupts)
        sum(v * counts[v] for v in cluster) / weight
        for cluster in clusters
        if (weight := sum(counts[v] for v in cluster)) >= 0.01 * total
    ]
    gaps = [b - a for a, b in itertools.pairwise(centres)]
    return max(1, round(min(gaps))) if gaps else 1


def rehome(pools: tuple[Sequence[Any], Sequence[Any]]) -> tuple[list[Any], list[Any]]:
    """Copies of both pools' byte strings, allocated in one random interleaved order.

    How inputs were built (one class from a library call, the other from
    ``secrets``; one class first, the other second) decides where they land
    in memory, and placement alone can shift a C function's time by tens of
    ns (cache-set and 4K-aliasing effects): ML-KEM-768 decapsulation showed
    |t| up to 29 between two classes differing only in how they were copied.
    Allocating every copy in a shuffled order makes placement independent of
    the class. Items that are not bytes are kept as they are.
    """
    order = [(label, index) for label in (0, 1) for index in range(len(pools[label]))]
    secrets.SystemRandom().shuffle(order)
    copies: tuple[list[Any], list[Any]] = ([None] * len(pools[0]), [None] * len(pools[1]))
    for label, index in order:
        item = pools[label][index]
        copies[label][index] = bytes(memoryview(item)) if isinstance(item, bytes) else item
    return copies


def measure(
    call: Callable[[Any], object],
    pools: tuple[Sequence[Any], Sequence[Any]],
    budget: Budget,
    progress: Progress | None = None,
) -> Timings:
    """Time ``call(x)`` for inputs x cycled from ``pools[0]`` (class A) and ``pools[1]`` (class B).

    Byte-string inputs are copied by :func:`rehome` before every batch so
    that their memory placement does not depend on their class. Warm-up (about 0.3 s,
    at least 2 calls per class) is discarded. Stops after ``budget.seconds``
    of timed batches or at ``budget.samples`` calls.
    ``progress`` gets the fraction done (0..1) after every batch. Ctrl-C
    stops early and returns what was measured, marked incomplete.
    """
    recorder = _Recorder(call, pools)
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    complete = True
    elapsed = 0.0
    try:
        warmup_calls = 0
        half = WARMUP_CALLS
        warm = 0.0
        while True:
            wall = recorder.batch(half, record=False)
            warmup_calls += 2 * half
            warm += wall
            if warm >= WARMUP_SECONDS or (
                budget.samples is not None and warmup_calls >= min(budget.samples, 64)
            ):
                break
            half = min(half * 2, MAX_BATCH // 2)
        per_call = max(warm / warmup_calls, 1e-7)
        half = max(1, min(int(BATCH_SECONDS / per_call) // 2, MAX_BATCH // 2))
        done = 0
        started = time.perf_counter()
        try:
            while True:
                if budget.samples is not None:
                    left = budget.samples - done
                    if left <= 1:
                        break
                    half = min(half, left // 2)
                recorder.batch(half)
                elapsed = time.perf_counter() - started
                done += 2 * half
                fraction = (
                    done / budget.samples
                    if budget.samples is not None
                    else elapsed / (budget.seconds or 1.0)
                )
                if progress is not None:
                    progress(min(fraction, 1.0))
                if fraction >= 1.0:
                    break
                gc.collect()  # between batches, outside the timed calls
        except KeyboardInterrupt:
            complete = False
    finally:
        if gc_was_enabled:
            gc.enable()
    return Timings(
        a=np.frombuffer(recorder.times[0], dtype=np.int64).copy(),
        b=np.frombuffer(recorder.times[1], dtype=np.int64).copy(),
        failures=(recorder.failures[0], recorder.failures[1]),
        errors=(recorder.errors[0], recorder.errors[1]),
        warmup_calls=warmup_calls,
        elapsed_s=elapsed,
        clock_step_ns=clock_step_ns(),
        complete=complete,
    )
