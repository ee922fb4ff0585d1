"""ECDH on curveSM2 (the gmssl-ecdh backend): known answers from GM/T 0003 and point checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pqc
from pqc.backends import gmssl_ecdh
from pqc.backends.gmssl_ecdh import decode_point, encode_point, scalar_mult

pytestmark = pytest.mark.skipif(
    not gmssl_ecdh.status().available, reason=f"{gmssl_ecdh.status().reason}"
)


def _gm_example(vectors: Path) -> dict[str, str]:
    data = json.loads((vectors / "gm" / "gm_kat.json").read_text(encoding="utf-8"))
    example: dict[str, str] = data["sm2_encrypt"][0]
    return example


def test_public_key_of_the_standard_example(vectors: Path) -> None:
    example = _gm_example(vectors)
    x, y = scalar_mult(int(example["private_key"], 16), gmssl_ecdh._generator_hex())
    assert f"{x:064X}{y:064X}" == example["public_key"].upper()


def test_shared_point_decrypts_the_standard_ciphertext(vectors: Path) -> None:
    """d*C1 of GM/T 0003.4's example feeds SM3-KDF to give the example's C2 mask."""
    import gmssl_pyx

    example = _gm_example(vectors)
    c1 = bytes.fromhex("04" + example["c1_x"] + example["c1_y"])
    kem = pqc.kem("ECDH-SM2")
    secret = kem.decaps(bytes.fromhex(example["private_key"]), c1)
    x2, y2 = scalar_mult(int(example["private_key"], 16), decode_point(c1))
    assert secret == x2.to_bytes(32, "big")
    message = example["plaintext_ascii"].encode()
    mask = gmssl_pyx.sm3_kdf(encode_point(x2, y2)[1:], len(message))
    assert bytes(a ^ b for a, b in zip(message, mask, strict=True)).hex().upper() == (
        example["c2"].upper()
    )


def test_round_trip_and_metadata() -> None:
    kem = pqc.kem("ECDH-SM2")
    assert kem.backend == "gmssl-ecdh" and kem.language == "pure Python"
    pk, sk = kem.keygen()
    assert len(pk) == 65 and pk[0] == 4 and len(sk) == 32
    ct, ss = kem.encaps(pk)
    assert kem.decaps(sk, ct) == ss and len(ss) == 32
    assert ct != pk


def test_points_off_the_curve_are_refused() -> None:
    kem = pqc.kem("ECDH-SM2")
    pk, sk = kem.keygen()
    bad = pk[:-1] + bytes([pk[-1] ^ 1])
    with pytest.raises(pqc.InvalidKeyError):
        kem.encaps(bad)
    with pytest.raises(pqc.InvalidCiphertextError):
        kem.decaps(sk, bad)
    with pytest.raises(pqc.InvalidKeyError):
        kem.encaps(b"\x02" + pk[1:])  # compressed/hybrid prefixes are not accepted
    with pytest.raises(pqc.InvalidKeyError):
        kem.decaps(b"\x00" * 32, pk)  # d = 0
