"""Evidence for behaviours of gmssl-pyx 2.1.0 (GmSSL 3.2.0) that pqc works around.

Each function calls the raw binding and returns what it observed as plain data;
nothing prints. Keys are fresh throwaway keys.

- :func:`stderr_debug_lines` -- failed verification/decryption write GmSSL
  debug lines (source paths and line numbers) to file descriptor 2;
- :func:`sign_paths` -- ``sm2_sign`` is several times slower than computing
  Z_A and e in the caller and using ``sm2_sign_sm3_digest``, for signatures
  that verify the same way;
- :func:`sm9_master_key_unchecked` -- ``SM9MasterKey.from_der`` accepts a
  master public point that does not belong to the master secret, and the
  resulting key pair cannot decrypt what its public key encrypts.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from pqc.backends import gmssl_native as backend
from pqc.sm.der import ciphertext_from_der, signature_from_der, signature_to_der
from pqc.sm.digest import message_digest, z_a

Evidence = dict[str, object]


def _lib() -> Any:
    import gmssl_pyx

    return gmssl_pyx


def _capture_fd2(action: Callable[[], object]) -> tuple[str, str]:
    """Run ``action`` with fd 2 sent to a temporary file: (outcome, text written to fd 2)."""
    with tempfile.TemporaryFile() as sink:
        with backend.redirect_stderr(sink.fileno()):
            try:
                outcome = repr(action())
            except Exception as exc:
                outcome = f"{type(exc).__name__}: {exc}"
        sink.seek(0)
        return outcome, sink.read().decode("utf-8", "replace")


def stderr_debug_lines() -> Evidence:
    """What GmSSL writes to fd 2 for a failed verify and a failed decrypt, unguarded and guarded."""
    import pqc

    lib = _lib()
    public, secret = lib.sm2_key_generate()
    digest = lib.sm3_hash(b"message")
    signature = bytearray(lib.sm2_sign_sm3_digest(secret, digest))
    signature[-1] ^= 0x01
    ciphertext = bytearray(lib.sm2_encrypt(public, b"k" * 32))
    ciphertext[-1] ^= 0x01
    verify_outcome, verify_text = _capture_fd2(
        lambda: lib.sm2_verify_sm3_digest(public, digest, bytes(signature))
    )
    decrypt_outcome, decrypt_text = _capture_fd2(lambda: lib.sm2_decrypt(secret, bytes(ciphertext)))
    kem = pqc.kem("SM2-ENC", backend.NAME)
    raw = ciphertext_from_der(bytes(ciphertext))

    def guarded() -> object:
        return kem.decaps(bytes(secret), raw)

    guarded_outcome, guarded_text = _capture_fd2(guarded)
    return {
        "failed_verify_returned": verify_outcome,
        "failed_verify_fd2_lines": verify_text.splitlines(),
        "failed_decrypt_raised": decrypt_outcome,
        "failed_decrypt_fd2_lines": decrypt_text.splitlines(),
        "pqc_decaps_raised": guarded_outcome,
        "pqc_decaps_fd2_lines": guarded_text.splitlines(),
    }


def _median_us(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        action()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def sign_paths(runs: int = 20) -> Evidence:
    """Median µs of ``sm2_sign`` (GmSSL computes Z, precomputes nonces) vs the digest path."""
    lib = _lib()
    public, secret = lib.sm2_key_generate()
    message = b"m" * 32
    z = z_a(bytes(public), backend.sm3)

    def digest_path() -> bytes:
        return bytes(lib.sm2_sign_sm3_digest(secret, message_digest(z, message, backend.sm3)))

    full = _median_us(lambda: lib.sm2_sign(secret, public, message), runs)
    fast = _median_us(digest_path, runs)
    digest_signature = signature_from_der(digest_path())
    full_signature = signature_from_der(lib.sm2_sign(secret, public, message))
    return {
        "runs": runs,
        "sm2_sign_median_us": round(full, 1),
        "digest_path_median_us": round(fast, 1),
        "ratio": round(full / fast, 2) if fast else None,
        "digest_path_signature_verifies_with_sm2_verify": bool(
            lib.sm2_verify(public, message, signature_to_der(digest_signature))
        ),
        "sm2_sign_signature_verifies_with_digest_path": bool(
            lib.sm2_verify_sm3_digest(
                public, message_digest(z, message, backend.sm3), signature_to_der(full_signature)
            )
        ),
    }


def sm9_master_key_unchecked() -> Evidence:
    """Splice one master key's secret with another's public point; GmSSL loads it silently."""
    lib = _lib()
    first = bytes(lib.SM9MasterKey.generate().to_der())
    second = bytes(lib.SM9MasterKey.generate().to_der())
    point_at = second.index(b"\x03\x42\x00\x04")
    integer_end = first.index(b"\x03\x42\x00\x04")
    body = first[2:integer_end] + second[point_at:]
    spliced = b"\x30" + bytes([len(body)]) + body
    identity = b"alice@example.com"
    outcome: Evidence = {"spliced_master_key_accepted": False}
    try:
        master = lib.SM9MasterKey.from_der(spliced)
    except lib.GmsslInnerError as exc:
        outcome["error"] = str(exc)
        return outcome
    outcome["spliced_master_key_accepted"] = True
    ciphertext = master.public_key().encrypt(identity, b"secret")
    user_key = master.extract_key(identity)
    with backend.quiet_stderr():
        try:
            user_key.decrypt(identity, ciphertext)
            outcome["own_user_key_decrypts"] = True
        except lib.GmsslInnerError:
            outcome["own_user_key_decrypts"] = False
    return outcome
