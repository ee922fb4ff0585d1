"""`pqc list` and `pqc info`: what is in the catalog and what runs on this machine."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

import pqc
from pqc.bench.terminal import compact_table
from pqc.cli.common import emit_json, stdout_console
from pqc.jsondata import to_data


def _level(algorithm: pqc.Algorithm) -> str:
    if algorithm.nist_level is not None:
        return f"NIST {algorithm.nist_level}"
    return f"{algorithm.security_bits} bits"


def _not_enabled(algorithm: pqc.Algorithm, available: set[str]) -> dict[str, str]:
    """Available backends whose loaded build lacks ``algorithm``, with the reason."""
    reasons = {b: pqc.api.unserved_reason(algorithm, b) for b in algorithm.backends
               if b in available}
    return {b: reason for b, reason in reasons.items() if reason is not None}


@click.command("list")
@click.option("--json", "json_path", metavar="PATH", help="Write JSON to PATH; '-' for stdout.")
def list_command(json_path: str | None) -> None:
    """List algorithms x backends, and which backends are available here (with reasons)."""
    statuses = pqc.backends()
    available = {s.name for s in statuses if s.available}
    if json_path is not None:
        emit_json(
            {
                "backends": [to_data(s) for s in statuses],
                "algorithms": [
                    {
                        **to_data(a),
                        "backends": list(a.backends),
                        "available_backends": list(pqc.available_backends(a)),
                        "not_enabled": _not_enabled(a, available),
                    }
                    for a in pqc.algorithms()
                ],
            },
            json_path,
        )
        if json_path == "-":
            return
    console = stdout_console()
    backends = compact_table("Backends")
    for column in ("backend", "available", "language"):
        backends.add_column(column)
    backends.add_column("version / reason", overflow="fold")  # paths wrap, never cut
    for s in statuses:
        backends.add_row(
            s.name,
            "yes" if s.available else "[red]no[/red]",
            s.language,
            s.version if s.available else f"[yellow]{s.reason}[/yellow]",
        )
    console.print(backends)
    console.print()
    algorithms = compact_table(
        "Algorithms (backends in brackets are unavailable here or not enabled in the "
        "loaded build)"
    )
    for column in ("algorithm", "kind", "level", "PQ-safe", "FIPS", "backends"):
        algorithms.add_column(column, no_wrap=column != "backends")
    for a in pqc.algorithms():
        lacking = _not_enabled(a, available)
        implemented = [
            f"[dim]({b}: not enabled)[/dim]" if b in lacking
            else b if b in available else f"[dim]({b})[/dim]"
            for b in a.backends
        ]
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
@click.option("--json", "json_path", metavar="PATH", help="Write JSON to PATH; '-' for stdout.")
def info_command(algorithm: str, json_path: str | None) -> None:
    """Standard, security level, quantum safety, FIPS status, sizes, implementations, caveats."""
    entry = pqc.lookup(algorithm)
    statuses = {s.name: s for s in pqc.backends()}
    lacking = _not_enabled(entry, {n for n, s in statuses.items() if s.available})
    implementations = [
        {
            "backend": name,
            "native_name": native,
            "available": statuses[name].available and name not in lacking,
            "enabled": name not in lacking,
            "language": statuses[name].language,
            "version": statuses[name].version,
            "reason": lacking.get(name, statuses[name].reason),
        }
        for name, native in entry.implementations.items()
    ]
    if json_path is not None:
        emit_json({**to_data(entry), "backends": list(entry.backends),
                   "implementations": implementations}, json_path)  # fmt: skip
        if json_path == "-":
            return
    console = stdout_console()
    console.print(Text(f"{entry.name} ({entry.kind}, {entry.family})", style="bold"))
    fields = Table.grid(padding=(0, 1))
    fields.add_column(no_wrap=True)
    fields.add_column()  # values wrap, aligned under themselves
    sizes = ", ".join(
        f"{k} {v}{' (max)' if entry.is_variable(k) else ''}" for k, v in entry.sizes.items()
    )
    rows = [
        ("aliases", ", ".join(entry.aliases)),
        ("standard", f"{entry.standard} [{entry.status}]"),
        ("origin", entry.origin),
        ("security", f"{_level(entry)} ({entry.security_bits}-bit classical)"),
        ("quantum-safe", "yes" if entry.quantum_safe else "no (Shor)"),
        ("FIPS-approved", "yes" if entry.fips_approved else "no"),
        ("sizes (bytes)", sizes),
        ("construction", entry.construction or ""),
    ]
    for name, value in rows:
        if value:
            fields.add_row(Text(f"  {name}:"), Text(value))
    for index, item in enumerate(implementations):
        state = (
            f"available, {item['language']}, {item['version']}"
            if item["available"]
            else str(item["reason"]) if not item["enabled"]
            else f"unavailable: {item['reason']}"
        )
        label = "  implementations:" if index == 0 else ""
        fields.add_row(Text(label), Text(f"{item['backend']} ({item['native_name']}): {state}"))
    for index, caveat in enumerate(entry.caveats):
        fields.add_row(Text("  caveats:" if index == 0 else ""), Text(f"- {caveat}"))
    console.print(fields)
