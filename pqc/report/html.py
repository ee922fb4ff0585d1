"""One self-contained HTML report that reads summary first: what the run says, then the detail.

Order: banners about the run (quick, loaded, interrupted), "What this run
says" (fastest implementation of each algorithm with its language, the
migration table, verify failures and findings, leak verdicts and TLS
handshakes in words), then Timings (every column explained), Charts,
Handshake, Verification, Timing leaks, TLS, and the Machine in words.

Everything is inline -- CSS, charts as inline SVG, a few lines of script --
and a Content-Security-Policy forbids any network fetch, so the file opens
the same offline, attached to a mail, or archived. Every value taken from an
input file is HTML-escaped. Tables sit in scrolling boxes and drop their
secondary columns on a phone, so nothing is wider than the page.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pqc import resultkinds
from pqc.bench.results import BenchResult, CaseResult
from pqc.errors import PQCError
from pqc.handshake import (
    DEFAULT_SUITES,
    HandshakeCost,
    HandshakeResult,
    costs_from_result,
    handshake_document,
)
from pqc.jsondata import to_data
from pqc.report import plot
from pqc.report.summary import (
    Fact,
    banners,
    body,
    fastest_per_algorithm,
    leak_facts,
    migration_rows,
    sentence_list,
    tls_facts,
    verify_facts,
)
from pqc.resultfile import atomic_write_text

MAX_ROWS = 400
MAX_COLUMNS = 14
MAX_FACTS = 12  # failures/findings listed in the summary; the rest are in their section
PASS_WORDS = {"pass", "passed", "ok", "true", "yes", "agree", "match", "no leak", "no-leak"}
FAIL_WORDS = {"fail", "failed", "error", "false", "mismatch", "leak", "leaks", "broken"}

CSS = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;
background:#eef0f4}
main{max-width:1180px;margin:0 auto;padding:20px 28px 60px;background:#fff}
h1{font-size:26px;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:21px;margin:36px 0 10px;border-bottom:2px solid #e3e6eb;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 6px}
p,li,dd{overflow-wrap:anywhere}
.meta{color:#5b6475;margin:0 0 14px;font-size:13px}
.banner{background:#fff4d6;border:1px solid #e8c35a;border-radius:6px;padding:8px 12px;
margin:8px 0}
.banner.bad{background:#fde7e5;border-color:#e59a93}
.scroll{overflow-x:auto;max-width:100%;margin:6px 0 16px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #dfe3e8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{white-space:nowrap}
.pass,.no-leak{color:#146c2e;font-weight:600}.fail,.leak{color:#b3261e;font-weight:600}
.finding,.inconclusive,.warn{color:#8a5300}
.lang-py{color:#8a5300;font-weight:600}
.chart{margin:8px 0 20px}.chart svg{max-width:100%;height:auto;display:block}
.note{background:#f3f6fb;border-left:4px solid #7a9cc6;padding:8px 12px;margin:10px 0}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px;
margin:6px 0 12px}
dl.legend dt{font-weight:600}dl.legend dd{margin:0}
ul.facts{padding-left:20px}ul.facts li{margin:3px 0}
code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:10px 0}
@media (max-width:640px){main{padding:12px}.wide{display:none}h1{font-size:21px}
table{font-size:12px}th,td{padding:3px 5px}}
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

TIMING_LEGEND = (
    ("median", "the middle of the per-call timings, in microseconds (µs); with several runs "
               "(worker processes), the median of the run medians; the number to quote"),
    ("IQR", "interquartile range: the spread of the middle half of the calls (µs)"),
    ("p99", "99th percentile: 1 call in 100 is slower than this (µs)"),
    ("ops/s", "operations per second, 10⁶ / median µs"),
    ("n", "timed calls (warm-up excluded); they come from one process, so they are not "
          "independent samples of the machine"),
    ("CV", "coefficient of variation: standard deviation / mean; inflated by rare "
           "interrupts, so read the IQR first"),
    ("language", "what the number measures: a pure-Python figure is a fact about that "
                 "package, not about the algorithm"),
)  # fmt: skip


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float, digits: int = 1) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def _us(ns: float) -> str:
    us = ns / 1e3
    return _num(us, 2 if us < 10 else 1 if us < 1000 else 0)


def _language(language: str) -> str:
    cls = " class='lang-py'" if language == "pure Python" else ""
    return f"<span{cls}>{_e(language)}</span>"


def _table(head: Sequence[tuple[str, str]], rows: Sequence[str]) -> str:
    """A table in a scrolling box; ``head`` is (label, class) per column."""
    cells = "".join(f"<th class='{cls}'>{_e(label)}</th>" for label, cls in head)
    return f"<div class='scroll'><table><tr>{cells}</tr>{''.join(rows)}</table></div>"


def _td(value: str, cls: str = "") -> str:
    return f"<td class='{cls}'>{value}</td>" if cls else f"<td>{value}</td>"


def read_section_input(path: str | os.PathLike[str], kind: str) -> Any:
    """The ``kind`` result ("verify", "leak", "tls") at ``path``, as its sections take it.

    Read by the one reader (:mod:`pqc.resultfile`: any version this pqc reads,
    every value checked against its type, only of ``kind``), then given as
    JSON data in today's layout. Raises :class:`ResultFormatError`.
    """
    return to_data(resultkinds.kind_named(kind).read(path))


# ---------------------------------------------------------------- generic JSON (fallback)
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


def _inline(value: object) -> str:
    """A nested value in words: ``key value; key value`` (never JSON in a cell)."""
    if isinstance(value, Mapping):
        return "; ".join(f"{_e(k)} {_inline(v)}" for k, v in list(value.items())[:12])
    if isinstance(value, list):
        shown = ", ".join(_inline(v) for v in value[:12])
        return shown + (f" (+{len(value) - 12} more)" if len(value) > 12 else "")
    return _scalar(value)


def render_generic(value: Any, depth: int = 0) -> str:
    """HTML for a JSON value of unknown shape: objects as key/value tables, lists of objects
    as tables, nested values in words."""
    if isinstance(value, Mapping):
        if not value:
            return "<em>empty</em>"
        if depth >= 2:
            return _inline(value)
        rows = "".join(
            f"<tr><th>{_e(k)}</th><td>{render_generic(v, depth + 1)}</td></tr>"
            for k, v in value.items()
        )
        return f"<div class='scroll'><table>{rows}</table></div>"
    if isinstance(value, list):
        if not value:
            return "<em>none</em>"
        if all(isinstance(item, Mapping) for item in value):
            return _records_table(value)
        if all(not isinstance(item, (Mapping, list)) for item in value):
            return _inline(value) if len(value) > 40 else ", ".join(_scalar(v) for v in value)
        items = "".join(f"<li>{render_generic(item, depth + 1)}</li>" for item in value[:MAX_ROWS])
        return f"<ol>{items}</ol>"
    return _scalar(value)


def _records_table(records: Sequence[Mapping[str, Any]]) -> str:
    columns: list[str] = []
    for record in records[:MAX_ROWS]:
        for key in record:
            if key not in columns:
                columns.append(str(key))
    columns = columns[:MAX_COLUMNS]
    rows = []
    for record in records[:MAX_ROWS]:
        cells = []
        for column in columns:
            value = record.get(column)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            cell = _inline(value) if isinstance(value, (Mapping, list)) else _scalar(value)
            cells.append(_td(cell, "num" if numeric else ""))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (
        f"<p class='meta'>{len(records) - MAX_ROWS} more rows not shown.</p>"
        if len(records) > MAX_ROWS
        else ""
    )
    return _table([(c, "") for c in columns], rows) + more


# ---------------------------------------------------------------- summary
def _facts_list(facts: Sequence[Fact], limit: int = MAX_FACTS, anchor: str = "verify") -> str:
    items = [
        "<li>" + ("" if f.status == "info" else f"<span class='{_e(f.status)}'>{_e(f.status)}"
                  "</span> ") + f"<b>{_e(f.subject)}</b>: {_e(f.text)}</li>"
        for f in facts[:limit]
    ]
    more = (f"<li>and {len(facts) - limit} more in <a href='#{anchor}'>their section</a>.</li>"
            if len(facts) > limit else "")
    return f"<ul class='facts'>{''.join(items)}{more}</ul>"


def _fastest_table(result: BenchResult) -> str:
    rows = []
    for family, entries in fastest_per_algorithm(result).items():
        for index, entry in enumerate(entries):
            best = entry.best
            others = "; ".join(
                f"{_e(o.backend)} ({_language(o.language)}) {ratio:,.1f}× slower"
                for o, ratio in entry.others
            ) or "<span class='meta'>only implementation timed</span>"
            rows.append(
                "<tr>" + _td(_e(family) if index == 0 else "", "name wide")
                + _td(f"<b>{_e(best.algorithm)}</b>", "name")
                + _td(f"{_e(best.backend)} ({_language(best.language)})")
                + _td(_us(best.total_ns), "num")
                + _td(_e(" + ".join(best.ops)), "wide")
                + _td(others) + "</tr>"
            )  # fmt: skip
    if not rows:
        return "<p class='warn'>No timed cases.</p>"
    head = [("family", "wide"), ("algorithm", ""), ("fastest here", ""), ("µs", "num"),
            ("sum of the medians of", "wide"), ("the other implementations", "")]  # fmt: skip
    return _table(head, rows)


def _migration_table(document: HandshakeResult) -> str:
    rows = migration_rows(document)
    if not rows:
        return "<p class='warn'>No handshake suite could be costed from these results.</p>"
    body_rows = [
        "<tr>" + _td(f"<b>{_e(r.title)}</b>", "name") + _td(_e(r.key_exchange))
        + _td(_e(r.certificates), "wide") + _td(_num(r.total_ms, 3), "num")
        + _td("–" if r.time_ratio is None else f"{r.time_ratio:,.1f}×", "num")
        + _td(f"{r.total_bytes:,}", "num")
        + _td("–" if r.bytes_ratio is None else f"{r.bytes_ratio:,.1f}×", "num") + "</tr>"
        for r in rows
    ]  # fmt: skip
    head = [("suite", ""), ("key exchange", ""), ("certificates", "wide"), ("CPU ms", "num"),
            (f"× {rows[0].title}", "num"), ("bytes", "num"), (f"× {rows[0].title}", "num")]
    return _table(head, body_rows)


def _summary_section(
    result: BenchResult, document: HandshakeResult, verify: Any, leak: Any, tls: Any
) -> str:
    parts = ["<section id='summary'><h2>What this run says</h2>"]
    parts.append("<h3>Fastest implementation of each algorithm</h3>")
    parts.append(
        "<p class='meta'>Fastest by the sum of the medians of its operations on this machine; "
        "the others as multiples of it. The language says what is being measured.</p>"
    )
    parts.append(_fastest_table(result))
    parts.append("<h3>Migration: one TLS-1.3-style handshake per suite</h3>")
    parts.append(
        "<p class='meta'>CPU is a sum of operation medians (client and server), bytes are the "
        "cryptographic bytes only; × compares with the first suite. Details under "
        "<a href='#handshake'>Handshake</a>.</p>"
    )
    parts.append(_migration_table(document))
    skipped = list(document.skipped)
    if skipped:
        parts.append(
            "<p class='warn'>Not costed: " + _e("; ".join(map(str, skipped)))
            + " (time them with <code>pqc handshake</code>, or pass its JSON with "
            "<code>--handshake</code>).</p>"
        )  # fmt: skip
    if verify is not None:
        facts, counts = verify_facts(verify)
        total = sum(counts.values())
        words = [f"{counts.get(s, 0)} {w}" for s, w in (("pass", "passed"), ("fail", "failed"),
                 ("finding", "findings"), ("skipped", "skipped"))]  # fmt: skip
        parts.append("<h3>Conformance (pqc verify)</h3>")
        verdict = ("<span class='fail'>Conformance failures.</span>" if counts.get("fail")
                   else "<span class='pass'>No conformance failure.</span>")  # fmt: skip
        parts.append(f"<p>{verdict} {total} checks: {_e(sentence_list(words))}. Findings are "
                     "library behaviours worth knowing that do not break conformance.</p>")
        if facts:
            parts.append(_facts_list(facts))
    if leak is not None:
        parts.append("<h3>Timing leaks (pqc leak)</h3>")
        facts = leak_facts(leak)
        parts.append(
            _facts_list(facts, anchor="leak")
            if facts
            else "<p class='warn'>The leak file holds no screened case.</p>"
        )
        parts.append("<p class='meta'>A verdict is evidence over N samples on this machine, "
                     "never a proof of constant time.</p>")
    if tls is not None:
        parts.append("<h3>Real TLS 1.3 handshakes (pqc tls)</h3>")
        facts = tls_facts(tls)
        parts.append(_facts_list(facts, limit=20, anchor="tls") if facts
                     else "<p class='warn'>The TLS file holds no handshake run.</p>")
    parts.append("</section>")
    return "".join(parts)


# ---------------------------------------------------------------- timings
def _legend(items: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f"<dl class='legend'>{rows}</dl>"


def _case_row(case: CaseResult, first: bool) -> str:
    s = case.within_run_stats  # n is every call of every run either way
    warnings = "; ".join(case.warnings)
    return (
        "<tr>" + _td(f"<b>{_e(case.algorithm)}</b>" if first else "", "name")
        + _td(f"{_e(case.backend)} ({_language(case.language)})" if first else "", "name")
        + _td(_e(case.op)) + _td(_us(case.centre_ns), "num") + _td(_us(s.iqr_ns), "num")
        + _td(_us(s.p99_ns), "num wide")
        + _td(_num(1e9 / max(case.centre_ns, 1.0), 0), "num wide")
        + _td(str(s.n), "num wide") + _td(_num(s.cv, 2), "num wide")
        + _td(_e(warnings), "warn wide") + "</tr>"
    )  # fmt: skip


IQR_OF_RUNS = (
    "interquartile range: the spread of the middle half of the calls, each run's calls "
    "around that run's own median (how far the runs differ is left out) (µs)"
)


def _timings_section(result: BenchResult) -> str:
    runs = result.in_runs
    legend = tuple((key, IQR_OF_RUNS if runs and key == "IQR" else text)
                   for key, text in TIMING_LEGEND)  # fmt: skip
    parts = ["<section id='timings'><h2>Timings</h2>", _legend(legend)]
    head = [("algorithm", ""), ("backend (language)", ""), ("op", ""), ("median µs", "num"),
            ("IQR µs", "num"), ("p99 µs", "num wide"), ("ops/s", "num wide"), ("n", "num wide"),
            ("CV", "num wide"), ("warnings", "wide")]  # fmt: skip
    for kind, title in plot.KINDS:
        cases = [c for c in result.cases if c.kind == kind]
        if cases:
            rows, previous = [], None
            for case in cases:
                rows.append(_case_row(case, (case.algorithm, case.backend) != previous))
                previous = (case.algorithm, case.backend)
            parts.append(f"<h3>{_e(title)}</h3>" + _table(head, rows))
    if result.skipped:
        items = "".join(f"<li>{_e(text)}</li>" for text in result.skipped)
        parts.append(f"<h3>Not timed</h3><ul>{items}</ul>")
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
        "<p class='meta'>Every bar and point is one algorithm on one backend, labelled with the "
        "backend and its language.</p>"
        f"<h3>Operations per second</h3>{_chart(plot.ops_figure, result)}"
        f"<h3>Size against time</h3>{_chart(plot.scatter_figure, result)}</section>"
    )


# ---------------------------------------------------------------- handshake
def _docstring_html(text: str) -> str:
    """A module docstring as paragraphs and lists: ``code`` as code, no raw markup."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines()]
        items: list[str] = []
        for line in lines:
            if line.startswith("- "):
                items.append(line[2:])
            elif items:
                items[-1] += " " + line
            else:
                items = []
                break
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_markup(i)}</li>" for i in items) + "</ul>")
        else:
            blocks.append(f"<p>{_markup(' '.join(lines))}</p>")
    return "".join(blocks)


def _markup(text: str) -> str:
    escaped = _e(text)
    escaped = re.sub(r":[a-z]+:`~?([^`]+)`", lambda m: m.group(1).split(".")[-1], escaped)
    return re.sub(r"``([^`]+)``", r"<code>\1</code>", escaped)


def _handshake_rows(suites: Sequence[HandshakeCost]) -> list[str]:
    rows = []
    for item in suites:
        suite, kem, sig = item.suite, item.kem, item.signature
        parts_note = " (sum of parts)" if kem.source == "sum of parts" else ""
        rows.append(
            f"<tr><td><b>{_e(suite.title)}</b><br><span class='meta'>"
            f"{_e(suite.note)}</span></td>"
            f"<td>{_e(kem.algorithm)}<br><span class='meta'>{_e(kem.backend)}, "
            f"{_e(kem.language)}{parts_note}</span></td>"
            f"<td>{_e(sig.algorithm)}<br><span class='meta'>{_e(sig.backend)}, "
            f"{_e(sig.language)}</span></td>"
            + _td(str(item.chain), "num wide")
            + _td(_num(item.client_ns / 1e3), "num wide")
            + _td(_num(item.server_ns / 1e3), "num wide")
            + _td(f"<b>{_num(item.total_ns / 1e3)}</b>", "num")
            + _td(f"{item.client_to_server_bytes:,}", "num wide")
            + _td(f"{item.server_to_client_bytes:,}", "num wide")
            + _td(f"<b>{item.total_bytes:,}</b>", "num") + "</tr>"
        )  # fmt: skip
    return rows


HANDSHAKE_HEAD = [("suite", ""), ("key exchange", ""), ("certificates", ""), ("chain", "num wide"),
                  ("client µs", "num wide"), ("server µs", "num wide"), ("total µs", "num"),
                  ("bytes C→S", "num wide"), ("bytes S→C", "num wide"),
                  ("bytes total", "num")]  # fmt: skip


def _handshake_section(document: HandshakeResult, note: str) -> str:
    from pqc.handshake import cost

    parts = ["<section id='handshake'><h2>Handshake</h2>"]
    if note:
        parts.append(f"<p class='meta'>{_e(note)}</p>")
    if not document.suites:
        parts.append("<p class='warn'>No suite could be costed from these results.</p>")
    else:
        parts.append(_table(HANDSHAKE_HEAD, _handshake_rows(document.suites)))
        parts.append(_chart(plot.handshake_figure, document.suites, document.skipped))
    chosen = document.chosen
    if chosen is not None and chosen.suites:
        parts.append(f"<h3>On the chosen backend: {_e(chosen.backend)}</h3>")
        parts.append(
            "<p class='meta'>Each part on this backend where it implements it, otherwise on "
            "the fastest; a hybrid is then the sum of its parts' medians.</p>"
        )
        parts.append(_table(HANDSHAKE_HEAD, _handshake_rows(chosen.suites)))
    if document.skipped:
        items = "".join(f"<li>{_e(s)}</li>" for s in document.skipped)
        parts.append(f"<h3>Suites not costed</h3><ul>{items}</ul>")
    parts.append(f"<h3>What is counted</h3><div class='note'>{_docstring_html(cost.__doc__ or '')}"
                 "</div>")
    parts.append("</section>")
    return "".join(parts)


def _handshake_from_result(result: BenchResult) -> HandshakeResult:
    costs, skipped = costs_from_result(result, DEFAULT_SUITES)
    return handshake_document(costs, skipped, chain=2, backend=None, source=result)


# ---------------------------------------------------------------- verify, leak, tls
STATUS_WORDS = {"pass": "pass", "fail": "FAIL", "finding": "finding", "skipped": "skipped"}


def _records(fields: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects listed under ``key`` of a section input's body (anything else is skipped)."""
    return [item for item in fields.get(key, []) if isinstance(item, Mapping)]


def _opening(anchor: str, title: str, source: str | None, source_note: str = ".") -> list[str]:
    """A section's heading and, when its input came from a file, where from (``source_note``
    follows the file name)."""
    parts = [f"<section id='{anchor}'><h2>{title}</h2>"]
    if source:
        parts.append(f"<p class='meta'>From <code>{_e(source)}</code>{source_note}</p>")
    return parts


def _verify_section(data: Any, source: str | None) -> str:
    fields = body(data)
    checks = _records(fields, "checks")
    vectors = fields.get("settings", {}).get("vectors") if source else None
    parts = _opening("verify", "Verification (pqc verify)", source,
                     f"; vectors: <code>{_e(vectors or 'none')}</code>.")  # fmt: skip
    if not checks:
        parts.append(render_generic(data))
        return "".join(parts) + "</section>"
    matrix = fields.get("summary", {}).get("matrix") if isinstance(fields.get("summary"),
                                                                   Mapping) else None
    if isinstance(matrix, Mapping) and matrix:
        families = list(next(iter(matrix.values())).keys())
        rows = []
        for backend, cells in matrix.items():
            row = _td(f"<b>{_e(backend)}</b>", "name")
            for family in families:
                cell = cells.get(family, {}) if isinstance(cells, Mapping) else {}
                status = str(cell.get("status", "?"))
                text = "n/a" if status == "skipped" and not cell.get("count") else (
                    f"{STATUS_WORDS.get(status, status)} ({cell.get('count', 0)})")
                row += _td(f"<span class='{_e(status)}'>{_e(text)}</span>")
            rows.append(f"<tr>{row}</tr>")
        parts.append("<p class='meta'>Worst status per backend and check family, with the number "
                     "of checks in that status.</p>")
        parts.append(_table([("backend", ""), *((f, "") for f in families)], rows))
    shown = [c for c in checks if c.get("status") in ("fail", "finding")]
    parts.append(f"<h3>Failures and findings ({len(shown)} of {len(checks)} checks)</h3>")
    rows = [
        "<tr>" + _td(f"<span class='{_e(c.get('status'))}'>{_e(c.get('status'))}</span>")
        + _td(f"<b>{_e(c.get('algorithm'))}</b>", "name")
        + _td(_e(" -> ".join([str(c.get("backend")), *map(str, c.get("peers", []))])))
        + _td(_e(c.get("family")), "wide") + _td(_e(c.get("name")))
        + _td(_e(c.get("detail"))) + "</tr>"
        for c in sorted(shown, key=lambda c: c.get("status") != "fail")
    ]  # fmt: skip
    if rows:
        parts.append(_table([("status", ""), ("algorithm", ""), ("backends", ""),
                             ("family", "wide"), ("check", ""), ("detail", "")], rows))
    parts.append("</section>")
    return "".join(parts)


def _leak_section(data: Any, source: str | None) -> str:
    fields = body(data)
    cases = _records(fields, "cases")
    parts = _opening("leak", "Timing leaks (pqc leak)", source)
    if not cases:
        parts.append(render_generic(data))
        return "".join(parts) + "</section>"
    parts.append(_legend((
        ("classes", "the two input classes timed against each other, interleaved at random"),
        ("Δ median", "median of class B minus median of class A, with its 95% bootstrap "
                     "interval; positive: B is slower"),
        ("max |t|", "the largest of dudect's cropped Welch t statistics; above the threshold "
                    "(4.5) the difference is called a leak"),
    )))  # fmt: skip
    rows = []
    for c in cases:
        verdict = c.get("verdict", {}) if isinstance(c.get("verdict"), Mapping) else {}
        medians = c.get("medians", {}) if isinstance(c.get("medians"), Mapping) else {}
        dudect = c.get("dudect", {}) if isinstance(c.get("dudect"), Mapping) else {}
        labels = c.get("labels", ["A", "B"])
        status = str(verdict.get("status", "?"))
        try:
            delta = (f"{float(medians['estimate_ns']) / 1e3:,.2f} µs "
                     f"[{float(medians['low_ns']) / 1e3:,.2f}, "
                     f"{float(medians['high_ns']) / 1e3:,.2f}]")  # fmt: skip
            t_value = f"{float(dudect['max_abs_t']):.1f}"
        except (KeyError, TypeError, ValueError):
            delta, t_value = "–", "–"
        samples = c.get("samples_ns")
        rows.append(
            "<tr>" + _td(f"<b>{_e(c.get('algorithm'))} {_e(c.get('op'))}</b>", "name")
            + _td(f"{_e(c.get('backend'))} ({_language(str(c.get('language')))})", "name")
            + _td(_e(" / ".join(map(str, labels))))
            + _td(f"{len(samples):,}" if isinstance(samples, list) else "–", "num wide")
            + _td(delta, "num") + _td(t_value, "num")
            + _td(f"<span class='{_e(status)}'>{_e(status)}</span>")
            + _td(_e(verdict.get("text", "")), "wide") + "</tr>"
        )  # fmt: skip
    parts.append(_table([("case", ""), ("backend", ""), ("classes A / B", ""), ("N", "num wide"),
                         ("Δ median [95%]", "num"), ("max |t|", "num"), ("verdict", ""),
                         ("in words", "wide")], rows))  # fmt: skip
    parts.append("</section>")
    return "".join(parts)


def _total_bytes(run: Mapping[str, Any]) -> int:
    return int(run["client_to_server_bytes"]) + int(run["server_to_client_bytes"])


def _tls_section(data: Any, source: str | None) -> str:
    fields = body(data)
    runs = _records(fields, "runs")
    parts = _opening("tls", "Real TLS 1.3 handshakes (pqc tls)", source,
                     f"; {_e(fields.get('tls_library', ''))}. Handshakes run one after another "
                     "in one process: medians of wall time per handshake.")  # fmt: skip
    rows = []
    for run in runs:
        try:
            latency = float(run["latency"]["median_ns"]) / 1e6
            rows.append(
                "<tr>" + _td(f"<b>{_e(run['group'])}</b>", "name")
                + _td(_e(run["certificate"]), "name") + _td(_e(run.get("chain", "")), "num wide")
                + _td(_num(latency, 3), "num")
                + _td(f"{int(run['client_to_server_bytes']):,}", "num wide")
                + _td(f"{int(run['server_to_client_bytes']):,}", "num wide")
                + _td(f"{_total_bytes(run):,}", "num")
                + _td(_e(run.get("negotiated_group", "")), "wide") + "</tr>"
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            continue
    if rows:
        parts.append(_table([("group", ""), ("certificate", ""), ("chain", "num wide"),
                             ("median ms", "num"), ("bytes C→S", "num wide"),
                             ("bytes S→C", "num wide"), ("bytes total", "num"),
                             ("negotiated", "wide")], rows))  # fmt: skip
    else:
        parts.append(render_generic(data))
    parts.append("</section>")
    return "".join(parts)


# ---------------------------------------------------------------- machine, in words
def _machine_section(result: BenchResult) -> str:
    m = result.machine
    s = result.settings
    load = (f"{m.load_average[0]:.2f} / {m.load_average[1]:.2f} / {m.load_average[2]:.2f} "
            "(1, 5, 15 min)") if m.load_average else "not read"  # fmt: skip
    frequency = (f"{m.frequency_mhz:,.0f} MHz" if m.frequency_mhz else "not read") + (
        f" (max {m.max_frequency_mhz:,.0f} MHz)" if m.max_frequency_mhz else "")
    facts = [
        ("Processor", f"{m.cpu_model or 'unknown'} ({m.architecture})"),
        ("CPUs", f"{m.usable_cpus or '?'} usable of {m.logical_cpus or '?'} logical"
                 + (f", {m.physical_cores} physical cores" if m.physical_cores else "")),
        ("Features", " ".join(m.cpu_flags) or "none read"),
        ("Frequency", frequency),
        ("Frequency governor", m.governor or "not readable (VM or container)"),
        ("Turbo / boost", m.boost or "not readable"),
        ("Load average", load),
        ("Operating system", f"{m.distribution or m.os} (kernel {m.kernel})"),
        ("Python", f"{m.python_implementation} {m.python_version} ({m.python_compiler})"),
    ]  # fmt: skip
    settings = [
        ("Time per case", f"{s.seconds:g} s" + (" (quick run)" if s.quick else "")),
        ("Samples per case", f"{s.min_samples} to {s.max_samples}"),
        ("Message size", f"{s.message_size} bytes (signatures)"),
        ("Inputs", f"{s.key_pool} key pairs and {s.input_pool} inputs per implementation, "
                   "cycled through"),
        ("Ratios against", ", ".join(f"{v} ({k})" for k, v in s.baselines.items()) or "none"),
        ("Timer", f"perf_counter_ns; an empty call costs {result.timer.empty_call_ns:.0f} ns"),
    ]  # fmt: skip
    rows = [
        f"<tr><td>{_e(s.name)}</td><td>{_scalar(s.available)}</td><td>{_language(s.language)}"
        f"</td><td>{_e(s.version or '')}</td><td class='warn'>{_e(s.reason or '')}</td></tr>"
        for s in result.backends
    ]
    return (
        "<section id='machine'><h2>Machine and settings</h2>"
        + _legend(facts) + "<h3>Settings</h3>" + _legend(settings) + "<h3>Backends</h3>"
        + _table([("backend", ""), ("available", ""), ("language", ""), ("version", ""),
                  ("why not", "")], rows) + "</section>"
    )  # fmt: skip


# ---------------------------------------------------------------- the page
def build_report(
    result: BenchResult,
    *,
    handshake: HandshakeResult | None = None,
    verify: Any = None,
    leak: Any = None,
    tls: Any = None,
    sources: Mapping[str, str] | None = None,
) -> str:
    """The whole report as one HTML string.

    ``handshake`` is a `pqc handshake --json` document (computed from
    ``result`` for the default suites when None); ``verify``, ``leak`` and
    ``tls`` are those results as :func:`read_section_input` gives them
    (sections appear only when given);
    ``sources`` maps "result"/"handshake"/"verify"/"leak"/"tls" to file names
    shown in the page.
    """
    sources = sources or {}
    if handshake is None:
        document = _handshake_from_result(result)
        note = "Computed from this run's timings for the default suites (fastest backend each)."
    else:
        document = handshake
        note = f"From {sources.get('handshake', 'a pqc handshake result')}."
    sections = [
        _summary_section(result, document, verify, leak, tls),
        _timings_section(result),
        _charts_section(result),
        _handshake_section(document, note),
    ]
    nav = [("summary", "Summary"), ("timings", "Timings"), ("charts", "Charts"),
           ("handshake", "Handshake")]  # fmt: skip
    for key, data, render, label in (("verify", verify, _verify_section, "Verification"),
                                     ("leak", leak, _leak_section, "Timing leaks"),
                                     ("tls", tls, _tls_section, "TLS")):  # fmt: skip
        if data is not None:
            sections.append(render(data, sources.get(key)))
            nav.append((key, label))
    sections.append(_machine_section(result))
    nav.append(("machine", "Machine"))
    warnings = "".join(
        f"<div class='banner{' bad' if 'interrupted' in text else ''}'>{_e(text)}</div>"
        for text in banners(result)
    )
    status = "complete" if result.complete else "INTERRUPTED (partial)"
    title = f"pqc report — {result.created}"
    links = "".join(f"<a href='#{a}'>{_e(label)}</a>" for a, label in nav)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style><script>{SCRIPT}</script></head><body><main>"
        "<h1>pqc: post-quantum, SM and classical side by side</h1>"
        f"<p class='meta'>Run {_e(result.created)} · pqc {_e(result.pqc_version)} · {_e(status)}"
        f" · result <code>{_e(sources.get('result', ''))}</code>"
        f" · command <code>{_e(' '.join(result.command))}</code></p>"
        f"{warnings}<nav>{links}</nav>{''.join(sections)}</main></body></html>\n"
    )


def write_report(text: str, path: str | os.PathLike[str]) -> None:
    """Write the report atomically, readable as the umask allows (it is meant to be shared)."""
    atomic_write_text(path, text)
