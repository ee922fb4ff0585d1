"""`pqc bench`, `pqc show`, `pqc compare`: time algorithms, render saved results, compare runs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import click

from pqc.bench import instructions as instruction_counts
from pqc.bench.cases import plan_cases
from pqc.bench.compare import ALPHA, DEFAULT_MIN_EFFECT, GATE_BASES, GATES, compare_results
from pqc.bench.compare import gate as gate_comparison
from pqc.bench.engine import DEFAULT_PASSES, DEFAULT_RUNS, BenchInterrupted, default_settings
from pqc.bench.render import comparison_markdown, to_csv, to_markdown
from pqc.bench.results import BenchResult, dumps_result, read_result
from pqc.bench.runmodel import describe_runs
from pqc.bench.runner import run_bench_in_workers
from pqc.bench.terminal import comparison_view, result_view
from pqc.catalog import lookup
from pqc.cli.common import (
    check_outputs,
    counted_progress,
    emit_json,
    progress_bar,
    stderr_console,
    stdout_console,
)
from pqc.errors import InvalidArgumentError
from pqc.resultfile import atomic_write_text

EXIT_INTERRUPTED = 130


def _baselines(names: Sequence[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name in names:
        entry = lookup(name)
        chosen[entry.kind] = entry.name
    return chosen


def _write_outputs(
    result: BenchResult, json_path: str | None, csv_path: str | None, md_path: str | None
) -> list[str]:
    """Write the requested files (atomically); '-' means stdout. Returns the paths written."""
    written = []
    outputs: list[tuple[str | None, Callable[[BenchResult], str]]] = [
        (json_path, lambda r: dumps_result(r) + "\n"),
        (csv_path, to_csv),
        (md_path, to_markdown),
    ]
    for path, render in outputs:
        if path is None:
            continue
        text = render(result)
        if path == "-":
            click.echo(text, nl=False)
        else:
            atomic_write_text(path, text)
            written.append(path)
    return written


# The table outputs bench and show both write.
_CSV_OPTION = click.option("--csv", "csv_path", metavar="PATH",
                           help="Write one CSV row per case; '-' for stdout.")
_MARKDOWN_OPTION = click.option("--markdown", "md_path", metavar="PATH",
                                help="Write Markdown tables; '-' for stdout.")


@click.command("bench")
@click.argument("algorithms", nargs=-1)
@click.option("--backend", "-b", "backends", multiple=True, metavar="B",
              help="Only this backend (repeatable).")
@click.option("--op", "ops", multiple=True, metavar="OP",
              help="Only this operation (repeatable): keygen, encaps, decaps, sign, verify.")
@click.option("--seconds", type=float, help="Time budget per case in seconds (0.25; quick 0.05).")
@click.option("--quick", is_flag=True, help="A fast run: smaller budget, pools and sample caps.")
@click.option(
    "--runs",
    type=int,
    help=f"Worker processes that each time every case ({DEFAULT_RUNS[False]}; quick "
    f"{DEFAULT_RUNS[True]}); the budget is shared among them.",
)
@click.option(
    "--passes",
    type=int,
    help=f"Slices each run times a case in, one per pass over the cases "
    f"({DEFAULT_PASSES[False]}; quick {DEFAULT_PASSES[True]}); 1 times each case in one go.",
)
@click.option("--json", "json_path", metavar="PATH",
              help="Write the full result (every sample); '-' for stdout.")
@_CSV_OPTION
@_MARKDOWN_OPTION
@click.option(
    "--baseline",
    "baselines",
    multiple=True,
    metavar="ALGORITHM",
    help="Take ratios against this algorithm for its kind (repeatable, one per kind; "
    "default X25519 / ECDSA-P256).",
)
@click.option(
    "--instructions",
    is_flag=True,
    help="Also count instructions per call under valgrind's callgrind (whole call and "
    "inside the native library; exact, load-independent; adds minutes).",
)
@click.option("--verbose", "-v", is_flag=True, help="Also print each case's warnings in full.")
@click.pass_context
def bench_command(
    ctx: click.Context,
    algorithms: tuple[str, ...],
    backends: tuple[str, ...],
    ops: tuple[str, ...],
    seconds: float | None,
    quick: bool,
    runs: int | None,
    passes: int | None,
    json_path: str | None,
    csv_path: str | None,
    md_path: str | None,
    baselines: tuple[str, ...],
    instructions: bool,
    verbose: bool,
) -> None:
    """Time ALGORITHMS (default: ML-KEM, ML-DSA, SM2, SM9, X25519, Ed25519, ECDSA, RSA) on
    every available backend, and print a table per kind: median, IQR, ops/s, ratio to the
    baseline, sizes, backend and implementation language. A PATH of '-' writes to stdout
    instead of the tables."""
    check_outputs({"--json": json_path, "--csv": csv_path, "--markdown": md_path})
    if instructions and (missing := instruction_counts.valgrind_missing()):
        raise InvalidArgumentError(f"--instructions: {missing}.")
    chosen = _baselines(baselines)
    settings = default_settings(
        quick=quick,
        seconds=seconds,
        baselines=chosen,
        algorithms=algorithms,
        backends=backends,
        ops=ops,
        runs=runs,
        passes=passes,
    )
    plan = plan_cases(algorithms, backends, ops, include=tuple(chosen.values()))
    errors = stderr_console()
    to_stdout = "-" in (json_path, csv_path, md_path)
    interrupted = False
    with progress_bar(errors) as bar:
        progress = counted_progress(bar, "timing")
        try:
            result = run_bench_in_workers(
                plan, settings, command=_command_line(ctx), progress=progress
            )
        except BenchInterrupted as stop:
            result = stop.result
            interrupted = True
    if instructions and not interrupted:
        errors.print(
            f"counting instructions of {len(result.cases)} operations under callgrind "
            f"({instruction_counts.DEFAULT_CALLS} calls each; minutes)",
            style="dim",
            highlight=False,
        )
        counted = instruction_counts.add_to_cases(result.cases)
        result = dataclasses.replace(result, cases=tuple(counted))
    if not to_stdout:
        stdout_console().print(result_view(result, verbose=verbose))
    errors.print(describe_runs(result.runs, result.settings.passes), style="dim", highlight=False)
    written = _write_outputs(result, json_path, csv_path, md_path)
    for path in written:
        errors.print(f"wrote {path}", style="dim", highlight=False)
    if interrupted:
        saved = f"; partial result in {', '.join(written)}" if written else ""
        click.echo(
            f"Error: interrupted in run {len(result.runs)} of {settings.runs}; "
            f"{len(result.cases)} of {len(plan.cases)} cases timed{saved}.",
            err=True,
        )
        ctx.exit(EXIT_INTERRUPTED)


_FLAGS = {
    "backends": "--backend",
    "ops": "--op",
    "baselines": "--baseline",
    "json_path": "--json",
    "csv_path": "--csv",
    "md_path": "--markdown",
}


def _command_line(ctx: click.Context) -> list[str]:
    """``pqc bench`` and the arguments as parsed (what the result records)."""
    words = ["pqc", "bench", *ctx.params["algorithms"]]
    for name, value in ctx.params.items():
        flag = _FLAGS.get(name, "--" + name)
        if name == "algorithms" or value in (None, False, ()):
            continue
        if value is True:
            words.append(flag)
        elif isinstance(value, tuple):
            for item in value:
                words += [flag, str(item)]
        else:
            words += [flag, str(value)]
    return words


@click.command("show")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "json_path", metavar="PATH",
              help="Write the result as JSON; '-' for stdout.")
@_CSV_OPTION
@_MARKDOWN_OPTION
@click.option("--verbose", "-v", is_flag=True, help="Also print each case's warnings in full.")
def show_command(
    file: str, json_path: str | None, csv_path: str | None, md_path: str | None, verbose: bool
) -> None:
    """Render a result saved by `pqc bench --json FILE` (tables unless one output is '-')."""
    check_outputs({"--json": json_path, "--csv": csv_path, "--markdown": md_path})
    result = read_result(file)
    if "-" not in (json_path, csv_path, md_path):
        stdout_console().print(result_view(result, verbose=verbose))
    for path in _write_outputs(result, json_path, csv_path, md_path):
        stderr_console().print(f"wrote {path}", style="dim", highlight=False)


@click.command("compare")
@click.argument("file_a", type=click.Path(dir_okay=False))
@click.argument("file_b", type=click.Path(dir_okay=False))
@click.option("--alpha", type=float, default=ALPHA, show_default=True, help="Significance level.")
@click.option(
    "--min-effect",
    type=click.FloatRange(0.0, 1.0, max_open=True),
    default=DEFAULT_MIN_EFFECT,
    show_default=True,
    help="A ratio within this fraction of 1 is 'same' whatever the p-value (0.05 = 5%).",
)
@click.option(
    "--fail-if-slower",
    "fail_pct",
    type=click.FloatRange(min=0.0),
    metavar="PCT",
    help="Exit 1 when a case (or, with --gate geomean, the geometric mean) is slower in B "
    "by more than PCT percent.",
)
@click.option(
    "--gate",
    type=click.Choice(GATES),
    default="case",
    show_default=True,
    help="What --fail-if-slower looks at: each case, or the geometric mean.",
)
@click.option(
    "--by",
    type=click.Choice(GATE_BASES),
    default="time",
    show_default=True,
    help="What --fail-if-slower measures: time, or instruction counts per call (both files "
    "from pqc bench --instructions; exact, so comparable across days).",
)
@click.option(
    "--speed-adjust/--no-speed-adjust",
    default=True,
    show_default=True,
    help="Divide each run median by the drift monitor's reference time around it before "
    "judging (removes the machine's own speed changes; assumes a case slows as it does).",
)
@click.option("--json", "json_path", metavar="PATH",
              help="Write the comparison as JSON; '-' for stdout.")
@click.option("--markdown", "md_path", metavar="PATH",
              help="Write a Markdown table; '-' for stdout.")
@click.pass_context
def compare_command(
    ctx: click.Context,
    file_a: str,
    file_b: str,
    alpha: float,
    min_effect: float,
    fail_pct: float | None,
    gate: str,
    by: str,
    speed_adjust: bool,
    json_path: str | None,
    md_path: str | None,
) -> None:
    """Compare two saved results case by case on their run medians (one per worker process),
    each divided by the machine's speed around it (the drift monitor's reference workload):
    ratio B/A with a 95% interval (Welch's t-test on log run medians), a verdict (faster /
    slower / same within --min-effect / not significant / not judged when a file has fewer
    than 3 runs), instruction counts when both files have them, a geometric mean, and
    warnings when the files differ in settings, machine, CPU flags, backend versions or
    load."""
    check_outputs({"--json": json_path, "--markdown": md_path})
    a = read_result(file_a)
    b = read_result(file_b)
    comparison = compare_results(a, b, alpha=alpha, min_effect=min_effect, adjust=speed_adjust)
    if not comparison.cases:
        raise InvalidArgumentError(
            f"{file_a} and {file_b} have no case in common (same algorithm, backend and op)."
        )
    try:
        failing = (
            gate_comparison(comparison, fail_pct, mode=gate, by=by) if fail_pct is not None else ()
        )
    except InvalidArgumentError as exc:  # a usage error (exit 2), never a failed gate (exit 1)
        raise click.UsageError(str(exc)) from exc
    title = f"B = {file_b} vs A = {file_a}"
    if "-" not in (json_path, md_path):
        stdout_console().print(comparison_view(comparison, title))
    if json_path is not None:
        gate_data = {"fail_if_slower": fail_pct, "gate": gate, "by": by, "failing": list(failing)}
        emit_json({"a": file_a, "b": file_b, **comparison.to_dict(), "gate": gate_data}, json_path)
    if md_path == "-":
        click.echo(comparison_markdown(comparison, title))
    elif md_path is not None:
        atomic_write_text(md_path, comparison_markdown(comparison, title) + "\n")
    if failing:
        click.echo(
            f"Error: slower by more than {fail_pct:g}% ({gate} gate on {by}): "
            + "; ".join(failing),
            err=True,
        )
        ctx.exit(1)
