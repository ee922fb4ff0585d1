"""Hammer one shared implementation object from several threads and tally what went wrong.

Each thread loops until a deadline (or a round limit): a fresh key pair, then a
round trip with it (KEM: encaps to the public key, decaps with the secret key;
signature: sign, then verify). Afterwards the secret keys of all threads are
compared. A correct, shareable object gives no duplicate secret key, no failed
round trip and no exception.

Also a command line, to measure a backend for longer than a test does::

    python3 -m tests.backends.sharing ML-KEM-768 liboqs --seconds 8
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pqc
from pqc.backends.base import KEMImplementation, SignatureImplementation

MESSAGE = b"shared between threads"


@dataclass
class Tally:
    """What the threads saw: rounds, duplicate secret keys, failed round trips, exceptions."""

    rounds: int = 0
    duplicate_secret_keys: int = 0
    duplicate_public_keys: int = 0
    failed_round_trips: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def clean(self) -> bool:
        return not (
            self.duplicate_secret_keys
            or self.duplicate_public_keys
            or self.failed_round_trips
            or self.errors
        )

    def __str__(self) -> str:
        errors = ", ".join(f"{n} {name}" for name, n in self.errors.most_common()) or "none"
        return (
            f"{self.rounds} rounds: {self.duplicate_secret_keys} duplicate secret keys, "
            f"{self.duplicate_public_keys} duplicate public keys, "
            f"{self.failed_round_trips} failed round trips, errors: {errors}"
        )


def _round(impl: KEMImplementation | SignatureImplementation) -> tuple[bytes, bytes, bool]:
    public_key, secret_key = impl.keygen()
    if isinstance(impl, KEMImplementation):
        ciphertext, shared_secret = impl.encaps(public_key)
        ok = impl.decaps(secret_key, ciphertext) == shared_secret
    else:
        ok = impl.verify(public_key, MESSAGE, impl.sign(secret_key, MESSAGE))
    return public_key, secret_key, ok


def hammer(
    impl: KEMImplementation | SignatureImplementation,
    *,
    threads: int = 8,
    seconds: float = 1.0,
    max_rounds: int = 100_000,
) -> Tally:
    """Run ``threads`` threads on ``impl`` for ``seconds`` (at most ``max_rounds`` each)."""
    start = threading.Barrier(threads)
    lock = threading.Lock()
    tally = Tally()
    public_keys: list[bytes] = []
    secret_keys: list[bytes] = []

    def work() -> None:
        mine_pk: list[bytes] = []
        mine_sk: list[bytes] = []
        failed = 0
        errors: Counter[str] = Counter()
        start.wait()
        deadline = time.monotonic() + seconds
        while len(mine_sk) < max_rounds and time.monotonic() < deadline:
            try:
                public_key, secret_key, ok = _round(impl)
            except Exception as exc:  # any exception is a finding here
                errors[type(exc).__name__] += 1
                continue
            mine_pk.append(public_key)
            mine_sk.append(secret_key)
            failed += not ok
        with lock:
            public_keys.extend(mine_pk)
            secret_keys.extend(mine_sk)
            tally.failed_round_trips += failed
            tally.errors.update(errors)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    tally.rounds = len(secret_keys) + sum(tally.errors.values())
    tally.duplicate_secret_keys = len(secret_keys) - len(set(secret_keys))
    tally.duplicate_public_keys = len(public_keys) - len(set(public_keys))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("algorithm")
    parser.add_argument("backend", nargs="?")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    impl = pqc.api.implementation(args.algorithm, args.backend)
    tally = hammer(impl, threads=args.threads, seconds=args.seconds, max_rounds=10**9)
    print(f"{impl!r}, {args.threads} threads, {args.seconds} s: {tally}")


if __name__ == "__main__":
    main()
