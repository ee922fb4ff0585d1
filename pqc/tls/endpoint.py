"""The two programs a link run starts inside its namespaces: a TLS server and a TLS client.

Run as ``python -m pqc.tls.endpoint server|client`` with a JSON configuration on
stdin (certificates and, for the server, its private key as PEM: passed by
pipe, never written to disk or printed). Each prints JSON lines on stdout:
the server ``{"ready": port}``, the client one line per attempt with
``handshake_ns`` (connect() to handshake done) and, when a response was
asked for, ``last_byte_ns`` (connect() to the last response byte), or
``error``. Both use TCP with the congestion control named in the
configuration when the kernel lets the socket choose it, and TCP_NODELAY.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import sys
import time
from typing import Any

from OpenSSL import SSL

from pqc.tls import openssl
from pqc.tls.netns import SERVER_ADDRESS

_TCP_CONGESTION = getattr(socket, "TCP_CONGESTION", 13)


def _congestion(sock: socket.socket, name: str) -> str:
    with contextlib.suppress(OSError):  # not allowed here: keep the kernel's default
        sock.setsockopt(socket.IPPROTO_TCP, _TCP_CONGESTION, name.encode("ascii"))
    raw = sock.getsockopt(socket.IPPROTO_TCP, _TCP_CONGESTION, 16)
    return raw.split(b"\0", 1)[0].decode("ascii", "replace")


def _blocking_with_timeout(sock: socket.socket, seconds: float) -> None:
    """Blocking mode (pyOpenSSL needs it) with the kernel timing out each recv and send, and
    TCP_NODELAY as TLS servers set it (OpenSSL writes each record with its own write: with
    Nagle's algorithm on, the later records would wait for the peer's delayed ACK)."""
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    whole = int(seconds)
    value = struct.pack("ll", whole, int((seconds - whole) * 1e6))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)


def _emit(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _context(config: dict[str, Any], server: bool) -> SSL.Context:
    from OpenSSL import crypto

    context = openssl.new_context()
    if not openssl.set_groups(context, config["group"]):
        raise SystemExit(f"group {config['group']} refused")
    if server:
        certificates = [c.encode("ascii") for c in config["certificates"]]
        context.use_certificate(openssl.load_certificate(_der(certificates[0])))
        openssl.use_private_key(context, config["key"].encode("ascii"))
        for pem in certificates[1:]:
            context.add_extra_chain_cert(openssl.load_certificate(_der(pem)))
    else:
        store = context.get_cert_store()
        assert store is not None
        store.add_cert(crypto.load_certificate(crypto.FILETYPE_PEM, config["root"].encode()))
        context.set_verify(SSL.VERIFY_PEER)
    return context


def _der(pem: bytes) -> bytes:
    import base64

    body = b"".join(line for line in pem.splitlines() if not line.startswith(b"-----"))
    return base64.b64decode(body)


def serve(config: dict[str, Any]) -> None:
    context = _context(config, server=True)
    response = b"r" * int(config["response_bytes"])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    _congestion(listener, config["congestion"])
    listener.bind((SERVER_ADDRESS, 0))
    listener.listen(16)
    _emit(ready=listener.getsockname()[1])
    while True:
        sock, _ = listener.accept()
        _blocking_with_timeout(sock, float(config["timeout_s"]))
        try:
            connection = SSL.Connection(context, sock)
            connection.set_accept_state()
            connection.do_handshake()
            if response:
                connection.recv(1)
                connection.sendall(response)
            connection.shutdown()
        except (SSL.Error, OSError):
            pass  # the client gave up or closed first; it reports the attempt
        finally:
            sock.close()


def connect(config: dict[str, Any]) -> None:
    context = _context(config, server=False)
    host = config["host"]
    port = int(config["port"])
    wanted = int(config["response_bytes"])
    deadline = time.monotonic() + float(config["deadline_s"])
    for _ in range(int(config["count"])):
        if time.monotonic() > deadline:
            _emit(error="run deadline reached")
            break
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(float(config["timeout_s"]))
        used = _congestion(sock, config["congestion"])
        start = time.perf_counter_ns()
        try:
            sock.connect((SERVER_ADDRESS, port))
            _blocking_with_timeout(sock, float(config["timeout_s"]))
            connection = SSL.Connection(context, sock)
            connection.set_connect_state()
            connection.set_tlsext_host_name(host.encode("ascii"))
            openssl.require_host(connection, host)
            connection.do_handshake()
            handshake = time.perf_counter_ns() - start
            last = None
            if wanted:
                connection.sendall(b"G")
                received = 0
                while received < wanted:
                    received += len(connection.recv(65536))
                last = time.perf_counter_ns() - start
            _emit(handshake_ns=handshake, last_byte_ns=last, congestion=used,
                  group=openssl.negotiated_group(connection))  # fmt: skip
        except (SSL.Error, OSError) as exc:
            _emit(error=f"{type(exc).__name__}: {exc}"[:200])
        finally:
            sock.close()


def main() -> None:
    role = sys.argv[1] if len(sys.argv) > 1 else ""
    config = json.loads(sys.stdin.readline())
    if role == "server":
        serve(config)
    elif role == "client":
        connect(config)
    else:
        raise SystemExit("usage: python -m pqc.tls.endpoint server|client (JSON on stdin)")


if __name__ == "__main__":
    main()
