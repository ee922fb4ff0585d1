"""Child-process entry point: run hostile-input checks for one backend, streaming JSON lines.

``python -m pqc.conformance.child --backend B --algorithm A [--algorithm A2 ...]``
writes one JSON object per line to its original stdout: ``{"event": "case",
"algorithm", "group", "case"}`` before each case, ``{"event": "check", ...}``
after each group. Anything a native library prints goes to stderr (fd 1 is
pointed at fd 2), so it cannot corrupt the stream. A crash leaves the last
"case" line naming the input that killed the process.
"""

from __future__ import annotations

import argparse

from pqc.api import implementation
from pqc.conformance.child_stream import emit, protocol_stream
from pqc.conformance.hostile import run_hostile
from pqc.conformance.model import CheckResult
from pqc.jsondata import to_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pqc.conformance.child")
    parser.add_argument("--backend", required=True)
    parser.add_argument("--algorithm", action="append", required=True)
    parser.add_argument("--flips", type=int, default=None)
    args = parser.parse_args(argv)
    stream = protocol_stream()
    for name in args.algorithm:
        emit(stream, {"event": "algorithm", "algorithm": name})
        try:
            impl = implementation(name, args.backend)
        except Exception as exc:  # reported by the parent as a failing check
            emit(stream, {"event": "error", "algorithm": name,
                           "error": f"{type(exc).__name__}: {exc}"})
            continue

        def on_case(group: str, case: str, name: str = name) -> None:
            emit(stream, {"event": "case", "algorithm": name, "group": group, "case": case})

        def on_group(result: CheckResult) -> None:
            emit(stream, {"event": "check", "check": to_data(result)})

        run_hostile(impl, args.flips, on_case=on_case, on_group=on_group)
    emit(stream, {"event": "done"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
