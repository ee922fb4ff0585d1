"""Does `pqc compare` hold? False positives, power and wall time of run-level comparison.

Prints, in one run on one machine (about 3-4 minutes on an idle 2-core machine):

(a) false positives: two identical back-to-back ``pqc bench --quick``
    invocations, compared. "Old": two single-process files (``--runs 1``)
    judged as `pqc compare` did before runs (Mann-Whitney on every call of
    each file as if independent, and a bootstrap interval excluding 1).
    "New": two files at the default ``--runs``, judged on run medians
    (Welch's t on logs, below ``--min-effect`` = same). A false positive is
    a case called faster or slower. Also: the spread of B/A between the
    identical files (what ``--min-effect`` must cover), and the new method's
    false-positive rate at other minimum effects;
(b) power: a small plan (ML-KEM-768's three operations on its first
    available backend, and X25519's) timed in pairs of invocations at the
    default quick ``--runs``; in B, ML-KEM-768 encaps is made 10% slower on
    purpose by a test double in the worker (a spin of exactly 10% of that
    case's median, measured in a first invocation, after every call). The
    share of repeats in which `pqc compare` calls it "slower" is the power;
    the other cases of the same files give more false positives;
(f) the wall time of ``pqc bench --quick`` and ``pqc bench`` at the default
    ``--runs``.

Usage: ``python benchmarks/compare_runs.py [--pairs 2] [--repeats 10] [--power-runs 3]
[--skip-full]``.
Quote the table with the load average it prints (timings on a loaded machine
move between runs far more than on an idle one).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pqc
from pqc.bench.cases import plan_cases
from pqc.bench.compare import compare_by_samples, compare_results
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
    new_calls = {effect: 0 for effect in MIN_EFFECTS}
    new_total = 0
    spread: list[float] = []
    quick_times: list[float] = []
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
        for effect in MIN_EFFECTS:
            comparison = compare_results(a, b, min_effect=effect)
            new_calls[effect] += _called([c.verdict for c in comparison.cases])
        comparison = compare_results(a, b)
        new_total += len(comparison.cases)
        spread += [abs(c.ratio - 1.0) for c in comparison.cases]
    spread.sort()
    rates = {"old": old_calls / max(old_total, 1), "cases": new_total / max(pairs, 1)}
    for effect in MIN_EFFECTS:
        rates[f"new@{effect:g}"] = new_calls[effect] / max(new_total, 1)
    rates["p50_spread"] = spread[len(spread) // 2] if spread else 0.0
    rates["p95_spread"] = spread[int(0.95 * (len(spread) - 1))] if spread else 0.0
    return rates, quick_times


# ---------------------------------------------------------------- (b)
_DOUBLE = """
import json, sys, time
sys.path[:] = json.loads(sys.argv[1])
from pqc.bench import cases, worker
TARGET, EXTRA = {target!r}, {extra_ns}
real_calls = cases.Workload.calls

def calls(self, op):
    found = real_calls(self, op)
    if (self.impl.name, self.impl.backend, op) != TARGET:
        return found
    fn, clock = found.fn, time.perf_counter_ns

    def slowed(*args):
        result = fn(*args)
        deadline = clock() + EXTRA
        while clock() < deadline:
            pass
        return result

    return cases.Calls(slowed, found.pool, found.inputs, found.message_size)

cases.Workload.calls = calls
raise SystemExit(worker.main(sys.argv[2:]))
"""


def _slowed_worker(target: tuple[str, str, str], extra_ns: int) -> WorkerCommand:
    code = _DOUBLE.format(target=target, extra_ns=extra_ns)

    def command(fd: int) -> list[str]:
        return [sys.executable, "-P", "-c", code, json.dumps(worker_path()), str(fd)]

    return command


def power(repeats: int, runs: int) -> dict[str, float]:
    """Share of repeats in which a planted 10% slow-down is called "slower"; FPs beside it."""
    backend = pqc.available_backends("ML-KEM-768")[0]
    plan = plan_cases(["ML-KEM-768", "X25519"], [], [])
    plan = replace(plan, cases=tuple(
        c for c in plan.cases if c.algorithm.name == "X25519" or c.backend == backend))
    settings = default_settings(quick=True, runs=runs)
    target = ("ML-KEM-768", backend, "encaps")
    first = run_bench_in_workers(plan, settings)
    case = next(c for c in first.cases if c.key == target)
    extra_ns = int(PLANTED * case.centre_ns)
    detected = others_called = others = 0
    ratios: list[float] = []
    for _ in range(repeats):
        a: BenchResult = run_bench_in_workers(plan, settings)
        b = run_bench_in_workers(plan, settings, worker=_slowed_worker(target, extra_ns))
        for item in compare_results(a, b).cases:
            if (item.algorithm, item.backend, item.op) == target:
                detected += item.verdict == "slower"
                ratios.append(item.ratio)
            else:
                others += 1
                others_called += item.verdict in ("faster", "slower")
    ratios.sort()
    return {
        "repeats": repeats,
        "runs": settings.runs,
        "planted_ns": extra_ns,
        "median_ns": case.centre_ns,
        "power": detected / repeats,
        "median_ratio": ratios[len(ratios) // 2],
        "others_fp": others_called / max(others, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2, help="identical pairs for (a)")
    parser.add_argument("--repeats", type=int, default=10, help="planted repeats for (b)")
    parser.add_argument("--power-runs", type=int, default=DEFAULT_RUNS[True],
                        help="--runs of each file in (b) (default: the quick default)")
    parser.add_argument("--skip-full", action="store_true", help="skip timing `pqc bench`")
    args = parser.parse_args()
    print(f"pqc {pqc.__version__}; {_load()} at start")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rates, quick_times = false_positives(args.pairs, folder)
        found = power(args.repeats, args.power_runs)
        full = None if args.skip_full else _bench([], folder / "full.json")
    quick, full_runs = DEFAULT_RUNS[True], DEFAULT_RUNS[False]
    print(f"\n(a) false positives, {args.pairs} identical pair(s) of `pqc bench --quick` "
          f"({rates['cases']:.0f} cases a pair)")
    print("| method | runs a file | cases called faster/slower |")
    print("|---|---:|---:|")
    print(f"| old: Mann-Whitney on calls + bootstrap | 1 | {rates['old']:.0%} |")
    for effect in MIN_EFFECTS:
        mark = " (default)" if effect == 0.05 else ""
        print(f"| new: Welch on log run medians, min-effect {effect:.0%}{mark} | {quick} | "
              f"{rates[f'new@{effect:g}']:.0%} |")
    print(f"B/A between identical files: median |B/A - 1| {rates['p50_spread']:.1%}, "
          f"95th percentile {rates['p95_spread']:.1%}")
    print(f"\n(b) power: ML-KEM-768 encaps +{PLANTED:.0%} "
          f"({found['planted_ns'] / 1000:.2f} µs on {found['median_ns'] / 1000:.1f} µs), "
          f"{found['repeats']:.0f} repeats at --runs {found['runs']:.0f}")
    print("| detected as slower | median B/A | other cases called faster/slower |")
    print("|---:|---:|---:|")
    print(f"| {found['power']:.0%} | {found['median_ratio']:.3f} | {found['others_fp']:.0%} |")
    print("\n(f) wall time at the default --runs")
    print("| command | runs | seconds |")
    print("|---|---:|---:|")
    print(f"| pqc bench --quick | {quick} | {', '.join(f'{t:.1f}' for t in quick_times)} |")
    if full is not None:
        print(f"| pqc bench | {full_runs} | {full:.1f} |")
    print(f"\n{_load()} at the end")


if __name__ == "__main__":
    main()
