"""`pqc leak` through click's runner: tiny budgets, controls, JSON, and every error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import pqc.api
from pqc.backends.base import BackendStatus
from pqc.cli import main
from pqc.leak import read_leak_result


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["leak", *args])


def test_tiny_screen_prints_a_table_and_a_verdict() -> None:
    result = _run("X25519", "--op", "keygen", "--samples", "120")
    assert result.exit_code == 0, result.output
    assert "Timing-leak screen" in result.output
    assert "X25519 keygen [openssl]" in result.output
    assert "(weight: secrets with 1/8 of their bits set (A) vs 7/8" in result.output
    assert any(
        word in result.output for word in ("no leak larger than", "leak: ", "inconclusive: ")
    )
    assert "constant-time" not in result.output


def test_controls_print_both_verdicts_and_whether_expected() -> None:
    result = _run("--controls", "--samples", "200", "--leak-bytes", "4")
    assert result.exit_code == 0, result.output
    assert "positive control compare" in result.output
    assert "negative control compare" in result.output
    assert result.output.count("control: ") == 2
    assert "early-exit scan of the first 4 bytes" in result.output


def test_json_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "leak.json"
    result = _run("ML-KEM-768", "--backend", "openssl", "--op", "decaps",
                  "--classes", "valid-tampered", "--samples", "100", "--json", str(path))
    assert result.exit_code == 0, result.output
    saved = read_leak_result(path)
    assert [c.label for c in saved.cases] == ["ML-KEM-768 decaps [openssl] valid-tampered"]
    assert saved.command[:3] == ("pqc", "leak", "ML-KEM-768")
    assert "--classes" in saved.command and saved.settings.samples == 100


def test_json_to_stdout() -> None:
    result = _run("SM2", "--backend", "gmssl", "--op", "keygen", "--samples", "6", "--json", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "pqc-result" and data["kind"] == "leak"
    assert data["body"]["cases"][0]["labels"] == ["low-weight", "high-weight"]
    assert data["body"]["cases"][0]["language"] == "pure Python"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NoSuchAlgorithm"], "unknown algorithm 'NoSuchAlgorithm'"),
        (["X25519", "--op", "sign"], "cannot screen 'sign' of X25519"),
        (["X25519", "--op", "decaps", "--classes", "odd"], "unknown input classes 'odd'"),
        (["X25519", "--backend", "nope"], "unknown backend 'nope'"),
        (["SM2", "--backend", "openssl"], "does not implement SM2"),
        (["ML-DSA-65", "--backend", "pqclean", "--op", "keygen"], "cannot screen 'keygen'"),
        (["X25519", "--seconds", "1", "--samples", "10"], "not both"),
        (["X25519", "--seconds", "0"], "--seconds must be positive"),
        (["X25519", "--samples", "2"], "--samples must be at least 4"),
        ([], "give an ALGORITHM"),
        (["X25519", "--controls"], "not both"),
        (["X25519", "--json", "/no/such/folder/x.json"], "does not exist"),
    ],
)
def test_errors_are_one_line_and_non_zero(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unavailable_backend_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pqc.api.backend_status

    def status(name: str) -> BackendStatus:
        if name == "gmssl":
            return BackendStatus(
                "gmssl", False, None, "pure Python", "gmssl", reason="fix: pip install gmssl"
            )
        return real(name)

    monkeypatch.setattr(pqc.api, "backend_status", status)
    result = _run("SM2", "--backend", "gmssl", "--samples", "10")
    assert result.exit_code != 0
    assert "backend 'gmssl' is unavailable: fix: pip install gmssl" in result.output


def test_fail_on_leak_exits_1_on_a_leak_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate itself (our machinery): the screened case is the real positive control (an
    early-exit compare that leaks by design), so a leak verdict comes in milliseconds."""
    import pqc.cli.leak as leak_cli
    from pqc.leak import run_control

    def leaky(spec: object, budget: object, progress: object = None) -> object:
        return run_control("positive", budget, leak_bytes=64, progress=progress)  # type: ignore[arg-type]

    monkeypatch.setattr(leak_cli, "run_case", leaky)
    args = ("X25519", "--op", "keygen", "--samples", "400")
    result = _run(*args, "--fail-on-leak")
    assert "leak: " in result.output, result.output
    assert result.exit_code == 1, result.output
    assert "--fail-on-leak" in result.stderr and "positive control" in result.stderr
    assert _run(*args).exit_code == 0  # without the flag a verdict is not a failure


def test_fail_on_leak_refuses_controls() -> None:
    result = _run("--controls", "--fail-on-leak", "--samples", "40")
    assert result.exit_code != 0 and "positive control always leaks" in result.output
