"""Build a hybrid KEM from component implementations chosen by backend.

``pqc.kem("X25519MLKEM768")`` goes through the registry's ``hybrid`` backend,
which composes the best available backend for each part. To choose the parts'
backends yourself::

    pqc.hybrid.compose("X25519MLKEM768", mlkem_backend="pqclean")
    pqc.hybrid.compose("SecP256r1MLKEM768", backends={"ML-KEM-768": "liboqs",
                                                      "ECDH-P256": "openssl"})
"""

from __future__ import annotations

from collections.abc import Mapping

from pqc.catalog import Algorithm, lookup
from pqc.errors import InvalidArgumentError
from pqc.hybrid.kem import HybridKEM

HYBRID_FAMILY = "hybrid"


def hybrid_algorithms() -> tuple[Algorithm, ...]:
    """Every hybrid KEM in the catalog."""
    from pqc.api import algorithms

    return tuple(a for a in algorithms("kem") if a.family == HYBRID_FAMILY)


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
    from pqc.api import kem
    from pqc.backends import backend_status

    entry = name if isinstance(name, Algorithm) else lookup(name)
    if entry.family != HYBRID_FAMILY or not entry.components:
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
    native = entry.implementations.get("hybrid", entry.name)
    return HybridKEM(entry, backend_status(HYBRID_FAMILY), native, parts)
