"""Whether a backend's Python package is installed and importable, without side effects.

For backends whose package imports cleanly (not liboqs-python, which must not
be imported unless liboqs is there: see :mod:`pqc.backends.liboqs`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib import metadata

from pqc.backends.base import BackendStatus


def package_version(package: str, *modules: str) -> tuple[str | None, str]:
    """(version of ``package``, "") when it and ``modules`` import, else (None, why)."""
    try:
        version = metadata.version(package)
        for module in modules:
            importlib.import_module(module)
    except (metadata.PackageNotFoundError, ImportError) as exc:
        return None, str(exc)
    return version, ""


def unavailable(
    name: str, language: str, library: str, reason: str, version: str | None = None
) -> BackendStatus:
    """The status of a backend that cannot be used here, with the reason and the fix."""
    return BackendStatus(
        name=name, available=False, version=version, language=language, library=library,
        reason=reason,
    )  # fmt: skip


def usable(
    name: str, language: str, library: str, version: str, details: Mapping[str, str] | None = None
) -> BackendStatus:
    """The status of a backend that works here: its exact version and what stands behind it."""
    return BackendStatus(
        name=name, available=True, version=version, language=language, library=library,
        details=details or {},
    )  # fmt: skip
