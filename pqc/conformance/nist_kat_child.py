"""Child-process entry point: reproduce one backend's NIST KAT digests, as JSON lines.

``python -m pqc.conformance.nist_kat_child --backend B --kem NAME --signature NAME ...``
(names are the backend's own). The backend's ``kat_operations`` redirects the library's
randomness for the whole process, which is why this runs in a process of its own. One
``{"event": "kat", ...}`` line per algorithm, ``{"event": "error", ...}`` when one could
not run, and ``{"event": "done"}`` at the end; anything a library prints goes to stderr.
"""

from __future__ import annotations

import argparse
import time

from pqc.backends import backend_capabilities
from pqc.conformance.child_stream import emit, protocol_stream
from pqc.conformance.nist_kat import reproduce


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pqc.conformance.nist_kat_child")
    parser.add_argument("--backend", required=True)
    parser.add_argument("--kem", action="append", default=[])
    parser.add_argument("--signature", action="append", default=[])
    args = parser.parse_args(argv)
    stream = protocol_stream()
    kats = backend_capabilities(args.backend).published_kats
    if kats is None:
        parser.error(f"backend {args.backend!r} publishes no known-answer digests")
    data_file, operations = kats.digests, kats.operations
    jobs = [("kem", n) for n in args.kem] + [("signature", n) for n in args.signature]
    for kind, name in jobs:
        emit(stream, {"event": "case", "algorithm": name, "group": "nist-kat", "case": kind})
        start = time.perf_counter()
        try:
            result = reproduce(data_file, kind, name, operations(kind, name))
        except Exception as exc:  # reported by the parent as a failing check
            emit(stream, {"event": "error", "algorithm": name,
                           "error": f"{type(exc).__name__}: {exc}"})
            continue
        emit(stream, {"event": "kat", "kind": kind, "algorithm": name,
                       "sha256": result.sha256, "expected": result.expected,
                       "round_trip": result.round_trip,
                       "seconds": round(time.perf_counter() - start, 3)})
    emit(stream, {"event": "done"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
