"""Tables of a `pqc tls` result (rich renderables that fit 80 columns)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich import box
from rich.console import Group as Rows
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from pqc.tls.analytic import handshake_round_trips
from pqc.tls.results import HandshakeRun, LinkRun, ModelRow, TLSResult


def _ms(ns: float) -> str:
    return f"{ns / 1e6:,.2f}"


def _label(run: HandshakeRun | LinkRun, chains: bool, name: str | None = None) -> Text:
    """``name`` (the run's group by default) over ``+ certificate`` (and ``×chain``)."""
    text = Text(run.group if name is None else name)
    text.append(f"\n+ {run.certificate}" + (f" ×{run.chain}" if chains else ""), style="dim")
    return text


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right", no_wrap=True)
    return table


#: A column of a table with one row per in-process run: its heading and its cell.
RunColumn = tuple[str, Callable[[HandshakeRun], str]]

TIMING_COLUMNS: tuple[RunColumn, ...] = (
    ("median", lambda run: _ms(run.latency.median_ns)),
    ("IQR", lambda run: _ms(run.latency.iqr_ns)),
    ("p99", lambda run: _ms(run.latency.p99_ns)),
    ("hs/s", lambda run: f"{run.handshakes_per_s:,.0f}"),
    ("client", lambda run: _ms(run.client_cpu.median_ns)),
    ("server", lambda run: _ms(run.server_cpu.median_ns)),
)
WIRE_COLUMNS: tuple[RunColumn, ...] = (
    ("scheme", lambda run: run.signature_scheme),
    ("C→S", lambda run: f"{run.client_to_server_bytes:,}"),
    ("S→C", lambda run: f"{run.server_to_client_bytes:,}"),
    ("certs", lambda run: f"{sum(run.certificate_sizes):,}"),
    ("fl/r", lambda run: f"{len(run.flights)}/{run.records}"),
    ("RTT", lambda run: str(handshake_round_trips(run.flights))),
)


def _runs_table(
    title: str, columns: Sequence[RunColumn], runs: Sequence[HandshakeRun], *, negotiated: bool
) -> Table:
    """One row per run, labelled by its group (or the group OpenSSL ``negotiated``) + cert."""
    chains = len({r.chain for r in runs}) > 1
    heading = "negotiated + cert" if negotiated else "group + cert"
    table = _table(title, [heading, *(name for name, _ in columns)])
    for run in runs:
        label = _label(run, chains, run.negotiated_group if negotiated else None)
        table.add_row(label, *(cell(run) for _, cell in columns))
    return table


def timing_table(runs: Sequence[HandshakeRun]) -> Table:
    return _runs_table("In-process TLS 1.3 handshakes (ms; CPU per side, medians)",
                       TIMING_COLUMNS, runs, negotiated=False)  # fmt: skip


def wire_table(runs: Sequence[HandshakeRun]) -> Table:
    return _runs_table("On the wire (bytes with record headers; as OpenSSL reports)",
                       WIRE_COLUMNS, runs, negotiated=True)  # fmt: skip


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
