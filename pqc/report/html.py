"""One self-contained HTML report: machine, tables, charts, handshake, verify and leak results.

Everything is inline -- CSS, charts as inline SVG, a few lines of script --
and a Content-Security-Policy forbids any network fetch, so the file opens
the same offline, attached to a mail, or archived. Every value taken from an
input file is HTML-escaped. Verify and leak results are written by other
tools; they are rendered generically (tables of whatever records they hold)
and any ``format``/``schema_version`` they carry is shown.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pqc.bench.results import BenchResult, CaseResult
from pqc.errors import PQCError, ResultFormatError
from pqc.handshake import DEFAULT_SUITES, costs_from_result, handshake_document
from pqc.jsondata import to_data
from pqc.report import plot
from pqc.resultfile import atomic_write_text

MAX_ROWS = 400
MAX_COLUMNS = 14
PASS_WORDS = {"pass", "passed", "ok", "true", "yes", "agree", "match", "no leak"}
FAIL_WORDS = {"fail", "failed", "error", "false", "mismatch", "leak", "leaks", "broken"}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;
background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:34px 0 10px;border-bottom:2px solid #e3e6eb;
padding-bottom:4px}h3{font-size:16px;margin:22px 0 8px}
.meta{color:#5b6475;margin:0 0 18px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #dfe3e8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{width:16em}
.pass{color:#146c2e;font-weight:600}.fail{color:#b3261e;font-weight:600}
.warn{color:#8a5300}
.chart{overflow-x:auto;margin:8px 0 20px}.chart svg{max-width:100%;height:auto}
.note{background:#f3f6fb;border-left:4px solid #7a9cc6;padding:8px 12px;margin:10px 0}
code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;background:#f6f8fa;padding:8px;max-height:320px;overflow:auto}
nav a{margin-right:14px}
"""

SCRIPT = """
window.__pqcErrors = [];
window.addEventListener('error', function (e) {
  window.__pqcErrors.push(String(e.message));
  document.body.setAttribute('data-js-errors', window.__pqcErrors.join(' | '));
});
document.addEventListener('DOMContentLoaded', function () {
  var n = document.querySelectorAll('section').length;
  document.body.setAttribute('data-rendered', 'yes');
  document.body.setAttribute('data-sections', String(n));
});
"""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float, digits: int = 1) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def read_json_document(path: str | os.PathLike[str]) -> Any:
    """Any JSON file (verify or leak results); raises :class:`ResultFormatError`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultFormatError(f"cannot read {os.fspath(path)} as JSON: {exc}.") from exc


# ---------------------------------------------------------------- generic JSON
def _scalar(value: object) -> str:
    if value is None:
        return "<em>–</em>"
    if isinstance(value, bool):
        return f'<span class="{"pass" if value else "fail"}">{"yes" if value else "no"}</span>'
    if isinstance(value, float):
        return _num(value, 3 if abs(value) < 100 else 1)
    text = str(value)
    word = text.strip().lower()
    if word in PASS_WORDS:
        return f'<span class="pass">{_e(text)}</span>'
    if word in FAIL_WORDS:
        return f'<span class="fail">{_e(text)}</span>'
    return _e(text)


def _compact(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > 300:
        text = text[:300] + " …"
    return f"<code>{_e(text)}</code>"


def render_generic(value: Any, depth: int = 0) -> str:
    """HTML for any JSON value: objects as key/value tables, lists of objects as tables."""
    if isinstance(value, Mapping):
        if not value:
            return "<em>empty</em>"
        if depth >= 3:
            return _compact(value)
        rows = "".join(
            f"<tr><th>{_e(k)}</th><td>{render_generic(v, depth + 1)}</td></tr>"
            for k, v in value.items()
        )
        return f'<table class="kv">{rows}</table>'
    if isinstance(value, list):
        if not value:
            return "<em>none</em>"
        if all(isinstance(item, Mapping) for item in value):
            return _records_table(value, depth)
        if all(not isinstance(item, (Mapping, list)) for item in value):
            if len(value) > 40:
                return _compact(value)
            return ", ".join(_scalar(item) for item in value)
        items = "".join(f"<li>{render_generic(item, depth + 1)}</li>" for item in value[:MAX_ROWS])
        return f"<ol>{items}</ol>"
    return _scalar(value)


def _records_table(records: Sequence[Mapping[str, Any]], depth: int) -> str:
    columns: list[str] = []
    for record in records[:MAX_ROWS]:
        for key in record:
            if key not in columns:
                columns.append(str(key))
    columns = columns[:MAX_COLUMNS]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for record in records[:MAX_ROWS]:
        cells = []
        for column in columns:
            value = record.get(column)
            if isinstance(value, (Mapping, list)):
                cell = render_generic(value, depth + 1) if depth < 1 else _compact(value)
            else:
                cell = _scalar(value)
            cls = (
                ' class="num"'
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else ""
            )
            cells.append(f"<td{cls}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = (
        f"<p class='meta'>{len(records) - MAX_ROWS} more rows not shown.</p>"
        if len(records) > MAX_ROWS
        else ""
    )
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{more}"


def _document_section(anchor: str, title: str, data: Any, source: str | None) -> str:
    header = ""
    if isinstance(data, Mapping):
        fmt, version = data.get("format"), data.get("schema_version")
        header = (
            f"<p class='meta'>format <code>{_e(fmt or 'not stated')}</code>, schema_version "
            f"<code>{_e(version if version is not None else 'not stated')}</code>"
            + (f", from <code>{_e(source)}</code>" if source else "")
            + "</p>"
        )
        summary = data.get("summary")
        if summary is not None:
            header += "<h3>Summary</h3>" + render_generic(summary)
            data = {k: v for k, v in data.items() if k != "summary"}
    return f"<section id='{anchor}'><h2>{_e(title)}</h2>{header}{render_generic(data)}</section>"


# ---------------------------------------------------------------- bench result
def _machine_section(result: BenchResult) -> str:
    machine = render_generic(to_data(result.machine))
    rows = "".join(
        f"<tr><td>{_e(s.name)}</td><td>{_scalar(s.available)}</td><td>{_e(s.language)}</td>"
        f"<td>{_e(s.version or '')}</td><td class='warn'>{_e(s.reason or '')}</td></tr>"
        for s in result.backends
    )
    backends = (
        "<table><tr><th>backend</th><th>available</th><th>language</th><th>version</th>"
        f"<th>reason</th></tr>{rows}</table>"
    )
    settings = render_generic(to_data(result.settings))
    return (
        "<section id='machine'><h2>Machine</h2>"
        f"{machine}<h3>Backends</h3>{backends}<h3>Settings</h3>{settings}</section>"
    )


def _case_row(case: CaseResult) -> str:
    s = case.stats
    warnings = "; ".join(case.warnings)
    return (
        f"<tr><td>{_e(case.algorithm)}</td><td>{_e(case.backend)}</td><td>{_e(case.language)}</td>"
        f"<td>{_e(case.op)}</td><td class='num'>{_num(s.median_ns / 1e3, 2)}</td>"
        f"<td class='num'>{_num(s.iqr_ns / 1e3, 2)}</td>"
        f"<td class='num'>{_num(s.p99_ns / 1e3, 2)}</td>"
        f"<td class='num'>{_num(s.ops_per_s, 0)}</td><td class='num'>{s.n}</td>"
        f"<td class='num'>{_num(s.cv, 2)}</td><td class='warn'>{_e(warnings)}</td></tr>"
    )


def _tables_section(result: BenchResult) -> str:
    parts = ["<section id='tables'><h2>Timings</h2>"]
    parts.append(
        "<p class='meta'>Medians of per-call timings in microseconds; IQR = interquartile range; "
        "p99 = 99th percentile; ops/s = 10<sup>6</sup> / median µs. The language column says "
        "what the number measures: a pure-Python figure is not a property of the algorithm.</p>"
    )
    head = (
        "<tr><th>algorithm</th><th>backend</th><th>language</th><th>op</th><th>median µs</th>"
        "<th>IQR µs</th><th>p99 µs</th><th>ops/s</th><th>n</th><th>CV</th><th>warnings</th></tr>"
    )
    for kind, title in plot.KINDS:
        cases = [c for c in result.cases if c.kind == kind]
        if cases:
            rows = "".join(_case_row(c) for c in cases)
            parts.append(f"<h3>{_e(title)}</h3><table>{head}{rows}</table>")
    if result.skipped:
        parts.append("<h3>Not timed</h3>" + render_generic(list(result.skipped)))
    parts.append("</section>")
    return "".join(parts)


def _chart(figure_maker: Any, *args: Any) -> str:
    try:
        svg = plot.to_svg(figure_maker(*args))
    except PQCError as exc:
        return f"<p class='warn'>No chart: {_e(exc)}</p>"
    return f"<div class='chart'>{svg}</div>"


def _charts_section(result: BenchResult) -> str:
    return (
        "<section id='charts'><h2>Charts</h2>"
        f"<h3>Operations per second</h3>{_chart(plot.ops_figure, result)}"
        f"<h3>Size against time</h3>{_chart(plot.scatter_figure, result)}</section>"
    )


# ---------------------------------------------------------------- handshake
def _parts_note(part: Mapping[str, Any]) -> str:
    return "; sum of parts" if part.get("source") == "sum of parts" else ""


def _handshake_rows(suites: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for item in suites:
        suite, cpu, wire = item["suite"], item["cpu_ns"], item["bytes"]
        kem, sig = item["kem"], item["signature"]
        rows.append(
            f"<tr><td><b>{_e(suite['title'])}</b><br><span class='meta'>{_e(suite.get('note', ''))}"
            f"</span></td><td>{_e(kem['algorithm'])}<br><span class='meta'>{_e(kem['backend'])}, "
            f"{_e(kem['language'])}{_parts_note(kem)}"
            f"</span></td><td>{_e(sig['algorithm'])}<br><span class='meta'>{_e(sig['backend'])}, "
            f"{_e(sig['language'])}</span></td><td class='num'>{item['chain']}</td>"
            f"<td class='num'>{_num(float(cpu['client']) / 1e3)}</td>"
            f"<td class='num'>{_num(float(cpu['server']) / 1e3)}</td>"
            f"<td class='num'><b>{_num(float(cpu['total']) / 1e3)}</b></td>"
            f"<td class='num'>{int(wire['client_to_server']):,}</td>"
            f"<td class='num'>{int(wire['server_to_client']):,}</td>"
            f"<td class='num'><b>{int(wire['total']):,}</b></td></tr>"
        )
    return "".join(rows)


def _handshake_section(document: Mapping[str, Any] | None, note: str) -> str:
    parts = ["<section id='handshake'><h2>Handshake comparison</h2>"]
    if note:
        parts.append(f"<p class='meta'>{_e(note)}</p>")
    suites = list(document.get("suites", [])) if document else []
    if not suites:
        parts.append("<p class='warn'>No suite could be costed from these results.</p>")
    else:
        try:
            table = (
                "<table><tr><th>suite</th><th>key exchange</th><th>certificates</th><th>chain</th>"
                "<th>client µs</th><th>server µs</th><th>total µs</th><th>bytes C→S</th>"
                f"<th>bytes S→C</th><th>bytes total</th></tr>{_handshake_rows(suites)}</table>"
            )
            parts.append(table + _chart(plot.handshake_figure, suites))
        except (KeyError, TypeError, ValueError) as exc:
            parts.append(f"<p class='warn'>Unreadable handshake entries ({_e(exc)}):</p>")
            parts.append(render_generic(suites))
    chosen = document.get("chosen") if document else None
    if isinstance(chosen, Mapping) and chosen.get("suites"):
        parts.append(f"<h3>On the chosen backend: {_e(chosen.get('backend'))}</h3>")
        parts.append(
            "<p class='meta'>Each part on this backend where it implements it, otherwise on "
            "the fastest; a hybrid is then the sum of its parts' medians.</p>"
        )
        try:
            parts.append(
                "<table><tr><th>suite</th><th>key exchange</th><th>certificates</th><th>chain</th>"
                "<th>client µs</th><th>server µs</th><th>total µs</th><th>bytes C→S</th>"
                f"<th>bytes S→C</th><th>bytes total</th></tr>{_handshake_rows(chosen['suites'])}"
                "</table>"
            )
        except (KeyError, TypeError, ValueError) as exc:
            parts.append(f"<p class='warn'>Unreadable entries ({_e(exc)}).</p>")
    if document and document.get("definition"):
        parts.append(f"<div class='note'>{_e(document['definition'])}</div>")
    if document and document.get("skipped"):
        parts.append("<h3>Suites not costed</h3>" + render_generic(document["skipped"]))
    parts.append("</section>")
    return "".join(parts)


def _handshake_from_result(result: BenchResult) -> Mapping[str, Any] | None:
    costs, skipped = costs_from_result(result, DEFAULT_SUITES)
    return handshake_document(costs, skipped, chain=2, backend=None, source=result)


# ---------------------------------------------------------------- the page
def build_report(
    result: BenchResult,
    *,
    handshake: Mapping[str, Any] | None = None,
    verify: Any = None,
    leak: Any = None,
    sources: Mapping[str, str] | None = None,
) -> str:
    """The whole report as one HTML string.

    ``handshake`` is a `pqc handshake --json` document (computed from
    ``result`` for the default suites when None); ``verify`` and ``leak`` are
    any JSON values (sections appear only when given); ``sources`` maps
    "result"/"handshake"/"verify"/"leak" to file names shown in the page.
    """
    sources = sources or {}
    if handshake is None:
        document = _handshake_from_result(result)
        note = "Computed from the timings above for the default suites (fastest backend each)."
    else:
        document = handshake
        note = f"From {sources.get('handshake', 'a pqc handshake result')}."
    sections = [
        _machine_section(result),
        _charts_section(result),
        _handshake_section(document, note),
        _tables_section(result),
    ]
    nav = ["machine", "charts", "handshake", "tables"]
    if verify is not None:
        sections.append(_document_section("verify", "Verification", verify, sources.get("verify")))
        nav.append("verify")
    if leak is not None:
        sections.append(_document_section("leak", "Timing-leak screen", leak, sources.get("leak")))
        nav.append("leak")
    status = "complete" if result.complete else "INTERRUPTED (partial)"
    title = f"pqc report — {result.created}"
    links = "".join(f"<a href='#{a}'>{a}</a>" for a in nav)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style><script>{SCRIPT}</script></head><body><main>"
        "<h1>pqc: post-quantum, SM and classical side by side</h1>"
        f"<p class='meta'>Run {_e(result.created)} · pqc {_e(result.pqc_version)} · {_e(status)}"
        f" · result <code>{_e(sources.get('result', ''))}</code>"
        f" · command <code>{_e(' '.join(result.command))}</code>"
        f"</p><nav>{links}</nav>{''.join(sections)}</main></body></html>\n"
    )


def write_report(text: str, path: str | os.PathLike[str]) -> None:
    """Write the report atomically, readable as the umask allows (it is meant to be shared)."""
    atomic_write_text(path, text)
