"""`pqc list` and `pqc info` through click's runner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pqc.cli import main


def test_list_shows_backends_and_algorithms() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert "openssl" in result.output and "ML-KEM-768" in result.output


def test_list_json() -> None:
    result = CliRunner().invoke(main, ["list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = {a["name"] for a in data["algorithms"]}
    assert {"ML-KEM-768", "SM2", "X25519"} <= names
    for backend in data["backends"]:
        assert backend["available"] or backend["reason"]


def test_info_text_and_json() -> None:
    result = CliRunner().invoke(main, ["info", "Kyber768"])
    assert result.exit_code == 0, result.output
    assert "FIPS 203" in result.output and "NOT byte-compatible" in result.output
    result = CliRunner().invoke(main, ["info", "SM2", "--json"])
    data = json.loads(result.output)
    assert data["quantum_safe"] is False and data["fips_approved"] is False
    assert {i["backend"] for i in data["implementations"]} == {"gmssl", "gmssl-native"}


def test_unknown_algorithm_is_one_line_and_non_zero() -> None:
    result = CliRunner().invoke(main, ["info", "Kyber77"])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "ML-KEM-768" in lines[0]
    assert "Traceback" not in result.output
