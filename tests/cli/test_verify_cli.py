"""`pqc verify` through click's runner: matrix, -v, --json, error paths and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pqc.cli import main
from pqc.conformance.model import CheckResult, Report, Status
from pqc.conformance.result import read_verify_result
from pqc.conformance.vectors import default_vectors_dir, resolve_vectors

FAST = ["--backend", "openssl", "--algorithm", "X25519", "--algorithm", "Ed25519"]


def _invoke(*args: str) -> object:
    return CliRunner().invoke(main, ["verify", *args])


def test_matrix_and_exit_zero(vectors: Path) -> None:
    result = _invoke(*FAST, "--vectors", str(vectors))
    assert result.exit_code == 0, result.output
    assert "openssl" in result.output and "hostile" in result.output
    assert "pass" in result.output and "0 failed" in result.output


def test_verbose_lists_every_check(vectors: Path) -> None:
    result = _invoke(*FAST, "--vectors", str(vectors), "-v")
    assert result.exit_code == 0
    assert "x25519_test.json" in result.output and "verify: signature" in result.output


def test_json_report(vectors: Path, tmp_path: Path) -> None:
    path = tmp_path / "verify.json"
    result = _invoke(*FAST, "--vectors", str(vectors), "--json", str(path))
    assert result.exit_code == 0
    data = json.loads(path.read_text())
    assert data["format"] == "pqc-result" and data["kind"] == "verify"
    body = data["body"]
    assert body["summary"]["failed"] is False
    assert {c["family"] for c in body["checks"]} >= {"kat", "hostile"}
    assert any(b["name"] == "openssl" and b["version"] for b in data["backends"])
    kat = next(c for c in body["checks"] if c["name"] == "x25519_test.json")
    assert kat["status"] == "pass" and kat["evidence"]["vectors_run"] == 518
    assert data["settings"]["vectors"] and data["command"][0] == "pqc"
    saved = read_verify_result(path)
    assert saved.summary.counts["fail"] == 0 and saved.machine.python_version


def test_missing_vectors_skip_with_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("PQC_VECTORS", str(tmp_path / "absent"))
    monkeypatch.chdir(tmp_path)
    result = _invoke(*FAST, "-v")
    assert result.exit_code == 0
    assert "skipped" in result.output and "PQC_VECTORS" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "nosuch"], "unknown backend"),
        (["--algorithm", "Kyber9000"], "unknown algorithm"),
        (["--vectors", "/nonexistent/vectors"], "does not exist"),
        (["--backend", "openssl", "--algorithm", "SM2"], "implements"),
    ],
)
def test_errors_are_one_line(args: list[str], message: str) -> None:
    result = _invoke(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_failure_exits_one(monkeypatch: pytest.MonkeyPatch) -> None:
    failing = CheckResult("interop", "a", "ML-KEM-768", "a -> b", Status.FAIL, "mismatch",
                          peers=("b",))
    finding = CheckResult("findings", "a", "SM2", "f", Status.FINDING, "seen")
    report = Report((failing, finding), (), {}, None, 0.1)
    monkeypatch.setattr("pqc.cli.verify.run_verify", lambda *a, **k: report)
    result = _invoke()
    assert result.exit_code == 1
    assert "mismatch" in result.output and "finding" in result.output


def test_findings_alone_exit_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    finding = CheckResult("findings", "a", "SM2", "f", Status.FINDING, "seen")
    monkeypatch.setattr("pqc.cli.verify.run_verify",
                        lambda *a, **k: Report((finding,), (), {}, None, 0.1))
    assert _invoke().exit_code == 0


def test_default_vectors_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ../shared/vectors next to wherever the command runs is not silently picked up."""
    monkeypatch.delenv("PQC_VECTORS", raising=False)
    decoy = tmp_path / "shared" / "vectors"
    (decoy / "wycheproof").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    root, how = resolve_vectors(None)
    assert root != decoy.resolve() and str(decoy) not in how
    assert str(default_vectors_dir()) in how and default_vectors_dir().is_absolute()


def test_missing_default_vectors_name_the_absolute_path_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PQC_VECTORS", raising=False)
    if default_vectors_dir().is_dir():
        pytest.skip(f"{default_vectors_dir()} exists here, so no vectors are missing")
    monkeypatch.chdir(tmp_path)
    result = _invoke(*FAST)
    assert f"looked at {default_vectors_dir()}" in result.output.replace("\n", "")
