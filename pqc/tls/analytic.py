"""Round trips a handshake needs at TCP's initial window, from its real flight sizes.

The view (RFC 6928 initial window, slow start without loss, one server flight
at a time): TCP's own handshake is one round trip; the ClientHello goes out
with the client's ACK; the server's flight (ServerHello .. Finished) is
``ceil(bytes / mss)`` segments, sent ``initial_window`` segments in the first
round trip and twice as many in each further one as ACKs return. The client
is done when the last server segment arrives and it has sent its Finished, so
completion needs ``2 + extra`` round trips, where ``extra`` is how many
round trips beyond the first the server flight takes. A rate limit adds each
flight's serialisation time.
"""

from __future__ import annotations

import math

from pqc.tls.records import SERVER_TO_CLIENT, Flight

INITIAL_WINDOW = 10  # segments, RFC 6928
MSS = 1448  # bytes: 1500 MTU - 20 IPv4 - 20 TCP - 12 timestamp option


def server_flight_round_trips(
    size: int, *, mss: int = MSS, initial_window: int = INITIAL_WINDOW
) -> int:
    """Round trips slow start needs to deliver ``size`` bytes from a fresh connection (>= 1)."""
    segments = max(1, math.ceil(size / mss))
    rounds, window, sent = 0, initial_window, 0
    while sent < segments:
        sent += window
        window *= 2
        rounds += 1
    return rounds


def handshake_round_trips(flights: tuple[Flight, ...], **window: int) -> int:
    """Round trips until the client is done: TCP's 1, then the first server flight's."""
    server = next((f.bytes for f in flights if f.direction == SERVER_TO_CLIENT), 0)
    return 1 + server_flight_round_trips(server, **window)


def handshake_ms(flights: tuple[Flight, ...], rtt_ms: float, rate_kbit: int = 0) -> float:
    """The analytic completion time: round trips x RTT, plus serialisation at ``rate_kbit``."""
    total = handshake_round_trips(flights) * rtt_ms
    if rate_kbit:
        sent = sum(f.bytes for f in flights[:2])  # ClientHello and the server flight
        total += sent * 8 / rate_kbit  # bytes * 8 / (kbit/s) = ms
    return total
