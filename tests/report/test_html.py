"""The HTML report: summary first, every column explained, no raw keys, markup or JSON, escaped,
self-contained, and laid out in a real headless Chromium at 1280 and 390 px."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pqc.bench.results import BenchResult
from pqc.conformance.model import CheckResult, Report, Status
from pqc.conformance.result import verify_result
from pqc.handshake import DEFAULT_SUITES, costs_from_result, handshake_document
from pqc.jsondata import to_data
from pqc.report.html import build_report, render_generic, write_report
from tests.bench.conftest import MACHINE
from tests.handshake.factory import stored_result
from tests.report.cdp import CHROMIUM, LAYOUT_CHECK, visit

HOSTILE = "<script>alert('x')</script>"


@cache
def _verify() -> dict[str, Any]:
    report = Report(
        results=(
            CheckResult("kat", "openssl", "ML-KEM-768", "mlkem_768_test.json", Status.PASS,
                        "120/120 vectors passed", {"vectors_run": 120}),
            CheckResult("interop", "liboqs", "HQC-128", "liboqs -> pqclean", Status.FAIL,
                        "2 of 2 crossings failed: " + HOSTILE, {}, peers=("pqclean",)),
            CheckResult("findings", "gmssl", "SM2", "C3 never checked", Status.FINDING,
                        "a tampered ciphertext decrypts silently", {}),
        ),
        backends=(), machine=MACHINE, vectors="/shared/vectors", seconds=2.0,
    )  # fmt: skip
    return dict(to_data(verify_result(report)))


LEAK = {
    "format": "pqc-result", "schema_version": 1, "kind": "leak", "kind_version": 1,
    "body": {"cases": [{
        "algorithm": "SM2", "op": "keygen", "backend": "gmssl", "language": "pure Python",
        "classes": "weight", "labels": ["low-weight", "high-weight"],
        "verdict": {"status": "leak", "text": "B is slower by 3.7 ms (|t| = 48 over 2,000 "
                                              "samples)"},
        "medians": {"estimate_ns": 3.7e6, "low_ns": 3.5e6, "high_ns": 3.9e6},
        "dudect": {"max_abs_t": 48.0}, "samples_ns": [1, 2, 3, 4],
    }]},
}  # fmt: skip
TLS = {"body": {"openssl": "OpenSSL 4.0.3", "runs": [{
    "group": "X25519MLKEM768", "certificate": "ML-DSA-65", "chain": 1,
    "latency": {"median_ns": 1.88e6}, "client_to_server_bytes": 1548,
    "server_to_client_bytes": 10611, "negotiated_group": "X25519MLKEM768"}]}}  # fmt: skip


def _quick_loaded(result: BenchResult) -> BenchResult:
    machine = replace(result.machine, load_average=(5.8, 4.0, 3.0), usable_cpus=2)
    return replace(result, machine=machine, settings=replace(result.settings, quick=True))


@cache
def _report() -> str:
    """One full report for every test here (building one renders three charts: seconds)."""
    result = _quick_loaded(stored_result())
    costs, skipped = costs_from_result(result, DEFAULT_SUITES)
    chosen, _ = costs_from_result(result, DEFAULT_SUITES, backend="openssl")
    document = handshake_document(
        costs, skipped, chain=2, backend="openssl", source=result, chosen=chosen
    )
    return build_report(result, handshake=document, verify=_verify(), leak=LEAK, tls=TLS,
                        sources={"result": "r.json", "verify": "v.json"})  # fmt: skip


def _text(page: str) -> str:
    """The page's visible text (tags, styles and scripts removed)."""
    page = re.sub(r"<(style|script)>.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_report_is_self_contained_and_escaped() -> None:
    page = _report()
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no network references"
    assert "<link" not in page and "@import" not in page
    assert HOSTILE not in page and "&lt;script&gt;alert(" in page
    assert page.count("<svg") >= 3  # ops, scatter, handshake charts inline


def test_summary_comes_first_and_says_what_the_run_found() -> None:
    page = _report()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[0] == "What this run says"
    assert headings.index("Timings") < headings.index("Machine and settings") == len(headings) - 1
    summary = page[page.index("id='summary'"):page.index("id='timings'")]
    text = _text(summary)
    assert "Fastest implementation of each algorithm" in text
    assert "Migration" in text and "GM hybrid" in text
    assert "Conformance failures." in text and "HQC-128" in text and "1 failed" in text
    assert "leak" in text and "SM2 keygen [gmssl, pure Python]" in text
    assert "X25519MLKEM768 + ML-DSA-65" in text and "1.88 ms" in text
    # the banners precede everything
    first_h2 = page.index("<h2>")
    assert page.index("Quick run") < first_h2 and page.index("load average 5.8") < first_h2


def test_no_raw_keys_json_or_docstring_markup() -> None:
    text = _text(_report())
    for raw in ("cpu_model", "load_average", "python_version", "empty_call_ns", "schema_version"):
        assert raw not in text, raw
    assert '{"' not in text, "JSON in a table cell"
    assert "``" not in text and ":func:" not in text, "raw docstring markup"


def test_every_timing_column_is_explained() -> None:
    page = _report()
    legend = re.findall(r"<dt>(.*?)</dt>", page)
    for column in ("median", "IQR", "p99", "ops/s", "n", "CV", "language"):
        assert column in legend, column


def test_report_without_optional_inputs_computes_the_handshake() -> None:
    page = html.unescape(build_report(stored_result()))
    assert "Computed from this run's timings" in page and "X25519MLKEM768" in page
    assert "Verification" not in page and "Timing leaks" not in page


def test_unknown_shapes_render_in_words_not_json() -> None:
    assert "<table" in render_generic({"a": [1, 2], "b": {"c": None}})
    assert render_generic([]) == "<em>none</em>"
    assert "fail" in render_generic("FAIL") and "pass" in render_generic(True)
    rows = render_generic([{"x": i} for i in range(1000)])
    assert "more rows not shown" in rows
    nested = render_generic([{"status": {"status": "finding", "count": 3}}])
    assert "{&quot;" not in nested and "status finding; count 3" in nested
    from pqc.report.html import _verify_section

    section = _verify_section({"something": [{"deep": {"x": 1}}]}, "odd.json")
    assert "{&quot;" not in section and "<td>x 1</td>" in section


def test_the_scatter_labels_every_point_with_backend_and_language() -> None:
    from pqc.report import plot

    figure = plot.scatter_figure(stored_result())
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts]
    points = plot._scatter_points(stored_result())
    assert len(labels) == len(points) > 3
    assert all(" · " in label and "(" in label for label in labels)


def test_legends_sit_outside_the_bars() -> None:
    from pqc.report import plot

    figure = plot.ops_figure(stored_result())
    figure.savefig(io.BytesIO(), format="png")  # lay it out
    for ax in figure.axes:
        legend = ax.get_legend()
        assert legend is not None
        assert legend.get_window_extent().x0 >= ax.get_window_extent().x1 - 1


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed: apt-get install -y chromium (.ci/run does it)",
)
@pytest.mark.parametrize("width", [1280, 390])
def test_report_in_headless_chromium(tmp_path: Path, width: int) -> None:
    from PIL import Image, ImageStat

    page = tmp_path / "report.html"
    write_report(_report(), page)
    seen = visit(page.as_uri(), width, expression=LAYOUT_CHECK)
    layout = seen.value
    assert seen.errors == [], seen.errors
    assert layout["rendered"] == "yes" and not layout["jsErrors"]
    assert layout["viewport"] == width
    assert layout["pageWidth"] <= width, "the page scrolls sideways"
    assert layout["overflow"] == [], f"elements wider than the page: {layout['overflow']}"
    assert layout["headings"][0] == "What this run says"
    text = layout["firstText"]
    assert text.index("What this run says") < text.index("Fastest implementation")
    with Image.open(io.BytesIO(seen.screenshot)) as image:
        grey = image.convert("L")
        assert width - 20 <= grey.size[0] <= width  # less a scrollbar
        assert ImageStat.Stat(grey).stddev[0] > 10, "screenshot is blank"
        assert len(grey.resize((100, 400)).getcolors(maxcolors=256) or []) > 20
