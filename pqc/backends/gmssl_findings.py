"""Evidence for the defects of the pure-Python ``gmssl`` package (3.2.2) that pqc guards.

Each evidence function calls the raw library, the way a user of
``gmssl.sm2.CryptSM2`` would, and returns what it observed as plain data (hex
strings, booleans, integers); :func:`findings` turns them into the backend's
findings, each beside a guard that checks pqc's object does not share the
defect, for ``pqc verify`` to show. Nothing here prints. Keys are fresh
throwaway keys; no secret of the caller is involved.

- :func:`unchecked_c3` -- ``decrypt`` returns altered plaintext for a tampered
  ciphertext instead of failing (it computes C3 and never compares it);
- :func:`predictable_nonces` -- signing nonces and encryption k come from the
  ``random`` module (Mersenne Twister): seeding it reproduces them, which
  recovers the secret key from two signatures and decrypts without the key;
- :func:`lstrip_corruption` -- ``public_key.lstrip("04")`` mangles keys whose
  hex starts with 0 or 4 after an 04 prefix, and even un-prefixed keys whose
  first byte is 0x04;
- :func:`zero_scalar` -- scalar multiplication by 0 returns the input point
  instead of the point at infinity (why the r, s range check matters).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pqc.backends import gmssl_primitives as backend
from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.backends.capabilities import Finding, Guard, Implementation, NotRun, Observation
from pqc.conformance.vectors import gm_kat, unhex
from pqc.errors import DecryptionError
from pqc.sm import curve, keys
from pqc.sm.digest import message_digest, z_a

Evidence = dict[str, object]
_HEX_DIGITS = "0123456789abcdef"


def _library_object(public_hex: str, secret_key: bytes | None = None) -> Any:
    """A CryptSM2 built as users build it: keys through the constructor, C1C3C2 mode."""
    from gmssl import sm2

    private_hex = secret_key.hex() if secret_key is not None else ""
    return sm2.CryptSM2(private_key=private_hex, public_key=public_hex, mode=1)


def _fresh_pair() -> tuple[bytes, bytes]:
    """A key pair the library's constructor leaves intact.

    ``CryptSM2(public_key=...)`` strips leading '0'/'4' hex digits (see
    :func:`lstrip_corruption`), so a key whose hex starts with one of them would
    make every other piece of evidence fail for that unrelated reason.
    """
    while True:
        d = keys.random_secret_scalar()
        public = backend.multiply(d)
        if public.hex()[0] not in "04":
            return public, d.to_bytes(32, "big")


@contextmanager
def _seeded_random(seed: int) -> Iterator[None]:
    """Seed the global ``random`` for the duration, then restore its previous state."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def unchecked_c3(plaintext: bytes = b"transfer 100 CNY to account 42") -> Evidence:
    """Flip one bit of C2 and decrypt with the library: altered plaintext, no error.

    Returns the plaintext, the one the library returned, whether it raised, and
    whether pqc's checked decryption rejected the same ciphertext.
    """
    public, secret = _fresh_pair()
    obj = _library_object(public.hex(), secret)
    ciphertext = obj.encrypt(plaintext)
    tampered = bytearray(ciphertext)
    tampered[-1] ^= 0x01  # last byte of C2 in C1C3C2 order
    library_raised = False
    try:
        returned = obj.decrypt(bytes(tampered))
    except Exception:
        library_raised = True
        returned = None
    try:
        backend.sm2_decrypt(secret, bytes(tampered))
        pqc_rejected = False
    except DecryptionError:
        pqc_rejected = True
    return {
        "plaintext": plaintext.hex(),
        "tampered_byte_offset": len(ciphertext) - 1,
        "library_raised": library_raised,
        "library_returned": returned.hex() if isinstance(returned, bytes) else None,
        "library_returned_altered_plaintext": isinstance(returned, bytes)
        and returned != plaintext,
        "pqc_rejected": pqc_rejected,
    }


def _replay_random_hex(seed: int, draws: int) -> list[int]:
    """The values ``gmssl.func.random_hex(64)`` returns after ``random.seed(seed)``."""
    replay = random.Random(seed)
    return [
        int("".join(replay.choice(_HEX_DIGITS) for _ in range(64)), 16) for _ in range(draws)
    ]


def predictable_nonces(seed: int = 2024) -> Evidence:
    """Seed ``random``, sign two messages and encrypt once with the library's defaults.

    Shows: the nonce source is ``random.choice``; replaying the seed predicts
    the nonces (r = e + x(kG) mod n holds for the predicted k); two signatures
    made from the same seed reveal the secret key; the predicted encryption k
    decrypts without the key. The global ``random`` state is restored.
    """
    from gmssl import func

    choice = func.random_hex.__globals__["choice"]
    source = f"{type(getattr(choice, '__self__', None)).__module__}.{choice.__qualname__}"
    public, secret = _fresh_pair()
    obj = _library_object(public.hex(), secret)
    obj.public_key = public.hex()  # no lstrip surprises in this experiment
    messages = (b"first message", b"second message")
    signatures = []
    for message in messages:
        with _seeded_random(seed):
            signatures.append(bytes.fromhex(obj.sign_with_sm3(message)))
    (predicted_k,) = _replay_random_hex(seed, 1)
    z = z_a(public, backend.sm3)
    e1 = int.from_bytes(message_digest(z, messages[0], backend.sm3), "big")
    point = curve.scalar_multiply(predicted_k)
    assert point is not None
    nonce_predicted = int.from_bytes(signatures[0][:32], "big") == (e1 + point[0]) % curve.N
    (r1, s1), (r2, s2) = (
        (int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")) for sig in signatures
    )
    # s_i (1 + d) = k - r_i d  =>  d = (s1 - s2) / (r2 - r1 - s1 + s2)  (mod n)
    denominator = (r2 - r1 - s1 + s2) % curve.N
    recovered = (s1 - s2) * pow(denominator, -1, curve.N) % curve.N if denominator else None
    secret_message = b"the library chose k with random.choice"
    with _seeded_random(seed + 1):
        ciphertext = obj.encrypt(secret_message)
    (encryption_k,) = _replay_random_hex(seed + 1, 1)
    shared = backend.multiply(encryption_k, public)
    mask = backend.sm3_kdf(shared, len(ciphertext) - 96)
    decrypted = bytes(a ^ b for a, b in zip(ciphertext[96:], mask, strict=True))
    return {
        "nonce_source": source,
        "seed": seed,
        "predicted_nonce_matches_signature": nonce_predicted,
        "secret_key_recovered_from_two_signatures": recovered == int.from_bytes(secret, "big"),
        "encryption_c1_predicted": backend.multiply(encryption_k) == ciphertext[:64],
        "decrypted_without_secret_key": decrypted == secret_message,
    }


def _find_public_key(predicate: Callable[[bytes], bool], limit: int) -> tuple[bytes, bytes] | None:
    """A key pair whose public key satisfies ``predicate``, walking d, d+1, ... (pure Python)."""
    start = keys.random_secret_scalar()
    point = curve.scalar_multiply(start)
    for d in range(start, min(start + limit, curve.N - 1)):  # d stays in [1, n-2]
        assert point is not None
        encoded = curve.encode_xy(point)
        if predicate(encoded):
            return encoded, d.to_bytes(32, "big")
        point = curve.point_add(point, curve.GENERATOR)
    return None


def _corruption_case(public: bytes, secret: bytes, passed_hex: str) -> Evidence:
    """Build a CryptSM2 from ``passed_hex`` and see what it does with a valid signature."""
    obj = _library_object(passed_hex, secret)
    message = b"signed with the right key"
    correct = backend.crypt(secret, public)
    signature = correct.sign_with_sm3(message, f"{keys.random_nonce():064x}")
    try:
        library_verifies = bool(obj.verify_with_sm3(signature, message))
    except Exception:
        library_verifies = False
    return {
        "public_key_passed": passed_hex,
        "public_key_stored": obj.public_key,
        "corrupted": obj.public_key != public.hex(),
        "stored_length_hex_digits": len(obj.public_key),
        "valid_signature_verifies_in_library": library_verifies,
        "valid_signature_verifies_in_pqc_guarded_object": bool(
            backend.crypt(public_key=public).verify_with_sm3(signature, message)
        ),
    }


def lstrip_corruption(limit: int = 4096) -> Evidence:
    """Keys mangled by ``public_key.lstrip("04")`` in ``CryptSM2.__init__``.

    ``prefixed``: an 04||X||Y key whose X hex starts with 0 or 4 (about 1 key
    in 8). ``unprefixed``: an X||Y key, passed as documented, whose first byte
    is 0x04 (about 1 in 256). Each case says whether the stored key differs and
    whether the library still verifies a valid signature.
    """
    evidence: Evidence = {}
    cases: dict[str, tuple[Callable[[bytes], bool], Callable[[bytes], str]]] = {
        "prefixed": (lambda pk: pk.hex()[0] in "04", lambda pk: "04" + pk.hex()),
        "unprefixed": (lambda pk: pk[0] == 0x04, lambda pk: pk.hex()),
    }
    for name, (predicate, spelling) in cases.items():
        found = _find_public_key(predicate, limit)
        evidence[name] = (
            None if found is None else _corruption_case(found[0], found[1], spelling(found[0]))
        )
    return evidence


def zero_scalar() -> Evidence:
    """``_kg(0, G)`` should be the point at infinity; the library returns G itself."""
    obj = backend.crypt()
    generator = curve.GENERATOR_XY.hex()
    result = obj._kg(0, generator)
    return {
        "kg_zero_times_g": result,
        "equals_generator": result == generator,
        "kg_n_times_g": obj._kg(curve.N, generator),
    }


# ---------------------------------------------------------------- findings and guards
def findings(selected: Sequence[Implementation]) -> Sequence[Observation]:
    """gmssl 3.2.2: unchecked C3, Mersenne-Twister nonces, lstrip('04'), 0*G = G; with guards.

    The guards run on pqc's SM2-ENC and SM2 objects among ``selected``; both
    must be there.
    """
    by_name = {impl.name: impl for impl in selected}
    kem, signature = by_name.get("SM2-ENC"), by_name.get("SM2")
    if not isinstance(kem, KEMImplementation) or not isinstance(
        signature, SignatureImplementation
    ):
        return [NotRun("SM2", "gmssl findings",
                       "select both SM2 and SM2-ENC to run the gmssl findings")]
    return [*_c3(kem), *_nonces(kem, signature), *_lstrip(signature), *_zero(signature)]


def _c3(kem: KEMImplementation) -> list[Observation]:
    c3 = unchecked_c3()

    def tamper_guard() -> tuple[bool, str]:
        pk, sk = kem.keygen()
        ct, _ = kem.encaps(pk)
        tampered = ct[:-1] + bytes([ct[-1] ^ 1])
        try:
            kem.decaps(sk, tampered)
        except DecryptionError:
            return True, "pqc decaps raised DecryptionError for the tampered ciphertext"
        return False, "pqc decaps accepted a tampered ciphertext"

    return [
        Finding("SM2-ENC", "decrypt ignores the C3 check value",
                "CryptSM2.decrypt returned altered plaintext for a ciphertext with one bit of C2 "
                "flipped, without an error", c3,
                bool(c3["library_returned_altered_plaintext"]) and not c3["library_raised"]),
        Guard("SM2-ENC", "tampered ciphertext raises", tamper_guard),
    ]


def _nonces(kem: KEMImplementation, signature: SignatureImplementation) -> list[Observation]:
    nonces = predictable_nonces()

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

    return [
        Finding("SM2", "nonces from the random module (not a CSPRNG)",
                f"signing nonces and encryption k come from {nonces['nonce_source']}: seeding "
                "random reproduces them, and two signatures reveal the secret key", nonces,
                bool(nonces["predicted_nonce_matches_signature"])),
        Guard("SM2", "nonces independent of random", nonce_guard),
    ]


def _lstrip(signature: SignatureImplementation) -> list[Observation]:
    stripped = lstrip_corruption()
    corrupted = any(isinstance(v, dict) and v.get("corrupted") for v in stripped.values())

    def lstrip_guard() -> tuple[bool, str]:
        example = gm_kat()["sm2_sign"][0]  # its public key's hex starts with '09'
        pk = unhex(example["public_key"])
        sig = unhex(example["r"]) + unhex(example["s"])
        ok = signature.verify(pk, example["msg_ascii"].encode(), sig)
        cases = [v for v in stripped.values() if isinstance(v, dict)]
        ok = ok and all(v["valid_signature_verifies_in_pqc_guarded_object"] for v in cases)
        return ok, ("pqc verifies signatures under keys that gmssl's lstrip would corrupt"
                    if ok else "pqc failed to verify under an 04-/0-leading key")

    return [
        Finding("SM2", "lstrip('04') corrupts public keys",
                "CryptSM2(public_key=...) strips every leading '0'/'4' hex digit after an 04 "
                "prefix (and from keys whose first byte is 0x04), so valid signatures fail to "
                "verify", stripped, corrupted),
        Guard("SM2", "keys starting with 04 or 0", lstrip_guard),
    ]


def _zero(signature: SignatureImplementation) -> list[Observation]:
    zero = zero_scalar()

    def range_guard() -> tuple[bool, str]:
        pk, sk = signature.keygen()
        msg = b"range check"
        sig = signature.sign(sk, msg)
        n = curve.N.to_bytes(curve.SCALAR_SIZE, "big")
        bad = [bytes(64), sig[:32] + bytes(32), bytes(32) + sig[32:], sig[:32] + n, n + sig[32:]]
        accepted = [i for i, b in enumerate(bad) if signature.verify(pk, msg, b)]
        return not accepted, ("pqc rejects r or s equal to 0 or n" if not accepted else
                              f"pqc accepted out-of-range r/s cases {accepted}")

    return [
        Finding("SM2", "0 * G returns G",
                "the library's scalar multiplication returns the generator for k = 0 instead of "
                "the point at infinity (why r, s must be range-checked before use)", zero,
                bool(zero["equals_generator"])),
        Guard("SM2", "r, s range-checked", range_guard),
    ]
