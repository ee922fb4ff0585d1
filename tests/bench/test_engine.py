"""The timing engine: loop, calibration, GC handling, interruption, and one real case."""

from __future__ import annotations

import gc
import time
from dataclasses import replace

import pytest

from pqc.bench import engine
from pqc.bench.cases import Calls, CaseSpec, Plan, Workload, plan_cases
from pqc.bench.engine import (
    DEFAULT_PASSES,
    BenchInterrupted,
    CaseInterrupted,
    CaseTimer,
    default_settings,
    measure_timer,
    run_bench,
    time_calls,
    time_case,
)
from pqc.bench.results import CaseResult, Settings
from pqc.catalog import lookup
from pqc.errors import InvalidArgumentError

TINY = replace(
    default_settings(), seconds=0.002, min_samples=3, max_samples=50, key_pool=2, input_pool=2
)


@pytest.mark.parametrize("arity", [0, 1, 2, 3])
def test_time_calls_times_each_call_with_gc_off(arity: int) -> None:
    seen: list[tuple[object, ...]] = []
    gc_states: list[bool] = []

    def fn(*args: object) -> None:
        seen.append(args)
        gc_states.append(gc.isenabled())

    args = [tuple(bytes([i, j]) for j in range(arity)) for i in range(7)]
    out: list[int] = []
    assert gc.isenabled()
    time_calls(fn, args, out)
    assert gc.isenabled()
    assert seen == args
    assert len(out) == 7 and all(isinstance(v, int) and v >= 0 for v in out)
    assert gc_states == [False] * 7


def test_time_calls_restores_gc_after_an_error() -> None:
    def boom() -> None:
        raise RuntimeError("x")

    with pytest.raises(RuntimeError):
        time_calls(boom, [()], [])
    assert gc.isenabled()


def test_timer_overhead_is_measured() -> None:
    timer = measure_timer(200)
    assert 0 < timer.empty_call_min_ns <= timer.empty_call_ns < 100_000
    assert timer.min_step_ns > 0


def test_settings() -> None:
    quick = default_settings(quick=True)
    full = default_settings()
    assert quick.quick and not full.quick
    assert quick.seconds < full.seconds
    assert full.message_size == quick.message_size == 32
    assert full.baselines == {"kem": "X25519", "signature": "ECDSA-P256"}
    assert default_settings(seconds=2.0, baselines={"kem": "ECDH-P256"}).baselines["kem"] == (
        "ECDH-P256"
    )
    with pytest.raises(InvalidArgumentError):
        default_settings(seconds=0)


def test_real_case_on_openssl() -> None:
    spec = CaseSpec(lookup("ML-KEM-768"), "openssl", "decaps")
    workload = Workload.for_spec(spec, key_pool=2, input_pool=3)
    case = time_case(spec, workload, TINY)
    assert case.algorithm == "ML-KEM-768" and case.backend == "openssl" and case.op == "decaps"
    assert TINY.min_samples <= case.stats.n <= TINY.max_samples
    assert len(case.samples_ns) == case.stats.n
    assert case.stats.median_ns > 0 and case.complete
    assert case.sizes["ciphertext"] == 1088
    assert case.inputs == "2 key pairs, 3 ciphertexts"
    assert case.language == "C" and case.backend_version


def test_sample_count_is_calibrated() -> None:
    spec = CaseSpec(lookup("Ed25519"), "openssl", "sign")
    workload = Workload.for_spec(spec, key_pool=1, input_pool=1)
    capped = time_case(spec, workload, replace(TINY, seconds=10.0, max_samples=40))
    assert capped.stats.n == 40
    floored = time_case(spec, workload, replace(TINY, seconds=1e-9, min_samples=4))
    assert floored.stats.n == 4
    assert capped.message_size == 32


def test_run_bench_collects_metadata() -> None:
    plan = plan_cases(["X25519", "Ed25519"], ["openssl"], ["keygen"])
    events: list[tuple[int, int, str]] = []
    result = run_bench(plan, TINY, command=["test"], progress=lambda *e: events.append(e))
    assert [c.label for c in result.cases] == [
        "X25519 keygen [openssl]",
        "Ed25519 keygen [openssl]",
    ]
    assert result.complete and result.command == ("test",)
    assert events[0] == (0, 2, "X25519 keygen [openssl]") and events[-1] == (2, 2, "")
    assert result.machine.python_version
    assert any(s.name == "openssl" and s.available for s in result.backends)
    assert result.packages["cryptography"]
    assert result.timer.empty_call_ns > 0


def _fake_case(spec: CaseSpec, complete: bool = True) -> CaseResult:
    from tests.bench.conftest import make_case

    return replace(
        make_case(spec.algorithm.name, spec.op, [1000, 1100, 1200], kind=spec.algorithm.kind),
        complete=complete,
    )


def test_interrupt_keeps_finished_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def runner(spec: CaseSpec, workload: Workload, settings: Settings) -> CaseResult:
        calls.append(spec.label)
        if len(calls) == 3:
            raise CaseInterrupted(_fake_case(spec, complete=False))
        return _fake_case(spec)

    monkeypatch.setattr(engine, "time_case", runner)
    plan = plan_cases(["X25519", "Ed25519"], ["openssl"])
    with pytest.raises(BenchInterrupted) as caught:
        run_bench(plan, TINY)
    result = caught.value.result
    assert not result.complete
    assert len(result.cases) == 3
    assert [c.complete for c in result.cases] == [True, True, False]
    assert isinstance(caught.value, KeyboardInterrupt)


def test_a_failing_case_is_skipped_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from pqc.errors import BackendError

    def runner(spec: CaseSpec, workload: Workload, settings: Settings) -> CaseResult:
        if spec.op == "encaps":
            raise BackendError("broken encaps")
        return _fake_case(spec)

    monkeypatch.setattr(engine, "time_case", runner)
    result = run_bench(plan_cases(["X25519"], ["openssl"]), TINY)
    assert [c.op for c in result.cases] == ["keygen", "decaps"]
    assert result.skipped == ("X25519 encaps [openssl]: broken encaps",)


def test_interrupt_inside_the_loop_keeps_partial_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = CaseSpec(lookup("X25519"), "openssl", "keygen")
    workload = Workload.for_spec(spec, key_pool=1, input_pool=1)
    real = engine.time_calls
    count = {"n": 0}

    def interrupting(fn: object, args: object, out: list[int]) -> None:
        count["n"] += 1
        if len(args) >= TINY.min_samples:  # type: ignore[arg-type]  # the timed loop
            out.extend([100, 200])
            raise KeyboardInterrupt
        real(fn, args, out)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "time_calls", interrupting)
    with pytest.raises(CaseInterrupted) as caught:
        time_case(spec, workload, TINY)
    partial = caught.value.partial
    assert partial is not None and not partial.complete
    assert partial.samples_ns == (100, 200)
    assert any("interrupted" in w for w in partial.warnings)


def test_empty_plan_is_refused() -> None:
    with pytest.raises(InvalidArgumentError):
        plan_cases(["ML-KEM-768"], ops=["sign"])
    assert Plan(()).cases == ()


class _ColdStart:
    """A test double for a workload whose first call is slow (a library's lazy start-up)."""

    def __init__(self, first_ns: int) -> None:
        from pqc import kem

        self.impl = kem("X25519", "openssl")
        self.first_ns = first_ns
        self.count = 0

    def _call(self) -> None:
        self.count += 1
        if self.count == 1:
            deadline = time.perf_counter_ns() + self.first_ns
            while time.perf_counter_ns() < deadline:
                pass

    def calls(self, op: str) -> Calls:
        return Calls(self._call, ((),), "no input")


def test_a_cold_first_call_does_not_shrink_the_sample_count() -> None:
    # Before the fix: warm-up median (20 ms + ~0) / 2 -> 0.08 s / 10 ms = 8 samples, not 600.
    spec = CaseSpec(lookup("X25519"), "openssl", "keygen")
    settings = default_settings(quick=True)
    double = _ColdStart(first_ns=20_000_000)
    case = time_case(spec, double, settings)  # type: ignore[arg-type]
    assert case.stats.n == settings.max_samples


class _Counting:
    """A workload double whose one call counts itself (no inputs)."""

    def __init__(self) -> None:
        from pqc import kem

        self.impl = kem("X25519", "openssl")
        self.count = 0

    def _call(self) -> None:
        self.count += 1

    def calls(self, op: str) -> Calls:
        return Calls(self._call, ((),), "no input")


def test_slices_share_the_sample_count_and_warm_up_once() -> None:
    spec = CaseSpec(lookup("X25519"), "openssl", "keygen")
    settings = replace(TINY, seconds=10.0, max_samples=40, warmup_calls=3)
    double = _Counting()
    timer = CaseTimer(spec, double, settings, slices=4)  # type: ignore[arg-type]
    pieces = [timer.time_slice() for _ in range(4)]
    assert timer.finished
    assert [p.samples for p in pieces] == [10, 10, 10, 10]  # the cap, a quarter a slice
    assert all(p.median_ns > 0 for p in pieces)
    case = timer.result()
    assert case.stats.n == 40 and case.warmup_calls == 3
    assert double.count == 43


def test_a_case_with_fewer_samples_than_slices_spreads_them_and_leaves_slices_empty() -> None:
    spec = CaseSpec(lookup("X25519"), "openssl", "keygen")
    settings = replace(TINY, seconds=1e-9, min_samples=2, warmup_calls=1)
    timer = CaseTimer(spec, _Counting(), settings, slices=4)  # type: ignore[arg-type]
    pieces = [timer.time_slice() for _ in range(4)]
    assert [p.samples for p in pieces] == [1, 0, 1, 0]
    assert timer.result().stats.n == 2


def test_one_slice_is_time_case() -> None:
    spec = CaseSpec(lookup("Ed25519"), "openssl", "sign")
    workload = Workload.for_spec(spec, key_pool=1, input_pool=1)
    settings = replace(TINY, seconds=10.0, max_samples=30)
    timer = CaseTimer(spec, workload, settings)
    assert timer.time_slice().samples == 30 and timer.finished
    assert time_case(spec, workload, settings).stats.n == timer.result().stats.n == 30


def test_passes_are_validated_and_run_bench_records_one() -> None:
    assert default_settings().passes == DEFAULT_PASSES[False] > 1
    assert default_settings(quick=True).passes == DEFAULT_PASSES[True] > 1
    with pytest.raises(InvalidArgumentError, match="--passes must be between 1 and"):
        default_settings(passes=0)
    plan = plan_cases(["X25519"], ["openssl"], ["keygen"])
    assert run_bench(plan, TINY).settings.passes == 1  # in one process: each case in one go
