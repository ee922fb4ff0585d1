"""The backend registry: which modules wrap which library, in order of preference.

Backend modules are imported lazily and none imports its third-party library
at module import time, so asking what is available has no side effects.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import Protocol, cast

from pqc.backends.base import BackendStatus
from pqc.backends.capabilities import Capabilities, Implementation
from pqc.catalog import Algorithm
from pqc.errors import BackendError, UnknownBackendError

# Preference order when no backend is named: native code first, pure Python last.
BACKEND_MODULES: dict[str, str] = {
    "liboqs": "pqc.backends.liboqs",
    "openssl": "pqc.backends.openssl",
    "gmssl-native": "pqc.backends.gmssl_native",
    "pqclean": "pqc.backends.pqclean",
    "botan": "pqc.backends.botan",
    "gmssl": "pqc.backends.gmssl",
    "gmssl-ecdh": "pqc.backends.gmssl_ecdh",
    "hybrid": "pqc.backends.hybrid",
}

__all__ = [
    "BACKEND_MODULES",
    "BackendModule",
    "Capabilities",
    "Implementation",
    "backend_capabilities",
    "backend_module",
    "backend_names",
    "backend_status",
]


class BackendModule(Protocol):
    """What each backend module offers: its name, status, implementations and capabilities.

    ``CAPABILITIES`` (:class:`~pqc.backends.capabilities.Capabilities`) holds the
    optional parts, each with a default: a new backend plugs in by setting
    these four names, and nothing outside ``pqc/backends/`` names it.
    """

    NAME: str
    CAPABILITIES: Capabilities

    def status(self) -> BackendStatus: ...

    def implementation(self, algorithm: Algorithm, native_name: str) -> Implementation: ...


_MEMBERS = ("NAME", "CAPABILITIES", "status", "implementation")


def backend_names() -> tuple[str, ...]:
    """Every backend pqc knows, in order of preference."""
    return tuple(BACKEND_MODULES)


@cache
def backend_module(name: str) -> BackendModule:
    """The module wrapping backend ``name``; raises :class:`UnknownBackendError`.

    Raises :class:`BackendError` when the module does not describe itself as
    :class:`BackendModule` asks (a missing member, or a ``NAME`` that is not ``name``).
    """
    module_name = BACKEND_MODULES.get(name)
    if module_name is None:
        raise UnknownBackendError(name, list(BACKEND_MODULES))
    module: ModuleType = importlib.import_module(module_name)
    missing = [member for member in _MEMBERS if not hasattr(module, member)]
    if missing or name != module.NAME or not isinstance(module.CAPABILITIES, Capabilities):
        raise BackendError(
            f"backend module {module_name} does not describe itself as pqc.backends."
            f"BackendModule asks (missing: {', '.join(missing) or 'none'}; NAME "
            f"{getattr(module, 'NAME', None)!r}, expected {name!r}); set NAME, status(), "
            "implementation() and CAPABILITIES = Capabilities(...)."
        )
    return cast(BackendModule, module)


def backend_status(name: str) -> BackendStatus:
    """Availability, version and (when unavailable) the reason and fix for backend ``name``."""
    return backend_module(name).status()


def backend_capabilities(name: str) -> Capabilities:
    """What backend ``name`` declares about itself (see :mod:`pqc.backends.capabilities`)."""
    return backend_module(name).CAPABILITIES
