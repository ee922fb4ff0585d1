"""Every verb's terminal output at 80 columns: nothing wider, no number or name cut ("…").

Each verb runs through click's runner with COLUMNS set (the consoles honour it when stdout
is not a terminal), or its renderable is printed on a rich Console(width=80).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console, RenderableType

import pqc
from pqc.bench.compare import compare_results
from pqc.bench.render import format_us
from pqc.bench.results import BenchResult, write_result
from pqc.bench.terminal import comparison_view, result_view, summarise_warnings
from pqc.cli import main
from pqc.cli.verify import render_details, render_matrix
from pqc.conformance.model import CheckResult, Report, Status
from tests.bench.conftest import lognormal, make_case, make_result
from tests.handshake.factory import stored_result

WIDTH = 80


def assert_fits(text: str, width: int = WIDTH) -> None:
    lines = text.splitlines()
    assert lines, "nothing was printed"
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, f"{len(too_wide)} lines wider than {width}: {too_wide[:3]}"
    cut = [line for line in lines if "…" in line]
    assert not cut, f"cut cells: {cut[:3]}"


def render(renderable: RenderableType, width: int = WIDTH) -> str:
    console = Console(width=width, record=True, color_system=None, file=open(  # noqa: SIM115
        "/dev/null", "w", encoding="utf-8"))
    console.print(renderable)
    return console.export_text()


def run(*args: str, width: int = WIDTH) -> tuple[int, str, str]:
    outcome = CliRunner(env={"COLUMNS": str(width)}).invoke(main, list(args))
    return outcome.exit_code, outcome.stdout, outcome.stderr


def _worst_case_result() -> BenchResult:
    """Every catalog algorithm on every backend that implements it, with long numbers,
    pure-Python rows, warnings of each kind: the widest a real run prints."""
    cases = []
    seed = 0
    for algorithm in pqc.algorithms():
        ops = ("keygen", "encaps", "decaps") if algorithm.kind == "kem" else (
            "keygen", "sign", "verify")
        for backend in algorithm.backends:
            language = "pure Python" if backend.startswith("gmssl") and "native" not in backend \
                else "C"
            for op in ops:
                seed += 1
                median = 123_456_789 if algorithm.family == "RSA" and op == "keygen" else 17_777
                warnings = ("only 3 samples (62.5 ms a call, 0.08 s budget): a rough median; "
                            "raise --seconds",) if seed % 7 == 0 else ()
                if seed % 5 == 0:
                    warnings += ("IQR 74% of the median (> 25%): likely machine noise",)
                case = make_case(algorithm.name, op, lognormal(median, 40, seed, 0.6),
                                 backend=backend, kind=algorithm.kind, warnings=warnings)
                cases.append(replace(case, language=language, family=algorithm.family,
                                     sizes=dict(algorithm.sizes)))
    return make_result(cases)


@pytest.fixture(scope="module")
def worst_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fit") / "worst.json"
    write_result(_worst_case_result(), path)
    return path


def test_bench_view_fits_80_and_keeps_every_name_and_median() -> None:
    result = _worst_case_result()
    text = render(result_view(result))
    assert_fits(text)
    for case in result.cases:
        assert case.algorithm in text and case.backend in text
    medians = {format_us(c.stats.median_ns) for c in result.cases}
    assert all(m in text for m in medians)


def test_bench_view_uses_more_width_when_there_is_more() -> None:
    result = _worst_case_result()
    narrow, wide = render(result_view(result)), render(result_view(result), width=140)
    assert "p99" not in narrow and "p99" in wide and " CV " in wide
    assert_fits(wide, 140)


def test_show_at_80_columns(worst_file: Path) -> None:
    code, out, err = run("show", str(worst_file))
    assert code == 0, err
    assert_fits(out)
    assert "sizes in bytes" in out


def test_warnings_are_one_summary_line_and_each_behind_verbose(worst_file: Path) -> None:
    result = _worst_case_result()
    flagged = sum(bool(c.warnings) for c in result.cases)
    code, out, _ = run("show", str(worst_file))
    assert code == 0
    assert f"{flagged} of {len(result.cases)} cases flagged" in out.replace("\n", " ")
    assert "a rough median" not in out  # per-case text only with -v
    code, verbose, _ = run("show", str(worst_file), "-v")
    assert code == 0 and "a rough median" in verbose
    assert_fits(verbose)


def test_summary_line_names_the_load_and_what_to_do() -> None:
    result = _worst_case_result()
    loaded = replace(result, machine=replace(result.machine, load_average=(5.8, 5.0, 4.0),
                                             usable_cpus=2))  # fmt: skip
    line = summarise_warnings(loaded).line()
    assert "load 5.8 on 2 CPUs" in line and "rerun on an idle machine" in line
    idle = replace(result, machine=replace(result.machine, load_average=(0.2, 0.2, 0.2),
                                           usable_cpus=2))  # fmt: skip
    line = summarise_warnings(idle).line()
    assert "rerun on an idle machine" not in line  # it was idle: the advice says what moved
    assert "the machine itself varied" in line


def test_real_bench_at_80_columns() -> None:
    code, out, err = run("bench", "ML-KEM-768", "X25519", "Ed25519", "--seconds", "0.001",
                         "--backend", "openssl", "--runs", "1", "--op", "keygen",
                         "--op", "sign")  # fmt: skip
    assert code == 0, err
    assert_fits(out)
    assert "ML-KEM-768" in out and "openssl (C)" in out


def test_bench_says_when_the_baseline_was_not_run() -> None:
    code, out, err = run("bench", "ML-KEM-768", "--seconds", "0.001", "--backend", "openssl",
                         "--op", "keygen", "--runs", "1")  # fmt: skip
    assert code == 0, err
    assert "baseline X25519 was not timed" in out.replace("\n", " ")
    assert_fits(out)


def test_compare_at_80_columns_keeps_parameter_sets_apart(tmp_path: Path) -> None:
    names = ("ML-KEM-512", "ML-KEM-768", "ML-KEM-1024", "SecP256r1MLKEM768")
    a = make_result([make_case(n, op, lognormal(20_000 * (i + 1), 60, i))
                     for i, n in enumerate(names) for op in ("keygen", "decaps")])
    b = make_result([make_case(n, op, lognormal(21_000 * (i + 1), 60, i + 9))
                     for i, n in enumerate(names) for op in ("keygen", "decaps")])
    text = render(comparison_view(compare_results(a, b), "B = a-long-file-name.json vs A = b.json"))
    assert_fits(text)
    for name in names:
        assert f"\n{name}" in "\n" + text  # each parameter set on its own, uncut
    path_a, path_b = tmp_path / "a.json", tmp_path / "b.json"
    write_result(a, path_a)
    write_result(b, path_b)
    code, out, err = run("compare", str(path_a), str(path_b))
    assert code == 0, err
    assert_fits(out)


def test_handshake_at_80_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_result(stored_result(), path)
    code, out, err = run("handshake", "--from", str(path), "--suite", "all")
    assert code == 0, err
    assert_fits(out)
    assert_fits(err)
    assert "16,10\n" not in out  # a number split across lines


def _synthetic_report() -> Report:
    long = ("64/66 vectors passed, 2 lenient (no check required, or a documented refusal); "
            "first: tcId 52 private key with s1 vector out of range: signed with an "
            "out-of-range secret key (signature verifies)")
    return Report(
        results=(
            CheckResult("kat", "liboqs", "ML-DSA-44", "mldsa_44_sign_noseed_test.json",
                        Status.FINDING, long, {}),
            CheckResult("interop", "gmssl-native", "SecP256r1MLKEM768",
                        "gmssl-native -> pqclean", Status.FAIL, "2 of 2 crossings failed", {},
                        peers=("pqclean",)),
            CheckResult("hostile", "gmssl-ecdh", "ECDH-SM2", "truncated public key",
                        Status.PASS, "refused", {}),
        ),
        backends=(), machine={}, seconds=1.0,
        vectors="/a/very/long/path/to/the/shared/vectors/directory",
    )


def test_verify_matrix_and_details_at_80_columns() -> None:
    report = _synthetic_report()
    console = Console(width=WIDTH, record=True, color_system=None,
                      file=open("/dev/null", "w", encoding="utf-8"))  # noqa: SIM115
    render_matrix(report, console)
    render_details(report, console, everything=True)
    text = console.export_text()
    assert_fits(text)
    assert "mldsa_44_sign_noseed_test.json" in text and "SecP256r1MLKEM768" in text


def test_real_verify_at_80_columns() -> None:
    code, out, err = run("verify", "--backend", "openssl", "--algorithm", "X25519", "-v")
    assert code == 0, out + err
    assert_fits(out)


def test_leak_at_80_columns() -> None:
    code, out, err = run("leak", "SM2", "--backend", "gmssl", "--op", "keygen", "--samples", "8")
    assert code == 0, err
    assert_fits(out)
    assert "SM2 keygen" in out and "gmssl (pure Python)" in out


def test_list_at_80_columns() -> None:
    code, out, err = run("list")
    assert code == 0, err
    assert_fits(out)
    for algorithm in pqc.algorithms():
        assert algorithm.name in out


@pytest.mark.parametrize("name", [a.name for a in pqc.algorithms()])
def test_info_at_80_columns(name: str) -> None:
    code, out, err = run("info", name)
    assert code == 0, err
    assert_fits(out)


def test_json_dash_is_stdout_on_every_verb(worst_file: Path) -> None:
    for args in (["list"], ["info", "SM2"], ["show", str(worst_file)],
                 ["compare", str(worst_file), str(worst_file)]):  # fmt: skip
        code, out, err = run(*args, "--json", "-")
        assert code == 0, err
        assert json.loads(out)
