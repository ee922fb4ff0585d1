"""DER <-> r||s and DER <-> C1C3C2 conversions (strict DER both ways)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pqc.sm.der import (
    MalformedDER,
    ciphertext_from_der,
    ciphertext_to_der,
    signature_from_der,
    signature_to_der,
)

COORD = st.integers(min_value=0, max_value=2**256 - 1)


@given(COORD, COORD)
def test_signature_round_trip(r: int, s: int) -> None:
    rs = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    der = signature_to_der(rs)
    assert der[0] == 0x30
    assert signature_from_der(der) == rs


@given(COORD, COORD, st.binary(min_size=32, max_size=32), st.binary(min_size=1, max_size=300))
def test_ciphertext_round_trip(x: int, y: int, c3: bytes, c2: bytes) -> None:
    raw = x.to_bytes(32, "big") + y.to_bytes(32, "big") + c3 + c2
    assert ciphertext_from_der(ciphertext_to_der(raw)) == raw


def test_signature_der_is_minimal() -> None:
    rs = (1).to_bytes(32, "big") + (2**255).to_bytes(32, "big")
    # r = 1 takes one byte; s has its high bit set and takes a leading zero
    assert signature_to_der(rs) == bytes.fromhex("3026020101022100") + (2**255).to_bytes(32, "big")


@pytest.mark.parametrize(
    "der_hex, why",
    [
        ("3006020101020101" + "00", "trailing byte"),
        ("30060201010201", "truncated"),
        ("3006020181020101", "negative r"),
        ("300702020001020101", "non-minimal integer"),
        ("308106020101020101", "non-minimal length"),
        ("3009020101020101020101", "extra field"),
        ("3006040101020101", "wrong tag"),
        ("3025020101022101" + "00" * 32, "s longer than 32 bytes"),
        ("", "empty"),
    ],
)
def test_malformed_signature_der(der_hex: str, why: str) -> None:
    with pytest.raises(MalformedDER):
        signature_from_der(bytes.fromhex(der_hex))


def test_malformed_ciphertext_der() -> None:
    good = ciphertext_to_der(bytes(range(64)) + b"\x03" * 32 + b"\x02" * 5)
    with pytest.raises(MalformedDER):
        ciphertext_from_der(good + b"\x00")
    short_c3 = bytes.fromhex("300e020101020101041f") + b"\x00" * 3
    with pytest.raises(MalformedDER):
        ciphertext_from_der(short_c3)
    with pytest.raises(ValueError):
        ciphertext_to_der(b"\x00" * 96)  # no C2
    with pytest.raises(ValueError):
        signature_to_der(b"\x00" * 63)
