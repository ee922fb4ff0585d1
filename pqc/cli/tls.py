"""`pqc tls`: real TLS 1.3 handshakes per group and certificate type, in process and on a link."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pqc.bench.results import read_result
from pqc.cli.common import file_option, stderr_console
from pqc.tls import (
    Combination,
    HandshakeRun,
    LinkProfile,
    LinkRun,
    ModelRow,
    RunSettings,
    certificate_type,
    default_combinations,
    group,
    link_profile,
    link_profiles,
    new_result,
    run_all,
    settings_record,
)
from pqc.tls import catalog as tls_catalog
from pqc.tls.catalog import CertificateType, Group
from pqc.tls.link import LinkInterrupted, LinkSettings, run_links, why_not
from pqc.tls.model import model_rows, time_model
from pqc.tls.render import result_renderable
from pqc.tls.results import TLS
from pqc.tls.run import RunInterrupted

DEFAULT_GROUP = "X25519"
DEFAULT_CERTIFICATE = "ECDSA-P256"


def _names(entries: Sequence[Group | CertificateType | LinkProfile]) -> str:
    """The names of catalog entries, for --help (the catalog, pqc/data/tls.toml, lists them)."""
    return ", ".join(entry.name for entry in entries)


_RUN = RunSettings()  # the library's defaults, which the options show
_LINK = LinkSettings()


def combinations(groups: Sequence[str], certificates: Sequence[str]) -> tuple[Combination, ...]:
    """Every (group, certificate) pairing of the flags; the defaults when neither is given."""
    if not groups and not certificates:
        return default_combinations()
    chosen_groups = [group(name).name for name in groups] or [DEFAULT_GROUP]
    chosen_certificates = [certificate_type(n).name for n in certificates] or [DEFAULT_CERTIFICATE]
    return tuple(Combination(g, c) for g in chosen_groups for c in chosen_certificates)


def _console() -> Console:
    return Console(file=sys.stdout, width=80 if not sys.stdout.isatty() else None)


@click.command("tls")
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help=f"Key-exchange group (repeatable): {_names(tls_catalog.groups())} (those the loaded "
    f"OpenSSL offers). Paired with every --cert (default {DEFAULT_CERTIFICATE}).",
)
@click.option(
    "--cert",
    "certificates",
    multiple=True,
    metavar="TYPE",
    help=f"Server certificate type (repeatable): {_names(tls_catalog.certificate_types())}. "
    f"Paired with every --group (default {DEFAULT_GROUP}). Without --group and --cert: a "
    "default set covering classical, NIST PQ, hybrid, GM and GM hybrid.",
)
@click.option(
    "--chain",
    "chains",
    multiple=True,
    type=click.IntRange(1, 3),
    metavar="N",
    help="Certificates the server sends, 1-3 (repeatable; default 2: leaf + "
    "intermediate). The root stays with the client, which verifies the chain.",
)
@click.option(
    "--handshakes",
    default=_RUN.handshakes,
    show_default=True,
    type=click.IntRange(min=1),
    help="Timed handshakes per combination (fewer if --seconds runs out first).",
)
@click.option(
    "--seconds",
    default=_RUN.seconds,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help=f"Time budget per combination (at least {_RUN.min_handshakes} handshakes).",
)
@click.option(
    "--no-model",
    is_flag=True,
    help="Skip the `pqc handshake` model comparison (it times the suites' operations, ~5 s).",
)
@file_option(
    "--model-from", "model_from", "BENCH.json",
    "Take the model's operation medians from a `pqc bench --json` result.",
)  # fmt: skip
@click.option(
    "--link",
    "links",
    multiple=True,
    metavar="PROFILE",
    help="Also run over real TCP between two network namespaces on an emulated link "
    f"(repeatable): {_names(link_profiles())}, or all. Needs root.",
)
@click.option(
    "--response",
    "response_kb",
    default=0,
    type=click.IntRange(0, 10_000),
    metavar="KB",
    help="On a link, the server also sends KB kilobytes after the handshake (time to last byte).",
)
@click.option(
    "--link-handshakes",
    default=_LINK.handshakes,
    show_default=True,
    type=click.IntRange(1, 1000),
    help=f"Handshakes per combination and link profile (each bounded to "
    f"{_LINK.attempt_timeout:g} s, each point to {_LINK.seconds:g} s).",
)
@file_option(
    "--json", "json_path", "PATH",
    "Also write the result file to PATH ('-': only the JSON, on stdout). "
    "(pqc's one result-file family, kind tls).",
)  # fmt: skip
def tls_command(
    groups: tuple[str, ...],
    certificates: tuple[str, ...],
    chains: tuple[int, ...],
    handshakes: int,
    seconds: float,
    no_model: bool,
    model_from: str | None,
    links: tuple[str, ...],
    response_kb: int,
    link_handshakes: int,
    json_path: str | None,
) -> None:
    """Real TLS 1.3 handshakes (OpenSSL 4 via pyOpenSSL) between a client and a server in
    this process: latency, CPU per side, bytes each way, records and flights, and the group
    and signature scheme OpenSSL negotiated."""
    chosen = combinations(groups, certificates)
    profiles = _profiles(links)
    link_note = why_not() if profiles else None
    if link_note:
        stderr_console().print(f"[yellow]no link runs: {link_note}; in-process runs only.[/yellow]")
    settings = RunSettings(
        handshakes=handshakes, seconds=seconds, min_handshakes=min(20, handshakes)
    )
    lengths = chains or (settings.chain,)
    link_settings = LinkSettings(
        handshakes=link_handshakes, response_bytes=response_kb * 1024, chain=lengths[0]
    )
    done = _Done()
    interrupted = False
    with _bar() as bar, _terminate_as_interrupt():
        try:
            _measure(
                bar, done, chosen, settings, lengths, model=not no_model, model_from=model_from,
                profiles=() if link_note else profiles, link_settings=link_settings,
            )  # fmt: skip
        except (RunInterrupted, LinkInterrupted, KeyboardInterrupt) as stop:
            interrupted = True
            if isinstance(stop, RunInterrupted):
                done.runs, done.skipped = list(stop.runs), list(stop.skipped)
            if isinstance(stop, LinkInterrupted):
                done.links = list(stop.runs)
    record = settings_record(
        settings, lengths, profiles=[p.name for p in profiles], link_handshakes=link_handshakes,
        response_bytes=response_kb * 1024,
    )  # fmt: skip
    result = new_result(
        done.runs, done.skipped, record, command=["pqc", *sys.argv[1:]], model=done.model,
        links=done.links, link_note=f"no link runs: {link_note}" if link_note else None,
        complete=not interrupted,
    )  # fmt: skip
    if json_path == "-":
        click.echo(TLS.dumps(result), nl=False)
    else:
        if json_path is not None:
            TLS.write(result, json_path)
            stderr_console().print(f"wrote {json_path}", style="dim", highlight=False)
        _console().print(result_renderable(result))
    if interrupted:
        saved = f"; partial result in {json_path}" if json_path not in (None, "-") else ""
        click.echo(f"Error: interrupted; the namespaces were removed{saved}.", err=True)
        raise SystemExit(EXIT_INTERRUPTED)


EXIT_INTERRUPTED = 130


@dataclass
class _Done:
    """What the run finished, kept when it is interrupted."""

    runs: list[HandshakeRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    model: list[ModelRow] = field(default_factory=list)
    links: list[LinkRun] = field(default_factory=list)


def _bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    )


def _measure(
    bar: Progress,
    done: _Done,
    chosen: Sequence[Combination],
    settings: RunSettings,
    lengths: Sequence[int],
    *,
    model: bool,
    model_from: str | None,
    profiles: Sequence[LinkProfile],
    link_settings: LinkSettings,
) -> None:
    overall = bar.add_task("combinations", total=len(chosen) * len(lengths), current="")
    current = bar.add_task("handshakes", total=settings.handshakes, current="")

    def progress(label: str, count: int, of: int) -> None:
        bar.update(current, completed=count, total=of, current=label)
        if count >= of:
            bar.advance(overall)

    runs, skipped = run_all(chosen, settings, progress, chains=lengths)
    done.runs, done.skipped = list(runs), list(skipped)
    if model:
        bar.update(current, completed=0, total=None, current="timing the model's operations")
        medians = read_result(model_from) if model_from else time_model(runs)
        if medians is not None:
            rows, why = model_rows(runs, medians)
            done.model, done.skipped = list(rows), [*done.skipped, *why]
    if profiles:
        bar.update(overall, description="link points", completed=0,
                   total=len(chosen) * len(profiles))  # fmt: skip
        done.links = list(run_links(chosen, profiles, link_settings, progress))


def _profiles(names: Sequence[str]) -> tuple[LinkProfile, ...]:
    if any(name.strip().lower() == "all" for name in names):
        return tuple(link_profiles())
    return tuple(dict.fromkeys(link_profile(name) for name in names))


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM during a link run unwinds like Ctrl-C, so the namespaces are removed."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
