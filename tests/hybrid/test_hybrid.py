"""Hybrid KEMs: the composite equals the composition of its parts, in the TLS byte order."""

from __future__ import annotations

import itertools

import pytest

import pqc
from pqc.hybrid import HybridKEM, compose, hybrid_algorithms

HYBRIDS = [a.name for a in hybrid_algorithms()]
MLKEM_BACKENDS = pqc.available_backends("ML-KEM-768")

# name -> (component order on the wire, size of the classical share)
EXPECTED_ORDER = {
    "X25519MLKEM768": ("ML-KEM-768", "X25519"),
    "SecP256r1MLKEM768": ("ECDH-P256", "ML-KEM-768"),
    "SM2-MLKEM768": ("ECDH-SM2", "ML-KEM-768"),
}


def _skip_unless_buildable(name: str) -> None:
    for component in pqc.lookup(name).components:
        if not pqc.available_backends(component):
            pytest.skip(f"{name}: no available backend for {component}; install one (pqc list)")


def test_the_catalog_lists_the_three_tls_hybrids() -> None:
    assert set(EXPECTED_ORDER) <= set(HYBRIDS)
    for name, order in EXPECTED_ORDER.items():
        assert pqc.lookup(name).components == order


@pytest.mark.parametrize("name", HYBRIDS)
def test_catalog_sizes_are_the_sums_of_the_parts(name: str) -> None:
    entry = pqc.lookup(name)
    parts = [pqc.lookup(c) for c in entry.components]
    assert entry.kind == "kem" and entry.family == "hybrid"
    for size in ("public_key", "secret_key", "ciphertext", "shared_secret"):
        assert entry.sizes[size] == sum(p.sizes[size] for p in parts), size
    assert entry.quantum_safe and any(p.quantum_safe for p in parts)
    assert entry.construction and "FIRST" in entry.construction


def test_tls_wire_sizes() -> None:
    """Key-share sizes stated by draft-ietf-tls-ecdhe-mlkem and draft-yang-tls-hybrid-sm2-mlkem."""
    assert pqc.lookup("X25519MLKEM768").public_key_size == 1216
    assert pqc.lookup("X25519MLKEM768").ciphertext_size == 1120
    for name in ("SecP256r1MLKEM768", "SM2-MLKEM768"):
        assert pqc.lookup(name).public_key_size == 1249
        assert pqc.lookup(name).ciphertext_size == 1153


@pytest.mark.parametrize("name", HYBRIDS)
def test_composite_equals_composition_of_parts(name: str) -> None:
    _skip_unless_buildable(name)
    kem = pqc.kem(name)
    assert isinstance(kem, HybridKEM) and kem.backend == "hybrid"
    pk, sk = kem.keygen()
    ct, ss = kem.encaps(pk)
    assert kem.decaps(sk, ct) == ss
    assert (len(pk), len(ct), len(ss)) == (kem.public_key_size, kem.ciphertext_size, 64)
    pks, sks = kem.split_public_key(pk), kem.split_secret_key(sk)
    cts, sss = kem.split_ciphertext(ct), kem.split_shared_secret(ss)
    assert b"".join(pks) == pk and b"".join(sks) == sk
    assert b"".join(cts) == ct and b"".join(sss) == ss
    for part, part_pk, part_sk, part_ct, part_ss in zip(
        kem.components, pks, sks, cts, sss, strict=True
    ):
        assert len(part_pk) == part.public_key_size
        assert part.decaps(part_sk, part_ct) == part_ss
        # and the other way: the part's own encapsulation, decapsulated by the composite
        own_ct, own_ss = part.encaps(part_pk)
        pairs = zip(kem.components, cts, sss, strict=True)
        mixed = [(own_ct, own_ss) if c is part else (c_ct, c_ss) for c, c_ct, c_ss in pairs]
        expected = b"".join(s for _, s in mixed)
        assert kem.decaps(sk, b"".join(c for c, _ in mixed)) == expected


def test_x25519mlkem768_puts_mlkem_first() -> None:
    _skip_unless_buildable("X25519MLKEM768")
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    kem = compose("X25519MLKEM768")
    pk, sk = kem.keygen()
    x25519_public = X25519PrivateKey.from_private_bytes(sk[-32:]).public_key().public_bytes_raw()
    assert pk[-32:] == x25519_public
    mlkem = pqc.kem("ML-KEM-768", kem.component_backends["ML-KEM-768"])
    ct, ss = mlkem.encaps(pk[:1184])
    assert mlkem.decaps(sk[:-32], ct) == ss


@pytest.mark.parametrize("name", ["SecP256r1MLKEM768", "SM2-MLKEM768"])
def test_ecdh_share_comes_first(name: str) -> None:
    _skip_unless_buildable(name)
    kem = compose(name)
    pk, sk = kem.keygen()
    ecdh = kem.components[0]
    assert ecdh.name in ("ECDH-P256", "ECDH-SM2")
    assert pk[0] == 4  # uncompressed point leads the share
    ct, ss = kem.encaps(pk)
    assert ct[0] == 4
    # the first 32 bytes of the secret are the ECDH part: recompute it from the parts
    assert ecdh.decaps(sk[:32], ct[:65]) == ss[:32]


@pytest.mark.skipif(len(MLKEM_BACKENDS) < 2, reason="needs two ML-KEM-768 backends (pqc list)")
@pytest.mark.parametrize("name", HYBRIDS)
def test_interoperates_across_mlkem_backends(name: str) -> None:
    _skip_unless_buildable(name)
    for a, b in itertools.permutations(MLKEM_BACKENDS, 2):
        receiver = compose(name, mlkem_backend=a)
        sender = compose(name, mlkem_backend=b)
        assert receiver.component_backends["ML-KEM-768"] == a
        pk, sk = receiver.keygen()
        ct, ss = sender.encaps(pk)
        assert receiver.decaps(sk, ct) == ss, f"{b} -> {a}"


def test_secret_key_layout_follows_the_mlkem_backend() -> None:
    """OpenSSL keeps ML-KEM as a 64-byte seed: the classical part keeps its fixed 32 bytes."""
    if "openssl" not in MLKEM_BACKENDS:
        pytest.skip("the openssl backend is unavailable: pip install 'cryptography>=50'")
    kem = compose("X25519MLKEM768", mlkem_backend="openssl")
    pk, sk = kem.keygen()
    assert len(sk) == 64 + 32 and kem.secret_key_size == 96
    mlkem_sk, x25519_sk = kem.split_secret_key(sk)
    assert (len(mlkem_sk), len(x25519_sk)) == (64, 32)
    with pytest.raises(pqc.InvalidKeyError):
        kem.decaps(sk[:-1], kem.encaps(pk)[0])


def test_compose_names_component_backends_explicitly() -> None:
    kem = compose("X25519MLKEM768", backends={"x25519": "openssl"})
    assert kem.component_backends["X25519"] == "openssl"
    with pytest.raises(pqc.InvalidArgumentError, match="not a component"):
        compose("X25519MLKEM768", backends={"ECDH-P256": "openssl"})
    with pytest.raises(pqc.InvalidArgumentError, match="not a hybrid"):
        compose("ML-KEM-768")
    with pytest.raises(pqc.UnsupportedAlgorithmError):
        compose("X25519MLKEM768", classical_backend="pqclean")


def test_describe_and_repr_name_every_part() -> None:
    kem = pqc.kem("X25519MLKEM768")
    components = kem.describe()["components"]
    assert isinstance(components, list)
    assert [c["algorithm"] for c in components] == ["ML-KEM-768", "X25519"]
    assert "ML-KEM-768@" in repr(kem) and "X25519@openssl" in repr(kem)
    _, sk = kem.keygen()
    assert sk.hex() not in repr(kem)


def test_bad_lengths_and_points_are_refused() -> None:
    kem = pqc.kem("SecP256r1MLKEM768")
    pk, sk = kem.keygen()
    with pytest.raises(pqc.InvalidKeyError):
        kem.encaps(pk[:-1])
    ct, _ = kem.encaps(pk)
    with pytest.raises(pqc.InvalidCiphertextError):
        kem.decaps(sk, ct + b"\x00")
    off_curve = b"\x04" + b"\x00" * 64 + pk[65:]
    with pytest.raises(pqc.InvalidKeyError):
        kem.encaps(off_curve)


def test_tampered_mlkem_ciphertext_changes_only_the_mlkem_secret() -> None:
    kem = pqc.kem("X25519MLKEM768")
    pk, sk = kem.keygen()
    ct, ss = kem.encaps(pk)
    tampered = bytes([ct[0] ^ 1]) + ct[1:]
    other = kem.decaps(sk, tampered)  # implicit rejection: no error, another secret
    assert other[:32] != ss[:32] and other[32:] == ss[32:]
