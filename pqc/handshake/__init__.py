"""What a TLS-1.3-style handshake costs per suite: CPU from measured medians, bytes on the wire.

The arithmetic is the pure function :func:`handshake_cost` (model in
:mod:`pqc.handshake.cost`); :func:`costs_from_result` picks the medians out of
a bench result; :func:`pqc.handshake.measure.measure` times what is needed.
"""

from pqc.handshake.cost import DEFAULT_CHAIN, HandshakeCost, PartTimes, handshake_cost
from pqc.handshake.document import (
    HandshakeResult,
    handshake_document,
    model_definition,
    read_handshake,
    write_handshake,
)
from pqc.handshake.select import costs_from_result, part_times
from pqc.handshake.suites import ALL_SUITES, DEFAULT_SUITES, Suite, suite

__all__ = [
    "ALL_SUITES",
    "DEFAULT_CHAIN",
    "DEFAULT_SUITES",
    "HandshakeCost",
    "HandshakeResult",
    "PartTimes",
    "Suite",
    "costs_from_result",
    "handshake_cost",
    "handshake_document",
    "model_definition",
    "part_times",
    "read_handshake",
    "suite",
    "write_handshake",
]
