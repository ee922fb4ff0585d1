"""A link emulator between two packet file descriptors: delay, seeded loss, a rate limit.

The kernel here has no ``netem`` qdisc, so delay and loss are imposed in user
space: every IP packet one TUN device hands up is read, dropped with
probability ``loss`` (a seeded generator per direction, so a run is
repeatable), queued behind the packets before it at ``rate_kbit`` (a
serialisation delay, as a bottleneck link adds), delayed by ``delay_ms`` (half
the round-trip time) and written to the other TUN device. Packets beyond
``queue_limit`` waiting in one direction are dropped (a tail-drop queue).

:class:`LinkModel` is the arithmetic alone (testable without devices);
:class:`Forwarder` runs it on two file descriptors in a thread (a timer heap
and ``select``). Any descriptor that delivers whole packets per read works
(a TUN device without packet information, a datagram socket).
"""

from __future__ import annotations

import contextlib
import heapq
import os
import random
import select
import threading
import time
from dataclasses import dataclass, field

FORWARD = 0  # first descriptor -> second (client -> server)
BACKWARD = 1  # second -> first (server -> client)
_MAX_PACKET = 65536


@dataclass(frozen=True)
class LinkSpec:
    """One-way delay (ms), per-packet loss each way (0-1), rate each way (kbit/s, 0 = none)."""

    delay_ms: float = 0.0
    loss: float = 0.0
    rate_kbit: int = 0
    queue_limit: int = 1000
    seed: int = 1

    def __post_init__(self) -> None:
        if self.delay_ms < 0 or not 0 <= self.loss < 1 or self.rate_kbit < 0:
            raise ValueError("delay >= 0, 0 <= loss < 1 and rate >= 0 are required")


@dataclass
class _Direction:
    rng: random.Random
    busy_until: float = 0.0
    waiting: int = 0
    packets: int = 0
    dropped: int = 0
    bytes: int = 0


@dataclass
class LinkModel:
    """When each packet arrives (or None: dropped), per direction; times in seconds."""

    spec: LinkSpec
    _directions: tuple[_Direction, _Direction] = field(init=False)

    def __post_init__(self) -> None:
        self._directions = (
            _Direction(random.Random(f"{self.spec.seed}/forward")),
            _Direction(random.Random(f"{self.spec.seed}/backward")),
        )

    def admit(self, direction: int, size: int, now: float) -> float | None:
        """The arrival time of a ``size``-byte packet sent at ``now``, or None when dropped."""
        state = self._directions[direction]
        state.packets += 1
        if state.rng.random() < self.spec.loss or state.waiting >= self.spec.queue_limit:
            state.dropped += 1
            return None
        start = max(now, state.busy_until)
        if self.spec.rate_kbit:
            start += size * 8 / (self.spec.rate_kbit * 1000.0)
        state.busy_until = start
        state.waiting += 1
        state.bytes += size
        return start + self.spec.delay_ms / 1000.0

    def delivered(self, direction: int) -> None:
        self._directions[direction].waiting -= 1

    def counts(self, direction: int) -> tuple[int, int, int]:
        """(packets seen, packets dropped, bytes passed) in ``direction``."""
        state = self._directions[direction]
        return state.packets, state.dropped, state.bytes


class Forwarder:
    """Move packets between ``first`` and ``second`` through a :class:`LinkModel`, in a thread.

    Use as a context manager; :meth:`stop` ends the thread. Descriptors are
    not closed here (their owner closes them).
    """

    def __init__(self, first: int, second: int, spec: LinkSpec) -> None:
        self.model = LinkModel(spec)
        self._fds = (first, second)
        self._wake_read, self._wake_write = os.pipe()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pqc-link", daemon=True)
        self._lock = threading.Lock()
        self.error: BaseException | None = None

    def __enter__(self) -> Forwarder:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        os.write(self._wake_write, b"x")
        self._thread.join(timeout=5)
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)

    def counts(self, direction: int) -> tuple[int, int, int]:
        with self._lock:
            return self.model.counts(direction)

    def _loop(self) -> None:
        first, second = self._fds
        outputs = {first: (FORWARD, second), second: (BACKWARD, first)}
        pending: list[tuple[float, int, int, int, bytes]] = []
        sequence = 0
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                while pending and pending[0][0] <= now:
                    _, _, direction, target, packet = heapq.heappop(pending)
                    with self._lock:
                        self.model.delivered(direction)
                    with contextlib.suppress(OSError):  # device gone or full: packet lost
                        os.write(target, packet)
                timeout = max(0.0, pending[0][0] - now) if pending else 0.5
                ready, _, _ = select.select([first, second, self._wake_read], [], [], timeout)
                now = time.monotonic()
                for fd in ready:
                    if fd == self._wake_read:
                        continue
                    try:
                        packet = os.read(fd, _MAX_PACKET)
                    except BlockingIOError:
                        continue
                    direction, target = outputs[fd]
                    with self._lock:
                        due = self.model.admit(direction, len(packet), now)
                    if due is not None:
                        sequence += 1
                        heapq.heappush(pending, (due, sequence, direction, target, packet))
        except BaseException as exc:  # reported by the owner; the thread must not die silently
            self.error = exc
