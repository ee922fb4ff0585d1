"""Run hostile-input checks in a child process, so a crash in native code cannot end the run.

:func:`run_child` runs any command that speaks the JSON-lines protocol of
:mod:`pqc.conformance.child`, with an idle timeout (no line for that long =
hang). :func:`hostile_in_child` runs one backend's algorithms; when the child
dies by a signal or hangs, the case it was running becomes a failing check
naming the signal (or the timeout), and a new child carries on with the
remaining algorithms.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pqc.conformance.model import CheckResult, Status
from pqc.jsondata import from_data

FAMILY = "hostile"
IDLE_TIMEOUT = 60.0  # seconds without a line from the child: treated as a hang


@dataclass
class ChildRun:
    """What one child process said and how it ended."""

    events: list[dict[str, Any]] = field(default_factory=list)
    returncode: int | None = None
    hung: bool = False
    stderr_tail: str = ""
    seconds: float = 0.0

    @property
    def signal_name(self) -> str | None:
        """The signal that killed the child (e.g. 'SIGSEGV'), or None."""
        if self.returncode is None or self.returncode >= 0:
            return None
        try:
            return signal.Signals(-self.returncode).name
        except ValueError:
            return f"signal {-self.returncode}"

    @property
    def last_case(self) -> dict[str, Any] | None:
        """The last case the child started (the one running when it died)."""
        for event in reversed(self.events):
            if event.get("event") in ("case", "algorithm"):
                return dict(event)
        return None


def _reader(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_child(argv: Sequence[str], idle_timeout: float = IDLE_TIMEOUT) -> ChildRun:
    """Run ``argv``, collecting its JSON lines; kill it after ``idle_timeout`` s of silence."""
    run = ChildRun()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=errors,
                                   stdin=subprocess.DEVNULL, text=True, encoding="utf-8")
        lines: queue.Queue[str | None] = queue.Queue()
        thread = threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True)
        thread.start()
        while True:
            try:
                line = lines.get(timeout=idle_timeout)
            except queue.Empty:
                run.hung = True
                process.kill()
                break
            if line is None:
                break
            try:
                run.events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        run.returncode = process.wait()
        thread.join(timeout=5)
        errors.seek(0)
        run.stderr_tail = errors.read()[-2000:].decode("utf-8", "replace")
    run.seconds = time.perf_counter() - start
    return run


def package_root() -> str:
    """The directory that holds the ``pqc`` package this process runs (its ``sys.path`` entry)."""
    return str(Path(__file__).resolve().parents[2])


def _bootstrap(root: str) -> str:
    """Code for ``python -P -c``: import pqc from ``root`` first, then run the child's main."""
    return (f"import sys; sys.path.insert(0, {root!r}); "
            "from pqc.conformance.child import main; sys.exit(main())")


def child_command(backend: str, algorithms: Sequence[str], flips: int | None = None) -> list[str]:
    """The command line that runs hostile checks for ``backend`` in a fresh interpreter.

    The child imports the same pqc as this process, whatever the working directory
    holds: ``-P`` keeps the working directory off ``sys.path`` (``-m`` would put it first,
    so a folder containing a ``pqc/`` directory would shadow the package), and the
    bootstrap puts this process's package root first.
    """
    argv = [sys.executable, "-P", "-c", _bootstrap(package_root()), "--backend", backend]
    for name in algorithms:
        argv += ["--algorithm", name]
    if flips is not None:
        argv += ["--flips", str(flips)]
    return argv


def crash_result(backend: str, run: ChildRun, idle_timeout: float) -> CheckResult:
    """The failing check for a child that died by a signal, hung, or exited abnormally."""
    last = run.last_case or {}
    algorithm = str(last.get("algorithm", "?"))
    where = f"{last.get('group', 'setup')}: {last.get('case', 'starting')}"
    if run.hung:
        how = f"hung: no progress for {idle_timeout:.0f} s (killed)"
    elif run.signal_name:
        how = f"crashed with {run.signal_name}"
    else:
        how = f"exited with status {run.returncode}"
    evidence = {"case": where, "returncode": run.returncode, "signal": run.signal_name,
                "hung": run.hung, "stderr_tail": run.stderr_tail[-500:]}
    return CheckResult(FAMILY, backend, algorithm, "child process", Status.FAIL,
                       f"{how} during {where}", evidence)


def results_of(backend: str, run: ChildRun) -> tuple[list[CheckResult], set[str]]:
    """Checks reported by the child, and the algorithms it finished."""
    results: list[CheckResult] = []
    finished: set[str] = set()
    current: str | None = None
    for event in run.events:
        kind = event.get("event")
        if kind == "algorithm":
            if current is not None:
                finished.add(current)
            current = str(event["algorithm"])
        elif kind == "check":
            results.append(from_data(CheckResult, event["check"]))
        elif kind == "error":
            results.append(CheckResult(FAMILY, backend, str(event["algorithm"]), "setup",
                                       Status.FAIL, str(event["error"]), {}))
        elif kind == "done" and current is not None:
            finished.add(current)
    return results, finished


def hostile_in_child(backend: str, algorithms: Sequence[str], flips: int | None = None,
                     idle_timeout: float = IDLE_TIMEOUT) -> list[CheckResult]:
    """Hostile checks for ``backend`` in child processes, restarting after a crash."""
    results: list[CheckResult] = []
    remaining = list(algorithms)
    while remaining:
        run = run_child(child_command(backend, remaining, flips), idle_timeout)
        got, finished = results_of(backend, run)
        results.extend(got)
        clean = run.returncode == 0 and not run.hung and any(
            e.get("event") == "done" for e in run.events)
        if clean:
            break
        crash = crash_result(backend, run, idle_timeout)
        results.append(crash)
        stopped_at = crash.algorithm
        if stopped_at not in remaining:  # died before naming an algorithm: give up on the rest
            break
        remaining = remaining[remaining.index(stopped_at) + 1:]
        remaining = [a for a in remaining if a not in finished]
    return results
