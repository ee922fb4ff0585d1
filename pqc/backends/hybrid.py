"""The ``hybrid`` backend: composes hybrid KEMs from the best available backend of each part.

It wraps no library of its own; the implementation language it reports is
that of its components (e.g. "C" or "C + pure Python"). To choose the
components' backends, use :func:`pqc.hybrid.compose`.
"""

from __future__ import annotations

from functools import cache

from pqc.backends.base import BackendStatus, KEMImplementation
from pqc.catalog import Algorithm

NAME = "hybrid"


@cache
def status() -> BackendStatus:
    """Always available; whether a hybrid can be built depends on its components' backends."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pqc")
    except PackageNotFoundError:
        found = "unknown"
    return BackendStatus(
        name=NAME,
        available=True,
        version=f"pqc {found} composition",
        language="composite",
        library="pqc hybrid composition of component backends",
    )


def implementation(algorithm: Algorithm, native_name: str) -> KEMImplementation:
    """The hybrid ``algorithm`` from the best available backend of each component."""
    from pqc.hybrid import compose

    return compose(algorithm)
