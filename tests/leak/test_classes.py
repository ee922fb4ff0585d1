"""Input classes on every implementation in the catalog: pools build, calls run, secrets fit."""

from __future__ import annotations

import pytest

import pqc
from pqc.errors import InvalidArgumentError, UnsupportedOperationError
from pqc.leak.classes import (
    VALID_RANDOM,
    WEIGHT,
    class_sets,
    design_note,
    prepare,
    select,
    weighted_secret,
)
from pqc.leak.targets import secret_target
from pqc.sm.curve import N as SM2_ORDER
from tests.conftest import implementation_params


@pytest.mark.parametrize(("name", "backend"), implementation_params(one_slow_per_family=True))
def test_every_class_set_prepares_and_runs(name: str, backend: str) -> None:
    impl = pqc.implementation(name, backend)
    sets = class_sets(impl)
    assert ("decaps" in sets) == (impl.kind == "kem")
    assert ("sign" in sets) == (impl.kind == "signature")
    for op, options in sets.items():
        assert select(impl, op) == options[0]
        for class_set in options:
            prepared = prepare(impl, class_set, pool_size=2, prepare_seconds=0.0)
            pool_a, pool_b = prepared.pools
            assert len(pool_a) == len(pool_b) >= 2
            assert prepared.inputs
            for item in pool_a:  # class A is always valid input: it must not raise
                prepared.call(item)
            for item in pool_b:
                try:
                    prepared.call(item)
                except pqc.PQCError:
                    assert class_set.name in ("valid-random", "valid-tampered")


def test_weight_secrets_have_the_weight_and_range() -> None:
    import secrets

    rng = secrets.SystemRandom()
    for ones in (32, 224):
        value = weighted_secret(32, ones, SM2_ORDER - 1, rng)
        number = int.from_bytes(value, "big")
        assert len(value) == 32 and bin(number).count("1") == ones
        assert 1 <= number < SM2_ORDER - 1
    with pytest.raises(ValueError):
        weighted_secret(2, 17, None, rng)


def test_sm2_gmssl_target_is_the_libraries_scalar_multiplication() -> None:
    from pqc.sm.curve import public_key_from_secret

    impl = pqc.implementation("SM2", "gmssl")
    target = secret_target(impl)
    assert target is not None and target.limit == SM2_ORDER - 1 and "_kg" in target.what
    secret = (12345678901234567890).to_bytes(32, "big")
    assert target.compute(secret) == public_key_from_secret(secret)


@pytest.mark.parametrize(
    ("name", "backend", "size"),
    [("X25519", "openssl", 32), ("ECDSA-P256", "openssl", 32), ("ML-KEM-768", "openssl", 64),
     ("ML-DSA-65", "openssl", 32), ("Ed25519", "openssl", 32), ("SM2-ENC", "gmssl", 32)],
)
def test_keygen_weight_is_offered_where_a_secret_can_be_fed(
    name: str, backend: str, size: int
) -> None:
    impl = pqc.implementation(name, backend)
    target = secret_target(impl)
    assert target is not None and target.size == size
    assert class_sets(impl)["keygen"] == (WEIGHT,)


def test_keygen_is_refused_without_a_secret_hook() -> None:
    impl = pqc.implementation("ML-DSA-65", "pqclean")  # pqcrypto takes no seed
    assert secret_target(impl) is None
    with pytest.raises(UnsupportedOperationError, match="screenable operations: sign"):
        select(impl, "keygen")


def test_gmssl_native_keygen_feeds_chosen_secrets_to_gmssl() -> None:
    """GmSSL's own d*G, as its sm2_key_generate computes it, from the chosen scalar."""
    impl = pqc.implementation("SM2", "gmssl-native")
    target = secret_target(impl)
    assert target is not None and target.size == 32 and "GmSSL" in target.what
    pk, sk = impl.keygen()
    assert target.compute(sk) == pk


def test_unknown_class_set_and_op() -> None:
    impl = pqc.implementation("ML-KEM-768", "openssl")
    assert select(impl, "decaps") == VALID_RANDOM
    with pytest.raises(InvalidArgumentError, match="valid-tampered"):
        select(impl, "decaps", "nope")
    with pytest.raises(UnsupportedOperationError):
        select(impl, "sign")


def test_design_notes() -> None:
    assert "rejection" in (design_note(pqc.implementation("ML-DSA-65", "openssl"), "sign") or "")
    assert design_note(pqc.implementation("ML-DSA-65", "openssl"), "keygen") is None
    assert design_note(pqc.implementation("ECDSA-P256", "openssl"), "sign") is None
