"""`pqc bench`, `pqc show`, `pqc compare` through click's test runner (tiny time budgets)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from pqc.bench.cases import CaseSpec
from pqc.bench.results import BENCH, CaseResult, read_result, write_result
from pqc.cli import main
from tests.bench.conftest import lognormal, make_case, make_result, make_run_case, run_medians

FAST = ["--seconds", "0.001", "--backend", "openssl", "--runs", "1"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bench_prints_tables_and_writes_every_format(tmp_path: Path) -> None:
    out_json, out_csv, out_md = tmp_path / "r.json", tmp_path / "r.csv", tmp_path / "r.md"
    code, stdout, stderr = invoke(
        "bench", "ML-KEM-768", "Ed25519", *FAST, "--op", "keygen", "--op", "encaps",
        "--op", "sign", "--baseline", "X25519", "--json", str(out_json), "--csv", str(out_csv),
        "--markdown", str(out_md),
    )  # fmt: skip
    assert code == 0, stderr
    assert "Key encapsulation" in stdout and "Signatures" in stdout
    assert "ratio to X25519" in stdout and "median µs" in stdout
    assert f"wrote {out_json}" in stderr
    result = read_result(out_json)
    assert [c.label for c in result.cases] == [
        "ML-KEM-768 keygen [openssl]",
        "ML-KEM-768 encaps [openssl]",
        "X25519 keygen [openssl]",
        "X25519 encaps [openssl]",
        "Ed25519 keygen [openssl]",
        "Ed25519 sign [openssl]",
    ]
    assert result.command[:3] == ("pqc", "bench", "ML-KEM-768")
    assert "--baseline" in result.command
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert len(rows) == 6 and rows[2]["ratio_to_baseline"] == "1.0"
    assert rows[0]["public_key"] == "1184" and rows[0]["language"] == "C"
    markdown = out_md.read_text()
    assert "| ML-KEM-768 | openssl | C | keygen |" in markdown


def test_bench_json_to_stdout_replaces_the_tables() -> None:
    code, stdout, _ = invoke("bench", "X25519", *FAST, "--op", "keygen", "--json", "-")
    assert code == 0
    data = json.loads(stdout)
    assert data["format"] == "pqc-result" and data["kind"] == "bench"
    assert len(data["body"]["cases"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bench", "NOT-AN-ALGORITHM"], "unknown algorithm"),
        (["bench", "ML-KEM-768", "--backend", "nobackend"], "unknown backend"),
        (["bench", "SM2", "--backend", "openssl"], "no backend among openssl"),
        (["bench", "ML-KEM-768", "--op", "sign"], "is a kem"),
        (["bench", "ML-KEM-768", "--op", "frobnicate"], "unknown operation"),
        (["bench", "X25519", "--seconds", "-1"], "--seconds must be a positive"),
        (["bench", "X25519", "--runs", "0"], "--runs must be between 1 and 100"),
        (["bench", "X25519", "--json", "/nonexistent-dir/x.json"], "does not exist"),
        (["bench", "X25519", "--json", "-", "--csv", "-"], "only one of"),
        (["bench", "X25519", "--baseline", "NOPE"], "unknown algorithm"),
    ],
)
def test_bench_bad_input_is_one_line(args: list[str], message: str) -> None:
    code, stdout, stderr = invoke(*args)
    assert code != 0
    assert message in stderr
    assert "Traceback" not in stderr + stdout
    assert len(stderr.strip().splitlines()) == 1


def test_bench_unavailable_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    from pqc.backends.base import BackendStatus
    from pqc.bench import cases

    monkeypatch.setattr(
        cases,
        "backend_status",
        lambda name: BackendStatus(name, False, None, "C", "x", reason="missing; fix: install"),
    )
    code, _, stderr = invoke("bench", "X25519", "--backend", "openssl")
    assert code != 0 and "unavailable: missing; fix: install" in stderr


def _fake(spec: CaseSpec, complete: bool = True) -> CaseResult:
    case = make_case(spec.algorithm.name, spec.op, [1000, 1100, 1300], kind=spec.algorithm.kind)
    return replace(case, complete=complete)


def test_ctrl_c_keeps_finished_cases(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pqc.bench import runner

    real = runner._Session._tick
    starts: list[int | None] = []

    def tick(self: runner._Session, run: int, index: int | None, pass_number: int = 0) -> None:
        starts.append(index)
        if len(starts) == 3:  # Ctrl-C while the third case is being timed
            raise KeyboardInterrupt
        real(self, run, index, pass_number)

    monkeypatch.setattr(runner._Session, "_tick", tick)
    out = tmp_path / "partial.json"
    code, stdout, stderr = invoke("bench", "X25519", "Ed25519", *FAST, "--json", str(out))
    assert code == 130
    # The worker, asked to stop, reports what it has of every case it started: at least
    # the three the parent saw start (it may have started more before the signal came).
    said = re.search(r"interrupted in run 1 of 1; (\d) of 6 cases timed; partial result in", stderr)
    assert said is not None and 3 <= int(said[1]) <= 6
    assert "Traceback" not in stderr
    result = read_result(out)
    assert not result.complete and len(result.cases) == int(said[1])
    assert not any(case.complete for case in result.cases)  # a slice or two of 16 each
    assert all(1 <= case.runs[0].slices < 16 for case in result.cases)
    assert not result.runs[0].complete
    assert "interrupted" in stdout


def test_show_renders_every_format(tmp_path: Path) -> None:
    result = make_result(
        [
            make_case("X25519", "encaps", lognormal(40_000, 50, 1)),
            make_case("ML-KEM-768", "encaps", lognormal(20_000, 50, 2)),
        ]
    )
    path = tmp_path / "r.json"
    write_result(result, path)
    code, stdout, _ = invoke("show", str(path))
    assert code == 0 and "ML-KEM-768" in stdout and "0.50x" in stdout
    code, stdout, _ = invoke("show", str(path), "--json", "-")
    assert code == 0 and json.loads(stdout) == BENCH.to_data(result)
    code, stdout, _ = invoke("show", str(path), "--csv", "-")
    assert code == 0 and stdout.splitlines()[0].startswith("algorithm,kind,")
    code, stdout, _ = invoke("show", str(path), "--markdown", "-")
    assert code == 0 and "### Key encapsulation" in stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{oops", "is not JSON"),
        ('{"hello": 1}', "is not a pqc bench result"),
        ('{"format": "pqc-bench-result", "schema_version": 42}', "schema_version 42"),
    ],
)
def test_show_and_compare_refuse_bad_files(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    good = tmp_path / "good.json"
    write_result(make_result([make_case("X25519", "encaps", [1, 2, 3])]), good)
    for args in (["show", str(path)], ["compare", str(path), str(good)]):
        code, stdout, stderr = invoke(*args)
        assert code != 0 and message in stderr
        assert "Traceback" not in stderr + stdout
        assert len(stderr.strip().splitlines()) == 1


def _compare_files(tmp_path: Path) -> tuple[Path, Path]:
    a = make_result(
        [
            make_run_case("ML-KEM-768", "encaps", run_medians(30_000, 5, 1)),
            make_run_case("ML-KEM-768", "decaps", run_medians(30_000, 5, 2)),
            make_run_case("X25519", "encaps", run_medians(40_000, 5, 3)),
        ]
    )
    b = make_result(
        [
            make_run_case("ML-KEM-768", "encaps", run_medians(20_000, 5, 4)),  # faster
            make_run_case("ML-KEM-768", "decaps", run_medians(45_000, 5, 5)),  # slower
            make_run_case("X25519", "encaps", run_medians(40_000, 5, 6)),  # the same
        ]
    )
    path_a, path_b = tmp_path / "a.json", tmp_path / "b.json"
    write_result(a, path_a)
    write_result(b, path_b)
    return path_a, path_b


def test_compare_gives_the_expected_verdicts(tmp_path: Path) -> None:
    path_a, path_b = _compare_files(tmp_path)
    code, stdout, _ = invoke("compare", str(path_a), str(path_b), "--json", "-")
    assert code == 0
    data = json.loads(stdout)
    verdicts = {(c["algorithm"], c["op"]): c["verdict"] for c in data["cases"]}
    assert verdicts == {
        ("ML-KEM-768", "encaps"): "faster",
        ("ML-KEM-768", "decaps"): "slower",
        ("X25519", "encaps"): "same",
    }
    assert data["geometric_mean_ratio"] == pytest.approx((2 / 3 * 1.5 * 1.0) ** (1 / 3), rel=0.05)
    assert data["gate"] == {"fail_if_slower": None, "gate": "case", "by": "time", "failing": []}
    code, stdout, _ = invoke("compare", str(path_a), str(path_b))
    assert code == 0
    assert "faster" in stdout and "slower" in stdout and "same" in stdout
    assert "Geometric mean of B/A" in stdout and "Welch" in stdout
    code, stdout, _ = invoke("compare", str(path_a), str(path_b), "--markdown", "-")
    assert code == 0 and stdout.startswith("### B = ")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--fail-if-slower", "10"], 1, "ML-KEM-768 decaps [openssl]: 1.5"),
        (["--fail-if-slower", "60"], 0, ""),
        (["--fail-if-slower", "10", "--gate", "geomean"], 0, ""),  # 0.67 * 1.5 * 1.0 < 1.1
        (["--fail-if-slower", "1", "--gate", "geomean"], 0, ""),
        (["--fail-if-slower", "-3"], 2, "Invalid value for '--fail-if-slower'"),
        (["--fail-if-slower", "10", "--gate", "mean"], 2, "Invalid value for '--gate'"),
        (["--min-effect", "2"], 2, "Invalid value for '--min-effect'"),
        (["--fail-if-slower", "10", "--by", "instructions"], 2, "pqc bench --instructions"),
        (["--fail-if-slower", "10", "--no-speed-adjust"], 1, "ML-KEM-768 decaps [openssl]: 1.5"),
    ],
)
def test_compare_gate_exit_codes(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    path_a, path_b = _compare_files(tmp_path)
    exit_code, _, stderr = invoke("compare", str(path_a), str(path_b), *args)
    assert exit_code == code  # 1: the gate failed; 2: a usage error, never confused with it
    assert message in stderr and "Traceback" not in stderr


def test_compare_of_single_run_files_says_not_judged(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_result(make_result([make_case("X25519", "encaps", lognormal(40_000, 300, 1))]), a)
    write_result(make_result([make_case("X25519", "encaps", lognormal(48_000, 300, 2))]), b)
    code, stdout, stderr = invoke("compare", str(a), str(b))
    assert code == 0 and "not judged" in stdout and "too few to judge" in stdout
    code, _, stderr = invoke("compare", str(a), str(b), "--fail-if-slower", "10")
    assert code == 1 and "ratio only: too few runs" in stderr


def test_compare_without_common_cases(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_result(make_result([make_case("X25519", "encaps", [1, 2, 3])]), a)
    write_result(make_result([make_case("X25519", "decaps", [1, 2, 3])]), b)
    code, _, stderr = invoke("compare", str(a), str(b))
    assert code != 0 and "no case in common" in stderr


@pytest.mark.parametrize("command", ["list", "info ML-KEM-768"])
def test_listing_commands_have_json(command: str) -> None:
    code, stdout, _ = invoke(*command.split(), "--json", "-")
    assert code == 0 and json.loads(stdout)
