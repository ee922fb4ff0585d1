"""Runs in worker processes: interleaving, drift probes, crashes, hangs, Ctrl-C, the cwd."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from pqc.bench.cases import plan_cases
from pqc.bench.engine import BenchInterrupted, default_settings
from pqc.bench.results import dumps_result, loads_result
from pqc.bench.runner import per_run_settings, run_bench_in_workers, run_orders
from pqc.bench.workers import worker_command, worker_path
from pqc.errors import WorkerError

TINY = replace(
    default_settings(runs=3), seconds=0.003, min_samples=3, max_samples=60, key_pool=1,
    input_pool=2, passes=4,
)  # fmt: skip
PLAN = plan_cases(["X25519", "Ed25519"], ["openssl"], ["keygen"])


def _double(crash_on: str | None = None, action: str = "segfault") -> object:
    """A worker command whose worker misbehaves when it reaches the case ``crash_on``."""
    code = (
        "import json, os, signal, sys, time; sys.path[:] = json.loads(sys.argv[1]); "
        "from pqc.bench import worker; real = worker.new_timer\n"
        "def double(spec, workload, settings):\n"
        f"    if spec.label == {crash_on!r}:\n"
        f"        os.kill(os.getpid(), signal.SIGSEGV) if {action!r} == 'segfault' "
        "else time.sleep(600)\n"
        "    return real(spec, workload, settings)\n"
        "worker.new_timer = double\n"
        "raise SystemExit(worker.main(sys.argv[2:]))"
    )

    def command(fd: int) -> Sequence[str]:
        return [sys.executable, "-P", "-c", code, json.dumps(worker_path()), str(fd)]

    return command


def test_each_run_visits_the_cases_in_its_own_rotated_order() -> None:
    orders = run_orders(6, 3)
    assert orders == ((0, 1, 2, 3, 4, 5), (2, 3, 4, 5, 0, 1), (4, 5, 0, 1, 2, 3))
    for case in range(6):  # each case early, midway and late once
        assert sorted(order.index(case) for order in orders) in ([0, 2, 4], [1, 3, 5])
    assert run_orders(3, 1) == ((0, 1, 2),)


def test_runs_share_the_budget() -> None:
    full = default_settings(runs=10)
    share = per_run_settings(full)
    assert share.seconds == pytest.approx(full.seconds / 10)
    assert share.max_samples == full.max_samples // 10 and share.min_samples == 1
    assert share.key_pool == 1 and share.input_pool == 2
    assert per_run_settings(replace(full, runs=1)) == replace(full, runs=1)


def test_three_runs_in_workers_keep_every_run() -> None:
    result = run_bench_in_workers(PLAN, TINY, command=["test"])
    assert result.complete and result.settings.runs == 3
    assert [c.label for c in result.cases] == [s.label for s in PLAN.cases]
    assert len(result.runs) == 3
    for record, order in zip(result.runs, run_orders(2, 3), strict=True):
        assert record.order == tuple(PLAN.cases[i].label for i in order)
        # before every slice (each case once a pass) and after the last
        assert len(record.probes_ns) == 2 * TINY.passes + 1
        assert record.drift is not None and record.drift.median_ns > 0
        assert record.workers == 1 and record.complete and not record.errors
    for case in result.cases:
        assert [run.run for run in case.runs] == [0, 1, 2]
        assert sum(run.samples for run in case.runs) == len(case.samples_ns)
        for index, run in enumerate(case.runs):
            own = case.run_samples(index)
            assert len(own) == run.samples >= 1
            assert result.runs[run.run].order[run.position] == case.label
            assert run.probe_before_ns and run.probe_after_ns
            assert 1 <= run.slices <= TINY.passes
            assert (run.adjusted is not None) == (run.slices > 1)
        assert case.across_runs is not None and case.across_runs.runs == 3
        assert case.centre_ns == sorted(case.run_medians)[1]
    assert loads_result(dumps_result(result)) == result


def test_a_crashing_worker_costs_only_its_case() -> None:
    one = replace(TINY, runs=1)
    plan = plan_cases(["X25519"], ["openssl"])
    result = run_bench_in_workers(plan, one, worker=_double("X25519 encaps [openssl]"))
    assert [c.op for c in result.cases] == ["keygen", "decaps"]
    (skip,) = [s for s in result.skipped if "encaps" in s]
    assert "crashed with SIGSEGV while timing it" in skip and "every run" in skip
    assert result.runs[0].workers == 2 and result.complete


def test_a_hanging_worker_is_killed_after_the_timeout() -> None:
    plan = plan_cases(["X25519"], ["openssl"], ["keygen", "encaps", "decaps"])
    one = replace(TINY, runs=1)
    result = run_bench_in_workers(
        plan, one, worker=_double("X25519 encaps [openssl]", "hang"), timeout=1.5
    )
    assert [c.op for c in result.cases] == ["keygen", "decaps"]  # a new worker did decaps
    assert any("hung (no result for 1.5 s; killed)" in s for s in result.skipped)
    assert result.runs[0].workers == 2


def test_a_worker_that_cannot_start_is_a_clear_error() -> None:
    def broken(fd: int) -> Sequence[str]:
        return [sys.executable, "-c", "import sys; sys.stderr.write('no module x\\n'); exit(3)"]

    with pytest.raises(WorkerError, match=r"exited with status 3.*no module x"):
        run_bench_in_workers(PLAN, replace(TINY, runs=1), worker=broken)


def test_a_worker_that_stops_starting_later_keeps_what_was_timed() -> None:
    calls = {"n": 0}

    def second_fails(fd: int) -> Sequence[str]:
        calls["n"] += 1
        if calls["n"] == 1:
            return worker_command(fd)
        return [sys.executable, "-c", "import sys; sys.stderr.write('disk full\\n'); exit(3)"]

    result = run_bench_in_workers(PLAN, replace(TINY, runs=2), worker=second_fails)
    assert [len(c.runs) for c in result.cases] == [1, 1]
    assert all(any("run 2: a benchmark worker exited with status 3" in w for w in c.warnings)
               for c in result.cases)  # fmt: skip
    assert result.runs[1].errors and result.complete


def test_a_worker_running_another_pqc_is_refused() -> None:
    def foreign(fd: int) -> Sequence[str]:
        code = (
            "import os, sys; out = os.fdopen(int(sys.argv[1]), 'w'); "
            "out.write('{\"event\": \"hello\", \"pqc\": \"/elsewhere/pqc\"}\\n'); out.flush()"
        )
        return [sys.executable, "-c", code, str(fd)]

    with pytest.raises(WorkerError, match="imported pqc from /elsewhere/pqc"):
        run_bench_in_workers(PLAN, replace(TINY, runs=1), worker=foreign)


def test_ctrl_c_keeps_what_finished() -> None:
    ticks: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        ticks.append(done)
        if len(ticks) == 4:  # the second case of the second run starts
            raise KeyboardInterrupt

    with pytest.raises(BenchInterrupted) as caught:
        run_bench_in_workers(PLAN, replace(TINY, runs=2, passes=1), progress=progress)
    result = caught.value.result
    assert not result.complete
    # asked to stop, the worker finishes the case under way and reports it
    assert [len(c.runs) for c in result.cases] == [2, 2]
    assert [r.complete for r in result.runs] == [True, False]
    assert all(c.complete for c in result.cases)


def test_ctrl_c_in_passes_keeps_what_the_run_under_way_timed() -> None:
    ticks: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, label: str) -> None:
        ticks.append((done, total, label))
        if "run 2/2: pass 2/" in label:  # the second run has timed a slice of every case
            raise KeyboardInterrupt

    with pytest.raises(BenchInterrupted) as caught:
        run_bench_in_workers(PLAN, replace(TINY, runs=2), progress=progress)
    result = caught.value.result
    assert not result.complete and [r.complete for r in result.runs] == [True, False]
    assert [len(c.runs) for c in result.cases] == [2, 2]
    assert all(c.runs[0].slices == TINY.passes and c.runs[0].complete for c in result.cases)
    # the run under way: a slice or more of each (the worker may run ahead of the parent
    # before the stop reaches it)
    assert all(1 <= c.runs[1].slices <= TINY.passes for c in result.cases)
    assert ticks[0][1] == len(PLAN.cases) * 2 * TINY.passes  # progress counts slices
    assert [done for done, _, _ in ticks] == sorted(done for done, _, _ in ticks)


def test_a_pqc_folder_in_the_working_directory_does_not_shadow_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "pqc"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('the wrong pqc')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", *sys.path])  # as `python -m` would have it
    result = run_bench_in_workers(PLAN, replace(TINY, runs=1))
    assert len(result.cases) == 2 and not result.skipped



def test_a_slice_is_adjusted_by_the_probes_either_side_of_it() -> None:
    from pqc.bench.runner import TimedSlice, slices_from_event, speed_adjusted_value

    slices = slices_from_event([[10, 2000.0, 400, 900], [0, 0.0, 900, 800], [10, 1800.0, 800, 450]])
    assert slices[1] == TimedSlice(0, 0.0, 900, 800)
    # (2000 / sqrt(400 * 900)) and (1800 / sqrt(800 * 450)): 2000/600 and 1800/600; the empty
    # slice is left out
    expected = (2000 / 600 * 1800 / 600) ** 0.5
    assert speed_adjusted_value(slices) == pytest.approx(expected)
    assert speed_adjusted_value([TimedSlice(3, 100.0, None, 50)]) is None
    assert speed_adjusted_value([TimedSlice(0, 0.0, 1, 1)]) is None
    with pytest.raises(WorkerError, match="slices pqc cannot read"):
        slices_from_event([[1, 2]])


def test_the_worker_times_every_case_once_a_pass_between_probes() -> None:
    from pqc.bench.worker import run_job
    from pqc.jsondata import to_data

    events: list[dict[str, object]] = []
    settings = replace(per_run_settings(TINY), passes=3)
    job = {"settings": to_data(settings), "order": [1, 0],
           "cases": [[s.algorithm.name, s.backend, s.op] for s in PLAN.cases]}  # fmt: skip
    run_job(job, lambda event, **data: events.append({"event": event, **data}))  # type: ignore[arg-type]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "hello" and kinds[-1] == "done"
    starts = [(e["case"], e["pass"]) for e in events if e["event"] == "start"]
    assert starts == [(1, 0), (0, 0), (1, 1), (0, 1), (1, 2), (0, 2)]
    probes = [e["ns"] for e in events if e["event"] == "probe"]
    assert len(probes) == 7  # before each slice and after the last
    reported = [e for e in events if e["event"] == "case"]
    assert [e["case"] for e in reported] == [1, 0]  # each after its last slice and probe
    for event in reported:
        first = starts.index((event["case"], 0))
        spans = [[probes[first + 2 * k], probes[first + 2 * k + 1]] for k in range(3)]
        assert [s[2:] for s in event["slices"]] == spans  # type: ignore[attr-defined]


def test_a_slow_case_skips_its_empty_slices_without_probing() -> None:
    from pqc.bench.worker import run_job
    from pqc.jsondata import to_data

    events: list[dict[str, object]] = []
    settings = replace(per_run_settings(TINY), passes=4, seconds=1e-9, min_samples=1,
                       max_samples=1, warmup_calls=1)  # fmt: skip
    job = {"settings": to_data(settings), "order": [0, 1],
           "cases": [[s.algorithm.name, s.backend, s.op] for s in PLAN.cases]}  # fmt: skip
    run_job(job, lambda event, **data: events.append({"event": event, **data}))  # type: ignore[arg-type]
    starts = [(e["case"], e["pass"]) for e in events if e["event"] == "start"]
    assert starts == [(0, 0), (1, 0), (0, 3), (1, 3)]  # passes 2 and 3 hold no sample
    assert sum(e["event"] == "probe" for e in events) == 5
    reported = [e for e in events if e["event"] == "case"]
    assert [len(e["slices"]) for e in reported] == [2, 2]  # type: ignore[arg-type]
    assert [[s[0] for s in e["slices"]] for e in reported] == [[1, 0], [1, 0]]  # type: ignore[attr-defined]
