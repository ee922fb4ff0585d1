"""Rendering results and comparisons: rich tables (terminal), CSV and Markdown (text).

Nothing here prints; the CLI decides where output goes. Every row names the
backend and its implementation language, so a pure-Python figure is never
read as a fact about the algorithm.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from pqc.bench.compare import Comparison
from pqc.bench.results import BenchResult, CaseResult
from pqc.jsondata import to_data

KIND_TITLES = {"kem": "Key encapsulation (KEM)", "signature": "Signatures"}


@dataclass(frozen=True)
class Row:
    """One case, ready to render: the case, its ratio to the baseline, warning note numbers."""

    case: CaseResult
    ratio: float | None
    notes: tuple[int, ...]
    first_of_implementation: bool


@dataclass(frozen=True)
class Section:
    """The rows of one kind, with the baseline they are compared to (or None)."""

    kind: str
    baseline: str | None
    baseline_backend: str | None
    rows: tuple[Row, ...]


def baseline_cases(result: BenchResult, kind: str) -> dict[str, CaseResult]:
    """The baseline's case per op for ``kind`` (its first backend in the run), or an empty dict."""
    name = result.settings.baselines.get(kind)
    found: dict[str, CaseResult] = {}
    for case in result.by_kind(kind):
        if case.algorithm == name and case.op not in found:
            found[case.op] = case
    return found


def sections(result: BenchResult) -> tuple[tuple[Section, ...], tuple[str, ...]]:
    """One section per kind present (KEMs first), and the numbered warning texts."""
    notes: list[str] = []
    out = []
    for kind in ("kem", "signature"):
        cases = result.by_kind(kind)
        if not cases:
            continue
        base = baseline_cases(result, kind)
        rows = []
        previous: tuple[str, str] | None = None
        for case in cases:
            numbers = []
            for text in case.warnings:
                notes.append(f"{case.label}: {text}")
                numbers.append(len(notes))
            reference = base.get(case.op)
            ratio = (
                case.centre_ns / reference.centre_ns
                if reference is not None and reference.centre_ns > 0
                else None
            )
            implementation = (case.algorithm, case.backend)
            rows.append(Row(case, ratio, tuple(numbers), implementation != previous))
            previous = implementation
        first = next(iter(base.values()), None)
        out.append(
            Section(
                kind=kind,
                baseline=first.algorithm if first else None,
                baseline_backend=first.backend if first else None,
                rows=tuple(rows),
            )
        )
    return tuple(out), tuple(notes)


# ---------------------------------------------------------------- number formats
def format_us(ns: float) -> str:
    """Nanoseconds as microseconds with about three significant digits."""
    us = ns / 1000.0
    if us < 10:
        return f"{us:.2f}"
    if us < 1000:
        return f"{us:.1f}"
    return f"{us:,.0f}"


def format_ops(ops_per_s: float) -> str:
    return f"{ops_per_s:,.0f}" if ops_per_s >= 10 else f"{ops_per_s:.2f}"


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.2f}x" if ratio < 100 else f"{ratio:,.0f}x"


def _payload_size(case: CaseResult) -> str:
    size = case.sizes.get("ciphertext", case.sizes.get("signature"))
    return "" if size is None else str(size)


def machine_line(result: BenchResult) -> str:
    """One line describing the machine, Python and settings."""
    m = result.machine
    cores = f"{m.usable_cpus or m.logical_cpus} CPUs"
    flags = " ".join(m.cpu_flags) or "no crypto flags read"
    governor = f", governor {m.governor}" if m.governor else ""
    s = result.settings
    mode = "quick, " if s.quick else ""
    return (
        f"{m.cpu_model or 'unknown CPU'} ({m.architecture}, {cores}{governor}; {flags}); "
        f"{m.os} {m.kernel}; {m.python_implementation} {m.python_version}. "
        f"{mode}{s.seconds:g} s per case, {s.message_size}-byte messages, "
        f"engine overhead {result.timer.empty_call_ns:.0f} ns per call."
    )


def _title(section: Section) -> str:
    title = KIND_TITLES.get(section.kind, section.kind)
    if section.baseline:
        title += f" - ratio to {section.baseline} [{section.baseline_backend}]"
    return title


HEADERS = (
    "algorithm", "backend", "language", "op", "median µs", "IQR µs", "ops/s", "ratio",
    "pk B", "ct/sig B", "n", "notes",
)  # fmt: skip


def _cells(row: Row) -> list[str]:
    case = row.case
    first = row.first_of_implementation
    return [
        case.algorithm if first else "",
        case.backend if first else "",
        case.language if first else "",
        case.op,
        format_us(case.centre_ns),
        format_us(case.within_run_stats.iqr_ns),
        format_ops(1e9 / max(case.centre_ns, 1.0)),
        format_ratio(row.ratio),
        str(case.sizes.get("public_key", "")) if first else "",
        _payload_size(case) if first else "",
        str(case.stats.n) + ("" if case.complete else " (incomplete)"),
        ",".join(str(n) for n in row.notes),
    ]


# ---------------------------------------------------------------- rich
def result_renderable(result: BenchResult) -> RenderableType:
    """Tables per kind, warnings, skipped algorithms and the machine line, for a rich console."""
    parts: list[RenderableType] = [Text(machine_line(result), style="dim")]
    found, notes = sections(result)
    for section in found:
        table = Table(title=_title(section), title_justify="left")
        for header in HEADERS:
            numeric = header in ("median µs", "IQR µs", "ops/s", "ratio", "n")
            table.add_column(header, justify="right" if numeric else "left")
        for row in section.rows:
            cells = _cells(row)
            if row.case.language == "pure Python" and row.first_of_implementation:
                cells[2] = f"[yellow]{cells[2]}[/yellow]"
            table.add_row(*cells, end_section=False)
        parts.append(table)
    if notes:
        parts.append(Text("Notes:", style="bold"))
        parts.extend(Text(f"  [{i}] {text}", style="yellow") for i, text in enumerate(notes, 1))
    if result.skipped:
        parts.append(Text("Not timed:", style="bold"))
        parts.extend(Text(f"  {text}", style="red") for text in result.skipped)
    if not result.complete:
        parts.append(Text("This run was interrupted: the result is incomplete.", style="bold red"))
    return Group(*parts)


# ---------------------------------------------------------------- markdown
def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def to_markdown(result: BenchResult) -> str:
    """GitHub-flavoured Markdown: the machine, one table per kind, notes, skipped."""
    lines = [f"_{machine_line(result)}_", ""]
    found, notes = sections(result)
    for section in found:
        lines += [f"### {_title(section)}", "", _md_row(HEADERS)]
        numeric = {"median µs", "IQR µs", "ops/s", "ratio", "n"}
        lines.append("|" + "|".join("---:" if h in numeric else "---" for h in HEADERS) + "|")
        lines += [_md_row(_cells(row)) for row in section.rows]
        lines.append("")
    if notes:
        lines += ["Notes:", ""] + [f"{i}. {text}" for i, text in enumerate(notes, 1)] + [""]
    if result.skipped:
        lines += ["Not timed:", ""] + [f"- {text}" for text in result.skipped] + [""]
    if not result.complete:
        lines += ["**This run was interrupted: the result is incomplete.**", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- CSV
CSV_COLUMNS = (
    "algorithm", "kind", "family", "backend", "backend_version", "language", "op", "n",
    "median_ns", "q1_ns", "q3_ns", "iqr_ns", "p99_ns", "min_ns", "max_ns", "mean_ns",
    "stdev_ns", "cv", "ops_per_s", "baseline", "ratio_to_baseline", "public_key",
    "secret_key", "ciphertext", "signature", "shared_secret", "message_size", "inputs",
    "complete", "warnings",
)  # fmt: skip


SIZE_COLUMNS = ("public_key", "secret_key", "ciphertext", "signature", "shared_secret")


SIZE_COLUMNS = ("public_key", "secret_key", "ciphertext", "signature", "shared_secret")


def to_csv(result: BenchResult) -> str:
    """One row per case with every statistic and size (raw samples are in the JSON)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    found, _ = sections(result)
    for section in found:
        for row in section.rows:
            case = row.case
            writer.writerow(
                {
                    "algorithm": case.algorithm,
                    "kind": case.kind,
                    "family": case.family,
                    "backend": case.backend,
                    "backend_version": case.backend_version or "",
                    "language": case.language,
                    "op": case.op,
                    **to_data(case.stats),
                    "baseline": section.baseline or "",
                    "ratio_to_baseline": "" if row.ratio is None else repr(row.ratio),
                    **{name: case.sizes.get(name, "") for name in SIZE_COLUMNS},
                    "message_size": "" if case.message_size is None else case.message_size,
                    "inputs": case.inputs,
                    "complete": str(case.complete).lower(),
                    "warnings": " | ".join(case.warnings),
                }
            )
    return buffer.getvalue()


# ---------------------------------------------------------------- comparisons
COMPARE_HEADERS = (
    "algorithm", "backend", "op", "runs", "A µs", "B µs", "B/A", "95% CI", "p", "verdict",
)  # fmt: skip


def _compare_cells(comparison: Comparison) -> list[list[str]]:
    return [
        [
            c.algorithm,
            c.backend,
            c.op,
            f"{c.runs_a}/{c.runs_b}",
            format_us(c.median_a_ns),
            format_us(c.median_b_ns),
            f"{c.ratio:.3f}",
            f"{c.ratio_low:.3f}-{c.ratio_high:.3f}" if c.ratio_high is not None else "-",
            f"{c.p_value:.2g}" if c.p_value is not None else "-",
            c.verdict,
        ]
        for c in comparison.cases
    ]


def comparison_summary(comparison: Comparison) -> list[str]:
    """Lines summarising a comparison: counts, geometric means, unpaired cases."""
    total = len(comparison.cases)
    counts = ", ".join(
        f"{comparison.count(v)} {v}" for v in ("faster", "slower", "same", "not significant",
                                               "not judged") if comparison.count(v)
    )
    adjusted = comparison.adjusted_cases
    basis = (
        "run medians" if not adjusted
        else "run medians divided by the machine's speed around them (drift monitor"
        + ("" if adjusted == total else f"; {adjusted} of {total} cases")
        + ")"
    )
    lines = [
        f"{total} paired cases (B vs A): {counts}. Judged on {basis}: Welch's t on their "
        f"logs, p < {comparison.alpha:g}; within {comparison.min_effect:.0%} = same.",
        *(f"Warning: {text}." for text in comparison.warnings),
    ]
    if comparison.instruction_summary() is not None:
        lines.append(str(comparison.instruction_summary()))
    if comparison.geometric_mean is not None:
        lines.append(f"Geometric mean of B/A: {comparison.geometric_mean:.3f} (all pairs)")
    if comparison.geometric_mean_significant is not None:
        lines.append(
            f"Geometric mean of B/A: {comparison.geometric_mean_significant:.3f} "
            "(significant pairs only)"
        )
    if comparison.only_a:
        lines.append("Only in A: " + ", ".join(comparison.only_a))
    if comparison.only_b:
        lines.append("Only in B: " + ", ".join(comparison.only_b))
    return lines


def comparison_renderable(comparison: Comparison, title: str) -> RenderableType:
    """A rich table of a comparison and its summary lines."""
    table = Table(title=title, title_justify="left")
    for header in COMPARE_HEADERS:
        table.add_column(
            header, justify="left" if header in ("algorithm", "backend", "op") else "right"
        )
    colours = {"faster": "green", "slower": "red", "same": "dim", "not significant": "dim",
               "not judged": "yellow"}
    for cells, case in zip(_compare_cells(comparison), comparison.cases, strict=True):
        cells[-1] = f"[{colours[case.verdict]}]{cells[-1]}[/{colours[case.verdict]}]"
        table.add_row(*cells)
    return Group(table, *(Text(line) for line in comparison_summary(comparison)))


def comparison_markdown(comparison: Comparison, title: str) -> str:
    """A comparison as a Markdown table with its summary."""
    lines = [f"### {title}", "", _md_row(COMPARE_HEADERS)]
    lines.append(
        "|" + "|".join("---" if i < 3 else "---:" for i in range(len(COMPARE_HEADERS))) + "|"
    )
    lines += [_md_row(cells) for cells in _compare_cells(comparison)]
    lines += ["", *comparison_summary(comparison), ""]
    return "\n".join(lines)
