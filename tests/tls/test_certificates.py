"""Certificates pqc assembles: they parse back, carry the right fields, and verify as a chain;
a tampered one does not."""

from __future__ import annotations

import itertools

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from OpenSSL import crypto

from pqc import asn1
from pqc.errors import InvalidArgumentError
from pqc.tls import certificate_types
from pqc.tls.certificates import DEFAULT_HOST, Chain, build_chain

TYPES = [kind.name for kind in certificate_types()]


def _verify_with_openssl(chain: Chain, leaf_der: bytes | None = None) -> None:
    store = crypto.X509Store()
    store.add_cert(crypto.load_certificate(crypto.FILETYPE_ASN1, chain.root.der))
    intermediates = [crypto.load_certificate(crypto.FILETYPE_ASN1, c.der) for c in chain.sent[1:]]
    leaf = crypto.load_certificate(crypto.FILETYPE_ASN1, leaf_der or chain.leaf.der)
    crypto.X509StoreContext(store, leaf, intermediates).verify_certificate()


@pytest.fixture(scope="module", params=TYPES)
def chain(request: pytest.FixtureRequest) -> Chain:
    return build_chain(request.param, 3)


def test_chain_parses_back_with_the_fields_a_verifier_checks(chain: Chain) -> None:
    parsed = [x509.load_der_x509_certificate(c.der) for c in (*chain.sent, chain.root)]
    leaf, *cas = parsed
    assert leaf.signature_algorithm_oid.dotted_string == chain.kind.signature_oid
    assert leaf.version is x509.Version.v3
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and not usage.value.key_cert_sign
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [DEFAULT_HOST]
    for depth, ca in enumerate(cas):  # intermediates then the root: pathLen 0, 1, 2
        constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
        assert constraints.critical and constraints.value.ca
        assert constraints.value.path_length == depth
        assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    for child, issuer in itertools.pairwise(parsed):
        assert child.issuer == issuer.subject
        child_aki = child.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
        issuer_ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        assert child_aki.value.key_identifier == issuer_ski.value.digest


def test_each_signature_verifies_with_cryptography_where_it_knows_the_key(chain: Chain) -> None:
    parsed = [x509.load_der_x509_certificate(c.der) for c in (*chain.sent, chain.root)]
    try:
        for child, issuer in itertools.pairwise(parsed):
            child.verify_directly_issued_by(issuer)
    except UnsupportedAlgorithm:
        pytest.skip(
            f"cryptography 50 has no {chain.kind.name} keys; "
            "test_chain_verifies_with_openssl covers it"
        )


def test_chain_verifies_with_openssl(chain: Chain) -> None:
    _verify_with_openssl(chain)


def test_a_tampered_certificate_fails_verification(chain: Chain) -> None:
    der = bytearray(chain.leaf.der)
    der[-8] ^= 0x01  # inside the signature value
    with pytest.raises(crypto.X509StoreContextError):
        _verify_with_openssl(chain, bytes(der))
    parsed = [x509.load_der_x509_certificate(c.der) for c in chain.sent[:2]]
    tampered = x509.load_der_x509_certificate(bytes(der))
    try:
        with pytest.raises(InvalidSignature):
            tampered.verify_directly_issued_by(parsed[1])
    except UnsupportedAlgorithm:
        pass  # SM2: cryptography has no SM2; the OpenSSL check above is the test


def test_a_chain_missing_its_intermediate_fails() -> None:
    chain = build_chain("Ed25519", 2)
    store = crypto.X509Store()
    store.add_cert(crypto.load_certificate(crypto.FILETYPE_ASN1, chain.root.der))
    leaf = crypto.load_certificate(crypto.FILETYPE_ASN1, chain.leaf.der)
    with pytest.raises(crypto.X509StoreContextError):
        crypto.X509StoreContext(store, leaf).verify_certificate()


def test_secrets_stay_out_of_reprs() -> None:
    chain = build_chain("ECDSA-P256", 1)
    pem = chain.leaf_key.private_pem()
    assert b"PRIVATE KEY" in pem
    assert "secret not shown" in repr(chain.leaf_key)
    assert "leaf_key" not in repr(chain) and "PRIVATE" not in repr(chain)


@pytest.mark.parametrize("length", [0, 4, "2"])
def test_chain_length_is_checked(length: object) -> None:
    with pytest.raises(InvalidArgumentError, match="1-3"):
        build_chain("Ed25519", length)  # type: ignore[arg-type]


def test_unknown_certificate_type_lists_the_known_ones() -> None:
    with pytest.raises(InvalidArgumentError, match="ML-DSA-65"):
        build_chain("DSA-1024", 1)


@pytest.mark.parametrize(
    ("dotted", "der"),
    [
        ("2.16.840.1.101.3.4.3.18", "0609608648016503040312"),
        ("1.2.156.10197.1.501", "06082a811ccf55018375"),
    ],
)
def test_object_identifiers_encode_as_x690_says(dotted: str, der: str) -> None:
    assert asn1.oid(dotted).hex() == der


def test_long_lengths_use_the_long_form() -> None:
    assert asn1.length(127) == b"\x7f"
    assert asn1.length(128) == b"\x81\x80"
    assert asn1.length(5404) == b"\x82\x15\x1c"
