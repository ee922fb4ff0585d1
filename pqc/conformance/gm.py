"""The GM standards' worked examples (SM3, SM4, SM2 with the published k) against each SM library.

SM3 and SM4 are not in pqc's public-key interface, but they are the building
blocks of SM2/SM9 in each library, so the examples are run against the
library the backend wraps. SM2 signing and encryption with the standard's k
use the gmssl backend's nonce-taking helpers; gmssl-native's API takes no k,
so it is checked by decrypting the standard's ciphertext. Values come from
``pqc/data/gm_kat.json`` (package data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def gmssl_checks() -> list[CheckResult]:
    """The pure-Python gmssl package: SM3, SM4, SM2 sign/encrypt with the standard's k."""
    from gmssl import sm4

    from pqc.backends import gmssl as backend

    def block(key: bytes, data: bytes) -> bytes:
        crypt = sm4.CryptSM4()
        crypt.set_key(key, sm4.SM4_ENCRYPT)
        return bytes(crypt.crypt_ecb(data))[:16]  # the library appends a PKCS#7 block

    sign = gm_kat()["sm2_sign"][0]
    enc = gm_kat()["sm2_encrypt"][0]

    def signature() -> Outcome:
        got = backend.sign_with_nonce_for_kat(unhex(sign["private_key"]),
                                              sign["msg_ascii"].encode(), int(sign["k"], 16))
        want = unhex(sign["r"]) + unhex(sign["s"])
        return got == want, "(r, s) with the standard's k", {"signature": got.hex()}

    def encryption() -> Outcome:
        raw, plaintext = _sm2_ciphertext()
        got = backend.encrypt_with_nonce_for_kat(unhex(enc["public_key"]), plaintext,
                                                 int(enc["k"], 16))
        back = backend.decrypt_checked(unhex(enc["private_key"]), raw)
        ok = got == raw and back == plaintext
        return ok, "C1C3C2 with the standard's k; the standard's ciphertext decrypts", \
            {"ciphertext": got.hex()}

    return [
        sm3_examples("gmssl", backend.sm3),
        sm4_example("gmssl", block),
        _result("gmssl", "SM2", "GM/T 0003.5 SM2 signature with the standard's k", signature),
        _result("gmssl", "SM2-ENC", "GM/T 0003.5 SM2 encryption with the standard's k",
                encryption),
    ]


def gmssl_native_checks() -> list[CheckResult]:
    """GmSSL via gmssl-pyx: SM3, SM4, and decryption of the standard's SM2 ciphertext."""
    import gmssl_pyx

    from pqc.backends import gmssl_native as backend
    from pqc.sm.der import ciphertext_to_der

    def block(key: bytes, data: bytes) -> bytes:  # CTR keystream with IV = block = E(K, block)
        return bytes(gmssl_pyx.sm4_ctr_encrypt(key, data, bytes(16)))

    enc = gm_kat()["sm2_encrypt"][0]

    def decryption() -> Outcome:
        raw, plaintext = _sm2_ciphertext()
        with backend.quiet_stderr():
            got = bytes(gmssl_pyx.sm2_decrypt(unhex(enc["private_key"]), ciphertext_to_der(raw)))
        return got == plaintext, "the standard's ciphertext decrypts", {"plaintext": got.hex()}

    def sm9_extraction() -> Outcome:
        from pqc.sm.sm9 import master_encryption_key_der, user_encryption_key_coordinates

        example = gm_kat()["sm9_encrypt_key_extraction"][0]
        master = gmssl_pyx.SM9MasterKey.from_der(
            master_encryption_key_der(int(example["master_private_key_ke"], 16))
        )
        identity = example["id_ascii"].encode()
        got = list(user_encryption_key_coordinates(master.extract_key(identity).to_der()))
        expected = [unhex(c) for c in example["user_private_key_deB"]]
        swapped = [expected[1], expected[0], expected[3], expected[2]]  # Fp2 halves' order
        return (
            got in (expected, swapped),
            "deB extracted for 'Bob' under the standard's ke matches GM/T 0044",
            {"deB": [c.hex() for c in got]},
        )

    return [
        sm3_examples("gmssl-native", backend.sm3),
        sm4_example("gmssl-native", block),
        _result("gmssl-native", "SM2-ENC", "GM/T 0003.5 SM2 example ciphertext decrypts",
                decryption),
        _result("gmssl-native", "SM9-ENC", "GM/T 0044 SM9 key extraction example",
                sm9_extraction),
    ]


def openssl_checks() -> list[CheckResult]:
    """OpenSSL via pyca/cryptography: SM3 and SM4 (it has no SM2)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    def sm3(data: bytes) -> bytes:
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize()

    def block(key: bytes, data: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
        return encryptor.update(data) + encryptor.finalize()

    return [sm3_examples("openssl", sm3), sm4_example("openssl", block)]


GM_CHECKS: dict[str, Callable[[], list[CheckResult]]] = {
    "gmssl": gmssl_checks,
    "gmssl-native": gmssl_native_checks,
    "openssl": openssl_checks,
}


def run_gm(backend: str) -> list[CheckResult]:
    """The GM examples for ``backend`` (empty when it wraps no SM library)."""
    check = GM_CHECKS.get(backend)
    return check() if check else []
