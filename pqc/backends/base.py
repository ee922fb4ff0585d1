"""What every backend implements, and the checks every call goes through.

A backend module subclasses :class:`KEMImplementation` or
:class:`SignatureImplementation` and fills in the ``_keygen``/``_encaps``/...
hooks. The public methods here check types and lengths *before* the hook
runs, so no library ever sees input of the wrong shape (liboqs, for one,
zero-pads short input and accepts it).

An implementation object keeps a few parsed keys and reusable native objects
between calls; it is not thread-safe: use one object per thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pqc.catalog import Algorithm
from pqc.errors import (
    BackendError,
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    PQCError,
    UnsupportedOperationError,
)

Language = Literal["C", "Rust", "pure Python", "C (via Rust)", "composite"]

MAX_CONTEXT = 255  # FIPS 204/205 context strings: 0..255 bytes


@dataclass(frozen=True)
class BackendStatus:
    """Whether a backend can be used here, its exact version, and if not, why and how to fix it."""

    name: str
    available: bool
    version: str | None
    language: str
    library: str
    reason: str | None = None
    details: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "available": self.available,
            "version": self.version,
            "language": self.language,
            "library": self.library,
            "reason": self.reason,
            "details": dict(self.details),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BackendStatus:
        """The inverse of :meth:`to_dict` (as stored in result files)."""
        return cls(
            name=data["name"],
            available=bool(data["available"]),
            version=data["version"],
            language=data["language"],
            library=data["library"],
            reason=data["reason"],
            details=tuple((str(k), str(v)) for k, v in data["details"].items()),
        )


def require_bytes(label: str, value: object) -> bytes:
    """``value`` as bytes; bytearray/memoryview are copied, anything else is refused."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise InvalidArgumentError(
        f"{label} must be bytes, got {type(value).__name__}; pass a bytes object."
    )


def check_length(
    label: str,
    value: object,
    expected: int | tuple[int, ...],
    *,
    at_most: bool = False,
    error: type[InvalidArgumentError] = InvalidArgumentError,
) -> bytes:
    """Check type and length; ``expected`` is exact (or a maximum with ``at_most``)."""
    data = require_bytes(label, value)
    accepted = expected if isinstance(expected, tuple) else (expected,)
    if at_most:
        if 0 < len(data) <= max(accepted):
            return data
        raise error(f"{label} must be 1 to {max(accepted)} bytes, got {len(data)}.")
    if len(data) not in accepted:
        wanted = " or ".join(str(n) for n in accepted)
        raise error(f"{label} must be {wanted} bytes, got {len(data)}.")
    return data


@contextmanager
def library_errors(operation: str, *, invalid: type[PQCError] = BackendError) -> Iterator[None]:
    """Turn an unforeseen library exception into a :class:`PQCError` (``invalid`` by default)."""
    try:
        yield
    except PQCError:
        raise
    except Exception as exc:  # third-party libraries raise anything
        raise invalid(f"{operation} failed in the backend: {type(exc).__name__}: {exc}") from exc


K = TypeVar("K")
V = TypeVar("V")


class KeyCache(Generic[K, V]):
    """A small LRU of parsed key objects (``V``) keyed by their encoding (``K``).

    Parsing a key (expanding an ML-KEM seed, validating an RSA key) can cost
    more than the operation itself; caching the few most recent keys makes
    ``decaps``/``sign`` time the operation, as a long-lived key would be used.
    Its repr shows no key material.
    """

    def __init__(self, parse: Callable[[K], V], size: int = 16) -> None:
        self._parse = parse
        self._size = size
        self._items: dict[K, V] = {}

    def get(self, encoded: K) -> V:
        if encoded in self._items:
            item = self._items.pop(encoded)
        else:
            item = self._parse(encoded)
            if len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
        self._items[encoded] = item
        return item

    def __repr__(self) -> str:
        return f"<KeyCache {len(self._items)} keys>"


class _Implementation(ABC):
    """What every implementation says about itself."""

    kind: ClassVar[str]

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        self.algorithm = algorithm
        self.backend = status.name
        self.backend_version = status.version
        self.language = status.language
        self.native_name = native_name

    @property
    def name(self) -> str:
        return self.algorithm.name

    @property
    def public_key_size(self) -> int:
        return self.algorithm.public_key_size

    @property
    def secret_key_size(self) -> int:
        """Size of the secret keys this backend's keygen returns (may differ from the catalog's)."""
        return self.secret_key_sizes[0]

    @property
    def secret_key_sizes(self) -> tuple[int, ...]:
        """Every secret-key length this backend accepts; the first is what keygen returns."""
        return (self.algorithm.secret_key_size,)

    @property
    def supports_seed(self) -> bool:
        """True when :meth:`keygen_from_seed` is offered."""
        return False

    def keygen_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        """Deterministic key generation from ``algorithm.seed_size`` bytes (where offered)."""
        if not self.supports_seed:
            raise UnsupportedOperationError(
                f"{self.backend} offers no seeded key generation for {self.name}."
            )
        data = check_length("seed", seed, self.algorithm.seed_size or 0)
        with library_errors(f"{self.name} keygen_from_seed"):
            return self._keygen_from_seed(data)

    def _keygen_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        raise NotImplementedError

    def keygen(self) -> tuple[bytes, bytes]:
        """A fresh key pair: ``(public_key, secret_key)``."""
        with library_errors(f"{self.name} keygen"):
            return self._keygen()

    @abstractmethod
    def _keygen(self) -> tuple[bytes, bytes]: ...

    def _public_key(self, public_key: object) -> bytes:
        return check_length(
            "public key",
            public_key,
            self.public_key_size,
            at_most=self.algorithm.is_variable("public_key"),
            error=InvalidKeyError,
        )

    def _secret_key(self, secret_key: object) -> bytes:
        return check_length(
            "secret key",
            secret_key,
            self.secret_key_sizes,
            at_most=self.algorithm.is_variable("secret_key"),
            error=InvalidKeyError,
        )

    def describe(self) -> dict[str, object]:
        """What this implementation is: algorithm, backend, version, language, sizes."""
        return {
            "algorithm": self.name,
            "kind": self.kind,
            "backend": self.backend,
            "backend_version": self.backend_version,
            "language": self.language,
            "native_name": self.native_name,
            "sizes": self.sizes(),
        }

    @abstractmethod
    def sizes(self) -> dict[str, int]: ...

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.name} backend={self.backend} "
            f"version={self.backend_version} language={self.language}>"
        )


class KEMImplementation(_Implementation):
    """A key-encapsulation mechanism: keygen, encaps, decaps, all bytes."""

    kind = "kem"

    @property
    def ciphertext_size(self) -> int:
        size = self.algorithm.ciphertext_size
        assert size is not None
        return size

    @property
    def shared_secret_size(self) -> int:
        size = self.algorithm.shared_secret_size
        assert size is not None
        return size

    def sizes(self) -> dict[str, int]:
        return {
            "public_key": self.public_key_size,
            "secret_key": self.secret_key_size,
            "ciphertext": self.ciphertext_size,
            "shared_secret": self.shared_secret_size,
        }

    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        """Encapsulate to ``public_key``: returns ``(ciphertext, shared_secret)``."""
        pk = self._public_key(public_key)
        with library_errors(f"{self.name} encaps", invalid=InvalidKeyError):
            return self._encaps(pk)

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        """Decapsulate ``ciphertext`` with ``secret_key``: returns the shared secret."""
        sk = self._secret_key(secret_key)
        ct = check_length(
            "ciphertext",
            ciphertext,
            self.ciphertext_size,
            at_most=self.algorithm.is_variable("ciphertext"),
            error=InvalidCiphertextError,
        )
        with library_errors(f"{self.name} decaps"):
            return self._decaps(sk, ct)

    @abstractmethod
    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]: ...

    @abstractmethod
    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes: ...

    def timed_operations(self) -> dict[str, Callable[..., object]]:
        """The raw hooks behind the checks, for the timing engine (inputs already valid)."""
        return {"keygen": self._keygen, "encaps": self._encaps, "decaps": self._decaps}


class SignatureImplementation(_Implementation):
    """A signature scheme: keygen, sign, verify, all bytes."""

    kind = "signature"

    @property
    def signature_size(self) -> int:
        size = self.algorithm.signature_size
        assert size is not None
        return size

    def sizes(self) -> dict[str, int]:
        return {
            "public_key": self.public_key_size,
            "secret_key": self.secret_key_size,
            "signature": self.signature_size,
        }

    def sign(self, secret_key: bytes, message: bytes) -> bytes:
        """Sign ``message`` with ``secret_key``: returns the signature."""
        sk = self._secret_key(secret_key)
        msg = require_bytes("message", message)
        with library_errors(f"{self.name} sign", invalid=InvalidKeyError):
            return self._sign(sk, msg)

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` is valid; False for a wrong or malformed signature.

        Raises :class:`InvalidKeyError` for a malformed public key and
        :class:`InvalidArgumentError` for arguments that are not bytes.
        """
        pk = self._public_key(public_key)
        msg = require_bytes("message", message)
        sig = require_bytes("signature", signature)
        if not self._signature_length_ok(sig):
            return False
        with library_errors(f"{self.name} verify", invalid=InvalidKeyError):
            return bool(self._verify(pk, msg, sig))

    def _signature_length_ok(self, signature: bytes) -> bool:
        size = self.signature_size
        if self.algorithm.is_variable("signature"):
            return 0 < len(signature) <= size
        return len(signature) == size

    @property
    def supports_context(self) -> bool:
        """True when :meth:`sign_with_context`/:meth:`verify_with_context` are offered."""
        return False

    def _context(self, context: object) -> bytes:
        if not self.supports_context:
            raise UnsupportedOperationError(
                f"{self.backend} takes no context string for {self.name} "
                "(FIPS 204/205 contexts exist for ML-DSA and SLH-DSA)."
            )
        ctx = require_bytes("context", context)
        if len(ctx) > MAX_CONTEXT:
            raise InvalidArgumentError(
                f"context must be at most {MAX_CONTEXT} bytes (FIPS 204/205), got {len(ctx)}."
            )
        return ctx

    def sign_with_context(self, secret_key: bytes, message: bytes, context: bytes) -> bytes:
        """Sign ``message`` under a FIPS 204/205 ``context`` (0-255 bytes): the signature."""
        ctx = self._context(context)
        sk = self._secret_key(secret_key)
        msg = require_bytes("message", message)
        with library_errors(f"{self.name} sign_with_context", invalid=InvalidKeyError):
            return self._sign_with_context(sk, msg, ctx)

    def verify_with_context(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes
    ) -> bool:
        """True when ``signature`` is valid for ``message`` under ``context``; False otherwise."""
        ctx = self._context(context)
        pk = self._public_key(public_key)
        msg = require_bytes("message", message)
        sig = require_bytes("signature", signature)
        if not self._signature_length_ok(sig):
            return False
        with library_errors(f"{self.name} verify_with_context", invalid=InvalidKeyError):
            return bool(self._verify_with_context(pk, msg, sig, ctx))

    def _sign_with_context(self, secret_key: bytes, message: bytes, context: bytes) -> bytes:
        raise NotImplementedError

    def _verify_with_context(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes
    ) -> bool:
        raise NotImplementedError

    @abstractmethod
    def _sign(self, secret_key: bytes, message: bytes) -> bytes: ...

    @abstractmethod
    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool: ...

    def timed_operations(self) -> dict[str, Callable[..., object]]:
        """The raw hooks behind the checks, for the timing engine (inputs already valid)."""
        return {"keygen": self._keygen, "sign": self._sign, "verify": self._verify}
