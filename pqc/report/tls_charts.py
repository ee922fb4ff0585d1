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
from pqc.tls.catalog import families
from pqc.tls.results import LinkRun, TLSResult

_STYLE: Any = {"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 11}


CERTIFICATE_MARKERS = {
    "ECDSA-P256": "o",
    "Ed25519": "s",
    "RSA-2048": "D",
    "ML-DSA-44": "^",
    "ML-DSA-65": "v",
    "ML-DSA-87": "P",
    "SM2": "*",
}
LABEL_LIMIT = 14  # more points than this: legend only, no label per point


def latency_bytes_figure(result: TLSResult) -> Figure:
    """Latency against bytes per combination (see the module docstring): colour = the
    group's family, marker = the certificate type; points are labelled when few."""
    if not result.runs:
        raise InvalidArgumentError("the result holds no in-process handshakes to chart.")
    chains = len({r.chain for r in result.runs}) > 1
    with rc_context(_STYLE):
        figure = Figure(figsize=(10, 6.5), layout="constrained")
        ax = figure.subplots()
        for run in result.runs:
            median = run.latency.median_ns / 1e6
            low = median - run.latency.q1_ns / 1e6
            high = run.latency.q3_ns / 1e6 - median
            ax.errorbar(
                [run.total_bytes], [median], yerr=[[low], [high]],
                fmt=CERTIFICATE_MARKERS.get(run.certificate, "o"),
                color=_colour(run.family), capsize=2, markersize=6,
                alpha=0.85,
            )  # fmt: skip
            if len(result.runs) <= LABEL_LIMIT:
                chain = f" ×{run.chain}" if chains else ""
                ax.annotate(f"{run.group}\n+ {run.certificate}{chain}", (run.total_bytes, median),
                            textcoords="offset points", xytext=(5, 2), fontsize=7)  # fmt: skip
        families = list(dict.fromkeys(r.family for r in result.runs))
        certificates = list(dict.fromkeys(r.certificate for r in result.runs))
        handles = [
            ax.plot([], [], "o", color=_colour(f), label=f"{_title(f)} key exchange")[0]
            for f in families
        ] + [
            ax.plot([], [], CERTIFICATE_MARKERS.get(c, "o"), color="#444444",
                    label=f"{c} certificates")[0]
            for c in certificates
        ]  # fmt: skip
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncol=4)  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("bytes on the wire, both directions (TLS records, log scale)")
        ax.set_ylabel("handshake latency, ms (median, log scale; bars: IQR)")
        ax.set_title(
            f"In-process TLS 1.3 handshakes: latency against bytes ({result.tls_library}; "
            f"load {_load(result)})"
        )
        ax.grid(which="both", alpha=0.3)
        ax.margins(x=0.12)
    return figure


def _colour(family: str) -> str:
    found = families().get(family)
    return found.colour if found else "#777777"


def _title(family: str) -> str:
    found = families().get(family)
    return found.title if found else family


def _load(result: TLSResult) -> str:
    load = result.machine.load_average
    return f"{load[0]:.1f}" if load else "unknown"


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
    """Completion time against loss per combination (see the module docstring): the median
    (bars: IQR) on the left, the mean (which carries the retransmission timeouts a median
    hides) on the right."""
    series = _loss_series(result.links)
    if not series:
        raise InvalidArgumentError(
            "the result holds no link runs at two or more loss rates on one RTT; run "
            "`pqc tls --link wan --link lossy-3 --link lossy-10`."
        )
    rtt = next(iter(series.values()))[0].rtt_ms
    with rc_context(_STYLE):
        figure = Figure(figsize=(11, 5.5), layout="constrained")
        middle, mean = figure.subplots(1, 2, sharey=True)
        for label, links in series.items():
            done = [link for link in links if link.completion is not None]
            xs = [link.loss * 100 for link in done]
            medians = [link.completion.median_ns / 1e6 for link in done if link.completion]
            low = [m - link.completion.q1_ns / 1e6
                   for m, link in zip(medians, done, strict=True) if link.completion]  # fmt: skip
            high = [link.completion.q3_ns / 1e6 - m
                    for m, link in zip(medians, done, strict=True) if link.completion]  # fmt: skip
            name = f"{label} ×{done[0].chain} ({done[0].analytic_round_trips} RTT)"
            line = middle.errorbar(xs, medians, yerr=[low, high], marker="o", capsize=3,
                                   label=name)  # fmt: skip
            colour = line.lines[0].get_color()
            means = [link.completion.mean_ns / 1e6 for link in done if link.completion]
            mean.plot(xs, means, marker="o", color=colour, label=name)
        for ax, what in ((middle, "median (bars: IQR)"), (mean, "mean")):
            for rtts in (2, 3):
                ax.axhline(rtts * rtt, color="#999999", linestyle=":", linewidth=0.8)
            ax.set_xlabel("packet loss each way, %")
            ax.set_title(f"{what}; dotted: 2 and 3 round trips")
            ax.grid(alpha=0.3)
        middle.set_ylabel("handshake completion, ms (connect → client done)")
        mean.legend(fontsize=7, loc="upper left")
        figure.suptitle(
            f"TLS 1.3 over TCP on an emulated {rtt:g} ms RTT link, by loss "
            "(RTT in the legend: analytic round trips at TCP's initial window)"
        )
    return figure
