"""`pqc verify`: conformance, interop, hostile input and library findings, as a matrix."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pqc.bench.terminal import compact_table
from pqc.cli.common import emit_result, stderr_console, stdout_console
from pqc.conformance.model import FAMILIES, Report, Status
from pqc.conformance.result import verify_result
from pqc.conformance.runner import run_verify

STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.FINDING: "yellow",
         Status.SKIPPED: "dim"}


def _skip_reasons(report: Report, backend: str, family: str) -> list[str]:
    return [r.detail for r in report.results
            if r.family == family and backend in r.backends and r.status is Status.SKIPPED]


def _cell(report: Report, backend: str, family: str, notes: list[str]) -> str:
    status, count = report.matrix()[backend][family]
    if status is Status.SKIPPED:
        reasons = _skip_reasons(report, backend, family)
        if not reasons:
            return "[dim]n/a[/dim]"
        if reasons[0] not in notes:
            notes.append(reasons[0])
        return f"[dim]skipped [{notes.index(reasons[0]) + 1}][/dim]"
    return f"[{STYLE[status]}]{status.value} ({count})[/{STYLE[status]}]"


def render_matrix(report: Report, console: Console) -> None:
    """backend x check family, worst status per cell with its count; skip reasons below."""
    table = Table(title="pqc verify: backend x check family")
    table.add_column("backend")
    for family in FAMILIES:
        table.add_column(family)
    notes: list[str] = []
    for backend in report.matrix():
        table.add_row(backend, *(_cell(report, backend, f, notes) for f in FAMILIES))
    console.print(table)
    for number, reason in enumerate(notes, 1):
        console.print(f"  skipped [{number}]: {reason}", highlight=False, markup=False)


def render_details(report: Report, console: Console, everything: bool) -> None:
    """One entry per check (failures and findings always, everything with -v): the status, then
    family, algorithm, backends and check name on one line, the detail wrapped below it, so
    no name is cut at 80 columns."""
    table = compact_table("checks" if everything else "failures and findings")
    table.add_column("status", no_wrap=True)
    table.add_column("check and detail")
    for r in report.results:
        if not everything and r.status not in (Status.FAIL, Status.FINDING):
            continue
        what = Text(f"{r.algorithm} ", style="bold")
        what.append(f"{r.family} · {' -> '.join(r.backends)} · {r.name}")
        detail = r.detail
        if not everything and len(detail) > 240:  # at a word, never inside a number or name
            detail = detail[:240].rsplit(" ", 1)[0] + " ... (-v: in full)"
        what.append("\n" + detail, style="dim")
        table.add_row(Text(r.status.value, style=STYLE[r.status]), what)
    if table.row_count:
        console.print(table)


@click.command("verify")
@click.option("--backend", "-b", "backends", multiple=True, metavar="B",
              help="Only this backend (repeatable; default: every backend).")
@click.option("--algorithm", "-a", "algorithms", multiple=True, metavar="A",
              help="Algorithm to check (repeatable; default: the whole catalog).")
@click.option("--vectors", type=click.Path(file_okay=False), default=None,
              help="Directory holding wycheproof/ (default: $PQC_VECTORS, else shared/vectors "
              "beside the pqc checkout; the path used is printed).")
@click.option("--json", "json_path", metavar="PATH", default=None,
              help="Write the full report as JSON to PATH ('-' for stdout).")
@click.option("--verbose", "-v", is_flag=True, help="List every check with its detail.")
def verify_command(backends: tuple[str, ...], algorithms: tuple[str, ...], vectors: str | None,
                   json_path: str | None, verbose: bool) -> None:
    """Known answers, interop, hostile input and library findings per backend.

    Exit status 1 when any conformance check fails; findings alone do not fail. An
    interop disagreement where only one side reproduces the algorithm's published known
    answers is a finding against the other side (its nonconformance, with the evidence).
    """
    progress = stderr_console()
    with progress.status("verifying ...") as spinner:
        report = run_verify(backends or None, algorithms or None, vectors,
                            progress=lambda message: spinner.update(message))
    stream = sys.stderr if json_path == "-" else sys.stdout
    out = stdout_console(stream)
    render_matrix(report, out)
    render_details(report, out, verbose)
    counts = report.counts()
    out.print(
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['finding']} findings, "
        f"{counts['skipped']} skipped in {report.seconds:.1f} s; vectors: "
        f"{report.vectors or 'none (Wycheproof checks skipped; use --vectors or PQC_VECTORS)'}"
    )
    if json_path is not None:
        emit_result(verify_result(report, command=["pqc", *sys.argv[1:]], backends=backends,
                                  algorithms=algorithms), json_path)  # fmt: skip
    if report.failed:
        raise SystemExit(1)
