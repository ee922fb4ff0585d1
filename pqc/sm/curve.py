"""The SM2 curve (sm2p256v1, GM/T 0003.5): constants, point checks, scalar multiplication.

Points are affine ``(x, y)`` integer pairs; ``None`` is the point at infinity.
Two byte forms, each with its own name: X||Y (64 bytes, ``*_xy``: SM2 public
keys, C1 inside ciphertexts) and SEC 1 uncompressed 04||X||Y (65 bytes,
``*_uncompressed``: curveSM2 key shares, RFC 8998). The arithmetic here
is plain Python integers: correct, but not constant-time. pqc uses it only to
validate points and to derive a public key from a secret key once per key
(GmSSL's Python binding exposes no scalar multiplication), by a fixed-base
comb over a table built on first use (about 0.2-0.6 ms per key on a 2-core
machine, against several ms for the general ladder).
"""

from __future__ import annotations

from functools import cache

P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = P - 3
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0

COORDINATE_SIZE = 32
XY_SIZE = 2 * COORDINATE_SIZE  # X||Y
UNCOMPRESSED_SIZE = 1 + XY_SIZE  # 04||X||Y
SCALAR_SIZE = 32
DEFAULT_SIGNER_ID = b"1234567812345678"
_UNCOMPRESSED = 0x04

Point = tuple[int, int]
GENERATOR: Point = (GX, GY)


def is_on_curve(x: int, y: int) -> bool:
    """True when 0 <= x, y < p and y^2 = x^3 + ax + b (mod p)."""
    return 0 <= x < P and 0 <= y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def decode_xy(data: bytes) -> Point | None:
    """The point X||Y (64 bytes, no 04 prefix), or None when it is not on the curve."""
    if len(data) != XY_SIZE:
        return None
    x = int.from_bytes(data[:COORDINATE_SIZE], "big")
    y = int.from_bytes(data[COORDINATE_SIZE:], "big")
    return (x, y) if is_on_curve(x, y) else None


def encode_xy(point: Point) -> bytes:
    """X||Y, 64 bytes big-endian."""
    return point[0].to_bytes(COORDINATE_SIZE, "big") + point[1].to_bytes(COORDINATE_SIZE, "big")


GENERATOR_XY = encode_xy(GENERATOR)


def uncompressed_from_xy(xy: bytes) -> bytes:
    """04||X||Y (65 bytes) from X||Y (64 bytes)."""
    return bytes([_UNCOMPRESSED]) + xy


def xy_from_uncompressed(data: bytes) -> bytes | None:
    """X||Y of an 04||X||Y encoding, or None when ``data`` is not 65 bytes led by 04.

    Only the form is checked; :func:`decode_xy` checks the point is on the curve.
    """
    if len(data) != UNCOMPRESSED_SIZE or data[0] != _UNCOMPRESSED:
        return None
    return data[1:]


def is_valid_secret_scalar(d: int) -> bool:
    """SM2 secret keys lie in [1, n-2] (GB/T 32918.1; d = n-1 leaves 1+d without an inverse)."""
    return 1 <= d <= N - 2


def is_valid_ecdh_scalar(d: int) -> bool:
    """An ECDH secret (a curveSM2 key share's scalar) is any d in [1, n-1]."""
    return 1 <= d < N


def is_signature_in_range(signature: bytes) -> bool:
    """True when r||s has 1 <= r, s <= n-1 (GB/T 32918.2 verification, step B1/B2)."""
    r = int.from_bytes(signature[:COORDINATE_SIZE], "big")
    s = int.from_bytes(signature[COORDINATE_SIZE:], "big")
    return 1 <= r < N and 1 <= s < N


def point_add(p1: Point | None, p2: Point | None) -> Point | None:
    """Affine addition (None is the point at infinity)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        slope = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (slope * slope - x1 - x2) % P
    return x3, (slope * (x1 - x3) - y1) % P


# Jacobian coordinates (X, Y, Z) stand for (X/Z^2, Y/Z^3); Z = 0 is infinity.
_Jacobian = tuple[int, int, int]


def _double(p: _Jacobian) -> _Jacobian:
    x, y, z = p
    if y == 0 or z == 0:
        return (1, 1, 0)
    yy = y * y % P
    s = 4 * x * yy % P
    zz = z * z % P
    m = 3 * (x - zz) * (x + zz) % P  # a = -3
    x3 = (m * m - 2 * s) % P
    return x3, (m * (s - x3) - 8 * yy * yy) % P, 2 * y * z % P


def _add(p: _Jacobian, q: _Jacobian) -> _Jacobian:
    x1, y1, z1 = p
    x2, y2, z2 = q
    if z1 == 0:
        return q
    if z2 == 0:
        return p
    z1z1 = z1 * z1 % P
    z2z2 = z2 * z2 % P
    return _sum(p, x1 * z2z2 % P, y1 * z2 * z2z2 % P, x2 * z1z1 % P, y2 * z1 * z1z1 % P,
                z1 * z2 % P)


def _sum(p: _Jacobian, u1: int, s1: int, u2: int, s2: int, z1z2: int) -> _Jacobian:
    """p + q from U1 = X1*Z2^2, S1 = Y1*Z2^3, U2 = X2*Z1^2, S2 = Y2*Z1^3 and Z1*Z2 (q != O)."""
    if u1 == u2:
        return _double(p) if s1 == s2 else (1, 1, 0)
    h = (u2 - u1) % P
    r = (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    return x3, (r * (v - x3) - s1 * hhh) % P, h * z1z2 % P


def scalar_multiply(k: int, point: Point = GENERATOR) -> Point | None:
    """k * point by a Montgomery ladder (one add and one double per bit of n)."""
    k %= N
    r0: _Jacobian = (1, 1, 0)
    r1: _Jacobian = (point[0], point[1], 1)
    for i in reversed(range(N.bit_length())):
        if (k >> i) & 1:
            r0, r1 = _add(r0, r1), _double(r1)
        else:
            r0, r1 = _double(r0), _add(r0, r1)
    return _affine(r0)


def _affine(p: _Jacobian) -> Point | None:
    """(X/Z^2, Y/Z^3), or None for Z = 0 (the point at infinity)."""
    x, y, z = p
    if z == 0:
        return None
    z_inv = pow(z, -1, P)
    z_inv2 = z_inv * z_inv % P
    return x * z_inv2 % P, y * z_inv2 * z_inv % P


def _add_affine(p: _Jacobian, x2: int, y2: int) -> _Jacobian:
    """p + (x2, y2) with the second point affine (Z = 1): the cheap mixed addition."""
    x1, y1, z1 = p
    if z1 == 0:
        return x2, y2, 1
    z1z1 = z1 * z1 % P
    return _sum(p, x1, y1, x2 * z1z1 % P, y2 * z1 * z1z1 % P, z1)


@cache
def _generator_table() -> tuple[tuple[Point | None, ...], ...]:
    """table[i][j] = j * 16^i * G for the 64 nibbles of a scalar (built once, about 20 ms)."""
    table = []
    base: Point | None = GENERATOR
    for _ in range(2 * SCALAR_SIZE):
        row: list[Point | None] = [None]
        for _ in range(15):
            row.append(point_add(row[-1], base))
        table.append(tuple(row))
        base = point_add(row[-1], base)
    return tuple(table)


def multiply_generator(k: int) -> Point | None:
    """k * G by a fixed-base comb: one mixed addition per 4-bit nibble of k, no doublings."""
    k %= N
    acc: _Jacobian = (1, 1, 0)
    for row in _generator_table():
        entry = row[k & 0xF]
        if entry is not None:
            acc = _add_affine(acc, *entry)
        k >>= 4
    return _affine(acc)


def public_key_from_secret(secret_key: bytes) -> bytes:
    """X||Y of d*G for the 32-byte secret d; raises ValueError when d is outside [1, n-2]."""
    d = int.from_bytes(secret_key, "big")
    if len(secret_key) != SCALAR_SIZE or not is_valid_secret_scalar(d):
        raise ValueError("an SM2 secret key is a 32-byte integer in [1, n-2]")
    point = multiply_generator(d)
    assert point is not None  # d < n and the group order is prime
    return encode_xy(point)
