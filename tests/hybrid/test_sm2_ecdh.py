"""ECDH on curveSM2, on both backends (GmSSL's C through gmssl-native, pure-Python gmssl-ecdh):
known answers from GM/T 0003, point checks, and agreement between the two."""

from __future__ import annotations

import pytest

import pqc
from pqc.backends import backend_status
from pqc.backends.gmssl_primitives import multiply
from pqc.conformance.vectors import gm_kat
from pqc.sm import curve

LANGUAGE = {"gmssl-native": "C", "gmssl-ecdh": "pure Python"}


def _require(backend: str) -> None:
    status = backend_status(backend)
    if not status.available:
        pytest.skip(f"backend {backend} unavailable: {status.reason}")


@pytest.fixture(params=list(LANGUAGE))
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    _require(name)
    return name


def _gm_example() -> dict[str, str]:
    example: dict[str, str] = gm_kat()["sm2_encrypt"][0]
    return example


def test_public_key_of_the_standard_example() -> None:
    _require("gmssl-ecdh")
    example = _gm_example()
    public = multiply(int(example["private_key"], 16))
    assert public.hex().upper() == example["public_key"].upper()


def test_shared_point_decrypts_the_standard_ciphertext(backend: str) -> None:
    """d*C1 of GM/T 0003.4's example feeds SM3-KDF to give the example's C2 mask."""
    import gmssl_pyx

    example = _gm_example()
    c1 = bytes.fromhex("04" + example["c1_x"] + example["c1_y"])
    kem = pqc.kem("ECDH-SM2", backend)
    secret = kem.decaps(bytes.fromhex(example["private_key"]), c1)
    xy = curve.xy_from_uncompressed(c1)
    assert xy is not None
    shared = multiply(int(example["private_key"], 16), xy)
    assert secret == shared[:32]
    message = example["plaintext_ascii"].encode()
    mask = gmssl_pyx.sm3_kdf(shared, len(message))
    assert bytes(a ^ b for a, b in zip(message, mask, strict=True)).hex().upper() == (
        example["c2"].upper()
    )


def test_round_trip_and_metadata(backend: str) -> None:
    kem = pqc.kem("ECDH-SM2", backend)
    assert kem.backend == backend and kem.language == LANGUAGE[backend]
    pk, sk = kem.keygen()
    assert len(pk) == 65 and pk[0] == 4 and len(sk) == 32
    ct, ss = kem.encaps(pk)
    assert kem.decaps(sk, ct) == ss and len(ss) == 32
    assert ct != pk


def test_the_c_backend_is_preferred() -> None:
    _require("gmssl-native")
    assert pqc.kem("ECDH-SM2").backend == "gmssl-native"


@pytest.mark.parametrize(
    ("a", "b"), [("gmssl-native", "gmssl-ecdh"), ("gmssl-ecdh", "gmssl-native")]
)
def test_backends_agree(a: str, b: str) -> None:
    _require(a)
    _require(b)
    owner, peer = pqc.kem("ECDH-SM2", a), pqc.kem("ECDH-SM2", b)
    for _ in range(5):
        pk, sk = owner.keygen()
        ct, ss = peer.encaps(pk)
        assert owner.decaps(sk, ct) == ss
        assert peer.decaps(sk, ct) == ss  # same secret-key format on both


def test_points_off_the_curve_are_refused(backend: str) -> None:
    kem = pqc.kem("ECDH-SM2", backend)
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
