"""Tables of a `pqc tls` result (rich renderables that fit 80 columns)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group as Rows
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from pqc.tls.analytic import handshake_round_trips
from pqc.tls.results import HandshakeRun, LinkRun, ModelRow, TLSResult


def _ms(ns: float) -> str:
    return f"{ns / 1e6:,.2f}"


def _label(run: HandshakeRun | LinkRun, chains: bool) -> Text:
    text = Text(run.group)
    text.append(f"\n+ {run.certificate}", style="dim")
    if chains:
        text.append(f" ×{run.chain}", style="dim")
    return text


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right", no_wrap=True)
    return table


def timing_table(runs: Sequence[HandshakeRun]) -> Table:
    chains = len({r.chain for r in runs}) > 1
    table = _table(
        "In-process TLS 1.3 handshakes (ms; CPU per side, medians)",
        ["group + cert", "median", "IQR", "p99", "hs/s", "client", "server"],
    )
    for run in runs:
        table.add_row(
            _label(run, chains),
            _ms(run.latency.median_ns),
            _ms(run.latency.iqr_ns),
            _ms(run.latency.p99_ns),
            f"{run.handshakes_per_s:,.0f}",
            _ms(run.client_cpu.median_ns),
            _ms(run.server_cpu.median_ns),
        )
    return table


def wire_table(runs: Sequence[HandshakeRun]) -> Table:
    chains = len({r.chain for r in runs}) > 1
    table = _table(
        "On the wire (bytes with record headers; as OpenSSL reports)",
        ["negotiated + cert", "scheme", "C→S", "S→C", "certs", "fl/r", "RTT"],
    )
    for run in runs:
        said = Text(run.negotiated_group)
        said.append(f"\n+ {run.certificate}" + (f" ×{run.chain}" if chains else ""), style="dim")
        table.add_row(
            said,
            run.signature_scheme,
            f"{run.client_to_server_bytes:,}",
            f"{run.server_to_client_bytes:,}",
            f"{sum(run.certificate_sizes):,}",
            f"{len(run.flights)}/{run.records}",
            str(handshake_round_trips(run.flights)),
        )
    return table


def model_table(rows: Sequence[ModelRow]) -> Table:
    table = _table(
        "Model (`pqc handshake`) vs real: CPU ms and bytes",
        ["suite", "model C/S", "real C/S", "model B", "real B", "×"],
    )
    for row in rows:
        model_bytes = row.model_client_to_server_bytes + row.model_server_to_client_bytes
        real_bytes = row.real_client_to_server_bytes + row.real_server_to_client_bytes
        label = Text(row.title)
        label.append(f"\n{row.group} + {row.certificate}", style="dim")
        table.add_row(
            label,
            f"{_ms(row.model_client_ns)}/{_ms(row.model_server_ns)}",
            f"{_ms(row.real_client_cpu_ns)}/{_ms(row.real_server_cpu_ns)}",
            f"{model_bytes:,}",
            f"{real_bytes:,}",
            f"{real_bytes / max(model_bytes, 1):.1f}",
        )
    return table


def gaps_table(row: ModelRow) -> Table:
    table = _table(f"Where {row.title}'s extra bytes go", ["part", "bytes"])
    for what, size in row.gaps:
        table.add_row(what, f"{size:,}")
    return table


def link_table(links: Sequence[LinkRun]) -> Table:
    response = any(link.response_bytes for link in links)
    columns = ["group + cert", "link", "done", "median", "p90", "RTTs"]
    if response:
        columns.append("last byte")
    table = _table("Over an emulated link (handshake completion, ms)", columns)
    for link in links:
        stats = link.completion
        p90 = _percentile(link.samples_ns, 0.9)
        cells: list[Text | str] = [
            _label(link, False),
            Text(link.profile),
            f"{link.completed}/{link.attempts}",
            _ms(stats.median_ns) if stats else "-",
            _ms(p90) if p90 is not None else "-",
            f"{link.analytic_round_trips}",
        ]
        if response:
            cells.append(_ms(link.last_byte.median_ns) if link.last_byte else "-")
        table.add_row(*cells)
    return table


def _percentile(samples: Sequence[int], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def result_renderable(result: TLSResult) -> RenderableType:
    """Every table of ``result``, with the run's notes."""
    parts: list[RenderableType] = [
        Text(f"{result.tls_library}; chain = certificates the server sends (root kept by the "
             "client, which verifies the chain and the host name).", style="dim"),
    ]  # fmt: skip
    if result.runs:
        parts += [timing_table(result.runs), wire_table(result.runs)]
        parts.append(Text("fl/r = flights/records; RTT = round trips until the client is done "
                          "over TCP at its initial window of 10 segments (TCP's own + the "
                          "server flight's), from these flight sizes.", style="dim"))  # fmt: skip
    if result.model:
        parts.append(model_table(result.model))
        parts.append(Text("model = sums of operation medians and cryptographic bytes; real = "
                          "whole handshakes, framing, extensions, DER certificates, "
                          "binding calls. See docs/readme/tls.md.", style="dim"))  # fmt: skip
    if result.links:
        parts.append(link_table(result.links))
    if result.link_note:
        parts.append(Text(result.link_note, style="yellow"))
    for line in result.skipped:
        parts.append(Text(f"skipped: {line}", style="yellow"))
    return Rows(*parts)
