"""How far pqc's timings can be trusted: engine overhead, liboqs agreement, repeatability, time.

Prints, in one run on one machine:

(a) the engine's median vs a bare ``perf_counter_ns`` loop over the same
    ML-KEM-768 encapsulation (liboqs-python's ``encap_secret`` when liboqs is
    available, else cryptography's ``encapsulate``), as a ratio (target <= 1.05);
(b) with ``PQC_LIBOQS_BUILD`` set to a liboqs build directory (the one with
    ``tests/speed_kem`` and ``tests/speed_sig``), pqc's medians on the liboqs
    backend against liboqs's own figures for ML-KEM-768 and ML-DSA-65. liboqs's
    speed tools report *means*; a mean sits above the median on a right-skewed
    timing distribution, so a ratio slightly below 1 is expected;
(c) the spread between two back-to-back ``pqc bench --quick`` runs: the share
    of cases whose medians agree within 10% (target >= 90%);
(d) the wall time of ``pqc bench`` and ``pqc bench --quick`` (targets 60 s / 15 s).

Usage: ``python benchmarks/bench_engine.py [--skip-full]``; about 90 s.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pqc
from pqc.bench.cases import plan_cases
from pqc.bench.engine import default_settings, run_bench, time_calls
from pqc.bench.results import read_result

ROUNDS = 10
CALLS = 2000


# ---------------------------------------------------------------- (a)
def _raw_encaps() -> tuple[str, Callable[[bytes], object], Callable[[bytes], object], bytes]:
    """(backend, pqc's hook, the library's own call, a public key) for ML-KEM-768 encaps."""
    backend = "liboqs" if "liboqs" in pqc.available_backends("ML-KEM-768") else "openssl"
    impl = pqc.kem("ML-KEM-768", backend)
    public_key, _ = impl.keygen()
    if backend == "liboqs":
        import oqs  # safe: the liboqs backend found the library without importing oqs first

        kem = oqs.KeyEncapsulation("ML-KEM-768")
        return backend, impl.timed_operations()["encaps"], kem.encap_secret, public_key
    from cryptography.hazmat.primitives.asymmetric import mlkem

    def encapsulate(pk: bytes) -> object:
        return mlkem.MLKEM768PublicKey.from_public_bytes(pk).encapsulate()

    return backend, impl.timed_operations()["encaps"], encapsulate, public_key


def _bare_loop(fn: Callable[[bytes], object], arg: bytes, n: int) -> list[int]:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(n):
        t0 = clock()
        fn(arg)
        t1 = clock()
        samples.append(t1 - t0)
    return samples


def engine_overhead() -> None:
    backend, hook, raw, public_key = _raw_encaps()
    engine_hook: list[int] = []
    engine_raw: list[int] = []
    bare: list[int] = []
    args = [(public_key,)] * CALLS
    for _ in range(ROUNDS):  # interleaved, so drift hits all three alike
        time_calls(hook, args, engine_hook)
        time_calls(raw, args, engine_raw)
        bare += _bare_loop(raw, public_key, CALLS)
    m_hook, m_raw, m_bare = (statistics.median(s) for s in (engine_hook, engine_raw, bare))
    print(f"(a) engine overhead, ML-KEM-768 encaps on {backend}, {ROUNDS}x{CALLS} calls each")
    print(f"    bare perf_counter_ns loop over the library call: median {m_bare / 1e3:8.2f} µs")
    print(
        f"    engine loop over the same library call:           median {m_raw / 1e3:8.2f} µs"
        f"   ratio {m_raw / m_bare:.3f}"
    )
    print(
        f"    engine loop over pqc's backend hook (what bench times): {m_hook / 1e3:8.2f} µs"
        f"   ratio {m_hook / m_bare:.3f}  (target <= 1.05)"
    )


# ---------------------------------------------------------------- (b)
_ROW = re.compile(r"^(\w+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|")
_OPS = {"keypair": "keygen", "keygen": "keygen", "encaps": "encaps", "decaps": "decaps",
        "sign": "sign", "verify": "verify"}  # fmt: skip


def liboqs_means(tool: Path, algorithm: str, seconds: int = 2) -> dict[str, float]:
    """Mean µs per operation from liboqs's speed_kem/speed_sig output."""
    text = subprocess.run(
        [str(tool), "--duration", str(seconds), algorithm],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    means = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match and match.group(1) in _OPS:
            means[_OPS[match.group(1)]] = float(match.group(4))
    return means


def against_liboqs() -> None:
    build = os.environ.get("PQC_LIBOQS_BUILD")
    if not build:
        print(
            "(b) skipped: set PQC_LIBOQS_BUILD to a liboqs build directory (with tests/speed_kem)"
        )
        return
    if "liboqs" not in pqc.available_backends("ML-KEM-768"):
        print("(b) skipped: the liboqs backend is not available to pqc here")
        return
    tests = Path(build) / "tests"
    settings = replace(default_settings(), seconds=1.0, max_samples=20000)
    plan = plan_cases(["ML-KEM-768", "ML-DSA-65"], ["liboqs"])
    result = run_bench(plan, settings, command=["benchmarks/bench_engine.py"])
    print("(b) pqc (liboqs backend, median) vs liboqs's own speed tools (mean), µs")
    for algorithm, tool in (("ML-KEM-768", "speed_kem"), ("ML-DSA-65", "speed_sig")):
        means = liboqs_means(tests / tool, algorithm)
        for op, mean in means.items():
            case = result.case(algorithm, op, "liboqs")
            if case is None:
                continue
            median = case.stats.median_ns / 1e3
            print(
                f"    {algorithm:<11} {op:<7} pqc {median:9.2f}   liboqs {mean:9.2f}"
                f"   ratio {median / mean:.3f}"
            )


# ---------------------------------------------------------------- (c), (d)
_CLI = "from pqc.cli import main; main()"


def _pqc_bench(*args: str) -> tuple[float, Path]:
    out = Path(tempfile.mkdtemp(prefix="pqc-bench-")) / "run.json"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CLI, "bench", *args, "--json", str(out)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start, out


def repeatability_and_wall_time(skip_full: bool) -> None:
    wall_1, first = _pqc_bench("--quick")
    wall_2, second = _pqc_bench("--quick")
    a, b = read_result(first), read_result(second)
    medians = {case.key: case.stats.median_ns for case in b.cases}
    ratios = [medians[c.key] / c.stats.median_ns for c in a.cases if c.key in medians]
    agree = [r for r in ratios if abs(r - 1.0) <= 0.10]
    worst = sorted(
        ((abs(medians[c.key] / c.stats.median_ns - 1.0), c.label) for c in a.cases
         if c.key in medians), reverse=True,
    )[:5]  # fmt: skip
    print(
        f"(c) two back-to-back `pqc bench --quick` runs: {len(agree)}/{len(ratios)} cases "
        f"({100 * len(agree) / max(1, len(ratios)):.0f}%) agree within 10% on the median "
        "(target >= 90%)"
    )
    print("    largest differences: " + ", ".join(f"{label} {d:.0%}" for d, label in worst))
    print(f"(d) wall time: pqc bench --quick {wall_1:.1f} s and {wall_2:.1f} s (target 15 s)")
    if not skip_full:
        wall, full = _pqc_bench()
        print(
            f"    wall time: pqc bench {wall:.1f} s (target 60 s), "
            f"{len(read_result(full).cases)} cases"
        )


def main() -> None:
    machine = read_machine()
    print(machine)
    engine_overhead()
    against_liboqs()
    repeatability_and_wall_time("--skip-full" in sys.argv)


def read_machine() -> str:
    from pqc.bench.machine import collect_machine

    m = collect_machine()
    return (
        f"machine: {m.cpu_model}, {m.usable_cpus} CPUs, {' '.join(m.cpu_flags)}; "
        f"{m.os} {m.kernel}; {m.python_implementation} {m.python_version}; "
        f"load {m.load_average}"
    )


if __name__ == "__main__":
    main()
