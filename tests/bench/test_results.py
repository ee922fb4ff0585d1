"""The result model: exact JSON round-trip, atomic writes, refusal of foreign files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pqc.bench.results import (
    BENCH,
    KIND_VERSION,
    LEGACY_FORMAT,
    BenchResult,
    dumps_result,
    loads_result,
    read_result,
    write_result,
)
from pqc.errors import ResultFormatError
from pqc.jsondata import to_data
from pqc.resultfile import ENVELOPE_VERSION, FORMAT
from tests.bench.conftest import lognormal, make_case, make_result


def test_round_trip_is_exact(tmp_path: Path, sample_result: BenchResult) -> None:
    path = tmp_path / "run.json"
    write_result(sample_result, path)
    again = read_result(path)
    assert again == sample_result
    assert to_data(again) == to_data(sample_result)
    assert again.cases[0].samples_ns == sample_result.cases[0].samples_ns
    assert again.cases[0].stats.median_ns == sample_result.cases[0].stats.median_ns
    assert dumps_result(again) == dumps_result(sample_result)


def test_round_trip_of_an_incomplete_result(tmp_path: Path) -> None:
    result = make_result([make_case("X25519", "keygen", [1, 2, 3], complete=False)], complete=False)
    path = tmp_path / "partial.json"
    write_result(result, path)
    again = read_result(path)
    assert again == result
    assert not again.complete and not again.cases[0].complete


def test_file_has_format_and_schema_version(tmp_path: Path, sample_result: BenchResult) -> None:
    path = tmp_path / "run.json"
    write_result(sample_result, path)
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["schema_version"] == ENVELOPE_VERSION
    assert data["kind"] == "bench" and data["kind_version"] == KIND_VERSION
    assert data["machine"]["cpu_flags"] == ["avx2", "aes"]
    assert data["body"]["cases"][0]["algorithm"] == sample_result.cases[0].algorithm
    # samples stay one line per case, not one line per number
    assert len(path.read_text().splitlines()) < 400


def test_lookup_helpers(sample_result: BenchResult) -> None:
    case = sample_result.case("ML-KEM-768", "decaps")
    assert case is not None and case.backend == "liboqs"
    assert sample_result.case("ML-KEM-768", "decaps", backend="openssl") is None
    assert [c.algorithm for c in sample_result.by_kind("signature")] == ["ECDSA-P256", "ML-DSA-65"]
    status = sample_result.backend_status("openssl")
    assert status is not None and status.version is not None
    assert case.key == ("ML-KEM-768", "liboqs", "decaps")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json at all", "is not JSON"),
        ("[1, 2, 3]", "is not a pqc bench result"),
        ('{"name": "something else"}', "is not a pqc bench result"),
        (json.dumps({"format": LEGACY_FORMAT, "schema_version": 99}),
         "pqc-bench-result file of schema_version 99; this pqc reads pqc-bench-result version"),
        (json.dumps({"format": LEGACY_FORMAT, "schema_version": 1}), "damaged"),
        (json.dumps({"format": FORMAT, "schema_version": 99}), "schema_version 99"),
        (json.dumps({"format": FORMAT, "schema_version": 1, "kind": "bench", "kind_version": 9}),
         "kind_version 9; this pqc reads bench 1"),
        (json.dumps({"format": FORMAT, "schema_version": 1, "kind": "tls9"}), "'tls9' result"),
    ],
)
def test_foreign_or_unknown_input_is_refused(text: str, message: str) -> None:
    with pytest.raises(ResultFormatError, match=message):
        loads_result(text, source="x.json")


def test_damaged_case_is_refused(sample_result: BenchResult) -> None:
    data = BENCH.to_data(sample_result)
    del data["body"]["cases"][1]["op"]
    with pytest.raises(ResultFormatError, match=r"x.json is a damaged pqc bench result: "
                                                r"cases\[1\]\.op: missing"):
        BENCH.from_data(data, source="x.json")


def test_a_value_of_the_wrong_type_names_its_field(sample_result: BenchResult) -> None:
    data = BENCH.to_data(sample_result)
    data["body"]["cases"][2]["algorithm"] = {"name": "ML-KEM-768"}
    with pytest.raises(ResultFormatError, match=r"cases\[2\]\.algorithm: expected a string, "
                                                r"got an object"):
        BENCH.from_data(data, source="x.json")
    data = BENCH.to_data(sample_result)
    data["body"]["cases"][0]["samples_ns"][3] = True
    with pytest.raises(ResultFormatError, match=r"samples_ns\[3\]: expected an integer"):
        BENCH.from_data(data, source="x.json")


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match="cannot read"):
        read_result(tmp_path / "absent.json")


def test_samples_survive_any_integer_values(tmp_path: Path) -> None:
    samples = [0, 1, 2**40, *lognormal(1e6, 10, 9)]
    result = make_result([make_case("Ed25519", "verify", samples, kind="signature")])
    path = tmp_path / "r.json"
    write_result(result, path)
    assert read_result(path).cases[0].samples_ns == tuple(samples)


def test_a_file_from_before_runs_loads_as_one_run(sample_result: BenchResult) -> None:
    data = BENCH.to_data(sample_result)
    body = data["body"]
    del body["runs"], data["settings"]["runs"]
    for case in body["cases"]:
        del case["runs"], case["across_runs"]
    old = BENCH.from_data(data, source="old.json")
    assert old.settings.runs == 1 and old.runs == ()
    for case in old.cases:
        (run,) = case.runs
        assert run.samples == len(case.samples_ns) and run.median_ns == case.stats.median_ns
        assert case.centre_ns == case.stats.median_ns and case.run_samples(0) == case.samples_ns
        assert case.across_runs is not None and case.across_runs.runs == 1
    assert old == sample_result


def test_a_pre_envelope_file_loads_as_one_run() -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "results" / "bench-v1.json"
    old = read_result(fixture)
    assert old.cases and old.settings.runs == 1
    assert all(len(case.runs) == 1 for case in old.cases)
