"""`pqc tls`: real TLS 1.3 handshakes per group and certificate type, in process and on a link."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pqc.bench.results import read_result
from pqc.cli.common import stderr_console
from pqc.tls import (
    Combination,
    ModelRow,
    RunSettings,
    certificate_type,
    default_combinations,
    group,
    new_result,
    run_all,
)
from pqc.tls.model import model_rows, time_model
from pqc.tls.render import result_renderable

DEFAULT_GROUP = "X25519"
DEFAULT_CERTIFICATE = "ECDSA-P256"


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
    help="Key-exchange group (repeatable): X25519, P-256, P-384, MLKEM512, MLKEM768, "
    "MLKEM1024, X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, curveSM2, "
    "curveSM2MLKEM768 (those the loaded OpenSSL offers). Paired with every --cert "
    f"(default {DEFAULT_CERTIFICATE}).",
)
@click.option(
    "--cert",
    "certificates",
    multiple=True,
    metavar="TYPE",
    help="Server certificate type (repeatable): ECDSA-P256, Ed25519, RSA-2048, "
    "ML-DSA-44, ML-DSA-65, ML-DSA-87, SM2. Paired with every --group "
    f"(default {DEFAULT_GROUP}). Without --group and --cert: a default set covering "
    "classical, NIST PQ, hybrid, GM and GM hybrid.",
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
    default=200,
    show_default=True,
    type=click.IntRange(min=1),
    help="Timed handshakes per combination (fewer if --seconds runs out first).",
)
@click.option(
    "--seconds",
    default=3.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Time budget per combination (at least 20 handshakes).",
)
@click.option(
    "--no-model",
    is_flag=True,
    help="Skip the `pqc handshake` model comparison (it times the suites' operations, ~5 s).",
)
@click.option(
    "--model-from",
    default=None,
    metavar="BENCH.json",
    help="Take the model's operation medians from a `pqc bench --json` result.",
)
def tls_command(
    groups: tuple[str, ...],
    certificates: tuple[str, ...],
    chains: tuple[int, ...],
    handshakes: int,
    seconds: float,
    no_model: bool,
    model_from: str | None,
) -> None:
    """Real TLS 1.3 handshakes (OpenSSL 4 via pyOpenSSL) between a client and a server in
    this process: latency, CPU per side, bytes each way, records and flights, and the group
    and signature scheme OpenSSL negotiated."""
    chosen = combinations(groups, certificates)
    settings = RunSettings(
        handshakes=handshakes, seconds=seconds, min_handshakes=min(20, handshakes)
    )
    lengths = chains or (settings.chain,)
    total = len(chosen) * len(lengths)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        overall = bar.add_task("combinations", total=total, current="")
        current = bar.add_task("handshakes", total=handshakes, current="")
        finished: set[str] = set()

        def progress(label: str, done: int, of: int) -> None:
            bar.update(current, completed=done, total=of, current=label)
            if done >= of:
                finished.add(label + str(len(finished)))
                bar.update(overall, completed=len(finished), current="")

        runs, skipped = run_all(chosen, settings, progress, chains=lengths)
        rows: tuple[ModelRow, ...] = ()
        if not no_model:
            bar.update(current, completed=0, total=None, current="timing the model's operations")
            medians = read_result(model_from) if model_from else time_model(runs)
            if medians is not None:
                rows, model_skipped = model_rows(runs, medians)
                skipped += model_skipped
    result = new_result(runs, skipped, command=["pqc", *sys.argv[1:]], model=rows)
    _console().print(result_renderable(result))
