"""SM9 helpers: BN256 G1 arithmetic and GmSSL's master/user key DER layouts."""

from __future__ import annotations

import pytest

from pqc.sm import sm9


def test_p1_is_on_g1_with_order_n() -> None:
    assert sm9.g1_is_on_curve(sm9.P1)
    assert sm9.g1_multiply(sm9.BN_N - 1) == (sm9.P1[0], (-sm9.P1[1]) % sm9.BN_P)
    assert sm9.g1_multiply(sm9.BN_N) is None


def test_master_key_der_layout() -> None:
    der = sm9.master_encryption_key_der(0x0001EDEE)
    assert der[0] == 0x30 and der[1] == len(der) - 2
    assert der[2:4] == b"\x02\x03" and der[4:7] == bytes.fromhex("01edee")
    assert der[7:11] == b"\x03\x42\x00\x04"
    point = (int.from_bytes(der[11:43], "big"), int.from_bytes(der[43:75], "big"))
    assert point == sm9.g1_multiply(0x0001EDEE)
    with pytest.raises(ValueError):
        sm9.master_encryption_key_der(0)


def test_rebuilt_master_key_matches_gmssl_byte_for_byte() -> None:
    gmssl_pyx = pytest.importorskip(
        "gmssl_pyx", reason="gmssl-pyx is needed: pip install gmssl-pyx==2.1.0"
    )
    generated = gmssl_pyx.SM9MasterKey.generate().to_der()
    # the generated key's own ke rebuilds its own DER byte for byte
    length = generated[3]
    ke = int.from_bytes(generated[4 : 4 + length], "big")
    assert sm9.master_encryption_key_der(ke) == bytes(generated)


def test_user_key_coordinates_reject_foreign_der() -> None:
    with pytest.raises(ValueError):
        sm9.user_encryption_key_coordinates(b"\x30\x03\x02\x01\x00")
