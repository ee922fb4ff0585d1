"""What every command shares: one-line errors, consoles, JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pqc import resultkinds
from pqc.errors import InvalidArgumentError, PQCError
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


Decorated = TypeVar("Decorated", bound=Callable[..., Any])


def file_option(flag: str, dest: str, metavar: str, help: str) -> Callable[[Decorated], Decorated]:
    """An option that names a file to read or write (none by default); ``metavar`` says which."""
    return click.option(flag, dest, default=None, metavar=metavar, help=help)


PIPE_WIDTH = 200  # output into a pipe or file: wide enough that rows stay on one line


def output_width(stream: TextIO) -> int | None:
    """The width to render for ``stream``: the terminal's own (None), else $COLUMNS, else wide."""
    if stream.isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH


def stdout_console(stream: TextIO | None = None) -> Console:
    """The console for results (stdout by default): the terminal's width, or $COLUMNS, or
    wide when piped; tables lay themselves out for that width."""
    stream = stream or sys.stdout
    return Console(file=stream, width=output_width(stream))


def stderr_console() -> Console:
    """The console for progress and warnings (stderr)."""
    return Console(file=sys.stderr, width=output_width(sys.stderr))


def check_outputs(paths: Mapping[str, str | None]) -> None:
    """Refuse output paths (option -> path) that cannot be written, before any work is done.

    A path's folder must exist and be writable and the path must not be a folder;
    ``-`` (stdout) is fine, for at most one of them.
    """
    for option, path in paths.items():
        if path is None or path == "-":
            continue
        folder = Path(path).resolve().parent
        if not folder.is_dir():
            raise InvalidArgumentError(f"{option} {path}: folder {folder} does not exist.")
        if not os.access(folder, os.W_OK):
            raise InvalidArgumentError(f"{option} {path}: folder {folder} is not writable.")
        if Path(path).is_dir():
            raise InvalidArgumentError(f"{option} {path}: is a folder; give a file name.")
    if sum(path == "-" for path in paths.values()) > 1:
        raise InvalidArgumentError(f"only one of {'/'.join(paths)} can write to stdout ('-').")


def emit_result(result: object, path: str) -> None:
    """Write a result (any kind in :mod:`pqc.resultfile`) to ``path``, or to stdout for '-'."""
    if path == "-":
        click.echo(resultkinds.dumps(result))
    else:
        resultkinds.write(result, path)


def emit_json(data: Any, path: str | None = None) -> None:
    """Write ``data`` as JSON to ``path``, or to stdout when ``path`` is None or '-'."""
    text = json.dumps(data, indent=2, sort_keys=False)
    if path in (None, "-"):
        click.echo(text)
    else:
        atomic_write_text(path, text + "\n")


def progress_bar(console: Console) -> Progress:
    """A transient progress bar on ``console`` (stderr); shows nothing when it is not a TTY."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def counted_progress(bar: Progress, description: str) -> Callable[[int, int, str], None]:
    """A ``progress(done, total, label)`` callback that drives one task of ``bar``."""
    task = bar.add_task(escape(description), total=None)

    def update(done: int, total: int, label: str) -> None:
        bar.update(task, completed=done, total=total, description=escape(label or description))

    return update
