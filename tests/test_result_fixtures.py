"""Files written by the previous release (tests/fixtures/results) load and render as they did.

The fixtures are real output of pqc at fc017e9 (bench, leak, verify and
handshake files, before the one result envelope). ``expected/`` is what that
release's CLI printed or wrote for them (tests/fixtures/results/renders.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pqc import resultfile
from pqc.bench.results import read_result
from pqc.leak.results import read_leak_result
from tests.fixtures.results.renders import EXPECTED, HERE, RENDERS, render

FIXTURES = sorted(p for p in HERE.glob("*-v1.json") if not p.name.startswith("verify"))


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_old_files_render_as_the_previous_release_rendered_them(name: str, tmp_path: Path) -> None:
    expected = (EXPECTED / name).read_text(encoding="utf-8")
    assert render(RENDERS[name], tmp_path) == expected


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_old_file_loads_and_survives_a_rewrite(path: Path, tmp_path: Path) -> None:
    result = resultfile.read_any(path)
    again = tmp_path / "again.json"
    resultfile.write(result, again)
    assert resultfile.read_any(again) == result
    assert resultfile.read_any(again).complete is True


def test_old_bench_and_leak_files_keep_every_sample() -> None:
    bench = read_result(HERE / "bench-v1.json")
    assert len(bench.cases) == 12 and all(c.stats.n == len(c.samples_ns) for c in bench.cases)
    leak = read_leak_result(HERE / "leak-v1.json")
    assert [len(side) for side in leak.cases[0].samples_ns] == [1000, 1000]
    assert leak.cases[1].medians.confidence == 0.95
