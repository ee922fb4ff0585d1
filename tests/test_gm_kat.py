"""Known answers from the GM standards (pqc/data/gm_kat.json, shipped with pqc) on both SM backends.

SM3 and SM4 on both libraries; the SM2 signature example (Z_A, e, and r, s with the
standard's k on the pure-Python library, which accepts a nonce; the standard's
(r, s) verifies on both); the SM2 encryption example (C1, C3, C2 reproduced with the
standard's k on the pure-Python library; the standard's ciphertext decrypts on both);
SM9 key extraction on GmSSL. The examples are the package's copy, read by
:func:`pqc.conformance.vectors.gm_kat` as ``pqc verify`` reads them, so these tests
never skip for want of ../shared.
"""

from __future__ import annotations

from typing import Any

import pytest

import pqc
from pqc.backends import backend_status
from pqc.conformance.vectors import gm_kat
from pqc.sm.der import ciphertext_to_der
from pqc.sm.digest import message_digest, z_a


def _need(backend: str) -> None:
    status = backend_status(backend)
    if not status.available:
        pytest.skip(f"backend {backend} unavailable: {status.reason}")


@pytest.fixture(scope="module")
def gm() -> dict[str, Any]:
    return gm_kat()


def _hex(value: str) -> bytes:
    return bytes.fromhex(value)


# ---------------------------------------------------------------- SM3
def test_sm3_pure_python(gm: dict[str, Any]) -> None:
    _need("gmssl")
    from pqc.backends.gmssl_primitives import sm3

    for case in gm["sm3"]:
        assert sm3(case["msg_ascii"].encode()) == _hex(case["digest"]), case["msg_ascii"]


def test_sm3_gmssl_c(gm: dict[str, Any]) -> None:
    _need("gmssl-native")
    import gmssl_pyx

    for case in gm["sm3"]:
        assert gmssl_pyx.sm3_hash(case["msg_ascii"].encode()) == _hex(case["digest"])


# ---------------------------------------------------------------- SM4
def _sm4_pure_python_block(key: bytes, block: bytes) -> bytes:
    from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

    cipher = CryptSM4(padding_mode=None)  # no padding: one raw block
    cipher.set_key(key, SM4_ENCRYPT)
    return bytes(cipher.crypt_ecb(block))


def _sm4_gmssl_c_iterated(key: bytes, block: bytes, iterations: int) -> bytes:
    """E^iterations(block) with GmSSL's C: CBC under a zero IV over block || zeros chains E."""
    import gmssl_pyx

    plaintext = block + bytes(16 * (iterations - 1))
    ciphertext = gmssl_pyx.sm4_cbc_padding_encrypt(key, bytes(16), plaintext)
    return bytes(ciphertext[16 * (iterations - 1) : 16 * iterations])


def test_sm4_pure_python_single_block(gm: dict[str, Any]) -> None:
    """The 1,000,000-iteration example would take minutes in pure Python; GmSSL runs it."""
    _need("gmssl")
    for case in gm["sm4"]:
        if case.get("iterations", 1) == 1:
            got = _sm4_pure_python_block(_hex(case["key"]), _hex(case["plaintext"]))
            assert got == _hex(case["ciphertext"])


def test_sm4_gmssl_c(gm: dict[str, Any]) -> None:
    _need("gmssl-native")
    for case in gm["sm4"]:
        iterations = case.get("iterations", 1)
        got = _sm4_gmssl_c_iterated(_hex(case["key"]), _hex(case["plaintext"]), iterations)
        assert got == _hex(case["ciphertext"]), case["note"]


# ---------------------------------------------------------------- SM2 signature
@pytest.fixture(scope="module")
def sign_example(gm: dict[str, Any]) -> dict[str, Any]:
    example: dict[str, Any] = gm["sm2_sign"][0]
    assert example["id_ascii"] == "1234567812345678"  # the catalog's default ID
    return example


@pytest.mark.parametrize("backend", ["gmssl", "gmssl-native"])
def test_sm2_z_a_and_e(sign_example: dict[str, Any], backend: str) -> None:
    _need(backend)
    if backend == "gmssl":
        from pqc.backends.gmssl_primitives import sm3
    else:
        from pqc.backends.gmssl_native import sm3
    public = _hex(sign_example["public_key"])
    z = z_a(public, sm3, sign_example["id_ascii"].encode())
    assert z == _hex(sign_example["z_a"])
    e = message_digest(z, sign_example["msg_ascii"].encode(), sm3)
    assert e == _hex(sign_example["e"])


def test_sm2_signature_with_the_standards_nonce(sign_example: dict[str, Any]) -> None:
    _need("gmssl")
    from pqc.backends.gmssl_primitives import sm2_sign_with_nonce

    signature = sm2_sign_with_nonce(
        _hex(sign_example["private_key"]),
        sign_example["msg_ascii"].encode(),
        int(sign_example["k"], 16),
    )
    assert signature == _hex(sign_example["r"]) + _hex(sign_example["s"])


def test_sm2_public_key_from_the_standards_secret(sign_example: dict[str, Any]) -> None:
    from pqc.sm.curve import public_key_from_secret

    assert public_key_from_secret(_hex(sign_example["private_key"])) == _hex(
        sign_example["public_key"]
    )


@pytest.mark.parametrize("backend", ["gmssl", "gmssl-native"])
def test_sm2_standard_signature_verifies(sign_example: dict[str, Any], backend: str) -> None:
    _need(backend)
    impl = pqc.signature("SM2", backend)
    public = _hex(sign_example["public_key"])
    message = sign_example["msg_ascii"].encode()
    signature = _hex(sign_example["r"]) + _hex(sign_example["s"])
    assert impl.verify(public, message, signature)
    assert not impl.verify(public, message + b".", signature)
    assert impl.verify(public, message, impl.sign(_hex(sign_example["private_key"]), message))


def test_sm2_test_curve_example_on_pure_python(gm: dict[str, Any]) -> None:
    """The GB/T 32918.2 example on its 256-bit test curve, through the library's custom curves.

    The JSON omits the test curve's generator; it is the standard's (an input, checked
    to be on the curve, not a result).
    """
    _need("gmssl")
    from gmssl import sm2

    from pqc.backends.gmssl_primitives import sm3

    example = gm["sm2_sign_test_curve"][0]
    params = {k: int(v, 16) for k, v in example["curve"].items()}
    gx = 0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D
    gy = 0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2
    p, a, b = params["p"], params["a"], params["b"]
    assert (gy * gy - gx**3 - a * gx - b) % p == 0
    table = {
        "n": f"{params['n']:064X}",
        "p": f"{p:064X}",
        "g": f"{gx:064x}{gy:064x}",
        "a": f"{a:064X}",
        "b": f"{b:064X}",
    }
    obj = sm2.CryptSM2(private_key=example["private_key"], public_key="", ecc_table=table)
    public_hex = obj._kg(int(example["private_key"], 16), table["g"])
    identity = example["id_ascii"].encode()
    z = sm3(
        (8 * len(identity)).to_bytes(2, "big")
        + identity
        + b"".join(_hex(table[k]) for k in ("a", "b", "g"))
        + _hex(public_hex)
    )
    assert z == _hex(example["z_a"])
    e = sm3(z + example["msg_ascii"].encode())
    signature = obj.sign(e, example["k"])
    assert signature == (example["r"] + example["s"]).lower()


# ---------------------------------------------------------------- SM2 encryption
@pytest.fixture(scope="module")
def enc_example(gm: dict[str, Any]) -> dict[str, Any]:
    example: dict[str, Any] = gm["sm2_encrypt"][0]
    return example


def _standard_ciphertext(example: dict[str, Any]) -> bytes:
    return b"".join(_hex(example[k]) for k in ("c1_x", "c1_y", "c3", "c2"))


def test_sm2_encryption_with_the_standards_k(enc_example: dict[str, Any]) -> None:
    _need("gmssl")
    from pqc.backends.gmssl_primitives import sm2_encrypt_with_nonce

    ciphertext = sm2_encrypt_with_nonce(
        _hex(enc_example["public_key"]),
        enc_example["plaintext_ascii"].encode(),
        int(enc_example["k"], 16),
    )
    assert ciphertext[:32] == _hex(enc_example["c1_x"])
    assert ciphertext[32:64] == _hex(enc_example["c1_y"])
    assert ciphertext[64:96] == _hex(enc_example["c3"])
    assert ciphertext[96:] == _hex(enc_example["c2"])


def test_sm2_standard_ciphertext_decrypts_on_pure_python(enc_example: dict[str, Any]) -> None:
    _need("gmssl")
    from pqc.backends.gmssl_primitives import sm2_decrypt

    secret = _hex(enc_example["private_key"])
    ciphertext = _standard_ciphertext(enc_example)
    assert sm2_decrypt(secret, ciphertext) == enc_example["plaintext_ascii"].encode()
    tampered = ciphertext[:-1] + bytes([ciphertext[-1] ^ 1])
    with pytest.raises(pqc.DecryptionError):
        sm2_decrypt(secret, tampered)


def test_sm2_standard_ciphertext_decrypts_on_gmssl_c(enc_example: dict[str, Any]) -> None:
    """Through pqc's C1C3C2 -> DER conversion (GM/T 0009 layout)."""
    _need("gmssl-native")
    import gmssl_pyx

    der = ciphertext_to_der(_standard_ciphertext(enc_example))
    plaintext = gmssl_pyx.sm2_decrypt(_hex(enc_example["private_key"]), der)
    assert plaintext == enc_example["plaintext_ascii"].encode()


# ---------------------------------------------------------------- SM9
def test_sm9_key_extraction(gm: dict[str, Any]) -> None:
    """deB = extract(ke, "Bob") matches GM/T 0044; the rebuilt master key also encrypts to Bob."""
    _need("gmssl-native")
    import gmssl_pyx

    from pqc.sm.sm9 import master_encryption_key_der, user_encryption_key_coordinates

    example = gm["sm9_encrypt_key_extraction"][0]
    ke = int(example["master_private_key_ke"], 16)
    master = gmssl_pyx.SM9MasterKey.from_der(master_encryption_key_der(ke))
    identity = example["id_ascii"].encode()
    coords = list(user_encryption_key_coordinates(master.extract_key(identity).to_der()))
    expected = [_hex(c) for c in example["user_private_key_deB"]]
    swapped = [expected[1], expected[0], expected[3], expected[2]]
    assert coords in (expected, swapped), "deB differs beyond the order of the Fp2 halves"
    # Ppub-e = ke * P1 was rebuilt correctly only if the master public key matches ke:
    ciphertext = master.public_key().encrypt(identity, b"standard key")
    assert master.extract_key(identity).decrypt(identity, ciphertext) == b"standard key"
