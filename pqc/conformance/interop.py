"""Interop: keys, ciphertexts and signatures crossing implementations of one algorithm.

For every ordered pair (A, B) of implementations: A's public key is used by
B (encaps / verify) and the result checked by A; where both accept the same
secret-key format, A's secret key is used by B too; where both derive keys
from a seed, the same seed must give the same public key. Running both
orders covers both directions.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from pqc.conformance.model import CheckResult, Status

FAMILY = "interop"
MESSAGE = b"pqc verify interop message"
# Families whose secret-key encoding is fixed by a standard, so secret keys must cross too.
STANDARD_SECRET_KEYS = frozenset({"ML-KEM", "ML-DSA", "SLH-DSA", "SM2", "ECDSA", "EdDSA", "ECDH",
                                  "Classic-McEliece"})


def _secret_formats_differ(a: Any, b: Any, secret_key: bytes) -> str | None:
    if len(secret_key) not in tuple(b.secret_key_sizes):
        return "n/a (secret-key formats differ)"
    if a.algorithm.family not in STANDARD_SECRET_KEYS:
        return f"n/a (no standard secret-key encoding for {a.algorithm.family} yet)"
    return None


def _kem_steps(a: Any, b: Any, na: str, nb: str) -> list[tuple[str, Callable[[], bool | str]]]:
    state: dict[str, bytes] = {}

    def encaps_to_a() -> bool:
        pk, sk = a.keygen()
        ct, ss = b.encaps(pk)
        state.update(pk=pk, sk=sk, ct=ct, ss=ss)
        return bool(a.decaps(sk, ct) == ss)

    def encaps_by_a() -> bool:
        pk, sk = b.keygen()
        ct, ss = a.encaps(pk)
        return bool(b.decaps(sk, ct) == ss)

    def secret_key_crossing() -> bool | str:
        differ = _secret_formats_differ(a, b, state["sk"])
        if differ:
            return differ
        return bool(b.decaps(state["sk"], state["ct"]) == state["ss"])

    return [
        (f"{na} public key -> {nb} encaps -> {na} decaps", encaps_to_a),
        (f"{nb} public key -> {na} encaps -> {nb} decaps", encaps_by_a),
        (f"{na} secret key + ciphertext -> {nb} decaps", secret_key_crossing),
        (f"same seed -> same public key in {na} and {nb}", lambda: _seed(a, b)),
    ]


def _signature_steps(a: Any, b: Any, na: str, nb: str
                     ) -> list[tuple[str, Callable[[], bool | str]]]:
    state: dict[str, bytes] = {}

    def signed_by_a() -> bool:
        pk, sk = a.keygen()
        sig = a.sign(sk, MESSAGE)
        state.update(pk=pk, sk=sk)
        return bool(b.verify(pk, MESSAGE, sig)) and not b.verify(pk, MESSAGE + b"?", sig)

    def secret_key_crossing() -> bool | str:
        differ = _secret_formats_differ(a, b, state["sk"])
        if differ:
            return differ
        return bool(a.verify(state["pk"], MESSAGE, b.sign(state["sk"], MESSAGE)))

    return [
        (f"{na} signs -> {nb} verifies (and rejects another message)", signed_by_a),
        (f"{na} secret key -> {nb} signs -> {na} verifies",
         secret_key_crossing),
        (f"same seed -> same public key in {na} and {nb}", lambda: _seed(a, b)),
    ]


def _seed(a: Any, b: Any) -> bool | str:
    if not (a.supports_seed and b.supports_seed):
        return "n/a (seeded key generation not offered by both)"
    seed = secrets.token_bytes(int(a.algorithm.seed_size))
    return bool(a.keygen_from_seed(seed)[0] == b.keygen_from_seed(seed)[0])


def check_pair(a: Any, b: Any) -> CheckResult:
    """Every crossing from ``a`` to ``b`` as one check; evidence lists each step's outcome."""
    na, nb = (a.backend, b.backend) if a.backend != b.backend else ("first", "second")
    maker = _kem_steps if a.algorithm.kind == "kem" else _signature_steps
    steps = maker(a, b, na, nb)
    outcomes: dict[str, str] = {}
    for label, step in steps:
        try:
            ok = step()
        except Exception as exc:  # a library error here is an interop failure, with its cause
            outcomes[label] = f"fail: {type(exc).__name__}: {exc}"
            continue
        outcomes[label] = ok if isinstance(ok, str) else ("pass" if ok else "fail")
    failures = [label for label, what in outcomes.items() if what.startswith("fail")]
    ran = [label for label, what in outcomes.items() if not what.startswith("n/a")]
    name = f"{a.backend} -> {b.backend}"
    if failures:
        status = Status.FAIL
        detail = f"{len(failures)} of {len(ran)} crossings failed: {failures[0]}"
    else:
        status, detail = Status.PASS, f"{len(ran)} crossings agree"
    return CheckResult(FAMILY, a.backend, a.name, name, status, detail, {"steps": outcomes},
                       peers=(b.backend,))


def run_interop(impls: Sequence[Any]) -> list[CheckResult]:
    """Checks for every ordered pair of ``impls`` (all of one algorithm)."""
    return [check_pair(a, b) for a, b in itertools.permutations(impls, 2)]
