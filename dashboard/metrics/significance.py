"""Significance against a benchmark by the interval method, as Fingertips reports it.

If the benchmark (England, or the neighbour average) lies inside the area's confidence
interval the area is "similar"; otherwise it is "higher" or "lower", which polarity turns into
"better" or "worse". Without an interval (no count and denominator) the area is "not compared",
never "similar": absence of evidence must not look like a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.metrics._common import as_number, format_percent
from dashboard.metrics.intervals import Interval
from dashboard.metrics.polarity import HIGH, LOW, check_polarity

HIGHER = "higher"
LOWER = "lower"
SIMILAR = "similar"
NOT_COMPARED = "not compared"

BETTER = "better"
WORSE = "worse"


@dataclass(frozen=True)
class Significance:
    """The outcome of comparing an area's interval with a benchmark value.

    Attributes:
        outcome: ``"higher"``, ``"lower"``, ``"similar"`` or ``"not compared"``.
        judgement: ``"better"``, ``"worse"`` or ``"similar"`` by polarity; None when the
            polarity has no better direction or nothing was compared.
        level: Confidence level the outcome holds at (0.95, or 0.998 when the stricter
            interval also excludes the benchmark); None when not compared.
        benchmark_name: What the area was compared with, e.g. ``"England"``.
    """

    outcome: str
    judgement: str | None
    level: float | None
    benchmark_name: str | None

    @property
    def text(self) -> str:
        """A short sentence, e.g. ``"Higher than England (better), at 95% confidence"``."""
        name = self.benchmark_name or "the benchmark"
        if self.outcome == NOT_COMPARED or self.level is None:
            return f"Not compared with {name}: no confidence interval or benchmark value"
        confidence = f"at {format_percent(self.level)} confidence"
        if self.outcome == SIMILAR:
            return f"Similar to {name} {confidence}"
        judgement = f" ({self.judgement})" if self.judgement in (BETTER, WORSE) else ""
        return f"{self.outcome.capitalize()} than {name}{judgement}, {confidence}"


def judge(outcome: str, polarity: str) -> str | None:
    """Turn an outcome (higher/lower/similar) into better/worse/similar by polarity.

    Args:
        outcome: ``"higher"``, ``"lower"``, ``"similar"`` or ``"not compared"``.
        polarity: The indicator's polarity.

    Returns:
        The judgement, or None for ``"not compared"`` and for polarities with no better
        direction (``"none"``, ``"target_band"``): a context measure is never better or worse,
        and not "similar" either, because that word is a judgement in Fingertips' key.
    """
    check_polarity(polarity)
    if outcome == NOT_COMPARED or polarity not in (HIGH, LOW):
        return None
    if outcome == SIMILAR:
        return SIMILAR
    good = HIGHER if polarity == HIGH else LOWER
    return BETTER if outcome == good else WORSE


def compare_to_benchmark(
    interval: Interval | None,
    benchmark: float | None,
    polarity: str,
    benchmark_name: str = "England",
) -> Significance:
    """Compare an area's confidence interval with a benchmark value.

    Args:
        interval: The area's interval (e.g. from ``proportion_interval``); None when there is
            no count and denominator.
        benchmark: The benchmark value on the same scale; None when missing.
        polarity: The indicator's polarity.
        benchmark_name: Name shown to users.

    Returns:
        ``"similar"`` when the benchmark lies inside the interval (limits inclusive),
        ``"higher"`` when the whole interval is above it, ``"lower"`` when below;
        ``"not compared"`` without an interval or a benchmark.
    """
    check_polarity(polarity)
    value = as_number(benchmark)
    if interval is None or value is None:
        return Significance(NOT_COMPARED, None, None, benchmark_name)
    if interval.lower > value:
        outcome = HIGHER
    elif interval.upper < value:
        outcome = LOWER
    else:
        outcome = SIMILAR
    return Significance(outcome, judge(outcome, polarity), interval.level, benchmark_name)


def compare_two_levels(
    i95: Interval | None,
    i998: Interval | None,
    benchmark: float | None,
    polarity: str,
    benchmark_name: str = "England",
) -> Significance:
    """Compare at 95% and, where that differs from the benchmark, also at 99.8%.

    Fingertips' optional second level: a difference that survives the stricter 99.8% interval
    is recorded with ``level=0.998`` so it can be shown more strongly.

    Args:
        i95: The area's 95% interval, or None.
        i998: The area's 99.8% interval, or None to compare at 95% only.
        benchmark: The benchmark value, or None.
        polarity: The indicator's polarity.
        benchmark_name: Name shown to users.

    Returns:
        The 95% result, with ``level`` raised to 0.998 when the 99.8% interval excludes the
        benchmark on the same side.
    """
    first = compare_to_benchmark(i95, benchmark, polarity, benchmark_name)
    if first.outcome not in (HIGHER, LOWER) or i998 is None:
        return first
    second = compare_to_benchmark(i998, benchmark, polarity, benchmark_name)
    if second.outcome == first.outcome:
        return second
    return first
