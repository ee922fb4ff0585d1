"""Pick the medians a handshake needs out of a bench result: fastest backend, or a chosen one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pqc.bench.results import BenchResult, CaseResult
from pqc.catalog import Algorithm, lookup
from pqc.errors import InvalidArgumentError, PQCError
from pqc.handshake.cost import (
    DEFAULT_CHAIN,
    KEM_OPS,
    SIGNATURE_OPS,
    HandshakeCost,
    PartTimes,
    handshake_cost,
    sum_of_parts,
)
from pqc.handshake.suites import Suite


def _weights(algorithm: Algorithm, chain: int) -> dict[str, float]:
    """How often each operation runs in one handshake (what "fastest" minimises)."""
    if algorithm.kind == "kem":
        return dict.fromkeys(KEM_OPS, 1.0)
    return {"sign": 1.0, "verify": float(chain + 1)}


def _cases_by_backend(result: BenchResult, name: str) -> dict[str, dict[str, CaseResult]]:
    found: dict[str, dict[str, CaseResult]] = {}
    for case in result.cases:
        if case.algorithm == name and case.complete and case.stats.n > 0:
            found.setdefault(case.backend, {})[case.op] = case
    return found


def _measured(algorithm: Algorithm, backend: str, cases: Mapping[str, CaseResult]) -> PartTimes:
    first = next(iter(cases.values()))
    return PartTimes(
        algorithm=algorithm.name,
        backend=backend,
        language=first.language,
        medians_ns={op: case.stats.median_ns for op, case in cases.items()},
        sizes=dict(algorithm.sizes),
    )


def part_times(
    result: BenchResult,
    name: str | Algorithm,
    *,
    backend: str | None = None,
    chain: int = DEFAULT_CHAIN,
) -> PartTimes | None:
    """The medians of ``name``'s handshake operations in ``result``, or None when not timed.

    With ``backend``, that backend's cases are used where it implements the
    algorithm (for a hybrid: its components on ``backend`` where they can be,
    summed), otherwise the fastest backend's. Without it, the fastest backend
    for one handshake (fewest weighted nanoseconds) is chosen; a hybrid timed
    as a whole is preferred to a sum of its parts.
    """
    algorithm = name if isinstance(name, Algorithm) else lookup(name)
    needed = KEM_OPS if algorithm.kind == "kem" else SIGNATURE_OPS
    complete = {
        b: cases
        for b, cases in _cases_by_backend(result, algorithm.name).items()
        if all(op in cases for op in needed)
    }
    if backend is not None and backend in complete:
        return _measured(algorithm, backend, complete[backend])
    if algorithm.components and (backend is not None or not complete):
        parts = [part_times(result, c, backend=backend, chain=chain) for c in algorithm.components]
        if all(p is not None for p in parts):
            return sum_of_parts(algorithm.name, tuple(p for p in parts if p), algorithm.sizes)
    if not complete:
        return None
    weights = _weights(algorithm, chain)
    fastest = min(
        complete,
        key=lambda b: sum(w * complete[b][op].stats.median_ns for op, w in weights.items()),
    )
    return _measured(algorithm, fastest, complete[fastest])


def costs_from_result(
    result: BenchResult,
    suites: Sequence[Suite],
    *,
    chain: int = DEFAULT_CHAIN,
    backend: str | None = None,
) -> tuple[list[HandshakeCost], list[str]]:
    """Handshake costs of ``suites`` from ``result``, and why any suite could not be costed."""
    costs: list[HandshakeCost] = []
    skipped: list[str] = []
    for item in suites:
        kem = part_times(result, item.kem, backend=backend, chain=chain)
        signature = part_times(result, item.signature, backend=backend, chain=chain)
        missing = [
            name for name, part in ((item.kem, kem), (item.signature, signature)) if part is None
        ]
        if missing or kem is None or signature is None:
            skipped.append(f"{item.name}: no complete timing of {', '.join(missing)} in the result")
            continue
        try:
            costs.append(handshake_cost(item, kem, signature, chain=chain))
        except PQCError as exc:
            skipped.append(f"{item.name}: {exc}")
    return costs, skipped


def algorithms_for(suites: Iterable[Suite], *, components: bool = False) -> tuple[str, ...]:
    """Every algorithm the suites use (and the hybrids' components when ``components``)."""
    names: list[str] = []
    for item in suites:
        for name in (item.kem, item.signature):
            entry = lookup(name)
            names.append(entry.name)
            if components:
                names.extend(entry.components)
    if not names:
        raise InvalidArgumentError("no suites given.")
    return tuple(dict.fromkeys(names))
