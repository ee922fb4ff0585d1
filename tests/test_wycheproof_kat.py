"""Wycheproof known answers for ML-KEM and ML-DSA on every backend able to run them.

Files (found through the ``vectors`` fixture, $PQC_VECTORS or ../shared/vectors):
``mlkem_*_keygen_seed_test.json`` (seed -> ek, dk), ``mlkem_*_test.json`` (seed,
ciphertext -> K, with wrong-length seeds and ciphertexts as invalid cases),
``mlkem_*_semi_expanded_decaps_test.json`` (expanded dk, including corrupted
H(ek)), ``mlkem_*_encaps_test.json`` (non-reduced and wrong-length public keys;
valid keys must encapsulate) and ``mldsa_*_verify_test.json`` (valid and invalid
signatures, contexts up to 256 bytes).

Every test counts the cases it ran and those it skipped (with the reason), and
asserts that together they are all the file's cases and that some ran.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import pqc
from pqc.backends import backend_status
from pqc.backends.base import KEMImplementation, SignatureImplementation

PQ_BACKENDS = ["liboqs", "openssl", "pqclean"]
MLKEM_SETS = [512, 768, 1024]
MLDSA_SETS = [44, 65, 87]


# ---------------------------------------------------------------- helpers
def load(vectors: Path, filename: str) -> dict[str, Any]:
    path = vectors / "wycheproof" / filename
    if not path.is_file():
        pytest.skip(f"{path} not found: the shared Wycheproof vectors are incomplete")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cases(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for group in data["testGroups"]:
        for test in group["tests"]:
            yield group, test


def implementation(kind: str, name: str, backend: str) -> Any:
    algorithm = pqc.catalog.lookup(name)
    if backend not in algorithm.implementations:
        pytest.skip(f"{backend} does not implement {name}")
    status = backend_status(backend)
    if not status.available:
        pytest.skip(f"backend {backend} unavailable: {status.reason}")
    try:
        return pqc.implementation(name, backend, kind)  # type: ignore[call-overload]
    except pqc.UnsupportedAlgorithmError as exc:
        pytest.skip(str(exc))


@dataclass
class Tally:
    """Cases run, skipped (by reason) and failed, checked against the file's own count."""

    total: int
    ran: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def fail(self, test: dict[str, Any], message: str) -> None:
        self.failures.append(f"tcId {test['tcId']} ({test.get('comment', '')}): {message}")

    def check(self, record: Any) -> None:
        record("cases_run", self.ran)
        record("cases_skipped", dict(self.skipped))
        assert not self.failures, f"{len(self.failures)} failures:\n" + "\n".join(
            self.failures[:20]
        )
        assert self.ran + sum(self.skipped.values()) == self.total
        assert self.ran > 0, f"no case ran; skipped: {dict(self.skipped)}"


def h(value: str) -> bytes:
    return bytes.fromhex(value)


def seed_expander(name: str) -> KEMImplementation | None:
    """liboqs, to turn 64-byte seeds into expanded keys for backends that take only those."""
    if not backend_status("liboqs").available:
        return None
    try:
        return pqc.kem(name, "liboqs")
    except pqc.UnsupportedAlgorithmError:
        return None


# ---------------------------------------------------------------- ML-KEM keygen from seed
@pytest.mark.parametrize("backend", PQ_BACKENDS)
@pytest.mark.parametrize("level", MLKEM_SETS)
def test_mlkem_keygen_from_seed(
    vectors: Path, level: int, backend: str, record_property: Any
) -> None:
    data = load(vectors, f"mlkem_{level}_keygen_seed_test.json")
    kem: KEMImplementation = implementation("kem", f"ML-KEM-{level}", backend)
    if not kem.supports_seed:
        pytest.skip(f"{backend} offers no seeded ML-KEM key generation")
    tally = Tally(data["numberOfTests"])
    for _, test in cases(data):
        seed = h(test["seed"])
        try:
            public_key, secret_key = kem.keygen_from_seed(seed)
        except pqc.PQCError as exc:
            if test["result"] != "invalid":
                tally.fail(test, f"raised {exc!r}")
            tally.ran += 1
            continue
        if test["result"] == "invalid":
            tally.fail(test, "accepted an invalid seed")
        if public_key != h(test["ek"]):
            tally.fail(test, "public key differs")
        expected_secret = h(test["dk"]) if len(secret_key) == len(test["dk"]) // 2 else seed
        if secret_key != expected_secret:
            tally.fail(test, "secret key differs")
        tally.ran += 1
    tally.check(record_property)


# ---------------------------------------------------------------- ML-KEM decaps (seed keys)
@pytest.mark.parametrize("backend", PQ_BACKENDS)
@pytest.mark.parametrize("level", MLKEM_SETS)
def test_mlkem_decaps(vectors: Path, level: int, backend: str, record_property: Any) -> None:
    """Seed-keyed decapsulation; backends without seed keys get liboqs-expanded keys."""
    name = f"ML-KEM-{level}"
    data = load(vectors, f"mlkem_{level}_test.json")
    kem: KEMImplementation = implementation("kem", name, backend)
    takes_seed = 64 in kem.secret_key_sizes
    expander = None if takes_seed else seed_expander(name)
    if not takes_seed and expander is None:
        pytest.skip(f"{backend} takes only expanded keys and liboqs is not here to expand seeds")
    tally = Tally(data["numberOfTests"])
    for _, test in cases(data):
        seed, ciphertext = h(test["seed"]), h(test["c"])
        secret_key = seed
        if expander is not None and len(seed) == 64:
            secret_key = expander.keygen_from_seed(seed)[1]
        if test["result"] == "invalid":
            expected: type[Exception] = (
                pqc.InvalidKeyError if len(seed) != 64 else pqc.InvalidCiphertextError
            )
            try:
                kem.decaps(secret_key, ciphertext)
                tally.fail(test, "accepted an invalid input")
            except expected:
                pass
            except pqc.PQCError as exc:
                tally.fail(test, f"raised {exc!r}, expected {expected.__name__}")
        else:
            if (
                "ek" in test
                and kem.supports_seed
                and kem.keygen_from_seed(seed)[0] != h(test["ek"])
            ):
                tally.fail(test, "public key from seed differs")
            try:
                if kem.decaps(secret_key, ciphertext) != h(test["K"]):
                    tally.fail(test, "shared secret differs")
            except pqc.PQCError as exc:
                tally.fail(test, f"raised {exc!r}")
        tally.ran += 1
    tally.check(record_property)


# ---------------------------------------------------------------- ML-KEM decaps (expanded keys)
SEMI_EXPANDED_ERRORS: dict[str, type[Exception]] = {
    "IncorrectCiphertextLength": pqc.InvalidCiphertextError,
    "IncorrectDecapsulationKeyLength": pqc.InvalidKeyError,
    "InvalidDecapsulationKey": pqc.InvalidKeyError,
}


@pytest.mark.parametrize("backend", PQ_BACKENDS)
@pytest.mark.parametrize("level", MLKEM_SETS)
def test_mlkem_semi_expanded_decaps(
    vectors: Path, level: int, backend: str, record_property: Any
) -> None:
    data = load(vectors, f"mlkem_{level}_semi_expanded_decaps_test.json")
    kem: KEMImplementation = implementation("kem", f"ML-KEM-{level}", backend)
    if kem.algorithm.secret_key_size not in kem.secret_key_sizes:
        pytest.skip(f"{backend} takes only {kem.secret_key_sizes}-byte seed keys, not expanded")
    tally = Tally(data["numberOfTests"])
    for _, test in cases(data):
        dk, ciphertext = h(test["dk"]), h(test["c"])
        if test["result"] == "valid":
            try:
                if kem.decaps(dk, ciphertext) != h(test["K"]):
                    tally.fail(test, "shared secret differs")
            except pqc.PQCError as exc:
                tally.fail(test, f"raised {exc!r}")
        else:
            (flag,) = test["flags"]
            expected = SEMI_EXPANDED_ERRORS[flag]
            try:
                kem.decaps(dk, ciphertext)
                tally.fail(test, f"accepted ({flag})")
            except expected:
                pass
            except pqc.PQCError as exc:
                tally.fail(test, f"raised {exc!r}, expected {expected.__name__}")
        tally.ran += 1
    tally.check(record_property)


# ---------------------------------------------------------------- ML-KEM encaps (public keys)
@pytest.mark.parametrize("backend", PQ_BACKENDS)
@pytest.mark.parametrize("level", MLKEM_SETS)
def test_mlkem_encaps_public_key_checks(
    vectors: Path, level: int, backend: str, record_property: Any
) -> None:
    """Non-reduced or wrong-length keys are InvalidKeyError; valid ones encapsulate.

    The vectors' (m -> c, K) answers need derandomised encapsulation, which no
    wrapped library exposes; valid keys are checked for sizes only.
    """
    data = load(vectors, f"mlkem_{level}_encaps_test.json")
    kem: KEMImplementation = implementation("kem", f"ML-KEM-{level}", backend)
    tally = Tally(data["numberOfTests"])
    for _, test in cases(data):
        public_key = h(test["ek"])
        try:
            ciphertext, secret = kem.encaps(public_key)
        except pqc.InvalidKeyError as exc:
            if test["result"] == "valid":
                tally.fail(test, f"refused a valid key: {exc}")
        except pqc.PQCError as exc:
            tally.fail(test, f"raised {exc!r}, expected InvalidKeyError")
        else:
            if test["result"] == "invalid":
                tally.fail(test, "accepted an invalid public key")
            elif (len(ciphertext), len(secret)) != (kem.ciphertext_size, 32):
                tally.fail(test, "wrong output sizes")
        tally.ran += 1
    tally.check(record_property)


# ---------------------------------------------------------------- ML-DSA verify
@pytest.mark.parametrize("backend", PQ_BACKENDS)
@pytest.mark.parametrize("level", MLDSA_SETS)
def test_mldsa_verify(vectors: Path, level: int, backend: str, record_property: Any) -> None:
    """Valid signatures verify; invalid ones verify False or raise InvalidArgumentError."""
    data = load(vectors, f"mldsa_{level}_verify_test.json")
    sig: SignatureImplementation = implementation("signature", f"ML-DSA-{level}", backend)
    with_context = getattr(sig, "verify_with_context", None)
    tally = Tally(data["numberOfTests"])
    for group, test in cases(data):
        public_key, message, signature = h(group["publicKey"]), h(test["msg"]), h(test["sig"])
        context = h(test.get("ctx", ""))
        try:
            if not context:
                accepted = sig.verify(public_key, message, signature)
            elif with_context is not None:
                accepted = with_context(public_key, message, signature, context)
            else:
                tally.skipped[f"{backend} verify takes no context (non-empty ctx)"] += 1
                continue
        except pqc.UnsupportedOperationError as exc:  # a library that refuses a legal context
            tally.skipped[str(exc).split(" (")[0]] += 1
            continue
        except pqc.InvalidArgumentError as exc:  # malformed key or context > 255 bytes
            if test["result"] == "valid":
                tally.fail(test, f"raised {exc!r}")
            accepted = None
        except pqc.PQCError as exc:
            tally.fail(test, f"raised {exc!r}")
            accepted = None
        if test["result"] == "valid" and accepted is not True:
            tally.fail(test, "valid signature rejected")
        if test["result"] == "invalid" and accepted is True:
            tally.fail(test, f"invalid signature accepted (flags {test['flags']})")
        tally.ran += 1
    tally.check(record_property)
