"""Run every conformance family over a selection of backends and algorithms: a :class:`Report`.

:func:`verify_implementations` works on implementation objects (tests pass
deliberately broken doubles to it); :func:`run_verify` selects real backends,
runs hostile input for native code in child processes (in parallel with the
in-process families) and adds the library findings.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pqc.api import implementation
from pqc.backends import backend_capabilities, backend_module, backend_names, backend_status
from pqc.backends.base import BackendStatus
from pqc.bench.machine import collect_machine
from pqc.catalog import Algorithm, all_algorithms, lookup
from pqc.conformance import findings, gm
from pqc.conformance.attribution import attribute
from pqc.conformance.hostile import run_hostile
from pqc.conformance.interop import run_interop
from pqc.conformance.isolation import IDLE_TIMEOUT, hostile_in_child
from pqc.conformance.kat import run_kat
from pqc.conformance.model import FAMILIES, CheckResult, Report, failed, skipped
from pqc.conformance.nist_kat import run_published_kats
from pqc.conformance.vectors import resolve_vectors
from pqc.errors import InvalidArgumentError, PQCError

Progress = Callable[[str], None]
SM_FAMILIES = frozenset({"SM2", "SM9"})


def _quiet(_: str) -> None:
    return None


def isolated(impl: Any) -> bool:
    """True when ``impl`` runs native code (not pure Python): its hostile input goes to a child."""
    return getattr(impl, "language", "C") != "pure Python"


def verify_implementations(impls: Sequence[Any], vectors: Path | None, missing_reason: str,
                           *, hostile: bool = True, progress: Progress = _quiet
                           ) -> list[CheckResult]:
    """Known-answer, interop and (in this process) hostile checks over implementation objects."""
    results: list[CheckResult] = []
    by_algorithm: dict[str, list[Any]] = {}
    for impl in impls:
        by_algorithm.setdefault(impl.name, []).append(impl)
    for impl in impls:
        progress(f"known answers: {impl.name} on {impl.backend}")
        results.extend(run_kat(impl, vectors, missing_reason))
    for name, group in by_algorithm.items():
        if len(group) > 1:
            progress(f"interop: {name}")
            results.extend(run_interop(group))
    if hostile:
        for impl in impls:
            progress(f"hostile input: {impl.name} on {impl.backend}")
            results.extend(run_hostile(impl))
    return results


def _status_or_reason(name: str) -> str | None:
    """None when backend ``name`` is usable, else why not (a missing module included)."""
    try:
        status = backend_status(name)
    except PQCError:
        raise
    except Exception as exc:  # a backend module that is absent or broken must not stop the run
        return f"backend module failed to load: {type(exc).__name__}: {exc}"
    return None if status.available else (status.reason or "unavailable")


def _backend_info(name: str) -> BackendStatus:
    try:
        return backend_status(name)
    except Exception as exc:
        return BackendStatus(name, False, None, "unknown", "unknown",
                             reason=f"{type(exc).__name__}: {exc}")  # fmt: skip


def select(backends: Sequence[str] | None, algorithms: Sequence[str] | None
           ) -> tuple[list[tuple[Algorithm, str]], list[str]]:
    """(algorithm, backend) pairs to run, and the selected backends; unknown names raise."""
    chosen_backends = list(backends) if backends else list(backend_names())
    for name in chosen_backends:
        backend_module_name_check(name)
    chosen = [lookup(a) for a in algorithms] if algorithms else list(all_algorithms())
    pairs = [(a, b) for a in chosen for b in chosen_backends if b in a.implementations]
    if not pairs:
        raise InvalidArgumentError(
            f"none of the selected backends ({', '.join(chosen_backends)}) implements "
            f"{', '.join(a.name for a in chosen)}; run `pqc list` to see who implements what."
        )
    return pairs, chosen_backends


def backend_module_name_check(name: str) -> None:
    """Raise UnknownBackendError for a name pqc does not know (without importing the module)."""
    if name not in backend_names():
        backend_module(name)  # raises UnknownBackendError with the known names


def run_verify(backends: Sequence[str] | None = None, algorithms: Sequence[str] | None = None,
               vectors: str | os.PathLike[str] | None = None, *, progress: Progress = _quiet,
               idle_timeout: float = IDLE_TIMEOUT) -> Report:
    """Run every check family over the selection; see :class:`Report` for the result."""
    start = time.perf_counter()
    root, how = resolve_vectors(vectors)
    pairs, chosen_backends = select(backends, algorithms)
    filtered = bool(algorithms)
    results: list[CheckResult] = []
    impls: list[Any] = []
    unavailable: dict[str, str] = {}
    for algorithm, backend in pairs:
        reason = unavailable.get(backend) if backend in unavailable else _status_or_reason(backend)
        if reason is not None:
            unavailable[backend] = reason
            continue
        try:
            impls.append(implementation(algorithm, backend))
        except PQCError as exc:
            for family in FAMILIES[:3]:
                results.append(skipped(family, backend, algorithm.name, "implementation", str(exc)))
    for backend, reason in unavailable.items():
        for family in FAMILIES:
            results.append(skipped(family, backend, "*", "backend unavailable", reason))

    native: dict[str, list[str]] = {}
    for impl in impls:
        if isolated(impl):
            native.setdefault(impl.backend, []).append(impl.name)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures: list[Future[list[CheckResult]]] = [
            pool.submit(hostile_in_child, backend, names, None, idle_timeout)
            for backend, names in native.items()
        ]
        progress("published known answers (NIST KAT digests) in a child process")
        futures.append(pool.submit(run_published_kats, impls))
        progress(f"hostile input for {', '.join(native) or 'no native backend'} in child processes")
        results.extend(verify_implementations(
            impls, root, how, hostile=False, progress=progress))
        for impl in impls:
            if not isolated(impl):
                progress(f"hostile input: {impl.name} on {impl.backend}")
                results.extend(run_hostile(impl))
        results.extend(_library_checks(impls, chosen_backends, filtered, progress))
        for future in futures:
            results.extend(future.result())
    results = attribute(results)  # an interop failure against published known answers
    order = {name: i for i, name in enumerate(backend_names())}
    results.sort(key=lambda r: (order.get(r.backend, 99), FAMILIES.index(r.family)
                                if r.family in FAMILIES else 9, r.algorithm))
    return Report(
        results=tuple(results),
        backends=tuple(_backend_info(b) for b in chosen_backends),
        machine=collect_machine(),
        vectors=str(root) if root is not None else None,
        seconds=time.perf_counter() - start,
    )


def _library_checks(impls: Sequence[Any], chosen_backends: Sequence[str], filtered: bool,
                    progress: Progress) -> list[CheckResult]:
    """GM examples per SM library and the library findings, where their backends are selected."""
    results: list[CheckResult] = []
    available = {i.backend for i in impls}
    for backend in chosen_backends:
        if backend not in available:
            continue
        mine = [i for i in impls if i.backend == backend]
        sm_selected = any(i.algorithm.family in SM_FAMILIES for i in mine)
        if gm.has_examples(backend) and (not filtered or sm_selected):
            progress(f"GM examples: {backend}")
            results.extend(_contained("kat", backend, "GM examples",
                                      functools.partial(gm.run_gm, backend)))
    for backend in chosen_backends:
        if backend not in available or backend_capabilities(backend).findings is None:
            continue
        mine = [i for i in impls if i.backend == backend]
        progress(f"findings: {backend}")
        results.extend(_contained("findings", backend, f"{backend} findings",
                                  functools.partial(findings.backend_findings, backend, mine)))
    return results


def _contained(family: str, backend: str, name: str,
               run: Callable[[], list[CheckResult]]) -> list[CheckResult]:
    """Run a group of checks; an unexpected error becomes one failing check, not a crash."""
    try:
        return run()
    except Exception as exc:  # a defect in a check must not lose the rest of the report
        return [failed(family, backend, "*", name,
                       f"the checks stopped with {type(exc).__name__}: {exc}")]
