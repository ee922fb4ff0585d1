"""The GM standards' worked examples (SM3, SM4, SM2 with the published k) against each SM library.

SM3 and SM4 are not in pqc's public-key interface, but they are the building
blocks of SM2/SM9 in each library, so the examples are run against the
library the backend wraps, through the primitives the backend declares
(``Capabilities.gm_primitives``). SM2 signing and encryption with the
standard's k run where the library takes a caller's k; where it does not, the
standard's ciphertext is decrypted instead. Values come from
``pqc/data/gm_kat.json`` (package data).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from pqc.backends import backend_capabilities
from pqc.backends.capabilities import GMPrimitives
from pqc.conformance.model import CheckResult, Status
from pqc.conformance.vectors import gm_kat, unhex

FAMILY = "kat"

Outcome = tuple[bool, str, dict[str, Any]]


def _result(backend: str, algorithm: str, name: str, run: Callable[[], Outcome]) -> CheckResult:
    try:
        ok, detail, evidence = run()
    except Exception as exc:  # the library call itself failed: the example did not reproduce
        return CheckResult(FAMILY, backend, algorithm, name, Status.FAIL,
                           f"raised {type(exc).__name__}: {exc}", {})
    return CheckResult(FAMILY, backend, algorithm, name, Status.PASS if ok else Status.FAIL,
                       detail, evidence)


def sm3_examples(backend: str, sm3: Callable[[bytes], bytes]) -> CheckResult:
    """GB/T 32905 Annex A: SM3("abc") and SM3("abcd" x 16)."""
    def run() -> Outcome:
        got = [sm3(e["msg_ascii"].encode()).hex() for e in gm_kat()["sm3"]]
        want = [e["digest"].lower() for e in gm_kat()["sm3"]]
        return got == want, f"{sum(g == w for g, w in zip(got, want, strict=True))}/" \
                            f"{len(want)} digests match", {"digests": got}
    return _result(backend, "SM3", "GB/T 32905 SM3 examples", run)


def sm4_example(backend: str, encrypt_block: Callable[[bytes, bytes], bytes]) -> CheckResult:
    """GB/T 32907 Annex A: one block (the 1,000,000-iteration example is not run: too slow)."""
    example = gm_kat()["sm4"][0]

    def run() -> Outcome:
        got = encrypt_block(unhex(example["key"]), unhex(example["plaintext"]))
        return got == unhex(example["ciphertext"]), "one-block example", {"ciphertext": got.hex()}
    return _result(backend, "SM4", "GB/T 32907 SM4 example", run)


def _sm2_ciphertext() -> tuple[bytes, bytes]:
    e = gm_kat()["sm2_encrypt"][0]
    raw = unhex(e["c1_x"]) + unhex(e["c1_y"]) + unhex(e["c3"]) + unhex(e["c2"])
    return raw, e["plaintext_ascii"].encode()


def _sm2_signature(sign: Callable[[bytes, bytes, int], bytes]) -> Outcome:
    example = gm_kat()["sm2_sign"][0]
    got = sign(unhex(example["private_key"]), example["msg_ascii"].encode(), int(example["k"], 16))
    want = unhex(example["r"]) + unhex(example["s"])
    return got == want, "(r, s) with the standard's k", {"signature": got.hex()}


def _sm2_encryption(encrypt: Callable[[bytes, bytes, int], bytes],
                    decrypt: Callable[[bytes, bytes], bytes]) -> Outcome:
    example = gm_kat()["sm2_encrypt"][0]
    raw, plaintext = _sm2_ciphertext()
    got = encrypt(unhex(example["public_key"]), plaintext, int(example["k"], 16))
    back = decrypt(unhex(example["private_key"]), raw)
    ok = got == raw and back == plaintext
    return ok, "C1C3C2 with the standard's k; the standard's ciphertext decrypts", \
        {"ciphertext": got.hex()}


def _sm2_decryption(decrypt: Callable[[bytes, bytes], bytes]) -> Outcome:
    example = gm_kat()["sm2_encrypt"][0]
    raw, plaintext = _sm2_ciphertext()
    got = decrypt(unhex(example["private_key"]), raw)
    return got == plaintext, "the standard's ciphertext decrypts", {"plaintext": got.hex()}


def _sm9_extraction(extract: Callable[[int, bytes], Sequence[bytes]]) -> Outcome:
    example = gm_kat()["sm9_encrypt_key_extraction"][0]
    got = list(extract(int(example["master_private_key_ke"], 16), example["id_ascii"].encode()))
    expected = [unhex(c) for c in example["user_private_key_deB"]]
    swapped = [expected[1], expected[0], expected[3], expected[2]]  # Fp2 halves' order
    return (
        got in (expected, swapped),
        "deB extracted for 'Bob' under the standard's ke matches GM/T 0044",
        {"deB": [c.hex() for c in got]},
    )


def gm_checks(backend: str, primitives: GMPrimitives) -> list[CheckResult]:
    """The examples ``primitives`` can run, in order: SM3, SM4, SM2 sign, SM2 encrypt, SM9."""
    p = primitives
    results = []
    if p.sm3 is not None:
        results.append(sm3_examples(backend, p.sm3))
    if p.sm4_encrypt_block is not None:
        results.append(sm4_example(backend, p.sm4_encrypt_block))
    if p.sm2_sign_with_nonce is not None:
        results.append(_result(backend, "SM2", "GM/T 0003.5 SM2 signature with the standard's k",
                               functools.partial(_sm2_signature, p.sm2_sign_with_nonce)))
    if p.sm2_encrypt_with_nonce is not None and p.sm2_decrypt is not None:
        results.append(_result(backend, "SM2-ENC",
                               "GM/T 0003.5 SM2 encryption with the standard's k",
                               functools.partial(_sm2_encryption, p.sm2_encrypt_with_nonce,
                                                 p.sm2_decrypt)))
    elif p.sm2_decrypt is not None:
        results.append(_result(backend, "SM2-ENC", "GM/T 0003.5 SM2 example ciphertext decrypts",
                               functools.partial(_sm2_decryption, p.sm2_decrypt)))
    if p.sm9_encryption_key is not None:
        results.append(_result(backend, "SM9-ENC", "GM/T 0044 SM9 key extraction example",
                               functools.partial(_sm9_extraction, p.sm9_encryption_key)))
    return results


def has_examples(backend: str) -> bool:
    """True when ``backend`` declares GM primitives (it wraps an SM library)."""
    return backend_capabilities(backend).gm_primitives is not None


def run_gm(backend: str) -> list[CheckResult]:
    """The GM examples for ``backend`` (empty when it wraps no SM library)."""
    primitives = backend_capabilities(backend).gm_primitives
    return gm_checks(backend, primitives) if primitives is not None else []
