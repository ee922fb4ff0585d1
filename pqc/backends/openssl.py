"""OpenSSL through pyca/cryptography: ML-KEM, ML-DSA, X25519, ECDH/ECDSA P-256, Ed25519, RSA.

Byte formats: ML-KEM and ML-DSA secret keys are OpenSSL's seeds (64 / 32
bytes); EC public keys are uncompressed points; ECDSA signatures are r||s;
RSA keys are DER (SubjectPublicKeyInfo / PKCS#8).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cache
from typing import Any

from pqc.backends import openssl_hooks
from pqc.backends.base import (
    BackendStatus,
    ImplementationClass,
    KEMImplementation,
    KeyCache,
    SignatureImplementation,
    from_table,
)
from pqc.backends.capabilities import Capabilities
from pqc.backends.installed import package_version, unavailable, usable
from pqc.catalog import Algorithm
from pqc.errors import (
    DecryptionError,
    InvalidCiphertextError,
    InvalidKeyError,
)

NAME = "openssl"

# OpenSSL's EVP functions that cryptography's Rust code calls for the work of
# each operation (cryptography's _rust extension keeps their symbols; check with
# nm). Key import (EVP_PKEY_fromdata: ML-KEM/ML-DSA seeds and public keys, with
# FIPS 203's modulus check) counts; context set-up (*_init) does not. None of
# them calls another (EVP_PKEY_keygen calls EVP_PKEY_generate, which is not here).
ENTRY_POINTS = (
    "EVP_PKEY_fromdata",
    "EVP_PKEY_keygen",
    "EVP_PKEY_encapsulate",
    "EVP_PKEY_decapsulate",
    "EVP_PKEY_derive",
    "EVP_PKEY_encrypt",
    "EVP_PKEY_decrypt",
    "EVP_PKEY_sign",
    "EVP_PKEY_verify",
    "EVP_DigestSign",
    "EVP_DigestVerify",
)


PACKAGE = "cryptography"
# What status() imports: the OpenSSL binding and the ML-KEM/ML-DSA modules (cryptography >= 50).
_MODULES = (
    "cryptography.hazmat.backends.openssl.backend",
    "cryptography.hazmat.primitives.asymmetric.mlkem",
    "cryptography.hazmat.primitives.asymmetric.mldsa",
)
_LANGUAGE = "C"
_LIBRARY = "OpenSSL via pyca/cryptography"


@cache
def status() -> BackendStatus:
    """pyca/cryptography's version and the OpenSSL it links."""
    version, problem = package_version(PACKAGE, *_MODULES)
    if version is None:
        return unavailable(
            NAME, _LANGUAGE, _LIBRARY,
            f"pyca/cryptography >= 50 with ML-KEM/ML-DSA is needed ({problem}); "
            "fix: pip install 'cryptography>=50'.",
        )  # fmt: skip
    from cryptography.hazmat.backends.openssl.backend import backend

    openssl_version = backend.openssl_version_text()
    return usable(
        NAME, _LANGUAGE, _LIBRARY, f"cryptography {version}; {openssl_version}",
        {"cryptography": version, "openssl": openssl_version},
    )  # fmt: skip


def _invalid_key(exc: Exception) -> InvalidKeyError:
    return InvalidKeyError(f"the backend rejected the key: {exc}")


def _verified(verify: Callable[..., object], *args: Any) -> bool:
    """True when cryptography's ``verify(*args)`` returns; False when it raises InvalidSignature."""
    from cryptography.exceptions import InvalidSignature

    try:
        verify(*args)
    except InvalidSignature:
        return False
    return True


def _raw_pair(key: Any) -> tuple[bytes, bytes]:
    """``(public, private)`` raw bytes of a key that has them (ML-KEM, ML-DSA, X25519, Ed25519)."""
    return key.public_key().public_bytes_raw(), key.private_bytes_raw()


# ---------------------------------------------------------------- ML-KEM / ML-DSA
class _SeededKeys:
    """Key handling shared by OpenSSL's ML-KEM and ML-DSA: secret keys are seeds.

    ``module`` is cryptography's ``mlkem`` or ``mldsa`` module; ``native_name`` names
    the parameter set (``MLKEM768``, ``MLDSA65``, ...).
    """

    algorithm: Algorithm

    def _load_classes(self, module: Any, native_name: str) -> None:
        self._private = getattr(module, f"{native_name}PrivateKey")
        self._public = getattr(module, f"{native_name}PublicKey")
        self._keys = KeyCache(self._private.from_seed_bytes)

    @property
    def secret_key_sizes(self) -> tuple[int, ...]:
        return (self.algorithm.seed_size or 0,)

    @property
    def supports_seed(self) -> bool:
        return True

    def _keygen(self) -> tuple[bytes, bytes]:
        return _raw_pair(self._private.generate())

    def _keygen_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        return _raw_pair(self._private.from_seed_bytes(seed))

    def _public_object(self, public_key: bytes) -> Any:
        try:
            return self._public.from_public_bytes(public_key)
        except ValueError as exc:  # wrong size or, for ML-KEM, the FIPS 203 modulus check
            raise _invalid_key(exc) from exc


class MLKEM(_SeededKeys, KEMImplementation):
    """ML-KEM-768/1024 (OpenSSL has no ML-KEM-512). Secret keys are the 64-byte seed d||z."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        from cryptography.hazmat.primitives.asymmetric import mlkem

        self._load_classes(mlkem, native_name)

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        shared_secret, ciphertext = self._public_object(public_key).encapsulate()
        return ciphertext, shared_secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._keys.get(secret_key)
        return bytes(key.decapsulate(ciphertext))


class MLDSA(_SeededKeys, SignatureImplementation):
    """ML-DSA-44/65/87, pure mode, empty context. Secret keys are the 32-byte seed xi."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        from cryptography.hazmat.primitives.asymmetric import mldsa

        self._load_classes(mldsa, native_name)

    @property
    def supports_context(self) -> bool:
        return True

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        key = self._keys.get(secret_key)
        return bytes(key.sign(message))

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return self._verify_with_context(public_key, message, signature, None)

    def _sign_with_context(self, secret_key: bytes, message: bytes, context: bytes) -> bytes:
        key = self._keys.get(secret_key)
        return bytes(key.sign(message, context))

    def _verify_with_context(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes | None
    ) -> bool:
        return _verified(self._public_object(public_key).verify, signature, message, context)


# ---------------------------------------------------------------- X25519 / Ed25519 keys
class _RawKeys:
    """Key handling shared by X25519 and Ed25519: raw 32-byte keys (RFC 7748, RFC 8032).

    ``private_class`` is cryptography's ``X25519PrivateKey`` or ``Ed25519PrivateKey``.
    Loading a private key derives its public key (a scalar multiplication; Ed25519
    expands the seed first), so parsed keys are cached.
    """

    def _load_raw_keys(self, private_class: Any) -> None:
        self._private = private_class
        self._keys = KeyCache(private_class.from_private_bytes)

    def _keygen(self) -> tuple[bytes, bytes]:
        return _raw_pair(self._private.generate())


# ---------------------------------------------------------------- X25519 / ECDH-P256
class X25519KEM(_RawKeys, KEMImplementation):
    """X25519 as a KEM: ciphertext = ephemeral public key, secret = raw X25519 output."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        self._load_raw_keys(X25519PrivateKey)

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        from cryptography.hazmat.primitives.asymmetric.x25519 import (
            X25519PrivateKey,
            X25519PublicKey,
        )

        peer = X25519PublicKey.from_public_bytes(public_key)
        ephemeral = X25519PrivateKey.generate()
        try:
            shared = ephemeral.exchange(peer)
        except ValueError as exc:  # low-order point: all-zero output
            raise _invalid_key(exc) from exc
        return ephemeral.public_key().public_bytes_raw(), shared

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

        key = self._keys.get(secret_key)
        try:
            return bytes(key.exchange(X25519PublicKey.from_public_bytes(ciphertext)))
        except ValueError as exc:
            raise InvalidCiphertextError(f"X25519 rejected the ephemeral key: {exc}") from exc


def _p256() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.SECP256R1()


def _p256_public(encoded: bytes, error: type[Exception] = InvalidKeyError) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_p256(), encoded)
    except ValueError as exc:
        raise error(f"not an uncompressed P-256 point: {exc}") from exc


def _p256_private(scalar: bytes) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    value = int.from_bytes(scalar, "big")
    try:
        return ec.derive_private_key(value, _p256())
    except ValueError as exc:
        raise InvalidKeyError(f"P-256 secret scalar out of range: {exc}") from exc


def _p256_pair(key: Any) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return public, key.private_numbers().private_value.to_bytes(32, "big")


def _p256_generate() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(_p256())


class _P256Keys:
    """Key handling shared by ECDH and ECDSA on P-256: uncompressed points, 32-byte scalars."""

    def _load_p256_keys(self) -> None:
        self._keys = KeyCache(_p256_private)

    def _keygen(self) -> tuple[bytes, bytes]:
        return _p256_pair(_p256_generate())


class ECDHP256KEM(_P256Keys, KEMImplementation):
    """ECDH on P-256 as a KEM: ciphertext = uncompressed ephemeral point, secret = raw x."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._load_p256_keys()

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        from cryptography.hazmat.primitives.asymmetric import ec

        peer = _p256_public(public_key)
        ephemeral = _p256_generate()
        shared = ephemeral.exchange(ec.ECDH(), peer)
        return _p256_pair(ephemeral)[0], shared

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import ec

        key = self._keys.get(secret_key)
        peer = _p256_public(ciphertext, InvalidCiphertextError)
        return bytes(key.exchange(ec.ECDH(), peer))


# ---------------------------------------------------------------- RSA-OAEP as a KEM
def _oaep() -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _rsa_bits(algorithm: Algorithm) -> int:
    """The modulus size: 8 bits per byte of the catalog's signature or ciphertext size."""
    size = algorithm.signature_size or algorithm.ciphertext_size
    assert size is not None  # every RSA entry has one of them
    return 8 * size


def _rsa_generate(bits: int) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    public = key.public_key().public_bytes(
        ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo
    )
    private = key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    return public, private


def _rsa_loader(bits: int, private: bool) -> Any:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import rsa

    def load(encoded: bytes) -> Any:
        try:
            if private:
                key: Any = ser.load_der_private_key(encoded, password=None)
                expected: type = rsa.RSAPrivateKey
            else:
                key = ser.load_der_public_key(encoded)
                expected = rsa.RSAPublicKey
        except (ValueError, TypeError) as exc:
            raise InvalidKeyError(f"not a DER-encoded RSA key: {exc}") from exc
        if not isinstance(key, expected) or getattr(key, "key_size", None) != bits:
            raise InvalidKeyError(f"expected an RSA-{bits} key, got {type(key).__name__}.")
        return key

    return load


class _RSAMixin:
    algorithm: Algorithm

    def _setup_rsa(self) -> None:
        self._bits = _rsa_bits(self.algorithm)
        self._private_keys = KeyCache(_rsa_loader(self._bits, private=True))
        self._public_keys = KeyCache(_rsa_loader(self._bits, private=False))

    @property
    def secret_key_sizes(self) -> tuple[int, ...]:
        return (self.algorithm.secret_key_size,)

    def _keygen(self) -> tuple[bytes, bytes]:
        return _rsa_generate(self._bits)


class RSAOAEPKEM(_RSAMixin, KEMImplementation):
    """RSA-OAEP (SHA-256) encrypting a fresh 32-byte secret."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._setup_rsa()

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        key = self._public_keys.get(public_key)
        secret = secrets.token_bytes(self.shared_secret_size)
        return bytes(key.encrypt(secret, _oaep())), secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._private_keys.get(secret_key)
        try:
            secret = bytes(key.decrypt(ciphertext, _oaep()))
        except ValueError as exc:
            raise DecryptionError("RSA-OAEP decryption failed (padding check).") from exc
        if len(secret) != self.shared_secret_size:
            raise DecryptionError(
                f"RSA-OAEP carried {len(secret)} bytes, "
                f"expected a {self.shared_secret_size}-byte secret."
            )
        return secret


# ---------------------------------------------------------------- signatures
class Ed25519(_RawKeys, SignatureImplementation):
    """Ed25519 (RFC 8032): raw 32-byte keys, 64-byte signatures."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self._load_raw_keys(Ed25519PrivateKey)

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        key = self._keys.get(secret_key)
        return bytes(key.sign(message))

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = Ed25519PublicKey.from_public_bytes(public_key)
        except ValueError as exc:
            raise _invalid_key(exc) from exc
        return _verified(key.verify, signature, message)


class ECDSAP256(_P256Keys, SignatureImplementation):
    """ECDSA P-256 with SHA-256; signatures r||s (64 bytes), public keys uncompressed."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._load_p256_keys()

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        key = self._keys.get(secret_key)
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        key = _p256_public(public_key)
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        return _verified(key.verify, encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


class RSAPSS(_RSAMixin, SignatureImplementation):
    """RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._setup_rsa()

    @staticmethod
    def _padding() -> Any:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes

        key = self._private_keys.get(secret_key)
        return bytes(key.sign(message, self._padding(), hashes.SHA256()))

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        from cryptography.hazmat.primitives import hashes

        key = self._public_keys.get(public_key)
        return _verified(key.verify, signature, message, self._padding(), hashes.SHA256())


_CLASSES: dict[str, ImplementationClass] = {
    "ML-KEM": MLKEM,
    "ML-DSA": MLDSA,
    "X25519": X25519KEM,
    "ECDH-P256": ECDHP256KEM,
    "RSA-OAEP-2048": RSAOAEPKEM,
    "Ed25519": Ed25519,
    "ECDSA-P256": ECDSAP256,
    "RSA-PSS-2048": RSAPSS,
    "RSA-PSS-3072": RSAPSS,
}


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The OpenSSL implementation of ``algorithm``."""
    key = algorithm.family if algorithm.family in _CLASSES else algorithm.name
    return from_table(_CLASSES, key, algorithm, status(), native_name)


# ---------------------------------------------------------------- capabilities
CAPABILITIES = Capabilities(
    secret_target=openssl_hooks.secret_target,
    gm_primitives=openssl_hooks.GM_PRIMITIVES,
    signs_fast=True,
    thread_safety=(
        "safe to share: cryptography's key objects are immutable and the key cache "
        "is locked where it changes"
    ),
    native_entry_symbols=ENTRY_POINTS,
    packages=(PACKAGE,),
)
