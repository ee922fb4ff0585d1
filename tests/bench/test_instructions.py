"""Instruction counting: reading callgrind dumps, the library's share of a call, the baseline
subtraction, the backends' declared entry points, and (where valgrind is installed) one
real count of a liboqs or OpenSSL ML-KEM-768 encapsulation."""

from __future__ import annotations

from pathlib import Path

import pytest

import pqc
from pqc.backends import backend_module, backend_status
from pqc.bench import instructions
from pqc.bench.instructions import Segment, Target
from pqc.bench.results import BenchResult

DUMP = """\
# callgrind format
version: 1
events: Ir
fn=PyObject_Call
cfn=OQS_KEM_ml_kem_768_encaps
calls=1 0
0 1000
cfn=helper
calls=2 0
0 50
fn=OQS_KEM_ml_kem_768_encaps
0 10
cfn=OQS_KEM_ml_kem_768_decaps
calls=1 0
0 7
summary: 1234
"""


def test_parse_dump_reads_the_total_and_inclusive_call_edges() -> None:
    total, edges = instructions.parse_dump(DUMP)
    assert total == 1234
    assert edges[("PyObject_Call", "OQS_KEM_ml_kem_768_encaps")] == 1000
    assert edges[("PyObject_Call", "helper")] == 50


def test_library_share_counts_calls_from_outside_the_library_only() -> None:
    patterns = ("OQS_KEM_*_encaps", "OQS_KEM_*_decaps")
    _, edges = instructions.parse_dump(DUMP)
    # the decaps call made inside encaps is in encaps's 1000 already
    assert instructions.library_share(edges, patterns) == 1000
    # so is one made deeper inside (encaps -> helper -> decaps)
    deeper = {("OQS_KEM_ml_kem_768_encaps", "inner"): 5, ("inner", "OQS_KEM_ml_kem_768_decaps"): 4}
    nested = {**edges, **deeper}
    assert instructions.library_share(nested, patterns) == 1000
    # a call from a function only outside the library counts
    outside = {**edges, ("PyEval", "OQS_KEM_ml_kem_768_decaps"): 9}
    assert instructions.library_share(outside, patterns) == 1009
    assert instructions.library_share(edges, ()) == 0


def test_assign_subtracts_the_median_baseline_from_calls_only() -> None:
    labels = [(0, "op"), (0, "op"), (0, "op"), (0, "baseline"), (0, "baseline"), (0, "baseline")]
    segments = [Segment(1100, 900), Segment(1300, 950), Segment(1200, 920)]
    segments += [Segment(100, 0), Segment(110, 0), Segment(90, 0)]
    target = Target("ML-KEM-768", "liboqs", "encaps")
    call, library = instructions.assign(labels, segments, [target])[target]
    assert (call.median, call.min, call.max, call.calls) == (1100, 1000, 1200, 3)
    assert (library.median, library.min, library.max) == (920, 900, 950)


def test_read_dumps_skips_dumps_from_before_the_first_marker(tmp_path: Path) -> None:
    out = tmp_path / "callgrind.out"
    for number, total in enumerate((5, 111, 222, 333), start=1):  # dump 1: an import's gcd
        Path(f"{out}.{number}").write_text(f"summary: {total}\n")
    assert [total for total, _ in instructions.read_dumps(out, 3)] == [222, 333]
    with pytest.raises(instructions.InstructionCountError):
        instructions.read_dumps(out, 5)


@pytest.mark.parametrize("backend", ["liboqs", "openssl", "gmssl-native", "hybrid"])
def test_native_backends_declare_entry_points(backend: str) -> None:
    name = {"gmssl-native": "SM2", "hybrid": "X25519MLKEM768"}.get(backend, "ML-KEM-768")
    if backend not in pqc.api.available_backends(name):
        pytest.skip(f"backend {backend} unavailable: {backend_status(backend).reason}")
    symbols, note = instructions.entry_points(name, backend)
    assert symbols and note is None
    for part in getattr(pqc.api.implementation(name, backend), "components", None) or ():
        declared = backend_module(part.backend).CAPABILITIES.native_entry_symbols
        assert set(declared) <= set(symbols)


def test_stripped_and_pure_python_backends_say_why() -> None:
    for name, backend, words in (("ML-KEM-768", "pqclean", "stripped"), ("SM2", "gmssl", "pure")):
        if backend in pqc.api.available_backends(name):
            symbols, note = instructions.entry_points(name, backend)
            assert symbols == () and note and words in note


def test_missing_valgrind_is_one_line_naming_apt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    reason = instructions.valgrind_missing()
    assert reason and "apt-get install valgrind" in reason and "\n" not in reason
    with pytest.raises(instructions.InstructionCountError, match="apt-get install valgrind"):
        instructions.count([Target("ML-KEM-768", "openssl", "encaps")])


@pytest.mark.skipif(
    instructions.valgrind_missing() is not None,
    reason=f"{instructions.valgrind_missing()} (instruction counting needs callgrind)",
)
def test_a_real_count_of_mlkem768_encaps() -> None:
    backend = next(b for b in pqc.api.available_backends("ML-KEM-768") if b != "pqclean")
    target = Target("ML-KEM-768", backend, "encaps")
    result = instructions.count([target], calls=2)[target]
    assert result.call is not None and result.library is not None
    # liboqs: about 133 k instructions inside OQS_KEM_ml_kem_768_encaps; OpenSSL about 520 k
    assert 50_000 < result.library.median < 2_000_000
    assert result.library.median < result.call.median < result.library.median + 200_000
    assert result.binding is not None and result.binding > 0


def test_bench_instructions_without_valgrind_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pqc.cli import main

    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    outcome = CliRunner().invoke(main, ["bench", "X25519", "--quick", "--instructions"])
    assert outcome.exit_code != 0
    assert "apt-get install valgrind" in outcome.output
    assert "Traceback" not in outcome.output


def test_a_case_result_carries_instructions_through_the_result_file(
    tmp_path: Path, sample_result: BenchResult
) -> None:
    from dataclasses import replace

    from pqc.bench.results import BENCH

    result = sample_result
    counts = instructions.summarise([3, 1, 2])
    case = replace(result.cases[0], instructions=instructions.Instructions(counts, counts))
    path = tmp_path / "r.json"
    BENCH.write(replace(result, cases=(case, *result.cases[1:])), path)
    assert BENCH.read(path).cases[0].instructions == case.instructions
