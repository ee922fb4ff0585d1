"""`pqc list` and `pqc info`: what is in the catalog and what runs on this machine."""

from __future__ import annotations

import click
from rich.table import Table

import pqc
from pqc.cli.common import emit_json, stdout_console
from pqc.jsondata import to_data


def _level(algorithm: pqc.Algorithm) -> str:
    if algorithm.nist_level is not None:
        return f"NIST {algorithm.nist_level}"
    return f"{algorithm.security_bits} bits"


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def list_command(as_json: bool) -> None:
    """List algorithms x backends, and which backends are available here (with reasons)."""
    statuses = pqc.backends()
    available = {s.name for s in statuses if s.available}
    if as_json:
        emit_json(
            {
                "backends": [to_data(s) for s in statuses],
                "algorithms": [
                    {
                        **a.to_dict(),
                        "available_backends": [b for b in a.backends if b in available],
                    }
                    for a in pqc.algorithms()
                ],
            }
        )
        return
    console = stdout_console()
    backends = Table(title="Backends")
    for column in ("backend", "available", "language", "version / reason"):
        backends.add_column(column)
    for s in statuses:
        backends.add_row(
            s.name,
            "yes" if s.available else "[red]no[/red]",
            s.language,
            s.version if s.available else f"[yellow]{s.reason}[/yellow]",
        )
    console.print(backends)
    algorithms = Table(title="Algorithms (backends in brackets are unavailable here)")
    for column in ("algorithm", "kind", "level", "PQ-safe", "FIPS", "backends"):
        algorithms.add_column(column, no_wrap=column == "algorithm")
    for a in pqc.algorithms():
        implemented = [b if b in available else f"[dim]({b})[/dim]" for b in a.backends]
        algorithms.add_row(
            a.name,
            a.kind,
            _level(a),
            "yes" if a.quantum_safe else "no",
            "yes" if a.fips_approved else "no",
            ", ".join(implemented),
        )
    console.print(algorithms)


@click.command("info")
@click.argument("algorithm")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def info_command(algorithm: str, as_json: bool) -> None:
    """Standard, security level, quantum safety, FIPS status, sizes, implementations, caveats."""
    entry = pqc.lookup(algorithm)
    statuses = {s.name: s for s in pqc.backends()}
    implementations = [
        {
            "backend": name,
            "native_name": native,
            "available": statuses[name].available,
            "language": statuses[name].language,
            "version": statuses[name].version,
            "reason": statuses[name].reason,
        }
        for name, native in entry.implementations.items()
    ]
    if as_json:
        emit_json({**entry.to_dict(), "implementations": implementations})
        return
    console = stdout_console()
    console.print(f"[bold]{entry.name}[/bold] ({entry.kind}, {entry.family})")
    if entry.aliases:
        console.print(f"  aliases:       {', '.join(entry.aliases)}")
    console.print(f"  standard:      {entry.standard} [{entry.status}]")
    console.print(f"  origin:        {entry.origin}")
    console.print(f"  security:      {_level(entry)} ({entry.security_bits}-bit classical)")
    console.print(f"  quantum-safe:  {'yes' if entry.quantum_safe else 'no (Shor)'}")
    console.print(f"  FIPS-approved: {'yes' if entry.fips_approved else 'no'}")
    sizes = ", ".join(
        f"{k} {v}{' (max)' if entry.is_variable(k) else ''}" for k, v in entry.sizes.items()
    )
    console.print(f"  sizes (bytes): {sizes}")
    if entry.construction:
        console.print(f"  construction:  {entry.construction}")
    console.print("  implementations:")
    for item in implementations:
        state = (
            f"available, {item['language']}, {item['version']}"
            if item["available"]
            else f"unavailable: {item['reason']}"
        )
        console.print(f"    {item['backend']:<13} ({item['native_name']}): {state}")
    if entry.caveats:
        console.print("  caveats:")
        for caveat in entry.caveats:
            console.print(f"    - {caveat}")
