"""`pqc leak`: screen an implementation for secret-dependent timing, or run the controls."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.padding import Padding
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from pqc.bench.terminal import compact_table
from pqc.cli.common import check_outputs, stderr_console, stdout_console
from pqc.errors import InvalidArgumentError
from pqc.leak import Budget, LeakCase, build_result, plan, run_case, run_control
from pqc.leak.controls import DEFAULT_LEAK_BYTES, ControlKind
from pqc.leak.results import dumps_leak_result, write_leak_result
from pqc.leak.screen import DEFAULT_SECONDS

EXIT_INTERRUPTED = 130
EXIT_LEAK = 1
_STYLE = {"leak": "bold red", "inconclusive": "yellow", "no-leak": "green"}


def _budget(seconds: float | None, samples: int | None) -> Budget:
    if seconds is not None and samples is not None:
        raise InvalidArgumentError("give --seconds or --samples, not both.")
    if samples is not None:
        if samples < 4:
            raise InvalidArgumentError(f"--samples must be at least 4, got {samples}.")
        return Budget(seconds=None, samples=samples)
    value = DEFAULT_SECONDS if seconds is None else seconds
    if value <= 0:
        raise InvalidArgumentError(f"--seconds must be positive, got {value:g}.")
    return Budget(seconds=value)


def _unit(ns: float) -> tuple[float, str]:
    magnitude = abs(ns)
    if magnitude >= 1e6:
        return 1e6, "ms"
    if magnitude >= 1e3:
        return 1e3, "µs"
    return 1.0, "ns"


def _short(ns: float) -> str:
    scale, unit = _unit(ns)
    return f"{ns / scale:.3g} {unit}"


def _interval(estimate: float, low: float, high: float) -> str:
    """``estimate [low, high] unit``, all three in the unit of the largest magnitude."""
    scale, unit = _unit(max(abs(estimate), abs(low), abs(high)))
    return f"{estimate / scale:.3g} [{low / scale:.3g}, {high / scale:.3g}] {unit}"


def _table(cases: list[LeakCase], width: int) -> Table:
    """One row per case under its algorithm row; fits 80 columns (only the classes wrap), and
    shows each class A median from 100 columns on."""
    wide = width >= 100
    table = compact_table("Timing-leak screen: Δ = median of B - median of A (B slower: > 0)")
    table.add_column("classes A / B")
    for column in ("N", *(["median A"] if wide else []), "Δ median [95%]", "max |t|"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    current: tuple[str, str, str] | None = None
    for case in cases:
        heading = (case.algorithm, case.op, case.backend)
        if heading != current:
            if current is not None:
                table.add_row()
            title = Text(f"{case.algorithm} {case.op}", style="bold")
            title.append(f"  {case.backend} ({case.language})")
            table.add_row(title)
            current = heading
        m = case.medians
        table.add_row(
            Text(f"  {case.labels[0]} / {case.labels[1]}"),
            f"{case.samples:,}",
            *([_short(case.class_a.stats.median_ns)] if wide else []),
            _interval(m.estimate_ns, m.low_ns, m.high_ns),
            f"{case.dudect.max_abs_t:.1f}",
            Text(case.verdict.status, style=_STYLE[case.verdict.status]),
        )
    return table


def _print_verdicts(cases: list[LeakCase], expected: dict[str, str] | None = None) -> None:
    console = stdout_console()
    for case in cases:
        head = f"{case.algorithm} {case.op} [{case.backend}] ({case.classes}: {case.description})"
        console.print(escape(head), highlight=False)
        console.print(Padding(Text(case.verdict.text, style=_STYLE[case.verdict.status]),
                              (0, 0, 0, 2)))  # fmt: skip
        for note in case.verdict.notes:
            console.print(Padding(Text(f"note: {note}", style="dim"), (0, 0, 0, 2)))
        if expected is not None:
            want = expected[case.algorithm]
            ok = case.verdict.status == want
            mark = "as expected" if ok else f"UNEXPECTED (expected {want})"
            console.print(f"  control: {mark}", style="green" if ok else "bold red")
        if not case.complete:
            console.print("  (interrupted: fewer samples than budgeted)", style="yellow")


@click.command("leak")
@click.argument("algorithm", required=False)
@click.option("--backend", "-b", help="Only this backend (default: every available one).")
@click.option("--op", help="Only this operation: keygen, decaps or sign (default: all screenable).")
@click.option(
    "--classes",
    help="Input classes: keygen weight; decaps valid-random (default), valid-tampered, "
    "fixed-random; sign fixed-random.",
)
@click.option(
    "--seconds", type=float, help=f"Timed seconds per case (default {DEFAULT_SECONDS:g})."
)
@click.option("--samples", type=int, help="Timed calls per case (A + B) instead of --seconds.")
@click.option("--json", "json_path", metavar="PATH", help="Write the result as JSON ('-': stdout).")
@click.option("--controls", is_flag=True, help="Run the positive and negative controls instead.")
@click.option(
    "--leak-bytes",
    type=click.IntRange(0, 1023),
    default=DEFAULT_LEAK_BYTES,
    show_default=True,
    help="Size of the positive control's leak, in early-exit steps.",
)
@click.option(
    "--fail-on-leak",
    is_flag=True,
    help="Exit with status 1 when any case's verdict is 'leak' (for CI gating).",
)
@click.pass_context
def leak_command(
    ctx: click.Context,
    algorithm: str | None,
    backend: str | None,
    op: str | None,
    classes: str | None,
    seconds: float | None,
    samples: int | None,
    json_path: str | None,
    controls: bool,
    leak_bytes: int,
    fail_on_leak: bool,
) -> None:
    """Screen ALGORITHM for secret-dependent timing: two input classes per operation,
    interleaved in random order, each call timed; dudect's cropped t-tests and a bootstrap
    interval of the difference of medians. A verdict is evidence over N samples, never a
    proof of constant time. `pqc leak --controls` shows the screen's sensitivity here."""
    budget = _budget(seconds, samples)
    check_outputs({"--json": json_path})
    if controls and fail_on_leak:
        raise InvalidArgumentError(
            "--fail-on-leak gates a screen of an ALGORITHM; the positive control always leaks."
        )
    if controls and algorithm is not None:
        raise InvalidArgumentError("give ALGORITHM or --controls, not both.")
    if not controls and algorithm is None:
        raise InvalidArgumentError(
            "give an ALGORITHM to screen (e.g. `pqc leak SM2`) or --controls."
        )
    labels: list[str]
    specs = plan(algorithm, backend, op, classes) if algorithm is not None else ()
    labels = (
        [s.label for s in specs]
        if algorithm is not None
        else [f"positive control (leak {leak_bytes} steps)", "negative control"]
    )
    errors = stderr_console()
    per_case = f"{budget.seconds:g} s" if budget.seconds is not None else f"{budget.samples} calls"
    errors.print(f"screening {len(labels)} case(s), {per_case} each", style="dim", highlight=False)
    cases: list[LeakCase] = []
    interrupted = False
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as bar:
        try:
            for index, label in enumerate(labels):
                task = bar.add_task(escape(label), total=1.0)

                def progress(fraction: float, task: TaskID = task) -> None:
                    bar.update(task, completed=fraction)

                if algorithm is not None:
                    case = run_case(specs[index], budget, progress=progress)
                else:
                    kind: ControlKind = "positive" if index == 0 else "negative"
                    case = run_control(kind, budget, leak_bytes=leak_bytes, progress=progress)
                bar.update(task, completed=1.0)
                cases.append(case)
                if not case.complete:
                    interrupted = True
                    break
        except KeyboardInterrupt:
            interrupted = True
    result = build_result(cases, budget, _command_line(ctx), complete=not interrupted)
    if json_path == "-":
        click.echo(dumps_leak_result(result))
    else:
        if cases:
            console = stdout_console()
            console.print(_table(cases, console.width))
        expected = (
            {"positive control": "leak", "negative control": "no-leak"} if controls else None
        )
        _print_verdicts(cases, expected)
        if json_path is not None:
            write_leak_result(result, json_path)
            errors.print(f"wrote {json_path}", style="dim", highlight=False)
    if interrupted:
        click.echo(f"Error: interrupted after {len(cases)} of {len(labels)} cases.", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    leaking = [case for case in cases if case.verdict.status == "leak"]
    if fail_on_leak and leaking:
        names = ", ".join(f"{c.algorithm} {c.op} [{c.backend}]" for c in leaking)
        click.echo(f"Error: leak verdict for {names} (--fail-on-leak).", err=True)
        ctx.exit(EXIT_LEAK)


def _command_line(ctx: click.Context) -> list[str]:
    words = ["pqc", "leak"]
    if ctx.params.get("algorithm"):
        words.append(str(ctx.params["algorithm"]))
    for name, value in ctx.params.items():
        skip = name == "algorithm" or (name == "leak_bytes" and not ctx.params["controls"])
        if skip or value in (None, False):
            continue
        flag = "--json" if name == "json_path" else "--" + name.replace("_", "-")
        words += [flag] if value is True else [flag, str(value)]
    return words
