"""Instructions per operation, counted with valgrind's callgrind: exact and repeatable.

Two counts per operation, each the median (and min, max) over a few calls:

- ``call``: the whole call as a Python user makes it (``impl.encaps(pk)``:
  pqc's checks, the binding, the library), minus the instructions of calling
  an empty Python function with the same arguments in the same loop;
- ``library``: only inside the native library: the inclusive instructions of
  the calls into the entry functions the backend declares
  (``CAPABILITIES.native_entry_symbols``: liboqs ``OQS_KEM_*``/``OQS_SIG_*``,
  OpenSSL's EVP functions inside cryptography's extension, GmSSL's
  ``sm2_*``/``sm9_*``), from callers outside them -- what collection toggled
  on those functions counts. None for pure Python, and for pqcrypto, whose
  extension is stripped; ``note`` says why.

``call - library`` is the binding's own cost (Python, pqc, the wrapper).

How: a child Python runs the calls under ``valgrind --tool=callgrind`` and,
between calls, calls ``math.gcd(2, 4)``, whose C function ``_PyLong_GCD``
triggers a dump (``--dump-before``): each dump holds exactly one segment,
with its call graph, from which the library's share is read. (Toggling
collection on the entry functions instead loses track where liboqs's
functions end in tail jumps: with two toggled functions, every second one
counted zero.)
The child runs with ``PYTHONHASHSEED=0`` and the garbage collector off.
On x86-64 Linux valgrind starts with instrumentation off (``--instr-atstart=no``,
about ten times faster through Python's start-up and imports) and the child
switches it on just before its first call with callgrind's client request
``CALLGRIND_START_INSTRUMENTATION`` (the machine-code sequence valgrind.h
defines, run from an executable page; a no-op outside valgrind).
Counts are the same run after run for the same inputs (fixed keys from
seeds where the backend takes seeds); where an operation draws randomness
inside (ML-KEM key generation samples its matrix from a fresh seed, ML-DSA
signing rejects and retries) they vary within that operation's own range,
which min and max show. Load on the machine does not change them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from pqc.errors import BackendUnavailableError, PQCError

# valgrind.h's client-request sequence for amd64, as a function of one argument (rdi:
# the request block; rdx: the default result, returned): mov rax,rdi; xor edx,edx;
# rol rdi,3; rol rdi,13; rol rdi,61; rol rdi,51; xchg rbx,rbx; mov rax,rdx; ret
_CLIENT_REQUEST_AMD64 = bytes.fromhex(
    "4889f8" "31d2" "48c1c703" "48c1c70d" "48c1c73d" "48c1c733" "4887db" "4889d0" "c3"
)
START_INSTRUMENTATION = 0x43540004  # VG_USERREQ_TOOL_BASE('C','T') + 4 (callgrind.h)
MARKER_SYMBOL = "_PyLong_GCD"  # what math.gcd(2, 4) calls; nothing else in the loop does
DEFAULT_CALLS = 5
MESSAGE = b"\x5a" * 32
VALGRIND_FIX = "apt-get install valgrind"


class InstructionCountError(PQCError):
    """Instruction counting could not run (valgrind missing or failing)."""


@dataclass(frozen=True)
class Counts:
    """Instructions per call over ``calls`` calls: median, min, max."""

    median: float
    min: int
    max: int
    calls: int


@dataclass(frozen=True)
class Instructions:
    """One operation's instruction counts: the whole call, and inside the native library."""

    call: Counts | None
    library: Counts | None
    library_symbols: tuple[str, ...] = ()
    note: str | None = None

    @property
    def binding(self) -> float | None:
        """Median instructions outside the library: ``call.median - library.median``."""
        if self.call is None or self.library is None:
            return None
        return self.call.median - self.library.median


@dataclass(frozen=True)
class Target:
    """One operation to count: algorithm, backend, operation name."""

    algorithm: str
    backend: str
    op: str


def valgrind_missing() -> str | None:
    """None when valgrind is installed; otherwise a one-line reason with the fix."""
    if shutil.which("valgrind") is None:
        return f"valgrind is not installed; install it with: {VALGRIND_FIX}"
    return None


def _client_request() -> Callable[[int], int] | None:
    """A callable issuing one valgrind client request, where this machine allows it."""
    import ctypes
    import mmap
    import platform

    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None
    try:
        page = mmap.mmap(
            -1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC
        )
    except (OSError, ValueError, AttributeError):  # W^X policies refuse executable pages
        return None
    page.write(_CLIENT_REQUEST_AMD64)
    function = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)(
        ctypes.addressof(ctypes.c_char.from_buffer(page))
    )

    def request(code: int) -> int:
        block = (ctypes.c_uint64 * 6)(code, 0, 0, 0, 0, 0)
        return int(function(block))

    request.page = page  # type: ignore[attr-defined]  # keep the page mapped
    return request


def summarise(values: Sequence[int]) -> Counts:
    """Median, min and max of per-call counts."""
    return Counts(float(statistics.median(values)), min(values), max(values), len(values))


# ---------------------------------------------------------------- parent side
def entry_points(algorithm: str, backend: str) -> tuple[tuple[str, ...], str | None]:
    """The entry-function patterns of this implementation's library, and why when none.

    A backend declares them in ``CAPABILITIES.native_entry_symbols``; a composite
    (a hybrid) has those of its components' backends together.
    """
    from pqc.api import implementation
    from pqc.backends import backend_module

    impl = implementation(algorithm, backend)
    parts = getattr(impl, "components", None) or (impl,)
    symbols: dict[str, None] = {}
    notes: list[str] = []
    for part in parts:
        module = backend_module(part.backend)
        declared = tuple(module.CAPABILITIES.native_entry_symbols)
        symbols.update(dict.fromkeys(declared))
        if not declared:
            note = getattr(module, "NATIVE_ENTRY_NOTE", None)
            if note is None and part.language == "pure Python":
                note = "pure Python: no native library, the whole call is the implementation"
            prefix = f"{part.name} ({part.backend}): " if len(parts) > 1 else ""
            notes.append(prefix + (note or f"backend {part.backend} declares no entry symbols"))
    return tuple(symbols), "; ".join(notes) or None


CHILD = ("-m", "pqc.bench.instructions")
"""The child's Python arguments before the plan's path (a test may put a double there)."""


def count(
    targets: Iterable[Target],
    calls: int = DEFAULT_CALLS,
    *,
    timeout: float = 1800.0,
    child: Sequence[str] = CHILD,
) -> dict[Target, Instructions]:
    """Count ``calls`` calls of each target, both ways (see the module docstring).

    One valgrind run for all targets; ``child`` is what the interpreter under
    valgrind runs, given the plan's path (default: this module's
    :func:`child`). Raises :class:`InstructionCountError` when valgrind is
    missing or the child fails.
    """
    missing = valgrind_missing()
    if missing:
        raise InstructionCountError(missing)
    wanted = list(dict.fromkeys(targets))
    symbols: dict[Target, tuple[str, ...]] = {}
    notes: dict[Target, str | None] = {}
    for target in wanted:
        symbols[target], notes[target] = entry_points(target.algorithm, target.backend)
    labels, dumps = _run_child(wanted, calls, timeout, child)
    segments = [
        Segment(total, library_share(calls_by_function, symbols[wanted[index]]))
        if index >= 0
        else Segment(total, 0)
        for (index, _), (total, calls_by_function) in zip(labels, dumps, strict=True)
    ]
    measured = assign(labels, segments, wanted)
    return {
        target: Instructions(
            call=measured[target][0],
            library=measured[target][1] if symbols[target] else None,
            library_symbols=symbols[target],
            note=notes[target],
        )
        for target in wanted
    }


class _Case(Protocol):
    """What :func:`add_to_cases` reads of a case (a :class:`pqc.bench.results.CaseResult`)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def algorithm(self) -> str: ...
    @property
    def backend(self) -> str: ...
    @property
    def op(self) -> str: ...


CaseT = TypeVar("CaseT", bound=_Case)


def add_to_cases(cases: Sequence[CaseT], calls: int = DEFAULT_CALLS) -> list[CaseT]:
    """``cases`` (frozen dataclasses) with their ``instructions`` filled in (one valgrind run)."""
    import dataclasses

    targets = [Target(c.algorithm, c.backend, c.op) for c in cases]
    counted = count(targets, calls)
    return [
        dataclasses.replace(case, instructions=counted[target])
        for case, target in zip(cases, targets, strict=True)
    ]


def valgrind_command(out_file: Path, *, late_start: bool) -> list[str]:
    """The valgrind command line for the child (a dump at every marker).

    ``late_start``: instrumentation off until the child's client request.
    """
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out_file}",
        f"--dump-before={MARKER_SYMBOL}",
        "--dump-instr=no",
        "--dump-line=no",
        "--compress-strings=no",
        "--compress-pos=no",
    ]
    return [*command, "--instr-atstart=no"] if late_start else command


Dump = tuple[int, dict[tuple[str, str], int]]  # total, (caller, callee) -> inclusive


def _run_child(
    targets: list[Target], calls: int, timeout: float, child: Sequence[str] = CHILD
) -> tuple[list[tuple[int, str]], list[Dump]]:
    with tempfile.TemporaryDirectory(prefix="pqc-callgrind-") as folder:
        directory = Path(folder)
        plan = directory / "plan.json"
        labels_path = directory / "labels.json"
        late_start = _client_request() is not None
        plan.write_text(
            json.dumps(
                {
                    "late_start": late_start,
                    "calls": calls,
                    "targets": [[t.algorithm, t.backend, t.op] for t in targets],
                    "labels": str(labels_path),
                }
            )
        )
        out_file = directory / "callgrind.out"
        command = [*valgrind_command(out_file, late_start=late_start), sys.executable]
        command += [*child, str(plan)]
        environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        repository = str(Path(__file__).resolve().parents[2])
        environment["PYTHONPATH"] = os.pathsep.join(
            p for p in (repository, os.environ.get("PYTHONPATH")) if p
        )
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=environment,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise InstructionCountError(
                f"callgrind took longer than {timeout:.0f} s; count fewer calls or cases."
            ) from exc
        if done.returncode != 0 or not labels_path.exists():
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise InstructionCountError(
                f"callgrind failed (exit {done.returncode}): " + " | ".join(tail)
            )
        labels = [(int(i), str(k)) for i, k in json.loads(labels_path.read_text())]
        dumps = read_dumps(out_file, len(labels))
    return labels[:-1], dumps


def read_dumps(out_file: Path, markers: int) -> list[Dump]:
    """Each segment between consecutive markers: its total and its call edges.

    Dump n holds what ran since dump n-1. Dumps before the child's first
    marker (an import that called math.gcd) are skipped: the last ``markers``
    dumps are the child's, and the segment after its marker k is in dump k+1.
    """
    dumps = len(list(out_file.parent.glob(out_file.name + ".*")))
    if dumps < markers:
        raise InstructionCountError(f"callgrind wrote {dumps} dumps for {markers} markers")
    skipped = dumps - markers
    return [
        parse_dump(Path(f"{out_file}.{number}").read_text(errors="replace"))
        for number in range(skipped + 2, dumps + 1)
    ]


def parse_dump(text: str) -> Dump:
    """A callgrind dump (uncompressed names): total Ir, and inclusive Ir per call edge."""
    match = re.search(r"^summary:\s+(\d+)", text, re.MULTILINE) or re.search(
        r"^totals:\s+(\d+)", text, re.MULTILINE
    )
    if match is None:
        raise InstructionCountError("a callgrind dump without an instruction total")
    edges: dict[tuple[str, str], int] = {}
    caller = callee = ""
    pending = False
    for line in text.splitlines():
        if pending:
            fields = line.split()
            if len(fields) >= 2:
                key = (caller, callee)
                edges[key] = edges.get(key, 0) + int(fields[1])
            pending = False
        elif line.startswith("fn="):
            caller = line[3:]
        elif line.startswith("cfn="):
            callee = line[4:]
        elif line.startswith("calls="):
            pending = True
    return int(match.group(1)), edges


def library_share(edges: dict[tuple[str, str], int], patterns: Sequence[str]) -> int:
    """Inclusive instructions of calls into ``patterns`` made from outside the library.

    A call counts when its caller is not reachable (in this segment's call
    graph) from an entry function: a nested call, however deep, is inside
    the outer call's inclusive count already.
    """
    if not patterns:
        return 0
    names = {name for edge in edges for name in edge}
    entries = {n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)}
    callees: dict[str, list[str]] = {}
    for caller, callee in edges:
        callees.setdefault(caller, []).append(callee)
    inside: set[str] = set()
    stack = [c for entry in entries for c in callees.get(entry, ())]
    while stack:
        name = stack.pop()
        if name not in inside:
            inside.add(name)
            stack.extend(callees.get(name, ()))
    return sum(
        cost
        for (caller, callee), cost in edges.items()
        if callee in entries and caller not in entries and caller not in inside
    )


@dataclass(frozen=True)
class Segment:
    """One marker-to-marker segment: all instructions, and those inside the library."""

    total: int
    library: int


def assign(
    labels: Sequence[tuple[int, str]], segments: Sequence[Segment], targets: Sequence[Target]
) -> dict[Target, tuple[Counts, Counts]]:
    """Per target: call counts (minus the median of its baseline segments), library counts."""
    measured: dict[int, list[Segment]] = {}
    baseline: dict[int, list[int]] = {}
    for (index, kind), segment in zip(labels, segments, strict=True):
        if kind == "op":
            measured.setdefault(index, []).append(segment)
        elif kind == "baseline":
            baseline.setdefault(index, []).append(segment.total)
    result: dict[Target, tuple[Counts, Counts]] = {}
    for index, values in measured.items():
        offset = statistics.median(baseline.get(index, [0]))
        call = summarise([max(0, round(v.total - offset)) for v in values])
        result[targets[index]] = (call, summarise([v.library for v in values]))
    return result


# ---------------------------------------------------------------- child side
def _seed(label: str, size: int) -> bytes:
    return hashlib.shake_256(f"pqc instructions {label}".encode()).digest(size)


def _key_pairs(impl: Any, n: int) -> list[tuple[bytes, bytes]]:
    """``n`` key pairs, fixed (from seeds) where the backend takes seeds."""
    if impl.supports_seed and impl.algorithm.seed_size:
        return [
            impl.keygen_from_seed(_seed(f"{impl.name} {i}", impl.algorithm.seed_size))
            for i in range(n)
        ]
    return [impl.keygen() for _ in range(n)]


def inputs(impl: Any, op: str, calls: int) -> tuple[Callable[..., object], list[tuple[Any, ...]]]:
    """The public method for ``op`` and the argument tuple of each call (a key per call)."""
    method: Callable[..., object] = getattr(impl, op)
    if op == "keygen":
        return method, [() for _ in range(calls)]
    pairs = _key_pairs(impl, calls)
    if op == "encaps":
        return method, [(pk,) for pk, _ in pairs]
    if op == "decaps":
        return method, [(sk, impl.encaps(pk)[0]) for pk, sk in pairs]
    if op == "sign":
        return method, [(sk, MESSAGE) for _, sk in pairs]
    if op == "verify":
        return method, [(pk, MESSAGE, impl.sign(sk, MESSAGE)) for pk, sk in pairs]
    raise InstructionCountError(f"no instruction counting for operation {op!r}")


def _empty(*args: object) -> None:
    return None


def child(plan_path: str) -> None:
    """Run the plan under callgrind: markers between calls, labels written for the parent."""
    import gc
    import math

    import pqc

    plan = json.loads(Path(plan_path).read_text())
    calls = int(plan["calls"])
    work = []
    for index, (algorithm, backend, op) in enumerate(plan["targets"]):
        impl = pqc.api.implementation(algorithm, backend)
        method, arguments = inputs(impl, op, calls)
        for args in arguments:  # warm: key caches, lazy imports, per-thread buffers
            method(*args)
        work.append((index, method, arguments))
    labels: list[tuple[int, str]] = []
    marker = math.gcd
    if plan.get("late_start"):
        request = _client_request()
        if request is None:
            raise InstructionCountError("could not switch callgrind's instrumentation on")
        request(START_INSTRUMENTATION)
    gc.collect()
    gc.disable()
    for index, method, arguments in work:
        for args in arguments:
            labels.append((index, "op"))
            marker(2, 4)
            method(*args)
        for args in arguments:
            labels.append((index, "baseline"))
            marker(2, 4)
            _empty(*args)
    labels.append((-1, "end"))
    marker(2, 4)
    gc.enable()
    Path(plan["labels"]).write_text(json.dumps(labels))


def _main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m pqc.bench.instructions PLAN.json (run by pqc, under valgrind)")
        return 2
    try:
        child(argv[0])
    except (PQCError, BackendUnavailableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
