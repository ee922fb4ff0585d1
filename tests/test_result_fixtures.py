"""Files written by the previous release (tests/fixtures/results) load and render as they did.

The fixtures are real output of pqc at fc017e9 (bench, leak, verify and
handshake files, before the one result envelope). Each must load, survive a
rewrite in today's format unchanged, and render -- in `pqc show`, `compare`,
`handshake --from` and `report` -- exactly as that rewritten file renders.
``expected/`` is what the CLI prints for them (first recorded with fc017e9
itself; see renders.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pqc import resultfile, resultkinds
from pqc.bench.results import read_result
from pqc.conformance.result import read_verify_result
from pqc.handshake import read_handshake
from pqc.leak.results import read_leak_result
from tests.fixtures.results.renders import EXPECTED, HERE, RENDERS, render

FIXTURES = sorted(HERE.glob("*-v1.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_old_file_loads_and_survives_a_rewrite(path: Path, tmp_path: Path) -> None:
    result = resultkinds.read_any(path)
    again = tmp_path / "again.json"
    resultkinds.write(result, again)
    assert resultkinds.read_any(again) == result
    assert resultkinds.kind_of(result).to_data(result)["format"] == resultfile.FORMAT


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_old_files_render_as_recorded(name: str, tmp_path: Path) -> None:
    assert render(RENDERS[name], tmp_path) == (EXPECTED / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_old_files_render_as_their_rewritten_selves(name: str, tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    for path in FIXTURES:
        resultkinds.write(resultkinds.read_any(path), new_dir / path.name)
    assert render(RENDERS[name], new_dir) == render(RENDERS[name], old_dir)


def test_what_the_old_files_hold_is_read_in_full() -> None:
    bench = read_result(HERE / "bench-v1.json")
    assert len(bench.cases) == 12 and all(c.stats.n == len(c.samples_ns) for c in bench.cases)
    assert bench.backend_status("liboqs") is not None
    leak = read_leak_result(HERE / "leak-v1.json")
    assert [len(side) for side in leak.cases[0].samples_ns] == [1000, 1000]
    assert leak.cases[1].verdict.status == "inconclusive" and leak.cases[1].medians.resamples
    verify = read_verify_result(HERE / "verify-v1.json")
    assert verify.summary.counts == {"pass": 38, "fail": 0, "finding": 1, "skipped": 2}
    assert verify.machine.cpu_model == "AMD EPYC" and verify.created == "not recorded"
    handshake = read_handshake(HERE / "handshake-chosen-v1.json")
    assert handshake.chosen is not None and handshake.chosen.backend == "openssl"
    assert handshake.suites[0].total_bytes == handshake.suites[0].client_to_server_bytes + \
        handshake.suites[0].server_to_client_bytes
    assert handshake.source.path == "handshake-bench.json" and handshake.settings.chain == 2
