"""The link emulator: delay, seeded loss, rate and queue on known packet patterns, in the
arithmetic alone and through real descriptors (datagram socket pairs stand in for TUN
devices: both hand over one whole packet per read)."""

from __future__ import annotations

import socket
import time

import pytest

from pqc.tls.forwarder import BACKWARD, FORWARD, Forwarder, LinkModel, LinkSpec


def test_delay_alone_shifts_every_packet_by_the_one_way_delay() -> None:
    model = LinkModel(LinkSpec(delay_ms=25.0))
    assert [model.admit(FORWARD, 100, t) for t in (0.0, 0.001, 0.5)] == pytest.approx(
        [0.025, 0.026, 0.525]
    )


def test_rate_queues_packets_behind_each_other() -> None:
    model = LinkModel(LinkSpec(delay_ms=10.0, rate_kbit=8000))  # 1 byte per microsecond
    arrivals = [model.admit(FORWARD, 1000, 0.0) for _ in range(3)]
    assert arrivals == pytest.approx([0.011, 0.012, 0.013])
    assert model.admit(BACKWARD, 1000, 0.0) == pytest.approx(0.011)  # each way its own link


def test_a_full_queue_drops_the_tail() -> None:
    model = LinkModel(LinkSpec(rate_kbit=8, queue_limit=5))
    outcomes = [model.admit(FORWARD, 1000, 0.0) for _ in range(8)]
    assert sum(o is None for o in outcomes) == 3
    model.delivered(FORWARD)
    assert model.admit(FORWARD, 1000, 0.0) is not None


def test_loss_is_seeded_and_near_its_rate() -> None:
    def pattern(seed: int) -> list[bool]:
        model = LinkModel(LinkSpec(loss=0.1, seed=seed))
        lost = []
        for _ in range(5000):
            lost.append(model.admit(FORWARD, 60, 0.0) is None)
            if not lost[-1]:
                model.delivered(FORWARD)
        return lost

    first = pattern(7)
    assert first == pattern(7)  # same seed, same packets lost
    assert first != pattern(8)
    assert abs(sum(first) - 500) < 4 * (5000 * 0.1 * 0.9) ** 0.5  # within 4 sigma


def _pair() -> tuple[socket.socket, socket.socket]:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    b.setblocking(False)
    return a, b


def test_the_forwarder_delays_and_drops_real_packets_as_its_model_says() -> None:
    client, client_side = _pair()
    server, server_side = _pair()
    spec = LinkSpec(delay_ms=30.0, loss=0.3, seed=3)
    expected = LinkModel(spec)
    kept = [expected.admit(FORWARD, 10, 0.0) is not None for _ in range(40)]
    with Forwarder(client_side.fileno(), server_side.fileno(), spec):
        sent: dict[int, float] = {}
        for number in range(40):
            sent[number] = time.monotonic()
            client.send(number.to_bytes(2, "big") + bytes(8))
        server.settimeout(0.5)
        arrived: dict[int, float] = {}
        try:
            while True:
                packet = server.recv(100)
                arrived[int.from_bytes(packet[:2], "big")] = time.monotonic()
        except TimeoutError:
            pass
    assert sorted(arrived) == [n for n, keep in enumerate(kept) if keep]
    delays = [arrived[n] - sent[n] for n in arrived]
    assert min(delays) >= 0.030
    assert max(delays) < 0.030 + 0.2  # the thread's scheduling slack on a busy machine
    for item in (client, client_side, server, server_side):
        item.close()


def test_the_forwarder_carries_both_ways() -> None:
    client, client_side = _pair()
    server, server_side = _pair()
    with Forwarder(client_side.fileno(), server_side.fileno(), LinkSpec(delay_ms=1.0)) as link:
        server.send(b"reply")
        client.settimeout(1.0)
        assert client.recv(100) == b"reply"
        assert link.counts(BACKWARD)[:2] == (1, 0)
    for item in (client, client_side, server, server_side):
        item.close()


def test_impossible_links_are_refused() -> None:
    for bad in ({"loss": 1.0}, {"delay_ms": -1.0}, {"rate_kbit": -5}):
        with pytest.raises(ValueError):
            LinkSpec(**bad)  # type: ignore[arg-type]
