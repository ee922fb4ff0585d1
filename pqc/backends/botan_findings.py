"""Evidence for two behaviours of Botan 2.19 / its Python binding that pqc guards.

- ``botan2.PKSign.update`` asserts that the message is a ``str`` and encodes it, so
  arbitrary bytes cannot be signed through the binding's own API;
- Botan's X25519 (``PKKeyAgreement(..., "Raw")``) returns the all-zero secret for a
  low-order peer point instead of refusing it (RFC 7748 section 6.1 allows a check);
- Botan's Ed25519 verification accepts a signature whose s was replaced by s + L
  (RFC 8032 section 5.1.7 requires s < L): signatures are malleable.

:func:`findings` calls the binding directly, as its users would, and pairs each
observation with a guard checked through pqc's own objects. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.backends.capabilities import Finding, Guard, Implementation, Observation
from pqc.errors import InvalidCiphertextError, PQCError


def binary_message_refused(botan2: Any) -> dict[str, Any]:
    """Hand ``PKSign.update`` a bytes message, as the binding's users would."""
    rng = botan2.RandomNumberGenerator("system")
    key = botan2.PrivateKey.create("SM2", "sm2p256v1", rng)
    signer = botan2.PKSign(key, "1234567812345678,SM3")
    try:
        signer.update(b"\x00\xffbinary")
    except Exception as exc:
        return {"refused": True, "error": f"{type(exc).__name__}: {exc}"}
    return {"refused": False}


def low_order_point_accepted(botan2: Any) -> dict[str, Any]:
    """X25519 with the all-zero (order 1) peer point, through the binding directly."""
    rng = botan2.RandomNumberGenerator("system")
    key = botan2.PrivateKey.create("Curve25519", "", rng)
    agreement = botan2.PKKeyAgreement(key, "Raw")
    try:
        shared = bytes(agreement.agree(bytes(32), 32, b""))
    except Exception as exc:
        return {"accepted": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"accepted": True, "shared_secret_all_zero": shared == bytes(32)}


ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493


def _malleated(signature: bytes) -> bytes:
    s = int.from_bytes(signature[32:], "little") + ED25519_ORDER
    return signature[:32] + s.to_bytes(32, "little")


def malleable_signature_accepted(botan2: Any) -> dict[str, Any]:
    """An Ed25519 signature with s + L, verified through the binding directly."""
    rng = botan2.RandomNumberGenerator("system")
    key = botan2.PrivateKey.create("Ed25519", "", rng)
    signer = botan2.PKSign(key, "Pure")
    signer.update("pqc")  # the binding's update takes str (see binary_message_refused)
    signature = bytes(signer.finish(rng))
    public = key.get_public_key()  # referenced while the verifier uses it
    verifier = botan2.PKVerify(public, "Pure")
    verifier.update(b"pqc")
    accepted = bool(verifier.check_signature(_malleated(signature)))
    return {"accepted_s_plus_l": accepted, "s_plus_l_below_2_253": True}


def _binary_messages_sign(signer: Any) -> tuple[bool, str]:
    pk, sk = signer.keygen()
    message = b"\x00\xff\x80 binary"
    ok = signer.verify(pk, message, signer.sign(sk, message))
    return ok, ("pqc signs binary messages (it calls botan_pk_op_sign_update itself)"
                if ok else "a binary message did not sign and verify through pqc")  # fmt: skip


def _low_order_point_refused(kem: Any) -> tuple[bool, str]:
    _, sk = kem.keygen()
    try:
        kem.decaps(sk, bytes(32))
    except InvalidCiphertextError:
        return True, "pqc raises InvalidCiphertextError for a low-order point"
    except PQCError as exc:
        return False, f"raised {type(exc).__name__} instead of InvalidCiphertextError"
    return False, "pqc returned a secret for a low-order point"


def _malleated_signature_refused(edwards: Any) -> tuple[bool, str]:
    pk, sk = edwards.keygen()
    signature = edwards.sign(sk, b"pqc")
    ok = edwards.verify(pk, b"pqc", signature) and not edwards.verify(
        pk, b"pqc", _malleated(signature))
    return ok, ("pqc verify returns False for s + L" if ok
                else "pqc accepted a malleated signature")  # fmt: skip


@dataclass(frozen=True)
class _Check:
    """One finding about the binding and the guard that pqc holds against it.

    ``probe(botan2)`` gathers the evidence; ``evidence[observed]`` says whether the
    installed version shows the behaviour; ``guard(implementation)`` checks pqc's side.
    """

    algorithm: str
    kind: type[KEMImplementation] | type[SignatureImplementation]
    finding: str
    detail: str
    probe: Callable[[Any], dict[str, Any]]
    observed: str
    guard_name: str
    guard: Callable[[Any], tuple[bool, str]]


CHECKS = (
    _Check("SM2", SignatureImplementation, "PKSign.update takes only str",
           "botan2.PKSign.update asserts isinstance(message, str): bytes cannot be "
           "signed through the binding's API", binary_message_refused, "refused",
           "binary messages sign", _binary_messages_sign),
    _Check("X25519", KEMImplementation, "low-order point gives an all-zero secret",
           "Botan's X25519 key agreement returns 32 zero bytes for the all-zero peer "
           "point instead of refusing it", low_order_point_accepted, "shared_secret_all_zero",
           "low-order point refused", _low_order_point_refused),
    _Check("Ed25519", SignatureImplementation, "s >= L accepted (malleable signatures)",
           "Botan's Ed25519 verification accepts a signature whose s was replaced "
           "by s + L; RFC 8032 section 5.1.7 requires rejecting s >= L",
           malleable_signature_accepted, "accepted_s_plus_l",
           "s >= L refused", _malleated_signature_refused),
)  # fmt: skip


def findings(selected: Sequence[Implementation], botan2: Any) -> Sequence[Observation]:
    """The findings whose algorithms are selected (SM2 signing, X25519, Ed25519)."""
    out: list[Observation] = []
    for check in CHECKS:
        chosen = next((i for i in selected if isinstance(i, check.kind)
                       and i.name == check.algorithm), None)  # fmt: skip
        if chosen is None:
            continue
        evidence = check.probe(botan2)
        out += [Finding(check.algorithm, check.finding, check.detail, evidence,
                        bool(evidence.get(check.observed))),
                Guard(check.algorithm, check.guard_name, partial(check.guard, chosen))]  # fmt: skip
    return out
