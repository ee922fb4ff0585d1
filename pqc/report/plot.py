"""Charts of a bench result (matplotlib, no display needed).

Figures are built on :class:`matplotlib.figure.Figure` directly -- no pyplot
state, rendered by the Agg (PNG) or SVG canvas -- so they work headless.

- :func:`ops_figure`: operations per second of every (algorithm, backend,
  operation) on a log scale, one panel per kind (KEMs, signatures).
- :func:`scatter_figure`: bytes on the wire against time, log-log: a KEM's
  public key + ciphertext against keygen + encaps + decaps, a signature's
  public key + signature against sign + verify (medians).
- :func:`handshake_figure`: per-suite handshake CPU time and bytes.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from pqc.bench.results import BenchResult, CaseResult
from pqc.errors import InvalidArgumentError
from pqc.handshake.cost import HandshakeCost

KINDS = (("kem", "KEMs"), ("signature", "Signatures"))
OPS = {"kem": ("keygen", "encaps", "decaps"), "signature": ("keygen", "sign", "verify")}
OP_COLOURS = {
    "keygen": "#4C72B0",
    "encaps": "#DD8452",
    "decaps": "#55A868",
    "sign": "#C44E52",
    "verify": "#8172B3",
}
KIND_COLOURS = {"kem": "#1f77b4", "signature": "#d62728"}
FIGURE_KINDS = ("ops", "scatter", "both")
_STYLE: Any = {"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 11}


def _rows(result: BenchResult, kind: str) -> list[tuple[str, dict[str, CaseResult]]]:
    """(label, {op: case}) per (algorithm, backend) of ``kind``, in run order."""
    rows: dict[tuple[str, str], dict[str, CaseResult]] = {}
    for case in result.cases:
        if case.kind == kind and case.stats.n > 0:
            rows.setdefault((case.algorithm, case.backend), {})[case.op] = case
    return [
        (f"{alg} · {backend} ({next(iter(cases.values())).language})", cases)
        for (alg, backend), cases in rows.items()
    ]


def _ops_panel(
    ax: Any, rows: list[tuple[str, dict[str, CaseResult]]], kind: str, title: str
) -> None:
    ops = OPS[kind]
    height = 0.8 / len(ops)
    for index, op in enumerate(ops):
        ys, widths = [], []
        for row, (_, cases) in enumerate(rows):
            if op in cases:
                ys.append(row + (index - (len(ops) - 1) / 2) * height)
                widths.append(1e9 / max(cases[op].centre_ns, 1.0))  # as the tables report
        if not ys:
            continue
        ax.barh(ys, widths, height=height, color=OP_COLOURS[op], label=op)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label for label, _ in rows])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("operations per second (median-based, log scale; higher is faster)")
    ax.set_title(title)
    ax.grid(axis="x", which="both", alpha=0.3)
    # Outside the axes, so no legend hides the longest bars.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="operation")


def _scatter_points(result: BenchResult) -> list[dict[str, Any]]:
    points = []
    for kind, _ in KINDS:
        wire_name = "ciphertext" if kind == "kem" else "signature"
        timed = ("keygen", "encaps", "decaps") if kind == "kem" else ("sign", "verify")
        for label, cases in _rows(result, kind):
            if not all(op in cases for op in timed):
                continue
            sizes = next(iter(cases.values())).sizes
            wire = sizes.get("public_key", 0) + sizes.get(wire_name, 0)
            seconds = sum(cases[op].centre_ns for op in timed) / 1e9
            first = next(iter(cases.values()))
            points.append(
                {"kind": kind, "label": label, "algorithm": first.algorithm,
                 "bytes": wire, "seconds": seconds}
            )  # fmt: skip
    return points


def place_labels(points: Sequence[tuple[float, float]], *, width: float = 0.55,
                 height: float = 0.075) -> list[tuple[float, float]]:
    """Label positions (log10 x, log10 y) right of each point, nudged up until no two labels
    overlap; ``width``/``height`` are a label's extent in decades."""
    logs = [(math.log10(x), math.log10(y)) for x, y in points]
    order = sorted(range(len(points)), key=lambda i: (logs[i][1], logs[i][0]))
    placed: dict[int, tuple[float, float]] = {}

    def blocked(spot: tuple[float, float], own: int) -> bool:
        if any(abs(spot[0] - ox) < width and abs(spot[1] - oy) < height
               for ox, oy in placed.values()):  # fmt: skip
            return True
        # another point under the label's box (the label runs right from spot)
        return any(i != own and spot[0] - 0.03 < px < spot[0] + width
                   and abs(py - spot[1]) < height * 0.7 for i, (px, py) in enumerate(logs))

    for index in order:
        x, y = logs[index]
        spot = (x + 0.02, y)
        while blocked(spot, index):
            spot = (spot[0], spot[1] + height)
        placed[index] = spot
    return [placed[i] for i in range(len(points))]


def _scatter_panel(ax: Any, result: BenchResult) -> None:
    points = _scatter_points(result)
    for kind, title in KINDS:
        mine = [p for p in points if p["kind"] == kind]
        if mine:
            ax.scatter(
                [p["bytes"] for p in mine],
                [p["seconds"] * 1e6 for p in mine],
                color=KIND_COLOURS[kind],
                alpha=0.75,
                label=f"{title} ({'keygen+encaps+decaps' if kind == 'kem' else 'sign+verify'})",
            )
    xy = [(float(p["bytes"]), p["seconds"] * 1e6) for p in points]
    for point, (x, y), (lx, ly) in zip(points, xy, place_labels(xy), strict=True):
        moved = abs(ly - math.log10(y)) > 1e-9
        ax.annotate(
            point["label"], (x, y), xytext=(10**lx, 10**ly), fontsize=6.5,
            color=KIND_COLOURS[point["kind"]], va="center",
            arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "#999999"} if moved else None,
        )  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xy:
        spots = place_labels(xy)
        ax.set_xlim(min(x for x, _ in xy) / 1.5, max(x for x, _ in xy) * 6)
        ax.set_ylim(min(y for _, y in xy) / 1.5,
                    max(max(y for _, y in xy), max(10**ly for _, ly in spots)) * 1.5)
    ax.set_xlabel(
        "bytes on the wire (KEM: public key + ciphertext; signature: public key + signature)"
    )
    ax.set_ylabel("time per exchange, µs (sum of medians)")
    ax.set_title("Size against time: each point one algorithm on one backend (language)")
    ax.grid(which="both", alpha=0.3)
    if points:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8)


def _check_cases(result: BenchResult) -> None:
    if not any(c.stats.n > 0 for c in result.cases):
        raise InvalidArgumentError("the result holds no timed cases to plot; run `pqc bench`.")


def ops_figure(result: BenchResult) -> Figure:
    """Operations per second per algorithm x backend x operation, log scale, grouped by kind."""
    _check_cases(result)
    panels = [(kind, title, _rows(result, kind)) for kind, title in KINDS]
    panels = [p for p in panels if p[2]]
    heights = [max(2.0, 0.42 * len(rows) + 1.2) for _, _, rows in panels]
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, sum(heights)), layout="constrained")
        axes = figure.subplots(len(panels), 1, squeeze=False, height_ratios=heights)
        for ax, (kind, title, rows) in zip(axes[:, 0], panels, strict=True):
            _ops_panel(ax, rows, kind, title)
    return figure


def scatter_figure(result: BenchResult) -> Figure:
    """Bytes on the wire against time per algorithm x backend, log-log."""
    _check_cases(result)
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, 7.5), layout="constrained")
        _scatter_panel(figure.subplots(), result)
    return figure


def handshake_figure(suites: Sequence[HandshakeCost], skipped: Sequence[str] = ()) -> Figure:
    """Handshake CPU time (client/server, ms) and bytes (each direction) per suite.

    ``skipped`` (suites that could not be costed, with why) is printed under the chart.
    """
    if not suites:
        raise InvalidArgumentError("no handshake suites to plot.")
    labels = [
        f"{s.suite.title}\n{s.kem.backend} ({s.kem.language}) / "
        f"{s.signature.backend} ({s.signature.language})"
        for s in suites
    ]
    client = [s.client_ns / 1e6 for s in suites]
    server = [s.server_ns / 1e6 for s in suites]
    up = [s.client_to_server_bytes for s in suites]
    down = [s.server_to_client_bytes for s in suites]
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, 0.5 * len(suites) + 2.2), layout="constrained")
        cpu, wire = figure.subplots(1, 2)
        ys = range(len(suites))
        cpu.barh([y - 0.2 for y in ys], client, height=0.4, color="#4C72B0", label="client")
        cpu.barh([y + 0.2 for y in ys], server, height=0.4, color="#DD8452", label="server")
        for y, c, s in zip(ys, client, server, strict=True):
            cpu.annotate(f"total {c + s:,.2f} ms", (max(c, s), y), textcoords="offset points",
                         xytext=(4, -3), fontsize=7)  # fmt: skip
        cpu.set_yticks(list(ys))
        cpu.set_yticklabels(labels)
        cpu.invert_yaxis()
        cpu.set_xscale("log")
        low, high = min(client + server), max(client + server)
        cpu.set_xlim(low / 2, high * 6)
        cpu.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        cpu.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        cpu.xaxis.set_minor_formatter(NullFormatter())  # minor labels collide on short ranges
        cpu.set_xlabel("CPU per handshake, ms (sum of medians, log scale)")
        cpu.legend(fontsize=8, loc="lower right")
        cpu.grid(axis="x", which="both", alpha=0.3)
        wire.barh(ys, up, color="#55A868", label="client → server")
        wire.barh(ys, down, left=up, color="#8172B3", label="server → client")
        wire.set_yticks(list(ys))
        wire.set_yticklabels([])
        wire.invert_yaxis()
        wire.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _: f"{value / 1000:g}k" if value else "0"))
        wire.set_xlabel("bytes on the wire (cryptographic bytes only)")
        wire.legend(fontsize=8)
        wire.grid(axis="x", alpha=0.3)
        if skipped:
            figure.supxlabel("Not costed: " + "; ".join(skipped), fontsize=7, color="#8a5300",
                             wrap=True)  # fmt: skip
    return figure


def figure_for(result: BenchResult, kind: str) -> Figure:
    """``kind`` = "ops", "scatter" or "both" (ops panels above the scatter)."""
    if kind == "ops":
        return ops_figure(result)
    if kind == "scatter":
        return scatter_figure(result)
    if kind != "both":
        raise InvalidArgumentError(
            f"unknown chart {kind!r}; expected one of: {', '.join(FIGURE_KINDS)}."
        )
    _check_cases(result)
    panels = [(k, title, _rows(result, k)) for k, title in KINDS]
    panels = [p for p in panels if p[2]]
    heights = [max(2.0, 0.42 * len(rows) + 1.2) for _, _, rows in panels] + [7.5]
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, sum(heights)), layout="constrained")
        axes = figure.subplots(len(heights), 1, squeeze=False, height_ratios=heights)[:, 0]
        for ax, (k, title, rows) in zip(axes, panels, strict=False):
            _ops_panel(ax, rows, k, title)
        _scatter_panel(axes[-1], result)
    return figure


def image_format(path: str | os.PathLike[str]) -> str:
    """ "png" or "svg" from the file name; raises :class:`InvalidArgumentError` otherwise."""
    suffix = os.fspath(path).rsplit(".", 1)[-1].lower() if "." in os.fspath(path) else ""
    if suffix not in ("png", "svg"):
        raise InvalidArgumentError(
            f"cannot tell the image format of {os.fspath(path)!r}; name it .png or .svg."
        )
    return suffix


def save(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 120) -> None:
    """Write ``figure`` to ``path`` as PNG or SVG (from the extension)."""
    fmt = image_format(path)
    with rc_context(_STYLE):
        figure.savefig(path, format=fmt, dpi=dpi)


def to_svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML (text kept as text)."""
    buffer = io.StringIO()
    with rc_context(_STYLE):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def to_png(figure: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
