"""The ``pqcrypto`` wheel: ML-KEM (incl. 512), HQC, ML-DSA, SLH-DSA.

The backend keeps its historical name ``pqclean``, but pqcrypto 1.0.0 is not
PQClean: it is a PyO3 wheel over Backbone's pure-Rust crates (backbone-ml-kem,
backbone-ml-dsa, backbone-hqc, backbone-sphincs, ...), whose versions
:func:`status` reads from the wheel's SBOM. Language: Rust.

Byte formats: expanded secret keys only (ML-KEM 1632/2400/3168 bytes); a
64-byte ML-KEM seed (OpenSSL's secret-key format) is refused with
:class:`InvalidKeyError` naming the fix. ``verify`` raises
``pqcrypto.InvalidSignatureError`` (a ``ValueError``) on a bad signature; this
backend returns False instead. Signatures use the empty context;
:meth:`PQCryptoSignature.sign_with_context` / ``verify_with_context`` take one.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
from functools import cache
from typing import Any

from pqc.backends.base import (
    MAX_CONTEXT,
    BackendStatus,
    KEMImplementation,
    SignatureImplementation,
    require_bytes,
)
from pqc.backends.capabilities import Capabilities
from pqc.backends.installed import unavailable, usable
from pqc.catalog import Algorithm
from pqc.errors import (
    BackendUnavailableError,
    InvalidCiphertextError,
    InvalidKeyError,
    UnsupportedAlgorithmError,
    UnsupportedOperationError,
)

NAME = "pqclean"
LANGUAGE = "Rust"
LIBRARY = "pqcrypto (PyO3 wheel over Backbone's pure-Rust crates; not PQClean C code)"
# Why instruction counting sees only whole calls here (read by pqc.bench.instructions).
NATIVE_ENTRY_NOTE = (
    "pqcrypto's pqcrypto.abi3.so is stripped (nm: no symbols): its Rust code cannot be "
    "delimited, so only whole calls are counted"
)
LONG_CONTEXT = 128  # longer contexts are probed first (pqcrypto 1.0.0 ML-DSA refuses 254, 255)


def _crate_versions() -> list[tuple[str, str]]:
    """Versions of the Rust crates inside the wheel, from its CycloneDX SBOM (where present)."""
    try:
        files = importlib.metadata.distribution("pqcrypto").files or []
    except importlib.metadata.PackageNotFoundError:
        return []
    for file in files:
        if "sboms" in str(file) and str(file).endswith(".json"):
            try:
                sbom = json.loads(file.read_text())
            except (OSError, ValueError):
                return []
            return sorted(
                (str(c.get("name")), str(c.get("version")))
                for c in sbom.get("components", [])
                if str(c.get("name", "")).startswith("backbone-")
            )
    return []


@cache
def status() -> BackendStatus:
    """pqcrypto's version and the Rust crates it bundles; or why it is unavailable."""
    try:
        import pqcrypto
        import pqcrypto.kem
        import pqcrypto.sign
    except ImportError as exc:
        return unavailable(
            NAME, LANGUAGE, LIBRARY,
            f"pqcrypto is not installed ({exc}); fix: pip install pqcrypto==1.0.0.",
        )  # fmt: skip
    version = str(getattr(pqcrypto, "__version__", "unknown"))
    crates = _crate_versions()
    details: list[tuple[str, str]] = [("pqcrypto", version), *crates]
    return usable(NAME, LANGUAGE, LIBRARY, f"pqcrypto {version}", dict(details))


def _module(algorithm: Algorithm, native_name: str) -> Any:
    """``pqcrypto.kem.<native_name>`` or ``pqcrypto.sign.<native_name>``."""
    current = status()
    if not current.available:
        raise BackendUnavailableError(f"backend {NAME!r} is unavailable: {current.reason}")
    package = "pqcrypto.kem" if algorithm.kind == "kem" else "pqcrypto.sign"
    importlib.import_module(package)  # creates the per-algorithm submodules
    try:
        return importlib.import_module(f"{package}.{native_name}")
    except ImportError as exc:
        others = ", ".join(b for b in algorithm.backends if b != NAME) or "none"
        raise UnsupportedAlgorithmError(
            f"pqcrypto {current.version} has no {package}.{native_name} ({algorithm.name}); "
            f"other backends: {others}."
        ) from exc


def _is_key_error(exc: ValueError, which: str) -> bool:
    return f"{which} key" in str(exc)


# ---------------------------------------------------------------- KEMs
class PQCryptoKEM(KEMImplementation):
    """A pqcrypto KEM (ML-KEM, HQC). Secret keys are the expanded encoding."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._lib = _module(algorithm, native_name)

    def _keygen(self) -> tuple[bytes, bytes]:
        public_key, secret_key = self._lib.keygen()
        return bytes(public_key), bytes(secret_key)

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        try:
            ciphertext, shared_secret = self._lib.encaps(public_key)
        except ValueError as exc:  # ML-KEM: FIPS 203 modulus check on the public key
            raise InvalidKeyError(f"pqcrypto rejected the {self.name} public key ({exc}).") from exc
        return bytes(ciphertext), bytes(shared_secret)

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        try:
            return bytes(self._lib.decaps(secret_key, ciphertext))
        except ValueError as exc:
            if _is_key_error(exc, "secret"):  # ML-KEM: FIPS 203 hash check H(ek)
                raise InvalidKeyError(
                    f"pqcrypto rejected the {self.name} secret key ({exc}; for ML-KEM: the "
                    "hash of the public key embedded in it does not match, FIPS 203 section 7.3)."
                ) from exc
            raise InvalidCiphertextError(
                f"pqcrypto rejected the {self.name} ciphertext ({exc})."
            ) from exc


class PQCryptoMLKEM(PQCryptoKEM):
    """ML-KEM: only the expanded secret key; the 64-byte seed is refused with the fix."""

    def _secret_key(self, secret_key: object) -> bytes:
        data = require_bytes("secret key", secret_key)
        if len(data) == self.algorithm.seed_size and len(data) != self.secret_key_size:
            raise InvalidKeyError(
                f"the pqclean backend (pqcrypto) takes only the expanded {self.secret_key_size}-"
                f"byte {self.name} secret key, not a {len(data)}-byte seed (OpenSSL's format). "
                "Fix: decapsulate with backend 'liboqs' or 'openssl', or expand the seed with "
                f"pqc.kem({self.name!r}, 'liboqs').keygen_from_seed(seed)."
            )
        return super()._secret_key(data)


# ---------------------------------------------------------------- signatures
class PQCryptoSignature(SignatureImplementation):
    """A pqcrypto signature scheme (ML-DSA, SLH-DSA), pure mode, empty context."""

    @property
    def supports_context(self) -> bool:
        return True

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._lib = _module(algorithm, native_name)
        import pqcrypto

        self._invalid_signature: type[Exception] = pqcrypto.InvalidSignatureError
        self._context_lengths: dict[int, ValueError | None] = {}

    def _keygen(self) -> tuple[bytes, bytes]:
        public_key, secret_key = self._lib.keygen()
        return bytes(public_key), bytes(secret_key)

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        return bytes(self._lib.sign(secret_key, message))

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return self._check(public_key, message, signature, None)

    def _check(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes | None
    ) -> bool:
        try:
            self._lib.verify(public_key, message, signature, context)
        except self._invalid_signature:  # a subclass of ValueError: test it first
            return False
        except ValueError as exc:
            if _is_key_error(exc, "public"):
                raise InvalidKeyError(
                    f"pqcrypto rejected the {self.name} public key ({exc})."
                ) from exc
            if context is not None and "context" in str(exc):
                raise self._context_defect(context, exc) from exc
            return False  # a malformed signature
        return True

    def _refused_context(self, length: int) -> ValueError | None:
        """The library's error when signing under a ``length``-byte context, probed once.

        pqcrypto 1.0.0's ML-DSA signs only contexts of up to 253 bytes and its
        verify then answers "invalid signature" for 254 and 255, so a long context
        is probed by signing with a throwaway key before its verdict is trusted.
        """
        if length not in self._context_lengths:
            _, secret_key = self._lib.keygen()
            try:
                self._lib.sign(secret_key, b"", bytes(length))
                self._context_lengths[length] = None
            except ValueError as exc:
                self._context_lengths[length] = exc
        return self._context_lengths[length]

    def _context_defect(self, context: bytes, exc: ValueError) -> UnsupportedOperationError:
        """pqcrypto 1.0.0's ML-DSA refuses legal 254- and 255-byte contexts (FIPS 204: 0-255)."""
        return UnsupportedOperationError(
            f"{self.backend_version} refuses a {len(context)}-byte context for "
            f"{self.name} ({exc}), although FIPS 204/205 allow up to {MAX_CONTEXT} bytes "
            "(a library defect); use backend 'liboqs' for such contexts."
        )

    def _sign_with_context(self, secret_key: bytes, message: bytes, context: bytes) -> bytes:
        try:
            return bytes(self._lib.sign(secret_key, message, context))
        except ValueError as exc:
            if "context" in str(exc):
                raise self._context_defect(context, exc) from exc
            raise InvalidKeyError(
                f"pqcrypto could not sign with this {self.name} key: {exc}"
            ) from exc

    def _verify_with_context(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes
    ) -> bool:
        refused = self._refused_context(len(context)) if len(context) > LONG_CONTEXT else None
        if refused is not None:
            raise self._context_defect(context, refused)
        return self._check(public_key, message, signature, context)


# ---------------------------------------------------------------- entry points
def supports(algorithm: Algorithm, native_name: str) -> bool:
    """True when this pqcrypto wheel has a module for ``native_name``."""
    try:
        _module(algorithm, native_name)
    except (BackendUnavailableError, UnsupportedAlgorithmError):
        return False
    return True


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The pqcrypto implementation of ``algorithm`` (``native_name`` is its module name)."""
    if algorithm.kind == "kem":
        cls: type[KEMImplementation] = (
            PQCryptoMLKEM if algorithm.family == "ML-KEM" else PQCryptoKEM
        )
        return cls(algorithm, status(), native_name)
    return PQCryptoSignature(algorithm, status(), native_name)


# ---------------------------------------------------------------- capabilities
CAPABILITIES = Capabilities(
    supports=supports,
    thread_safety="safe to share: pqcrypto's functions keep no state between calls",
    packages=("pqcrypto",),
)
