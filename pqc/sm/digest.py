"""SM2 hashing: the signer's Z_A, the signed digest e, and the encryption check value C3.

Each function takes the SM3 to use (``bytes -> 32 bytes``) so a backend hashes
with its own implementation.
"""

from __future__ import annotations

from collections.abc import Callable

from pqc.sm.curve import COORDINATE_SIZE, DEFAULT_SIGNER_ID, GX, GY, XY_SIZE, A, B

HashFunction = Callable[[bytes], bytes]

_CURVE_BYTES = b"".join(v.to_bytes(COORDINATE_SIZE, "big") for v in (A, B, GX, GY))
_MAX_ID_BYTES = 0xFFFF // 8


def z_a(public_key: bytes, sm3: HashFunction, signer_id: bytes = DEFAULT_SIGNER_ID) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || xG || yG || xA || yA), 32 bytes.

    ``public_key`` is X||Y (64 bytes); ENTL_A is the ID's length in bits (2 bytes).
    """
    if len(public_key) != XY_SIZE:
        raise ValueError(f"an SM2 public key X||Y is 64 bytes, got {len(public_key)}")
    if len(signer_id) > _MAX_ID_BYTES:
        raise ValueError(f"an SM2 signer ID is at most {_MAX_ID_BYTES} bytes")
    entl = (8 * len(signer_id)).to_bytes(2, "big")
    return sm3(entl + signer_id + _CURVE_BYTES + public_key)


def message_digest(z: bytes, message: bytes, sm3: HashFunction) -> bytes:
    """e = SM3(Z_A || M), 32 bytes: the value SM2 signs."""
    return sm3(z + message)


def encryption_check(x2: bytes, plaintext: bytes, y2: bytes, sm3: HashFunction) -> bytes:
    """C3 = SM3(x2 || M || y2), 32 bytes: SM2 encryption's integrity check."""
    return sm3(x2 + plaintext + y2)
