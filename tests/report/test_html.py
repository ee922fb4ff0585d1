"""The HTML report: self-contained, escaped, and rendered by a real headless browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pqc.handshake import DEFAULT_SUITES, costs_from_result, handshake_document
from pqc.report.html import build_report, render_generic, write_report
from tests.handshake.factory import stored_result

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
HOSTILE = "<script>alert('x')</script>"

VERIFY = {
    "format": "pqc-verify-report",
    "schema_version": 1,
    "summary": {"passed": 41, "failed": 1},
    "results": [
        {"backend": "openssl", "check": "ML-KEM-768 KAT", "status": "pass", "cases": 120},
        {"backend": "gmssl", "check": HOSTILE, "status": "fail", "detail": {"why": "C3 unchecked"}},
    ],
}
LEAK = {"schema_version": 2, "verdicts": [{"target": "SM2 sign", "t": 7.3, "verdict": "leak"}]}


def _report() -> str:
    result = stored_result()
    costs, skipped = costs_from_result(result, DEFAULT_SUITES)
    chosen, _ = costs_from_result(result, DEFAULT_SUITES, backend="openssl")
    document = handshake_document(
        costs, skipped, chain=2, backend="openssl", source=result, chosen=chosen
    )
    return build_report(
        result, handshake=document, verify=VERIFY, leak=LEAK, sources={"result": "r.json"}
    )


def test_report_is_self_contained_and_escaped() -> None:
    page = _report()
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no network references"
    assert "<link" not in page and "@import" not in page
    assert HOSTILE not in page and "&lt;script&gt;alert(" in page
    for text in ("Handshake comparison", "GM hybrid", "Verification", "Timing-leak screen",
                 "Test CPU", "pqc-verify-report", "On the chosen backend: openssl"):  # fmt: skip
        assert text in page, text
    assert page.count("<svg") >= 3  # ops, scatter, handshake charts inline


def test_report_without_optional_inputs_computes_the_handshake() -> None:
    page = build_report(stored_result())
    assert "Computed from the timings above" in page and "X25519MLKEM768" in page
    assert "Verification" not in page and "Timing-leak" not in page


def test_generic_rendering_of_unknown_shapes() -> None:
    assert "<table" in render_generic({"a": [1, 2], "b": {"c": None}})
    assert render_generic([]) == "<em>none</em>"
    assert "fail" in render_generic("FAIL") and "pass" in render_generic(True)
    rows = render_generic([{"x": i} for i in range(1000)])
    assert "more rows not shown" in rows


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--window-size=1280,2000", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line or "CONSOLE(" in line]


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed: apt-get install -y chromium (.ci/run does it)",
)
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    page = tmp_path / "report.html"
    write_report(_report(), page)
    url = page.as_uri()

    dom = _chromium(["--dump-dom", url], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body is not None
    assert 'data-rendered="yes"' in body.group(0), "the page's script did not run"
    assert "data-js-errors" not in body.group(0), body.group(0)
    assert "Handshake comparison" in dom.stdout
    assert _console_lines(dom.stderr) == []

    shot = tmp_path / "shot.png"
    rendered = _chromium([f"--screenshot={shot}", url], tmp_path / "profile-shot")
    assert rendered.returncode == 0 and shot.exists(), rendered.stderr[-2000:]
    assert _console_lines(rendered.stderr) == []
    with Image.open(shot) as image:
        grey = image.convert("L")
        stats = ImageStat.Stat(grey)
        assert grey.size[0] >= 1000
        assert stats.stddev[0] > 10, "screenshot is blank"
        assert len(grey.resize((160, 250)).getcolors(maxcolors=256) or []) > 20
