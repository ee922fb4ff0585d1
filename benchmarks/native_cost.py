"""What pqc adds on top of the native libraries: times against a C loop, instruction counts.

Parts (each finishes in <= 5 minutes on an idle 2-core machine; all by default):

  overhead  pqc's public-method checks per call (a test double's empty hooks, so only
            the checks are timed): public method minus hook, median of 15 rounds
  threads   what thread safety costs one thread: liboqs encaps with per-thread output
            buffers (as shipped) against one shared buffer (unsafe), interleaved A/B
  c         pqc's liboqs medians against benchmarks/liboqs_loop.c over the same liboqs
            (built here with gcc against $OQS_INSTALL_PATH as a shared library and run in
            this process): interleaved rounds of the C loop, the hook pqc bench times, the
            public method, and a bare ctypes call from the loop (the floor of any Python
            caller), order rotated, the median of the rounds' ratios
  d         library-only instruction counts (callgrind) of pqc's liboqs calls against
            the same C program, and the pqc count repeated
  e         the binding's instructions per call (call - library) for each backend of
            ML-KEM-768, ML-DSA-65, SM2 and X25519MLKEM768

Usage:
  OQS_INSTALL_PATH=/path/to/liboqs/prefix python3 benchmarks/native_cost.py [PART ...]

Timings are medians of per-call perf_counter_ns in one process (samples are not
independent: one process, one memory layout; the sandwiches repeat the comparison);
the load average is printed with them. Instruction counts do not depend on load.
"""

from __future__ import annotations

import ctypes
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pqc  # noqa: E402
from pqc.bench import instructions  # noqa: E402
from pqc.bench.engine import time_calls  # noqa: E402
from pqc.catalog import lookup  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from overhead_doubles import OVERHEAD_CALLS, overhead_cases  # noqa: E402

DOUBLES = REPO / "benchmarks" / "overhead_doubles.py"

C_SOURCE = REPO / "benchmarks" / "liboqs_loop.c"
CASES = {"ML-KEM-768": ("kem", ("keygen", "encaps", "decaps")),
         "ML-DSA-65": ("sig", ("keygen", "sign", "verify"))}
SHARED = ("ML-KEM-768", "ML-DSA-65", "SM2", "X25519MLKEM768")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def median_call_ns(method: Callable[..., object], arguments: Sequence[tuple[Any, ...]]) -> float:
    """Median ns of ``method(*args)`` over ``arguments``, timed by pqc bench's own loop
    (:func:`pqc.bench.engine.time_calls`: one loop per arity, no ``*args`` packing, GC off)."""
    samples: list[int] = []
    time_calls(method, arguments, samples)
    return float(statistics.median(samples))


# ---------------------------------------------------------------- overhead
def overhead_instructions(op: str) -> float:
    """Instructions per call of public minus hook: callgrind totals of the child at
    OVERHEAD_CALLS and at twice that, for each, so start-up cancels exactly."""
    per_call = {}
    for which in ("public", "hook"):
        totals = []
        for calls in (OVERHEAD_CALLS, 2 * OVERHEAD_CALLS):
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                 sys.executable, str(DOUBLES), op, which, str(calls)],
                capture_output=True, text=True, check=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )  # fmt: skip
            found = [line for line in run.stderr.splitlines() if "Collected :" in line]
            totals.append(int(found[-1].split(":")[-1]))
        per_call[which] = (totals[1] - totals[0]) / OVERHEAD_CALLS
    return per_call["public"] - per_call["hook"]


def part_overhead() -> None:
    cases = overhead_cases()
    print(f"public-method overhead per call (public minus hook), {load()}")
    counted = instructions.valgrind_missing() is None
    for name, (public, hook, args) in cases.items():
        rounds = [
            median_call_ns(public, [args] * 20_000) - median_call_ns(hook, [args] * 20_000)
            for _ in range(15)
        ]
        count = f"; {overhead_instructions(name):,.0f} instructions" if counted else ""
        print(f"  {name:<7} {statistics.median(rounds):6.0f} ns (rounds {min(rounds):.0f}"
              f"..{max(rounds):.0f}; target <= 500){count}")
    if not counted:
        print(f"  (instruction counts skipped: {instructions.valgrind_missing()})")


# ---------------------------------------------------------------- threads
def part_threads() -> None:
    impl: Any = pqc.kem("ML-KEM-768", "liboqs")
    binding = impl._native
    pk, _ = impl.keygen()

    def per_thread(public_key: bytes) -> object:
        return binding.encaps(public_key)

    unsafe = type(binding)("ML-KEM-768")
    out = unsafe._out  # one plain set of buffers, which every thread would write to: unsafe
    unsafe._out = SimpleNamespace(ciphertext=out.ciphertext, shared_secret=out.shared_secret)
    differences = []
    for _ in range(21):
        a = median_call_ns(per_thread, [(pk,)] * 2000)
        b = median_call_ns(unsafe.encaps, [(pk,)] * 2000)
        differences.append((a - b) / b * 100)
    print(f"liboqs ML-KEM-768 encaps, per-thread buffers vs one shared buffer, {load()}:")
    print(f"  cost of thread safety {statistics.median(differences):+.2f}% (21 interleaved "
          f"A/B rounds of 2000 calls; range {min(differences):+.1f}..{max(differences):+.1f}%; "
          "target <= 2%)")
    # and the tally that motivated it, on the shipped object
    from tests.backends.sharing import hammer

    for name in ("ML-KEM-768", "ML-DSA-65", "X25519MLKEM768"):
        shared_impl = pqc.api.implementation(name, "hybrid" if "X25519" in name else "liboqs")
        print(f"  {name} shared by 8 threads for 3 s: {hammer(shared_impl, seconds=3.0)}")


# ---------------------------------------------------------------- C loop
def build_c_loop(folder: Path, *, shared: bool = False) -> Path:
    """liboqs_loop.c built against $OQS_INSTALL_PATH: a program, or (``shared``) a library
    exporting ``pqc_liboqs_loop`` for C rounds inside this process."""
    prefix = Path(os.environ.get("OQS_INSTALL_PATH", Path.home() / "_oqs"))
    built = folder / ("libliboqs_loop.so" if shared else "liboqs_loop")
    command = ["gcc", "-O2", *(["-shared", "-fPIC"] if shared else []), "-o", str(built),
               str(C_SOURCE), f"-I{prefix}/include", f"-L{prefix}/lib",
               f"-Wl,-rpath,{prefix}/lib", "-loqs"]  # fmt: skip
    subprocess.run(command, check=True)
    return built


def records(impl: Any, op: str, arguments: Sequence[tuple[Any, ...]]) -> bytes:
    """The input records liboqs_loop.c reads (see its header), one per call."""
    out = bytearray()
    for args in arguments:
        if op in ("encaps", "sign"):
            out += args[0]
        elif op == "decaps":
            out += args[0] + args[1]
        elif op == "verify":
            signature = args[2]
            out += args[0] + len(signature).to_bytes(8, "little")
            out += signature.ljust(impl.signature_size, b"\0")
    return bytes(out)


def write_inputs(impl: Any, op: str, arguments: Sequence[tuple[Any, ...]], path: Path) -> None:
    path.write_bytes(records(impl, op, arguments))


class CLoop:
    """The C loop run inside this process (liboqs_loop.c as a shared library)."""

    def __init__(self, library: Path) -> None:
        self._loop = ctypes.CDLL(str(library)).pqc_liboqs_loop
        self._loop.restype = ctypes.c_int
        self._loop.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
                               ctypes.c_long, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint64))

    def median_ns(self, kind: str, name: str, op: str, calls: int, inputs: bytes) -> float:
        ns = (ctypes.c_uint64 * calls)()
        if self._loop(0, kind == "kem", name.encode(), op.encode(), calls, inputs, ns) != 0:
            raise RuntimeError(f"liboqs failed in the C loop ({name} {op})")
        return float(statistics.median(ns))


def bare_ctypes_ns(impl: Any, op: str, arguments: Sequence[tuple[Any, ...]]) -> float | None:
    """The floor of any Python caller: liboqs's function called by ctypes straight from the
    timed loop, buffers made beforehand, no pqc code and no copy of the outputs (KEMs)."""
    binding = getattr(impl, "_native", None)
    if binding is None or impl.kind != "kem":
        return None
    out = binding._out
    pointer, clock, samples = binding._pointer, time.perf_counter_ns, []
    pk, sk, ct, ss = out.public_key, out.secret_key, out.ciphertext, out.shared_secret
    gc.disable()
    try:
        if op == "keygen":
            keypair = binding._lib.OQS_KEM_keypair
            for _ in arguments:
                start = clock()
                keypair(pointer, pk, sk)
                samples.append(clock() - start)
        elif op == "encaps":
            encaps = binding._lib.OQS_KEM_encaps
            for (public_key,) in arguments:
                start = clock()
                encaps(pointer, ct, ss, public_key)
                samples.append(clock() - start)
        else:
            decaps = binding._lib.OQS_KEM_decaps
            for secret_key, ciphertext in arguments:
                start = clock()
                decaps(pointer, ss, ciphertext, secret_key)
                samples.append(clock() - start)
    finally:
        gc.enable()
    return float(statistics.median(samples))


def part_c(rounds: int = 31, calls: int = 200) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loop = CLoop(build_c_loop(Path(folder), shared=True))
        print(f"liboqs through Python / the C loop over the same liboqs, in this process: "
              f"{rounds} rounds of {calls} calls each way, interleaved, order rotated; median "
              f"(and quartiles) of the rounds' ratios; target <= 1.15 for ML-KEM-768; {load()}")
        print("  bench: the hook pqc bench times; public: the public method; bare: ctypes "
              "straight from the timed loop (no pqc code: the floor of any Python caller)")
        for name, (kind, ops) in CASES.items():
            impl: Any = pqc.api.implementation(name, "liboqs")
            for op in ops:
                method, arguments = instructions.inputs(impl, op, calls)
                hook = impl.timed_operations()[op]
                inputs = records(impl, op, arguments)
                timers: dict[str, Callable[[], float | None]] = {
                    "C": partial(loop.median_ns, kind, name, op, calls, inputs),
                    "bench": partial(median_call_ns, hook, arguments),
                    "public": partial(median_call_ns, method, arguments),
                    "bare": partial(bare_ctypes_ns, impl, op, arguments),
                }
                ratios: dict[str, list[float]] = {where: [] for where in timers if where != "C"}
                cs = []
                for index in range(rounds):
                    order = list(timers)[index % 4:] + list(timers)[:index % 4]
                    timed = {where: timers[where]() for where in order}
                    c = timed.pop("C")
                    assert c is not None
                    cs.append(c)
                    for where, value in timed.items():
                        if value is not None:
                            ratios[where].append(value / c)
                shown = "  ".join(
                    f"{where} {statistics.median(values):.3f} "
                    f"({_quartiles(values)})"
                    for where, values in ratios.items() if values
                )
                print(f"  {name} {op:<7} C {statistics.median(cs) / 1000:7.1f} us  {shown}")


def _quartiles(values: Sequence[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


# ---------------------------------------------------------------- instruction counts
def c_library_counts(binary: Path, kind: str, name: str, op: str, calls: int,
                     inputs: Path) -> instructions.Counts:
    from pqc.backends.liboqs_native import ENTRY_POINTS

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                   "--dump-before=pqc_marker", "--dump-instr=no", "--dump-line=no",
                   "--compress-strings=no", "--compress-pos=no",
                   str(binary), "count", kind, name, op, str(calls), str(inputs)]
        subprocess.run(command, check=True, capture_output=True)
        dumps = instructions.read_dumps(out, calls + 1)
    return instructions.summarise([instructions.library_share(e, ENTRY_POINTS) for _, e in dumps])


def show(counts: instructions.Counts | None) -> str:
    if counts is None:
        return "-"
    return f"{counts.median:,.0f} [{counts.min:,}-{counts.max:,}]"


def part_d(calls: int = 5) -> None:
    missing = instructions.valgrind_missing()
    if missing:
        print(f"part d skipped: {missing}")
        return
    targets = [instructions.Target(n, "liboqs", op) for n, (_, ops) in CASES.items() for op in ops]
    first = instructions.count(targets, calls)
    second = instructions.count(targets, calls)
    print(f"library-only instructions per call, median [min-max] of {calls} calls; the same "
          "keys for pqc and C (fixed seeds for ML-KEM; ML-DSA keys drawn per run)")
    with tempfile.TemporaryDirectory() as folder:
        binary = build_c_loop(Path(folder))
        for target in targets:
            kind = CASES[target.algorithm][0]
            impl: Any = pqc.api.implementation(target.algorithm, "liboqs")
            _, arguments = instructions.inputs(impl, target.op, calls)
            inputs = Path(folder) / "inputs.bin"
            write_inputs(impl, target.op, arguments, inputs)
            c = c_library_counts(binary, kind, target.algorithm, target.op, calls, inputs)
            a, b = first[target].library, second[target].library
            assert a is not None and b is not None
            print(f"  {target.algorithm} {target.op:<7} pqc {show(a)}  repeat {show(b)}  "
                  f"C {show(c)}  pqc/C {a.median / c.median:.4f}")


def part_e(calls: int = 3) -> None:
    missing = instructions.valgrind_missing()
    if missing:
        print(f"part e skipped: {missing}")
        return
    targets = []
    for name in SHARED:
        entry = lookup(name)
        kem = entry.kind == "kem"
        ops = ("keygen", "encaps", "decaps") if kem else ("keygen", "sign", "verify")
        for backend in pqc.api.available_backends(name):
            targets += [instructions.Target(name, backend, op) for op in ops]
    counted = instructions.count(targets, calls)
    print(f"instructions per call (median of {calls} calls): whole call, inside the library, "
          "and the binding's own (call - library)")
    for target, result in counted.items():
        binding = f"{result.binding:,.0f}" if result.binding is not None else "-"
        print(f"  {target.algorithm:<15} {target.backend:<13} {target.op:<7} call "
              f"{show(result.call):<30} library {show(result.library):<30} binding {binding}")
        if result.note and target.op == "keygen":
            print(f"      ({result.note})")


PARTS = {"overhead": part_overhead, "threads": part_threads, "c": part_c, "d": part_d,
         "e": part_e}


def main(argv: list[str]) -> int:
    wanted = argv or list(PARTS)
    unknown = [p for p in wanted if p not in PARTS]
    if unknown:
        print(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
        return 2
    for part in wanted:
        started = time.monotonic()
        PARTS[part]()
        print(f"[part {part}: {time.monotonic() - started:.0f} s]\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
