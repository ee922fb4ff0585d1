"""What a run says, as data the report puts first: facts in plain words, no HTML here.

- :func:`fastest_per_algorithm`: per family and algorithm, the fastest
  implementation (sum of its operations' medians) with its language, and how
  much slower the others are;
- :func:`migration_rows`: the handshake suites against the classical one;
- :func:`verify_facts`, :func:`leak_facts`, :func:`tls_facts`: failures,
  findings, verdicts and handshakes from those results' JSON, in words;
- :func:`banners`: warnings about the run itself (quick, loaded, interrupted).

Inputs other than the bench result are plain JSON (as the files hold them),
so a file of an older layout still yields what it can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pqc.bench.results import BenchResult, CaseResult
from pqc.handshake.document import HandshakeResult

LOADED = 0.5  # load average per usable CPU above which the machine is called loaded
OPS = {"kem": ("keygen", "encaps", "decaps"), "signature": ("keygen", "sign", "verify")}


@dataclass(frozen=True)
class Implementation:
    """One algorithm on one backend: the sum of its operations' medians (ns)."""

    algorithm: str
    family: str
    kind: str
    backend: str
    language: str
    total_ns: float
    ops: tuple[str, ...]


@dataclass(frozen=True)
class Fastest:
    """The fastest implementation of an algorithm and the others as multiples of it."""

    best: Implementation
    others: tuple[tuple[Implementation, float], ...]


def implementations(result: BenchResult) -> list[Implementation]:
    """Each (algorithm, backend) timed for every op of its kind, in run order."""
    grouped: dict[tuple[str, str], dict[str, CaseResult]] = {}
    for case in result.cases:
        if case.stats.n > 0:
            grouped.setdefault((case.algorithm, case.backend), {})[case.op] = case
    found = []
    for (algorithm, backend), cases in grouped.items():
        first = next(iter(cases.values()))
        ops = tuple(op for op in OPS.get(first.kind, ()) if op in cases)
        if not ops:
            continue
        found.append(Implementation(
            algorithm, first.family, first.kind, backend, first.language,
            sum(cases[op].centre_ns for op in ops), ops,
        ))  # fmt: skip
    return found


def fastest_per_algorithm(result: BenchResult) -> dict[str, list[Fastest]]:
    """family -> one :class:`Fastest` per algorithm (only implementations timed for the same
    operations are compared)."""
    by_algorithm: dict[str, list[Implementation]] = {}
    for item in implementations(result):
        by_algorithm.setdefault(item.algorithm, []).append(item)
    families: dict[str, list[Fastest]] = {}
    for items in by_algorithm.values():
        widest = max(len(i.ops) for i in items)
        comparable = [i for i in items if len(i.ops) == widest]
        best = min(comparable, key=lambda i: i.total_ns)
        others = tuple(
            (i, i.total_ns / best.total_ns)
            for i in sorted(comparable, key=lambda i: i.total_ns) if i is not best
        )  # fmt: skip
        families.setdefault(best.family, []).append(Fastest(best, others))
    return families


def banners(result: BenchResult) -> list[str]:
    """Sentences a reader must see before any number: quick run, loaded machine, partial."""
    found = []
    if not result.complete:
        found.append("This run was interrupted: some cases are missing or partial.")
    if result.settings.quick:
        found.append(
            f"Quick run ({result.settings.seconds:g} s per case): medians are rough; rerun "
            "without --quick before quoting a number."
        )
    load = result.machine.load_average
    cpus = result.machine.usable_cpus or result.machine.logical_cpus or 1
    if load is not None and load[0] > LOADED * cpus:
        found.append(
            f"The machine was loaded (load average {load[0]:.1f} on {cpus} CPUs): timings "
            "include other work; rerun on an idle machine."
        )
    flagged = sum(bool(case.warnings) for case in result.cases)
    if flagged:
        found.append(f"{flagged} of {len(result.cases)} cases carry a warning (see Timings).")
    return found


# ---------------------------------------------------------------- handshake
@dataclass(frozen=True)
class MigrationRow:
    title: str
    key_exchange: str
    certificates: str
    total_ms: float
    total_bytes: int
    time_ratio: float | None
    bytes_ratio: float | None


def migration_rows(document: HandshakeResult) -> list[MigrationRow]:
    """Each costed suite with its time and bytes as multiples of the first (classical) one."""
    rows: list[MigrationRow] = []
    base: tuple[float, int] | None = None
    for item in document.suites:
        total_ms, total_bytes = item.total_ns / 1e6, item.total_bytes
        kem, sig = item.kem, item.signature
        row = (item.suite.title, f"{kem.algorithm} ({kem.backend}, {kem.language})",
               f"{sig.algorithm} ({sig.backend}, {sig.language})")  # fmt: skip
        if base is None:
            base = (total_ms, total_bytes)
        rows.append(MigrationRow(
            *row, total_ms, total_bytes,
            total_ms / base[0] if base[0] > 0 else None,
            total_bytes / base[1] if base[1] > 0 else None,
        ))  # fmt: skip
    return rows


# ---------------------------------------------------------------- other results (JSON)
def body(data: Any) -> Mapping[str, Any]:
    """The fields of a result file: an envelope's body merged with its header, or the file."""
    if not isinstance(data, Mapping):
        return {}
    if isinstance(data.get("body"), Mapping):
        return {**{k: v for k, v in data.items() if k != "body"}, **data["body"]}
    return data


@dataclass(frozen=True)
class Fact:
    """One sentence about a check, a verdict or a handshake, with its status for colour."""

    status: str  # "fail", "finding", "leak", "inconclusive", "no-leak", "pass", "info"
    subject: str
    text: str


def verify_facts(data: Any) -> tuple[list[Fact], dict[str, int]]:
    """Failures and findings of a verify report, and its counts per status."""
    fields = body(data)
    checks = [c for c in fields.get("checks", fields.get("results", [])) if isinstance(c, Mapping)]
    counts: dict[str, int] = {}
    facts = []
    for check in checks:
        status = str(check.get("status", "?"))
        counts[status] = counts.get(status, 0) + 1
        if status in ("fail", "finding"):
            backends = " -> ".join([str(check.get("backend", "?")),
                                    *map(str, check.get("peers", []))])  # fmt: skip
            subject = f"{check.get('algorithm', '?')} [{backends}] {check.get('family', '')}"
            facts.append(Fact(status, subject.strip(),
                              f"{check.get('name', '')}: {check.get('detail', '')}"))  # fmt: skip
    facts.sort(key=lambda f: f.status != "fail")
    return facts, counts


def leak_facts(data: Any) -> list[Fact]:
    """Each screened case's verdict in words (leaks first)."""
    fields = body(data)
    facts = []
    for case in fields.get("cases", []):
        if not isinstance(case, Mapping):
            continue
        verdict = case.get("verdict", {})
        if not isinstance(verdict, Mapping):
            continue
        subject = (f"{case.get('algorithm', '?')} {case.get('op', '')} "
                   f"[{case.get('backend', '?')}, {case.get('language', '?')}] "
                   f"{case.get('classes', '')}")  # fmt: skip
        facts.append(Fact(str(verdict.get("status", "?")), subject.strip(),
                          str(verdict.get("text", ""))))  # fmt: skip
    order = {"leak": 0, "inconclusive": 1}
    facts.sort(key=lambda f: order.get(f.status, 2))
    return facts


def tls_facts(data: Any) -> list[Fact]:
    """Each real TLS handshake combination: median latency and bytes on the wire."""
    fields = body(data)
    facts = []
    for run in fields.get("runs", []):
        try:
            median_ms = float(run["latency"]["median_ns"]) / 1e6
            up, down = int(run["client_to_server_bytes"]), int(run["server_to_client_bytes"])
            subject = f"{run['group']} + {run['certificate']} (chain {run.get('chain', '?')})"
        except (KeyError, TypeError, ValueError):
            continue
        facts.append(Fact("info", subject, f"median {median_ms:,.2f} ms per handshake; "
                          f"{up:,} B client to server, {down:,} B server to client "
                          f"(TLS records included)"))  # fmt: skip
    return facts


def sentence_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
