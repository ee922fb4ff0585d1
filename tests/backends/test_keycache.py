"""KeyCache: the parsed key comes back, at most ``size`` are kept, and threads that miss
and evict at the same time neither raise nor get another key's value."""

from __future__ import annotations

import threading
import time

from pqc.backends.base import KeyCache


def test_hit_returns_the_parsed_value_without_parsing_again() -> None:
    calls: list[bytes] = []

    def parse(encoded: bytes) -> str:
        calls.append(encoded)
        return encoded.hex()

    cache: KeyCache[bytes, str] = KeyCache(parse, size=2)
    assert cache.get(b"\x01") == "01"
    assert cache.get(b"\x01") == "01"
    assert calls == [b"\x01"]


def test_keeps_at_most_size_keys_oldest_evicted_first() -> None:
    cache: KeyCache[bytes, str] = KeyCache(bytes.hex, size=2)
    for key in (b"\x01", b"\x02", b"\x03"):
        cache.get(key)
    assert len(cache) == 2
    assert "01" not in repr(cache) and repr(cache) == "<KeyCache 2 keys>"


def test_threads_missing_and_evicting_together() -> None:
    """A parse that releases the GIL makes threads interleave inside get()."""

    def parse(encoded: bytes) -> bytes:
        time.sleep(0.0002)
        return encoded[::-1]

    cache: KeyCache[bytes, bytes] = KeyCache(parse, size=2)
    keys = [bytes([i, 255 - i]) for i in range(24)]
    errors: list[BaseException] = []
    wrong: list[bytes] = []

    def work(offset: int) -> None:
        try:
            for round_ in range(60):
                key = keys[(offset + round_) % len(keys)]
                if cache.get(key) != key[::-1]:
                    wrong.append(key)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not wrong
    assert len(cache) <= 2
