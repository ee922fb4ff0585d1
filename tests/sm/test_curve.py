"""The SM2 curve helpers: constants, point checks and the pure-Python scalar multiplication."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pqc.sm import curve


def test_generator_is_on_the_curve_and_has_order_n() -> None:
    assert curve.is_on_curve(curve.GX, curve.GY)
    assert curve.scalar_multiply(curve.N) is None
    assert curve.scalar_multiply(curve.N - 1) == (curve.GX, (-curve.GY) % curve.P)


def test_decode_xy_rejects_off_curve_and_unreduced() -> None:
    g = curve.encode_xy(curve.GENERATOR)
    assert curve.decode_xy(g) == curve.GENERATOR
    assert curve.decode_xy(g[:-1] + bytes([g[-1] ^ 1])) is None
    assert curve.decode_xy(b"\x00" * 64) is None  # (0, 0) is not on the curve
    unreduced = (curve.GX + curve.P).to_bytes(33, "big")[1:]  # x + p does not fit: 32 bytes only
    assert curve.decode_xy(unreduced + g[32:]) is None
    assert curve.decode_xy(g[:63]) is None


SCALARS = st.integers(min_value=1, max_value=curve.N - 1)


@settings(max_examples=10, deadline=None)
@given(SCALARS, SCALARS)
def test_scalar_multiplication_is_linear(a: int, b: int) -> None:
    assert curve.point_add(curve.scalar_multiply(a), curve.scalar_multiply(b)) == (
        curve.scalar_multiply(a + b)
    )


def test_point_add_doubling_and_inverse() -> None:
    g = curve.GENERATOR
    assert curve.point_add(g, g) == curve.scalar_multiply(2)
    assert curve.point_add(g, (g[0], (-g[1]) % curve.P)) is None
    assert curve.point_add(None, g) == g


def test_public_key_from_secret_checks_the_range() -> None:
    assert curve.public_key_from_secret((1).to_bytes(32, "big")) == curve.encode_xy(
        curve.GENERATOR
    )
    for bad in (0, curve.N - 1, curve.N, 2**256 - 1):
        with pytest.raises(ValueError):
            curve.public_key_from_secret(bad.to_bytes(32, "big"))
    with pytest.raises(ValueError):
        curve.public_key_from_secret(secrets.token_bytes(31))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**256 - 1))
def test_fixed_base_comb_matches_the_ladder(k: int) -> None:
    assert curve.multiply_generator(k) == curve.scalar_multiply(k)


def test_fixed_base_comb_edge_scalars() -> None:
    assert curve.multiply_generator(0) is None
    assert curve.multiply_generator(curve.N) is None
    assert curve.multiply_generator(1) == curve.GENERATOR
    assert curve.multiply_generator(curve.N - 1) == (curve.GX, (-curve.GY) % curve.P)
