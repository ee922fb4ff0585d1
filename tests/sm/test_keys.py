"""The SM2 key checks every SM backend shares: GB/T 32918's ranges and the two point forms."""

from __future__ import annotations

import pytest

from pqc.errors import InvalidCiphertextError, InvalidKeyError
from pqc.sm import curve, keys


def _scalar(value: int) -> bytes:
    return value.to_bytes(32, "big")


def test_secret_keys_lie_in_1_to_n_minus_2_and_ecdh_scalars_in_1_to_n_minus_1() -> None:
    assert keys.secret_scalar(_scalar(curve.N - 2)) == curve.N - 2
    assert keys.ecdh_scalar(_scalar(curve.N - 1)) == curve.N - 1
    for bad in (0, curve.N - 1, curve.N):
        with pytest.raises(InvalidKeyError, match=r"\[1, n-2\]"):
            keys.secret_scalar(_scalar(bad))
    for bad in (0, curve.N):
        with pytest.raises(InvalidKeyError, match=r"\[1, n-1\]"):
            keys.ecdh_scalar(_scalar(bad))


def test_random_scalars_stay_in_their_ranges() -> None:
    for _ in range(200):
        assert curve.is_valid_secret_scalar(keys.random_secret_scalar())
        assert 1 <= keys.random_nonce() <= curve.N - 1


def test_the_64_and_65_byte_point_forms() -> None:
    g = curve.GENERATOR_XY
    assert len(g) == curve.XY_SIZE and curve.decode_xy(g) == curve.GENERATOR
    sec1 = curve.uncompressed_from_xy(g)
    assert len(sec1) == curve.UNCOMPRESSED_SIZE and sec1[0] == 4
    assert curve.xy_from_uncompressed(sec1) == g
    assert curve.xy_from_uncompressed(g) is None  # 64 bytes is not the 65-byte form
    assert keys.xy_of_uncompressed(sec1, InvalidKeyError) == g
    off_curve = sec1[:-1] + bytes([sec1[-1] ^ 1])
    with pytest.raises(InvalidCiphertextError, match="not on curveSM2"):
        keys.xy_of_uncompressed(off_curve, InvalidCiphertextError)
    assert keys.xy_of_uncompressed(off_curve, InvalidKeyError, check_curve=False) == off_curve[1:]
    with pytest.raises(InvalidKeyError, match="65 bytes"):
        keys.xy_of_uncompressed(b"\x02" + g, InvalidKeyError)
    with pytest.raises(InvalidKeyError, match="not a point"):
        keys.public_point(off_curve[1:])


def test_signature_range_is_1_to_n_minus_1_for_r_and_s() -> None:
    one, top = _scalar(1), _scalar(curve.N - 1)
    assert curve.is_signature_in_range(one + top)
    for r, s in ((0, 1), (1, 0), (curve.N, 1), (1, curve.N)):
        assert not curve.is_signature_in_range(_scalar(r) + _scalar(s))
