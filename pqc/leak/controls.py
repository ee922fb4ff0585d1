"""The screen's controls: a comparison that leaks by a chosen amount, and one that does not.

Both check a guess against a ``size``-byte secret after the same fixed
padding work (a pure-Python loop over a constant buffer, about 40 µs for the
default size: the cost of a typical crypto call reached from Python, so the
controls' noise resembles a real target's). Every guess is wrong.

- positive control: before the constant-time check, an *early-exit* scan of
  the first ``leak_bytes`` bytes (``while i < leak_bytes and secret[i] ==
  guess[i]``). Class ``mismatch-early`` (guess differs at byte 0) stops at
  once; ``match-late`` (guess differs only at the last byte) runs all
  ``leak_bytes`` steps, about 20-40 ns each. 0 means no leak at all.
- negative control: the same padding and ``hmac.compare_digest`` only: the
  same task in constant time.

The padding touches only constant data: a Python loop over the guess itself
would leak a little on its own (CPython's reference counting on cached small
ints makes ``0 | 0`` chains slower than mixed values), which is exactly what a
negative control must not do.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

CONTROL_SIZE = 1024  # bytes of secret, and of constant padding data looped over per call
DEFAULT_LEAK_BYTES = 16  # early-exit steps of leak in the default positive control
CONTROL_LABELS = ("mismatch-early", "match-late")

ControlKind = Literal["positive", "negative"]


def _padding(data: bytes) -> int:
    acc = 0
    for x in data:
        acc ^= x
    return acc


def leaky_compare(secret: bytes, guess: bytes, leak_bytes: int, pad: bytes) -> bool:
    """True when equal; time grows with the matching prefix, up to ``leak_bytes`` bytes."""
    _padding(pad)
    i = 0
    while i < leak_bytes and secret[i] == guess[i]:
        i += 1
    return hmac.compare_digest(secret, guess)


def constant_compare(secret: bytes, guess: bytes, leak_bytes: int, pad: bytes) -> bool:
    """The same padding and check as :func:`leaky_compare`, without the early-exit scan."""
    _padding(pad)
    return hmac.compare_digest(secret, guess)


@dataclass(frozen=True)
class Control:
    """A control ready to time: ``call(guess)`` over the two guess pools (A, B)."""

    kind: ControlKind
    leak_bytes: int
    size: int
    call: Callable[[bytes], bool]
    pools: tuple[list[bytes], list[bytes]]

    @property
    def labels(self) -> tuple[str, str]:
        return CONTROL_LABELS

    @property
    def description(self) -> str:
        scan = (
            f"an early-exit scan of the first {self.leak_bytes} bytes, then "
            if self.kind == "positive"
            else ""
        )
        return (
            f"{self.size}-byte secret vs a wrong guess: fixed padding work, {scan}"
            "hmac.compare_digest; guess differs at byte 0 (A) vs only at the last byte (B)"
        )


def _differing(secret: bytes, index: int) -> bytes:
    out = bytearray(secret)
    out[index] ^= 1 + secrets.randbelow(255)
    return bytes(out)


def make_control(
    kind: ControlKind,
    *,
    leak_bytes: int = DEFAULT_LEAK_BYTES,
    size: int = CONTROL_SIZE,
    pool_size: int = 256,
) -> Control:
    """A fresh control: a random secret and ``pool_size`` distinct wrong guesses per class."""
    if kind not in ("positive", "negative"):
        raise ValueError(f"kind must be 'positive' or 'negative', got {kind!r}")
    if not 0 <= leak_bytes < size:
        raise ValueError(f"leak_bytes must be between 0 and {size - 1}, got {leak_bytes}")
    secret = secrets.token_bytes(size)
    early = [_differing(secret, 0) for _ in range(pool_size)]
    late = [_differing(secret, size - 1) for _ in range(pool_size)]
    compare = leaky_compare if kind == "positive" else constant_compare
    pad = (bytes(range(256)) * (size // 256 + 1))[:size]

    def call(guess: bytes) -> bool:
        return compare(secret, guess, leak_bytes, pad)

    return Control(kind, leak_bytes, size, call, (early, late))
