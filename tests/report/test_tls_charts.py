"""Charts of `pqc tls` results: they draw from real in-process runs and from link runs, and
say what is missing instead of drawing an empty chart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pqc.bench.stats import summarize
from pqc.errors import InvalidArgumentError
from pqc.report import plot
from pqc.report.tls_charts import latency_bytes_figure, loss_figure
from pqc.tls import RunSettings, new_result, run_all, settings_record
from pqc.tls.catalog import Combination
from pqc.tls.results import LinkRun, TLSResult


@pytest.fixture(scope="module")
def result() -> TLSResult:
    settings = RunSettings(handshakes=3, min_handshakes=3, warmup=0, chain=1)
    combos = [Combination("X25519", "Ed25519"), Combination("MLKEM768", "ML-DSA-44")]
    runs, _ = run_all(combos, settings)
    return new_result(runs, (), settings_record(settings, (1,)))


def _link(loss: float, samples: tuple[int, ...]) -> LinkRun:
    return LinkRun(group="X25519", certificate="Ed25519", chain=1, profile=f"loss {loss}",
                   rtt_ms=50.0, loss=loss, rate_kbit=0, response_bytes=0,
                   attempts=len(samples), completed=len(samples), completion=summarize(samples),
                   last_byte=None, analytic_round_trips=2, analytic_ms=100.0,
                   samples_ns=samples, failures=(), congestion_control="cubic")  # fmt: skip


def test_latency_against_bytes_draws_every_run(result: TLSResult, tmp_path: Path) -> None:
    figure = latency_bytes_figure(result)
    assert len(figure.axes[0].containers) == len(result.runs)  # one error bar per run
    plot.save(figure, tmp_path / "latency.png")
    assert (tmp_path / "latency.png").stat().st_size > 10_000


def test_loss_chart_needs_two_loss_rates(result: TLSResult) -> None:
    with pytest.raises(InvalidArgumentError, match="lossy-3"):
        loss_figure(result)
    links = (_link(0.0, (100_000_000, 101_000_000)), _link(0.1, (100_000_000, 1_300_000_000)))
    figure = loss_figure(replace(result, links=links))
    _, mean_panel = figure.axes
    (line,) = [ln for ln in mean_panel.lines if ln.get_marker() == "o"]
    assert list(line.get_xdata()) == [0.0, 10.0]
    assert list(line.get_ydata()) == pytest.approx([100.5, 700.0])
