"""A worker process: one run of a bench, in passes over the cases, results over a pipe.

The parent (:mod:`pqc.bench.workers`) starts a fresh interpreter, writes one
JSON job on its stdin and reads JSON lines from a pipe whose descriptor it
passes as the only argument. Nothing goes to the worker's stdout (the parent
points it at /dev/null, so a library's debug output cannot reach the user's
terminal or the protocol).

The run makes ``settings.passes`` passes over the cases in the job's order
and times one slice of each case per pass (:class:`~pqc.bench.engine.CaseTimer`:
the first slice also prepares inputs and warms up), so each case's samples are
spread over the whole run instead of one stretch of it. A machine whose speed
flips every few seconds (a shared VM: a sibling hyperthread busy or not) then
weighs on every case of the run alike, and each slice has the drift monitor's
reference time right before and after it, a few milliseconds away: the run's
speed-adjusted value of a case is the geometric mean over its slices of the
slice's median divided by the geometric mean of those two reference times.
Each slice after the first starts after every other case ran: its first call
may find the caches cold, as a call in an application that does other work
would; the median is insensitive to one such call.

Events, one JSON object a line:

- ``{"event": "hello", "pqc": <path of the pqc package>, "version": ...}``
- ``{"event": "probe", "ns": ...}``: the drift monitor (one timing of the
  reference workload) before each slice and after the last;
- ``{"event": "start", "case": i, "pass": k}``: slice ``k`` of case ``i`` is being timed;
- ``{"event": "case", "case": i, "result": {...}, "slices": [...]}``: after the
  case's last slice and the probe after it, the
  :class:`~pqc.bench.results.CaseResult` as JSON data (:mod:`pqc.jsondata`)
  and one ``[samples, median_ns, probe_before_ns, probe_after_ns]`` per slice;
- ``{"event": "skip", "case": i, "reason": ...}``: inputs could not be prepared
  (a :class:`~pqc.errors.PQCError`) or the backend raised something else;
- ``{"event": "done"}``.

Only plain JSON values cross the pipe (the job's settings and each result
through :mod:`pqc.jsondata`, checked against the types on the way in),
never pickled objects. Ctrl-C is the parent's to handle: the worker ignores
SIGINT. On Ctrl-C the parent sends SIGUSR1: at the end of the slice under way
the worker takes a last probe, reports every case it has samples of
(``complete: false``) and says done; the parent kills it if that takes longer
than :data:`pqc.bench.workers.STOP_GRACE` seconds.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

import pqc
from pqc.bench.cases import CaseSpec, Workload
from pqc.bench.drift import probe
from pqc.bench.engine import CaseTimer
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


STOP = threading.Event()
"""Set by SIGUSR1: the parent asks for what has been timed (Ctrl-C)."""


def _request_stop(signum: int, frame: FrameType | None) -> None:
    STOP.set()


def new_timer(spec: CaseSpec, workload: Workload, settings: Settings) -> CaseTimer:
    """The timer of one case in this run (a seam for tests' misbehaving workers)."""
    return CaseTimer(spec, workload, settings, settings.passes)


class _Case:
    """One case of the run: its timer and, per slice, the probes around it."""

    def __init__(self, timer: CaseTimer) -> None:
        self.timer = timer
        self.slices: list[list[float | int | None]] = []


def run_job(job: dict[str, Any], report: _Reporter) -> None:
    """Time the job's cases in ``job["order"]``, ``settings.passes`` times over, reporting."""
    settings = from_data(Settings, job["settings"], "settings")
    cases = [tuple(item) for item in job["cases"]]
    drift = bool(job.get("drift", True))
    workloads: dict[tuple[str, str], Workload] = {}
    running: dict[int, _Case] = {}
    timed: int | None = None  # the case whose slice was just timed, waiting for its probe
    report("hello", pqc=os.path.dirname(pqc.__file__), version=pqc.__version__, pid=os.getpid())

    def send(index: int, *, complete: bool = True) -> None:
        """Report case ``index`` with its slices, and forget it."""
        case = running.pop(index)
        result = to_data(case.timer.result(complete=complete))
        report("case", case=index, result=result, slices=case.slices)

    def probe_and_close() -> int | None:
        """A probe (when drift is watched) that closes the slice just timed; report that
        slice's case if it was its last."""
        reference = probe(1) if drift else None
        if reference is not None:
            report("probe", ns=reference)
        case = running.get(timed) if timed is not None else None
        if timed is not None and case is not None:
            case.slices[-1][3] = reference
            if case.timer.finished:
                send(timed)
        return reference

    for pass_number in range(max(1, settings.passes)):
        if STOP.is_set():
            break
        for index in job["order"]:
            if STOP.is_set():
                break
            if pass_number and index not in running:
                continue  # skipped in the first pass
            waiting = running.get(index)
            if waiting is not None and waiting.timer.next_is_empty():
                waiting.timer.skip_slice()  # a slow case: no samples, no probe
                if waiting.timer.finished and timed != index:
                    send(index)
                continue
            reference = probe_and_close()
            timed = None
            report("start", case=index, **{"pass": pass_number})
            try:
                case = running.get(index)
                if case is None:
                    algorithm, backend, op = cases[index]
                    spec = CaseSpec(lookup(algorithm), backend, op)
                    key = (spec.algorithm.name, backend)
                    workload = workloads.get(key) or Workload.for_settings(spec, settings)
                    workloads[key] = workload
                    case = running[index] = _Case(new_timer(spec, workload, settings))
                piece = case.timer.time_slice()
            except PQCError as exc:
                running.pop(index, None)
                report("skip", case=index, reason=str(exc))
                continue
            except Exception as exc:  # a backend's own exception type: that case failed
                running.pop(index, None)
                report("skip", case=index, reason=f"{type(exc).__name__}: {exc}")
                continue
            case.slices.append([piece.samples, piece.median_ns, reference, None])
            timed = index
    probe_and_close()
    for index, case in list(running.items()):  # only when stopped early
        if case.timer.samples:
            send(index, complete=False)
    report("done")


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``argv[0]`` is the descriptor of the pipe to report on."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, _request_stop)
    with os.fdopen(int(args[-1]), "w", encoding="utf-8") as stream:
        report = _Reporter(stream)
        try:
            run_job(json.loads(sys.stdin.read()), report)
        except BrokenPipeError:
            return 1  # the parent went away; nobody is listening
    return 0
