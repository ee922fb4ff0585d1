"""Z_A and e = SM3(Z_A || M) against the GM/T 0003.5 example (SM3 from OpenSSL here, so the
helpers are checked independently of both SM backends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from pqc.sm.digest import encryption_check, message_digest, z_a


def openssl_sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def test_z_a_and_e_match_the_standard(vectors: Path) -> None:
    example = json.loads((vectors / "gm" / "gm_kat.json").read_text())["sm2_sign"][0]
    public = bytes.fromhex(example["public_key"])
    z = z_a(public, openssl_sm3, example["id_ascii"].encode())
    assert z.hex() == example["z_a"].lower()
    assert z_a(public, openssl_sm3) == z  # the default ID is the example's
    e = message_digest(z, example["msg_ascii"].encode(), openssl_sm3)
    assert e.hex() == example["e"].lower()


def test_encryption_check_is_sm3_of_x2_m_y2() -> None:
    assert encryption_check(b"x" * 32, b"m", b"y" * 32, openssl_sm3) == openssl_sm3(
        b"x" * 32 + b"m" + b"y" * 32
    )


def test_z_a_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        z_a(b"\x00" * 65, openssl_sm3)
    with pytest.raises(ValueError):
        z_a(b"\x00" * 64, openssl_sm3, b"i" * 9000)
