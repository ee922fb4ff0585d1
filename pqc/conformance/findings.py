"""Library behaviour findings: what a library does when called directly, and whether pqc guards it.

Each backend declares its findings (``Capabilities.findings``, in its
``*_findings`` module); this module turns what they observed into
:class:`CheckResult` values. A finding has status FINDING and the evidence
observed on this machine (never hard-coded); next to it, a PASS/FAIL check
that pqc's guard works through pqc's own interface. Findings never fail a
run; a broken guard does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pqc.backends import backend_capabilities
from pqc.backends.capabilities import Finding, Guard, Implementation, NotRun, Observation
from pqc.conformance.model import CheckResult, Status, skipped

FAMILY = "findings"


def _finding(backend: str, algorithm: str, name: str, detail: str, evidence: dict[str, Any],
             observed: bool) -> CheckResult:
    """A FINDING when the behaviour was observed, else a PASS saying it was not reproduced."""
    status = Status.FINDING if observed else Status.PASS
    if not observed:
        detail = f"not reproduced with the installed version: {detail}"
    return CheckResult(FAMILY, backend, algorithm, name, status, detail, evidence)


def _guard(backend: str, algorithm: str, name: str, run: Callable[[], tuple[bool, str]]
           ) -> CheckResult:
    try:
        ok, detail = run()
    except Exception as exc:
        ok, detail = False, f"raised {type(exc).__name__}: {exc}"
    return CheckResult(FAMILY, backend, algorithm, f"pqc guard: {name}",
                       Status.PASS if ok else Status.FAIL, detail, {"guarded": ok})


def result(backend: str, observation: Observation) -> CheckResult:
    """One observation of ``backend``'s findings as a check result."""
    if isinstance(observation, Finding):
        return _finding(backend, observation.algorithm, observation.name, observation.detail,
                        dict(observation.evidence), observation.observed)
    if isinstance(observation, Guard):
        return _guard(backend, observation.algorithm, observation.name, observation.run)
    assert isinstance(observation, NotRun)
    return skipped(FAMILY, backend, observation.algorithm, observation.name, observation.reason)


def backend_findings(backend: str, selected: Sequence[Implementation]) -> list[CheckResult]:
    """The findings ``backend`` declares, run with its ``selected`` implementations."""
    run = backend_capabilities(backend).findings
    return [result(backend, observation) for observation in (run(selected) if run else ())]
