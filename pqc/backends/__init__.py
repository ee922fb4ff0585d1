"""The backend registry: which modules wrap which library, in order of preference.

Backend modules are imported lazily and none imports its third-party library
at module import time, so asking what is available has no side effects.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import Protocol, cast

from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.catalog import Algorithm
from pqc.errors import UnknownBackendError

# Preference order when no backend is named: native code first, pure Python last.
BACKEND_MODULES: dict[str, str] = {
    "liboqs": "pqc.backends.liboqs",
    "openssl": "pqc.backends.openssl",
    "gmssl-native": "pqc.backends.gmssl_native",
    "pqclean": "pqc.backends.pqclean",
    "gmssl": "pqc.backends.gmssl",
    "gmssl-ecdh": "pqc.backends.gmssl_ecdh",
    "hybrid": "pqc.backends.hybrid",
}

Implementation = KEMImplementation | SignatureImplementation


class BackendModule(Protocol):
    """What each backend module offers."""

    NAME: str

    def status(self) -> BackendStatus: ...

    def implementation(self, algorithm: Algorithm, native_name: str) -> Implementation: ...


def backend_names() -> tuple[str, ...]:
    """Every backend pqc knows, in order of preference."""
    return tuple(BACKEND_MODULES)


@cache
def backend_module(name: str) -> BackendModule:
    """The module wrapping backend ``name``; raises :class:`UnknownBackendError`."""
    module_name = BACKEND_MODULES.get(name)
    if module_name is None:
        raise UnknownBackendError(name, list(BACKEND_MODULES))
    module: ModuleType = importlib.import_module(module_name)
    return cast(BackendModule, module)


def backend_status(name: str) -> BackendStatus:
    """Availability, version and (when unavailable) the reason and fix for backend ``name``."""
    return backend_module(name).status()
