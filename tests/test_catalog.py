"""The catalog is data: every entry is complete, consistent and reachable by its names."""

from __future__ import annotations

import pytest

import pqc
from pqc.catalog import all_algorithms, lookup
from pqc.errors import PQCError, UnknownAlgorithmError

REQUIRED = [
    "ML-KEM-512", "ML-KEM-768", "ML-KEM-1024", "ML-DSA-44", "ML-DSA-65", "ML-DSA-87",
    "FN-DSA-512", "FN-DSA-1024", "SLH-DSA-SHA2-128f", "SLH-DSA-SHA2-128s",
    "HQC-128", "HQC-192", "HQC-256", "SM2", "SM2-ENC", "SM9-ENC", "X25519", "ECDH-P256",
    "Ed25519", "ECDSA-P256", "RSA-PSS-2048", "RSA-PSS-3072", "RSA-OAEP-2048",
]


@pytest.mark.parametrize("name", REQUIRED)
def test_required_algorithms_are_in_the_catalog(name: str) -> None:
    assert lookup(name).name == name


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Kyber512", "ML-KEM-512"), ("Kyber768", "ML-KEM-768"), ("Kyber1024", "ML-KEM-1024"),
        ("Dilithium2", "ML-DSA-44"), ("Dilithium3", "ML-DSA-65"), ("Dilithium5", "ML-DSA-87"),
        ("CRYSTALS-Kyber", "ML-KEM-768"), ("CRYSTALS-Dilithium", "ML-DSA-65"),
        ("Falcon-512", "FN-DSA-512"), ("Falcon-1024", "FN-DSA-1024"),
        ("SLH_DSA_PURE_SHA2_128F", "SLH-DSA-SHA2-128f"), ("HQC-1", "HQC-128"),
        ("ml_kem_768", "ML-KEM-768"), ("rsa-2048", "RSA-PSS-2048"),
    ],
)
def test_aliases_resolve(alias: str, canonical: str) -> None:
    assert lookup(alias).name == canonical


@pytest.mark.parametrize(
    "alias", ["Kyber768", "Dilithium3", "CRYSTALS-Kyber", "CRYSTALS-Dilithium"]
)
def test_round3_aliases_carry_the_compatibility_warning(alias: str) -> None:
    assert any("NOT byte-compatible" in caveat for caveat in lookup(alias).caveats)


def test_unknown_name_suggests_close_names() -> None:
    with pytest.raises(UnknownAlgorithmError) as caught:
        lookup("ML-KEM-786")
    assert "ML-KEM-768" in caught.value.suggestions
    assert "ML-KEM-768" in str(caught.value)
    assert isinstance(caught.value, PQCError)


def test_non_string_name_is_a_pqc_error() -> None:
    with pytest.raises(UnknownAlgorithmError):
        lookup(768)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", all_algorithms(), ids=lambda a: a.name)
def test_entry_is_complete(entry: pqc.Algorithm) -> None:
    assert entry.kind in ("kem", "signature")
    assert entry.standard and entry.origin and entry.family
    assert entry.security_bits >= 100
    assert entry.implementations, "every algorithm needs at least one backend"
    assert all(size > 0 for size in entry.sizes.values())
    assert set(entry.variable_sizes) <= set(entry.sizes)
    if entry.kind == "kem":
        assert entry.ciphertext_size and entry.shared_secret_size
    else:
        assert entry.signature_size
    if entry.quantum_safe:
        assert entry.nist_level in (1, 2, 3, 5)
    if entry.family in ("SM2", "SM9", "ECDH", "RSA", "EdDSA", "ECDSA"):
        assert not entry.quantum_safe
    if entry.family in ("SM2", "SM9"):
        assert not entry.fips_approved


@pytest.mark.parametrize(
    "entry", [a for a in all_algorithms() if a.kind == "kem" and not a.quantum_safe],
    ids=lambda a: a.name,
)
def test_non_native_kems_name_their_construction(entry: pqc.Algorithm) -> None:
    assert entry.construction


def test_entries_convert_to_json_data() -> None:
    import json

    from pqc.jsondata import to_data

    data = [{**to_data(a), "backends": list(a.backends)} for a in pqc.algorithms()]
    assert json.loads(json.dumps(data)) == data
    first = data[0]
    for key in ("name", "kind", "aliases", "standard", "nist_level", "quantum_safe",
                "fips_approved", "origin", "sizes", "construction", "backends"):
        assert key in first
