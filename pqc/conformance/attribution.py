"""Which side of a failed interop check is at fault, decided from known-answer evidence.

Two implementations of one algorithm that do not interoperate are either one
implementation failing to conform, or two different algorithms under one name. Known
answers decide it: when one side reproduces the algorithm's published known answers (its
known-answer checks pass, none fails) and the other side has no such evidence, the
published answers define the algorithm and the other side does not implement it. That
disagreement is then reported once, as a finding against the side without evidence,
with the evidence: the passing known-answer checks of the conforming side, the failed
crossings, and the other parameter sets of the family where the same two backends do
interoperate. When both sides or neither side reproduce known answers, pqc cannot tell
who is wrong and the interop failure stays a failure (``pqc verify`` exits 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pqc.catalog import lookup
from pqc.conformance.model import CheckResult, Status

FAMILY = "interop"


def _known_answers(results: Sequence[CheckResult]) -> dict[tuple[str, str], list[str]]:
    """(backend, algorithm) -> passing known-answer checks, for pairs with no failing one."""
    passing: dict[tuple[str, str], list[str]] = {}
    failing: set[tuple[str, str]] = set()
    for r in results:
        if r.family != "kat" or r.algorithm == "*":
            continue
        if r.status is Status.PASS:
            passing.setdefault((r.backend, r.algorithm), []).append(f"{r.name}: {r.detail}")
        elif r.status is Status.FAIL:
            failing.add((r.backend, r.algorithm))
    return {key: names for key, names in passing.items() if key not in failing}


def _interoperating_relatives(results: Sequence[CheckResult], algorithm: str,
                              pair: frozenset[str]) -> list[str]:
    """Other algorithms of the same family that these two backends pass interop on."""
    family = lookup(algorithm).family
    names = {r.algorithm for r in results
             if r.family == FAMILY and r.status is Status.PASS and r.algorithm != algorithm
             and frozenset(r.backends) == pair and lookup(r.algorithm).family == family}
    return sorted(names)


def attribute(results: Sequence[CheckResult]) -> list[CheckResult]:
    """``results`` with each attributable interop failure replaced by one finding (see above)."""
    evidence_of = _known_answers(results)
    kept: list[CheckResult] = []
    merged: dict[tuple[str, str, str], list[CheckResult]] = {}
    for r in results:
        if r.family != FAMILY or r.status is not Status.FAIL or len(r.backends) != 2:
            kept.append(r)
            continue
        a, b = r.backends
        a_ok, b_ok = (a, r.algorithm) in evidence_of, (b, r.algorithm) in evidence_of
        if a_ok == b_ok:
            kept.append(r)
            continue
        culprit, conforming = (b, a) if a_ok else (a, b)
        merged.setdefault((culprit, conforming, r.algorithm), []).append(r)
    for (culprit, conforming, algorithm), failures in merged.items():
        kept.append(_finding(culprit, conforming, algorithm, failures,
                             evidence_of[(conforming, algorithm)],
                             _interoperating_relatives(results, algorithm,
                                                       frozenset((culprit, conforming)))))
    return kept


def _finding(culprit: str, conforming: str, algorithm: str, failures: list[CheckResult],
             known_answers: list[str], relatives: list[str]) -> CheckResult:
    steps: dict[str, Any] = {}
    for failure in failures:
        steps.update(dict(failure.evidence.get("steps", {})))
    failed_steps = [label for label, outcome in steps.items() if str(outcome).startswith("fail")]
    ran = [label for label, outcome in steps.items() if not str(outcome).startswith("n/a")]
    also = f"; {', '.join(relatives)} does interoperate" if relatives else ""
    detail = (f"not conformant: {len(failed_steps)} of {len(ran)} crossings with {conforming} "
              f"fail and {conforming} reproduces the published known answers for {algorithm}"
              f"{also}. Same name, different bytes: do not use {culprit}'s {algorithm} with "
              "conforming implementations.")
    evidence = {"attributed_to": culprit, "conforming_peer": conforming,
                "peer_known_answers": known_answers, "failed_crossings": failed_steps,
                "steps": steps, "interoperating_relatives": relatives,
                "decision": "conformance failure of one backend (the side without known-answer "
                            "evidence), not two variants: the published answers define the "
                            "algorithm"}
    return CheckResult(FAMILY, culprit, algorithm, f"{culprit} against {conforming}",
                       Status.FINDING, detail, evidence)
