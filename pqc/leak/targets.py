"""Key generation from a chosen secret: the one hook the weight classes need.

A screen of key generation must feed the *library's* key derivation (scalar
multiplication, seed expansion) secrets of a chosen Hamming weight, which a
plain ``keygen()`` cannot take. :func:`secret_target` returns, for an
implementation that allows it, the secret's shape and a function that runs
that library's secret -> public key computation:

- ML-KEM / ML-DSA on any backend offering ``keygen_from_seed`` (the seed);
- X25519 and Ed25519 on OpenSSL (the 32-byte private key);
- ECDH-P256 and ECDSA-P256 on OpenSSL (the scalar d, via ``derive_private_key``);
- SM2 on the pure-Python gmssl package (d*G by its ``_kg``, as pqc's gmssl keygen does);
- SM2 and curveSM2 ECDH on GmSSL (d*G by ``sm2_z256_point_mul_generator``, the
  computation inside its ``sm2_key_generate``).

Library-specific code is kept to these few lines; the rest of the screen
sees only ``secret bytes -> object``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pqc.backends import Implementation
from pqc.sm import curve

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@dataclass(frozen=True)
class SecretTarget:
    """A secret -> public-key computation.

    ``size`` is the secret's length in bytes; when ``limit`` is set the secret
    is a big-endian scalar that must lie in [1, limit); ``what`` says what is
    computed, for reports.
    """

    size: int
    compute: Callable[[bytes], object]
    what: str
    limit: int | None = None


def _openssl_x25519(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _openssl_ed25519(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _openssl_p256(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
    return key.public_key().public_numbers()


def _gmssl_sm2() -> Callable[[bytes], object]:
    from pqc.backends import gmssl  # pqc's keygen path: d*G by the library's _kg

    def public_key(secret: bytes) -> object:
        return gmssl.multiply(int.from_bytes(secret, "big"))

    return public_key


def secret_target(impl: Implementation) -> SecretTarget | None:
    """The secret -> public-key computation of ``impl``'s library, or None when not reachable."""
    family, backend = impl.algorithm.family, impl.backend
    if impl.supports_seed and impl.algorithm.seed_size:
        return SecretTarget(
            size=impl.algorithm.seed_size,
            compute=impl.keygen_from_seed,
            what=f"{impl.name} key generation from a {impl.algorithm.seed_size}-byte seed",
        )
    if backend == "openssl":
        if impl.name == "X25519":
            return SecretTarget(32, _openssl_x25519, "X25519 public key from the private key")
        if impl.name == "Ed25519":
            return SecretTarget(32, _openssl_ed25519, "Ed25519 public key from the private key")
        if impl.name in ("ECDH-P256", "ECDSA-P256"):
            return SecretTarget(
                32, _openssl_p256, "P-256 public key d*G from the scalar d", limit=P256_ORDER
            )
    if backend == "gmssl-native" and impl.name in ("SM2", "SM2-ENC", "ECDH-SM2"):
        from pqc.sm.gmssl_z256 import binding

        return SecretTarget(
            32,
            binding().multiply_generator,
            "SM2 public key d*G (GmSSL's sm2_z256_point_mul_generator, as in its "
            "sm2_key_generate) from the scalar d",
            curve.N - 1,
        )
    if backend == "gmssl" and family == "SM2":
        # SM2 secret keys lie in [1, n-2].
        return SecretTarget(
            32, _gmssl_sm2(), "SM2 public key d*G (gmssl's _kg) from the scalar d", curve.N - 1
        )
    return None
