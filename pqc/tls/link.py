"""TLS handshakes over real TCP between two network namespaces, on an emulated link.

For each combination a server runs in one namespace and, for each link
profile, a client in the other makes ``handshakes`` sequential connections
(a fresh TCP connection and a full handshake each) while a
:class:`~pqc.tls.forwarder.Forwarder` in this process carries the packets
with the profile's delay, loss and rate. Everything is bounded: each attempt
by ``attempt_timeout`` seconds, each (combination, profile) by ``seconds``.
The namespaces, devices and processes are removed when the run ends, however
it ends (:func:`pqc.tls.netns.link_namespaces`).

Loss is drawn per packet from a generator seeded with ``seed`` and the
profile, so two runs see the same loss pattern for the same packet sequence
(packet timing still varies, so the outcome is not bit-identical).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from pqc.bench.stats import summarize
from pqc.errors import BackendError
from pqc.tls.analytic import handshake_ms, handshake_round_trips
from pqc.tls.catalog import Combination, LinkProfile, certificate_type, group
from pqc.tls.certificates import Chain, build_chain
from pqc.tls.driver import Endpoints
from pqc.tls.forwarder import Forwarder, LinkSpec
from pqc.tls.netns import LinkNamespaces, link_namespaces, unavailable_reason
from pqc.tls.results import LinkRun
from pqc.tls.run import Progress  # here ``done`` counts attempts

CONGESTION = "cubic"


@dataclass(frozen=True)
class LinkSettings:
    """How many handshakes per point, the response size, and the bounds on time."""

    handshakes: int = 20
    response_bytes: int = 0
    chain: int = 2
    seconds: float = 60.0
    attempt_timeout: float = 20.0
    seed: int = 1


def why_not() -> str | None:
    """One line saying why link runs cannot happen here (None when they can)."""
    return unavailable_reason()


def _start(namespaces: LinkNamespaces, side: str, config: dict[str, Any]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*namespaces.exec_prefix(side), sys.executable, "-m", "pqc.tls.endpoint", side],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(config) + "\n")
    process.stdin.flush()
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _line(stream: IO[str] | None) -> dict[str, Any] | None:
    if stream is None:
        return None
    text = stream.readline()
    return json.loads(text) if text.strip() else None


@contextmanager
def _server(namespaces: LinkNamespaces, chain: Chain, group_name: str,
            settings: LinkSettings) -> Iterator[int]:  # fmt: skip
    config = {
        "group": group_name,
        "certificates": [c.pem.decode("ascii") for c in chain.sent],
        "key": chain.leaf_key.private_pem().decode("ascii"),
        "response_bytes": settings.response_bytes,
        "timeout_s": settings.attempt_timeout,
        "congestion": CONGESTION,
    }
    process = _start(namespaces, "server", config)
    try:
        ready = _line(process.stdout)
        if not ready or "ready" not in ready:
            error = process.stderr.read() if process.stderr and process.poll() is not None else ""
            raise BackendError(f"the TLS server did not start: {error.strip()[-300:]}")
        yield int(ready["ready"])
    finally:
        _stop(process)


def _client_run(namespaces: LinkNamespaces, chain: Chain, group_name: str, port: int,
                settings: LinkSettings, label: str,
                progress: Progress | None) -> list[dict[str, Any]]:  # fmt: skip
    config = {
        "group": group_name,
        "root": chain.root.pem.decode("ascii"),
        "host": chain.host,
        "port": port,
        "count": settings.handshakes,
        "response_bytes": settings.response_bytes,
        "timeout_s": settings.attempt_timeout,
        "deadline_s": settings.seconds,
        "congestion": CONGESTION,
    }
    process = _start(namespaces, "client", config)
    lines: list[dict[str, Any]] = []
    try:
        while len(lines) < settings.handshakes:
            line = _line(process.stdout)
            if line is None:
                break
            lines.append(line)
            if progress is not None:
                progress(label, len(lines), settings.handshakes)
            if line.get("error") == "run deadline reached":
                break
        process.wait(timeout=settings.attempt_timeout + 5)
    finally:
        _stop(process)
    return lines


def _summary(combination: Combination, chain: Chain, profile: LinkProfile,
             settings: LinkSettings, lines: list[dict[str, Any]],
             flights: Any) -> LinkRun:  # fmt: skip
    done = [line for line in lines if "handshake_ns" in line]
    samples = tuple(int(line["handshake_ns"]) for line in done)
    last = [int(line["last_byte_ns"]) for line in done if line.get("last_byte_ns")]
    failures = tuple(str(line["error"]) for line in lines if "error" in line)
    used = sorted({str(line.get("congestion")) for line in done}) or [CONGESTION]
    return LinkRun(
        group=combination.group,
        certificate=combination.certificate,
        chain=chain_length(chain),
        profile=profile.name,
        rtt_ms=profile.rtt_ms,
        loss=profile.loss,
        rate_kbit=profile.rate_kbit,
        response_bytes=settings.response_bytes,
        attempts=len([line for line in lines if line.get("error") != "run deadline reached"]),
        completed=len(done),
        completion=summarize(samples) if samples else None,
        last_byte=summarize(last) if last else None,
        analytic_round_trips=handshake_round_trips(flights),
        analytic_ms=handshake_ms(flights, profile.rtt_ms, profile.rate_kbit),
        samples_ns=samples,
        failures=failures,
        congestion_control="/".join(used),
    )


def chain_length(chain: Chain) -> int:
    return len(chain.sent)


def run_links(
    combinations: Sequence[Combination],
    profiles: Sequence[LinkProfile],
    settings: LinkSettings,
    progress: Progress | None = None,
) -> tuple[LinkRun, ...]:
    """Every combination on every profile (see the module docstring).

    Raises :class:`~pqc.errors.BackendUnavailableError` when namespaces cannot
    be made here (the reason says why).
    """
    runs: list[LinkRun] = []
    try:
        _run_links(combinations, profiles, settings, progress, runs)
    except KeyboardInterrupt as stop:
        raise LinkInterrupted(tuple(runs)) from stop
    return tuple(runs)


class LinkInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM via the CLI) during link runs: the namespaces are gone; ``runs``
    holds the points finished before."""

    def __init__(self, runs: tuple[LinkRun, ...]) -> None:
        super().__init__("interrupted")
        self.runs = runs


def _run_links(
    combinations: Sequence[Combination],
    profiles: Sequence[LinkProfile],
    settings: LinkSettings,
    progress: Progress | None,
    runs: list[LinkRun],
) -> None:
    with link_namespaces() as namespaces:
        for combination in combinations:
            chosen = group(combination.group)
            chain = build_chain(certificate_type(combination.certificate), settings.chain)
            flights = Endpoints(chosen, chain).handshake().flights
            with _server(namespaces, chain, chosen.stack_name, settings) as port:
                for profile in profiles:
                    spec = LinkSpec(
                        delay_ms=profile.rtt_ms / 2,
                        loss=profile.loss,
                        rate_kbit=profile.rate_kbit,
                        seed=zlib.crc32(f"{settings.seed}/{profile.name}".encode()),
                    )
                    label = f"{combination.label} · {profile.title}"
                    with Forwarder(namespaces.client_fd, namespaces.server_fd, spec) as link:
                        lines = _client_run(namespaces, chain, chosen.stack_name, port, settings,
                                            label, progress)  # fmt: skip
                    if link.error is not None:
                        raise BackendError(f"the link emulator failed: {link.error}")
                    runs.append(_summary(combination, chain, profile, settings, lines, flights))
