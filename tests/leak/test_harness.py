"""The interleaved timing harness, driven with trivial functions (our own machinery)."""

from __future__ import annotations

import gc
import itertools

import pytest

from pqc.jsondata import to_data
from pqc.leak.harness import Budget, measure


def test_samples_budget_is_exact_and_balanced() -> None:
    seen: list[int] = []
    fractions: list[float] = []
    timings = measure(seen.append, ([0], [1]), Budget(seconds=None, samples=400), fractions.append)
    assert timings.a.size == timings.b.size == 200
    assert timings.samples == 400 and timings.complete
    assert timings.warmup_calls >= 4
    assert len(seen) == 400 + timings.warmup_calls
    assert (timings.a > 0).all() and (timings.b > 0).all()
    assert fractions and fractions[-1] == 1.0
    # the classes are interleaved, not run in blocks
    timed = seen[timings.warmup_calls :]
    switches = sum(1 for x, y in itertools.pairwise(timed) if x != y)
    assert switches > 50


def test_pools_are_cycled() -> None:
    seen: list[str] = []
    measure(seen.append, (["a1", "a2", "a3"], ["b1"]), Budget(seconds=None, samples=60))
    assert {"a1", "a2", "a3", "b1"} == set(seen)


def test_raising_calls_are_timed_and_counted() -> None:
    def call(x: int) -> None:
        if x:
            raise KeyError("rejected")

    timings = measure(call, ([0], [1]), Budget(seconds=None, samples=100))
    assert timings.failures == (0, 50)
    assert timings.errors == (None, "KeyError")
    assert timings.b.size == 50


def test_seconds_budget_stops_and_gc_is_restored() -> None:
    assert gc.isenabled()
    timings = measure(lambda x: None, ([0], [1]), Budget(seconds=0.2))
    assert gc.isenabled()
    assert timings.samples > 100 and 0.15 < timings.elapsed_s < 2.0


def test_budget_checks() -> None:
    with pytest.raises(ValueError):
        Budget(seconds=1.0, samples=10)
    with pytest.raises(ValueError):
        Budget(seconds=None, samples=None)
    with pytest.raises(ValueError):
        Budget(seconds=0)
    with pytest.raises(ValueError):
        Budget(seconds=None, samples=2)
    with pytest.raises(ValueError):
        measure(lambda x: None, ([], [1]), Budget(seconds=None, samples=10))
    assert to_data(Budget()) == {"seconds": 10.0, "samples": None}


def test_clock_step_is_a_small_positive_integer() -> None:
    from pqc.leak.harness import clock_step_ns

    step = clock_step_ns()
    assert isinstance(step, int) and 1 <= step <= 1000
    timings = measure(lambda x: None, ([0], [1]), Budget(seconds=None, samples=20))
    assert timings.clock_step_ns == step


def test_rehome_copies_bytes_into_new_objects_and_keeps_the_rest() -> None:
    from pqc.leak.harness import rehome

    a = [bytes([i]) * 100 for i in range(5)]
    b = [b"x" * 100, 7]
    new_a, new_b = rehome((a, b))
    assert new_a == a and new_b == b
    assert all(x is not y for x, y in zip(new_a, a, strict=True))
    assert new_b[1] == 7
