"""Input classes per operation, and building their input pools before any timing.

A class set names two classes of inputs (A and B) for one operation whose
timing should not tell them apart if the code does not branch or index on
secrets:

- ``keygen`` / ``weight``: secrets (scalars, private keys, seeds) with 1/8 of
  their bits set vs 7/8, fed to the library's secret -> public computation
  (:mod:`pqc.leak.targets`);
- ``decaps`` / ``valid-random`` (default): valid ciphertexts for the key vs
  uniformly random strings of the same length; ``valid-tampered``: valid vs
  the same ciphertexts with one bit flipped; ``fixed-random``: one fixed valid
  ciphertext vs fresh valid ones (dudect's classic);
- ``sign`` / ``fixed-random``: one fixed 32-byte message vs random 32-byte
  messages, under one fixed key.

Every class gets its own pool of distinct objects (the fixed class too: equal
bytes, separate copies), so memory placement is alike for both classes.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pqc.backends import Implementation
from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.errors import InvalidArgumentError, UnsupportedOperationError
from pqc.leak.targets import SecretTarget, secret_target

POOL_SIZE = 512  # inputs per class, cycled through during timing
MIN_POOL = 4  # inputs per class even past the preparation deadline
MESSAGE_SIZE = 32  # bytes per signed message


@dataclass(frozen=True)
class ClassSet:
    """Two input classes for one operation: ``labels`` = (A, B) and what they are."""

    name: str
    op: str
    labels: tuple[str, str]
    description: str


WEIGHT = ClassSet(
    "weight",
    "keygen",
    ("low-weight", "high-weight"),
    "secrets with 1/8 of their bits set (A) vs 7/8 of their bits set (B)",
)
VALID_RANDOM = ClassSet(
    "valid-random",
    "decaps",
    ("valid", "random"),
    "valid ciphertexts for the key (A) vs uniformly random strings of the same length (B)",
)
VALID_TAMPERED = ClassSet(
    "valid-tampered",
    "decaps",
    ("valid", "tampered"),
    "valid ciphertexts (A) vs the same ciphertexts with one bit flipped in the middle byte (B)",
)
FIXED_RANDOM_CIPHERTEXT = ClassSet(
    "fixed-random",
    "decaps",
    ("fixed", "random"),
    "one fixed valid ciphertext (A) vs fresh valid ciphertexts (B)",
)
FIXED_RANDOM_MESSAGE = ClassSet(
    "fixed-random",
    "sign",
    ("fixed", "random"),
    f"one fixed {MESSAGE_SIZE}-byte message (A) vs random {MESSAGE_SIZE}-byte messages (B), "
    "one fixed key",
)

# Operations whose time varies by design, in ways the standard treats as public.
_VARIES_BY_DESIGN: dict[tuple[str, str], str] = {
    ("ML-DSA", "sign"): (
        "ML-DSA signing varies by design: its rejection loop (FIPS 204) repeats a "
        "data-dependent number of times (about 4-5 on average, a geometric tail); the "
        "iteration count is considered public, so a difference here is expected, not a flaw"
    ),
    ("FN-DSA", "sign"): (
        "FN-DSA (Falcon) signing varies by design: it samples until the signature is short "
        "enough, and its floating-point sampler's timing is a known research concern"
    ),
}


def design_note(impl: Implementation, op: str) -> str | None:
    """Why ``op`` of ``impl`` varies by design (None when it should not)."""
    return _VARIES_BY_DESIGN.get((impl.algorithm.family, op))


def class_sets(impl: Implementation) -> dict[str, tuple[ClassSet, ...]]:
    """Screenable operations of ``impl`` and their class sets (the first is the default)."""
    ops: dict[str, tuple[ClassSet, ...]] = {}
    if secret_target(impl) is not None:
        ops["keygen"] = (WEIGHT,)
    if impl.kind == "kem":
        ops["decaps"] = (VALID_RANDOM, VALID_TAMPERED, FIXED_RANDOM_CIPHERTEXT)
    else:
        ops["sign"] = (FIXED_RANDOM_MESSAGE,)
    return ops


def select(impl: Implementation, op: str, classes: str | None = None) -> ClassSet:
    """The class set ``classes`` (default: the op's first) for ``op`` of ``impl``.

    Raises :class:`UnsupportedOperationError` when ``op`` cannot be screened on
    this implementation and :class:`InvalidArgumentError` for an unknown class set.
    """
    available = class_sets(impl)
    if op not in available:
        hint = ""
        if op == "keygen":
            hint = " (no way to feed this library a chosen secret)"
        raise UnsupportedOperationError(
            f"cannot screen {op!r} of {impl.name} on {impl.backend}{hint}; "
            f"screenable operations: {', '.join(available) or 'none'}."
        )
    options = available[op]
    if classes is None:
        return options[0]
    for option in options:
        if option.name == classes:
            return option
    raise InvalidArgumentError(
        f"unknown input classes {classes!r} for {op}; expected one of: "
        f"{', '.join(o.name for o in options)}."
    )


@dataclass(frozen=True)
class PreparedCase:
    """What to time: ``call(x)`` for x in ``pools`` (A, B); ``inputs`` describes the pools."""

    call: Callable[[Any], object]
    pools: tuple[list[Any], list[Any]]
    inputs: str


def weighted_secret(size: int, ones: int, limit: int | None, rng: secrets.SystemRandom) -> bytes:
    """``size`` random bytes with exactly ``ones`` bits set; as a scalar in [1, limit) if given."""
    bits = 8 * size
    if not 0 < ones <= bits:
        raise ValueError(f"ones must be in 1..{bits}")
    while True:
        value = sum(1 << position for position in rng.sample(range(bits), ones))
        if limit is None or 1 <= value < limit:
            return value.to_bytes(size, "big")


def _fill(
    make: Callable[[], tuple[Any, Any]], pool_size: int, deadline: float
) -> tuple[list[Any], list[Any]]:
    pool_a: list[Any] = []
    pool_b: list[Any] = []
    while len(pool_a) < pool_size and (len(pool_a) < MIN_POOL or time.monotonic() < deadline):
        a, b = make()
        pool_a.append(a)
        pool_b.append(b)
    return pool_a, pool_b


def _case(
    call: Callable[[Any], object],
    make: Callable[[], tuple[Any, Any]],
    pool_size: int,
    deadline: float,
    inputs: Callable[[int, int], str],
) -> PreparedCase:
    """``call`` over the two pools ``make`` fills pair by pair (see :func:`_fill`).

    ``inputs(len(pool_a), len(pool_b))`` says what the pools hold.
    """
    pool_a, pool_b = _fill(make, pool_size, deadline)
    return PreparedCase(call=call, pools=(pool_a, pool_b), inputs=inputs(len(pool_a), len(pool_b)))


def _weight(target: SecretTarget, pool_size: int, deadline: float) -> PreparedCase:
    rng = secrets.SystemRandom()
    bits = 8 * target.size
    low, high = bits // 8, bits - bits // 8

    def make() -> tuple[bytes, bytes]:
        return (
            weighted_secret(target.size, low, target.limit, rng),
            weighted_secret(target.size, high, target.limit, rng),
        )

    return _case(target.compute, make, pool_size, deadline, lambda a, b: (
        f"{a} secrets of weight {low}/{bits} and {b} of weight {high}/{bits}; {target.what}"
    ))


def _flip_middle_bit(data: bytes) -> bytes:
    out = bytearray(data)
    out[len(out) // 2] ^= 1 << secrets.randbelow(8)
    return bytes(out)


def _decaps(
    impl: Implementation, class_set: ClassSet, pool_size: int, deadline: float
) -> PreparedCase:
    assert isinstance(impl, KEMImplementation)
    public_key, secret_key = impl.keygen()
    encaps = impl.encaps
    fixed = encaps(public_key)[0]

    def make() -> tuple[bytes, bytes]:
        if class_set is FIXED_RANDOM_CIPHERTEXT:
            return bytes(bytearray(fixed)), encaps(public_key)[0]
        valid = encaps(public_key)[0]
        if class_set is VALID_TAMPERED:
            return valid, _flip_middle_bit(valid)
        return valid, secrets.token_bytes(len(valid))

    decaps = functools.partial(impl.timed_operations()["decaps"], secret_key)
    return _case(decaps, make, pool_size, deadline, lambda a, b: (
        f"one key pair; {a} {class_set.labels[0]} and {b} {class_set.labels[1]} ciphertexts"
    ))


def _sign(impl: Implementation, pool_size: int, deadline: float) -> PreparedCase:
    assert isinstance(impl, SignatureImplementation)
    _, secret_key = impl.keygen()
    fixed = secrets.token_bytes(MESSAGE_SIZE)

    def make() -> tuple[bytes, bytes]:
        return bytes(bytearray(fixed)), secrets.token_bytes(MESSAGE_SIZE)

    sign = functools.partial(impl.timed_operations()["sign"], secret_key)
    return _case(sign, make, pool_size, deadline, lambda a, b: (
        f"one key pair; {a} copies of one {MESSAGE_SIZE}-byte message and {b} random "
        f"{MESSAGE_SIZE}-byte messages"
    ))


def prepare(
    impl: Implementation,
    class_set: ClassSet,
    *,
    pool_size: int = POOL_SIZE,
    prepare_seconds: float = 2.0,
) -> PreparedCase:
    """Build both input pools for ``class_set`` on ``impl`` (before any timing).

    Stops at ``pool_size`` inputs per class or after ``prepare_seconds``
    (slow operations such as pure-Python encryption), keeping at least 4.
    """
    deadline = time.monotonic() + prepare_seconds
    if class_set is WEIGHT:
        target = secret_target(impl)
        if target is None:
            select(impl, class_set.op, class_set.name)  # raises the explanatory error
            raise AssertionError("unreachable")
        return _weight(target, pool_size, deadline)
    if class_set.op == "decaps":
        return _decaps(impl, class_set, pool_size, deadline)
    if class_set.op == "sign":
        return _sign(impl, pool_size, deadline)
    raise InvalidArgumentError(f"no input builder for {class_set.op}/{class_set.name}")
