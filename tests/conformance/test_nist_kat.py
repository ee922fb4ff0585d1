"""NIST KAT machinery: the AES-256 CTR DRBG and HQC's SHAKE PRNG, the KAT response text,
and every liboqs algorithm of the catalog reproducing the digest liboqs publishes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import pqc
from pqc.backends import liboqs
from pqc.conformance.isolation import ChildRun
from pqc.conformance.model import Status
from pqc.conformance.nist_drbg import HqcShakePrng, KatRng, NistCtrDrbg, generator
from pqc.conformance.nist_kat import (
    FIRST_ENTROPY,
    _results,
    entry,
    kem_response,
    published,
    reproduce_kem,
    run_published_kats,
    signed_message,
)

# The first seed of every NIST PQC KAT file (count = 0), from the DRBG seeded with 00..2f.
NIST_FIRST_SEED = ("061550234D158C5EC95595FE04EF7A25767F2E24CC2BC479D09D86DC9ABCFDE7"
                   "056A8C266F9EF97ED08541DBD2E1FFA1")
needs_liboqs = pytest.mark.skipif(not liboqs.status().available,
                                  reason=f"liboqs unavailable: {liboqs.status().reason}")


def test_drbg_gives_the_first_seed_of_every_nist_kat_file() -> None:
    assert NistCtrDrbg(FIRST_ENTROPY).random_bytes(48).hex().upper() == NIST_FIRST_SEED


def test_drbg_updates_after_every_call_and_copies_its_state() -> None:
    drbg = NistCtrDrbg(FIRST_ENTROPY)
    copy = drbg.copy()
    assert drbg.random_bytes(48) == copy.random_bytes(48)
    joined = NistCtrDrbg(FIRST_ENTROPY).random_bytes(96)
    split = NistCtrDrbg(FIRST_ENTROPY)
    assert split.random_bytes(48) + split.random_bytes(48) != joined  # NIST updates per call
    assert "state" in repr(drbg) and FIRST_ENTROPY.hex() not in repr(drbg)
    with pytest.raises(ValueError, match="48 bytes"):
        NistCtrDrbg(bytes(47))


def test_hqc_prng_is_shake256_of_seed_and_domain_squeezed_on() -> None:
    prng = HqcShakePrng(FIRST_ENTROPY)
    first, second = prng.random_bytes(10), prng.random_bytes(22)
    assert first + second == hashlib.shake_256(FIRST_ENTROPY + b"\x00").digest(32)
    with pytest.raises(ValueError, match="unknown KAT generator"):
        generator("mersenne", FIRST_ENTROPY)


def test_signed_message_layouts() -> None:
    msg, sig = b"M" * 33, bytes([0x39]) + b"N" * 40 + b"S" * 5
    assert signed_message("signature||message", "ML-DSA-44", msg, b"sig") == b"sig" + msg
    assert signed_message("message||signature", "OV-Is", msg, b"sig") == msg + b"sig"
    falcon = signed_message("falcon", "Falcon-512", msg, sig)
    assert falcon == (6).to_bytes(2, "big") + b"N" * 40 + msg + b"\x29" + b"S" * 5


class _Recorded:
    """A test double of a backend's KAT operations: its 'keys' are its randomness."""

    def __init__(self) -> None:
        self.rng: KatRng | None = None

    @contextmanager
    def randomness(self, rng: KatRng) -> Iterator[None]:
        self.rng = rng
        yield
        self.rng = None

    def keypair(self) -> tuple[bytes, bytes]:
        assert self.rng is not None
        return self.rng.random_bytes(4), self.rng.random_bytes(2)

    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        assert self.rng is not None
        return public_key[::-1], self.rng.random_bytes(3)

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        return b"wrong"


def test_kem_procedure_reseeds_with_the_drawn_seed_and_writes_the_response() -> None:
    seed = bytes.fromhex(NIST_FIRST_SEED)
    inner = NistCtrDrbg(seed)
    pk, sk, ss = inner.random_bytes(4), inner.random_bytes(2), inner.random_bytes(3)
    text = kem_response(seed, pk, sk, pk[::-1], ss)
    assert text.splitlines()[0] == "count = 0" and text.endswith(f"ss = {ss.hex().upper()}\n")
    expected = hashlib.sha256(text.encode()).hexdigest()
    got = reproduce_kem("X", {"sha256": expected, "prng": "nist-aes256-ctr-drbg"}, _Recorded())
    assert got.sha256 == expected
    assert not got.matches  # the double's decaps disagrees: the round trip counts too


def test_a_wrong_digest_or_a_dead_child_fails() -> None:
    impl: Any = type("Impl", (), {"name": "ML-KEM-768", "native_name": "ML-KEM-768"})()
    wanted = {"ML-KEM-768": impl, "HQC-1": impl}
    run = ChildRun(events=[{"event": "kat", "algorithm": "ML-KEM-768", "sha256": "ab" * 32,
                            "expected": "cd" * 32, "round_trip": True, "seconds": 0.1}],
                   returncode=-11)
    results = _results("liboqs", wanted, {"source": "test"}, run, 1.0)
    assert [r.status for r in results] == [Status.FAIL, Status.FAIL]
    assert "differs from the published" in results[0].detail
    assert "SIGSEGV" in results[1].detail


def test_published_digests_name_their_source() -> None:
    data = published(liboqs.KAT_DIGESTS)
    assert "tests/KATs/kem/kats.json" in data["source"] and "8979276" in data["source"]
    assert len(data["kem"]) >= 18 and len(data["signature"]) >= 12


LIBOQS_WITH_DIGEST = [
    pytest.param(a.name, id=a.name)
    for a in pqc.algorithms()
    if "liboqs" in a.implementations
    and entry(liboqs.KAT_DIGESTS, a.kind, a.implementations["liboqs"]) is not None
]


@pytest.fixture(scope="module")
def reproduced() -> dict[str, Any]:
    """Every catalog algorithm with a published digest, reproduced in one child process."""
    impls = [pqc.implementation(p.values[0], "liboqs") for p in LIBOQS_WITH_DIGEST
             if pqc.api.unserved_reason(p.values[0], "liboqs") is None]
    return {r.algorithm: r for r in run_published_kats(impls)}


@needs_liboqs
@pytest.mark.parametrize("name", LIBOQS_WITH_DIGEST)
def test_liboqs_reproduces_its_published_kat_digest(name: str, reproduced: dict[str, Any]
                                                   ) -> None:
    reason = pqc.api.unserved_reason(name, "liboqs")
    if reason is not None:
        pytest.skip(reason)
    result = reproduced[name]
    assert result.status is Status.PASS, result.detail
    assert result.evidence["sha256"] == result.evidence["published_sha256"]


@needs_liboqs
def test_slh_dsa_is_skipped_with_the_reason() -> None:
    (result,) = run_published_kats([pqc.signature("SLH-DSA-SHA2-128f", "liboqs")])
    assert result.status is Status.SKIPPED and "SLH-DSA" in result.detail
