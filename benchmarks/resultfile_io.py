"""Cost of the one reader and writer: a bench result of 81 cases x 600 samples, to and from text.

    PYTHONPATH=. python3 benchmarks/resultfile_io.py

Prints the median of 7 rounds (ms) for: the JSON parse alone (json.loads), the
whole typed read (parse + version map + every value checked against its type),
and the write (dataclasses to JSON data + the compact encoder), with the text's
size. One process, so the rounds share the machine's state; quote the load.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

from pqc.bench.results import BENCH
from tests.bench.conftest import lognormal, make_case, make_result

ROUNDS = 7


def _median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    ops = ("keygen", "encaps", "decaps")
    cases = [make_case(f"ALG-{i}", ops[i % 3], lognormal(50_000, 600, i)) for i in range(81)]
    result = make_result(cases)
    text = BENCH.dumps(result)
    assert BENCH.loads(text) == result
    print(f"{len(cases)} cases x 600 samples: {len(text) / 1e3:,.0f} kB of JSON; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"json.loads alone       {_median_ms(lambda: json.loads(text)):8.1f} ms")
    print(f"typed read (loads)     {_median_ms(lambda: BENCH.loads(text)):8.1f} ms")
    print(f"write (dumps)          {_median_ms(lambda: BENCH.dumps(result)):8.1f} ms")


if __name__ == "__main__":
    main()
