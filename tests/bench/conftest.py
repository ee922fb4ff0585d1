"""Builders of synthetic results for the bench tests (no timing involved)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from pqc.backends.base import BackendStatus
from pqc.bench.results import BenchResult, CaseResult, Machine, Settings, TimerInfo
from pqc.bench.runmodel import RunRecord, RunValue
from pqc.bench.runstats import median_interval
from pqc.bench.stats import summarize

MACHINE = Machine(
    cpu_model="Test CPU",
    architecture="x86_64",
    cpu_flags=("avx2", "aes"),
    logical_cpus=2,
    physical_cores=2,
    usable_cpus=2,
    governor="performance",
    frequency_mhz=2400.5,
    max_frequency_mhz=3500.0,
    boost="on",
    os="Linux",
    kernel="6.1",
    distribution="Debian GNU/Linux 12 (bookworm)",
    python_version="3.11.7",
    python_implementation="CPython",
    python_compiler="GCC 12.2.0",
    load_average=(0.5, 0.25, 0.125),
)

SETTINGS = Settings(
    seconds=0.25,
    quick=False,
    min_samples=5,
    max_samples=2000,
    warmup_calls=3,
    key_pool=4,
    input_pool=8,
    message_size=32,
    baselines={"kem": "X25519", "signature": "ECDSA-P256"},
)

TIMER = TimerInfo(
    clock="perf_counter_ns", resolution_ns=1.0, min_step_ns=20, empty_call_ns=61.0,
    empty_call_min_ns=50,
)  # fmt: skip

STATUSES = (
    BackendStatus(
        name="openssl", available=True, version="cryptography 50.0.2; OpenSSL 4.0.3",
        language="C", library="OpenSSL", details={"openssl": "4.0.3"},
    ),
    BackendStatus(
        name="gmssl-native", available=False, version=None, language="C",
        library="GmSSL", reason="not installed; fix: pip install gmssl-pyx",
    ),
)  # fmt: skip


def make_case(
    algorithm: str,
    op: str,
    samples: Sequence[int],
    *,
    backend: str = "openssl",
    kind: str = "kem",
    complete: bool = True,
    warnings: tuple[str, ...] = (),
) -> CaseResult:
    """A case with the given samples (ns) and plausible metadata."""
    sizes = (
        {"public_key": 1184, "secret_key": 64, "ciphertext": 1088, "shared_secret": 32}
        if kind == "kem"
        else {"public_key": 65, "secret_key": 138, "signature": 64}
    )
    return CaseResult(
        algorithm=algorithm,
        kind=kind,
        family=algorithm.split("-")[0],
        backend=backend,
        backend_version="test 1.0",
        language="C",
        op=op,
        sizes=sizes,
        samples_ns=tuple(int(s) for s in samples),
        stats=summarize(samples),
        warmup_calls=3,
        inputs="4 key pairs, 8 ciphertexts",
        message_size=32 if kind == "signature" else None,
        warnings=warnings,
        complete=complete,
    )


def make_result(
    cases: Sequence[CaseResult], *, complete: bool = True, runs: Sequence[RunRecord] = ()
) -> BenchResult:
    """A result holding ``cases`` with fixed metadata."""
    return BenchResult(
        created="2025-01-02T03:04:05+00:00",
        command=("pqc", "bench", "--quick"),
        pqc_version="0.1.0",
        machine=MACHINE,
        backends=STATUSES,
        packages={"cryptography": "50.0.2", "gmssl-pyx": None},
        settings=SETTINGS,
        timer=TIMER,
        cases=tuple(cases),
        skipped=("SM9-ENC: no available backend",),
        complete=complete,
        runs=tuple(runs),
    )


def lognormal(median_ns: float, n: int, seed: int, sigma: float = 0.05) -> list[int]:
    """``n`` synthetic timings around ``median_ns`` with a multiplicative spread."""
    rng = np.random.default_rng(seed)
    return [int(v) for v in median_ns * np.exp(rng.normal(0.0, sigma, n))]


@pytest.fixture
def sample_result() -> BenchResult:
    """A small two-kind result built from synthetic samples."""
    return make_result(
        [
            make_case("X25519", "encaps", lognormal(40_000, 200, 1)),
            make_case("ML-KEM-768", "encaps", lognormal(25_000, 200, 2)),
            make_case("ML-KEM-768", "decaps", lognormal(35_000, 200, 3), backend="liboqs"),
            make_case("ECDSA-P256", "sign", lognormal(31_000, 150, 4), kind="signature"),
            make_case(
                "ML-DSA-65", "sign", lognormal(950_000, 50, 5, 0.4), kind="signature",
                warnings=("CV 45% (> 30%): varies by design",),
            ),
        ]
    )  # fmt: skip


def make_run_case(
    algorithm: str,
    op: str,
    run_medians: Sequence[float],
    *,
    per_run: int = 40,
    seed: int = 0,
    kind: str = "kem",
    backend: str = "openssl",
) -> CaseResult:
    """A case timed in ``len(run_medians)`` runs, each ``per_run`` samples around its median."""
    samples: list[int] = []
    values = []
    for run, median in enumerate(run_medians):
        own = lognormal(median, per_run, seed * 1000 + run, 0.05)
        samples += own
        values.append(RunValue(run, len(own), float(np.median(own)), 3, run))
    case = make_case(algorithm, op, samples, kind=kind, backend=backend)
    interval = median_interval([value.median_ns for value in values])
    return replace(case, runs=tuple(values), across_runs=interval)


def run_medians(centre: float, runs: int, seed: int, spread: float = 0.02) -> list[float]:
    """``runs`` run medians around ``centre`` with a multiplicative between-run spread."""
    rng = np.random.default_rng(seed)
    return [float(v) for v in centre * np.exp(rng.normal(0.0, spread, runs))]
