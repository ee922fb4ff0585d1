"""SM9 (GM/T 0044) encodings used with GmSSL: an encryption master key from its scalar ke,
and the deB point inside a user key.

GmSSL (through gmssl-pyx) loads master keys only from DER. Its encryption master
key is ``SEQUENCE { INTEGER ke, BIT STRING 04 || Ppub-e }`` with Ppub-e = ke * P1
on the BN256 group G1 (y^2 = x^3 + 5 over F_p). A user encryption key is
``SEQUENCE { BIT STRING 04 || deB (G2: 4 x 32 bytes), BIT STRING 04 || Ppub-e }``.
The G1 arithmetic here is plain Python (not constant-time): for known-answer use.
"""

from __future__ import annotations

BN_P = 0xB640000002A3A6F1D603AB4FF58EC74521F2934B1A7AEEDBE56F9B27E351457D
BN_N = 0xB640000002A3A6F1D603AB4FF58EC74449F2934B18EA8BEEE56EE19CD69ECF25
BN_B = 5
P1 = (
    0x93DE051D62BF718FF5ED0704487D01D6E1E4086909DC3280E8C4E4817C66DDDD,
    0x21FE8DDA4F21E607631065125C395BBC1C1C00CBFA6024350C464CD70A3EA616,
)

G1Point = tuple[int, int]
_USER_KEY_PREFIX = b"\x03\x81\x82\x00\x04"  # BIT STRING, 130 bytes, no unused bits, 04


def g1_is_on_curve(point: G1Point) -> bool:
    x, y = point
    return 0 <= x < BN_P and 0 <= y < BN_P and (y * y - x * x * x - BN_B) % BN_P == 0


def _g1_add(p1: G1Point | None, p2: G1Point | None) -> G1Point | None:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % BN_P == 0:
            return None
        slope = 3 * x1 * x1 * pow(2 * y1, -1, BN_P) % BN_P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, BN_P) % BN_P
    x3 = (slope * slope - x1 - x2) % BN_P
    return x3, (slope * (x1 - x3) - y1) % BN_P


def g1_multiply(k: int, point: G1Point = P1) -> G1Point | None:
    """k * point on G1 (double-and-add); None is the point at infinity."""
    result: G1Point | None = None
    addend: G1Point | None = point
    k %= BN_N
    while k:
        if k & 1:
            result = _g1_add(result, addend)
        addend = _g1_add(addend, addend)
        k >>= 1
    return result


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n])
    return bytes([tag]) + length + content


def master_encryption_key_der(ke: int) -> bytes:
    """GmSSL's DER for the SM9 encryption master key with secret ``ke`` (1 <= ke < N)."""
    if not 1 <= ke < BN_N:
        raise ValueError("an SM9 master secret is an integer in [1, N-1]")
    point = g1_multiply(ke)
    assert point is not None
    integer = ke.to_bytes(ke.bit_length() // 8 + 1, "big")
    public = b"\x00\x04" + point[0].to_bytes(32, "big") + point[1].to_bytes(32, "big")
    return _tlv(0x30, _tlv(0x02, integer) + _tlv(0x03, public))


def user_encryption_key_coordinates(der: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """The four 32-byte Fp2 coordinate halves of deB in a GmSSL user encryption key DER.

    GmSSL writes them in its own order; compare with the standard allowing each
    Fp2 pair to be swapped.
    """
    start = der.find(_USER_KEY_PREFIX)
    if der[:1] != b"\x30" or start < 0 or len(der) < start + len(_USER_KEY_PREFIX) + 128:
        raise ValueError("not a GmSSL SM9 user encryption key DER")
    body = der[start + len(_USER_KEY_PREFIX) : start + len(_USER_KEY_PREFIX) + 128]
    a, b, c, d = (body[32 * i : 32 * (i + 1)] for i in range(4))
    return a, b, c, d
