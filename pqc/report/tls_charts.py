"""Charts of a `pqc tls` result (matplotlib Figure objects, no pyplot state; Agg or SVG).

- :func:`latency_bytes_figure`: median in-process handshake latency (IQR as
  error bars) against bytes on the wire, one point per (group, certificate,
  chain), coloured by the group's family.
- :func:`loss_figure`: median handshake completion over the emulated link
  against the loss rate, one line per combination, for the profiles that
  share a round-trip time and have no rate limit (WAN at 0, 3 and 10% loss);
  bars span the interquartile range.

Save either with :func:`pqc.report.plot.save` (PNG/SVG) or inline it with
:func:`pqc.report.plot.to_svg`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure

from pqc.errors import InvalidArgumentError
from pqc.tls.results import LinkRun, TLSResult

FAMILY_COLOURS = {
    "classical": "#4C72B0",
    "nist-pq": "#DD8452",
    "hybrid": "#55A868",
    "gm": "#C44E52",
    "gm-hybrid": "#8172B3",
}
FAMILY_TITLES = {
    "classical": "classical",
    "nist-pq": "NIST PQ",
    "hybrid": "hybrid",
    "gm": "GM",
    "gm-hybrid": "GM hybrid",
}
_STYLE: Any = {"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 11}


def latency_bytes_figure(result: TLSResult) -> Figure:
    """Latency against bytes per combination (see the module docstring)."""
    if not result.runs:
        raise InvalidArgumentError("the result holds no in-process handshakes to chart.")
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, 6), layout="constrained")
        ax = figure.subplots()
        seen: set[str] = set()
        for run in result.runs:
            median = run.latency.median_ns / 1e6
            low = median - run.latency.q1_ns / 1e6
            high = run.latency.q3_ns / 1e6 - median
            colour = FAMILY_COLOURS.get(run.family, "#777777")
            label = FAMILY_TITLES.get(run.family, run.family)
            ax.errorbar(
                [run.total_bytes], [median], yerr=[[low], [high]], fmt="o", color=colour,
                capsize=3, label=None if label in seen else f"{label} key exchange",
            )  # fmt: skip
            seen.add(label)
            chain = f" ×{run.chain}" if len({r.chain for r in result.runs}) > 1 else ""
            ax.annotate(f"{run.group}\n+ {run.certificate}{chain}", (run.total_bytes, median),
                        textcoords="offset points", xytext=(5, 2), fontsize=7)  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlabel("bytes on the wire, both directions (TLS records, log scale)")
        ax.set_ylabel("handshake latency, ms (median; bars: IQR)")
        ax.set_title(f"In-process TLS 1.3 handshakes: latency against bytes ({result.openssl})")
        ax.grid(which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
        ax.margins(x=0.15)
    return figure


def _loss_series(links: tuple[LinkRun, ...]) -> dict[str, list[LinkRun]]:
    """Runs on the no-rate-limit profiles of the most common RTT, by combination, by loss."""
    unlimited = [link for link in links if link.rate_kbit == 0 and link.completion is not None]
    if not unlimited:
        return {}
    rtts: dict[float, int] = defaultdict(int)
    for link in unlimited:
        rtts[link.rtt_ms] += 1
    rtt = max(rtts, key=lambda r: (len({x.loss for x in unlimited if x.rtt_ms == r}), r))
    series: dict[str, list[LinkRun]] = defaultdict(list)
    for link in unlimited:
        if link.rtt_ms == rtt:
            series[f"{link.group} + {link.certificate}"].append(link)
    return {k: sorted(v, key=lambda x: x.loss) for k, v in series.items() if len(v) > 1}


def loss_figure(result: TLSResult) -> Figure:
    """Completion time against loss per combination (see the module docstring)."""
    series = _loss_series(result.links)
    if not series:
        raise InvalidArgumentError(
            "the result holds no link runs at two or more loss rates on one RTT; run "
            "`pqc tls --link wan --link lossy-3 --link lossy-10`."
        )
    rtt = next(iter(series.values()))[0].rtt_ms
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, 6), layout="constrained")
        ax = figure.subplots()
        for label, links in series.items():
            xs = [link.loss * 100 for link in links]
            medians = [link.completion.median_ns / 1e6 for link in links if link.completion]
            low = [m - link.completion.q1_ns / 1e6
                   for m, link in zip(medians, links, strict=True) if link.completion]  # fmt: skip
            high = [link.completion.q3_ns / 1e6 - m
                    for m, link in zip(medians, links, strict=True) if link.completion]  # fmt: skip
            line = ax.errorbar(xs, medians, yerr=[low, high], marker="o", capsize=3, label=label)
            rtts = links[0].analytic_round_trips
            colour = line.lines[0].get_color()
            ax.axhline(links[0].analytic_ms, color=colour, linestyle=":", linewidth=0.8)
            ax.annotate(f"{rtts} RTT", (0, links[0].analytic_ms), textcoords="offset points",
                        xytext=(-28, -3), fontsize=7, color=colour)  # fmt: skip
        ax.set_xlabel("packet loss each way, %")
        ax.set_ylabel("handshake completion, ms (median of connect → done; bars: IQR)")
        ax.set_title(
            f"TLS 1.3 over TCP on an emulated {rtt:g} ms RTT link "
            "(dotted: round trips at TCP's initial window, no loss)"
        )
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    return figure
