"""Time exactly the operations the handshake suites need, with the bench engine."""

from __future__ import annotations

from collections.abc import Sequence

from pqc.bench.cases import Plan, plan_cases
from pqc.bench.engine import Progress, default_settings, run_bench
from pqc.bench.results import BenchResult
from pqc.catalog import lookup
from pqc.handshake.cost import KEM_OPS, SIGNATURE_OPS
from pqc.handshake.select import algorithms_for
from pqc.handshake.suites import Suite


def handshake_plan(suites: Sequence[Suite], *, backend: str | None = None) -> Plan:
    """The bench cases for ``suites`` on every available backend (fastest needs them all).

    Signature key generation is left out (not a per-handshake cost). With
    ``backend``, the hybrids' components are timed too, so a hybrid can be
    costed with its parts on that backend.
    """
    names = algorithms_for(suites, components=backend is not None)
    plan = plan_cases(algorithms=names)
    needed = {name: KEM_OPS if lookup(name).kind == "kem" else SIGNATURE_OPS for name in names}
    cases = tuple(c for c in plan.cases if c.op in needed[c.algorithm.name])
    return Plan(cases, plan.skipped)


def measure(
    suites: Sequence[Suite],
    *,
    backend: str | None = None,
    seconds: float | None = None,
    quick: bool = False,
    command: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> BenchResult:
    """A bench result holding the medians :func:`~pqc.handshake.select.costs_from_result` needs."""
    plan = handshake_plan(suites, backend=backend)
    settings = default_settings(
        quick=quick, seconds=seconds, algorithms=algorithms_for(suites, components=True)
    )
    return run_bench(plan, settings, command=command, progress=progress)
