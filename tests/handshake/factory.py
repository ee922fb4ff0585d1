"""Small bench results built with the real result model, with medians chosen by the test.

Every case's samples are ``[median] * 5`` so its median is exactly the number
given: the handshake arithmetic can then be checked against sums done by hand.
"""

from __future__ import annotations

from collections.abc import Mapping

import pqc
from pqc.backends.base import BackendStatus
from pqc.bench.engine import default_settings
from pqc.bench.results import BenchResult, CaseResult, Machine, TimerInfo
from pqc.bench.stats import summarize

# (algorithm, backend, language) -> {op: median ns}
Medians = Mapping[tuple[str, str, str], Mapping[str, int]]

MACHINE = Machine(
    cpu_model="Test CPU", architecture="x86_64", cpu_flags=("avx2",), logical_cpus=2,
    physical_cores=2, usable_cpus=2, governor=None, frequency_mhz=None, max_frequency_mhz=None,
    boost=None, os="Linux", kernel="6.0", distribution="Debian GNU/Linux 12 (bookworm)",
    python_version="3.11.7", python_implementation="CPython", python_compiler="GCC 12.2.0",
    load_average=(0.1, 0.1, 0.1),
)  # fmt: skip

TIMER = TimerInfo(
    clock="perf_counter_ns", resolution_ns=1.0, min_step_ns=20, empty_call_ns=60.0,
    empty_call_min_ns=50,
)  # fmt: skip


def case(algorithm: str, backend: str, language: str, op: str, median_ns: int) -> CaseResult:
    entry = pqc.lookup(algorithm)
    samples = (median_ns,) * 5
    return CaseResult(
        algorithm=entry.name, kind=entry.kind, family=entry.family, backend=backend,
        backend_version="test", language=language, op=op, sizes=dict(entry.sizes),
        samples_ns=samples, stats=summarize(samples), warmup_calls=2, inputs="test inputs",
        message_size=32 if entry.kind == "signature" else None,
    )  # fmt: skip


def make_result(medians: Medians, *, skipped: tuple[str, ...] = ()) -> BenchResult:
    cases = tuple(
        case(alg, backend, language, op, ns)
        for (alg, backend, language), ops in medians.items()
        for op, ns in ops.items()
    )
    backends = tuple(
        BackendStatus(name=name, available=True, version="test", language="C", library=name)
        for name in dict.fromkeys(backend for _, backend, _ in medians)
    )
    return BenchResult(
        created="2026-01-01T00:00:00+00:00", command=("pytest",), pqc_version=pqc.__version__,
        machine=MACHINE, backends=backends, packages={"pqc": pqc.__version__},
        settings=default_settings(quick=True), timer=TIMER, cases=cases, skipped=skipped,
    )  # fmt: skip


# The stored result the handshake tests compute from (nanoseconds).
STORED: dict[tuple[str, str, str], dict[str, int]] = {
    ("X25519", "openssl", "C"): {"keygen": 30_000, "encaps": 40_000, "decaps": 37_000},
    ("ECDSA-P256", "openssl", "C"): {"keygen": 20_000, "sign": 31_000, "verify": 79_000},
    ("ML-KEM-768", "liboqs", "C"): {"keygen": 17_000, "encaps": 18_000, "decaps": 20_000},
    ("ML-KEM-768", "openssl", "C"): {"keygen": 95_000, "encaps": 23_000, "decaps": 36_000},
    ("ML-DSA-65", "liboqs", "C"): {"sign": 100_000, "verify": 300_000},
    ("ML-DSA-65", "openssl", "C"): {"sign": 500_000, "verify": 150_000},
    ("SM2", "gmssl-native", "C"): {"sign": 290_000, "verify": 650_000},
    ("ECDH-SM2", "gmssl-ecdh", "pure Python"): {
        "keygen": 5_000_000, "encaps": 10_000_000, "decaps": 5_000_000,
    },
    ("SM2-MLKEM768", "hybrid", "pure Python + C"): {
        "keygen": 5_100_000, "encaps": 10_100_000, "decaps": 5_100_000,
    },
}  # fmt: skip


def stored_result() -> BenchResult:
    return make_result(STORED)
