"""The pqclean backend (the pqcrypto wheel): status, catalog sizes, errors mapped,
seed keys refused with the fix, contexts."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import pytest

import pqc
from pqc.backends import pqclean
from pqc.catalog import all_algorithms, lookup

needs_pqcrypto = pytest.mark.skipif(
    not pqclean.status().available, reason=f"pqcrypto unavailable: {pqclean.status().reason}"
)
pytestmark = needs_pqcrypto

PQCLEAN_ALGORITHMS = [a for a in all_algorithms() if "pqclean" in a.implementations]


def _module(algorithm: pqc.Algorithm) -> Any:
    import importlib

    package = "pqcrypto.kem" if algorithm.kind == "kem" else "pqcrypto.sign"
    importlib.import_module(package)
    return importlib.import_module(f"{package}.{algorithm.implementations['pqclean']}")


def test_status_names_the_real_library() -> None:
    import pqcrypto

    status = pqclean.status()
    details = dict(status.details)
    assert status.version == f"pqcrypto {pqcrypto.__version__}"
    assert status.language == "Rust"
    assert "not PQClean" in status.library
    assert details["pqcrypto"] == pqcrypto.__version__
    assert any(name.startswith("backbone-ml-kem") for name in details)


@pytest.mark.parametrize("algorithm", PQCLEAN_ALGORITHMS, ids=lambda a: a.name)
def test_catalog_sizes_match_pqcrypto(algorithm: pqc.Algorithm) -> None:
    module = _module(algorithm)
    assert algorithm.public_key_size == module.PUBLIC_KEY_SIZE
    assert algorithm.secret_key_size == module.SECRET_KEY_SIZE
    if algorithm.kind == "kem":
        assert algorithm.ciphertext_size == module.CIPHERTEXT_SIZE
        assert algorithm.shared_secret_size == module.SHARED_SECRET_SIZE
    else:
        assert algorithm.signature_size == module.SIGNATURE_SIZE


def test_pqcrypto_has_no_falcon() -> None:
    """The catalog lists FN-DSA (Falcon) only for liboqs because pqcrypto 1.0.0 lacks it."""
    import pqcrypto.sign

    assert not [n for n in dir(pqcrypto.sign) if "falcon" in n or "fn_dsa" in n]
    assert "pqclean" not in lookup("FN-DSA-512").implementations


def test_unknown_module_is_unsupported_algorithm() -> None:
    fake = dataclasses.replace(lookup("ML-KEM-512"), implementations={"pqclean": "kyber_9"})
    assert pqclean.supports(fake, "kyber_9") is False
    with pytest.raises(pqc.UnsupportedAlgorithmError, match=r"no pqcrypto\.kem\.kyber_9"):
        pqclean.implementation(fake, "kyber_9")


@pytest.mark.parametrize("name", ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"])
def test_mlkem_seed_secret_key_is_refused_with_the_fix(name: str) -> None:
    kem = pqc.kem(name, "pqclean")
    assert not kem.supports_seed
    assert kem.secret_key_sizes == (kem.algorithm.secret_key_size,)
    with pytest.raises(pqc.InvalidKeyError, match="not a 64-byte seed") as info:
        kem.decaps(os.urandom(64), bytes(kem.ciphertext_size))
    assert "liboqs" in str(info.value) and "keygen_from_seed" in str(info.value)


def test_non_canonical_public_key_is_invalid_key() -> None:
    kem = pqc.kem("ML-KEM-768", "pqclean")
    pk, _ = kem.keygen()
    bad = bytearray(pk)
    bad[0], bad[1] = 0xFF, bad[1] | 0x0F  # first coefficient 4095 >= q
    with pytest.raises(pqc.InvalidKeyError, match="pqcrypto rejected"):
        kem.encaps(bytes(bad))


def test_secret_key_with_wrong_public_key_hash_is_invalid_key() -> None:
    kem = pqc.kem("ML-KEM-768", "pqclean")
    pk, sk = kem.keygen()
    ct, _ = kem.encaps(pk)
    corrupted = bytearray(sk)
    corrupted[-40] ^= 0x01  # inside H(ek)
    with pytest.raises(pqc.InvalidKeyError, match="FIPS 203"):
        kem.decaps(bytes(corrupted), ct)


def test_invalid_signature_error_becomes_false() -> None:
    import pqcrypto

    assert issubclass(pqcrypto.InvalidSignatureError, ValueError)  # why the order matters
    sig = pqc.signature("ML-DSA-44", "pqclean")
    pk, sk = sig.keygen()
    signature = sig.sign(sk, b"m")
    with pytest.raises(pqcrypto.InvalidSignatureError):
        _module(sig.algorithm).verify(pk, b"n", signature)
    assert sig.verify(pk, b"n", signature) is False
    assert sig.verify(pk, b"m", signature) is True


@pytest.mark.parametrize("name", ["ML-DSA-44", "SLH-DSA-SHA2-128f"])
def test_context_signing(name: str) -> None:
    sig = pqc.signature(name, "pqclean")
    pk, sk = sig.keygen()
    signature = sig.sign_with_context(sk, b"msg", b"ctx")  # type: ignore[attr-defined]
    assert sig.verify_with_context(pk, b"msg", signature, b"ctx") is True  # type: ignore[attr-defined]
    assert sig.verify_with_context(pk, b"msg", signature, b"cty") is False  # type: ignore[attr-defined]
    assert sig.verify(pk, b"msg", signature) is False
    with pytest.raises(pqc.InvalidArgumentError, match="at most 255"):
        sig.sign_with_context(sk, b"msg", bytes(256))  # type: ignore[attr-defined]
    with pytest.raises(pqc.InvalidKeyError):
        sig.verify_with_context(pk[:-1], b"msg", signature, b"ctx")  # type: ignore[attr-defined]


def test_mldsa_long_context_defect_is_reported_not_answered_wrongly() -> None:
    """pqcrypto 1.0.0 ML-DSA signs only contexts up to 253 bytes and verifies 254/255 as bad."""
    sig = pqc.signature("ML-DSA-44", "pqclean")
    raw = _module(sig.algorithm)
    pk, sk = sig.keygen()
    longest = bytes(255)
    try:
        raw.sign(sk, b"m", longest)
    except ValueError:
        pass
    else:
        pytest.fail("pqcrypto now signs 255-byte contexts: drop the long-context probe")
    oqs_sig = signature_from_liboqs_or_skip("ML-DSA-44")
    opk, osk = oqs_sig.keygen()
    good = oqs_sig.sign_with_context(osk, b"m", longest)
    assert oqs_sig.verify_with_context(opk, b"m", good, longest) is True
    with pytest.raises(pqc.UnsupportedOperationError, match="255-byte context"):
        sig.verify_with_context(opk, b"m", good, longest)  # type: ignore[attr-defined]
    with pytest.raises(pqc.UnsupportedOperationError, match="liboqs"):
        sig.sign_with_context(sk, b"m", longest)  # type: ignore[attr-defined]
    short = bytes(253)
    assert sig.verify_with_context(  # type: ignore[attr-defined]
        pk,
        b"m",
        sig.sign_with_context(sk, b"m", short),
        short,  # type: ignore[attr-defined]
    )


def signature_from_liboqs_or_skip(name: str) -> Any:
    from pqc.backends import liboqs

    if not liboqs.status().available:
        pytest.skip(f"liboqs unavailable: {liboqs.status().reason}")
    return pqc.signature(name, "liboqs")
