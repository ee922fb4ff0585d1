"""What to time: the plan of cases, and valid inputs for each operation prepared before timing.

A case is one operation (keygen, encaps, decaps, sign, verify) of one
algorithm on one backend. Inputs are made with the *checked* public methods
and validated (decaps returns the encapsulated secret, verify accepts the
signature) so the raw hooks the engine times only ever see valid input:

- keygen: no input;
- encaps: ``key_pool`` public keys, cycled;
- decaps: ``input_pool`` ciphertexts, each for one of ``key_pool`` key pairs;
- sign: ``input_pool`` random messages of ``message_size`` bytes (the same
  length for every scheme; 32 bytes by default, a digest-sized message), each
  with one of the key pairs;
- verify: the signatures of those messages.

Several keys, not one: some implementations' time depends on the key (the
pure-Python SM2's scalar multiplication branches on key bits), and one key
would bias the median.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pqc.api import implementation, unserved_reason
from pqc.backends import Implementation, backend_module, backend_names, backend_status
from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.bench.results import ALL_OPS, KEM_OPS, SIGNATURE_OPS, Settings, case_label
from pqc.catalog import Algorithm, lookup
from pqc.errors import (
    BackendError,
    BackendUnavailableError,
    InvalidArgumentError,
    UnsupportedAlgorithmError,
)

# The comparison the kit is about: NIST PQC vs SM vs the classical algorithms they replace.
DEFAULT_ALGORITHMS = (
    "ML-KEM-512", "ML-KEM-768", "ML-KEM-1024", "SM2-ENC", "SM9-ENC", "X25519", "RSA-OAEP-2048",
    "ML-DSA-44", "ML-DSA-65", "ML-DSA-87", "SM2", "Ed25519", "ECDSA-P256", "RSA-PSS-2048",
)  # fmt: skip

# Ratios are taken against the classical algorithm each kind would replace in TLS today:
# X25519 (the key share of nearly every TLS 1.3 handshake) for KEMs, and ECDSA-P256 (the
# most deployed certificate signature, and SM2's structural twin: both are ECDSA-style
# schemes on a 256-bit prime curve with 64-byte r||s signatures) for signatures.
DEFAULT_BASELINES = {"kem": "X25519", "signature": "ECDSA-P256"}

OPS_BY_KIND = {"kem": KEM_OPS, "signature": SIGNATURE_OPS}
MESSAGE_SIZE = 32


@dataclass(frozen=True)
class CaseSpec:
    """One case to time: ``op`` of ``algorithm`` on ``backend``."""

    algorithm: Algorithm
    backend: str
    op: str

    @property
    def label(self) -> str:
        return case_label(self.algorithm.name, self.op, self.backend)


@dataclass(frozen=True)
class Plan:
    """The cases to time, in order, and the requested algorithms that cannot be timed (why)."""

    cases: tuple[CaseSpec, ...]
    skipped: tuple[str, ...] = ()


def _status(name: str) -> BackendStatus:
    try:
        return backend_status(name)
    except ImportError as exc:  # a backend module missing from this install of pqc
        return BackendStatus(
            name=name, available=False, version=None, language="unknown", library="unknown",
            reason=f"pqc's module for it cannot be imported ({exc})",
        )  # fmt: skip


def _check_ops(ops: Sequence[str]) -> tuple[str, ...]:
    for op in ops:
        if op not in ALL_OPS:
            raise InvalidArgumentError(
                f"unknown operation {op!r}; expected one of: {', '.join(ALL_OPS)}."
            )
    return tuple(dict.fromkeys(ops))


def _check_backends(backends: Sequence[str]) -> tuple[str, ...]:
    for name in backends:
        backend_module(name)  # UnknownBackendError for a name pqc does not know
        status = _status(name)
        if not status.available:
            raise BackendUnavailableError(f"backend {name!r} is unavailable: {status.reason}")
    return tuple(dict.fromkeys(backends))


def plan_cases(
    algorithms: Sequence[str] = (),
    backends: Sequence[str] = (),
    ops: Sequence[str] = (),
    *,
    include: Sequence[str] = (),
) -> Plan:
    """The cases for these algorithms (default: :data:`DEFAULT_ALGORITHMS`) x backends x ops.

    ``include`` names algorithms timed in any case (baselines), after the others.
    Empty ``backends`` means every available backend, empty ``ops`` every
    operation of the algorithm's kind. An algorithm named explicitly that
    cannot be timed raises (unknown name, no backend implementing it among
    those named, none available, no operation of its kind asked for); a
    default algorithm that cannot be timed is listed in ``Plan.skipped``.
    Raises :class:`InvalidArgumentError` when nothing at all is left to time.
    """
    op_filter = _check_ops(ops)
    backend_filter = _check_backends(backends)
    found = [lookup(name) for name in (algorithms or DEFAULT_ALGORITHMS)]
    named = {lookup(name).name for name in (*algorithms, *include)}
    found += [lookup(name) for name in include]
    entries = list({entry.name: entry for entry in found}.values())
    entries.sort(key=lambda entry: entry.kind != "kem")  # KEMs first, as they are rendered
    cases: list[CaseSpec] = []
    skipped: list[str] = []
    for entry in entries:
        try:
            chosen = _backends_for(entry, backend_filter)
            entry_ops = _ops_for(entry, op_filter)
        except (UnsupportedAlgorithmError, BackendUnavailableError, InvalidArgumentError) as exc:
            if entry.name in named:
                raise
            skipped.append(f"{entry.name}: {exc}")
            continue
        cases.extend(CaseSpec(entry, backend, op) for backend in chosen for op in entry_ops)
    if not cases:
        raise InvalidArgumentError(
            "nothing to time with these filters; "
            + ("; ".join(skipped) if skipped else "check `pqc list` for what runs here.")
        )
    return Plan(tuple(cases), tuple(skipped))


def _backends_for(entry: Algorithm, backend_filter: tuple[str, ...]) -> list[str]:
    implementing = [
        name
        for name in backend_names()
        if name in entry.implementations and (not backend_filter or name in backend_filter)
    ]
    if not implementing:
        raise UnsupportedAlgorithmError(
            f"no backend among {', '.join(backend_filter)} implements {entry.name}; "
            f"backends that do: {', '.join(entry.backends) or 'none'}."
        )
    usable = [name for name in implementing if _status(name).available]
    if not usable:
        reasons = "; ".join(f"{name}: {_status(name).reason}" for name in implementing)
        raise BackendUnavailableError(f"no available backend implements it ({reasons})")
    serving = [name for name in usable if unserved_reason(entry, name) is None]
    if not serving:  # e.g. a minimal liboqs build without the algorithm
        reasons = "; ".join(f"{name}: {unserved_reason(entry, name)}" for name in usable)
        raise UnsupportedAlgorithmError(f"no loaded build enables it ({reasons})")
    return serving


def _ops_for(entry: Algorithm, op_filter: tuple[str, ...]) -> list[str]:
    own = OPS_BY_KIND[entry.kind]
    chosen = [op for op in own if not op_filter or op in op_filter]
    if not chosen:
        raise InvalidArgumentError(
            f"{entry.name} is a {entry.kind}; its operations are {', '.join(own)}."
        )
    return chosen


@dataclass(frozen=True)
class Calls:
    """What the engine times for one case: ``fn(*args)`` for args cycled from ``pool``.

    ``inputs`` describes the pool for the result; ``message_size`` is the
    signed message length in bytes (signature ops), else None.
    """

    fn: Callable[..., object]
    pool: tuple[tuple[bytes, ...], ...]
    inputs: str
    message_size: int | None = None


class Workload:
    """Valid inputs for one implementation's operations, made once and shared by its cases."""

    def __init__(
        self,
        impl: Implementation,
        *,
        key_pool: int,
        input_pool: int,
        message_size: int = MESSAGE_SIZE,
    ) -> None:
        self.impl = impl
        self.key_pool = max(1, key_pool)
        self.input_pool = max(1, input_pool)
        self.message_size = message_size
        self._keys: list[tuple[bytes, bytes]] | None = None
        self._messages: list[tuple[bytes, bytes, bytes]] | None = None  # (pk, message, sig)

    @classmethod
    def for_settings(cls, spec: CaseSpec, settings: Settings) -> Workload:
        """The workload for ``spec`` with the pools and message size of ``settings``."""
        return cls.for_spec(
            spec,
            key_pool=settings.key_pool,
            input_pool=settings.input_pool,
            message_size=settings.message_size,
        )

    @classmethod
    def for_spec(
        cls, spec: CaseSpec, *, key_pool: int, input_pool: int, message_size: int = MESSAGE_SIZE
    ) -> Workload:
        impl = implementation(spec.algorithm, spec.backend)
        return cls(impl, key_pool=key_pool, input_pool=input_pool, message_size=message_size)

    def keys(self) -> list[tuple[bytes, bytes]]:
        """``key_pool`` fresh key pairs ``(public_key, secret_key)``."""
        if self._keys is None:
            self._keys = [self.impl.keygen() for _ in range(self.key_pool)]
        return self._keys

    def calls(self, op: str) -> Calls:
        """The raw hook for ``op`` and a pool of valid arguments for it."""
        hooks = self.impl.timed_operations()
        if op not in hooks:
            raise InvalidArgumentError(
                f"{self.impl.name} is a {self.impl.kind}; its operations are {', '.join(hooks)}."
            )
        fn = hooks[op]
        if op == "keygen":
            return Calls(fn, ((),), "no input")
        keys = self.keys()
        key_text = f"{len(keys)} key pair{'s' if len(keys) > 1 else ''}"
        if isinstance(self.impl, KEMImplementation):
            if op == "encaps":
                return Calls(fn, tuple((pk,) for pk, _ in keys), f"{len(keys)} public keys")
            return Calls(
                fn, self._ciphertexts(self.impl), f"{key_text}, {self.input_pool} ciphertexts"
            )
        assert isinstance(self.impl, SignatureImplementation)
        signed = self._signed(self.impl)
        size = self.message_size
        if op == "sign":
            pool = tuple((keys[i % len(keys)][1], msg) for i, (_, msg, _) in enumerate(signed))
            return Calls(fn, pool, f"{key_text}, {len(pool)} messages of {size} bytes", size)
        return Calls(
            fn, tuple(signed), f"{key_text}, {len(signed)} signatures of {size}-byte messages", size
        )

    def _ciphertexts(self, impl: KEMImplementation) -> tuple[tuple[bytes, ...], ...]:
        keys = self.keys()
        pool = []
        for i in range(self.input_pool):
            public_key, secret_key = keys[i % len(keys)]
            ciphertext, shared_secret = impl.encaps(public_key)
            if impl.decaps(secret_key, ciphertext) != shared_secret:
                raise BackendError(
                    f"{impl.name} [{impl.backend}]: decaps did not return the encapsulated "
                    "secret, so decaps cannot be timed on valid input."
                )
            pool.append((secret_key, ciphertext))
        return tuple(pool)

    def _signed(self, impl: SignatureImplementation) -> list[tuple[bytes, bytes, bytes]]:
        if self._messages is None:
            keys = self.keys()
            signed = []
            for i in range(self.input_pool):
                public_key, secret_key = keys[i % len(keys)]
                message = secrets.token_bytes(self.message_size)
                signature = impl.sign(secret_key, message)
                if not impl.verify(public_key, message, signature):
                    raise BackendError(
                        f"{impl.name} [{impl.backend}]: a fresh signature did not verify, "
                        "so verify cannot be timed on valid input."
                    )
                signed.append((public_key, message, signature))
            self._messages = signed
        return self._messages
