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

FIXTURES = sorted(HERE.glob("*-v1.json"))
# The report's verify and leak sections were raw JSON rendered generically; they now
# render the typed result (header fields named as the envelope names them).
TYPED_SECTIONS = "<section id='verify'>"


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_old_files_render_as_the_previous_release_rendered_them(name: str, tmp_path: Path) -> None:
    expected = (EXPECTED / name).read_text(encoding="utf-8")
    got = render(RENDERS[name], tmp_path)
    if TYPED_SECTIONS in expected:
        cut = expected.index(TYPED_SECTIONS)
        assert got[:cut] == expected[:cut]
        expected, got = expected[cut:], got[cut:]
        for text in ("38", "mlkem_768_test.json", "193/193 vectors passed",
                     "short input zero-padded and accepted", "X25519", "no-leak", "inconclusive",
                     "no leak larger than 170 ns at 95% over 2,000 samples (|t| = 1.6)"):
            assert (text in got) == (text in expected), text
        return
    assert got == expected


def test_the_typed_sections_render_old_and_rewritten_files_alike(tmp_path: Path) -> None:
    argv = RENDERS["report-all.html"]
    old = render(argv, tmp_path)
    for name in ("verify-v1.json", "leak-v1.json"):
        resultfile.write(resultfile.read_any(HERE / name), tmp_path / f"new-{name}")
    new = render(tuple(a.replace("verify-v1", "new-verify-v1").replace("leak-v1", "new-leak-v1")
                       for a in argv), tmp_path)  # fmt: skip
    assert new.replace("new-", "") == old


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
