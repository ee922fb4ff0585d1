"""`pqc tls` through click's runner: tables, pairings, one-line errors."""

from __future__ import annotations

from click.testing import CliRunner

from pqc.cli import main
from pqc.cli.tls import combinations
from pqc.tls import default_combinations


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
