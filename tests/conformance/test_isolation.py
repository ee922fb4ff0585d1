"""A crash or hang in the child process becomes a failing check naming the signal or timeout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pqc.conformance.isolation import crash_result, hostile_in_child, run_child
from pqc.conformance.model import Status

ANNOUNCE = (
    "import json, os, signal, sys, time;"
    "print(json.dumps({'event': 'algorithm', 'algorithm': 'X'}), flush=True);"
    "print(json.dumps({'event': 'case', 'algorithm': 'X', 'group': 'g', 'case': 'c1'}),"
    " flush=True);"
)


def test_crash_is_reported_with_the_signal_and_the_case() -> None:
    run = run_child([sys.executable, "-c", ANNOUNCE + "os.kill(os.getpid(), signal.SIGSEGV)"])
    assert run.signal_name == "SIGSEGV"
    result = crash_result("native", run, 5)
    assert result.status is Status.FAIL
    assert "SIGSEGV" in result.detail and "g: c1" in result.detail
    assert result.algorithm == "X"


def test_hang_is_bounded_by_the_idle_timeout() -> None:
    run = run_child([sys.executable, "-c", ANNOUNCE + "time.sleep(60)"], idle_timeout=1.0)
    assert run.hung and run.seconds < 30
    result = crash_result("native", run, 1.0)
    assert result.status is Status.FAIL and "hung" in result.detail


def test_real_child_reports_checks() -> None:
    results = hostile_in_child("openssl", ["X25519", "Ed25519"])
    assert {r.algorithm for r in results} == {"X25519", "Ed25519"}
    assert all(r.status is Status.PASS for r in results)


def test_setup_error_in_child_is_a_failing_check() -> None:
    results = hostile_in_child("openssl", ["SM2"])  # openssl does not implement SM2
    assert len(results) == 1 and results[0].status is Status.FAIL


def test_child_ignores_a_pqc_folder_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the parent of a clone named pqc (or any folder holding a pqc/ directory),
    the child must still import this pqc, not the folder (python -m put the cwd first)."""
    (tmp_path / "pqc" / "conformance").mkdir(parents=True)
    (tmp_path / "pqc" / "__init__.py").write_text("raise ImportError('the wrong pqc')\n")
    monkeypatch.chdir(tmp_path)
    results = hostile_in_child("openssl", ["X25519"])
    assert results and all(r.status is Status.PASS for r in results), [r.detail for r in results]
