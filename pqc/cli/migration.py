"""`pqc handshake`, `pqc plot` and `pqc report`: the migration view."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence

import click
from rich.table import Table
from rich.text import Text

from pqc import resultkinds
from pqc.bench.results import BenchResult, read_result, write_result
from pqc.bench.terminal import compact_table
from pqc.cli.common import (
    counted_progress,
    file_option,
    progress_bar,
    stderr_console,
    stdout_console,
)
from pqc.handshake import (
    ALL_SUITES,
    DEFAULT_CHAIN,
    DEFAULT_SUITES,
    HandshakeCost,
    costs_from_result,
    handshake_document,
    read_handshake,
    suite,
    write_handshake,
)
from pqc.handshake.cost import PartTimes
from pqc.handshake.suites import Suite


def _suites(names: Sequence[str]) -> list[Suite]:
    if not names:
        return list(DEFAULT_SUITES)
    chosen: list[Suite] = []
    for name in names:
        if name.strip().lower() == "all":
            chosen.extend(ALL_SUITES)
        else:
            chosen.append(suite(name))
    return list({s.name: s for s in chosen}.values())


def _ms(ns: float) -> str:
    return f"{ns / 1e6:,.3f}"


def _part(part: PartTimes) -> Text:
    """``ALGORITHM backend (language)``, noting a hybrid costed as the sum of its parts."""
    text = Text(part.algorithm)
    note = ", sum of parts" if part.source == "sum of parts" else ""
    text.append(f" {part.backend} ({part.language}{note})", style="dim")
    return text


def _tables(title: str, costs: Sequence[HandshakeCost]) -> list[Table]:
    """Two tables that fit 80 columns: the costs per suite, then what each suite is made of."""
    cost = compact_table(f"{title}: CPU ms (sum of medians) and bytes on the wire")
    cost.add_column("suite")
    for column in ("client ms", "server ms", "total ms", "C→S B", "S→C B", "total B"):
        cost.add_column(column, justify="right", no_wrap=True)
    parts = compact_table(f"{title}: what each suite is made of")
    parts.add_column("suite")
    parts.add_column("key exchange")
    parts.add_column("certificates")
    for item in costs:
        name = Text(item.suite.title, style="bold")
        cost.add_row(name, _ms(item.client_ns), _ms(item.server_ns), _ms(item.total_ns),
                     f"{item.client_to_server_bytes:,}", f"{item.server_to_client_bytes:,}",
                     f"{item.total_bytes:,}")  # fmt: skip
        parts.add_row(name, _part(item.kem), _part(item.signature))
    return [cost, parts]


@click.command("handshake")
@click.option(
    "--suite",
    "suite_names",
    multiple=True,
    metavar="NAME",
    help=f"Suite to cost (repeatable): {', '.join(s.name for s in ALL_SUITES)}, all, or "
    f"KEM+SIGNATURE. Default: {', '.join(s.name for s in DEFAULT_SUITES)}.",
)
@click.option(
    "--backend",
    "-b",
    "only",
    multiple=True,
    metavar="B",
    help="Only this backend (repeatable): every part of a suite on these backends; "
    "suites they cannot make are listed as not costed.",
)
@click.option(
    "--also-on",
    "backend",
    default=None,
    metavar="B",
    help="Also cost every suite on backend B where B implements a part (fastest elsewhere), "
    "in a second table.",
)
@click.option(
    "--chain",
    default=DEFAULT_CHAIN,
    show_default=True,
    type=click.IntRange(min=1),
    help="Certificates the server sends (the client verifies chain + 1 signatures).",
)
@file_option(
    "--from", "from_path", "RESULT.json",
    "Read medians from a `pqc bench --json` result instead of timing now.",
)  # fmt: skip
@click.option("--seconds", default=None, type=float, help="Time budget per timed case.")
@click.option("--quick", is_flag=True, help="Short timing run (noisier).")
@file_option(
    "--save-result", "save_result", "PATH", "Also write the timings taken now as a bench result."
)
@file_option(
    "--json", "json_path", "PATH", "Write the comparison as JSON to PATH ('-' for stdout)."
)
def handshake_command(
    suite_names: tuple[str, ...],
    only: tuple[str, ...],
    backend: str | None,
    chain: int,
    from_path: str | None,
    seconds: float | None,
    quick: bool,
    save_result: str | None,
    json_path: str | None,
) -> None:
    """CPU time and bytes on the wire of a TLS-1.3-style handshake per suite.

    Key exchange: client keygen, server encaps, client decaps. Authentication:
    the server signs once (CertificateVerify); the client verifies it and one
    signature per certificate sent (chain + 1 verifies). Times are sums of
    measured medians; bytes are the key shares, the certificates' public keys
    and signatures, and the CertificateVerify signature.
    """
    suites = _suites(suite_names)
    from pqc.backends import backend_module

    for name in (*only, *([backend] if backend else [])):
        backend_module(name)  # an unknown backend name fails here, in one line
    if from_path is not None:
        result: BenchResult = read_result(from_path)
    else:
        from pqc.handshake.measure import measure

        with progress_bar(stderr_console()) as bar:
            result = measure(suites, backend=backend or (only[0] if only else None),
                             seconds=seconds, quick=quick, command=["pqc", *sys.argv[1:]],
                             progress=counted_progress(bar, "timing"))  # fmt: skip
        if save_result:
            write_result(result, save_result)
    costed = _only(result, only) if only else result
    costs, skipped = costs_from_result(costed, suites, chain=chain)
    if only:
        where = ", ".join(only)
        skipped = [f"{line} (only {where})" for line in skipped]
    chosen = chosen_skipped = None
    if backend is not None:
        chosen, chosen_skipped = costs_from_result(costed, suites, chain=chain, backend=backend)
    document = handshake_document(
        costs, skipped, chain=chain, backend=backend, source=result, source_path=from_path,
        chosen=chosen, chosen_skipped=chosen_skipped or (), command=["pqc", *sys.argv[1:]],
    )  # fmt: skip
    if json_path == "-":
        click.echo(resultkinds.dumps(document))
        return
    if json_path is not None:
        write_handshake(document, json_path)
    console = stdout_console()
    scope = f"on {', '.join(only)} only" if only else "fastest backend per part"
    for table in _tables(f"Handshake, {scope} (chain {chain})", costs):
        console.print(table)
        console.print()
    if chosen is not None:
        for table in _tables(f"On backend {backend} where it implements a part", chosen):
            console.print(table)
            console.print()
    for line in [*skipped, *(chosen_skipped or [])]:
        stderr_console().print(f"not costed: {line}", style="yellow", highlight=False,
                               markup=False)  # fmt: skip
    for note in dict.fromkeys(n for c in [*costs, *(chosen or [])] for n in c.notes):
        console.print(f"note: {note}", style="yellow", highlight=False, markup=False)
    console.print(
        f"client = keygen + decaps + {chain + 1} x verify; server = encaps + sign; "
        "B = bytes, cryptographic bytes only (no names, extensions or framing); "
        "C→S client to server, S→C server to client.", style="dim", highlight=False,
    )


def _only(result: BenchResult, backends: Sequence[str]) -> BenchResult:
    """``result`` with only the cases of ``backends`` (hybrids are then sums of those parts)."""
    keep = set(backends)
    return dataclasses.replace(result, cases=tuple(c for c in result.cases if c.backend in keep))


@click.command("plot")
@click.argument("result_path", metavar="RESULT.json")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.png|FILE.svg",
    help="Image to write; the format follows the extension.",
)
@click.option(
    "--kind",
    "chart",
    type=click.Choice(["ops", "scatter", "both", "handshake"]),
    default="both",
    show_default=True,
    help="ops: operations/s per algorithm (log scale, by kind); scatter: bytes vs "
    "time; both: the ops panels above the scatter; handshake: CPU and bytes per default "
    "suite (fastest backends in the result).",
)
def plot_command(result_path: str, output: str, chart: str) -> None:
    """Chart a bench result: operations per second and size against time."""
    from pqc.report import plot

    plot.image_format(output)  # refuse a bad extension before any work
    result = read_result(result_path)
    if chart == "handshake":
        costs, skipped = costs_from_result(result, DEFAULT_SUITES)
        for line in skipped:  # never drop a suite silently
            stderr_console().print(f"not plotted: {line}", style="yellow", markup=False,
                                   highlight=False)  # fmt: skip
        figure = plot.handshake_figure(costs, skipped)
    else:
        figure = plot.figure_for(result, chart)
    plot.save(figure, output)
    stderr_console().print(f"wrote {output}")


@click.command("report")
@click.argument("result_path", metavar="RESULT.json")
@click.option("-o", "--output", required=True, metavar="report.html", help="HTML file to write.")
@file_option(
    "--handshake", "handshake_path", "H.json",
    "A `pqc handshake --json` file (default: computed from RESULT.json).",
)  # fmt: skip
@file_option("--verify", "verify_path", "V.json", "A `pqc verify --json` file to include.")
@file_option("--leak", "leak_path", "L.json", "A `pqc leak --json` file to include.")
@file_option("--tls", "tls_path", "T.json", "A `pqc tls --json` file to include.")
def report_command(
    result_path: str,
    output: str,
    handshake_path: str | None,
    verify_path: str | None,
    leak_path: str | None,
    tls_path: str | None,
) -> None:
    """One self-contained HTML report (no network), summary first: the fastest implementation
    of each algorithm, the migration table, verify, leak and TLS results in words; then
    timings (every column explained), charts, handshake detail and the machine."""
    from pqc.report.html import build_report, read_section_input, write_report

    result = read_result(result_path)
    handshake = read_handshake(handshake_path) if handshake_path else None
    verify = read_section_input(verify_path, "verify") if verify_path else None
    leak = read_section_input(leak_path, "leak") if leak_path else None
    tls = read_section_input(tls_path, "tls") if tls_path else None
    sources = {"result": result_path}
    for key, value in (("handshake", handshake_path), ("verify", verify_path),
                       ("leak", leak_path), ("tls", tls_path)):  # fmt: skip
        if value:
            sources[key] = value
    page = build_report(result, handshake=handshake, verify=verify, leak=leak, tls=tls,
                        sources=sources)  # fmt: skip
    write_report(page, output)
    stderr_console().print(f"wrote {output}")
