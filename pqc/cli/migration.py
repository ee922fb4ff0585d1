"""`pqc handshake`, `pqc plot` and `pqc report`: the migration view."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click
from rich.table import Table

from pqc.bench.results import BenchResult, read_result, write_result
from pqc.cli.common import emit_json, stderr_console, stdout_console
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


def _progress(done: int, total: int, label: str) -> None:
    if label:
        stderr_console().print(f"[dim]timing {done + 1}/{total}: {label}[/dim]")


def _table(title: str, costs: Sequence[HandshakeCost]) -> Table:
    table = Table(title=title)
    for column in ("suite", "key exchange", "certificates", "client ms", "server ms",
                   "total ms", "C→S bytes", "S→C bytes", "total bytes"):  # fmt: skip
        numeric = "ms" in column or "bytes" in column
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for cost in costs:
        kem_note = ", sum of parts" if cost.kem.source == "sum of parts" else ""
        table.add_row(
            cost.suite.title,
            f"{cost.kem.algorithm}\n[dim]{cost.kem.backend} ({cost.kem.language}{kem_note})[/dim]",
            f"{cost.signature.algorithm}\n[dim]{cost.signature.backend} "
            f"({cost.signature.language})[/dim]",
            f"{cost.client_ns / 1e6:,.3f}",
            f"{cost.server_ns / 1e6:,.3f}",
            f"{cost.total_ns / 1e6:,.3f}",
            f"{cost.client_to_server_bytes:,}",
            f"{cost.server_to_client_bytes:,}",
            f"{cost.total_bytes:,}",
        )
    return table


@click.command("handshake")
@click.option(
    "--suite",
    "suite_names",
    multiple=True,
    metavar="NAME",
    help="Suite to cost (repeatable): classical, nist-pq, hybrid, gm, gm-hybrid, "
    "hybrid-p256, gm-enc, classical-ed25519, all, or KEM+SIGNATURE. "
    "Default: the first five.",
)
@click.option(
    "--backend",
    default=None,
    metavar="B",
    help="Also cost every suite on backend B (where B implements a part).",
)
@click.option(
    "--chain",
    default=DEFAULT_CHAIN,
    show_default=True,
    type=click.IntRange(min=1),
    help="Certificates the server sends (the client verifies chain + 1 signatures).",
)
@click.option(
    "--from",
    "from_path",
    default=None,
    metavar="RESULT.json",
    help="Read medians from a `pqc bench --json` result instead of timing now.",
)
@click.option("--seconds", default=None, type=float, help="Time budget per timed case.")
@click.option("--quick", is_flag=True, help="Short timing run (noisier).")
@click.option(
    "--save-result",
    default=None,
    metavar="PATH",
    help="Also write the timings taken now as a bench result.",
)
@click.option(
    "--json",
    "json_path",
    default=None,
    metavar="PATH",
    help="Write the comparison as JSON to PATH ('-' for stdout).",
)
def handshake_command(
    suite_names: tuple[str, ...],
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
    if backend is not None:
        from pqc.backends import backend_module

        backend_module(backend)  # an unknown backend name fails here, in one line
    if from_path is not None:
        result: BenchResult = read_result(from_path)
    else:
        from pqc.handshake.measure import measure

        result = measure(suites, backend=backend, seconds=seconds, quick=quick,
                         command=["pqc", *sys.argv[1:]], progress=_progress)  # fmt: skip
        if save_result:
            write_result(result, save_result)
    costs, skipped = costs_from_result(result, suites, chain=chain)
    chosen = chosen_skipped = None
    if backend is not None:
        chosen, chosen_skipped = costs_from_result(result, suites, chain=chain, backend=backend)
    document = handshake_document(
        costs, skipped, chain=chain, backend=backend, source=result, source_path=from_path,
        chosen=chosen, chosen_skipped=chosen_skipped or (),
    )  # fmt: skip
    if json_path == "-":
        emit_json(document)
        return
    if json_path is not None:
        write_handshake(document, json_path)
    console = stdout_console()
    if not console.is_terminal:
        console.width = max(console.width, 150)  # piped into a file: keep rows on one line
    console.print(_table(f"Handshake cost, fastest backend per part (chain {chain})", costs))
    if chosen is not None:
        console.print(_table(f"On backend {backend} where it implements a part", chosen))
    for line in [*skipped, *(chosen_skipped or [])]:
        stderr_console().print(f"[yellow]not costed: {line}[/yellow]")
    console.print(
        f"[dim]client = keygen + decaps + {chain + 1} x verify; server = encaps + sign; "
        "bytes = cryptographic bytes only (no names, extensions or framing).[/dim]"
    )


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
        costs, _ = costs_from_result(result, DEFAULT_SUITES)
        figure = plot.handshake_figure([cost.to_dict() for cost in costs])
    else:
        figure = plot.figure_for(result, chart)
    plot.save(figure, output)
    stderr_console().print(f"wrote {output}")


@click.command("report")
@click.argument("result_path", metavar="RESULT.json")
@click.option("-o", "--output", required=True, metavar="report.html", help="HTML file to write.")
@click.option(
    "--handshake",
    "handshake_path",
    default=None,
    metavar="H.json",
    help="A `pqc handshake --json` file (default: computed from RESULT.json).",
)
@click.option(
    "--verify",
    "verify_path",
    default=None,
    metavar="V.json",
    help="Verification results to include.",
)
@click.option(
    "--leak", "leak_path", default=None, metavar="L.json", help="Timing-leak results to include."
)
def report_command(
    result_path: str,
    output: str,
    handshake_path: str | None,
    verify_path: str | None,
    leak_path: str | None,
) -> None:
    """One self-contained HTML report (no network): tables, charts, handshake, verify, leak."""
    from pqc.report.html import build_report, read_json_document, write_report

    result = read_result(result_path)
    handshake = read_handshake(handshake_path) if handshake_path else None
    verify: Any = read_json_document(verify_path) if verify_path else None
    leak: Any = read_json_document(leak_path) if leak_path else None
    sources = {"result": result_path}
    for key, value in (("handshake", handshake_path), ("verify", verify_path),
                       ("leak", leak_path)):  # fmt: skip
        if value:
            sources[key] = value
    write_report(
        build_report(result, handshake=handshake, verify=verify, leak=leak, sources=sources), output
    )
    stderr_console().print(f"wrote {output}")
