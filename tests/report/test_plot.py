"""Charts are produced, non-empty, and in the format asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

import pqc
from pqc.report import plot
from tests.handshake.factory import make_result, stored_result

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kind", plot.FIGURE_KINDS)
def test_png_and_svg_files(kind: str, tmp_path: Path) -> None:
    result = stored_result()
    figure = plot.figure_for(result, kind)
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    plot.save(figure, png)
    plot.save(figure, svg)
    assert png.read_bytes().startswith(PNG_MAGIC) and png.stat().st_size > 10_000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and text.rstrip().endswith("</svg>")


def test_charts_name_what_they_show() -> None:
    svg = plot.to_svg(plot.ops_figure(stored_result()))
    assert svg.startswith("<svg")
    for label in ("ML-KEM-768 · liboqs (C)", "ECDH-SM2 · gmssl-ecdh (pure Python)", "log scale"):
        assert label in svg
    scatter = plot.to_svg(plot.scatter_figure(stored_result()))
    assert "bytes on the wire" in scatter and "X25519" in scatter


def test_handshake_chart_from_a_document() -> None:
    from pqc.handshake import DEFAULT_SUITES, costs_from_result

    costs, _ = costs_from_result(stored_result(), DEFAULT_SUITES)
    svg = plot.to_svg(plot.handshake_figure(costs))
    assert "GM hybrid" in svg and "client" in svg
    assert plot.to_png(plot.handshake_figure(costs)).startswith(PNG_MAGIC)


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    with pytest.raises(pqc.InvalidArgumentError, match=r"\.png or \.svg"):
        plot.image_format(tmp_path / "chart.gif")
    with pytest.raises(pqc.InvalidArgumentError, match="unknown chart"):
        plot.figure_for(stored_result(), "pie")
    with pytest.raises(pqc.InvalidArgumentError, match="no timed cases"):
        plot.ops_figure(make_result({}))
    with pytest.raises(pqc.InvalidArgumentError):
        plot.handshake_figure([])
