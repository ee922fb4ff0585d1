"""The ``hybrid`` backend: hybrid KEMs made of component KEMs, concatenated in one byte order.

It wraps no library of its own: :func:`pqc.kem` builds a hybrid from the best
available backend of each part (the registry sees ``compose`` among this
backend's capabilities), and :func:`pqc.hybrid.compose` from parts' backends
you choose. The implementation language it reports is that of its components
(e.g. "C" or "C + pure Python").

Every value of the hybrid is the concatenation of the components' values in
the order the catalog's ``components`` lists them (the wire order of the TLS
group): public key, ciphertext, shared secret and secret key alike. No KDF is
applied: the TLS 1.3 key schedule consumes the concatenated secret.

Secret keys: each component's secret key in the same order. Component secret
keys may differ in size between backends (OpenSSL keeps ML-KEM as its 64-byte
seed, liboqs and PQClean as the 2400-byte expanded key), so at most one
component -- the ML-KEM part -- may have a variable size: every other part is
sliced off at its fixed size and the variable part takes the remaining bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from pqc.backends.base import BackendStatus, KEMImplementation
from pqc.backends.capabilities import Capabilities
from pqc.catalog import Algorithm
from pqc.errors import InvalidArgumentError, InvalidKeyError, UnsupportedOperationError

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


def _split(data: bytes, sizes: Sequence[int]) -> list[bytes]:
    """Cut ``data`` into consecutive pieces of ``sizes`` (their sum must be len(data))."""
    pieces, start = [], 0
    for size in sizes:
        pieces.append(data[start : start + size])
        start += size
    return pieces


class HybridKEM(KEMImplementation):
    """Concatenation of component KEMs (see the module docstring for the byte layout)."""

    def __init__(
        self,
        algorithm: Algorithm,
        status: BackendStatus,
        native_name: str,
        components: Sequence[KEMImplementation],
    ) -> None:
        names = tuple(c.name for c in components)
        if names != algorithm.components:
            raise InvalidArgumentError(
                f"{algorithm.name} is made of {', '.join(algorithm.components)}; "
                f"got {', '.join(names)}."
            )
        variable = [i for i, c in enumerate(components) if len(c.secret_key_sizes) > 1]
        if len(variable) > 1:
            raise InvalidArgumentError(
                f"{algorithm.name}: at most one component may have several secret-key sizes."
            )
        # The sizes depend on the components, and the base reads them: set first.
        self.components: tuple[KEMImplementation, ...] = tuple(components)
        self._variable = variable[0] if variable else None
        super().__init__(algorithm, status, native_name)
        self.language = " + ".join(dict.fromkeys(c.language for c in components))
        self.backend_version = "; ".join(
            f"{c.name}: {c.backend} {c.backend_version}" for c in components
        )
        self._pk_sizes = [c.public_key_size for c in components]
        self._ct_sizes = [c.ciphertext_size for c in components]

    @property
    def component_backends(self) -> dict[str, str]:
        """Component algorithm name -> the backend that implements it here."""
        return {c.name: c.backend for c in self.components}

    @property
    def secret_key_sizes(self) -> tuple[int, ...]:
        fixed = sum(c.secret_key_size for i, c in enumerate(self.components) if i != self._variable)
        if self._variable is None:
            return (fixed,)
        return tuple(fixed + size for size in self.components[self._variable].secret_key_sizes)

    def split_secret_key(self, secret_key: bytes) -> list[bytes]:
        """The components' secret keys, in component order (fixed parts first sliced off)."""
        sizes = [c.secret_key_size for c in self.components]
        if self._variable is not None:
            sizes[self._variable] = len(secret_key) - (sum(sizes) - sizes[self._variable])
        if sum(sizes) != len(secret_key) or min(sizes) <= 0:
            raise InvalidKeyError(
                f"{self.name} secret key of {len(secret_key)} bytes does not split into "
                f"{', '.join(c.name for c in self.components)}."
            )
        return _split(secret_key, sizes)

    def split_public_key(self, public_key: bytes) -> list[bytes]:
        """The components' public keys (key shares), in component order."""
        return _split(public_key, self._pk_sizes)

    def split_ciphertext(self, ciphertext: bytes) -> list[bytes]:
        """The components' ciphertexts (server shares), in component order."""
        return _split(ciphertext, self._ct_sizes)

    def split_shared_secret(self, shared_secret: bytes) -> list[bytes]:
        """The components' shared secrets, in component order."""
        return _split(shared_secret, [c.shared_secret_size for c in self.components])

    # The hooks call the components' raw hooks: the hybrid's public methods have
    # already checked the total lengths, so every slice has its component's length.
    def _keygen(self) -> tuple[bytes, bytes]:
        pairs = [c._keygen() for c in self.components]
        return b"".join(p for p, _ in pairs), b"".join(s for _, s in pairs)

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        parts = [
            c._encaps(pk)
            for c, pk in zip(self.components, self.split_public_key(public_key), strict=True)
        ]
        return b"".join(ct for ct, _ in parts), b"".join(ss for _, ss in parts)

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        keys = self.split_secret_key(secret_key)
        cts = self.split_ciphertext(ciphertext)
        return b"".join(
            c._decaps(sk, ct) for c, sk, ct in zip(self.components, keys, cts, strict=True)
        )

    def describe(self) -> dict[str, object]:
        info = super().describe()
        info["components"] = [c.describe() for c in self.components]
        return info

    def __repr__(self) -> str:
        parts = ", ".join(f"{c.name}@{c.backend}" for c in self.components)
        return f"<HybridKEM {self.name} [{parts}] language={self.language}>"


def compose(
    algorithm: Algorithm, native_name: str, parts: tuple[KEMImplementation, ...]
) -> HybridKEM:
    """The hybrid ``algorithm`` made of ``parts`` (implementations of its components, in order)."""
    return HybridKEM(algorithm, status(), native_name, parts)


def implementation(algorithm: Algorithm, native_name: str) -> KEMImplementation:
    """A hybrid needs its parts' implementations, which the registry passes to :func:`compose`."""
    raise UnsupportedOperationError(
        f"{algorithm.name} is made of its components' implementations: use "
        f"pqc.kem({algorithm.name!r}) or pqc.hybrid.compose({algorithm.name!r}, ...)."
    )


CAPABILITIES = Capabilities(
    compose=compose,
    thread_safety="as safe to share as its components' implementations",
)
