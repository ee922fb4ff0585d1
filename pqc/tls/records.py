"""TLS record framing: count the records in what one side wrote (RFC 8446 section 5.1).

Every TLS record is a 5-byte header (content type, legacy version, length)
followed by ``length`` bytes; a flight is what one side writes before it waits
for the other. Splitting a byte stream on record headers is how the driver
counts records, and the tests check the records add up to the bytes moved.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = 5
CLIENT_TO_SERVER = "client->server"
SERVER_TO_CLIENT = "server->client"


@dataclass(frozen=True)
class Flight:
    """What one side sent in one go: direction, bytes (headers included) and records."""

    direction: str
    bytes: int
    records: int


def record_lengths(stream: bytes) -> tuple[int, ...]:
    """The length of each whole record (header included) in ``stream``.

    Raises ValueError when ``stream`` does not end on a record boundary.
    """
    lengths: list[int] = []
    position = 0
    while position < len(stream):
        if position + HEADER > len(stream):
            raise ValueError(f"a partial record header at byte {position} of {len(stream)}")
        size = HEADER + int.from_bytes(stream[position + 3 : position + 5], "big")
        if position + size > len(stream):
            raise ValueError(f"a record at byte {position} runs past the end of the data")
        lengths.append(size)
        position += size
    return tuple(lengths)


def flight(direction: str, stream: bytes) -> Flight:
    return Flight(direction=direction, bytes=len(stream), records=len(record_lengths(stream)))
