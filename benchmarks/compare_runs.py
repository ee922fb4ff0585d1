"""Does `pqc compare` hold? False positives, power and wall time of run-level comparison.

Prints, in one run on one machine:

(a) false positives: two identical back-to-back ``pqc bench --quick``
    invocations, compared. "Old": two single-process files (``--runs 1``)
    judged as `pqc compare` did before runs (Mann-Whitney on every call of
    each file as if independent, and a bootstrap interval excluding 1).
    "New": two files at the default ``--runs``, judged on run medians
    (Welch's t on logs, below ``--min-effect`` = same). A false positive is
    a case called faster or slower. Also: the spread of B/A between the
    identical files (what ``--min-effect`` must cover), and the new method's
    false-positive rate at other minimum effects;
(b) power: `pqc bench`'s default plan and settings (``--power-plan small``: ML-KEM-768's
    three operations on its first available backend and X25519 on OpenSSL, at --quick
    settings) timed in pairs of invocations; in B, ML-KEM-768 encaps is made 10% slower
    on purpose by a test double in the worker: after every call it does a fixed amount
    of extra work (a pure-Python integer loop; fixed work, like a real regression, so it
    slows down and speeds up with the machine), its size calibrated in this process to
    10% of the operation's time (interleaved rounds, median ratio). The share of repeats
    in which `pqc compare` calls it "slower" is the power, judged with and without the
    speed adjustment on the same files; the other cases of the same files give more
    false positives. Then an exact +10% planted in the recorded run medians of the
    unplanted files (both ways round; every case, and the well-sampled ones). Then the
    same double under callgrind, its loop calibrated to 10% of the call's instructions:
    the instruction-count verdict on repeated counts;
(f) the wall time of ``pqc bench --quick`` and ``pqc bench`` at the default
    ``--runs``.

Usage: ``python benchmarks/compare_runs.py [--pairs 2] [--repeats 3] [--power-plan full|small]
[--power-runs 10] [--count-repeats 2] [--skip-full]`` (about 12 minutes by default).
Quote the table with the load average it prints (timings on a loaded machine
move between runs far more than on an idle one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pqc
from pqc.bench import instructions
from pqc.bench.cases import Plan, plan_cases
from pqc.bench.compare import InstructionComparison, compare_by_samples, compare_results
from pqc.bench.engine import DEFAULT_RUNS, default_settings
from pqc.bench.results import BenchResult, read_result
from pqc.bench.runner import run_bench_in_workers
from pqc.bench.workers import WorkerCommand, worker_path

MIN_EFFECTS = (0.0, 0.02, 0.05, 0.10)
PLANTED = 0.10


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} CPUs"


def _bench(args: Sequence[str], out: Path) -> float:
    """Run `pqc bench ARGS --json OUT` in a fresh interpreter; its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pqc", "bench", *args, "--json", str(out)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def _called(verdicts: Sequence[str]) -> int:
    return sum(v in ("faster", "slower") for v in verdicts)


# ---------------------------------------------------------------- (a)
def false_positives(pairs: int, folder: Path) -> tuple[dict[str, float], list[float]]:
    """Old and new false-positive rates over ``pairs`` identical pairs; quick wall times."""
    old_calls = old_total = 0
    new_calls = {(effect, adjust): 0 for effect in MIN_EFFECTS for adjust in (True, False)}
    new_total = 0
    spread: dict[bool, list[float]] = {True: [], False: []}
    quick_times: list[float] = []
    quick_pairs: list[tuple[BenchResult, BenchResult]] = []
    for pair in range(pairs):
        old = [folder / f"old-{pair}-{side}.json" for side in "ab"]
        new = [folder / f"new-{pair}-{side}.json" for side in "ab"]
        for path in old:
            _bench(["--quick", "--runs", "1"], path)
        for path in new:
            quick_times.append(_bench(["--quick"], path))
        a, b = (read_result(p) for p in old)
        in_b = {c.key: c for c in b.cases}
        verdicts = [compare_by_samples(c, in_b[c.key]) for c in a.cases if c.key in in_b]
        old_calls += _called(verdicts)
        old_total += len(verdicts)
        a, b = (read_result(p) for p in new)
        for effect, adjust in new_calls:
            comparison = compare_results(a, b, min_effect=effect, adjust=adjust)
            new_calls[effect, adjust] += _called([c.verdict for c in comparison.cases])
        new_total += len(compare_results(a, b).cases)
        quick_pairs.append((a, b))
        for adjust in (True, False):
            judged = compare_results(a, b, adjust=adjust).cases
            spread[adjust] += [abs(c.ratio - 1.0) for c in judged]
    rates = {"old": old_calls / max(old_total, 1), "cases": new_total / max(pairs, 1)}
    exact = exact_power(quick_pairs)
    rates["exact_adjusted"], rates["exact_raw"] = exact["adjusted"], exact["raw"]
    for (effect, adjust), calls in new_calls.items():
        rates[f"new@{effect:g}{'' if adjust else ' raw'}"] = calls / max(new_total, 1)
    for adjust, values in spread.items():
        values.sort()
        suffix = "" if adjust else " raw"
        rates["p50_spread" + suffix] = values[len(values) // 2] if values else 0.0
        rates["p95_spread" + suffix] = values[int(0.95 * (len(values) - 1))] if values else 0.0
    return rates, quick_times


# ---------------------------------------------------------------- (b)
EXTRA = """
def extra_work(size):
    total = 0
    for i in range(size):
        total = (total * 7 + i) & 255
    return total
"""
"""The planted regression: fixed work, a pure-Python integer loop of ``size`` steps (its fixed
cost, one call, is far below 10% of the operation; SHA-256 of a buffer cost more than that
before its first byte)."""
CALIBRATION_SIZE = 200
"""Steps in the second calibration point: few enough that the loop counter stays a cached
small int, as it does in the planted loop (larger counters allocate and cost more a step)."""
_namespace: dict[str, Any] = {}
exec(EXTRA, _namespace)
extra_work: Callable[[int], int] = _namespace["extra_work"]


def _solve(base: float, at_zero: float, at_size: float) -> int:
    """Loop steps of extra work that make ``base`` PLANTED larger, from two calibration points."""
    per_byte = (at_size - at_zero) / CALIBRATION_SIZE
    return max(0, round((PLANTED * base - (at_zero - base)) / per_byte))


_DOUBLE = """
import json, sys
sys.path[:] = json.loads(sys.argv[1])
from pqc.bench import cases, worker
TARGET, SIZE = {target!r}, {size}
{extra}
real_calls = cases.Workload.calls

def calls(self, op):
    found = real_calls(self, op)
    if (self.impl.name, self.impl.backend, op) != TARGET:
        return found
    fn = found.fn

    def slowed(*args):
        result = fn(*args)
        extra_work(SIZE)
        return result

    return cases.Calls(slowed, found.pool, found.inputs, found.message_size)

cases.Workload.calls = calls
raise SystemExit(worker.main(sys.argv[2:]))
"""

_COUNTED_DOUBLE = """
import sys
from pqc.bench import instructions
TARGET, SIZE = {target!r}, {size}
{extra}
real_inputs = instructions.inputs

def inputs(impl, op, calls):
    method, arguments = real_inputs(impl, op, calls)
    if (impl.name, impl.backend, op) != TARGET:
        return method, arguments

    def slowed(*args):
        result = method(*args)
        extra_work(SIZE)
        return result

    return slowed, arguments

instructions.inputs = inputs
raise SystemExit(instructions._main(sys.argv[1:]))
"""


def _slowed_worker(target: tuple[str, str, str], size: int) -> WorkerCommand:
    code = _DOUBLE.format(target=target, size=size, extra=EXTRA)

    def command(fd: int) -> list[str]:
        return [sys.executable, "-P", "-c", code, json.dumps(worker_path()), str(fd)]

    return command


def _per_call_ns(fn: Callable[..., object], arguments: Sequence[tuple[Any, ...]]) -> float:
    clock = time.perf_counter_ns
    times = []
    for args in arguments:
        start = clock()
        fn(*args)
        times.append(clock() - start)
    return float(statistics.median(times))


def calibrate_time(target: tuple[str, str, str], rounds: int = 21, calls: int = 200) -> int:
    """Loop steps of extra work that take PLANTED of the target's time: the operation alone and
    with the double's extra work at two sizes, each round solved on its own, the median."""
    impl = pqc.api.implementation(target[0], target[1])
    _, arguments = instructions.inputs(impl, target[2], calls)
    hook = impl.timed_operations()[target[2]]

    def slowed(size: int) -> Callable[..., object]:
        def call(*args: Any) -> object:
            result = hook(*args)
            extra_work(size)
            return result

        return call

    functions = (hook, slowed(0), slowed(CALIBRATION_SIZE))
    estimates = []  # one a round: the machine's speed moves between rounds, less within one
    for _ in range(rounds):
        base, zero, sized = (_per_call_ns(fn, arguments) for fn in functions)
        estimates.append(_solve(base, zero, sized))
    return round(statistics.median(estimates))


def scaled(result: BenchResult, factor: float) -> BenchResult:
    """``result`` with every case's run medians times ``factor``: an exact slow-down planted
    in real recorded runs (their between-run noise, their drift probes, kept as measured)."""
    cases = tuple(
        replace(case, runs=tuple(
            replace(run, median_ns=run.median_ns * factor,
                    adjusted=None if run.adjusted is None else run.adjusted * factor)
            for run in case.runs), across_runs=None)
        for case in result.cases
    )  # fmt: skip
    return replace(result, cases=cases)


WELL_SAMPLED = 50
"""Samples a run at least, for a case's run median to be a median (not one RSA keygen)."""


def _well_sampled(case: Any) -> bool:
    return min((run.samples for run in case.runs), default=0) >= WELL_SAMPLED


def exact_power(pairs: Sequence[tuple[BenchResult, BenchResult]]) -> dict[str, float]:
    """Share of cases called "slower" when B is A's identical twin made exactly PLANTED slower
    (both ways round: A against B slowed, B against A slowed); also over the well-sampled
    cases only (>= WELL_SAMPLED samples in every run)."""
    out: dict[str, float] = {}
    both = [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
    for adjust in (True, False):
        key = "adjusted" if adjust else "raw"
        verdicts, sampled = [], []
        for a, b in both:
            cases_a = {c.key: c for c in a.cases}
            for c in compare_results(a, scaled(b, 1.0 + PLANTED), adjust=adjust).cases:
                verdicts.append(c.verdict)
                if _well_sampled(cases_a[(c.algorithm, c.backend, c.op)]):
                    sampled.append(c.verdict)
        out[key] = verdicts.count("slower") / max(len(verdicts), 1)
        out[key + "_sampled"] = sampled.count("slower") / max(len(sampled), 1)
        out["cases"], out["cases_sampled"] = len(verdicts), len(sampled)
    return out


def power(repeats: int, runs: int, size: int, target: tuple[str, str, str],
          plan: Plan, *, quick: bool) -> dict[str, dict[str, float]]:
    """Share of repeats in which the planted slow-down is called "slower", raw and adjusted."""
    settings = default_settings(quick=quick, runs=runs)
    found = {adjust: {"detected": 0, "others": 0, "others_called": 0, "ratios": []}
             for adjust in (True, False)}  # fmt: skip
    unplanted: list[BenchResult] = []
    for _ in range(repeats):
        a: BenchResult = run_bench_in_workers(plan, settings)
        unplanted.append(a)
        b = run_bench_in_workers(plan, settings, worker=_slowed_worker(target, size))
        for adjust, tally in found.items():
            for item in compare_results(a, b, adjust=adjust).cases:
                if (item.algorithm, item.backend, item.op) == target:
                    tally["detected"] += item.verdict == "slower"
                    tally["ratios"].append(item.ratio)
                else:
                    tally["others"] += 1
                    tally["others_called"] += item.verdict in ("faster", "slower")
    out = {}
    for adjust, tally in found.items():
        ratios = sorted(tally["ratios"])
        out["adjusted" if adjust else "raw"] = {
            "power": tally["detected"] / repeats,
            "median_ratio": ratios[len(ratios) // 2],
            "others_fp": tally["others_called"] / max(tally["others"], 1),
        }
    out["exact"] = exact_power(list(itertools.pairwise(unplanted)))
    out["settings"] = {"passes": settings.passes, "seconds": settings.seconds}
    return out


def counted_power(repeats: int, target: tuple[str, str, str]) -> dict[str, Any]:
    """The double under callgrind, calibrated to PLANTED of the call's instructions."""
    goal = instructions.Target(*target)

    def call_counts(size: int | None) -> instructions.Counts:
        child = instructions.CHILD
        if size is not None:
            child = ("-c", _COUNTED_DOUBLE.format(target=target, size=size, extra=EXTRA))
        counts = instructions.count([goal], child=child)[goal].call
        assert counts is not None
        return counts

    plain = call_counts(None)
    size = _solve(plain.median, call_counts(0).median, call_counts(CALIBRATION_SIZE).median)
    verdicts, ratios, repeated = [], [], []
    for _ in range(repeats):
        a, b = call_counts(None), call_counts(size)
        repeated.append(a.median)
        comparison = InstructionComparison(
            "call", a.median, b.median, (a.min, a.max), (b.min, b.max)
        )
        verdicts.append(comparison.verdict)
        ratios.append(comparison.ratio)
    return {"repeats": repeats, "detected": verdicts.count("slower") / repeats,
            "ratios": ratios, "plain": [plain.median, *repeated], "size": size}  # fmt: skip


def _plan(backend: str, which: str) -> Plan:
    """The default plan of `pqc bench` ("full"), or ML-KEM-768 and X25519 only ("small")."""
    if which == "full":
        return plan_cases((), (), (), include=tuple(default_settings().baselines.values()))
    plan = plan_cases(["ML-KEM-768", "X25519"], [], [])
    return replace(plan, cases=tuple(
        c for c in plan.cases
        if (c.algorithm.name, c.backend) in (("ML-KEM-768", backend), ("X25519", "openssl"))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2, help="identical pairs for (a)")
    parser.add_argument("--repeats", type=int, default=3, help="planted repeats for (b)")
    parser.add_argument("--power-plan", choices=("full", "small"), default="full",
                        help="(b) on `pqc bench`'s default plan and settings (full), or on "
                        "ML-KEM-768 and X25519 alone at --quick settings (small)")
    parser.add_argument("--power-runs", type=int, nargs="+",
                        help="--runs of each file in (b) (default: the full default; small: "
                        "the quick and full defaults)")
    parser.add_argument("--count-repeats", type=int, default=2,
                        help="repeated callgrind counts in (b); 0 skips them")
    parser.add_argument("--skip-full", action="store_true", help="skip timing `pqc bench`")
    args = parser.parse_args()
    print(f"pqc {pqc.__version__}; {_load()} at start")
    backend = pqc.available_backends("ML-KEM-768")[0]
    target = ("ML-KEM-768", backend, "encaps")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rates, quick_times = false_positives(args.pairs, folder)
        size = calibrate_time(target)
        small = args.power_plan == "small"
        power_runs = args.power_runs or (
            [DEFAULT_RUNS[True], DEFAULT_RUNS[False]] if small else [DEFAULT_RUNS[False]])
        found = {runs: power(args.repeats, runs, size, target, _plan(backend, args.power_plan),
                             quick=small)
                 for runs in power_runs}  # fmt: skip
        counted = counted_power(args.count_repeats, target) if args.count_repeats else None
        full = None if args.skip_full else _bench([], folder / "full.json")
    quick, full_runs = DEFAULT_RUNS[True], DEFAULT_RUNS[False]
    print(f"\n(a) false positives, {args.pairs} identical pair(s) of `pqc bench --quick` "
          f"({rates['cases']:.0f} cases a pair)")
    print("| method | runs a file | cases called faster/slower |")
    print("|---|---:|---:|")
    print(f"| old: Mann-Whitney on calls + bootstrap | 1 | {rates['old']:.0%} |")
    for adjust in ("", " raw"):
        for effect in MIN_EFFECTS:
            mark = " (default)" if effect == 0.05 and not adjust else ""
            how = "raw run medians" if adjust else "speed-adjusted run medians"
            print(f"| new: Welch on log {how}, min-effect {effect:.0%}{mark} | {quick} | "
                  f"{rates[f'new@{effect:g}{adjust}']:.0%} |")
    for adjust, how in (("", "speed-adjusted"), (" raw", "raw")):
        print(f"B/A between identical files ({how}): median |B/A - 1| "
              f"{rates['p50_spread' + adjust]:.1%}, 95th percentile "
              f"{rates['p95_spread' + adjust]:.1%}")
    print(f"The same pairs with B's run medians made exactly {PLANTED:.0%} slower, every case: "
          f"called slower in {rates['exact_adjusted']:.0%} (speed-adjusted), "
          f"{rates['exact_raw']:.0%} (raw)")
    plan_text = ("`pqc bench`'s default plan and settings" if not small
                 else "ML-KEM-768 and X25519 alone, --quick settings")
    passes = next(iter(found.values()))["settings"]["passes"]
    print(f"\n(b) power: {' '.join(target)} +{PLANTED:.0%} of its time (fixed work after "
          f"each call: a Python loop of {size:,} steps), {args.repeats} repeats a row, "
          f"{plan_text}, {passes:.0f} passes")
    print("| judged on | runs a file | detected as slower | median B/A | "
          "other cases called faster/slower |")
    print("|---|---:|---:|---:|---:|")
    for runs, by in found.items():
        for how in ("adjusted", "raw"):
            row = by[how]
            print(f"| {'speed-adjusted' if how == 'adjusted' else 'raw'} run medians | {runs} | "
                  f"{row['power']:.0%} | {row['median_ratio']:.3f} | {row['others_fp']:.0%} |")
    print(f"\nExactly +{PLANTED:.0%} planted in the recorded run medians of consecutive unplanted "
          "files of (b), both ways round (every case; their real between-run noise and drift "
          f"probes); well-sampled: >= {WELL_SAMPLED} samples in every run")
    print("| runs a file | cases | called slower, speed-adjusted | raw | well-sampled cases | "
          "called slower, speed-adjusted | raw |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for runs, by in found.items():
        e = by["exact"]
        if not e:
            continue
        print(f"| {runs} | {e['cases']:.0f} | {e['adjusted']:.0%} | {e['raw']:.0%} | "
              f"{e['cases_sampled']:.0f} | {e['adjusted_sampled']:.0%} | {e['raw_sampled']:.0%} |")
    if counted is not None:
        ratios = ", ".join(f"{r:.4f}" for r in counted["ratios"])
        plain = sorted(set(counted["plain"]))
        print(f"| instructions per call (callgrind; a loop of {counted['size']:,} steps "
              f"= {PLANTED:.0%} of the call) | - | {counted['detected']:.0%} | {ratios} | - |")
        print(f"Unplanted counts over {len(counted['plain'])} counts: "
              f"{', '.join(f'{v:,.0f}' for v in plain)} "
              f"({'identical' if len(plain) == 1 else 'not identical'})")
    print("\n(f) wall time at the default --runs")
    print("| command | runs | seconds |")
    print("|---|---:|---:|")
    print(f"| pqc bench --quick | {quick} | {', '.join(f'{t:.1f}' for t in quick_times)} |")
    if full is not None:
        print(f"| pqc bench | {full_runs} | {full:.1f} |")
    print(f"\n{_load()} at the end")


if __name__ == "__main__":
    main()
