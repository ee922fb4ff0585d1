"""Turning the two statistics into a verdict phrased as evidence, never as "constant-time".

- ``leak``: dudect's max |t| is over its threshold *and* the bootstrap
  interval of the difference of medians excludes 0. Phrased as
  "leak: <B> is X ns slower than <A> (|t| = Y, N samples)".
- ``no-leak``: neither statistic shows a difference. Phrased as a bound:
  "no leak larger than X ns at 95% over N samples", X being the largest
  difference of medians the interval allows.
- ``inconclusive``: one statistic shows a difference and the other does not
  (for instance a difference only in the tail, which moves means but not
  medians); both numbers are given.

A verdict on an operation that varies by design carries that note; when one
class's calls raised (a rejected input), the verdict says so, since the
time to reject public input is not a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pqc.leak.stats import DudectTest, MedianDifference

Status = Literal["leak", "no-leak", "inconclusive"]


def format_ns(value: float) -> str:
    """A duration for a sentence: "37 ns", "1,250 ns (1.25 µs)", "3,712,000 ns (3.71 ms)"."""
    magnitude = abs(value)
    text = f"{value:,.0f} ns" if magnitude >= 10 or magnitude == 0 else f"{value:.1f} ns"
    if magnitude >= 1e6:
        text += f" ({value / 1e6:.3g} ms)"
    elif magnitude >= 1e3:
        text += f" ({value / 1e3:.3g} µs)"
    return text


@dataclass(frozen=True)
class Verdict:
    """``status`` and the sentence ``text``; ``slower`` names the slower class when it leaks.

    ``difference_ns`` is the difference of medians (B - A); ``bound_ns`` the
    largest difference the interval allows (at least the clock's step);
    ``notes`` add context (varies by design, rejected inputs).
    """

    status: Status
    text: str
    slower: str | None
    difference_ns: float
    bound_ns: float
    notes: tuple[str, ...] = ()


def decide(
    labels: tuple[str, str],
    samples: int,
    dudect: DudectTest,
    medians: MedianDifference,
    *,
    design_note: str | None = None,
    failures: tuple[int, int] = (0, 0),
    errors: tuple[str | None, str | None] = (None, None),
    counts: tuple[int, int] | None = None,
    resolution_ns: float = 1.0,
) -> Verdict:
    """The verdict on classes ``labels`` = (A, B) from both statistics over ``samples`` calls.

    A bound is never stated below ``resolution_ns``, the clock's step: with a
    coarse clock both medians can sit on the same tick however the classes differ.
    """
    t_part = f"|t| = {dudect.max_abs_t:.1f}"
    n_part = f"{samples:,} samples"
    percent = round(100 * medians.confidence)
    interval = f"{format_ns(medians.low_ns)} to {format_ns(medians.high_ns)}"
    difference = medians.estimate_ns
    bound = max(medians.bound_ns, resolution_ns)
    notes: list[str] = []
    if design_note:
        notes.append(design_note)
    for label, failed, error, total in zip(
        labels, failures, errors, counts or (0, 0), strict=True
    ):
        if failed:
            share = f"{100 * failed / total:.0f}% of" if total else f"{failed}"
            notes.append(
                f"{share} {label} calls raised {error or 'an error'} (input rejected); "
                "the time to reject is visible to any caller"
            )
    if dudect.significant and medians.excludes_zero:
        slow, fast = (labels[1], labels[0]) if difference > 0 else (labels[0], labels[1])
        text = (
            f"leak: {slow} is {format_ns(abs(difference))} slower than {fast} "
            f"({t_part}, {n_part})"
        )
        status: Status = "leak"
        slower: str | None = slow
    elif not dudect.significant and not medians.excludes_zero:
        text = (
            f"no leak larger than {format_ns(bound)} at {percent}% "
            f"over {n_part} ({t_part})"
        )
        status, slower = "no-leak", None
    elif dudect.significant:
        text = (
            f"inconclusive: {t_part} is over {dudect.threshold:.1f}, but the difference of "
            f"medians, {format_ns(difference)}, has a {percent}% interval of {interval} "
            f"that includes 0 ({n_part})"
        )
        status, slower = "inconclusive", None
    else:
        text = (
            f"inconclusive: the medians differ by {format_ns(difference)} ({percent}% "
            f"interval {interval}), but {t_part} is under {dudect.threshold:.1f} ({n_part})"
        )
        status, slower = "inconclusive", None
    if design_note and status != "no-leak":
        text += " [varies by design]"
    return Verdict(
        status=status,
        text=text,
        slower=slower,
        difference_ns=difference,
        bound_ns=bound,
        notes=tuple(notes),
    )
