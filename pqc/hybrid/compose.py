"""Build a hybrid KEM from component implementations chosen by backend.

``pqc.kem("X25519MLKEM768")`` composes the best available backend for each
part. To choose the parts' backends yourself, name them per part (``backends``)
or per role (``mlkem_backend``, ``classical_backend``); ``pqc list`` shows which
backends implement each component.
"""

from __future__ import annotations

from collections.abc import Mapping

from pqc.api import algorithms, composed, kem
from pqc.backends.hybrid import HybridKEM
from pqc.catalog import Algorithm, lookup
from pqc.errors import InvalidArgumentError


def hybrid_algorithms() -> tuple[Algorithm, ...]:
    """Every hybrid KEM in the catalog (the entries made of ``components``)."""
    return tuple(a for a in algorithms("kem") if a.components)


def is_post_quantum_part(algorithm: Algorithm) -> bool:
    """True for the post-quantum component of a hybrid (the ML-KEM part)."""
    return algorithm.quantum_safe


def compose(
    name: str | Algorithm,
    backends: Mapping[str, str | None] | None = None,
    *,
    mlkem_backend: str | None = None,
    classical_backend: str | None = None,
) -> HybridKEM:
    """The hybrid KEM ``name`` made of component implementations.

    ``backends`` maps a component name (or alias) to a backend; otherwise
    ``mlkem_backend`` applies to the post-quantum part and ``classical_backend``
    to the ECDH part; a part with no backend named gets the best available one.
    Raises :class:`InvalidArgumentError` when ``name`` is not a hybrid or a key of
    ``backends`` names no component.
    """
    entry = name if isinstance(name, Algorithm) else lookup(name)
    if not entry.components:
        raise InvalidArgumentError(
            f"{entry.name} is not a hybrid KEM; hybrids: "
            f"{', '.join(a.name for a in hybrid_algorithms())}."
        )
    chosen: dict[str, str | None] = {}
    for key, backend in (backends or {}).items():
        component = lookup(key).name
        if component not in entry.components:
            raise InvalidArgumentError(
                f"{component} is not a component of {entry.name} "
                f"(components: {', '.join(entry.components)})."
            )
        chosen[component] = backend
    parts = []
    for component_name in entry.components:
        if component_name in chosen:
            backend = chosen[component_name]
        elif is_post_quantum_part(lookup(component_name)):
            backend = mlkem_backend
        else:
            backend = classical_backend
        parts.append(kem(component_name, backend))
    hybrid = composed(entry, parts)
    assert isinstance(hybrid, HybridKEM)  # the composing backend builds HybridKEMs
    return hybrid
