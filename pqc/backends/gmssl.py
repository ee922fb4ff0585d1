"""The pure-Python ``gmssl`` package (3.2.2): SM2 signatures and SM2 encryption as a KEM.

The library's own arithmetic does the work (``CryptSM2._kg`` scalar
multiplication, ``CryptSM2.sign``/``verify``, ``sm3.sm3_hash``, ``sm3.sm3_kdf``);
pqc guards its defects (see FACTS.md):

- it has no key generation: pqc draws d in [1, n-2] from :mod:`secrets` and
  computes d*G with ``_kg``;
- its nonces and encryption k come from ``random.choice`` (Mersenne
  Twister): pqc passes a signing nonce from :mod:`secrets`, and encrypts with
  the library's primitives exactly as its ``encrypt`` does, with k from
  :mod:`secrets`;
- its ``decrypt`` never compares C3: pqc decrypts with the same primitives,
  checks C1 is on the curve and compares C3 in constant time;
- ``public_key.lstrip("04")`` corrupts keys whose hex starts with ``04``: pqc
  sets the key attribute directly, never through the constructor;
- its ``verify`` has no range check on r, s: pqc checks 1 <= r, s <= n-1.

Byte formats: public key X||Y (64), secret key d (32), signature r||s (64),
ciphertext X1||Y1||C3||C2 (C1C3C2, 128 for the 32-byte secret).
"""

from __future__ import annotations

from functools import cache

from pqc.backends import gmssl_findings, gmssl_primitives, sm2
from pqc.backends.base import (
    BackendStatus,
    ImplementationClass,
    KEMImplementation,
    SignatureImplementation,
    from_table,
)
from pqc.backends.capabilities import (
    Capabilities,
    GMPrimitives,
    Implementation,
    SecretTarget,
)
from pqc.backends.gmssl_primitives import (
    Key,
    decrypt,
    encrypt,
    generate_key_pair,
    multiply,
    parse_public,
    parse_secret,
    sm3,
)
from pqc.backends.installed import package_version, unavailable, usable
from pqc.catalog import Algorithm
from pqc.sm import curve, keys
from pqc.sm.digest import message_digest

NAME = "gmssl"
PACKAGE = "gmssl"
LANGUAGE = "pure Python"
LIBRARY = "gmssl (pure Python)"


@cache
def status() -> BackendStatus:
    """The gmssl package's version, or why it cannot be used and how to fix it."""
    version, problem = package_version(PACKAGE, "gmssl.sm2", "gmssl.sm3")  # sm2: pycryptodomex
    if version is None:
        return unavailable(
            NAME, LANGUAGE, LIBRARY,
            f"the gmssl package is not importable ({problem}); fix: pip install gmssl==3.2.2",
        )  # fmt: skip
    return usable(NAME, LANGUAGE, LIBRARY, f"gmssl {version}", {"gmssl": version})


# ---------------------------------------------------------------- implementations
class _GmsslSM2:
    """SM2 by the library's CryptSM2, nonces from :mod:`secrets` (see the module docstring)."""

    parse_secret = staticmethod(parse_secret)
    parse_public = staticmethod(parse_public)
    key_pair = staticmethod(generate_key_pair)

    def sign(self, key: Key, secret_key: bytes, message: bytes) -> bytes:
        e = message_digest(key.z, message, sm3)
        while True:  # the library returns None for r = 0, r + k = n or s = 0: draw again
            signature = key.crypt.sign(e, f"{keys.random_nonce():064x}")
            if signature is not None:
                return bytes.fromhex(signature)

    def verify(self, key: Key, public_key: bytes, message: bytes, signature: bytes) -> bool:
        e = message_digest(key.z, message, sm3)
        try:
            return bool(key.crypt.verify(signature.hex(), e))
        except TypeError:  # s*G + t*P at infinity makes the library index None
            return False

    def encrypt(self, key: Key, public_key: bytes, plaintext: bytes) -> bytes:
        while True:  # None when the KDF output is all zero: draw another k
            ciphertext = encrypt(public_key, plaintext, keys.random_nonce())
            if ciphertext is not None:
                return ciphertext

    def decrypt(self, key: Key, secret_key: bytes, ciphertext: bytes) -> bytes:
        return decrypt(int(key.crypt.private_key, 16), ciphertext)


class SM2Signature(sm2.SM2Signature):
    """SM2 with SM3 and the default ID; nonces from :mod:`secrets`, r and s range-checked."""

    library = _GmsslSM2


class SM2KEM(sm2.SM2KEM):
    """SM2 encryption of a fresh 32-byte secret; ciphertext X1||Y1||C3||C2 (128 bytes)."""

    library = _GmsslSM2


_CLASSES: dict[str, ImplementationClass] = {
    "SM2": SM2Signature,
    "SM2-ENC": SM2KEM,
}


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The gmssl (pure Python) implementation of ``algorithm``."""
    return from_table(_CLASSES, algorithm.name, algorithm, status(), native_name)


# ---------------------------------------------------------------- capabilities
def _secret_target(impl: Implementation) -> SecretTarget | None:
    """SM2 key generation as pqc's keygen does it: d*G by the library's ``_kg``."""
    if impl.algorithm.family != "SM2":
        return None
    return SecretTarget(
        curve.SCALAR_SIZE,
        lambda secret: multiply(int.from_bytes(secret, "big")),
        "SM2 public key d*G (gmssl's _kg) from the scalar d",
        curve.N - 1,  # SM2 secret keys lie in [1, n-2]
    )


CAPABILITIES = Capabilities(
    findings=gmssl_findings.findings,
    thread_safety=(
        "safe to share between threads: a parsed key's CryptSM2 is only read after parsing, "
        "and the scalar multiplication reads curve constants only"
    ),
    secret_target=_secret_target,
    gm_primitives=GMPrimitives.named_in(vars(gmssl_primitives)),
    packages=(PACKAGE,),
)
