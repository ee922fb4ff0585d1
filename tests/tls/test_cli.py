"""`pqc tls` through click's runner: tables, pairings, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pqc.cli import main
from pqc.cli.tls import combinations
from pqc.tls import default_combinations
from pqc.tls.results import TLS


def test_a_small_run_prints_both_tables_within_80_columns() -> None:
    result = CliRunner().invoke(
        main,
        [
            "tls",
            "--group",
            "X25519",
            "--cert",
            "Ed25519",
            "--chain",
            "1",
            "--handshakes",
            "5",
            "--no-model",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "In-process TLS 1.3 handshakes" in result.output
    assert "ed25519" in result.output and "x25519" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_flags_pair_every_group_with_every_certificate() -> None:
    pairs = combinations(["mlkem768", "X25519"], ["ML-DSA-44"])
    assert [(c.group, c.certificate) for c in pairs] == [
        ("MLKEM768", "ML-DSA-44"),
        ("X25519", "ML-DSA-44"),
    ]
    assert combinations([], []) == default_combinations()


def test_an_unknown_group_is_one_line_naming_the_choices() -> None:
    result = CliRunner().invoke(main, ["tls", "--group", "X448"])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "X25519MLKEM768" in lines[0] and "Traceback" not in result.output


def test_json_writes_a_result_file_show_can_read(tmp_path: Path) -> None:
    path = tmp_path / "tls.json"
    result = CliRunner().invoke(
        main,
        ["tls", "--group", "X25519", "--cert", "Ed25519", "--chain", "1", "--handshakes", "3",
         "--no-model", "--json", str(path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded = TLS.read(path)
    assert [r.label for r in loaded.runs] == ["X25519 + Ed25519"]
    assert loaded.complete and loaded.settings.chains == (1,)


def test_without_namespaces_one_line_says_why_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pqc.cli.tls.why_not", lambda: "making network namespaces needs root")
    result = CliRunner().invoke(
        main,
        ["tls", "--group", "X25519", "--cert", "Ed25519", "--chain", "1", "--handshakes", "3",
         "--no-model", "--link", "wan"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("needs root") >= 1
    assert "In-process TLS 1.3 handshakes" in result.output
