"""A worker process: one run of a bench, the cases in the order given, results over a pipe.

The parent (:mod:`pqc.bench.workers`) starts a fresh interpreter, writes one
JSON job on its stdin and reads JSON lines from a pipe whose descriptor it
passes as the only argument. Nothing goes to the worker's stdout (the parent
points it at /dev/null, so a library's debug output cannot reach the user's
terminal or the protocol). Events, one JSON object a line:

- ``{"event": "hello", "pqc": <path of the pqc package>, "version": ...}``
- ``{"event": "probe", "ns": ...}``: the drift monitor, before each case and after the last;
- ``{"event": "start", "case": i}``: case ``i`` of the job is being timed;
- ``{"event": "case", "case": i, "result": {...}}``: the
  :class:`~pqc.bench.results.CaseResult` as JSON data (:mod:`pqc.jsondata`);
- ``{"event": "skip", "case": i, "reason": ...}``: inputs could not be prepared
  (a :class:`~pqc.errors.PQCError`) or the backend raised something else;
- ``{"event": "done"}``.

Only plain JSON values cross the pipe (the job's settings and each result
through :mod:`pqc.jsondata`, checked against the types on the way in),
never pickled objects. Ctrl-C is the
parent's to handle: the worker ignores SIGINT and is killed by the parent.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any, TextIO

import pqc
from pqc.bench.cases import CaseSpec, Workload
from pqc.bench.drift import probe
from pqc.bench.engine import time_case
from pqc.bench.results import Settings
from pqc.catalog import lookup
from pqc.errors import PQCError
from pqc.jsondata import from_data, to_data


class _Reporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: str, **data: Any) -> None:
        self.stream.write(json.dumps({"event": event, **data}) + "\n")
        self.stream.flush()


def run_job(job: dict[str, Any], report: _Reporter) -> None:
    """Time the job's cases in ``job["order"]``, reporting each event."""
    settings = from_data(Settings, job["settings"], "settings")
    cases = [tuple(item) for item in job["cases"]]
    drift = bool(job.get("drift", True))
    workloads: dict[tuple[str, str], Workload] = {}
    report("hello", pqc=os.path.dirname(pqc.__file__), version=pqc.__version__, pid=os.getpid())
    for index in job["order"]:
        algorithm, backend, op = cases[index]
        if drift:
            report("probe", ns=probe())
        report("start", case=index)
        try:
            spec = CaseSpec(lookup(algorithm), backend, op)
            key = (spec.algorithm.name, backend)
            workload = workloads.get(key) or Workload.for_settings(spec, settings)
            workloads[key] = workload
            result = time_case(spec, workload, settings)
        except PQCError as exc:
            report("skip", case=index, reason=str(exc))
            continue
        except Exception as exc:  # a backend's own exception type: that case failed, not the run
            report("skip", case=index, reason=f"{type(exc).__name__}: {exc}")
            continue
        report("case", case=index, result=to_data(result))
    if drift:
        report("probe", ns=probe())
    report("done")


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``argv[0]`` is the descriptor of the pipe to report on."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with os.fdopen(int(args[-1]), "w", encoding="utf-8") as stream:
        report = _Reporter(stream)
        try:
            run_job(json.loads(sys.stdin.read()), report)
        except BrokenPipeError:
            return 1  # the parent went away; nobody is listening
    return 0
