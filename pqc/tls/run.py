"""Run in-process handshakes for each combination and summarise them.

Per combination: a fresh chain (not timed), one instrumented handshake (what
was negotiated, message sizes), ``warmup`` untimed handshakes, then timed
handshakes until ``handshakes`` are done or ``seconds`` have passed (at least
``min_handshakes``). The garbage collector is off while timing.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pqc.bench.stats import summarize
from pqc.errors import InvalidArgumentError, PQCError
from pqc.tls import openssl
from pqc.tls.catalog import Combination, certificate_type, group
from pqc.tls.certificates import MAX_CHAIN, build_chain
from pqc.tls.driver import Endpoints
from pqc.tls.probe import probe
from pqc.tls.results import HandshakeRun, LinkRun, ModelRow, TLSResult, TLSSettings

#: progress(label, done, total): ``done`` handshakes of ``total`` for ``label``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunSettings:
    """How many handshakes per combination, and the chain length (certificates sent)."""

    handshakes: int = 200
    min_handshakes: int = 20
    warmup: int = 10
    seconds: float = 3.0
    chain: int = 2

    def __post_init__(self) -> None:
        if not 1 <= self.chain <= MAX_CHAIN:
            raise InvalidArgumentError(f"a chain is 1-{MAX_CHAIN} certificates, got {self.chain}.")
        if self.handshakes < 1 or self.min_handshakes < 1 or self.warmup < 0:
            raise InvalidArgumentError("handshake counts must be positive (warm-up >= 0).")
        if self.seconds <= 0:
            raise InvalidArgumentError(f"seconds must be positive, got {self.seconds}.")


def check_combinations(combinations: Sequence[Combination]) -> tuple[Combination, ...]:
    """The combinations with names resolved; raises for an unknown or unoffered name."""
    offered = openssl.offered_groups()
    resolved: list[Combination] = []
    for item in combinations:
        found = group(item.group)
        if found not in offered:
            names = ", ".join(g.name for g in offered)
            raise InvalidArgumentError(
                f"the loaded {openssl.library_version()} does not offer {found.name}; "
                f"available: {names}."
            )
        resolved.append(Combination(found.name, certificate_type(item.certificate).name))
    return tuple(dict.fromkeys(resolved))


def run_combination(
    combination: Combination, settings: RunSettings, progress: Progress | None = None
) -> HandshakeRun:
    """Time handshakes of one combination (see the module docstring)."""
    chain = build_chain(combination.certificate, settings.chain)
    endpoints = Endpoints(combination.group, chain)
    seen = probe(endpoints)
    for _ in range(settings.warmup):
        endpoints.handshake()
    walls: list[int] = []
    client: list[int] = []
    server: list[int] = []
    label = combination.label
    deadline = time.perf_counter() + settings.seconds
    enabled = gc.isenabled()
    gc.disable()
    started = time.perf_counter_ns()
    try:
        while len(walls) < settings.handshakes:
            done = endpoints.handshake()
            walls.append(done.wall_ns)
            client.append(done.client_cpu_ns)
            server.append(done.server_cpu_ns)
            if progress is not None and len(walls) % 10 == 0:
                progress(label, len(walls), settings.handshakes)
            if len(walls) >= settings.min_handshakes and time.perf_counter() > deadline:
                break
    finally:
        elapsed = time.perf_counter_ns() - started
        if enabled:
            gc.enable()
    first = seen.handshake
    return HandshakeRun(
        group=endpoints.group.name,
        certificate=chain.kind.name,
        chain=settings.chain,
        family=endpoints.group.family,
        negotiated_group=first.negotiated_group,
        server_hello_group=seen.server_hello_group,
        signature_scheme=seen.signature_scheme,
        handshakes=len(walls),
        handshakes_per_s=len(walls) * 1e9 / max(elapsed, 1),
        latency=summarize(walls),
        client_cpu=summarize(client),
        server_cpu=summarize(server),
        client_to_server_bytes=first.client_to_server_bytes,
        server_to_client_bytes=first.server_to_client_bytes,
        ticket_bytes=first.ticket_bytes,
        flights=first.flights,
        messages=seen.messages,
        certificate_sizes=tuple(c.size for c in chain.sent),
        root_size=chain.root.size,
        samples_ns=tuple(walls),
    )


def run_all(
    combinations: Sequence[Combination],
    settings: RunSettings,
    progress: Progress | None = None,
    *,
    chains: Sequence[int] = (),
) -> tuple[tuple[HandshakeRun, ...], tuple[str, ...]]:
    """Every combination's run at each chain length in ``chains`` (default: the settings'),
    and one line per combination that could not run."""
    runs: list[HandshakeRun] = []
    skipped: list[str] = []
    lengths = tuple(dict.fromkeys(chains)) or (settings.chain,)
    each = [replace(settings, chain=length) for length in lengths]
    for combination in check_combinations(combinations):
        for chosen in each:
            try:
                runs.append(run_combination(combination, chosen, progress))
            except PQCError as exc:
                skipped.append(f"{combination.label} (chain {chosen.chain}): {exc}")
            except KeyboardInterrupt as stop:
                raise RunInterrupted(tuple(runs), tuple(skipped)) from stop
            if progress is not None:
                progress(combination.label, chosen.handshakes, chosen.handshakes)
    return tuple(runs), tuple(skipped)


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_all`: ``runs`` and ``skipped`` hold what was finished."""

    def __init__(self, runs: tuple[HandshakeRun, ...], skipped: tuple[str, ...]) -> None:
        super().__init__("interrupted")
        self.runs = runs
        self.skipped = skipped


def new_result(
    runs: Sequence[HandshakeRun],
    skipped: Sequence[str],
    settings: TLSSettings,
    *,
    command: Sequence[str] = (),
    model: Sequence[ModelRow] = (),
    links: Sequence[LinkRun] = (),
    link_note: str | None = None,
    complete: bool = True,
) -> TLSResult:
    """A :class:`TLSResult` stamped with the time, pqc's version, the machine and OpenSSL."""
    import datetime

    from pqc import __version__
    from pqc.bench.machine import collect_backends, collect_machine

    return TLSResult(
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        command=tuple(command),
        pqc_version=__version__,
        complete=complete,
        machine=collect_machine(),
        backends=collect_backends(),
        settings=settings,
        tls_library=openssl.library_version(),
        runs=tuple(runs),
        model=tuple(model),
        links=tuple(links),
        skipped=tuple(skipped),
        link_note=link_note,
    )


def settings_record(
    settings: RunSettings,
    chains: Sequence[int],
    *,
    profiles: Sequence[str] = (),
    link_handshakes: int = 0,
    response_bytes: int = 0,
    link_seed: int = 1,
) -> TLSSettings:
    """What a result file records about how the run was configured."""
    return TLSSettings(
        handshakes=settings.handshakes,
        min_handshakes=settings.min_handshakes,
        warmup=settings.warmup,
        seconds=settings.seconds,
        chains=tuple(chains) or (settings.chain,),
        link_profiles=tuple(profiles),
        link_handshakes=link_handshakes,
        response_bytes=response_bytes,
        link_seed=link_seed,
    )
