"""NIST KAT responses as liboqs's ``kat_kem`` / ``kat_sig`` print them, and their digests.

liboqs publishes, per algorithm, the SHA-256 of the first KAT response (``count = 0``)
its test programs print (``tests/KATs/{kem,sig}/kats.json``, key ``single``; the copy
pqc checks against is ``pqc/data/liboqs_kats.json``, which names its source). The
procedure, from ``tests/kat_kem.c``, ``kat_sig.c`` and ``test_helpers.c``:

1. seed an outer generator (NIST AES-256 CTR DRBG; HQC: its SHAKE256 PRNG) with the
   48 bytes 00 01 .. 2f, and draw the 48-byte ``seed`` (and, for signatures, a 33-byte
   message);
2. re-seed the library's randomness with ``seed`` and run keypair, encaps (or sign);
3. print ``count``, ``seed``, (``mlen``, ``msg``,) ``pk``, ``sk``, ``ct``/``ss`` (or
   ``smlen``, ``sm``) in upper-case hex, one ``name = value`` line each.

A backend that can take its randomness from a :class:`~pqc.conformance.nist_drbg.KatRng`
supplies the operations (:class:`KEMOperations` / :class:`SignatureOperations`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from pqc.backends import backend_capabilities
from pqc.conformance.isolation import ChildRun, crash_result, package_root, run_child
from pqc.conformance.model import CheckResult, failed, passed, skipped
from pqc.conformance.nist_drbg import SEED_SIZE, KatRng, generator

FAMILY = "kat"

FIRST_ENTROPY = bytes(range(SEED_SIZE))  # kat_kem.c / kat_sig.c: entropy_input[i] = i
MESSAGE_SIZE = 33  # kat_sig.c: mlen = 33 * (count + 1), count = 0
FALCON_HEADERS = {"Falcon-512": 0x29, "Falcon-1024": 0x2A}  # kat_sig.c combine_message_signature


@cache
def published(data_file: str) -> Mapping[str, Any]:
    """Published digests (``{"source", "kem": {...}, "signature": {...}}``) in pqc's data."""
    text = resources.files("pqc").joinpath(data_file).read_text(encoding="utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


def entry(data_file: str, kind: str, native_name: str) -> dict[str, str] | None:
    """``{"sha256", "prng", ["signed_message"]}`` for a native name, or None if unpublished."""
    found = published(data_file)["kem" if kind == "kem" else "signature"].get(native_name)
    return dict(found) if found is not None else None


def _hex(value: bytes) -> str:
    return value.hex().upper() or "00"  # OQS_fprintBstr prints "00" for an empty string


def kem_response(seed: bytes, pk: bytes, sk: bytes, ct: bytes, ss: bytes) -> str:
    """The text ``kat_kem <name>`` prints (one response, no trailing blank line)."""
    return (f"count = 0\nseed = {_hex(seed)}\npk = {_hex(pk)}\nsk = {_hex(sk)}\n"
            f"ct = {_hex(ct)}\nss = {_hex(ss)}\n")


def signed_message(layout: str, native_name: str, message: bytes, signature: bytes) -> bytes:
    """The ``sm`` of a NIST signature KAT: signature and message as the submission joins them."""
    if layout == "signature||message":
        return signature + message
    if layout == "message||signature":
        return message + signature
    if layout == "falcon":  # length (2, big-endian) || nonce (40) || message || header || body
        body_length = len(signature) - 40
        return (body_length.to_bytes(2, "big") + signature[1:41] + message
                + bytes([FALCON_HEADERS[native_name]]) + signature[41:])
    raise ValueError(f"unknown signed-message layout {layout!r}")


def signature_response(seed: bytes, message: bytes, pk: bytes, sk: bytes, sm: bytes) -> str:
    """The text ``kat_sig <name>`` prints (one response, no trailing blank line)."""
    return (f"count = 0\nseed = {_hex(seed)}\nmlen = {len(message)}\nmsg = {_hex(message)}\n"
            f"pk = {_hex(pk)}\nsk = {_hex(sk)}\nsmlen = {len(sm)}\nsm = {_hex(sm)}\n")


class KEMOperations(Protocol):
    """A KEM whose randomness can be taken from a :class:`KatRng` for a while."""

    def randomness(self, rng: KatRng) -> AbstractContextManager[None]: ...
    def keypair(self) -> tuple[bytes, bytes]: ...
    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]: ...
    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes: ...


class SignatureOperations(Protocol):
    """A signature scheme whose randomness can be taken from a :class:`KatRng` for a while."""

    def randomness(self, rng: KatRng) -> AbstractContextManager[None]: ...
    def keypair(self) -> tuple[bytes, bytes]: ...
    def sign(self, secret_key: bytes, message: bytes) -> bytes: ...
    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True)
class Reproduced:
    """One reproduced KAT response: its digest, the published one, and whether it agreed."""

    native_name: str
    sha256: str
    expected: str
    round_trip: bool

    @property
    def matches(self) -> bool:
        return self.sha256 == self.expected and self.round_trip


def reproduce_kem(native_name: str, published_entry: Mapping[str, str], ops: KEMOperations
                  ) -> Reproduced:
    """Run kat_kem's first response through ``ops``; compare its digest with the published one."""
    outer = generator(published_entry["prng"], FIRST_ENTROPY)
    seed = outer.random_bytes(SEED_SIZE)
    with ops.randomness(generator(published_entry["prng"], seed)):
        pk, sk = ops.keypair()
        ct, ss = ops.encaps(pk)
        round_trip = ops.decaps(sk, ct) == ss
    digest = hashlib.sha256(kem_response(seed, pk, sk, ct, ss).encode("ascii")).hexdigest()
    return Reproduced(native_name, digest, published_entry["sha256"], round_trip)


def reproduce_signature(native_name: str, published_entry: Mapping[str, str],
                        ops: SignatureOperations) -> Reproduced:
    """Run kat_sig's first response through ``ops``; compare its digest with the published one."""
    outer = generator(published_entry["prng"], FIRST_ENTROPY)
    seed = outer.random_bytes(SEED_SIZE)
    message = outer.random_bytes(MESSAGE_SIZE)
    with ops.randomness(generator(published_entry["prng"], seed)):
        pk, sk = ops.keypair()
        signature = ops.sign(sk, message)
    round_trip = ops.verify(pk, message, signature)
    sm = signed_message(published_entry["signed_message"], native_name, message, signature)
    text = signature_response(seed, message, pk, sk, sm)
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()
    return Reproduced(native_name, digest, published_entry["sha256"], round_trip)


def reproduce(data_file: str, kind: str, native_name: str, ops: Any) -> Reproduced:
    """The first KAT response of ``native_name`` through ``ops``, against its published digest."""
    published_entry = entry(data_file, kind, native_name)
    if published_entry is None:
        raise LookupError(f"no published KAT digest for {native_name} in {data_file}")
    if kind == "kem":
        return reproduce_kem(native_name, published_entry, ops)
    return reproduce_signature(native_name, published_entry, ops)


# ---------------------------------------------------------------- pqc verify's checks
CHECK_NAME = "NIST KAT (published digest)"
KAT_TIMEOUT = 120.0  # seconds without a line from the child (one McEliece keygen is < 1 s)


def child_command(backend: str, kems: Sequence[str], signatures: Sequence[str]) -> list[str]:
    """The command that reproduces ``backend``'s digests in a fresh interpreter (as ``-P``)."""
    code = (f"import sys; sys.path.insert(0, {package_root()!r}); "
            "from pqc.conformance.nist_kat_child import main; sys.exit(main())")
    argv = [sys.executable, "-P", "-c", code, "--backend", backend]
    for name in kems:
        argv += ["--kem", name]
    for name in signatures:
        argv += ["--signature", name]
    return argv


def _publisher(backend: str) -> str | None:
    """The data file of published digests ``backend`` can reproduce, or None."""
    kats = backend_capabilities(backend).published_kats
    return kats.digests if kats is not None else None


def run_published_kats(impls: Sequence[Any], idle_timeout: float = KAT_TIMEOUT
                       ) -> list[CheckResult]:
    """One known-answer check per implementation whose backend publishes KAT digests.

    Each backend's digests are reproduced in one child process (the randomness
    redirection is process-wide). An algorithm without a published digest is skipped
    with the data file's own explanation.
    """
    results: list[CheckResult] = []
    by_backend: dict[str, list[Any]] = {}
    for impl in impls:
        if _publisher(impl.backend) is not None:
            by_backend.setdefault(impl.backend, []).append(impl)
    for backend, group in by_backend.items():
        data_file = str(_publisher(backend))
        data = published(data_file)
        wanted: dict[str, Any] = {}
        for impl in group:
            if entry(data_file, impl.algorithm.kind, impl.native_name) is None:
                results.append(skipped(FAMILY, backend, impl.name, CHECK_NAME,
                                       f"no published digest for {impl.native_name}: "
                                       f"{data.get('not_published', 'none in ' + data_file)}"))
            else:
                wanted[impl.native_name] = impl
        kems = [n for n, i in wanted.items() if i.algorithm.kind == "kem"]
        signatures = [n for n, i in wanted.items() if i.algorithm.kind != "kem"]
        if wanted:
            run = run_child(child_command(backend, kems, signatures), idle_timeout)
            results.extend(_results(backend, wanted, data, run, idle_timeout))
    return results


def _results(backend: str, wanted: Mapping[str, Any], data: Mapping[str, Any], run: ChildRun,
             idle_timeout: float) -> list[CheckResult]:
    results: list[CheckResult] = []
    seen: set[str] = set()
    for event in run.events:
        native = str(event.get("algorithm"))
        impl = wanted.get(native)
        if impl is None or event.get("event") not in ("kat", "error"):
            continue
        seen.add(native)
        if event["event"] == "error":
            results.append(failed(FAMILY, backend, impl.name, CHECK_NAME,
                                  f"could not reproduce the KAT response: {event['error']}"))
            continue
        evidence = {"native_name": native, "sha256": event["sha256"],
                    "published_sha256": event["expected"], "source": data.get("source"),
                    "round_trip": event["round_trip"], "seconds": event["seconds"]}
        if event["sha256"] == event["expected"] and event["round_trip"]:
            results.append(passed(FAMILY, backend, impl.name, CHECK_NAME,
                                  f"SHA-256 of the first NIST KAT response {event['sha256'][:16]}"
                                  f"... equals the published digest", **evidence))
        else:
            why = ("digest differs from the published one" if event["sha256"] != event["expected"]
                   else "decapsulation/verification of the KAT output failed")
            results.append(failed(FAMILY, backend, impl.name, CHECK_NAME,
                                  f"{why}: {event['sha256'][:16]}... vs published "
                                  f"{event['expected'][:16]}...", **evidence))
    if len(seen) < len(wanted):
        crash = crash_result(backend, run, idle_timeout)
        for native, impl in wanted.items():
            if native not in seen:
                results.append(failed(FAMILY, backend, impl.name, CHECK_NAME,
                                      f"the known-answer child {crash.detail}",
                                      **dict(crash.evidence)))
    return results
