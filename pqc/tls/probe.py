"""What a handshake carried, message by message, as OpenSSL's message callback saw it.

One handshake is run with the callback on (it costs a Python call per
message, so timed handshakes run without it). From the plaintext handshake
messages the client received, this reads the SignatureScheme of the
server's CertificateVerify (the scheme the client then verified) and the
group of the ServerHello key_share, and it lists every handshake message
with its size.
"""

from __future__ import annotations

from dataclasses import dataclass

from pqc.tls import openssl
from pqc.tls.catalog import group_by_codepoint, scheme_names
from pqc.tls.driver import Endpoints, Handshake

CONTENT_HANDSHAKE = 22
_MESSAGE_NAMES = {
    1: "ClientHello",
    2: "ServerHello",
    4: "NewSessionTicket",
    8: "EncryptedExtensions",
    11: "Certificate",
    13: "CertificateRequest",
    15: "CertificateVerify",
    20: "Finished",
}
_KEY_SHARE = 51


@dataclass(frozen=True)
class Message:
    """One handshake message: who sent it, its type name and its size (4-byte header included)."""

    sender: str
    name: str
    bytes: int


@dataclass(frozen=True)
class Probe:
    """What one instrumented handshake showed."""

    handshake: Handshake
    signature_scheme: str
    signature_codepoint: int
    server_hello_group: str
    messages: tuple[Message, ...]

    def message_bytes(self, name: str) -> int:
        return sum(m.bytes for m in self.messages if m.name == name)


def _split(data: bytes) -> list[tuple[int, bytes]]:
    """Handshake messages in one callback buffer: (type, whole message)."""
    out: list[tuple[int, bytes]] = []
    position = 0
    while position + 4 <= len(data):
        size = 4 + int.from_bytes(data[position + 1 : position + 4], "big")
        out.append((data[position], data[position : position + size]))
        position += size
    return out


def _key_share_group(server_hello: bytes) -> int | None:
    """The group code point of a ServerHello's key_share extension (RFC 8446 4.2.8)."""
    body = server_hello[4:]
    position = 2 + 32  # legacy_version, random
    position += 1 + body[position]  # legacy_session_id_echo
    position += 2 + 1  # cipher_suite, legacy_compression_method
    end = position + 2 + int.from_bytes(body[position : position + 2], "big")
    position += 2
    while position + 4 <= end:
        kind = int.from_bytes(body[position : position + 2], "big")
        size = int.from_bytes(body[position + 2 : position + 4], "big")
        if kind == _KEY_SHARE and size >= 2:
            return int.from_bytes(body[position + 4 : position + 6], "big")
        position += 4 + size
    return None


def probe(endpoints: Endpoints) -> Probe:
    """Run one handshake with OpenSSL's message callback on the client."""
    seen: list[tuple[bool, bytes]] = []

    def record(sent: bool, content_type: int, data: bytes) -> None:
        if content_type == CONTENT_HANDSHAKE:
            seen.append((sent, data))

    context = endpoints.new_client_context()
    handle = openssl.watch_messages(context, record)
    handshake = endpoints.handshake(context)
    del handle  # the native callback lives until the handshake is over
    messages: list[Message] = []
    scheme_code = 0
    hello_group = ""
    for sent, data in seen:
        for kind, message in _split(data):
            sender = "client" if sent else "server"
            messages.append(Message(sender, _MESSAGE_NAMES.get(kind, f"type {kind}"), len(message)))
            if not sent and kind == 15 and len(message) >= 6:
                scheme_code = int.from_bytes(message[4:6], "big")
            if not sent and kind == 2:
                code = _key_share_group(message)
                found = group_by_codepoint(code) if code is not None else None
                hello_group = found.name if found else (f"0x{code:04x}" if code else "")
    scheme = scheme_names().get(scheme_code, f"0x{scheme_code:04x}")
    return Probe(handshake, scheme, scheme_code, hello_group, tuple(messages))
