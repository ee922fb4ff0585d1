"""Handshake arithmetic against sums done by hand on a stored result."""

from __future__ import annotations

from pathlib import Path

import pytest

import pqc
from pqc.bench.results import BenchResult, read_result, write_result
from pqc.handshake import (
    DEFAULT_SUITES,
    HandshakeCost,
    PartTimes,
    costs_from_result,
    handshake_cost,
    handshake_document,
    model_definition,
    part_times,
    read_handshake,
    suite,
    write_handshake,
)
from pqc.jsondata import to_data
from tests.handshake.factory import STORED, make_result, stored_result


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> BenchResult:
    """The factory's result, written to disk and read back (as `--from` does)."""
    path = tmp_path_factory.mktemp("handshake") / "result.json"
    write_result(stored_result(), path)
    return read_result(path)


def _by_name(
    result: BenchResult, chain: int = 2, backend: str | None = None
) -> dict[str, HandshakeCost]:
    costs, _ = costs_from_result(result, DEFAULT_SUITES, chain=chain, backend=backend)
    return {c.suite.name: c for c in costs}


def test_classical_by_hand(stored: BenchResult) -> None:
    c = _by_name(stored)["classical"]
    # client: keygen 30 + decaps 37 + 3 x verify 79 (us); server: encaps 40 + sign 31
    assert c.client_ns == 30_000 + 37_000 + 3 * 79_000 == 304_000
    assert c.server_ns == 40_000 + 31_000
    assert c.total_ns == 375_000
    # bytes: X25519 share 32 up; share 32 + 2 certs x (65 + 64) + CertificateVerify 64 down
    assert c.client_to_server_bytes == 32
    assert c.server_to_client_bytes == 32 + 2 * (65 + 64) + 64 == 354
    assert c.total_bytes == 386 and c.verifies == 3


def test_nist_pq_picks_the_fastest_backend_for_the_handshake(stored: BenchResult) -> None:
    c = _by_name(stored)["nist-pq"]
    # ML-KEM: liboqs 55 us vs openssl 154 us -> liboqs.
    # ML-DSA at chain 2: liboqs 100 + 3 x 300 = 1000 us; openssl 500 + 3 x 150 = 950 us -> openssl.
    assert (c.kem.backend, c.signature.backend) == ("liboqs", "openssl")
    assert c.client_ns == 17_000 + 20_000 + 3 * 150_000
    assert c.server_ns == 18_000 + 500_000
    assert c.server_to_client_bytes == 1088 + 2 * (1952 + 3309) + 3309 == 14_919
    assert c.total_bytes == 1184 + 14_919


def test_chain_length_changes_the_verifies_and_the_fastest_signer(stored: BenchResult) -> None:
    c = _by_name(stored, chain=1)["nist-pq"]
    # chain 1: liboqs 100 + 2 x 300 = 700 us beats openssl 500 + 2 x 150 = 800 us
    assert c.signature.backend == "liboqs" and c.verifies == 2
    assert c.client_ns == 17_000 + 20_000 + 2 * 300_000
    assert c.server_to_client_bytes == 1088 + (1952 + 3309) + 3309
    deep = _by_name(stored, chain=4)["classical"]
    assert deep.client_ns == 30_000 + 37_000 + 5 * 79_000


def test_hybrid_without_its_own_timing_is_the_sum_of_its_parts(stored: BenchResult) -> None:
    c = _by_name(stored)["hybrid"]
    kem = c.kem
    assert kem.source == "sum of parts" and kem.backend == "liboqs+openssl"
    assert dict(kem.medians_ns) == {"keygen": 47_000, "encaps": 58_000, "decaps": 57_000}
    assert c.client_ns == 47_000 + 57_000 + 3 * 150_000
    assert c.server_ns == 58_000 + 500_000
    assert (c.client_to_server_bytes, c.server_to_client_bytes) == (1216, 1120 + 10_522 + 3309)


def test_measured_hybrid_is_preferred_and_a_chosen_backend_recomposes_it(
    stored: BenchResult,
) -> None:
    gm_hybrid = _by_name(stored)["gm-hybrid"]
    assert gm_hybrid.kem.backend == "hybrid" and gm_hybrid.kem.source == "measured"
    assert gm_hybrid.client_ns == 5_100_000 + 5_100_000 + 3 * 650_000
    assert gm_hybrid.server_ns == 10_100_000 + 290_000
    assert gm_hybrid.total_bytes == 1249 + 1153 + 2 * (64 + 64) + 64 == 2722
    on_liboqs = _by_name(stored, backend="liboqs")["gm-hybrid"]
    kem = on_liboqs.kem
    assert kem.source == "sum of parts" and kem.backend == "gmssl-ecdh+liboqs"
    assert kem.medians_ns["keygen"] == 5_000_000 + 17_000
    assert on_liboqs.signature.backend == "gmssl-native"


def test_chosen_backend_is_used_where_it_implements_the_part(stored: BenchResult) -> None:
    on_openssl = _by_name(stored, backend="openssl")
    nist = on_openssl["nist-pq"]
    assert (nist.kem.backend, nist.signature.backend) == ("openssl", "openssl")
    assert nist.client_ns == 95_000 + 36_000 + 3 * 150_000
    hybrid = on_openssl["hybrid"]
    assert hybrid.kem.backend == "openssl+openssl"
    assert hybrid.client_keygen_ns == 95_000 + 30_000
    gm = on_openssl["gm"]
    assert gm.kem.backend == "gmssl-ecdh"  # openssl has no SM2: the fastest is used
    assert gm.client_ns == 5_000_000 + 5_000_000 + 3 * 650_000


def test_suites_missing_from_the_result_are_reported() -> None:
    result = make_result({key: ops for key, ops in STORED.items() if key[0] != "SM2"})
    costs, skipped = costs_from_result(result, DEFAULT_SUITES)
    assert {c.suite.name for c in costs} == {"classical", "nist-pq", "hybrid"}
    assert len(skipped) == 2 and all("SM2" in line for line in skipped)
    assert part_times(result, "SM2") is None


def test_pure_function_rejects_bad_input() -> None:
    kem = PartTimes("X25519", "t", "C", {"keygen": 1.0, "encaps": 2.0, "decaps": 3.0},
                    pqc.lookup("X25519").sizes)  # fmt: skip
    sig = PartTimes("SM2", "t", "C", {"sign": 4.0}, pqc.lookup("SM2").sizes)
    classical = suite("classical")
    with pytest.raises(pqc.InvalidArgumentError, match="verify"):
        handshake_cost(classical, kem, sig)
    full = PartTimes("SM2", "t", "C", {"sign": 4.0, "verify": 5.0}, pqc.lookup("SM2").sizes)
    with pytest.raises(pqc.InvalidArgumentError, match="chain"):
        handshake_cost(classical, kem, full, chain=0)
    cost = handshake_cost(classical, kem, full, chain=1)
    assert (cost.client_ns, cost.server_ns) == (1.0 + 3.0 + 2 * 5.0, 2.0 + 4.0)


def test_suite_names() -> None:
    assert [s.name for s in DEFAULT_SUITES] == ["classical", "nist-pq", "hybrid", "gm", "gm-hybrid"]
    custom = suite("mlkem768 + ml-dsa-44")
    assert (custom.kem, custom.signature) == ("ML-KEM-768", "ML-DSA-44")
    with pytest.raises(pqc.InvalidArgumentError, match="unknown suite"):
        suite("quantum")
    with pytest.raises(pqc.InvalidArgumentError, match="KEM\\+SIGNATURE"):
        suite("ML-DSA-65+ML-KEM-768")


def test_document_round_trip(stored: BenchResult, tmp_path: Path) -> None:
    costs, skipped = costs_from_result(stored, DEFAULT_SUITES)
    chosen, _ = costs_from_result(stored, DEFAULT_SUITES, backend="openssl")
    doc = handshake_document(costs, skipped, chain=2, backend="openssl", source=stored,
                             chosen=chosen)  # fmt: skip
    path = tmp_path / "h.json"
    write_handshake(doc, path)
    back = read_handshake(path)
    assert back == doc and back.suites[0].total_ns == 375_000
    assert back.chosen is not None and back.chosen.backend == "openssl"
    assert len(back.chosen.suites) == 5
    assert "chain + 1" in model_definition() and "definition" not in path.read_text()
    (tmp_path / "bad.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(pqc.ResultFormatError):
        read_handshake(tmp_path / "bad.json")


@pytest.mark.parametrize(("kem_name", "too_big"), [
    ("Classic-McEliece-348864", True), ("Classic-McEliece-6688128f", True),
    ("FrodoKEM-1344-AES", False), ("ML-KEM-768", False),
])
def test_a_kem_too_big_for_a_tls13_key_share_is_said(kem_name: str, too_big: bool) -> None:
    """RFC 8446 4.2.8: a key share carries at most 65,535 bytes (McEliece keys: 261 KB-1 MB)."""
    kem = PartTimes(kem_name, "t", "C", {"keygen": 1.0, "encaps": 2.0, "decaps": 3.0},
                    pqc.lookup(kem_name).sizes)  # fmt: skip
    sig = PartTimes("ML-DSA-65", "t", "C", {"sign": 4.0, "verify": 5.0},
                    pqc.lookup("ML-DSA-65").sizes)  # fmt: skip
    cost = handshake_cost(suite(f"{kem_name}+ML-DSA-65"), kem, sig)
    assert bool(cost.notes) is too_big
    if too_big:
        assert "public key" in cost.notes[0] and "65,535" in cost.notes[0]
        assert to_data(cost)["notes"] == list(cost.notes)
