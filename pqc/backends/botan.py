"""Botan 2 (C++) through Debian's python3-botan (``botan2``, ctypes over libbotan-2.so.19).

SM2 signatures (SM3, signer ID ``1234567812345678``) and SM2 encryption, plus Ed25519,
X25519 and ECDSA-P256 as second implementations beside OpenSSL. Debian's Botan 2.19 has
no ML-KEM/ML-DSA (nor Kyber/Dilithium).

Finding the module without side effects: ``botan2`` is not on this interpreter's path
when Python is not Debian's own (``/usr/lib/python3/dist-packages`` is Debian's), and
importing it loads libbotan and raises when the library is missing. :func:`status` looks
for ``botan2.py`` with :func:`importlib.util.find_spec` and in Debian's directory, checks
that ``libbotan-2`` is on the loader path, and only then executes the file.

Byte formats, the same as pqc's other backends for each algorithm:

- SM2: public key X||Y (64), secret d (32), signature r||s (64, Botan's own "IEEE 1363"
  format); ciphertext C1C3C2 = X1||Y1||C3||C2. Botan's own SM2 ciphertext is DER,
  ``SEQUENCE {INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2}`` (as GmSSL's);
  pqc converts both ways.
- Ed25519 / X25519: 32-byte keys (the Ed25519 seed, the X25519 scalar); ECDSA-P256:
  04||X||Y (65), d (32), signature r||s (64) over SHA-256.

Library defects guarded here (evidence in :mod:`pqc.backends.botan_findings`):
``botan2.PKSign.update`` asserts its message is a ``str`` (it cannot sign arbitrary
bytes), so pqc calls ``botan_pk_op_sign_update`` itself; Botan's X25519 returns the
all-zero secret for a low-order peer point, which pqc refuses (RFC 7748 section 6.1) as
OpenSSL does; Botan's Ed25519 verification accepts an s >= L (a malleable signature,
Wycheproof tcId 63-64), which pqc refuses (RFC 8032 section 5.1.7).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
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
from pqc.backends.capabilities import (
    Capabilities,
    GMPrimitives,
    Implementation,
    Observation,
    SecretTarget,
)
from pqc.backends.installed import unavailable, usable
from pqc.catalog import Algorithm
from pqc.errors import (
    BackendUnavailableError,
    DecryptionError,
    InvalidCiphertextError,
    InvalidKeyError,
)
from pqc.sm import curve, keys
from pqc.sm.der import ciphertext_from_der, ciphertext_to_der

NAME = "botan"
LANGUAGE = "C++"  # Botan is C++; the binding calls its C FFI through ctypes
LIBRARY = "Botan 2 via Debian's python3-botan (botan2, ctypes)"
APT_FIX = "apt-get update && apt-get install -y python3-botan"
DEBIAN_DIRECTORIES = ("/usr/lib/python3/dist-packages",)
SM2_CURVE = "sm2p256v1"
SM2_SIGN_PADDING = "1234567812345678,SM3"  # "<signer ID>,<hash>"
SM2_ENCRYPT_PADDING = "SM3"
P256_CURVE = "secp256r1"
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
ECDSA_PADDING = "EMSA1(SHA-256)"
ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493  # L, RFC 8032


# ---------------------------------------------------------------- detection
def module_file() -> Path | None:
    """Where ``botan2.py`` is: on this interpreter's path, else in Debian's directory."""
    try:
        spec = importlib.util.find_spec("botan2")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin and Path(spec.origin).is_file():
        return Path(spec.origin)
    for directory in DEBIAN_DIRECTORIES:
        candidate = Path(directory) / "botan2.py"
        if candidate.is_file():
            return candidate
    return None


def _unavailable(reason: str) -> BackendStatus:
    return unavailable(NAME, LANGUAGE, LIBRARY, reason)


@cache
def _load(path: str) -> ModuleType:
    """Execute ``botan2.py`` from ``path`` once (it loads libbotan through ctypes)."""
    existing = sys.modules.get("botan2")
    if existing is not None and getattr(existing, "__file__", None) == path:
        return existing
    spec = importlib.util.spec_from_file_location("botan2", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.setdefault("botan2", module)
    return module


@cache
def status() -> BackendStatus:
    """Botan's version and where its binding was found, or why it is unavailable (with the fix)."""
    path = module_file()
    if path is None:
        looked = ", ".join(DEBIAN_DIRECTORIES)
        return _unavailable(
            f"python3-botan is not installed (no botan2.py on this Python's path or in {looked}); "
            f"fix: {APT_FIX}"
        )
    library = ctypes.util.find_library("botan-2")
    if library is None:
        return _unavailable(
            f"{path} is there but libbotan-2 is not on the loader path; fix: {APT_FIX} "
            "(it brings libbotan-2-19)"
        )
    try:
        botan2 = _load(str(path))
        version = str(botan2.version_string())
    except Exception as exc:  # the binding raises its own BotanException on a bad library
        return _unavailable(f"loading {path} failed ({type(exc).__name__}: {exc}); fix: {APT_FIX}")
    short = version.split(" (")[0]
    return usable(NAME, LANGUAGE, LIBRARY, short, {
        "botan": version, "binding": str(path), "library": library,
        "ffi_api": str(botan2.ffi_api_version()),
    })


@cache
def _botan() -> Any:
    """The ``botan2`` module; only after :func:`status` said it works."""
    current = status()
    if not current.available:
        raise BackendUnavailableError(f"backend {NAME!r} is unavailable: {current.reason}")
    path = module_file()
    assert path is not None
    return _load(str(path))


def _system_rng() -> Any:
    return _botan().RandomNumberGenerator("system")  # Botan's System_RNG is thread-safe


def _sign(key: Any, padding: str, message: bytes, rng: Any) -> bytes:
    """Sign bytes (``botan2.PKSign.update`` accepts only ``str``: call the FFI directly)."""
    botan2 = _botan()
    signer = botan2.PKSign(key, padding)
    botan2._DLL.botan_pk_op_sign_update(signer._PKSign__obj, message, len(message))
    return bytes(signer.finish(rng))


def _verify(public: Any, padding: str, message: bytes, signature: bytes) -> bool:
    verifier = _botan().PKVerify(public, padding)
    verifier.update(message)
    return bool(verifier.check_signature(signature))


def _int(data: bytes) -> int:
    return int.from_bytes(data, "big")


def _coordinates(public: Any) -> bytes:
    x, y = int(public.get_field("public_x")), int(public.get_field("public_y"))
    return x.to_bytes(32, "big") + y.to_bytes(32, "big")


# ---------------------------------------------------------------- chosen randomness
_RNG_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
_ENTROPY_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                     ctypes.c_size_t)
_DESTROY_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class _ChosenRng:
    """A Botan RNG handle whose first bytes are chosen (quacks like botan2's RNG object)."""

    def __init__(self, handle: ctypes.c_void_p) -> None:
        self._handle = handle

    def handle_(self) -> ctypes.c_void_p:
        return self._handle


@contextmanager
def _rng_starting_with(prefix: bytes) -> Iterator[_ChosenRng]:
    """A Botan RNG whose first bytes are ``prefix``, then system randomness: the GM
    examples' fixed k (Botan draws the SM2 nonce as the first 32 bytes it asks for)."""
    botan2 = _botan()
    pending = bytearray(prefix)

    def get(_context: Any, out: Any, length: int) -> int:
        take = bytes(pending[:length])
        del pending[:length]
        ctypes.memmove(out, take + secrets.token_bytes(length - len(take)), length)
        return 0

    callbacks = (_RNG_CALLBACK(get), _ENTROPY_CALLBACK(lambda _c, _d, _n: 0),
                 _DESTROY_CALLBACK(lambda _c: None))
    dll = botan2._DLL
    dll.botan_rng_init_custom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                          _RNG_CALLBACK, _ENTROPY_CALLBACK, _DESTROY_CALLBACK]
    handle = ctypes.c_void_p(0)
    dll.botan_rng_init_custom(ctypes.byref(handle), b"pqc-chosen-prefix", None, *callbacks)
    try:
        yield _ChosenRng(handle)
    finally:
        dll.botan_rng_destroy(handle)  # while the callbacks are still alive


def sm2_sign_with_nonce(secret_key: bytes, message: bytes, k: int) -> bytes:
    """SM2 signature r||s with nonce ``k`` (the GM examples' fixed k), default ID."""
    key = _botan().PrivateKey.load_sm2(SM2_CURVE, _int(keys_secret(secret_key)))
    with _rng_starting_with(k.to_bytes(32, "big")) as rng:
        return _sign(key, SM2_SIGN_PADDING, message, rng)


def sm2_encrypt_with_nonce(public_key: bytes, plaintext: bytes, k: int) -> bytes:
    """SM2 encryption C1C3C2 with ephemeral scalar ``k`` (the GM examples' fixed k)."""
    public = _sm2_public(public_key)
    with _rng_starting_with(k.to_bytes(32, "big")) as rng:
        return ciphertext_from_der(bytes(_botan().PKEncrypt(public, SM2_ENCRYPT_PADDING)
                                         .encrypt(plaintext, rng)))


def sm2_decrypt(secret_key: bytes, ciphertext: bytes) -> bytes:
    """Botan's SM2 decryption of C1C3C2 (any plaintext length)."""
    key = _botan().PrivateKey.load_sm2(SM2_CURVE, _int(keys_secret(secret_key)))
    decryptor = _botan().PKDecrypt(key, SM2_ENCRYPT_PADDING)
    return bytes(decryptor.decrypt(ciphertext_to_der(ciphertext)))


def sm3(data: bytes) -> bytes:
    """Botan's SM3."""
    digest = _botan().HashFunction("SM3")
    digest.update(data)
    return bytes(digest.final())


def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """Botan's SM4 on one 16-byte block."""
    cipher = _botan().BlockCipher("SM4")
    cipher.set_key(key)
    return bytes(cipher.encrypt(block))


def keys_secret(secret_key: bytes) -> bytes:
    """``secret_key`` after pqc's SM2 range check (d in [1, n-2])."""
    keys.secret_scalar(secret_key)
    return secret_key


# ---------------------------------------------------------------- SM2
@dataclass(frozen=True, repr=False)
class _Key(ParsedKey):
    """A parsed Botan key object; its repr shows nothing secret."""

    obj: Any

    shown = "Botan key"


def _sm2_secret(secret_key: bytes) -> _Key:
    keys.secret_scalar(secret_key)
    return _Key(_botan().PrivateKey.load_sm2(SM2_CURVE, _int(secret_key)))


def _sm2_public(public_key: bytes) -> Any:
    keys.public_point(public_key)  # on the curve, or InvalidKeyError
    return _botan().PublicKey.load_sm2(SM2_CURVE, _int(public_key[:32]), _int(public_key[32:]))


def _sm2_public_key(public_key: bytes) -> _Key:
    return _Key(_sm2_public(public_key))


def sm2_key_pair() -> tuple[bytes, bytes]:
    """Botan's SM2 key generation: (X||Y, d)."""
    key = _botan().PrivateKey.create("SM2", SM2_CURVE, _system_rng())
    return _coordinates(key.get_public_key()), int(key.get_field("x")).to_bytes(32, "big")


class _BotanSM2:
    """SM2 by Botan (its SM2 signer pads with the default ID), DER converted to pqc's formats."""

    parse_secret = staticmethod(_sm2_secret)
    parse_public = staticmethod(_sm2_public_key)
    key_pair = staticmethod(sm2_key_pair)

    def __init__(self) -> None:
        self._rng = _system_rng()

    def sign(self, key: _Key, secret_key: bytes, message: bytes) -> bytes:
        return _sign(key.obj, SM2_SIGN_PADDING, message, self._rng)

    def verify(self, key: _Key, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return _verify(key.obj, SM2_SIGN_PADDING, message, signature)

    def encrypt(self, key: _Key, public_key: bytes, plaintext: bytes) -> bytes:
        der = _botan().PKEncrypt(key.obj, SM2_ENCRYPT_PADDING).encrypt(plaintext, self._rng)
        return ciphertext_from_der(bytes(der))

    def decrypt(self, key: _Key, secret_key: bytes, ciphertext: bytes) -> bytes:
        botan2 = _botan()
        try:
            return bytes(botan2.PKDecrypt(key.obj, SM2_ENCRYPT_PADDING)
                         .decrypt(ciphertext_to_der(ciphertext)))
        except botan2.BotanException as exc:
            raise DecryptionError(
                f"SM2 decryption failed: Botan rejected the ciphertext (C3 mismatch: {exc})."
            ) from exc


class SM2Signature(sm2.SM2Signature):
    """SM2 with SM3 and the default signer ID; signatures r||s."""

    library = _BotanSM2


class SM2KEM(sm2.SM2KEM):
    """SM2 encryption of a fresh 32-byte secret; Botan's DER converted to X1||Y1||C3||C2."""

    library = _BotanSM2


# ---------------------------------------------------------------- Ed25519, X25519, P-256
def _load_32(loader: str, secret: bytes) -> Any:
    botan2 = _botan()
    handle = ctypes.c_void_p(0)
    getattr(botan2._DLL, loader)(ctypes.byref(handle), secret)
    return botan2.PrivateKey(handle)


def _raw_public(public: Any, getter: str) -> bytes:
    buffer = ctypes.create_string_buffer(32)
    getattr(_botan()._DLL, getter)(public.handle_(), buffer)
    return bytes(buffer.raw)


def ed25519_public_from_secret(secret: bytes) -> bytes:
    """Botan's Ed25519 public key from the 32-byte seed."""
    public = _load_32("botan_privkey_load_ed25519", secret).get_public_key()
    return _raw_public(public, "botan_pubkey_ed25519_get_pubkey")


def x25519_public_from_secret(secret: bytes) -> bytes:
    """Botan's X25519 public key from the 32-byte scalar."""
    public = _load_32("botan_privkey_load_x25519", secret).get_public_key()
    return _raw_public(public, "botan_pubkey_x25519_get_pubkey")


class Ed25519Signature(SignatureImplementation):
    """Ed25519 (RFC 8032, pure): 32-byte seed and public key, 64-byte signatures."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._rng = _system_rng()
        self._secret_keys: KeyCache[bytes, _Key] = KeyCache(
            lambda sk: _Key(_load_32("botan_privkey_load_ed25519", sk)))
        self._public_keys = KeyCache(self._load_public)

    @staticmethod
    def _load_public(public_key: bytes) -> _Key:
        botan2 = _botan()
        handle = ctypes.c_void_p(0)
        try:
            botan2._DLL.botan_pubkey_load_ed25519(ctypes.byref(handle), public_key)
        except botan2.BotanException as exc:
            raise InvalidKeyError(f"Botan rejected the Ed25519 public key ({exc}).") from exc
        return _Key(botan2.PublicKey(handle))

    def _keygen(self) -> tuple[bytes, bytes]:
        secret = secrets.token_bytes(32)
        return ed25519_public_from_secret(secret), secret

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        return _sign(self._secret_keys.get(secret_key).obj, "Pure", message, self._rng)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        public = self._public_keys.get(public_key).obj
        if int.from_bytes(signature[32:], "little") >= ED25519_ORDER:
            return False  # RFC 8032 5.1.7: s must be < L (Botan 2.19 does not check)
        return _verify(public, "Pure", message, signature)


class X25519KEM(KEMImplementation):
    """X25519 as a DH-based KEM (as the catalog describes): raw shared secret, no KDF."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._secret_keys: KeyCache[bytes, _Key] = KeyCache(
            lambda sk: _Key(_load_32("botan_privkey_load_x25519", sk)))

    def _keygen(self) -> tuple[bytes, bytes]:
        secret = secrets.token_bytes(32)
        return x25519_public_from_secret(secret), secret

    def _agree(self, secret_key: bytes, peer: bytes,
               error: type[InvalidKeyError | InvalidCiphertextError]) -> bytes:
        botan2 = _botan()
        agreement = botan2.PKKeyAgreement(self._secret_keys.get(secret_key).obj, "Raw")
        try:
            shared = bytes(agreement.agree(peer, 32, b""))
        except botan2.BotanException as exc:
            raise error(f"Botan refused the X25519 point ({exc}).") from exc
        if shared == bytes(32):  # Botan accepts low-order points; RFC 7748 section 6.1
            raise error("the X25519 point has small order (the shared secret is all zero); "
                        "refused as RFC 7748 section 6.1 allows and OpenSSL does.")
        return shared

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        ephemeral = secrets.token_bytes(32)
        shared = self._agree(ephemeral, public_key, InvalidKeyError)
        return x25519_public_from_secret(ephemeral), shared

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        return self._agree(secret_key, ciphertext, InvalidCiphertextError)


def _p256_secret(secret_key: bytes) -> _Key:
    d = _int(secret_key)
    if not 1 <= d < P256_ORDER:
        raise InvalidKeyError("a P-256 secret key is a scalar d with 1 <= d < n (32 bytes).")
    return _Key(_botan().PrivateKey.load_ecdsa(P256_CURVE, d))


def _p256_public(public_key: bytes) -> _Key:
    if public_key[:1] != b"\x04":
        raise InvalidKeyError("a P-256 public key is 04||X||Y (65 bytes, uncompressed).")
    botan2 = _botan()
    try:
        public = botan2.PublicKey.load_ecdsa(P256_CURVE, _int(public_key[1:33]),
                                             _int(public_key[33:]))
        valid = public.check_key(_system_rng(), True)
    except botan2.BotanException as exc:
        raise InvalidKeyError(f"Botan rejected the P-256 public key ({exc}).") from exc
    if not valid:
        raise InvalidKeyError("the P-256 public key is not a point on the curve.")
    return _Key(public)


class ECDSAP256Signature(SignatureImplementation):
    """ECDSA on P-256 with SHA-256; signatures r||s (64 bytes), public keys 04||X||Y."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._rng = _system_rng()
        self._secret_keys = KeyCache(_p256_secret)
        self._public_keys = KeyCache(_p256_public)

    def _keygen(self) -> tuple[bytes, bytes]:
        key = _botan().PrivateKey.create("ECDSA", P256_CURVE, self._rng)
        secret = int(key.get_field("x")).to_bytes(32, "big")
        return b"\x04" + _coordinates(key.get_public_key()), secret

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        return _sign(self._secret_keys.get(secret_key).obj, ECDSA_PADDING, message, self._rng)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return _verify(self._public_keys.get(public_key).obj, ECDSA_PADDING, message, signature)


# ---------------------------------------------------------------- entry points
_CLASSES: dict[str, ImplementationClass] = {
    "SM2": SM2Signature,
    "SM2-ENC": SM2KEM,
    "Ed25519": Ed25519Signature,
    "X25519": X25519KEM,
    "ECDSA-P256": ECDSAP256Signature,
}

def keygen_with_secret(algorithm: str, params: str, secret: bytes) -> Any:
    """Botan's own key generation (``PrivateKey.create``) with the first 32 bytes its RNG
    returns chosen: they become the secret (d, or the 25519 seed/scalar); the rest of the
    RNG's output (Botan's scalar blinding) stays random. So the leak screen times exactly
    the key generation users call, not a key import."""
    with _rng_starting_with(secret) as rng:
        return _botan().PrivateKey.create(algorithm, params, rng)


def _sm2_keygen_public(secret: bytes) -> bytes:
    return _coordinates(keygen_with_secret("SM2", SM2_CURVE, secret).get_public_key())


def _p256_keygen_public(secret: bytes) -> bytes:
    return b"\x04" + _coordinates(keygen_with_secret("ECDSA", P256_CURVE, secret).get_public_key())


def _ed25519_keygen_public(secret: bytes) -> bytes:
    public = keygen_with_secret("Ed25519", "", secret).get_public_key()
    return _raw_public(public, "botan_pubkey_ed25519_get_pubkey")


def _x25519_keygen_public(secret: bytes) -> bytes:
    public = keygen_with_secret("Curve25519", "", secret).get_public_key()
    return _raw_public(public, "botan_pubkey_x25519_get_pubkey")


_KEYGEN = "Botan's PrivateKey.create with the secret as its RNG's first 32 bytes"
# The library's key generation from a chosen secret, per algorithm (the leak screen's
# weight classes): (what it computes, function, scalar limit or None).
PUBLIC_FROM_SECRET: dict[str, tuple[str, Callable[[bytes], bytes], int | None]] = {
    "SM2": (f"SM2 key generation d -> d*G ({_KEYGEN})", _sm2_keygen_public, curve.N - 1),
    "SM2-ENC": (f"SM2 key generation d -> d*G ({_KEYGEN})", _sm2_keygen_public, curve.N - 1),
    "Ed25519": (f"Ed25519 key generation from the seed ({_KEYGEN})", _ed25519_keygen_public,
                None),
    "X25519": (f"X25519 key generation from the scalar ({_KEYGEN})", _x25519_keygen_public,
               None),
    "ECDSA-P256": (f"P-256 key generation d -> d*G ({_KEYGEN})", _p256_keygen_public,
                   P256_ORDER),
}


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The Botan implementation of ``algorithm``."""
    return from_table(_CLASSES, algorithm.name, algorithm, status(), native_name)


def _secret_target(impl: Implementation) -> SecretTarget | None:
    """Botan's own secret -> public key computation, for the leak screen's weight classes."""
    found = PUBLIC_FROM_SECRET.get(impl.name)
    if found is None:
        return None
    what, compute, limit = found
    return SecretTarget(32, compute, what, limit)


def _findings(selected: Sequence[Implementation]) -> Sequence[Observation]:
    from pqc.backends import botan_findings

    return botan_findings.findings(selected, _botan())


CAPABILITIES = Capabilities(
    findings=_findings,
    secret_target=_secret_target,
    gm_primitives=GMPrimitives.named_in(globals()),
    signs_fast=True,
)
