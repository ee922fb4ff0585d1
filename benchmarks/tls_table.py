"""What real TLS 1.3 handshakes cost here, for the README (``pqc tls``).

Prints, in one run on one machine (80 columns):

(a) groups x certificate types, in process (chain of 2: leaf + intermediate,
    verified by the client against its root): median latency (ms), bytes
    server -> client, and bytes client -> server per group; flights/records;
(b) the `pqc handshake` model next to the real handshake for each modelled
    suite, CPU per side and bytes, and where the extra bytes go;
(c) handshake completion over TCP between two network namespaces on emulated
    links (LAN 1 ms, WAN 50 ms, WAN with 3% and 10% loss, slow mobile 150 ms
    / 1.5 Mbit/s / 1% loss) for classical, hybrid, ML-DSA chains and the GM
    groups: median, mean and p90, the analytic round trips at TCP's initial
    window, and the share of handshakes slowed by loss (longer than the
    analytic time plus one RTT) -- the published finding tested here is that
    loss >= 3% hurts the suites whose flights fragment across many packets;
(d) the wall time of the default ``pqc tls`` (target <= 60 s on 2 cores).

Usage: ``python benchmarks/tls_table.py [--charts DIR] [--json FILE] [--lossy N]
[--skip-link] [--skip-default]``;
about 4-5 minutes on an idle 2-core machine (the link part needs root).
Timings on a loaded machine are noisy; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pqc.tls import (
    Combination,
    RunSettings,
    certificate_types,
    link_profiles,
    new_result,
    offered_groups,
    run_all,
    settings_record,
)
from pqc.tls.analytic import MSS
from pqc.tls.link import LinkSettings, run_links, why_not
from pqc.tls.model import model_rows, time_model
from pqc.tls.results import TLS, HandshakeRun, LinkRun, TLSResult

LINK_COMBINATIONS = (
    (Combination("X25519", "ECDSA-P256"), 2, "classical"),
    (Combination("X25519MLKEM768", "ECDSA-P256"), 2, "hybrid KEX"),
    (Combination("X25519MLKEM768", "ML-DSA-65"), 2, "ML-DSA-65 chain"),
    (Combination("X25519MLKEM768", "ML-DSA-87"), 3, "ML-DSA-87 x3"),
    (Combination("curveSM2", "SM2"), 2, "GM"),
    (Combination("curveSM2MLKEM768", "SM2"), 2, "GM hybrid"),
)
CLEAN_HANDSHAKES = 8
LOSSY_HANDSHAKES = 24  # --lossy N for more (each lossy point costs ~N x 0.3-1 s)


def _wrapped(text: str) -> None:
    print(textwrap.fill(text, width=80, subsequent_indent="  ", replace_whitespace=False))


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _short(name: str) -> str:
    return {"SecP256r1MLKEM768": "P256MLKEM768", "SecP384r1MLKEM1024": "P384MLKEM1024",
            "curveSM2MLKEM768": "SM2MLKEM768"}.get(name, name)  # fmt: skip


def grid() -> tuple[HandshakeRun, ...]:
    groups = [g.name for g in offered_groups()]
    certificates = [c.name for c in certificate_types()]
    combos = [Combination(g, c) for g in groups for c in certificates]
    settings = RunSettings(handshakes=60, min_handshakes=20, warmup=5, seconds=0.3)
    runs, skipped = run_all(combos, settings)
    for line in skipped:
        print(f"skipped: {line}")
    return runs


def print_grid(runs: tuple[HandshakeRun, ...]) -> None:
    certificates = list(dict.fromkeys(r.certificate for r in runs))
    groups = list(dict.fromkeys(r.group for r in runs))
    by = {(r.group, r.certificate): r for r in runs}
    heads = [c.replace("ML-DSA-", "MLDSA").replace("ECDSA-P256", "ECDSA") for c in certificates]

    def matrix(title: str, cell: object) -> None:
        print(f"\n{title}")
        print(f"{'group':<14}" + "".join(f"{h:>9}" for h in heads))
        for g in groups:
            row = f"{_short(g):<14}"
            for c in certificates:
                run = by.get((g, c))
                row += f"{cell(run) if run else '-':>9}"  # type: ignore[operator]
            print(row)

    print("(a) In-process TLS 1.3, chain 2 (leaf + intermediate), client verifies")
    matrix("median handshake latency, ms (one thread runs both sides)",
           lambda r: f"{r.latency.median_ns / 1e6:.2f}")  # fmt: skip
    matrix("client + server CPU, ms (thread time of each side, medians; less load-sensitive)",
           lambda r: f"{(r.client_cpu.median_ns + r.server_cpu.median_ns) / 1e6:.2f}")  # fmt: skip
    matrix("bytes server -> client (records included, no session tickets)",
           lambda r: f"{r.server_to_client_bytes:,}")  # fmt: skip
    print("\nbytes client -> server per group (ClientHello + CCS + Finished):")
    line = ""
    for g in groups:
        first = next(r for r in runs if r.group == g)
        item = f"{_short(g)} {first.client_to_server_bytes:,}"
        if len(line) + len(item) + 3 > 78:
            print(line)
            line = ""
        line += ("   " if line else "") + item
    print(line)
    flights = sorted({f"{len(r.flights)}/{r.records}" for r in runs})
    print(f"flights/records in every combination: {', '.join(flights)}")
    schemes = sorted({(r.certificate, r.signature_scheme) for r in runs})
    _wrapped("signature schemes OpenSSL negotiated: "
             + ", ".join(f"{c} {s}" for c, s in schemes))  # fmt: skip


def print_model(runs: tuple[HandshakeRun, ...]) -> None:
    medians = time_model(runs)
    if medians is None:
        print("\n(b) no modelled suite was run")
        return
    rows, skipped = model_rows(runs, medians)
    print("\n(b) Model (`pqc handshake`, chain 2) vs real: CPU ms client/server, bytes")
    print(f"{'suite':<20}{'model C/S':>12}{'real C/S':>12}{'model B':>9}{'real B':>8}{'x':>6}")
    for row in rows:
        model = row.model_client_to_server_bytes + row.model_server_to_client_bytes
        real = row.real_client_to_server_bytes + row.real_server_to_client_bytes
        print(f"{row.title[:19]:<20}"
              f"{row.model_client_ns / 1e6:>6.2f}/{row.model_server_ns / 1e6:<5.2f}"
              f"{row.real_client_cpu_ns / 1e6:>6.2f}/{row.real_server_cpu_ns / 1e6:<5.2f}"
              f"{model:>9,}{real:>8,}{real / max(model, 1):>6.1f}")  # fmt: skip
    for line in skipped:
        print(f"  not modelled: {line}")
    if rows:
        first = rows[0]
        _wrapped(f"\nwhere {first.title}'s extra bytes go (the same parts, nearly the same "
                 "size, in every suite):")  # fmt: skip
        for what, size in first.gaps:
            print(f"  {what:<50}{size:>7,}")
        sources = [f"{r.title}: {r.model_kem_backend} + {r.model_signature_backend}" for r in rows]
        _wrapped("model medians from: " + "; ".join(sources))


def link_runs(lossy_handshakes: int) -> tuple[LinkRun, ...]:
    reason = why_not()
    if reason:
        print(f"\n(c) no link runs: {reason}")
        return ()
    clean = [p for p in link_profiles() if p.loss == 0 or p.rate_kbit]
    lossy = [p for p in link_profiles() if p.loss > 0 and not p.rate_kbit]
    _link_header(lossy_handshakes)
    out: list[LinkRun] = []
    for combination, chain, name in LINK_COMBINATIONS:
        for profiles, count in ((clean, CLEAN_HANDSHAKES), (lossy, lossy_handshakes)):
            settings = LinkSettings(handshakes=count, chain=chain, seconds=40.0,
                                    attempt_timeout=15.0)  # fmt: skip
            out.extend(run_links([combination], profiles, settings))
        mine = out[-len(clean) - len(lossy) :]
        for link in sorted(mine, key=lambda x: (x.rtt_ms, x.loss)):
            _link_row(name, link, mine)
        print(flush=True)
    return tuple(out)


def _link_header(lossy_handshakes: int) -> None:
    print("\n(c) Over TCP between two namespaces on emulated links, ms")
    print(f"    ({CLEAN_HANDSHAKES} handshakes per loss-free point, {lossy_handshakes} "
          "per lossy one; RTTs: analytic")  # fmt: skip
    print("    round trips at IW 10; slow: share longer than the same suite's loss-free")
    print("    median at that RTT + 1 RTT, i.e. held up by a retransmission)")
    print(f"{'suite':<16}{'profile':<9}{'done':>6}{'median':>8}{'mean':>8}{'p90':>8}"
          f"{'RTTs':>5}{'slow':>6}{'S->C B':>9}")  # fmt: skip


def _link_row(name: str, link: LinkRun, peers: list[LinkRun]) -> None:
    samples = sorted(x / 1e6 for x in link.samples_ns)
    head = f"{name:<16}{link.profile:<9}{link.completed:>3}/{link.attempts:<2}"
    if not samples:
        print(f"{head}  no handshake completed: {(link.failures or ('?',))[0][:30]}")
        return
    base = next((p for p in peers if p.rtt_ms == link.rtt_ms and p.loss == 0
                 and p.rate_kbit == link.rate_kbit and p.completion), None)  # fmt: skip
    slow = "-"
    if link.loss > 0 and base is not None and base.completion is not None:
        limit = base.completion.median_ns / 1e6 + link.rtt_ms
        slow = f"{sum(x > limit for x in samples) / len(samples):.0%}"
    p90 = samples[min(len(samples) - 1, int(0.9 * len(samples)))]
    print(f"{head}{statistics.median(samples):>8.1f}{statistics.fmean(samples):>8.1f}"
          f"{p90:>8.1f}{link.analytic_round_trips:>5}{slow:>6}{_flight_bytes(link):>9}",
          flush=True)  # fmt: skip


def print_links(links: tuple[LinkRun, ...]) -> None:
    """Summary of the loss finding: mean completion at 3% and 10% loss over the loss-free one."""
    if not links:
        return
    print("mean completion over the loss-free mean at the same RTT (x), by suite:")
    names = {(c.group, c.certificate, ch): n for c, ch, n in LINK_COMBINATIONS}
    for key, name in names.items():
        mine = [x for x in links if (x.group, x.certificate, x.chain) == key and x.completion]
        base = next((x for x in mine if x.loss == 0 and x.rtt_ms == 50.0), None)
        if base is None or base.completion is None:
            continue
        ratios = [f"{x.loss:.0%} loss {x.completion.mean_ns / base.completion.mean_ns:.2f}x"
                  for x in mine if x.loss and not x.rate_kbit and x.completion]  # fmt: skip
        segments = -(-_SERVER_BYTES.get(key, 0) // MSS)
        print(f"  {name:<16}{segments:>3} server segments   " + "   ".join(ratios))


_SERVER_BYTES: dict[tuple[str, str, int], int] = {}


def _flight_bytes(link: LinkRun) -> str:
    size = _SERVER_BYTES.get((link.group, link.certificate, link.chain))
    return f"{size:,}" if size else ""


def default_wall_time() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pqc", "tls"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--charts", type=Path, help="write the two charts (PNG) here")
    parser.add_argument("--json", type=Path, help="write the result file (kind tls) here")
    parser.add_argument("--lossy", type=int, default=LOSSY_HANDSHAKES,
                        help="handshakes per lossy link point (default %(default)s)")  # fmt: skip
    parser.add_argument("--skip-link", action="store_true")
    parser.add_argument("--skip-default", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"load average at start: {_load()}; {os.cpu_count()} CPUs")
    runs = grid()
    print_grid(runs)
    print(f"[(a) took {time.perf_counter() - started:.0f} s]")
    mark = time.perf_counter()
    print_model(runs)
    print(f"[(b) took {time.perf_counter() - mark:.0f} s]")
    from pqc.tls.driver import endpoints

    for combination, chain, _ in LINK_COMBINATIONS:
        flights = endpoints(combination.group, combination.certificate, chain).handshake().flights
        _SERVER_BYTES[(combination.group, combination.certificate, chain)] = flights[1].bytes
    mark = time.perf_counter()
    links = () if args.skip_link else link_runs(args.lossy)
    print_links(links)
    if links:
        print(f"[(c) took {time.perf_counter() - mark:.0f} s]")
    if not args.skip_default:
        print(f"\n(d) wall time of the default `pqc tls`: {default_wall_time():.1f} s "
              f"(load average now {_load()})")  # fmt: skip
    result = new_result(runs, (), settings_record(RunSettings(), (2,)), links=links,
                        command=["python", "benchmarks/tls_table.py", *sys.argv[1:]])  # fmt: skip
    if args.json:
        TLS.write(result, args.json)
        print(f"result written to {args.json}")
    if args.charts:
        _charts(result, args.charts)
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s; load average {_load()}")


def _charts(result: TLSResult, folder: Path) -> None:
    from pqc.report import plot
    from pqc.report.tls_charts import latency_bytes_figure, loss_figure

    folder.mkdir(parents=True, exist_ok=True)
    plot.save(latency_bytes_figure(result), folder / "tls-latency-bytes.png")
    if result.links:
        plot.save(loss_figure(result), folder / "tls-loss.png")
    print(f"charts written to {folder}")


if __name__ == "__main__":
    main()
