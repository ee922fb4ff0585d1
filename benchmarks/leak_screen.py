"""How well does `pqc leak` screen at its default budget, on this machine?

Reports, over --runs independent runs of each case (default 10, the cases
interleaved run by run so a noisy minute does not land on one case only):

- detection rate of known leaks: the positive control (early-exit compare,
  default leak) and pure-Python gmssl SM2 key generation (d*G time grows with
  the Hamming weight of d) -- target: >= 9 of 10 runs;
- false-alarm rate on the negative control and on OpenSSL X25519 and
  ML-KEM-768 decapsulation (valid vs random ciphertexts) -- target: <= 1 of 10;
- the wall time of each case (target: < 30 s at the default budget);
- a sweep of the positive control's leak size: the detection rate at each size
  and the leak in ns it amounts to (the mean over runs of the measured
  difference of medians), hence the smallest leak detected in >= 90% of runs.

Usage::

    python benchmarks/leak_screen.py                 # the full version (~25 min)
    python benchmarks/leak_screen.py --runs 3        # a quick check (~8 min)
    python benchmarks/leak_screen.py --runs 2 --sweep 2,4,8 --json leak-screen.json

A "detection" is a `leak` verdict; a "false alarm" is a `leak` verdict too
(`inconclusive` verdicts are counted separately and are neither).
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pqc.bench.machine import collect_machine
from pqc.jsondata import to_data
from pqc.leak import Budget, LeakCase, plan, run_case, run_control
from pqc.leak.controls import DEFAULT_LEAK_BYTES
from pqc.leak.screen import DEFAULT_SECONDS


@dataclass
class Tally:
    """Outcomes of one case over the runs."""

    name: str
    expect: str  # "leak" or "no-leak"
    statuses: list[str] = field(default_factory=list)
    t_values: list[float] = field(default_factory=list)
    differences_ns: list[float] = field(default_factory=list)
    bounds_ns: list[float] = field(default_factory=list)
    samples: list[int] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)

    def add(self, case: LeakCase, wall: float) -> None:
        self.statuses.append(case.verdict.status)
        self.t_values.append(case.dudect.max_abs_t)
        self.differences_ns.append(case.medians.estimate_ns)
        self.bounds_ns.append(case.medians.bound_ns)
        self.samples.append(case.samples)
        self.wall_s.append(wall)

    @property
    def leaks(self) -> int:
        return self.statuses.count("leak")

    @property
    def runs(self) -> int:
        return len(self.statuses)

    @property
    def passed(self) -> bool:
        if self.expect == "leak":
            return self.leaks >= 0.9 * self.runs
        return self.leaks <= 0.1 * self.runs

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "expect": self.expect,
            "runs": self.runs,
            "leak_verdicts": self.leaks,
            "inconclusive_verdicts": self.statuses.count("inconclusive"),
            "passed": self.passed,
            "statuses": self.statuses,
            "max_abs_t": self.t_values,
            "median_difference_ns": self.differences_ns,
            "bound_ns": self.bounds_ns,
            "samples": self.samples,
            "wall_s": self.wall_s,
        }


def _timed(run: Callable[[], LeakCase]) -> tuple[LeakCase, float]:
    start = time.perf_counter()
    case = run()
    return case, time.perf_counter() - start


def _case(
    algorithm: str, backend: str, op: str, classes: str | None = None
) -> Callable[[Budget], LeakCase]:
    spec = plan(algorithm, backend, op, classes)[0]
    return lambda budget: run_case(spec, budget)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per case (default 10)")
    parser.add_argument(
        "--seconds",
        type=float,
        default=DEFAULT_SECONDS,
        help=f"budget per case (default: pqc leak's default, {DEFAULT_SECONDS:g} s)",
    )
    parser.add_argument(
        "--sweep",
        default="1,2,3,4,6,8,12,16",
        help="positive-control leak sizes in early-exit steps ('' to skip the sweep)",
    )
    parser.add_argument("--sweep-runs", type=int, help="runs per sweep size (default --runs)")
    parser.add_argument("--json", help="also write the raw figures to this JSON file")
    args = parser.parse_args(argv)
    budget = Budget(seconds=args.seconds)
    sizes = [int(item) for item in args.sweep.split(",") if item.strip()]
    sweep_runs = args.sweep_runs or args.runs

    cases: list[tuple[Tally, Callable[[Budget], LeakCase]]] = [
        (
            Tally(f"positive control (leak {DEFAULT_LEAK_BYTES} steps)", "leak"),
            lambda b: run_control("positive", b),
        ),
        (
            Tally("SM2 keygen [gmssl, pure Python] low vs high weight", "leak"),
            _case("SM2", "gmssl", "keygen"),
        ),
        (Tally("negative control", "no-leak"), lambda b: run_control("negative", b)),
        (
            Tally("X25519 decaps [openssl] valid vs random", "no-leak"),
            _case("X25519", "openssl", "decaps", "valid-random"),
        ),
        (
            Tally("ML-KEM-768 decaps [openssl] valid vs random", "no-leak"),
            _case("ML-KEM-768", "openssl", "decaps", "valid-random"),
        ),
    ]
    sweep = {size: Tally(f"positive control, leak {size} steps", "leak") for size in sizes}

    started = time.perf_counter()
    for run in range(max(args.runs, sweep_runs)):
        if run < args.runs:
            for tally, make in cases:
                case, wall = _timed(functools.partial(make, budget))
                tally.add(case, wall)
                _say(f"run {run + 1}: {tally.name}: {case.verdict.text} [{wall:.1f} s]")
        if run < sweep_runs:
            for size, tally in sweep.items():
                case, wall = _timed(
                    functools.partial(run_control, "positive", budget, leak_bytes=size)
                )
                tally.add(case, wall)
                _say(f"run {run + 1}: {tally.name}: {case.verdict.text}")
    total = time.perf_counter() - started

    machine = collect_machine()
    print(
        f"machine: {machine.cpu_model}, {machine.logical_cpus} logical CPUs "
        f"({machine.usable_cpus} usable), {machine.os} {machine.kernel}, "
        f"Python {machine.python_version}; load average at the end {machine.load_average}"
    )
    print(
        f"budget: {args.seconds:g} s per case; {args.runs} runs per case; "
        f"total wall time {total / 60:.1f} min\n"
    )
    print(
        f"{'case':<52} {'expect':<8} {'leak verdicts':>13} {'inconcl.':>8} "
        f"{'median |t|':>10} {'median Δ (ns)':>14} {'samples':>9} {'max wall':>8}  target"
    )
    for tally, _ in (item for item in cases if item[0].runs):  # --runs 0: the sweep only
        print(
            f"{tally.name:<52} {tally.expect:<8} {f'{tally.leaks}/{tally.runs}':>13} "
            f"{tally.statuses.count('inconclusive'):>8} {statistics.median(tally.t_values):>10.1f} "
            f"{statistics.median(tally.differences_ns):>14,.0f} "
            f"{int(statistics.median(tally.samples)):>9,} {max(tally.wall_s):>7.1f}s  "
            f"{'PASS' if tally.passed else 'FAIL'}"
        )
    smallest = None
    if sweep:
        print(f"\npositive-control sweep ({sweep_runs} runs per size):")
        print(
            f"{'leak steps':>10} {'leak (ns, mean Δ median)':>25} {'detected':>9} "
            f"{'median |t|':>10}"
        )
        for size, tally in sorted(sweep.items()):
            leak_ns = statistics.fmean(tally.differences_ns)
            print(
                f"{size:>10} {leak_ns:>25,.0f} {f'{tally.leaks}/{tally.runs}':>9} "
                f"{statistics.median(tally.t_values):>10.1f}"
            )
            if not tally.passed:
                smallest = None  # the smallest size from which every larger one is detected
            elif smallest is None:
                smallest = (size, leak_ns)
        if smallest is None:
            print("no swept leak size was detected in >= 90% of runs")
        else:
            print(
                f"smallest leak detected in >= 90% of runs: {smallest[0]} steps = "
                f"about {smallest[1]:,.0f} ns (at {args.seconds:g} s per case)"
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(
                {
                    "machine": to_data(machine),
                    "seconds": args.seconds,
                    "runs": args.runs,
                    "sweep_runs": sweep_runs,
                    "cases": [tally.to_dict() for tally, _ in cases],
                    "sweep": {str(size): tally.to_dict() for size, tally in sweep.items()},
                    "smallest_detected": None
                    if smallest is None
                    else {"steps": smallest[0], "ns": smallest[1]},
                    "total_wall_s": total,
                },
                stream,
                indent=2,
            )
    return 0 if all(tally.passed for tally, _ in cases) else 1


if __name__ == "__main__":
    raise SystemExit(main())
