"""What every backend implements, and the checks every call goes through.

A backend module subclasses :class:`KEMImplementation` or
:class:`SignatureImplementation` and fills in the ``_keygen``/``_encaps``/...
hooks. The public methods here check types and lengths *before* the hook
runs, so no library ever sees input of the wrong shape (liboqs, for one,
zero-pads short input and accepts it). Inputs reach the hooks as plain
``bytes``: a ``bytes`` subclass, ``bytearray`` or ``memoryview`` is copied
into one first (its buffer, whatever its ``__len__`` or ``__bytes__`` say),
so a length is checked on the bytes the library will read.

The check costs a type test and a set lookup per argument when the input is
already a plain ``bytes`` of an accepted length; everything else (the
conversions and the error messages) is on a slow path.

Implementation objects are safe to share between threads: the state they keep
between calls (parsed keys in a :class:`KeyCache`, native objects) is either
immutable once built, kept per thread, or guarded by a lock; see each backend.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Generic, Literal, TypeVar

from pqc.catalog import Algorithm
from pqc.errors import (
    BackendError,
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    PQCError,
    UnsupportedAlgorithmError,
    UnsupportedOperationError,
)

Language = Literal["C", "C++", "Rust", "pure Python", "C (via Rust)", "composite"]

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
    details: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))


def require_bytes(label: str, value: object) -> bytes:
    """``value`` as a plain ``bytes`` object; anything not bytes-like is refused.

    A ``bytes`` subclass, ``bytearray`` or ``memoryview`` is copied into a new
    plain ``bytes`` through the buffer protocol (a memoryview as its raw bytes,
    ``memoryview.tobytes()``), so an overridden ``__len__`` or ``__bytes__`` cannot
    change what is checked or what the library reads.
    """
    if type(value) is bytes:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(memoryview(value))
        except ValueError as exc:  # a released memoryview
            raise InvalidArgumentError(f"{label} cannot be read: {exc}; pass bytes.") from exc
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


def library_failure(operation: str, exc: Exception, invalid: type[PQCError]) -> PQCError:
    """A :class:`PQCError` (``invalid``) for an unforeseen library exception ``exc``."""
    return invalid(f"{operation} failed in the backend: {type(exc).__name__}: {exc}")


@contextmanager
def library_errors(operation: str, *, invalid: type[PQCError] = BackendError) -> Iterator[None]:
    """Turn an unforeseen library exception into a :class:`PQCError` (``invalid`` by default)."""
    try:
        yield
    except PQCError:
        raise
    except Exception as exc:  # third-party libraries raise anything
        raise library_failure(operation, exc, invalid) from exc


def _lengths(sizes: tuple[int, ...], variable: bool) -> frozenset[int]:
    """The accepted lengths: ``sizes`` exactly, or 1 to their maximum when ``variable``."""
    return frozenset(range(1, max(sizes) + 1)) if variable else frozenset(sizes)


K = TypeVar("K")
V = TypeVar("V")


class KeyCache(Generic[K, V]):
    """The parsed key objects (``V``) of the last few encodings (``K``) parsed.

    Parsing a key (expanding an ML-KEM seed, validating an RSA key) can cost
    more than the operation itself; caching the few most recent keys makes
    ``decaps``/``sign`` time the operation, as a long-lived key would be used.

    Safe to share between threads: a hit is one dictionary lookup (atomic in
    CPython); a miss parses outside the lock (parsing may be slow and release
    the GIL; two threads may parse the same key once each) and then inserts and
    evicts the oldest entries under a lock. Eviction is first in, first out.
    Its repr shows no key material.
    """

    def __init__(self, parse: Callable[[K], V], size: int = 16) -> None:
        self._parse = parse
        self._size = size
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, encoded: K) -> V:
        try:
            return self._items[encoded]
        except KeyError:
            pass
        item = self._parse(encoded)
        with self._lock:
            self._items[encoded] = item
            while len(self._items) > self._size:
                del self._items[next(iter(self._items))]
        return item

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<KeyCache {len(self._items)} keys>"


class ParsedKey:
    """A base for a backend's parsed key objects: the repr names the kind of key, nothing of it.

    A subclass (usually a ``@dataclass(frozen=True, repr=False)``) sets ``shown``.
    """

    shown: ClassVar[str] = "key"

    def __repr__(self) -> str:
        return f"<{self.shown}>"


class _Implementation(ABC):
    """What every implementation says about itself, and the checks before every hook.

    Each public method takes a fast path when every argument is a plain
    ``bytes`` of an accepted length (a type test and a set lookup each) and
    otherwise goes through ``_public_key``/``_secret_key``/... which normalise
    the input or raise the error that says what was expected.
    """

    kind: ClassVar[str]

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        self.algorithm = algorithm
        self.backend = status.name
        self.backend_version = status.version
        self.language = status.language
        self.native_name = native_name
        # The lengths every public call checks. Plain instance attributes, because
        # CPython 3.11 specialises loads of those but not of a cached_property
        # (whose __dict__ write also slows every later self.method lookup): about
        # 580 of decaps' 2,610 instructions of checks. A subclass whose sizes
        # depend on its own state sets that state before calling this.
        self._public_key_lengths = _lengths(
            (self.public_key_size,), algorithm.is_variable("public_key")
        )
        self._secret_key_lengths = _lengths(
            self.secret_key_sizes, algorithm.is_variable("secret_key")
        )

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
        try:
            return self._keygen()
        except PQCError:
            raise
        except Exception as exc:  # third-party libraries raise anything
            raise library_failure(f"{self.name} keygen", exc, BackendError) from exc

    @abstractmethod
    def _keygen(self) -> tuple[bytes, bytes]: ...

    def _checked(
        self,
        size_name: str,
        value: object,
        expected: int | tuple[int, ...],
        error: type[InvalidArgumentError],
    ) -> bytes:
        """The slow path: ``value`` (the catalog's ``size_name``) as plain bytes, or ``error``."""
        label = size_name.replace("_", " ")
        at_most = self.algorithm.is_variable(size_name)
        return check_length(label, value, expected, at_most=at_most, error=error)

    def _public_key(self, public_key: object) -> bytes:
        """The slow path: ``public_key`` normalised to plain bytes, or :class:`InvalidKeyError`."""
        return self._checked("public_key", public_key, self.public_key_size, InvalidKeyError)

    def _secret_key(self, secret_key: object) -> bytes:
        """The slow path: ``secret_key`` normalised to plain bytes, or :class:`InvalidKeyError`."""
        return self._checked("secret_key", secret_key, self.secret_key_sizes, InvalidKeyError)

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

    def sizes(self) -> dict[str, int]:
        """Every size of this implementation, in bytes, by the catalog's size names."""
        return {
            "public_key": self.public_key_size,
            "secret_key": self.secret_key_size,
            **self._output_sizes(),
        }

    @abstractmethod
    def _output_sizes(self) -> dict[str, int]:
        """The sizes besides the keys that this kind has (a KEM's ciphertext, ...)."""

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

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._ciphertext_lengths = _lengths(
            (self.ciphertext_size,), algorithm.is_variable("ciphertext")
        )

    def _output_sizes(self) -> dict[str, int]:
        return {"ciphertext": self.ciphertext_size, "shared_secret": self.shared_secret_size}

    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        """Encapsulate to ``public_key``: returns ``(ciphertext, shared_secret)``."""
        if type(public_key) is not bytes or len(public_key) not in self._public_key_lengths:
            public_key = self._public_key(public_key)
        try:
            return self._encaps(public_key)
        except PQCError:
            raise
        except Exception as exc:  # third-party libraries raise anything
            raise library_failure(f"{self.name} encaps", exc, InvalidKeyError) from exc

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        """Decapsulate ``ciphertext`` with ``secret_key``: returns the shared secret."""
        if type(secret_key) is not bytes or len(secret_key) not in self._secret_key_lengths:
            secret_key = self._secret_key(secret_key)
        if type(ciphertext) is not bytes or len(ciphertext) not in self._ciphertext_lengths:
            ciphertext = self._ciphertext(ciphertext)
        try:
            return self._decaps(secret_key, ciphertext)
        except PQCError:
            raise
        except Exception as exc:  # third-party libraries raise anything
            raise library_failure(f"{self.name} decaps", exc, BackendError) from exc

    def _ciphertext(self, ciphertext: object) -> bytes:
        """The slow path: ``ciphertext`` as plain bytes, or :class:`InvalidCiphertextError`."""
        return self._checked("ciphertext", ciphertext, self.ciphertext_size, InvalidCiphertextError)

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

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._signature_lengths = _lengths(
            (self.signature_size,), algorithm.is_variable("signature")
        )

    def _output_sizes(self) -> dict[str, int]:
        return {"signature": self.signature_size}

    def sign(self, secret_key: bytes, message: bytes) -> bytes:
        """Sign ``message`` with ``secret_key``: returns the signature."""
        if type(secret_key) is not bytes or len(secret_key) not in self._secret_key_lengths:
            secret_key = self._secret_key(secret_key)
        if type(message) is not bytes:
            message = require_bytes("message", message)
        try:
            return self._sign(secret_key, message)
        except PQCError:
            raise
        except Exception as exc:  # third-party libraries raise anything
            raise library_failure(f"{self.name} sign", exc, InvalidKeyError) from exc

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` is valid; False for a wrong or malformed signature.

        Raises :class:`InvalidKeyError` for a malformed public key and
        :class:`InvalidArgumentError` for arguments that are not bytes.
        """
        if type(public_key) is not bytes or len(public_key) not in self._public_key_lengths:
            public_key = self._public_key(public_key)
        if type(message) is not bytes:
            message = require_bytes("message", message)
        if type(signature) is not bytes:
            signature = require_bytes("signature", signature)
        if len(signature) not in self._signature_lengths:
            return False
        try:
            return bool(self._verify(public_key, message, signature))
        except PQCError:
            raise
        except Exception as exc:  # third-party libraries raise anything
            raise library_failure(f"{self.name} verify", exc, InvalidKeyError) from exc

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
        if len(sig) not in self._signature_lengths:
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


ImplementationClass = type[KEMImplementation] | type[SignatureImplementation]


def from_table(
    classes: Mapping[str, ImplementationClass],
    key: str,
    algorithm: Algorithm,
    status: BackendStatus,
    native_name: str,
) -> KEMImplementation | SignatureImplementation:
    """An object of the class ``classes[key]`` (a backend's table of its classes).

    :class:`~pqc.errors.UnsupportedAlgorithmError` naming the backend when the
    table has no class for ``key``.
    """
    cls = classes.get(key)
    if cls is None:
        raise UnsupportedAlgorithmError(
            f"the {status.name} backend has no code for {algorithm.name}."
        )
    return cls(algorithm, status, native_name)
