"""`pqc handshake`, `pqc plot` and `pqc report` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pqc.bench.results import read_result, write_result
from pqc.cli import main
from tests.handshake.factory import stored_result


@pytest.fixture(scope="module")
def result_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "result.json"
    write_result(stored_result(), path)
    return path


def _run(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(main, list(args))
    return outcome.exit_code, outcome.output


def test_handshake_from_a_stored_result(result_file: Path) -> None:
    code, out = _run("handshake", "--from", str(result_file), "--json", "-")
    assert code == 0, out
    document = json.loads(out)
    assert document["format"] == "pqc-result" and document["kind"] == "handshake"
    suites = {s["suite"]["name"]: s for s in document["body"]["suites"]}
    assert set(suites) == {"classical", "nist-pq", "hybrid", "gm", "gm-hybrid"}
    assert suites["classical"]["total_ns"] == 375_000
    assert suites["classical"]["total_bytes"] == 386
    assert document["settings"]["chain"] == 2 and document["body"]["chosen"] is None
    assert document["command"][0] == "pqc"


def test_handshake_table_with_chain_and_chosen_backend(result_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "h.json"
    code, out = _run("handshake", "--from", str(result_file), "--chain", "3",
                     "--also-on", "openssl", "--suite", "classical", "--suite", "nist-pq",
                     "--json", str(target))  # fmt: skip
    assert code == 0, out
    assert "Classical" in out and "On backend openssl" in out and "4 x verify" in out
    document = json.loads(target.read_text(encoding="utf-8"))
    chosen = document["body"]["chosen"]
    assert [s["suite"]["name"] for s in chosen["suites"]] == ["classical", "nist-pq"]
    assert document["body"]["suites"][0]["verifies"] == 4


def test_handshake_backend_means_only_this_backend(result_file: Path) -> None:
    """--backend means "only this" on every verb: each part on that backend, or not costed."""
    outcome = CliRunner().invoke(main, ["handshake", "--from", str(result_file), "--backend",
                                        "openssl", "--suite", "nist-pq", "--suite", "gm",
                                        "--json", "-"])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    document = json.loads(outcome.stdout)
    body = document["body"]
    parts = [(s["kem"]["backend"], s["signature"]["backend"]) for s in body["suites"]]
    assert parts == [("openssl", "openssl")]
    assert any(line.startswith("gm:") and "only openssl" in line for line in body["skipped"])


def test_handshake_errors_are_one_line(result_file: Path, tmp_path: Path) -> None:
    code, out = _run("handshake", "--from", str(result_file), "--suite", "nonsense")
    assert code != 0 and "unknown suite" in out and "Traceback" not in out
    code, out = _run("handshake", "--from", str(result_file), "--backend", "nope")
    assert code != 0 and "unknown backend" in out
    code, out = _run("handshake", "--from", str(tmp_path / "missing.json"))
    assert code != 0 and "cannot read" in out and "Traceback" not in out
    code, out = _run("handshake", "--from", str(result_file), "--chain", "0")
    assert code != 0


def test_handshake_measures_when_no_result_is_given(tmp_path: Path) -> None:
    saved = tmp_path / "timings.json"
    code, out = _run("handshake", "--suite", "classical", "--quick", "--seconds", "0.02",
                     "--save-result", str(saved), "--json", "-")  # fmt: skip
    assert code == 0, out
    document = json.loads(out[out.index("{") :])
    (entry,) = document["body"]["suites"]
    assert entry["kem"]["algorithm"] == "X25519" and entry["total_ns"] > 0
    timed = {(c.algorithm, c.op) for c in read_result(saved).cases}
    assert ("ECDSA-P256", "keygen") not in timed  # not a per-handshake cost
    assert {("X25519", "keygen"), ("ECDSA-P256", "verify")} <= timed


def test_plot_png_and_svg(result_file: Path, tmp_path: Path) -> None:
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    assert _run("plot", str(result_file), "-o", str(png))[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _run("plot", str(result_file), "-o", str(svg), "--kind", "scatter")[0] == 0
    assert "<svg" in svg.read_text(encoding="utf-8")
    code, out = _run("plot", str(result_file), "-o", str(tmp_path / "c.gif"))
    assert code != 0 and ".png or .svg" in out


def test_report_with_every_input(result_file: Path, tmp_path: Path) -> None:
    handshake = tmp_path / "h.json"
    assert _run("handshake", "--from", str(result_file), "--json", str(handshake))[0] == 0
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "results"
    verify, leak = fixtures / "verify-v1.json", fixtures / "leak-v1.json"
    page = tmp_path / "report.html"
    code, out = _run("report", str(result_file), "-o", str(page), "--handshake", str(handshake),
                     "--verify", str(verify), "--leak", str(leak))  # fmt: skip
    assert code == 0, out
    text = page.read_text(encoding="utf-8")
    assert "Verification" in text and "Timing leaks" in text and "GM hybrid" in text
    bad = tmp_path / "bad.json"
    bad.write_text("not json", "utf-8")
    code, out = _run("report", str(result_file), "-o", str(page), "--verify", str(bad))
    assert code != 0 and "is not JSON" in out and "Traceback" not in out
    code, out = _run("report", str(result_file), "-o", str(page), "--verify", str(leak))
    assert code != 0 and "not a verify result" in out


def test_handshake_timing_prints_no_progress_lines_off_a_terminal() -> None:
    """The progress bar is on stderr and off when stderr is not a TTY (was one line per case)."""
    outcome = CliRunner().invoke(main, ["handshake", "--suite", "classical", "--seconds",
                                        "0.001", "--json", "-"])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert "timing" not in outcome.stderr
    assert json.loads(outcome.stdout)["body"]["suites"]


def test_plot_handshake_says_which_suites_it_could_not_plot(tmp_path: Path) -> None:
    """A result without ECDH-SM2 timings cannot cost the GM suites: say so, never drop them."""
    from tests.bench.conftest import lognormal, make_case, make_result

    cases = [make_case(name, op, lognormal(50_000, 30, i), kind=kind)
             for i, (name, kind, ops) in enumerate((
                 ("X25519", "kem", ("keygen", "encaps", "decaps")),
                 ("ECDSA-P256", "signature", ("sign", "verify"))))
             for op in ops]  # fmt: skip
    path = tmp_path / "r.json"
    write_result(make_result(cases), path)
    outcome = CliRunner().invoke(main, ["plot", str(path), "--kind", "handshake", "-o",
                                        str(tmp_path / "h.png")])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert "not plotted: gm:" in outcome.stderr and "ECDH-SM2" in outcome.stderr
