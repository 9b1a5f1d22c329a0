"""Direction of travel and the Fingertips trend test.

Direction compares the latest period with the previous one and colours the change by polarity.
The trend test asks whether the latest five consecutive annual proportions show a real
increase or decrease: a chi-squared test for trend in proportions that must also agree with the
sign of the slope of logit(O/N) on time, with all five points and with each point left out in
turn, so that one unusual year cannot make a trend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from dashboard.metrics._common import as_number
from dashboard.metrics.polarity import HIGH, LOW, check_polarity

TREND_POINTS = 5
# Fingertips' threshold: the square of the 99.8% z value, 3.0902 ** 2.
TREND_CHI2_THRESHOLD = 9.5495

UP = "up"
DOWN = "down"
SAME = "same"

IMPROVING = "improving"
WORSENING = "worsening"
NEUTRAL = "neutral"
NO_DATA = "no data"

INCREASING = "increasing"
DECREASING = "decreasing"
CANNOT_BE_CALCULATED = "cannot be calculated"
NO_SIGNIFICANT_CHANGE = "no significant change"


@dataclass(frozen=True)
class Direction:
    """Change from the previous period to the latest one.

    Attributes:
        change: ``latest - previous``, or None when either is missing.
        arrow: ``"up"``, ``"down"``, ``"same"``, or None when either is missing.
        judgement: ``"improving"``, ``"worsening"``, ``"neutral"`` (no change, or no better
            direction) or ``"no data"``.
    """

    change: float | None
    arrow: str | None
    judgement: str


def direction(latest: float | None, previous: float | None, polarity: str) -> Direction:
    """Direction of travel between two periods of the same type.

    Args:
        latest: The latest value; None or a suppression marker means missing.
        previous: The previous period's value.
        polarity: The indicator's polarity; ``"none"`` and ``"target_band"`` are never
            improving or worsening.

    Returns:
        The direction.
    """
    check_polarity(polarity)
    now, before = as_number(latest), as_number(previous)
    if now is None or before is None:
        return Direction(None, None, NO_DATA)
    change = now - before
    if change == 0:
        return Direction(0.0, SAME, NEUTRAL)
    arrow = UP if change > 0 else DOWN
    if polarity not in (HIGH, LOW):
        return Direction(change, arrow, NEUTRAL)
    better = (arrow == UP) == (polarity == HIGH)
    return Direction(change, arrow, IMPROVING if better else WORSENING)


@dataclass(frozen=True)
class TrendResult:
    """Outcome of the trend test over the latest five points.

    Attributes:
        label: What users see: ``"increasing and getting better"``, ``"increasing and getting
            worse"``, ``"increasing"`` (no better direction), the ``"decreasing"`` equivalents,
            ``"no significant change"`` or ``"cannot be calculated"``.
        chi2: The chi-squared statistic for trend, or None when it cannot be calculated.
        significant: True when the statistic exceeds the threshold and all logit slopes agree.
        direction: ``"increasing"`` or ``"decreasing"`` when significant, else None.
        judgement: ``"better"`` or ``"worse"`` when significant and the polarity allows,
            else None.
    """

    label: str
    chi2: float | None
    significant: bool
    direction: str | None
    judgement: str | None


def chi2_for_trend(events: Sequence[float], totals: Sequence[float]) -> float:
    """Chi-squared statistic for a linear trend in proportions, with t = 1, 2, ....

    ``chi2 = D (D OT - O NT)^2 / (O (D - O) (D NT2 - NT^2))`` where D = sum N, O = sum O_t,
    OT = sum O_t t, NT = sum N_t t, NT2 = sum N_t t^2.

    The sums are taken in exact rational arithmetic: with national counts in the millions,
    ``D OT`` and ``O NT`` are around 1e16 and nearly equal, so floating point would lose the
    digits that matter in their difference.

    Args:
        events: O_t, the events at each point, oldest first.
        totals: N_t, the denominators, aligned with ``events``.

    Returns:
        The statistic.

    Raises:
        ValueError: If the lengths differ, or the statistic is undefined (no events, all
            events, or fewer than two points with a denominator).
    """
    if len(events) != len(totals):
        raise ValueError("events and totals must have the same length")
    observed = [Fraction(value) for value in events]
    population = [Fraction(value) for value in totals]
    times = range(1, len(observed) + 1)
    d = sum(population, Fraction(0))
    o = sum(observed, Fraction(0))
    ot = sum((value * t for value, t in zip(observed, times, strict=True)), Fraction(0))
    nt = sum((value * t for value, t in zip(population, times, strict=True)), Fraction(0))
    nt2 = sum((value * t * t for value, t in zip(population, times, strict=True)), Fraction(0))
    denominator = o * (d - o) * (d * nt2 - nt * nt)
    if denominator == 0:
        raise ValueError("chi-squared for trend is undefined for these counts")
    return float(d * (d * ot - o * nt) ** 2 / denominator)


def logit_slope(proportions: Sequence[float], times: Sequence[float]) -> float:
    """Least-squares slope of logit(p) on t.

    Args:
        proportions: Proportions strictly between 0 and 1.
        times: The time index of each proportion (at least two distinct values).

    Returns:
        The slope.
    """
    logits = [math.log(p / (1 - p)) for p in proportions]
    mean_t = math.fsum(times) / len(times)
    mean_y = math.fsum(logits) / len(logits)
    sxy = math.fsum((t - mean_t) * (y - mean_y) for t, y in zip(times, logits, strict=True))
    sxx = math.fsum((t - mean_t) ** 2 for t in times)
    return sxy / sxx


def trend_test(
    events: Sequence[float | None], totals: Sequence[float | None], polarity: str
) -> TrendResult:
    """Fingertips' trend test over the latest five consecutive points.

    Args:
        events: Events O_t for consecutive annual periods, oldest first; only the last five
            are used. The caller must pass consecutive periods (a gap ends the series).
        totals: Denominators N_t, aligned with ``events``.
        polarity: The indicator's polarity, which decides "getting better/worse".

    Returns:
        The result. It "cannot be calculated" with fewer than five points, a missing value
        among the last five, a denominator that is not positive, or a proportion of exactly
        0 or 1 in any year (its logit is infinite, so the slope check is impossible).

    Raises:
        ValueError: If ``events`` and ``totals`` differ in length.
    """
    check_polarity(polarity)
    if len(events) != len(totals):
        raise ValueError("events and totals must have the same length")
    cannot = TrendResult(CANNOT_BE_CALCULATED, None, False, None, None)
    if len(events) < TREND_POINTS:
        return cannot
    observed = [as_number(value) for value in events[-TREND_POINTS:]]
    population = [as_number(value) for value in totals[-TREND_POINTS:]]
    pairs: list[tuple[float, float]] = []
    for o, n in zip(observed, population, strict=True):
        if o is None or n is None or not 0 < o < n:
            return cannot
        pairs.append((o, n))

    o_values = [o for o, _ in pairs]
    n_values = [n for _, n in pairs]
    statistic = chi2_for_trend(o_values, n_values)
    proportions = [o / n for o, n in pairs]
    times = [float(t) for t in range(1, TREND_POINTS + 1)]
    slopes = [logit_slope(proportions, times)]
    for left_out in range(TREND_POINTS):
        slopes.append(
            logit_slope(
                [p for i, p in enumerate(proportions) if i != left_out],
                [t for i, t in enumerate(times) if i != left_out],
            )
        )
    consistent = all(slope > 0 for slope in slopes) or all(slope < 0 for slope in slopes)
    if statistic <= TREND_CHI2_THRESHOLD or not consistent:
        return TrendResult(NO_SIGNIFICANT_CHANGE, statistic, False, None, None)

    trend = INCREASING if slopes[0] > 0 else DECREASING
    if polarity not in (HIGH, LOW):
        return TrendResult(trend, statistic, True, trend, None)
    better = (trend == INCREASING) == (polarity == HIGH)
    judgement = "better" if better else "worse"
    return TrendResult(f"{trend} and getting {judgement}", statistic, True, trend, judgement)
