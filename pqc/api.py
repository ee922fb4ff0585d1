"""The public entry points: pick an algorithm and a backend, get an implementation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

from pqc.backends import (
    Implementation,
    backend_capabilities,
    backend_module,
    backend_names,
    backend_status,
)
from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.catalog import Algorithm, Kind, all_algorithms, lookup
from pqc.errors import (
    BackendUnavailableError,
    InvalidArgumentError,
    UnsupportedAlgorithmError,
)


def algorithms(kind: Kind | None = None) -> tuple[Algorithm, ...]:
    """Every catalog entry (optionally of one kind), in catalog order."""
    return tuple(a for a in all_algorithms() if kind is None or a.kind == kind)


def backends() -> tuple[BackendStatus, ...]:
    """One status per backend: name, available, version, language, and reason when unavailable."""
    return tuple(backend_status(name) for name in backend_names())


def available_backends(algorithm: str | Algorithm) -> tuple[str, ...]:
    """Backends that implement ``algorithm`` and are usable here, best first."""
    entry = algorithm if isinstance(algorithm, Algorithm) else lookup(algorithm)
    return tuple(
        name
        for name in backend_names()
        if name in entry.implementations and backend_status(name).available
        and _serves(name, entry)
    )


def _serves(backend: str, entry: Algorithm) -> bool:
    """False when an available backend's build lacks the algorithm (a minimal liboqs build)."""
    return bool(backend_capabilities(backend).supports(entry, entry.implementations[backend]))


def unserved_reason(algorithm: str | Algorithm, backend: str) -> str | None:
    """None when ``backend`` runs ``algorithm`` here; otherwise why not, with the fix.

    Three cases: the backend does not implement the algorithm at all, the backend is
    unavailable (its reason), or its loaded build lacks the algorithm ("not enabled in
    the loaded ... build", e.g. a minimal liboqs build) — never an exception.
    """
    entry = algorithm if isinstance(algorithm, Algorithm) else lookup(algorithm)
    if backend not in entry.implementations:
        return f"backend {backend!r} does not implement {entry.name}"
    status = backend_status(backend)
    if not status.available:
        return f"backend {backend!r} is unavailable: {status.reason}"
    if _serves(backend, entry):
        return None
    explain = backend_capabilities(backend).unsupported_reason
    reason = explain(entry, entry.implementations[backend]) if explain else None
    return str(reason) if reason else f"not enabled in the loaded {backend} build"


@overload
def implementation(
    name: str | Algorithm, backend: str | None, kind: Literal["kem"]
) -> KEMImplementation: ...
@overload
def implementation(
    name: str | Algorithm, backend: str | None, kind: Literal["signature"]
) -> SignatureImplementation: ...
@overload
def implementation(name: str | Algorithm, backend: str | None = None) -> Implementation: ...


def implementation(
    name: str | Algorithm, backend: str | None = None, kind: Kind | None = None
) -> Implementation:
    """The implementation of algorithm ``name`` by ``backend`` (best available when None)."""
    entry = name if isinstance(name, Algorithm) else lookup(name)
    if kind is not None and entry.kind != kind:
        other = "pqc.signature" if entry.kind == "signature" else "pqc.kem"
        raise InvalidArgumentError(f"{entry.name} is a {entry.kind}, not a {kind}; use {other}().")
    chosen = backend if backend is not None else _best_backend(entry)
    native_name = entry.implementations.get(chosen)
    if native_name is None:
        backend_module(chosen)  # an unknown backend name gets its own error
        hint = (
            f" To choose the backends of its parts ({', '.join(entry.components)}), use "
            f"pqc.hybrid.compose({entry.name!r}, backends={{part: backend, ...}})."
            if entry.components
            else ""
        )
        raise UnsupportedAlgorithmError(
            f"backend {chosen!r} does not implement {entry.name}; "
            f"backends that do: {', '.join(entry.backends) or 'none'}.{hint}"
        )
    status = backend_status(chosen)
    if not status.available:
        raise BackendUnavailableError(f"backend {chosen!r} is unavailable: {status.reason}")
    if backend_capabilities(chosen).compose is not None:
        return composed(entry, [kem(part) for part in entry.components])
    return backend_module(chosen).implementation(entry, native_name)


def composed(entry: Algorithm, parts: Sequence[KEMImplementation]) -> KEMImplementation:
    """``entry`` (a hybrid) built from implementations of its components, in catalog order.

    The backend that composes it is the one of ``entry``'s backends that
    declares ``compose``; raises :class:`UnsupportedAlgorithmError` when none does.
    """
    for backend in entry.backends:
        compose = backend_capabilities(backend).compose
        if compose is not None:
            return compose(entry, entry.implementations[backend], tuple(parts))
    raise UnsupportedAlgorithmError(
        f"{entry.name} is not composed of other algorithms; use pqc.kem({entry.name!r})."
    )


def _best_backend(entry: Algorithm) -> str:
    usable = available_backends(entry)
    if usable:
        return usable[0]
    reasons = "; ".join(
        f"{name}: {backend_status(name).reason}" for name in entry.backends
    )
    raise BackendUnavailableError(
        f"no available backend implements {entry.name} ({reasons or 'none is known'})."
    )


def kem(name: str, backend: str | None = None) -> KEMImplementation:
    """A KEM: ``keygen() -> (pk, sk)``, ``encaps(pk) -> (ct, ss)``, ``decaps(sk, ct) -> ss``."""
    return implementation(name, backend, "kem")


def signature(name: str, backend: str | None = None) -> SignatureImplementation:
    """A signature scheme: ``keygen()``, ``sign(sk, msg) -> sig``, ``verify(pk, msg, sig)``."""
    return implementation(name, backend, "signature")
