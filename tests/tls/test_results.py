"""`pqc tls` results in the one result-file family: they round-trip, carry no key material,
and any-kind readers find them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pqc.resultkinds import read_any
from pqc.tls import RunSettings, new_result, run_all, settings_record
from pqc.tls.catalog import Combination
from pqc.tls.results import TLS, TLSResult


@pytest.fixture(scope="module")
def result() -> TLSResult:
    settings = RunSettings(handshakes=5, min_handshakes=5, warmup=1, chain=1)
    runs, skipped = run_all([Combination("X25519", "ML-DSA-44")], settings)
    return new_result(runs, skipped, settings_record(settings, (1,)), command=["pqc", "tls"])


def test_a_result_round_trips_through_its_file(result: TLSResult, tmp_path: Path) -> None:
    path = tmp_path / "tls.json"
    TLS.write(result, path)
    assert TLS.read(path) == result
    assert read_any(path) == result


def test_no_key_material_reaches_the_file(result: TLSResult) -> None:
    text = TLS.dumps(result)
    assert "PRIVATE KEY" not in text and "BEGIN" not in text
    assert '"kind": "tls"' in text


def test_a_kind_version_1_file_is_read_with_the_field_renamed(
    result: TLSResult, tmp_path: Path
) -> None:
    data = json.loads(TLS.dumps(result))
    data["kind_version"] = 1
    data["body"]["openssl"] = data["body"].pop("tls_library")
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert TLS.read(path) == result
