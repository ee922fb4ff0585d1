"""Evidence for a behaviour of liboqs-python (0.16) that pqc guards: short input zero-padded.

:func:`findings` calls the raw binding the way its users do and returns what it
observed beside a guard that checks pqc's object refuses the same input. The
caller passes liboqs-python's module (imported by :mod:`pqc.backends.liboqs`
without its install side effects). Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pqc.backends.base import KEMImplementation
from pqc.backends.capabilities import Finding, Guard, Implementation, Observation
from pqc.errors import InvalidArgumentError, PQCError


def _attempt(call: Callable[[], object], given: int, expected: int) -> dict[str, Any]:
    try:
        value = call()
    except Exception as exc:
        return {"given": given, "accepted": False, "error": f"{type(exc).__name__}: {exc}"}
    evidence: dict[str, Any] = {"given": given, "expected": expected, "accepted": True}
    if isinstance(value, tuple):
        evidence["ciphertext_bytes"] = len(value[0])
    return evidence


def short_input(oqs: Any, native_name: str) -> dict[str, Any]:
    """A public key and a ciphertext 32 bytes short, handed to liboqs-python directly."""
    evidence: dict[str, Any] = {"algorithm": native_name}
    with oqs.KeyEncapsulation(native_name) as receiver:
        pk = bytes(receiver.generate_keypair())
        evidence["short_public_key"] = _attempt(
            lambda: receiver.encap_secret(pk[:-32]), len(pk) - 32, len(pk)
        )
        ct, _ = receiver.encap_secret(pk)
        short_ct = bytes(ct)[:-32]
        evidence["short_ciphertext"] = _attempt(
            lambda: receiver.decap_secret(short_ct), len(short_ct), len(ct)
        )
    return evidence


def findings(selected: Sequence[Implementation], oqs: Any) -> Sequence[Observation]:
    """Short keys and ciphertexts accepted by liboqs-python, on the first selected ML-KEM."""
    kems = [i for i in selected if isinstance(i, KEMImplementation)]
    kem = next((i for i in kems if i.algorithm.family == "ML-KEM"), None)
    if kem is None:
        return ()
    evidence = short_input(oqs, kem.native_name)
    observed = bool(evidence["short_public_key"]["accepted"]
                    or evidence["short_ciphertext"]["accepted"])

    def guard() -> tuple[bool, str]:
        pk, sk = kem.keygen()
        ct, _ = kem.encaps(pk)
        refused = []
        calls: list[Callable[[], object]] = [lambda: kem.encaps(pk[:-32]),
                                             lambda: kem.decaps(sk, ct[:-32])]
        for call in calls:
            try:
                call()
                refused.append(False)
            except InvalidArgumentError:
                refused.append(True)
            except PQCError:
                refused.append(False)
        ok = all(refused)
        return ok, ("pqc raises InvalidKeyError / InvalidCiphertextError for short input"
                    if ok else "pqc passed short input to liboqs")

    return [
        Finding(kem.name, "short input zero-padded and accepted",
                "liboqs-python copies a too-short public key or ciphertext into a zero-filled "
                "buffer of the right size and runs the operation on it, without an error",
                evidence, observed),
        Guard(kem.name, "short input refused", guard),
    ]
