"""SM2 keys as every SM backend checks and draws them: ranges, points, random scalars.

The ranges are GB/T 32918's: a secret key d lies in [1, n-2] (part 1, key pair
generation), a signing or encryption nonce k in [1, n-1] (parts 2 and 4), and
a signature's r and s in [1, n-1]. Errors are the :mod:`pqc.errors` a backend
raises for a malformed key or ciphertext.
"""

from __future__ import annotations

import secrets

from pqc.errors import InvalidArgumentError, InvalidKeyError
from pqc.sm import curve

NOT_ON_CURVE = "the SM2 point is not on curveSM2 (or a coordinate is not reduced)."


def random_secret_scalar() -> int:
    """A secret key d uniform in [1, n-2] from :mod:`secrets` (GB/T 32918.1 key generation)."""
    return 1 + secrets.randbelow(curve.N - 2)


def random_nonce() -> int:
    """A nonce k uniform in [1, n-1] from :mod:`secrets` (GB/T 32918.2 signing, .4 encryption)."""
    return 1 + secrets.randbelow(curve.N - 1)


def secret_scalar(secret_key: bytes) -> int:
    """The secret key d of 32 big-endian bytes; :class:`InvalidKeyError` outside [1, n-2]."""
    d = int.from_bytes(secret_key, "big")
    if not curve.is_valid_secret_scalar(d):
        raise InvalidKeyError("an SM2 secret key must be an integer in [1, n-2].")
    return d


def ecdh_scalar(secret_key: bytes) -> int:
    """The ECDH secret scalar of 32 big-endian bytes; :class:`InvalidKeyError` outside [1, n-1]."""
    d = int.from_bytes(secret_key, "big")
    if not curve.is_valid_ecdh_scalar(d):
        raise InvalidKeyError("the SM2 secret scalar must be in [1, n-1].")
    return d


def public_point(public_key: bytes) -> curve.Point:
    """The public key X||Y as a point; :class:`InvalidKeyError` when it is not on the curve."""
    point = curve.decode_xy(public_key)
    if point is None:
        raise InvalidKeyError("the SM2 public key X||Y is not a point on the SM2 curve.")
    return point


def xy_of_uncompressed(
    data: bytes, error: type[InvalidArgumentError], *, check_curve: bool = True
) -> bytes:
    """X||Y of a 65-byte 04||X||Y point, raising ``error`` for another form or, when
    ``check_curve``, a point off the curve (a backend whose library checks skips that)."""
    xy = curve.xy_from_uncompressed(data)
    if xy is None:
        raise error("an SM2 point must be 65 bytes 04||X||Y (uncompressed).")
    if check_curve and curve.decode_xy(xy) is None:
        raise error(NOT_ON_CURVE)
    return xy
