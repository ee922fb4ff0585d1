"""Starting worker processes and reading their events, with a timeout for hangs.

A worker is a fresh interpreter started as ``python -P -c BOOT PATHS FD``:

- ``-P`` keeps the working directory (or a script's folder) off ``sys.path``,
  and ``BOOT`` sets ``sys.path`` to the folder holding the parent's pqc
  followed by the parent's own path less its working-directory entries, so
  the worker imports the very pqc package (and backends) the parent runs,
  even when the working directory holds a folder named ``pqc`` (``python -m``
  would put it first); the worker's ``hello`` names its package folder and the
  parent checks it;
- stdout goes to /dev/null and stderr to a temporary file (its tail explains a
  crash), so nothing a library prints reaches the user's terminal;
- a new session, so the terminal's Ctrl-C reaches only the parent, which
  then kills the worker;
- events come back as JSON lines on a pipe (``FD``), never pickles.

:func:`events` yields a worker's events and ends with a :class:`WorkerEnd`
saying how it ended: finished, died (exit status or signal, stderr tail) or
hung (no event for ``timeout`` seconds once it has said hello, or for
:data:`START_TIMEOUT` before that; killed).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pqc

BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from pqc.bench.worker import main; raise SystemExit(main(sys.argv[2:]))"
)

EXIT_GRACE = 10.0  # seconds a worker that said "done" may take to exit
STOP_GRACE = 5.0
"""Seconds a worker asked to stop (Ctrl-C) may take to report what it timed and say done."""
START_TIMEOUT = 60.0  # seconds a worker may take to start (import pqc) before its hello

WorkerCommand = Callable[[int], Sequence[str]]
"""Builds a worker's command line given the descriptor of the pipe it reports on."""


def package_folder() -> str:
    """The folder of the pqc package this process runs (what a worker must also run)."""
    return os.path.dirname(pqc.__file__)


def worker_path() -> list[str]:
    """The worker's ``sys.path``: this pqc's root first, then this process's path without
    the working-directory entries ('' or the cwd itself) that ``-m``/``-c`` put there."""
    root = os.path.dirname(package_folder())
    cwd = os.getcwd()
    rest = [entry for entry in sys.path if entry not in ("", ".", cwd, root)]
    return [root, *rest]


def worker_command(fd: int) -> list[str]:
    """The command line of a pqc worker reporting on descriptor ``fd``."""
    return [sys.executable, "-P", "-c", BOOT, json.dumps(worker_path()), str(fd)]


@dataclass(frozen=True)
class WorkerEnd:
    """How a worker ended: ``finished`` (said done), else died or ``hung``.

    ``returncode`` is the exit status (negative: killed by that signal);
    ``stderr_tail`` the last part of what it wrote on stderr.
    """

    finished: bool
    hung: bool
    returncode: int | None
    stderr_tail: str
    timeout: float

    def describe(self) -> str:
        """One phrase: 'hung (no result for 60 s; killed)', 'crashed with SIGSEGV', ..."""
        if self.hung:
            return f"hung (no result for {self.timeout:g} s; killed)"
        code = self.returncode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            how = f"crashed with {name}"
        else:
            how = f"exited with status {code}"
        last = self.stderr_tail.strip().splitlines()[-1:] if self.stderr_tail.strip() else []
        return how + (f" ({last[0][:200]})" if last else "")


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def events(
    job: dict[str, Any],
    *,
    timeout: float,
    command: WorkerCommand = worker_command,
) -> Generator[dict[str, Any] | WorkerEnd, None, None]:
    """Start a worker on ``job`` and yield its events, then one :class:`WorkerEnd`.

    A line that is not a JSON object is ignored. Closing the generator early
    kills the worker. A KeyboardInterrupt while waiting, or thrown in at a
    ``yield`` (``generator.throw``, by a caller interrupted between events),
    asks the worker to stop (SIGUSR1): the generator goes on yielding what the
    worker reports for up to :data:`STOP_GRACE` seconds, then the
    :class:`WorkerEnd`, and then raises KeyboardInterrupt. A second one kills
    the worker at once.
    """
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                list(command(write_fd)),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                pass_fds=(write_fd,),
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
        finished = hung = False
        deadline: float | None = None  # set once the worker was asked to stop

        def stop() -> float:
            if deadline is not None:
                raise KeyboardInterrupt  # the second Ctrl-C: kill it (below)
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGUSR1)
            return time.monotonic() + STOP_GRACE

        try:
            assert process.stdin is not None
            try:
                process.stdin.write(json.dumps(job).encode("utf-8"))
                process.stdin.close()
            except BrokenPipeError:
                pass  # it died at once; its exit status says why
            buffer = b""
            started = False
            while not finished:
                wait = timeout if started else max(timeout, START_TIMEOUT)
                if deadline is not None:
                    wait = max(0.0, deadline - time.monotonic())
                try:
                    ready, _, _ = select.select([read_fd], [], [], wait)
                except KeyboardInterrupt:
                    deadline = stop()
                    continue
                if not ready:
                    hung = deadline is None
                    _kill(process)
                    break
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    event = _parse(line)
                    if event is not None:
                        started = True
                        finished = finished or event.get("event") == "done"
                        try:
                            yield event
                        except KeyboardInterrupt:
                            deadline = stop()
        finally:
            if not finished:
                _kill(process)
            try:
                returncode = process.wait(timeout=EXIT_GRACE)
            except subprocess.TimeoutExpired:  # said done but does not exit
                _kill(process)
                returncode = process.wait()
            os.close(read_fd)
        errors.seek(0)
        tail = errors.read()[-2000:].decode("utf-8", "replace")
    yield WorkerEnd(finished, hung, returncode, tail, timeout)
    if deadline is not None:
        raise KeyboardInterrupt


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return event if isinstance(event, dict) else None


def same_package(folder: object) -> bool:
    """Whether a worker's reported package folder is this process's pqc."""
    try:
        return Path(str(folder)).resolve() == Path(package_folder()).resolve()
    except OSError:
        return False
