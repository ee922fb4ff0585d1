"""Key generation from a chosen secret: the one hook the weight classes need.

A screen of key generation must feed the *library's* key derivation (scalar
multiplication, seed expansion) secrets of a chosen Hamming weight, which a
plain ``keygen()`` cannot take. :func:`secret_target` returns, for an
implementation that allows it, the secret's shape and a function that runs
that library's secret -> public key computation:

- ML-KEM / ML-DSA on any backend offering ``keygen_from_seed`` (the seed);
- otherwise what the backend declares (``Capabilities.secret_target``): for
  example the private key -> public key of X25519, Ed25519 and P-256 on
  OpenSSL, and d*G of SM2 in the pure-Python and the C SM2 libraries.

The rest of the screen sees only ``secret bytes -> object``.
"""

from __future__ import annotations

from pqc.backends import Implementation, backend_capabilities, backend_names
from pqc.backends.capabilities import SecretTarget

__all__ = ["SecretTarget", "secret_target"]


def secret_target(impl: Implementation) -> SecretTarget | None:
    """The secret -> public-key computation of ``impl``'s library, or None when not reachable."""
    if impl.supports_seed and impl.algorithm.seed_size:
        return SecretTarget(
            size=impl.algorithm.seed_size,
            compute=impl.keygen_from_seed,
            what=f"{impl.name} key generation from a {impl.algorithm.seed_size}-byte seed",
        )
    if impl.backend not in backend_names():  # an object of no registered backend
        return None
    return backend_capabilities(impl.backend).secret_target(impl)
