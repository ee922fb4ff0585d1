"""A bench result and a comparison as rich renderables that fit the terminal they print on.

At 80 columns nothing is cut: one table per kind, rows grouped by algorithm
(the algorithm on its own row, each backend below it with its implementation
language folded in), sizes in a table of their own, and per-case warnings
summed up in one line (the per-case text is in the JSON and behind ``-v``).
With more width the tables gain columns (n, p99, CV) instead of stretching.
Nothing here prints; the CLI decides where output goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from pqc.bench.compare import Comparison
from pqc.bench.render import (
    KIND_TITLES,
    Section,
    comparison_summary,
    format_ops,
    format_ratio,
    format_us,
    machine_line,
    sections,
)
from pqc.bench.results import BenchResult, CaseResult

WIDE = 100  # from this width on, tables show n, p99 and CV as well
LOADED = 0.5  # load average per usable CPU above which timings are called noisy


def compact_table(title: str | Text | None = None) -> Table:
    """A table with no vertical rules and one space of padding: the most columns per width."""
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


def implementation_label(backend: str, language: str) -> Text:
    """``backend (language)``, the language in yellow when it is pure Python."""
    text = Text(f"  {backend} (")
    text.append(language, style="yellow" if language == "pure Python" else "")
    text.append(")")
    return text


# ---------------------------------------------------------------- warnings, summed up
@dataclass(frozen=True)
class WarningSummary:
    """How many cases carry which kind of warning, and what the machine's load was."""

    cases: int
    flagged: int
    few_samples: int
    by_design: int
    noisy: int
    load: float | None
    cpus: int | None

    @property
    def loaded(self) -> bool:
        return self.load is not None and self.load > LOADED * (self.cpus or 1)

    def line(self) -> str:
        """One line: what is flagged, the load, what to do ('' when nothing is flagged)."""
        if not self.flagged and not self.loaded:
            return ""
        parts = [f"{self.flagged} of {self.cases} cases flagged"]
        kinds = []
        if self.noisy:
            kinds.append(f"{self.noisy} noisy")
        if self.by_design:
            kinds.append(f"{self.by_design} vary by design")
        if self.few_samples:
            kinds.append(f"{self.few_samples} with few samples")
        if kinds:
            parts[0] += " (" + ", ".join(kinds) + ")"
        if self.load is not None:
            parts.append(f"load {self.load:.1f} on {self.cpus or '?'} CPUs")
        advice = []
        if self.loaded:
            advice.append("rerun on an idle machine")
        elif self.noisy:  # idle, and still noisy: the machine's own speed moved
            advice.append("the machine itself varied (pqc compare adjusts for its speed)")
        if self.few_samples:
            advice.append("raise --seconds")
        advice.append("-v lists each")
        return "; ".join(parts) + "; " + ", ".join(advice) + "."


def warning_kinds(case: CaseResult) -> set[str]:
    """'few', 'design' and/or 'noisy' for the warnings of ``case`` (see pqc.bench.stability)."""
    kinds = set()
    for text in case.warnings:
        if text.startswith("only "):
            kinds.add("few")
        elif "varies by design" in text:
            kinds.add("design")
        else:
            kinds.add("noisy")
    return kinds


def summarise_warnings(result: BenchResult) -> WarningSummary:
    counts: Counter[str] = Counter()
    flagged = 0
    for case in result.cases:
        kinds = warning_kinds(case)
        flagged += bool(kinds)
        counts.update(kinds)
    load = result.machine.load_average[0] if result.machine.load_average else None
    return WarningSummary(
        cases=len(result.cases), flagged=flagged, few_samples=counts["few"],
        by_design=counts["design"], noisy=counts["noisy"], load=load,
        cpus=result.machine.usable_cpus or result.machine.logical_cpus,
    )  # fmt: skip


def _flag(case: CaseResult) -> str:
    kinds = warning_kinds(case)
    return " ".join(word for key, word in (("few", "few"), ("noisy", "noisy"),
                                           ("design", "varies")) if key in kinds)  # fmt: skip


# ---------------------------------------------------------------- bench result
def _title(section: Section, result: BenchResult) -> Text:
    return Text(_title_text(section, result))


def _title_text(section: Section, result: BenchResult) -> str:
    title = KIND_TITLES.get(section.kind, section.kind)
    if section.baseline:
        return (f"{title}: median µs per call; "
                f"ratio to {section.baseline} ({section.baseline_backend})")
    wanted = result.settings.baselines.get(section.kind)
    if wanted:
        return (f"{title}: median µs per call; no ratio: the baseline {wanted} was not timed "
                f"in this run (add it to the algorithms, or --baseline NAME)")
    return f"{title}: median µs per call"


def _timing_table(section: Section, result: BenchResult, wide: bool) -> Table:
    table = compact_table(_title(section, result))
    table.add_column("algorithm / backend", no_wrap=True)
    table.add_column("op", no_wrap=True)
    for header in ("median", "IQR", "ops/s", "ratio"):
        table.add_column(header, justify="right", no_wrap=True)
    if wide:
        for header in ("p99", "CV", "n"):
            table.add_column(header, justify="right", no_wrap=True)
    table.add_column("note", no_wrap=True, style="yellow")
    algorithm: str | None = None
    for row in section.rows:
        case = row.case
        if case.algorithm != algorithm:
            if algorithm is not None:
                table.add_row()  # a blank line between algorithms
            table.add_row(Text(case.algorithm, style="bold"))
            algorithm = case.algorithm
        first = row.first_of_implementation
        within = case.within_run_stats
        cells: list[RenderableType] = [
            implementation_label(case.backend, case.language) if first else "",
            Text(case.op),
            format_us(case.centre_ns),
            format_us(within.iqr_ns),
            format_ops(1e9 / max(case.centre_ns, 1.0)),
            format_ratio(row.ratio),
        ]
        if wide:
            cells += [format_us(within.p99_ns), f"{within.cv:.2f}", str(case.stats.n)]
        cells.append(Text(_flag(case) + ("" if case.complete else " incomplete")))
        table.add_row(*cells)
    return table


def _sizes_table(result: BenchResult, kind: str) -> Table | None:
    payload = "ciphertext" if kind == "kem" else "signature"
    columns: tuple[tuple[str, str], ...] = (
        ("public_key", "public key"), ("secret_key", "secret key"), (payload, payload))
    if kind == "kem":
        columns += (("shared_secret", "shared secret"),)
    # algorithm -> one entry per distinct set of sizes: (a case, the backends that share it)
    rows: dict[str, list[tuple[CaseResult, list[str]]]] = {}
    for case in result.by_kind(kind):
        groups = rows.setdefault(case.algorithm, [])
        same = next((g for g in groups if dict(g[0].sizes) == dict(case.sizes)), None)
        if same is None:
            groups.append((case, [case.backend]))
        elif case.backend not in same[1]:
            same[1].append(case.backend)
    if not rows:
        return None
    table = compact_table(f"{KIND_TITLES.get(kind, kind)}: sizes in bytes")
    table.add_column("algorithm")  # the only column that may wrap: it is text
    for _, header in columns:
        table.add_column(header, justify="right", no_wrap=True)
    for name, groups in rows.items():
        for index, (case, backends) in enumerate(groups):
            # Where backends differ (e.g. a secret key kept as a seed), each group gets a row.
            label = name if len(groups) == 1 else (
                (name if index == 0 else " " * len(name)) + f" ({', '.join(backends)})")
            table.add_row(Text(label), *(_size(case, key) for key, _ in columns))
    return table


def _size(case: CaseResult, key: str) -> str:
    value = case.sizes.get(key)
    return "" if value is None else f"{value:,}"


class ResultView:
    """A bench result for a rich console; the layout follows the console's width."""

    def __init__(self, result: BenchResult, *, verbose: bool = False) -> None:
        self.result = result
        self.verbose = verbose

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.parts(options.max_width)

    def parts(self, width: int) -> Iterator[RenderableType]:
        result = self.result
        yield Text(machine_line(result), style="dim")
        found, notes = sections(result)
        for section in found:
            yield Text("")
            yield _timing_table(section, result, wide=width >= WIDE)
        yield Text("")
        runs = result.in_runs
        iqr = ("the spread of the middle half of the calls, each run's around its own median"
               if runs else "the spread of the middle half of all calls")
        yield Text("µs: microseconds per call (the median over runs of each run's median "
                   f"per-call time); IQR: {iqr}; ratio: "
                   "median / the baseline's median for the same op.",
                   style="dim")  # fmt: skip
        for kind in ("kem", "signature"):
            sizes = _sizes_table(result, kind)
            if sizes is not None:
                yield Text("")
                yield sizes
        summary = summarise_warnings(result).line()
        if summary:
            yield Text("")
            yield Text(summary, style="yellow")
        if self.verbose and notes:
            yield Text("Notes per case:", style="bold")
            yield from (Text(f"  {text}", style="yellow") for text in notes)
        if result.skipped:
            yield Text("Not timed:", style="bold")
            yield from (Text(f"  {text}", style="red") for text in result.skipped)
        if not result.complete:
            yield Text("This run was interrupted: the result is incomplete.", style="bold red")


def result_view(result: BenchResult, *, verbose: bool = False) -> RenderableType:
    """Tables per kind, sizes, the warning summary (each warning with ``verbose``), skipped."""
    return ResultView(result, verbose=verbose)


# ---------------------------------------------------------------- comparisons
class ComparisonView:
    """A comparison of two runs, grouped by algorithm, fitting the console's width."""

    def __init__(self, comparison: Comparison, title: str) -> None:
        self.comparison = comparison
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        table = compact_table(self.title)
        table.add_column("algorithm / backend", no_wrap=True)
        table.add_column("op", no_wrap=True)
        for header in ("A µs", "B µs", "B/A"):
            table.add_column(header, justify="right", no_wrap=True)
        table.add_column("95% CI", justify="right", no_wrap=True)
        if wide:
            table.add_column("p", justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        colours = {"faster": "green", "slower": "red", "same": "dim", "not significant": "dim",
                   "not judged": "yellow"}  # fmt: skip
        current: tuple[str, str] | None = None
        algorithm: str | None = None
        for case in self.comparison.cases:
            if case.algorithm != algorithm:
                if algorithm is not None:
                    table.add_row()
                table.add_row(Text(case.algorithm, style="bold"))
                algorithm = case.algorithm
            first = (case.algorithm, case.backend) != current
            current = (case.algorithm, case.backend)
            cells: list[RenderableType] = [
                Text(f"  {case.backend}") if first else "",
                Text(case.op),
                format_us(case.median_a_ns),
                format_us(case.median_b_ns),
                f"{case.ratio:.3f}",
                f"{case.ratio_low:.3f}-{case.ratio_high:.3f}" if case.ratio_high else "-",
            ]
            if wide:
                cells.append(f"{case.p_value:.2g}" if case.p_value is not None else "-")
            verdict = "n.s." if case.verdict == "not significant" and not wide else case.verdict
            cells.append(Text(verdict, style=colours[case.verdict]))
            table.add_row(*cells)
        yield table
        yield Text("")
        adjusted = (", speed-adjusted where both files have drift probes"
                    if self.comparison.adjusted_cases else "")
        explain = ("A, B: median of run medians; B/A: ratio of their geometric means (below 1: "
                   f"B is faster){adjusted}; 95% CI: "
                   "Welch's t interval on log run medians; 'same': within "
                   f"{self.comparison.min_effect:.0%}; 'not judged': under 3 runs a side"
                   + ("" if wide else "; 'n.s.': not significant") + ".")  # fmt: skip
        yield Text(explain, style="dim")
        yield from (Text(line) for line in comparison_summary(self.comparison))


def comparison_view(comparison: Comparison, title: str) -> RenderableType:
    return ComparisonView(comparison, title)
