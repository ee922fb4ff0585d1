"""The few DER constructions pqc writes (X.690), as small pure functions.

X.509 certificates (:mod:`pqc.tls.certificates`) and SM2's DER signatures and
ciphertexts (:mod:`pqc.sm.der`, which also reads them back strictly). Only
writing here: certificates are parsed back by cryptography and OpenSSL, which
is how the tests check what is written.
"""

from __future__ import annotations

import datetime

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OBJECT_IDENTIFIER = 0x06
UTF8_STRING = 0x0C
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
BOOLEAN = 0x01


def length(n: int) -> bytes:
    """The DER length octets for ``n`` content bytes (short form below 128)."""
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    """One tag-length-value element."""
    return bytes([tag]) + length(len(content)) + content


def sequence(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def integer(value: int) -> bytes:
    """A non-negative INTEGER in minimal form (a leading 00 when the high bit is set)."""
    if value < 0:
        raise ValueError("only non-negative integers are written")
    return tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def boolean(value: bool) -> bytes:
    return tlv(BOOLEAN, b"\xff" if value else b"\x00")


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER from its dotted form, e.g. ``"2.16.840.1.101.3.4.3.18"``."""
    arcs = [int(part) for part in dotted.split(".")]
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] >= 40):
        raise ValueError(f"not an object identifier: {dotted!r}")
    body = bytearray()
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return tlv(OBJECT_IDENTIFIER, bytes(body))


def bit_string(data: bytes, unused_bits: int = 0) -> bytes:
    return tlv(BIT_STRING, bytes([unused_bits]) + data)


def octet_string(data: bytes) -> bytes:
    return tlv(OCTET_STRING, data)


def utf8_string(text: str) -> bytes:
    return tlv(UTF8_STRING, text.encode("utf-8"))


def time(moment: datetime.datetime) -> bytes:
    """RFC 5280 Time: UTCTime for years 1950-2049, GeneralizedTime otherwise (UTC, seconds)."""
    utc = moment.astimezone(datetime.UTC)
    if 1950 <= utc.year < 2050:
        return tlv(UTC_TIME, utc.strftime("%y%m%d%H%M%SZ").encode("ascii"))
    return tlv(GENERALIZED_TIME, utc.strftime("%Y%m%d%H%M%SZ").encode("ascii"))


def explicit(number: int, content: bytes) -> bytes:
    """A constructed context-specific tag ``[number] EXPLICIT``."""
    return tlv(0xA0 | number, content)


def implicit_primitive(number: int, content: bytes) -> bytes:
    """A primitive context-specific tag ``[number] IMPLICIT`` (e.g. a dNSName, a keyIdentifier)."""
    return tlv(0x80 | number, content)
