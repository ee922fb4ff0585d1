"""Warnings for cases whose median should be read with care, each saying why.

Thresholds (robust ones: a shared machine's rare 10 ms interrupt inflates the
coefficient of variation of a 20 µs operation without moving its median):

- fewer than :data:`FEW_SAMPLES` samples;
- spread: IQR above :data:`MAX_SPREAD` of the median;
- heavy tail: p99 above :data:`MAX_TAIL` times the median (with 20+ samples).

When an operation's time varies by design (ML-DSA's rejection loop, RSA's
prime search, ...) the warning says so, since then the spread is the
algorithm, not the machine.
"""

from __future__ import annotations

from pqc.bench.stats import Stats

FEW_SAMPLES = 10
MAX_SPREAD = 0.25
MAX_TAIL = 4.0

# (family, op) -> why the time of that operation varies from call to call by design.
BY_DESIGN = {
    ("ML-DSA", "sign"): "ML-DSA signing's rejection loop runs a random number of times",
    ("FN-DSA", "keygen"): "Falcon key generation restarts until NTRU solving succeeds",
    ("FN-DSA", "sign"): "Falcon signing samples with rejection",
    ("RSA", "keygen"): "RSA key generation searches for random primes",
    ("HQC", "encaps"): "HQC samples fixed-weight vectors with rejection",
    ("Classic-McEliece", "keygen"): (
        "Classic McEliece key generation retries until the random Goppa matrix is systematic"
    ),
}
PURE_PYTHON_SM2 = "this pure-Python SM2's scalar multiplication branches on key/nonce bits"


def likely_cause(family: str, op: str, language: str) -> str:
    """Why this operation's times may vary: by design (which loop), or machine noise."""
    reason = BY_DESIGN.get((family, op))
    if reason is None and family == "SM2" and language == "pure Python":
        reason = PURE_PYTHON_SM2
    if reason is not None:
        return f"varies by design ({reason}); quote the median"
    return "likely machine noise (other processes, frequency scaling)"


def stability_warnings(
    stats: Stats, *, family: str, op: str, language: str, seconds: float
) -> tuple[str, ...]:
    """Why this case's median is less trustworthy than usual (empty when it looks stable)."""
    found: list[str] = []
    if stats.n < FEW_SAMPLES:
        found.append(
            f"only {stats.n} samples ({stats.median_ns / 1e6:.3g} ms a call, {seconds:g} s "
            "budget): a rough median; raise --seconds"
        )
    median = stats.median_ns
    if median > 0 and stats.iqr_ns / median > MAX_SPREAD:
        found.append(
            f"IQR {stats.iqr_ns / median:.0%} of the median (> {MAX_SPREAD:.0%}): "
            f"{likely_cause(family, op, language)}"
        )
    if stats.n >= 20 and median > 0 and stats.p99_ns / median > MAX_TAIL:
        found.append(
            f"heavy tail, p99 {stats.p99_ns / median:.1f}x the median (> {MAX_TAIL:g}x): "
            f"{likely_cause(family, op, language)}"
        )
    return tuple(found)
