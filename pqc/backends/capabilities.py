"""What a backend says about itself beyond its status and implementations.

Every backend module sets ``CAPABILITIES`` (see :class:`pqc.backends.BackendModule`);
each field has a default, so a backend declares only what it has. Conformance,
leak, bench and handshake code ask these instead of naming backends:

- ``supports``: whether this build of the library has an algorithm, and
  ``unsupported_reason`` why not (with the fix) when it has not;
- ``findings``: the library's own defects, observed by calling it directly,
  with checks that pqc's guards hold (``pqc verify``'s findings family);
- ``secret_target``: the library's secret -> public-key computation, for the
  leak screen to feed secrets of a chosen Hamming weight;
- ``gm_primitives``: the SM3/SM4/SM2/SM9 building blocks of the library, for
  the GM standards' worked examples;
- ``published_kats``: the published known-answer digests the backend can
  reproduce, and the operations whose randomness a run redirects;
- ``signs_fast``: signing costs well under a millisecond, so known-answer
  checks run every signing vector;
- ``thread_safety``: what sharing an implementation object between threads
  means on this backend;
- ``native_entry_symbols``: callgrind ``--toggle-collect`` patterns of the
  library's entry functions, for counting the library's own instructions
  (empty: only the whole call is counted);
- ``packages``: the Python distributions it wraps, whose versions results record;
- ``compose``: for a backend that builds an algorithm out of other backends'
  implementations of its ``components`` (the hybrids).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.catalog import Algorithm

Implementation = KEMImplementation | SignatureImplementation


@dataclass(frozen=True)
class SecretTarget:
    """A secret -> public-key computation.

    ``size`` is the secret's length in bytes; when ``limit`` is set the secret
    is a big-endian scalar that must lie in [1, limit); ``what`` says what is
    computed, for reports.
    """

    size: int
    compute: Callable[[bytes], object]
    what: str
    limit: int | None = None


@dataclass(frozen=True)
class Finding:
    """A library behaviour observed by calling the library directly (never hard-coded).

    ``observed`` False means the installed version did not reproduce it.
    """

    algorithm: str
    name: str
    detail: str
    evidence: Mapping[str, object]
    observed: bool


@dataclass(frozen=True)
class Guard:
    """A check through pqc's own interface that pqc guards a finding: ``run() -> (ok, detail)``."""

    algorithm: str
    name: str
    run: Callable[[], tuple[bool, str]]


@dataclass(frozen=True)
class NotRun:
    """Findings that could not run for this selection, and what to select to run them."""

    algorithm: str
    name: str
    reason: str


Observation = Finding | Guard | NotRun
Findings = Callable[[Sequence[Implementation]], Sequence[Observation]]


@dataclass(frozen=True)
class GMPrimitives:
    """The GM building blocks a library offers (None where it offers none).

    - ``sm3(data) -> 32 bytes``; ``sm4_encrypt_block(key, block) -> block`` (16 bytes each);
    - ``sm2_sign_with_nonce(secret_key, message, k) -> r||s`` (default ID);
    - ``sm2_encrypt_with_nonce(public_key, plaintext, k) -> C1C3C2``;
    - ``sm2_decrypt(secret_key, C1C3C2) -> plaintext``;
    - ``sm9_encryption_key(master_secret_ke, identity) -> deB`` as its four
      32-byte coordinates, in the library's order.
    """

    sm3: Callable[[bytes], bytes] | None = None
    sm4_encrypt_block: Callable[[bytes, bytes], bytes] | None = None
    sm2_sign_with_nonce: Callable[[bytes, bytes, int], bytes] | None = None
    sm2_encrypt_with_nonce: Callable[[bytes, bytes, int], bytes] | None = None
    sm2_decrypt: Callable[[bytes, bytes], bytes] | None = None
    sm9_encryption_key: Callable[[int, bytes], Sequence[bytes]] | None = None

    @classmethod
    def named_in(cls, namespace: Mapping[str, object]) -> GMPrimitives:
        """The building blocks a backend defines under these names (its module's ``globals()``):
        a backend offers one by defining a function of that name, and the rest stay None."""
        found = {f.name: namespace.get(f.name) for f in fields(cls)}
        return cls(**{name: value for name, value in found.items() if callable(value)})


@dataclass(frozen=True)
class PublishedKATs:
    """NIST known-answer digests a backend reproduces.

    ``digests`` is the package-data path of the published digests;
    ``operations(kind, native_name)`` gives the operations whose randomness a
    known-answer run redirects (process-wide: run it in a child process).
    """

    digests: str
    operations: Callable[[str, str], Any]


Composer = Callable[[Algorithm, str, tuple[KEMImplementation, ...]], KEMImplementation]

SHARED_SAFELY = (
    "safe to share between threads: parsed keys sit in a thread-safe KeyCache and library "
    "objects are immutable once built, kept per thread, or locked (pqc.backends.base)"
)


def _supports_everything(algorithm: Algorithm, native_name: str) -> bool:
    return True


def _no_secret_target(impl: Implementation) -> SecretTarget | None:
    return None


@dataclass(frozen=True)
class Capabilities:
    """The optional capabilities of one backend (see the module docstring for each field)."""

    supports: Callable[[Algorithm, str], bool] = _supports_everything
    unsupported_reason: Callable[[Algorithm, str], str | None] | None = None
    findings: Findings | None = None
    secret_target: Callable[[Implementation], SecretTarget | None] = _no_secret_target
    gm_primitives: GMPrimitives | None = None
    published_kats: PublishedKATs | None = None
    signs_fast: bool = False
    thread_safety: str = SHARED_SAFELY
    native_entry_symbols: tuple[str, ...] = ()
    packages: tuple[str, ...] = field(default=())
    compose: Composer | None = None
