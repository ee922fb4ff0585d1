"""The controls: correct comparisons, classes that differ where they should."""

from __future__ import annotations

import secrets

import pytest

from pqc.leak.controls import (
    CONTROL_LABELS,
    constant_compare,
    leaky_compare,
    make_control,
)

PAD = bytes(64)


@pytest.mark.parametrize("compare", [leaky_compare, constant_compare])
def test_comparisons_are_correct(compare: object) -> None:
    secret = secrets.token_bytes(64)
    assert compare(secret, bytes(secret), 8, PAD)  # type: ignore[operator]
    wrong = bytearray(secret)
    wrong[-1] ^= 1
    assert not compare(secret, bytes(wrong), 8, PAD)  # type: ignore[operator]
    wrong = bytearray(secret)
    wrong[0] ^= 0x80
    assert not compare(secret, bytes(wrong), 8, PAD)  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["positive", "negative"])
def test_control_pools_differ_where_the_labels_say(kind: str) -> None:
    control = make_control(kind, leak_bytes=5, size=128, pool_size=16)  # type: ignore[arg-type]
    early, late = control.pools
    assert control.labels == CONTROL_LABELS
    assert len(early) == len(late) == 16
    assert len({bytes(g) for g in early}) > 1  # distinct guesses
    for guess in early:
        assert control.call(guess) is False
    for guess in late:
        assert control.call(guess) is False
    reference = late[0][:-1]
    assert all(g[:-1] == reference for g in late)  # match-late: equal up to the last byte
    assert all(g[1:] == early[0][1:] and g[0] != reference[0] for g in early)
    assert ("early-exit" in control.description) == (kind == "positive")


def test_control_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        make_control("positive", leak_bytes=1024, size=1024)
    with pytest.raises(ValueError):
        make_control("neutral")  # type: ignore[arg-type]
