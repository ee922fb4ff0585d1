"""Running the screen: plan the cases, prepare inputs, time them, analyse, give a verdict.

Library entry points (the CLI is a thin layer over them)::

    specs = plan("ML-KEM-768", op="decaps")  # every available backend implementing it
    case = run_case(specs[0], Budget(seconds=10))
    case.verdict.text   # "no leak larger than 35 ns at 95% over 251,000 samples (|t| = 1.2)"
    positive, negative = run_controls(Budget(seconds=10))
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np

from pqc.api import available_backends, implementation
from pqc.backends import Implementation, backend_module
from pqc.bench.machine import collect_backends, collect_machine, package_versions
from pqc.bench.stats import summarize
from pqc.catalog import Algorithm, lookup
from pqc.errors import PQCError, UnsupportedOperationError
from pqc.leak.classes import POOL_SIZE, ClassSet, class_sets, design_note, prepare, select
from pqc.leak.controls import DEFAULT_LEAK_BYTES, ControlKind, make_control
from pqc.leak.harness import Budget, Progress, Timings, measure
from pqc.leak.results import ClassSummary, LeakCase, LeakResult, LeakSettings
from pqc.leak.stats import CROP_COUNT, FAMILY_ALPHA, dudect_test, median_difference
from pqc.leak.verdict import decide

DEFAULT_SECONDS = 10.0
CONFIDENCE = 0.95


@dataclass(frozen=True)
class CaseSpec:
    """One case to screen: ``op`` of ``algorithm`` on ``backend`` with ``class_set``."""

    algorithm: Algorithm
    backend: str
    op: str
    class_set: ClassSet

    @property
    def label(self) -> str:
        return f"{self.algorithm.name} {self.op} [{self.backend}] {self.class_set.name}"


def plan(
    algorithm: str,
    backend: str | None = None,
    op: str | None = None,
    classes: str | None = None,
) -> tuple[CaseSpec, ...]:
    """The cases to screen for ``algorithm``.

    ``backend`` None means every available backend implementing it; ``op``
    None every screenable operation; ``classes`` None each operation's default
    class set. Raises :class:`UnknownAlgorithmError`, :class:`UnknownBackendError`,
    :class:`BackendUnavailableError`, :class:`UnsupportedAlgorithmError`,
    :class:`UnsupportedOperationError` or :class:`InvalidArgumentError`.
    """
    entry = lookup(algorithm)
    if backend is not None:
        backend_module(backend)  # an unknown backend name gets its own error first
        names: Sequence[str] = (backend,)
    else:
        names = available_backends(entry)
        if not names:
            implementation(entry)  # raises BackendUnavailableError with the reasons
    specs: list[CaseSpec] = []
    refusals: list[str] = []
    for name in names:
        impl = implementation(entry, name)
        ops = class_sets(impl)
        wanted = [op] if op is not None else list(ops)
        for item in wanted:
            try:
                chosen = select(impl, item, classes)
            except UnsupportedOperationError as exc:
                refusals.append(str(exc))
                continue
            specs.append(CaseSpec(entry, name, item, chosen))
    if not specs:
        reason = " ".join(refusals) or f"nothing to screen for {entry.name}."
        raise UnsupportedOperationError(reason)
    return tuple(specs)


def _analyse(
    timings: Timings, labels: tuple[str, str], note: str | None, rng: np.random.Generator | None
) -> tuple[Any, Any, Any]:
    if timings.a.size < 2 or timings.b.size < 2:
        raise PQCError(
            "too few timed calls to analyse (interrupted too early?); give a larger budget."
        )
    dudect = dudect_test(timings.a, timings.b)
    medians = median_difference(timings.a, timings.b, confidence=CONFIDENCE, rng=rng)
    verdict = decide(
        labels,
        timings.samples,
        dudect,
        medians,
        design_note=note,
        failures=timings.failures,
        errors=timings.errors,
        counts=(int(timings.a.size), int(timings.b.size)),
        resolution_ns=timings.clock_step_ns,
    )
    return dudect, medians, verdict


def _case(
    *,
    identity: dict[str, Any],
    labels: tuple[str, str],
    description: str,
    inputs: str,
    note: str | None,
    timings: Timings,
    rng: np.random.Generator | None,
) -> LeakCase:
    dudect, medians, verdict = _analyse(timings, labels, note, rng)
    summaries = [
        ClassSummary(
            label=labels[k],
            stats=summarize(side.tolist()),
            failures=timings.failures[k],
            error=timings.errors[k],
        )
        for k, side in enumerate((timings.a, timings.b))
    ]
    return LeakCase(
        **identity,
        labels=labels,
        description=description,
        inputs=inputs,
        note=note,
        class_a=summaries[0],
        class_b=summaries[1],
        dudect=dudect,
        medians=medians,
        verdict=verdict,
        warmup_calls=timings.warmup_calls,
        seconds=timings.elapsed_s,
        clock_step_ns=timings.clock_step_ns,
        samples_ns=(tuple(timings.a.tolist()), tuple(timings.b.tolist())),
        complete=timings.complete,
    )


def _identity(impl: Implementation, op: str, classes: str) -> dict[str, Any]:
    return {
        "algorithm": impl.name,
        "kind": impl.kind,
        "family": impl.algorithm.family,
        "backend": impl.backend,
        "backend_version": impl.backend_version,
        "language": impl.language,
        "op": op,
        "classes": classes,
    }


def run_case(
    spec: CaseSpec,
    budget: Budget | None = None,
    *,
    progress: Progress | None = None,
    pool_size: int = POOL_SIZE,
    rng: np.random.Generator | None = None,
) -> LeakCase:
    """Prepare the inputs of ``spec``, time both classes interleaved, and judge.

    Input preparation takes at most ``min(2 s, 15% of the budget)`` (at least
    4 inputs per class). ``rng`` seeds the bootstrap (None: fresh entropy).
    """
    budget = budget or Budget(seconds=DEFAULT_SECONDS)
    impl = implementation(spec.algorithm, spec.backend)
    prepare_seconds = 2.0 if budget.seconds is None else min(2.0, 0.15 * budget.seconds)
    prepared = prepare(impl, spec.class_set, pool_size=pool_size, prepare_seconds=prepare_seconds)
    timings = measure(prepared.call, prepared.pools, budget, progress)
    return _case(
        identity=_identity(impl, spec.op, spec.class_set.name),
        labels=spec.class_set.labels,
        description=spec.class_set.description,
        inputs=prepared.inputs,
        note=design_note(impl, spec.op),
        timings=timings,
        rng=rng,
    )


def run_control(
    kind: ControlKind,
    budget: Budget | None = None,
    *,
    leak_bytes: int = DEFAULT_LEAK_BYTES,
    progress: Progress | None = None,
    rng: np.random.Generator | None = None,
) -> LeakCase:
    """Time the positive (leaky) or negative (constant-time) control and judge it."""
    budget = budget or Budget(seconds=DEFAULT_SECONDS)
    control = make_control(kind, leak_bytes=leak_bytes)
    timings = measure(control.call, control.pools, budget, progress)
    identity = {
        "algorithm": f"{kind} control",
        "kind": "control",
        "family": "control",
        "backend": "python",
        "backend_version": platform.python_version(),
        "language": "pure Python",
        "op": "compare",
        "classes": f"leak-{leak_bytes}" if kind == "positive" else "no-leak",
    }
    return _case(
        identity=identity,
        labels=control.labels,
        description=control.description,
        inputs=f"one {control.size}-byte secret; {len(control.pools[0])} guesses per class",
        note=None,
        timings=timings,
        rng=rng,
    )


def run_controls(
    budget: Budget | None = None,
    *,
    leak_bytes: int = DEFAULT_LEAK_BYTES,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[LeakCase, LeakCase]:
    """The positive then the negative control; ``progress(kind, fraction)`` while each runs."""
    cases = []
    kinds: tuple[ControlKind, ControlKind] = ("positive", "negative")
    for kind in kinds:
        report = None if progress is None else _bind(progress, kind)
        cases.append(run_control(kind, budget, leak_bytes=leak_bytes, progress=report))
    return cases[0], cases[1]


def _bind(progress: Callable[[str, float], None], kind: str) -> Progress:
    return lambda fraction: progress(kind, fraction)


def settings_for(budget: Budget, pool_size: int = POOL_SIZE) -> LeakSettings:
    """The settings record of a screen run with ``budget``."""
    return LeakSettings(
        seconds=budget.seconds,
        samples=budget.samples,
        pool_size=pool_size,
        confidence=CONFIDENCE,
        crops=CROP_COUNT,
        family_alpha=FAMILY_ALPHA,
    )


def build_result(
    cases: Sequence[LeakCase],
    budget: Budget,
    command: Sequence[str],
    *,
    complete: bool = True,
    pool_size: int = POOL_SIZE,
) -> LeakResult:
    """The whole run as a :class:`LeakResult`, with machine, backend versions and packages."""
    try:
        version = metadata.version("pqc")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return LeakResult(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        command=tuple(command),
        pqc_version=version,
        machine=collect_machine(),
        backends=collect_backends(),
        packages=package_versions(),
        settings=settings_for(budget, pool_size),
        cases=tuple(cases),
        complete=complete and all(case.complete for case in cases),
    )

