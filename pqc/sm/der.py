"""SM2 encodings: DER <-> r||s signatures and DER <-> C1||C3||C2 ciphertexts (GM/T 0009).

- Signature: DER ``SEQUENCE { INTEGER r, INTEGER s }`` <-> r(32) || s(32).
- Ciphertext: DER ``SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2 }``
  <-> X1(32) || Y1(32) || C3(32) || C2, with C1 written without the 04 prefix.

Decoding is strict DER (minimal lengths, minimal non-negative integers, no
trailing bytes); anything else raises :class:`MalformedDER`.
"""

from __future__ import annotations

from pqc import asn1
from pqc.sm.curve import COORDINATE_SIZE, XY_SIZE

HASH_SIZE = 32


class MalformedDER(ValueError):
    """The bytes are not the strict DER structure expected."""


# ---------------------------------------------------------------- reading
class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def done(self) -> bool:
        return self._pos == len(self._data)

    def read(self, tag: int) -> bytes:
        data, pos = self._data, self._pos
        if pos + 2 > len(data) or data[pos] != tag:
            raise MalformedDER(f"expected DER tag 0x{tag:02x} at offset {pos}")
        first = data[pos + 1]
        pos += 2
        if first < 0x80:
            length = first
        else:
            count = first & 0x7F
            if count == 0 or count > 4 or pos + count > len(data):
                raise MalformedDER("bad DER length")
            length = int.from_bytes(data[pos : pos + count], "big")
            if data[pos] == 0 or length < 0x80:
                raise MalformedDER("non-minimal DER length")
            pos += count
        if pos + length > len(data):
            raise MalformedDER("DER value runs past the end of the input")
        self._pos = pos + length
        return data[pos : pos + length]

    def integer(self) -> int:
        content = self.read(asn1.INTEGER)
        if not content or content[0] & 0x80:
            raise MalformedDER("INTEGER is empty or negative")
        if len(content) > 1 and content[0] == 0 and not content[1] & 0x80:
            raise MalformedDER("non-minimal INTEGER")
        return int.from_bytes(content, "big")


def _sequence(der: bytes) -> _Reader:
    outer = _Reader(der)
    inner = _Reader(outer.read(asn1.SEQUENCE))
    if not outer.done():
        raise MalformedDER("trailing bytes after the DER SEQUENCE")
    return inner


def _fixed(value: int, label: str) -> bytes:
    if value.bit_length() > 8 * COORDINATE_SIZE:
        raise MalformedDER(f"{label} is longer than {COORDINATE_SIZE} bytes")
    return value.to_bytes(COORDINATE_SIZE, "big")


# ---------------------------------------------------------------- signatures
def signature_to_der(signature: bytes) -> bytes:
    """r(32)||s(32) -> DER SEQUENCE { INTEGER r, INTEGER s }."""
    if len(signature) != 2 * COORDINATE_SIZE:
        raise ValueError(f"an SM2 signature r||s is 64 bytes, got {len(signature)}")
    r = int.from_bytes(signature[:COORDINATE_SIZE], "big")
    s = int.from_bytes(signature[COORDINATE_SIZE:], "big")
    return asn1.sequence(asn1.integer(r), asn1.integer(s))


def signature_from_der(der: bytes) -> bytes:
    """DER SEQUENCE { INTEGER r, INTEGER s } -> r(32)||s(32)."""
    reader = _sequence(der)
    r, s = reader.integer(), reader.integer()
    if not reader.done():
        raise MalformedDER("extra fields in the signature SEQUENCE")
    return _fixed(r, "r") + _fixed(s, "s")


# ---------------------------------------------------------------- ciphertexts
def ciphertext_to_der(ciphertext: bytes) -> bytes:
    """X1||Y1||C3||C2 (C2 at least one byte) -> DER (GM/T 0009 SM2Cipher)."""
    if len(ciphertext) <= XY_SIZE + HASH_SIZE:
        raise ValueError(
            f"an SM2 ciphertext C1C3C2 is more than {XY_SIZE + HASH_SIZE} bytes, "
            f"got {len(ciphertext)}"
        )
    x1 = int.from_bytes(ciphertext[:COORDINATE_SIZE], "big")
    y1 = int.from_bytes(ciphertext[COORDINATE_SIZE:XY_SIZE], "big")
    c3 = ciphertext[XY_SIZE : XY_SIZE + HASH_SIZE]
    c2 = ciphertext[XY_SIZE + HASH_SIZE :]
    return asn1.sequence(
        asn1.integer(x1), asn1.integer(y1), asn1.octet_string(c3), asn1.octet_string(c2)
    )


def ciphertext_from_der(der: bytes) -> bytes:
    """DER (GM/T 0009 SM2Cipher) -> X1||Y1||C3||C2."""
    reader = _sequence(der)
    x1, y1 = reader.integer(), reader.integer()
    c3 = reader.read(asn1.OCTET_STRING)
    c2 = reader.read(asn1.OCTET_STRING)
    if not reader.done():
        raise MalformedDER("extra fields in the ciphertext SEQUENCE")
    if len(c3) != HASH_SIZE or not c2:
        raise MalformedDER(f"C3 must be {HASH_SIZE} bytes and C2 non-empty")
    return _fixed(x1, "x1") + _fixed(y1, "y1") + c3 + c2
