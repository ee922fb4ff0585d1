"""What every command shares: one-line errors, consoles, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console

from pqc.errors import PQCError
from pqc.resultfile import atomic_write_text


class PQCGroup(click.Group):
    """A click group: library errors become one line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PQCError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from exc


def stdout_console() -> Console:
    """The console for results (stdout); plain when not a terminal."""
    return Console(file=sys.stdout, soft_wrap=True)


def stderr_console() -> Console:
    """The console for progress and warnings (stderr)."""
    return Console(file=sys.stderr, soft_wrap=True)


def emit_json(data: Any, path: str | None = None) -> None:
    """Write ``data`` as JSON to ``path``, or to stdout when ``path`` is None or '-'."""
    text = json.dumps(data, indent=2, sort_keys=False)
    if path in (None, "-"):
        click.echo(text)
    else:
        atomic_write_text(path, text + "\n")
