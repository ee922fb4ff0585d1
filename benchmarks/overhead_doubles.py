"""Test doubles for pqc's public-method overhead: hooks that return constants.

Imported by ``native_cost.py overhead`` (timed in its process), and run as a
script under callgrind for the instruction counts: ``python3
benchmarks/overhead_doubles.py OP public|hook CALLS`` makes CALLS calls in a
plain loop (no clock: a clock read under valgrind costs a varying count). It
imports only what the doubles need (``pqc.backends.base``, ``pqc.catalog``),
so its start-up is the same from one run to the next and the difference of
two runs with CALLS and 2 x CALLS calls is exactly CALLS calls.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.catalog import lookup

OVERHEAD_CALLS = 5_000
OverheadCase = tuple[Callable[..., object], Callable[..., object], tuple[Any, ...]]


def overhead_cases() -> dict[str, OverheadCase]:
    """op -> (public method, its hook, arguments) of test doubles whose hooks do nothing."""
    status = BackendStatus("double", True, "0", "C", "test double")
    kem_entry, sig_entry = lookup("ML-KEM-768"), lookup("ML-DSA-65")
    pk, sk = bytes(kem_entry.public_key_size), bytes(kem_entry.secret_key_size)
    ct = bytes(kem_entry.ciphertext_size or 0)
    spk, ssk = bytes(sig_entry.public_key_size), bytes(sig_entry.secret_key_size)
    sig = bytes(sig_entry.signature_size or 0)
    secret = sk[:32]

    class KEM(KEMImplementation):
        def _keygen(self) -> tuple[bytes, bytes]:
            return pk, sk

        def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
            return ct, secret

        def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
            return secret

    class Signature(SignatureImplementation):
        def _keygen(self) -> tuple[bytes, bytes]:
            return spk, ssk

        def _sign(self, secret_key: bytes, message: bytes) -> bytes:
            return sig

        def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
            return True

    kem, signer = KEM(kem_entry, status, "x"), Signature(sig_entry, status, "x")
    return {
        "keygen": (kem.keygen, kem._keygen, ()),
        "encaps": (kem.encaps, kem._encaps, (pk,)),
        "decaps": (kem.decaps, kem._decaps, (sk, ct)),
        "sign": (signer.sign, signer._sign, (ssk, b"m" * 32)),
        "verify": (signer.verify, signer._verify, (spk, b"m" * 32, sig)),
    }


def run_calls(op: str, which: str, calls: int) -> None:
    """``calls`` calls of the public method (``which="public"``) or its hook, in a plain loop."""
    public, hook, args = overhead_cases()[op]
    fn = public if which == "public" else hook
    for _ in range(2):  # warm: the interpreter specialises the code
        fn(*args)
    if len(args) == 0:
        for _ in range(calls):
            fn()
    elif len(args) == 1:
        (a,) = args
        for _ in range(calls):
            fn(a)
    elif len(args) == 2:
        a, b = args
        for _ in range(calls):
            fn(a, b)
    else:
        a, b, c = args
        for _ in range(calls):
            fn(a, b, c)


if __name__ == "__main__":
    run_calls(sys.argv[1], sys.argv[2], int(sys.argv[3]))
