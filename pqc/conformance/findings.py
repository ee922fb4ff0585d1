"""Library behaviour findings: what a library does when called directly, and whether pqc guards it.

Each finding is a :class:`CheckResult` with status FINDING and the evidence
observed on this machine (never hard-coded); next to it, a PASS/FAIL check
that pqc's guard works through pqc's own interface. Findings never fail a
run; a broken guard does. The gmssl evidence comes from
:mod:`pqc.backends.gmssl_findings`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from pqc.conformance.model import CheckResult, Status
from pqc.conformance.vectors import gm_kat, unhex
from pqc.errors import DecryptionError, InvalidArgumentError, PQCError
from pqc.sm import curve

FAMILY = "findings"


def _finding(backend: str, algorithm: str, name: str, detail: str, evidence: dict[str, Any],
             observed: bool) -> CheckResult:
    """A FINDING when the behaviour was observed, else a PASS saying it was not reproduced."""
    status = Status.FINDING if observed else Status.PASS
    if not observed:
        detail = f"not reproduced with the installed version: {detail}"
    return CheckResult(FAMILY, backend, algorithm, name, status, detail, evidence)


def _guard(backend: str, algorithm: str, name: str, run: Callable[[], tuple[bool, str]]
           ) -> CheckResult:
    try:
        ok, detail = run()
    except Exception as exc:
        ok, detail = False, f"raised {type(exc).__name__}: {exc}"
    return CheckResult(FAMILY, backend, algorithm, f"pqc guard: {name}",
                       Status.PASS if ok else Status.FAIL, detail, {"guarded": ok})


# ---------------------------------------------------------------- gmssl (pure Python)
def gmssl_findings(kem: Any, signature: Any) -> list[CheckResult]:
    """gmssl 3.2.2: unchecked C3, Mersenne-Twister nonces, lstrip('04'), 0*G = G; with guards.

    ``kem`` / ``signature`` are pqc's SM2-ENC / SM2 implementations on the
    gmssl backend (the objects whose guards are checked).
    """
    from pqc.backends import gmssl_findings as evidence_of

    results: list[CheckResult] = []
    c3 = evidence_of.unchecked_c3()
    results.append(_finding(
        "gmssl", "SM2-ENC", "decrypt ignores the C3 check value",
        "CryptSM2.decrypt returned altered plaintext for a ciphertext with one bit of C2 "
        "flipped, without an error", c3,
        bool(c3["library_returned_altered_plaintext"]) and not c3["library_raised"]))

    def tamper_guard() -> tuple[bool, str]:
        pk, sk = kem.keygen()
        ct, _ = kem.encaps(pk)
        tampered = ct[:-1] + bytes([ct[-1] ^ 1])
        try:
            kem.decaps(sk, tampered)
        except DecryptionError:
            return True, "pqc decaps raised DecryptionError for the tampered ciphertext"
        return False, "pqc decaps accepted a tampered ciphertext"
    results.append(_guard("gmssl", "SM2-ENC", "tampered ciphertext raises", tamper_guard))

    nonces = evidence_of.predictable_nonces()
    results.append(_finding(
        "gmssl", "SM2", "nonces from the random module (not a CSPRNG)",
        f"signing nonces and encryption k come from {nonces['nonce_source']}: seeding random "
        "reproduces them, and two signatures reveal the secret key", nonces,
        bool(nonces["predicted_nonce_matches_signature"])))

    def nonce_guard() -> tuple[bool, str]:
        pk, sk = signature.keygen()
        state = random.getstate()
        try:
            outputs = []
            for _ in range(2):
                random.seed(2024)
                outputs.append(signature.sign(sk, b"same message"))
            random.seed(2024)
            first = kem.encaps(pk)[0]
            random.seed(2024)
            second = kem.encaps(pk)[0]
        finally:
            random.setstate(state)
        ok = outputs[0] != outputs[1] and first != second
        return ok, ("with random reseeded identically, pqc's signatures and ciphertexts differ "
                    "(nonces drawn with secrets)" if ok else
                    "pqc's output repeats when random is reseeded: nonces are not from secrets")
    results.append(_guard("gmssl", "SM2", "nonces independent of random", nonce_guard))

    stripped = evidence_of.lstrip_corruption()
    corrupted = any(isinstance(v, dict) and v.get("corrupted") for v in stripped.values())
    results.append(_finding(
        "gmssl", "SM2", "lstrip('04') corrupts public keys",
        "CryptSM2(public_key=...) strips every leading '0'/'4' hex digit after an 04 prefix "
        "(and from keys whose first byte is 0x04), so valid signatures fail to verify",
        stripped, corrupted))

    def lstrip_guard() -> tuple[bool, str]:
        example = gm_kat()["sm2_sign"][0]  # its public key's hex starts with '09'
        pk = unhex(example["public_key"])
        sig = unhex(example["r"]) + unhex(example["s"])
        ok = signature.verify(pk, example["msg_ascii"].encode(), sig)
        cases = [v for v in stripped.values() if isinstance(v, dict)]
        ok = ok and all(v["valid_signature_verifies_in_pqc_guarded_object"] for v in cases)
        return ok, ("pqc verifies signatures under keys that gmssl's lstrip would corrupt"
                    if ok else "pqc failed to verify under an 04-/0-leading key")
    results.append(_guard("gmssl", "SM2", "keys starting with 04 or 0", lstrip_guard))

    zero = evidence_of.zero_scalar()
    results.append(_finding(
        "gmssl", "SM2", "0 * G returns G",
        "the library's scalar multiplication returns the generator for k = 0 instead of the "
        "point at infinity (why r, s must be range-checked before use)", zero,
        bool(zero["equals_generator"])))

    def range_guard() -> tuple[bool, str]:
        pk, sk = signature.keygen()
        msg = b"range check"
        sig = signature.sign(sk, msg)
        n = curve.N.to_bytes(curve.SCALAR_SIZE, "big")
        bad = [bytes(64), sig[:32] + bytes(32), bytes(32) + sig[32:], sig[:32] + n, n + sig[32:]]
        accepted = [i for i, b in enumerate(bad) if signature.verify(pk, msg, b)]
        return not accepted, ("pqc rejects r or s equal to 0 or n" if not accepted else
                              f"pqc accepted out-of-range r/s cases {accepted}")
    results.append(_guard("gmssl", "SM2", "r, s range-checked", range_guard))
    return results


# ---------------------------------------------------------------- liboqs-python
def liboqs_findings(kem: Any) -> list[CheckResult]:
    """liboqs-python zero-pads short keys and ciphertexts and accepts them; pqc refuses them."""
    from pqc.backends import liboqs as backend

    oqs = backend._oqs()
    native = kem.native_name
    evidence: dict[str, Any] = {"algorithm": native}
    with oqs.KeyEncapsulation(native) as receiver:
        pk = bytes(receiver.generate_keypair())
        short_pk = pk[:-32]
        try:
            ct, _ = receiver.encap_secret(short_pk)
            evidence["short_public_key"] = {"given": len(short_pk), "expected": len(pk),
                                            "accepted": True, "ciphertext_bytes": len(ct)}
        except Exception as exc:
            evidence["short_public_key"] = {"given": len(short_pk), "accepted": False,
                                            "error": f"{type(exc).__name__}: {exc}"}
        ct, _ = receiver.encap_secret(pk)
        short_ct = bytes(ct)[:-32]
        try:
            receiver.decap_secret(short_ct)
            evidence["short_ciphertext"] = {"given": len(short_ct), "expected": len(ct),
                                            "accepted": True}
        except Exception as exc:
            evidence["short_ciphertext"] = {"given": len(short_ct), "accepted": False,
                                            "error": f"{type(exc).__name__}: {exc}"}
    observed = bool(evidence["short_public_key"]["accepted"]
                    or evidence["short_ciphertext"]["accepted"])
    results = [_finding(
        "liboqs", kem.name, "short input zero-padded and accepted",
        "liboqs-python copies a too-short public key or ciphertext into a zero-filled buffer "
        "of the right size and runs the operation on it, without an error", evidence, observed)]

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
    results.append(_guard("liboqs", kem.name, "short input refused", guard))
    return results
