"""GmSSL (C) through gmssl-pyx: SM2 signatures, SM2 and SM9 encryption as KEMs.

- SM2 signing takes the fast digest path: pqc computes Z_A (once per key) and
  e = SM3(Z_A || M) with GmSSL's SM3 and calls ``sm2_sign_sm3_digest``
  (``sm2_sign`` precomputes 32 nonces per call and is about 10x slower).
  GmSSL's DER signatures are converted to r||s and back.
- SM2 ciphertexts are converted between GmSSL's DER and X1||Y1||C3||C2.
- GmSSL prints debug lines to file descriptor 2 when a verification,
  decryption or key parse fails; pqc points fd 2 at /dev/null around those
  calls (one call at a time, under a lock).

Byte formats: as the pure-Python ``gmssl`` backend for SM2 (public X||Y 64,
secret d 32, signature r||s 64, ciphertext C1C3C2 128); SM9 as the catalog
describes (identity length || identity || DER).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

from pqc.backends import sm2
from pqc.backends.base import (
    BackendStatus,
    ImplementationClass,
    KEMImplementation,
    KeyCache,
    ParsedKey,
    SignatureImplementation,
    from_table,
)
from pqc.backends.capabilities import Capabilities, GMPrimitives, Implementation, SecretTarget
from pqc.backends.installed import package_version, unavailable, usable
from pqc.catalog import Algorithm
from pqc.errors import (
    BackendUnavailableError,
    DecryptionError,
    InvalidCiphertextError,
    InvalidKeyError,
)
from pqc.sm import curve, keys
from pqc.sm.der import (
    ciphertext_from_der,
    ciphertext_to_der,
    signature_from_der,
    signature_to_der,
)
from pqc.sm.digest import message_digest, z_a

NAME = "gmssl-native"
PACKAGE = "gmssl-pyx"
LANGUAGE = "C"
LIBRARY = "GmSSL via gmssl-pyx"
SM9_IDENTITY_SIZE = 16


def _gmssl_c_version() -> str | None:
    """The GmSSL release gmssl-pyx says it bundles (its package description), if stated."""
    try:
        description = metadata.distribution(PACKAGE).read_text("METADATA") or ""
    except (metadata.PackageNotFoundError, OSError):
        return None
    match = re.search(r"GmSSL[- ]v?(\d+\.\d+\.\d+)", description)
    return match.group(1) if match else None


@cache
def status() -> BackendStatus:
    """gmssl-pyx's version and the GmSSL C release it bundles, or why it cannot be used."""
    version, problem = package_version(PACKAGE, "gmssl_pyx")
    if version is None:
        return unavailable(
            NAME, LANGUAGE, LIBRARY,
            f"gmssl-pyx is not importable ({problem}); fix: pip install gmssl-pyx==2.1.0",
        )  # fmt: skip
    c_version = _gmssl_c_version()
    text = f"gmssl-pyx {version}" + (f"; GmSSL {c_version}" if c_version else "")
    details = [("gmssl-pyx", version)]
    if c_version:
        details.append(("gmssl", c_version))
    return usable(NAME, LANGUAGE, LIBRARY, text, dict(details))


# ---------------------------------------------------------------- fd 2 silencing
_FD2_LOCK = threading.RLock()  # re-entrant: a guarded call may run inside a capture


@cache
def _devnull() -> int:
    return os.open(os.devnull, os.O_WRONLY)


@contextmanager
def redirect_stderr(target_fd: int) -> Iterator[None]:
    """Point file descriptor 2 at ``target_fd`` for the duration (GmSSL's debug lines go there).

    Serialised by a lock; output other threads write to fd 2 meanwhile goes to
    ``target_fd`` too. Does nothing when fd 2 is not open.
    """
    with _FD2_LOCK:
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            os.dup2(target_fd, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (see :func:`redirect_stderr`)."""
    with redirect_stderr(_devnull()):
        yield


def _lib() -> Any:
    import gmssl_pyx

    return gmssl_pyx


def sm3(data: bytes) -> bytes:
    """SM3 by GmSSL (32 bytes)."""
    return bytes(_lib().sm3_hash(data))


# ---------------------------------------------------------------- SM2 keys
@dataclass(frozen=True, repr=False)
class _SM2Key(ParsedKey):
    """A checked SM2 key and its Z_A (default ID). Its repr shows nothing secret."""

    public_key: bytes
    z: bytes

    shown = "SM2 key"


def _parse_secret(secret_key: bytes) -> _SM2Key:
    keys.secret_scalar(secret_key)
    public = curve.public_key_from_secret(secret_key)
    return _SM2Key(public, z_a(public, sm3))


def _parse_public(public_key: bytes) -> _SM2Key:
    keys.public_point(public_key)
    return _SM2Key(public_key, z_a(public_key, sm3))


def generate_key_pair() -> tuple[bytes, bytes]:
    """GmSSL's SM2 key generation: (public X||Y 64 bytes, secret d 32 bytes)."""
    public, private = _lib().sm2_key_generate()
    return bytes(public), bytes(private)


class _GmSSLSM2:
    """SM2 by GmSSL: the digest path for signatures, DER converted to pqc's formats."""

    parse_secret = staticmethod(_parse_secret)
    parse_public = staticmethod(_parse_public)
    key_pair = staticmethod(generate_key_pair)

    def sign(self, key: _SM2Key, secret_key: bytes, message: bytes) -> bytes:
        der = _lib().sm2_sign_sm3_digest(secret_key, message_digest(key.z, message, sm3))
        return signature_from_der(der)

    def verify(self, key: _SM2Key, public_key: bytes, message: bytes, signature: bytes) -> bool:
        lib = _lib()
        e = message_digest(key.z, message, sm3)
        with quiet_stderr():
            try:
                return bool(lib.sm2_verify_sm3_digest(public_key, e, signature_to_der(signature)))
            except lib.GmsslInnerError:
                return False

    def encrypt(self, key: _SM2Key, public_key: bytes, plaintext: bytes) -> bytes:
        return ciphertext_from_der(_lib().sm2_encrypt(public_key, plaintext))

    def decrypt(self, key: _SM2Key, secret_key: bytes, ciphertext: bytes) -> bytes:
        lib = _lib()
        der = ciphertext_to_der(ciphertext)
        with quiet_stderr():
            try:
                return bytes(lib.sm2_decrypt(secret_key, der))
            except lib.GmsslInnerError as exc:
                raise DecryptionError(
                    "SM2 decryption failed: GmSSL rejected the ciphertext (C3 mismatch)."
                ) from exc


class SM2Signature(sm2.SM2Signature):
    """SM2 with SM3 and the default ID through GmSSL's digest path; signatures r||s."""

    library = _GmSSLSM2


class SM2KEM(sm2.SM2KEM):
    """SM2 encryption of a fresh 32-byte secret; GmSSL's DER converted to X1||Y1||C3||C2."""

    library = _GmSSLSM2


# ---------------------------------------------------------------- curveSM2 ECDH
class SM2ECDHKEM(KEMImplementation):
    """Ephemeral-static ECDH on curveSM2 in GmSSL's C (see :mod:`pqc.backends.gmssl_z256`).

    Same formats as the pure-Python ``gmssl-ecdh`` backend: public key and
    ciphertext 04||X||Y (65 bytes), secret key d (32 bytes), shared secret the
    x-coordinate of the shared point (32 bytes, no KDF).
    """

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        from pqc.backends.gmssl_z256 import binding

        self._z256 = binding()

    @staticmethod
    def _key_pair() -> tuple[bytes, bytes]:
        public, private = generate_key_pair()
        return curve.uncompressed_from_xy(public), private

    def _shared_x(
        self, scalar: bytes, point: bytes, error: type[InvalidKeyError | InvalidCiphertextError]
    ) -> bytes:
        xy = keys.xy_of_uncompressed(point, error, check_curve=False)  # GmSSL checks the curve
        with quiet_stderr():
            shared = self._z256.multiply(scalar, xy)
        if shared is None:
            raise error(keys.NOT_ON_CURVE)
        return shared[: curve.COORDINATE_SIZE]

    def _keygen(self) -> tuple[bytes, bytes]:
        return self._key_pair()

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        ephemeral_public, ephemeral_secret = self._key_pair()
        return ephemeral_public, self._shared_x(ephemeral_secret, public_key, InvalidKeyError)

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        keys.ecdh_scalar(secret_key)
        return self._shared_x(secret_key, ciphertext, InvalidCiphertextError)


# ---------------------------------------------------------------- SM9
@dataclass(frozen=True, repr=False)
class _SM9Key(ParsedKey):
    """A parsed SM9 key (master public or user private) with its identity; no secret in repr."""

    identity: bytes
    key: Any

    shown = "SM9 key"


def split_sm9_key(encoded: bytes) -> tuple[bytes, bytes]:
    """identity length (1) || identity || DER -> (identity, DER); ValueError when malformed."""
    if not encoded or encoded[0] == 0 or len(encoded) <= 1 + encoded[0]:
        raise ValueError("expected identity length (1 byte) || identity || DER key")
    length = encoded[0]
    return encoded[1 : 1 + length], encoded[1 + length :]


def _sm9_parser(loader_name: str, label: str) -> Any:
    def parse(encoded: bytes) -> _SM9Key:
        lib = _lib()
        try:
            identity, der = split_sm9_key(encoded)
            with quiet_stderr():
                key = getattr(lib, loader_name).from_der(der)
        except (ValueError, lib.GmsslInnerError) as exc:
            raise InvalidKeyError(f"not an SM9 {label} in pqc's encoding: {exc}") from exc
        return _SM9Key(identity, key)

    return parse


class SM9KEM(KEMImplementation):
    """SM9 identity-based encryption of a fresh 32-byte secret (GmSSL's DER ciphertext).

    One master key is generated per object (not part of keygen); keygen is the
    key-generation centre extracting a user key for a fresh 16-byte identity.
    """

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        lib = _lib()
        self._master = lib.SM9MasterKey.generate()
        self._master_public_der = bytes(self._master.public_key().to_der())
        self._public_keys = KeyCache(_sm9_parser("SM9MasterPublicKey", "public key"))
        self._secret_keys = KeyCache(_sm9_parser("SM9PrivateKey", "secret key"))

    def _keygen(self) -> tuple[bytes, bytes]:
        identity = secrets.token_bytes(SM9_IDENTITY_SIZE)
        user_der = bytes(self._master.extract_key(identity).to_der())
        prefix = bytes([SM9_IDENTITY_SIZE]) + identity
        return prefix + self._master_public_der, prefix + user_der

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        key = self._public_keys.get(public_key)
        secret = secrets.token_bytes(self.shared_secret_size)
        return bytes(key.key.encrypt(key.identity, secret)), secret

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        key = self._secret_keys.get(secret_key)
        lib = _lib()
        with quiet_stderr():
            try:
                secret = bytes(key.key.decrypt(key.identity, ciphertext))
            except lib.GmsslInnerError as exc:
                raise DecryptionError(
                    "SM9 decryption failed: GmSSL rejected the ciphertext "
                    "(malformed, or the MAC does not match)."
                ) from exc
        if len(secret) != self.shared_secret_size:
            raise DecryptionError(
                f"SM9 ciphertext carried {len(secret)} bytes, expected {self.shared_secret_size}."
            )
        return secret


_CLASSES: dict[str, ImplementationClass] = {
    "SM2": SM2Signature,
    "SM2-ENC": SM2KEM,
    "SM9-ENC": SM9KEM,
    "ECDH-SM2": SM2ECDHKEM,
}


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The GmSSL (gmssl-pyx) implementation of ``algorithm``."""
    return from_table(_CLASSES, algorithm.name, algorithm, status(), native_name)



# ---------------------------------------------------------------- capabilities
# GmSSL's functions gmssl-pyx (and pqc's point binding) call for each operation;
# gmssl-pyx's extension exports them. Instruction counting counts a call into one
# only from outside the others (sm2_encrypt calls sm2_z256_point_mul too).
ENTRY_POINTS = (
    "sm2_key_generate",
    "sm2_sign",
    "sm2_verify",
    "sm2_encrypt",
    "sm2_decrypt",
    "sm2_z256_point_mul",
    "sm9_enc_master_key_extract_key",
    "sm9_encrypt",
    "sm9_decrypt",
)


def supports(algorithm: Algorithm, native_name: str) -> bool:
    """False for ECDH-SM2 when the bundled GmSSL's point functions cannot be bound."""
    if algorithm.name != "ECDH-SM2":
        return True
    from pqc.backends.gmssl_z256 import binding

    try:
        binding()
    except BackendUnavailableError:
        return False
    return True


def _secret_target(impl: Implementation) -> SecretTarget | None:
    """SM2 key generation as GmSSL's ``sm2_key_generate`` computes it: d*G in C."""
    if impl.name not in ("SM2", "SM2-ENC", "ECDH-SM2"):
        return None
    from pqc.backends.gmssl_z256 import binding

    return SecretTarget(
        curve.SCALAR_SIZE,
        binding().multiply_generator,
        "SM2 public key d*G (GmSSL's sm2_z256_point_mul_generator, as in its "
        "sm2_key_generate) from the scalar d",
        curve.N - 1,  # SM2 secret keys lie in [1, n-2]
    )


def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """One SM4 block: the CTR keystream for IV = block is E(K, block)."""
    return bytes(_lib().sm4_ctr_encrypt(key, block, bytes(16)))


def sm2_decrypt(secret_key: bytes, ciphertext: bytes) -> bytes:
    """GmSSL's own SM2 decryption of C1C3C2 (converted to its DER), debug lines kept off fd 2."""
    with quiet_stderr():
        return bytes(_lib().sm2_decrypt(secret_key, ciphertext_to_der(ciphertext)))


def sm9_encryption_key(master_secret: int, identity: bytes) -> tuple[bytes, ...]:
    """deB that GmSSL extracts for ``identity`` under the master encryption secret ke."""
    from pqc.sm.sm9 import master_encryption_key_der, user_encryption_key_coordinates

    master = _lib().SM9MasterKey.from_der(master_encryption_key_der(master_secret))
    return tuple(user_encryption_key_coordinates(master.extract_key(identity).to_der()))


CAPABILITIES = Capabilities(
    supports=supports,
    secret_target=_secret_target,
    gm_primitives=GMPrimitives.named_in(globals()),
    thread_safety=(
        "safe to share: parsed keys are immutable in a locked key cache; fd 2 is "
        "silenced one call at a time under a lock"
    ),
    native_entry_symbols=ENTRY_POINTS,
    packages=(PACKAGE,),
)
