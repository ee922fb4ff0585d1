"""Hostile input: malformed keys, ciphertexts, signatures and arguments against one implementation.

Each case says what the documented behaviour is (``Expect``): raise one of
some :class:`PQCError` subclasses, and/or return a value that satisfies a
predicate (``verify`` returns False for any malformed signature; ML-KEM
decapsulation of a tampered ciphertext returns a different secret, by
implicit rejection; SM2/SM9/RSA-OAEP raise). Anything else — another
exception type, a wrong return — fails. Cases are grouped into one
:class:`CheckResult` per target (e.g. "decaps: ciphertext").

The number of bit flips per field is a budget: pure-Python backends get
fewer (see :func:`flips_for`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from pqc.conformance.model import CheckResult, Status, skipped
from pqc.errors import (
    DecryptionError,
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    PQCError,
    UnsupportedOperationError,
)

FAMILY = "hostile"
MAX_FAILURES_SHOWN = 5
MESSAGE = b"pqc verify hostile-input message"
ML_KEM_Q = 3329
WRONG_TYPES: tuple[tuple[str, object], ...] = (
    ("None", None), ("str", "00" * 8), ("int", 12345), ("list", [0, 1, 2]),
)
# Families whose decapsulation must detect tampering by raising (they carry an integrity check).
INTEGRITY_KEMS = frozenset({"SM2", "SM9", "RSA"})
# Families that use implicit rejection: a tampered ciphertext gives a different, pseudo-random key.
IMPLICIT_REJECTION = frozenset({"ML-KEM", "HQC", "FrodoKEM", "Classic-McEliece", "BIKE"})
CONTEXT_FAMILIES = frozenset({"ML-DSA", "SLH-DSA"})
# Signature families whose verification evaluates a public multivariate quadratic map.
MULTIVARIATE = frozenset({"UOV", "MAYO", "SNOVA"})
NO_CONTEXT_REASON = (
    "{backend} exposes no context parameter for {name} (pqc's interface is pure mode with the "
    "empty context), so a context over 255 bytes cannot be passed"
)


@dataclass(frozen=True)
class Expect:
    """The documented outcome: raise one of ``raises``, or return a value ``returns`` accepts."""

    raises: tuple[type[PQCError], ...] = ()
    returns: Callable[[object], bool] | None = None
    describe: str = ""


@dataclass(frozen=True)
class Case:
    """One hostile call and what it must do."""

    group: str
    name: str
    call: Callable[[], object]
    expect: Expect


def evaluate(case: Case) -> tuple[bool, str]:
    """Run ``case``: (True, what happened) when it behaved as documented."""
    try:
        value = case.call()
    except case.expect.raises as exc:
        return True, f"raised {type(exc).__name__}"
    except PQCError as exc:
        return False, f"raised {type(exc).__name__} ({exc}); expected {case.expect.describe}"
    except Exception as exc:  # the point of the check: anything else is a defect
        return False, f"raised non-PQCError {type(exc).__name__}: {exc}"
    if case.expect.returns is None:
        return False, f"returned {_short(value)}; expected {case.expect.describe}"
    if case.expect.returns(value):
        return True, f"returned {_short(value)}"
    return False, f"returned {_short(value)}; expected {case.expect.describe}"


def _short(value: object) -> str:
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, tuple):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    return repr(value)[:40]


# ---------------------------------------------------------------- mutations
def flips_for(impl: Any) -> int:
    """Bit flips per field: 8 for native code, 3 for pure Python (about 15 ms per SM2 op)."""
    return 3 if getattr(impl, "language", "") == "pure Python" else 8


def flip(data: bytes, bit: int) -> bytes:
    """``data`` with bit ``bit`` (0 = least significant bit of byte 0) inverted."""
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def flip_positions(length: int, count: int) -> list[int]:
    """``count`` bit positions spread over ``length`` bytes, including the first and last bit."""
    bits = length * 8
    if bits == 0:
        return []
    if count <= 1:
        return [0]
    return sorted({round(i * (bits - 1) / (count - 1)) for i in range(count)})


def length_mutations(data: bytes) -> list[tuple[str, bytes]]:
    """Wrong-length versions: empty, truncated by one, halved, extended by one and by 64 bytes."""
    return [
        ("empty", b""),
        ("truncated by 1 byte", data[:-1]),
        ("truncated to half", data[: len(data) // 2]),
        ("extended by 1 byte", data + b"\x00"),
        ("extended by 64 bytes", data + secrets.token_bytes(64)),
    ]


def content_mutations(data: bytes, flips: int) -> list[tuple[str, bytes]]:
    """Same-length versions: all-zero, all-0xff, random, and ``flips`` single-bit flips."""
    out = [
        ("all-zero", bytes(len(data))),
        ("all-0xff", b"\xff" * len(data)),
        ("random", secrets.token_bytes(len(data))),
    ]
    out += [(f"bit {bit} flipped", flip(data, bit)) for bit in flip_positions(len(data), flips)]
    return out


def non_reduced_mlkem_key(public_key: bytes) -> bytes:
    """An ML-KEM public key with first coefficient 4095 (>= q = 3329): FIPS 203 must refuse it."""
    out = bytearray(public_key)
    out[0] = 0xFF
    out[1] |= 0x0F
    assert (out[0] | (out[1] & 0x0F) << 8) >= ML_KEM_Q
    return bytes(out)


# ---------------------------------------------------------------- expectations
def _bytes_of(size: int) -> Callable[[object], bool]:
    return lambda v: isinstance(v, bytes) and len(v) == size


def _is_false(value: object) -> bool:
    return value is False


def _kem_pair(impl: Any) -> Callable[[object], bool]:
    return lambda v: (isinstance(v, tuple) and len(v) == 2
                      and _bytes_of(impl.ciphertext_size)(v[0])
                      and _bytes_of(impl.shared_secret_size)(v[1]))


WRONG_TYPE = Expect(raises=(InvalidArgumentError,), describe="InvalidArgumentError")


def _length_expect(impl: Any, size_name: str, error: type[PQCError], mutated: bytes,
                   original: bytes, content: Expect) -> Expect:
    """Wrong length -> ``error``; for variable-size fields a shorter value is a content case."""
    if impl.algorithm.is_variable(size_name) and 0 < len(mutated) <= len(original):
        return content
    return Expect(raises=(error,), describe=error.__name__)


# ---------------------------------------------------------------- KEM cases
def kem_cases(impl: Any, flips: int) -> Iterator[Case]:
    """Every hostile case for a KEM implementation (one key pair, one ciphertext)."""
    pk, sk = impl.keygen()
    ct, ss = impl.encaps(pk)
    family = impl.algorithm.family

    key_content = Expect(raises=(InvalidKeyError,), returns=_kem_pair(impl),
                         describe="(ciphertext, secret) or InvalidKeyError")
    if family == "ML-KEM":  # random/0xff encodings hold coefficients >= q: must be refused
        strict = Expect(raises=(InvalidKeyError,), describe="InvalidKeyError (not reduced mod q)")
        yield Case("encaps: public key", "coefficient >= q (non-reduced)",
                   lambda: impl.encaps(non_reduced_mlkem_key(pk)), strict)
    for label, bad in length_mutations(pk):
        yield Case("encaps: public key", label, partial(impl.encaps, bad),
                   _length_expect(impl, "public_key", InvalidKeyError, bad, pk, key_content))
    for label, bad in content_mutations(pk, flips):
        expect = key_content
        if family == "ML-KEM" and label in ("random", "all-0xff"):
            expect = Expect(raises=(InvalidKeyError,), describe="InvalidKeyError (not reduced)")
        yield Case("encaps: public key", label, partial(impl.encaps, bad), expect)

    secret_size = impl.shared_secret_size
    if family in IMPLICIT_REJECTION:
        must_differ = family == "ML-KEM"  # every ML-KEM ciphertext bit is significant
        tampered = Expect(
            returns=lambda v: _bytes_of(secret_size)(v) and (v != ss or not must_differ),
            describe="a different shared secret (implicit rejection), no exception",
        )
    elif family in INTEGRITY_KEMS:
        tampered = Expect(raises=(DecryptionError, InvalidCiphertextError),
                          describe="DecryptionError or InvalidCiphertextError")
    else:  # Diffie-Hellman KEMs have no integrity: any secret, or a refused point
        tampered = Expect(raises=(InvalidCiphertextError,), returns=_bytes_of(secret_size),
                          describe="a shared secret or InvalidCiphertextError")
    for label, bad in length_mutations(ct):
        yield Case("decaps: ciphertext", label, partial(impl.decaps, sk, bad),
                   _length_expect(impl, "ciphertext", InvalidCiphertextError, bad, ct, tampered))
    for label, bad in content_mutations(ct, flips):
        yield Case("decaps: ciphertext", label, partial(impl.decaps, sk, bad), tampered)

    sk_content = Expect(raises=(InvalidKeyError, DecryptionError, InvalidCiphertextError),
                        returns=_bytes_of(secret_size),
                        describe="a shared secret or a PQCError about the key")
    for label, bad in length_mutations(sk):
        yield Case("decaps: secret key", label, partial(impl.decaps, bad, ct),
                   _length_expect(impl, "secret_key", InvalidKeyError, bad, sk, sk_content))
    for label, bad in content_mutations(sk, min(flips, 3)):
        yield Case("decaps: secret key", label, partial(impl.decaps, bad, ct), sk_content)

    for label, value in WRONG_TYPES:
        yield Case("wrong argument types", f"encaps({label})", partial(impl.encaps, value),
                   WRONG_TYPE)
        yield Case("wrong argument types", f"decaps(sk, {label})",
                   partial(impl.decaps, sk, value), WRONG_TYPE)
        yield Case("wrong argument types", f"decaps({label}, ct)",
                   partial(impl.decaps, value, ct), WRONG_TYPE)
    yield from _seed_cases(impl)


# ---------------------------------------------------------------- signature cases
def signature_cases(impl: Any, flips: int) -> Iterator[Case]:
    """Every hostile case for a signature implementation (one key pair, one signature)."""
    pk, sk = impl.keygen()
    sig = impl.sign(sk, MESSAGE)
    false = Expect(returns=_is_false, describe="False")

    for label, bad in length_mutations(sig) + content_mutations(sig, flips):
        yield Case("verify: signature", label, partial(impl.verify, pk, MESSAGE, bad), false)
    for label, bad_msg in [("empty message", b""), ("message extended", MESSAGE + b"\x00"),
                           ("message truncated", MESSAGE[:-1])] + [
            (f"message bit {bit} flipped", flip(MESSAGE, bit))
            for bit in flip_positions(len(MESSAGE), min(flips, 3))]:
        yield Case("verify: message", label, partial(impl.verify, pk, bad_msg, sig), false)

    key_content = Expect(raises=(InvalidKeyError,), returns=_is_false,
                         describe="False or InvalidKeyError")
    for label, bad in length_mutations(pk):
        yield Case("verify: public key", label, partial(impl.verify, bad, MESSAGE, sig),
                   _length_expect(impl, "public_key", InvalidKeyError, bad, pk, key_content))
    # Multivariate schemes evaluate the public quadratic map at the signature: a key
    # coefficient that a zero coordinate of the signature multiplies (1 in 16 over GF(16))
    # leaves the result unchanged, so a single flipped key bit may still verify.
    unchanged_map = Expect(raises=(InvalidKeyError,), returns=lambda v: isinstance(v, bool),
                           describe="a bool or InvalidKeyError (multivariate: a flipped key "
                           "bit multiplied by a zero coordinate does not change the map)")
    for label, bad in content_mutations(pk, flips):
        single_bit = label.startswith("bit ") and impl.algorithm.family in MULTIVARIATE
        yield Case("verify: public key", label, partial(impl.verify, bad, MESSAGE, sig),
                   unchanged_map if single_bit else key_content)

    signs = Expect(raises=(InvalidKeyError,), returns=lambda v: isinstance(v, bytes),
                   describe="a signature or InvalidKeyError")
    for label, bad in length_mutations(sk):
        yield Case("sign: secret key", label, partial(impl.sign, bad, MESSAGE),
                   _length_expect(impl, "secret_key", InvalidKeyError, bad, sk, signs))
    # Signing with a garbage key costs a full signature (0.3-0.5 s for SLH-DSA-128s): two cases.
    for label, bad in content_mutations(sk, 0)[::2]:
        yield Case("sign: secret key", label, partial(impl.sign, bad, MESSAGE), signs)

    for label, value in WRONG_TYPES:
        yield Case("wrong argument types", f"sign(sk, {label})",
                   partial(impl.sign, sk, value), WRONG_TYPE)
        yield Case("wrong argument types", f"sign({label}, msg)",
                   partial(impl.sign, value, MESSAGE), WRONG_TYPE)
        yield Case("wrong argument types", f"verify({label}, msg, sig)",
                   partial(impl.verify, value, MESSAGE, sig), WRONG_TYPE)
        yield Case("wrong argument types", f"verify(pk, {label}, sig)",
                   partial(impl.verify, pk, value, sig), WRONG_TYPE)
        yield Case("wrong argument types", f"verify(pk, msg, {label})",
                   partial(impl.verify, pk, MESSAGE, value), WRONG_TYPE)
    if impl.algorithm.family in CONTEXT_FAMILIES and _has_context(impl):
        long_ctx = b"c" * 256
        yield Case("context over 255 bytes", "sign_with_context(256-byte context)",
                   lambda: impl.sign_with_context(sk, MESSAGE, long_ctx), WRONG_TYPE)
        yield Case("context over 255 bytes", "verify_with_context(256-byte context)",
                   lambda: impl.verify_with_context(pk, MESSAGE, sig, long_ctx),
                   Expect(raises=(InvalidArgumentError,), returns=_is_false,
                          describe="InvalidArgumentError or False"))
    yield from _seed_cases(impl)


def _has_context(impl: Any) -> bool:
    return bool(getattr(impl, "supports_context", False)) and hasattr(impl, "sign_with_context")


def _seed_cases(impl: Any) -> Iterator[Case]:
    if not impl.supports_seed:
        yield Case("seeded key generation", "keygen_from_seed when not offered",
                   lambda: impl.keygen_from_seed(b"\x00" * 32),
                   Expect(raises=(UnsupportedOperationError,),
                          describe="UnsupportedOperationError"))
        return
    size = int(impl.algorithm.seed_size)
    wrong = Expect(raises=(InvalidArgumentError,), describe="InvalidArgumentError")
    for label, bad in length_mutations(bytes(size)):
        yield Case("seeded key generation", f"seed {label}",
                   partial(impl.keygen_from_seed, bad), wrong)
    for label, value in WRONG_TYPES:
        yield Case("seeded key generation", f"seed of type {label}",
                   partial(impl.keygen_from_seed, value), wrong)


# ---------------------------------------------------------------- running
def cases_for(impl: Any, flips: int | None = None) -> list[Case]:
    """All hostile cases for ``impl`` (builds one key pair and one ciphertext/signature)."""
    count = flips_for(impl) if flips is None else flips
    maker = kem_cases if impl.algorithm.kind == "kem" else signature_cases
    return list(maker(impl, count))


def context_skip(impl: Any) -> CheckResult | None:
    """A skipped check when ``impl`` is ML-DSA/SLH-DSA without a context parameter."""
    if impl.algorithm.kind != "signature" or impl.algorithm.family not in CONTEXT_FAMILIES:
        return None
    if _has_context(impl):
        return None
    reason = NO_CONTEXT_REASON.format(backend=impl.backend, name=impl.name)
    return skipped(FAMILY, impl.backend, impl.name, "context over 255 bytes", reason)


def group_result(impl: Any, group: str, outcomes: list[tuple[str, bool, str]]) -> CheckResult:
    """One check for a group of cases; evidence counts them and lists the first failures."""
    failures = [{"case": name, "got": got} for name, ok, got in outcomes if not ok]
    evidence: dict[str, Any] = {"cases": len(outcomes), "failed": len(failures)}
    if failures:
        evidence["failures"] = failures[:MAX_FAILURES_SHOWN]
        first = failures[0]
        detail = f"{len(failures)} of {len(outcomes)} cases failed (first: {first['case']}: " \
                 f"{first['got']})"
        return CheckResult(FAMILY, impl.backend, impl.name, group, Status.FAIL, detail, evidence)
    return CheckResult(FAMILY, impl.backend, impl.name, group, Status.PASS,
                       f"{len(outcomes)} cases behaved as documented", evidence)


def run_hostile(impl: Any, flips: int | None = None,
                on_case: Callable[[str, str], None] | None = None,
                on_group: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
    """Run every hostile case against ``impl`` in this process; one check per group.

    ``on_case(group, name)`` is called before each case (the child process
    streams it, so a crash can be pinned to a case); ``on_group`` after each group.
    """
    results: list[CheckResult] = []
    extra = context_skip(impl)
    try:
        cases = cases_for(impl, flips)
    except Exception as exc:  # keygen/encaps/sign of valid input failed: the baseline is broken
        result = CheckResult(FAMILY, impl.backend, impl.name, "baseline", Status.FAIL,
                             f"could not build valid inputs: {type(exc).__name__}: {exc}", {})
        if on_group:
            on_group(result)
        return [result]
    groups: dict[str, list[tuple[str, bool, str]]] = {}
    order = list(dict.fromkeys(c.group for c in cases))
    for group in order:
        for case in (c for c in cases if c.group == group):
            if on_case:
                on_case(group, case.name)
            ok, got = evaluate(case)
            groups.setdefault(group, []).append((case.name, ok, got))
        result = group_result(impl, group, groups[group])
        results.append(result)
        if on_group:
            on_group(result)
    if extra is not None:
        results.append(extra)
        if on_group:
            on_group(extra)
    return results
