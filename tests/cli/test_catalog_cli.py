"""`pqc list` and `pqc info` through click's runner."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import pqc
from pqc.cli import main


def test_list_shows_backends_and_algorithms() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert "openssl" in result.output and "ML-KEM-768" in result.output


def test_list_json() -> None:
    result = CliRunner().invoke(main, ["list", "--json", "-"])
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
    result = CliRunner().invoke(main, ["info", "SM2", "--json", "-"])
    data = json.loads(result.output)
    assert data["quantum_safe"] is False and data["fips_approved"] is False
    backends = {i["backend"] for i in data["implementations"]}
    assert backends == set(pqc.lookup("SM2").implementations) >= {"gmssl", "gmssl-native"}


def test_unknown_algorithm_is_one_line_and_non_zero() -> None:
    result = CliRunner().invoke(main, ["info", "Kyber77"])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "ML-KEM-768" in lines[0]
    assert "Traceback" not in result.output


def test_info_x25519_fips_field_agrees_with_its_caveat() -> None:
    """X25519 is in SP 800-186 but not an approved key-agreement scheme of SP 800-56A rev. 3;
    Ed25519 is approved for signatures by FIPS 186-5."""
    out = CliRunner().invoke(main, ["info", "X25519"]).output
    assert re.search(r"FIPS-approved: +no\b", out) and "SP 800-56A" in out
    out = CliRunner().invoke(main, ["info", "Ed25519"]).output
    assert re.search(r"FIPS-approved: +yes\b", out) and "FIPS 186-5" in out


@pytest.mark.parametrize("entry", pqc.algorithms(), ids=lambda a: a.name)
def test_fips_field_never_contradicted_by_a_caveat(entry: pqc.Algorithm) -> None:
    hedges = ("not fips-approved", "only in some profiles", "not approved for")
    for caveat in entry.caveats if entry.fips_approved else ():
        assert not any(h in caveat.lower() for h in hedges), caveat


def test_caveats_and_suite_notes_do_not_call_a_c_implementation_pure_python() -> None:
    """curveSM2 ECDH has a C implementation (gmssl-native): text must not say it is pure Python
    wherever that backend is the one used."""
    from pqc.handshake.suites import ALL_SUITES

    hybrid = pqc.lookup("SM2-MLKEM768")
    for caveat in hybrid.caveats:
        assert "no C implementation" not in caveat, caveat
    for suite in ALL_SUITES:
        assert "pure Python here" not in suite.note, suite.note
