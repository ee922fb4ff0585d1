"""Real TLS 1.3 handshakes between a client and a server in one process, over memory BIOs.

Each :class:`Endpoints` holds a server context (certificate chain and key) and
a client context (the root as its only trust anchor, peer verification
required, the leaf's name checked), both restricted to one group. A
handshake passes each side's output to the other until both are done, with
no network and no threads: what is timed is the two TLS stacks' own work
plus the Python calls that move the bytes.

What a handshake reports: wall time from the first ClientHello byte to both
sides done; each side's CPU time (``time.thread_time_ns`` around its own
calls); the flights (what one side wrote before waiting) with bytes and
records; and session tickets the server sends after the handshake, counted
apart from the handshake's bytes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from OpenSSL import SSL, crypto

from pqc.errors import BackendError, UnsupportedAlgorithmError
from pqc.tls import openssl
from pqc.tls.catalog import CertificateType, Group, certificate_type, group
from pqc.tls.certificates import Chain, build_chain
from pqc.tls.records import CLIENT_TO_SERVER, SERVER_TO_CLIENT, Flight, flight

_BIO_CHUNK = 1 << 20
_MAX_ROUNDS = 16  # a TLS 1.3 handshake needs 2-3; more means it is stuck


@dataclass(frozen=True)
class Handshake:
    """One completed handshake (times in ns, bytes with record headers)."""

    wall_ns: int
    client_cpu_ns: int
    server_cpu_ns: int
    flights: tuple[Flight, ...]
    ticket_bytes: int
    negotiated_group: str

    @property
    def client_to_server_bytes(self) -> int:
        return sum(f.bytes for f in self.flights if f.direction == CLIENT_TO_SERVER)

    @property
    def server_to_client_bytes(self) -> int:
        return sum(f.bytes for f in self.flights if f.direction == SERVER_TO_CLIENT)


class Endpoints:
    """A server and a client configured for one (group, certificate chain); thread-safe."""

    def __init__(self, group_name: Group | str, chain: Chain) -> None:
        self.group = group(group_name) if isinstance(group_name, str) else group_name
        if self.group not in openssl.offered_groups():
            offered = ", ".join(g.name for g in openssl.offered_groups())
            raise UnsupportedAlgorithmError(
                f"{openssl.library_version()} does not offer the group {self.group.name}; "
                f"it offers: {offered}."
            )
        self.chain = chain
        self.server_context = self._server_context()
        self.client_context = self.new_client_context()
        self._lock = threading.Lock()

    def _server_context(self) -> SSL.Context:
        context = openssl.new_context()
        self._groups(context)
        try:
            context.use_certificate(openssl.load_certificate(self.chain.leaf.der))
            openssl.use_private_key(context, self.chain.leaf_key.private_pem())
            for certificate in self.chain.intermediates:
                context.add_extra_chain_cert(openssl.load_certificate(certificate.der))
            context.check_privatekey()
        except SSL.Error as exc:
            raise UnsupportedAlgorithmError(
                f"OpenSSL will not serve a {self.chain.kind.name} certificate: {exc}."
            ) from exc
        return context

    def new_client_context(self) -> SSL.Context:
        """A client context trusting only the chain's root and requiring a verified peer."""
        context = openssl.new_context()
        self._groups(context)
        store = context.get_cert_store()
        if store is None:
            raise BackendError("OpenSSL gave the client context no certificate store.")
        store.add_cert(crypto.load_certificate(crypto.FILETYPE_ASN1, self.chain.root.der))
        context.set_verify(SSL.VERIFY_PEER)
        return context

    def _groups(self, context: SSL.Context) -> None:
        if not openssl.set_groups(context, self.group.stack_name):
            raise UnsupportedAlgorithmError(f"OpenSSL refused the group {self.group.name}.")

    def handshake(self, client_context: SSL.Context | None = None) -> Handshake:
        """Run one full handshake (no resumption); raises :class:`BackendError` on failure."""
        with self._lock:
            server_context = self.server_context
            client_context = client_context or self.client_context
        client = SSL.Connection(client_context, None)
        client.set_connect_state()
        client.set_tlsext_host_name(self.chain.host.encode("ascii"))
        openssl.require_host(client, self.chain.host)
        server = SSL.Connection(server_context, None)
        server.set_accept_state()
        return _run(client, server, self.chain.host)


def _step(connection: SSL.Connection) -> tuple[bool, bytes, int]:
    """Advance one side: (done, what it wrote, CPU ns spent)."""
    start = time.thread_time_ns()
    try:
        connection.do_handshake()
        done = True
    except SSL.WantReadError:
        done = False
    try:
        written = connection.bio_read(_BIO_CHUNK)
    except SSL.WantReadError:
        written = b""
    return done, written, time.thread_time_ns() - start


def _run(client: SSL.Connection, server: SSL.Connection, host: str) -> Handshake:
    flights: list[Flight] = []
    cpu = {CLIENT_TO_SERVER: 0, SERVER_TO_CLIENT: 0}
    done = {CLIENT_TO_SERVER: False, SERVER_TO_CLIENT: False}
    ticket_bytes = 0
    start = time.perf_counter_ns()
    try:
        for _ in range(_MAX_ROUNDS):
            for direction, this, peer in ((CLIENT_TO_SERVER, client, server),
                                          (SERVER_TO_CLIENT, server, client)):  # fmt: skip
                was_done = done[direction]
                done[direction], written, spent = _step(this)
                cpu[direction] += spent
                if not written:
                    continue
                if was_done or (direction == SERVER_TO_CLIENT and done[CLIENT_TO_SERVER]):
                    ticket_bytes += len(written)  # after the client finished: session tickets
                else:
                    flights.append(flight(direction, written))
                peer.bio_write(written)
            if all(done.values()):
                break
        else:
            raise BackendError("the TLS handshake did not finish in 16 rounds.")
    except SSL.Error as exc:
        reason = openssl.verify_result(client)
        detail = f" (certificate verification error {reason})" if reason else ""
        raise BackendError(f"the TLS handshake failed{detail}: {exc}.") from exc
    wall = time.perf_counter_ns() - start
    if openssl.verify_result(client) != 0:
        raise BackendError(f"the client did not verify the chain for {host}.")
    return Handshake(
        wall_ns=wall,
        client_cpu_ns=cpu[CLIENT_TO_SERVER],
        server_cpu_ns=cpu[SERVER_TO_CLIENT],
        flights=tuple(flights),
        ticket_bytes=ticket_bytes,
        negotiated_group=openssl.negotiated_group(client) or "",
    )


def endpoints(group_name: str, certificate: CertificateType | str, chain: int = 2) -> Endpoints:
    """Endpoints for ``group_name`` with a fresh chain of ``chain`` certificates."""
    kind = certificate_type(certificate) if isinstance(certificate, str) else certificate
    return Endpoints(group(group_name), build_chain(kind, chain))
