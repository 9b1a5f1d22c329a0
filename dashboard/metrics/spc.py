"""Statistical process control: is this month's change signal or noise? (XmR charts).

METHODS.md ("Signal or noise") asks for NHS England's "Making Data Count" rules exactly as the
NHS-R community's NHSRplotthedots package implements them (`ptd_spc_standard`,
`ptd_calculate_point_type`, `ptd_calculate_assurance_type`):

- per baseline (a "rebase group"): the mean of the baseline points (all of them, or the first n
  when the baseline is fixed), the moving ranges |x_t - x_(t-1)| of those points and their mean,
  optionally screened once for moving ranges of 3.267 x the mean or more, then recomputed;
- process limits mean +/- 2.66 x mean moving range, near-limit lines at two thirds of that;
- special cause: a point outside the limits; seven points in a row on one side of the mean;
  seven points in a row each higher (or each lower) than the one before; two of three
  consecutive points beyond a near-limit line on the same side; every point of a run is flagged;
- the special cause is an "improvement" or a "concern" by polarity, "neutral" without one;
- assurance against a target from where the target sits relative to the latest limits.

Every rule is evaluated within one baseline, so runs never cross a recorded change. Missing
or suppressed values are left out (never read as zero): the chart joins the numeric points, as
NHSRplotthedots expects a series without gaps.

Two choices this module adds, because NHSRplotthedots only warns: with fewer than 12 baseline
points the limits are computed but marked unreliable; with fewer than 6 there are no limits and
no special-cause tests. Pure functions and frozen dataclasses, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from dashboard.metrics._common import as_number
from dashboard.metrics.polarity import HIGH, LOW, check_polarity

#: 3 / d2 for moving ranges of two points (d2 = 1.128), as Making Data Count rounds it.
LIMIT_FACTOR = 2.66
#: "Near the limits": beyond two thirds of the distance from the mean to a process limit.
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3
#: D4 for n = 2: a moving range this many times the mean or more is screened out as an outlier.
MR_SCREEN_FACTOR = 3.267
#: Points in a run (shift) or a trend.
RUN_LENGTH = 7
#: Below this many baseline points: no limits. Below `RELIABLE_POINTS`: limits unreliable.
MIN_POINTS = 6
RELIABLE_POINTS = 12

OUTSIDE_LIMITS = "outside_limits"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
SHIFT = "shift"
#: NHSRplotthedots' precedence when a point breaks several rules: the first rule in this order
#: decides the point's direction (a trend's direction is its slope, the others' their side).
RULES = (OUTSIDE_LIMITS, TREND, TWO_OF_THREE, SHIFT)
RULE_WORDS = {
    OUTSIDE_LIMITS: "outside the process limits",
    TREND: "seven points in a row each higher (or lower) than the one before",
    TWO_OF_THREE: "two of three points near a process limit",
    SHIFT: "seven points in a row on one side of the mean",
}

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEUTRAL = "neutral"
COMMON = "common"

RELIABLE = "reliable"
UNRELIABLE = "unreliable"
NO_LIMITS = "none"

SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"
COMMON_CAUSE = "common_cause"
NOT_ENOUGH_POINTS = "not_enough_points"
VARIATION_TEXT = {
    SPECIAL_CAUSE_IMPROVEMENT: "special cause — improvement",
    SPECIAL_CAUSE_CONCERN: "special cause — concern",
    SPECIAL_CAUSE_NEUTRAL_HIGH: "special cause — neutral (higher)",
    SPECIAL_CAUSE_NEUTRAL_LOW: "special cause — neutral (lower)",
    COMMON_CAUSE: "common cause",
    NOT_ENOUGH_POINTS: "not enough points for limits",
}

CONSISTENT_PASS = "consistent_pass"
CONSISTENT_FAIL = "consistent_fail"
HIT_AND_MISS = "hit_and_miss"
ASSURANCE_TEXT = {
    CONSISTENT_PASS: "will consistently pass the target",
    CONSISTENT_FAIL: "will consistently fail the target",
    HIT_AND_MISS: "will hit and miss the target",
}

# Values and means are floats: a point "on the mean" or "on a limit" is judged with a relative
# tolerance so that a constant series (mean 0.1 from 0.1, 0.1, 0.1) is not flagged by rounding.
_REL_TOL = 1e-9


@dataclass(frozen=True)
class Baseline:
    """Where a baseline starts and whether its limits are fixed.

    Attributes:
        start: Position in the input sequence of the first point of this baseline; 0 is the
            first baseline. A later start restarts the mean and limits there (a recorded
            change, e.g. a new front-door model).
        fix_points: Compute the mean and limits from the first n points of this baseline only
            and extend them over the rest; None uses every point of the baseline.
        reason: Why the baseline starts here, for the chart's annotation.
    """

    start: int = 0
    fix_points: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Segment:
    """One baseline's points, mean and limits.

    Attributes:
        start: Index (into `SpcResult.points`) of its first point.
        end: Index one past its last point.
        n_baseline: How many points the mean and limits were computed from.
        mean: Mean of the baseline points (None when the segment is empty).
        mean_moving_range: Mean moving range after any screening (None below 6 points).
        lower: Lower process limit, mean - 2.66 x mean moving range.
        upper: Upper process limit.
        near_lower: Lower near-limit line, two thirds of the way from the mean to `lower`.
        near_upper: Upper near-limit line.
        screened: Moving ranges left out as outliers (3.267 x the mean or more).
        limits: ``"reliable"`` (12 or more baseline points), ``"unreliable"`` (6 to 11) or
            ``"none"`` (fewer than 6: no limits and no tests).
        reason: Why this baseline starts where it does, when recorded.
    """

    start: int
    end: int
    n_baseline: int
    mean: float | None
    mean_moving_range: float | None
    lower: float | None
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    screened: int
    limits: str
    reason: str | None = None


@dataclass(frozen=True)
class SpcPoint:
    """One point of the chart with the rules it breaks.

    Attributes:
        index: Position in the input sequence (missing values are not points).
        label: The period label given, if any.
        value: The value.
        segment: Which baseline (index into `SpcResult.segments`) it belongs to.
        moving_range: |value - previous value| within the baseline; None for its first point.
        side: +1 above the mean, -1 below, 0 on it (or no mean).
        rules: The special-cause rules it is part of, in `RULES` order.
        direction: ``"high"`` or ``"low"`` for a special-cause point, else None.
        special_cause: ``"improvement"``, ``"concern"``, ``"neutral"`` (no polarity) or
            ``"common"``.
    """

    index: int
    label: str | None
    value: float
    segment: int
    moving_range: float | None
    side: int
    rules: tuple[str, ...]
    direction: str | None
    special_cause: str

    @property
    def is_special(self) -> bool:
        """Whether the point shows special-cause variation."""
        return bool(self.rules)

    @property
    def rule(self) -> str | None:
        """The rule that decides its direction (the first in `RULES` order), or None."""
        return self.rules[0] if self.rules else None


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: points, baselines, and the summary icons' meaning.

    Attributes:
        points: The numeric points, oldest first.
        segments: The baselines in order.
        polarity: The indicator's polarity.
        target: The target the assurance was judged against, if any.
        variation: The latest point's type (a key of `VARIATION_TEXT`), as Making Data Count's
            variation icon shows it; ``"not_enough_points"`` when the latest baseline has no
            limits or there are no points.
        assurance: A key of `ASSURANCE_TEXT`, or None (no target, no better direction, or no
            limits).
    """

    points: tuple[SpcPoint, ...]
    segments: tuple[Segment, ...]
    polarity: str
    target: float | None
    variation: str
    assurance: str | None

    @property
    def latest(self) -> SpcPoint | None:
        """The most recent point."""
        return self.points[-1] if self.points else None

    @property
    def current(self) -> Segment | None:
        """The latest baseline, whose limits apply to the latest point."""
        return self.segments[-1] if self.segments else None

    @property
    def limits(self) -> str:
        """Reliability of the latest baseline's limits (``"none"`` when there is none)."""
        return self.current.limits if self.current else NO_LIMITS

    @property
    def variation_text(self) -> str:
        """The variation in words: "special cause — concern", "common cause"..."""
        return VARIATION_TEXT[self.variation]

    @property
    def assurance_text(self) -> str | None:
        """The assurance in words, or None."""
        return ASSURANCE_TEXT[self.assurance] if self.assurance else None

    def latest_run(self) -> int:
        """How many points, ending with the latest, share its deciding rule and direction.

        "Outside the expected range for the fourth month running" is `latest_run() == 4` with
        the latest point's rule `outside_limits`. Zero when the latest point is common cause.
        """
        last = self.latest
        if last is None or not last.is_special:
            return 0
        count = 0
        for p in reversed(self.points):
            if p.segment != last.segment or p.rule != last.rule or p.direction != last.direction:
                break
            count += 1
        return count


def moving_ranges(values: Sequence[float]) -> list[float | None]:
    """Moving ranges |x_t - x_(t-1)|, with None for the first point.

    Args:
        values: Consecutive numeric values.

    Returns:
        One entry per value.
    """
    return [None, *(abs(b - a) for a, b in pairwise(values))]


def mean_moving_range(
    values: Sequence[float], *, screen_outliers: bool = False
) -> tuple[float, int]:
    """Mean moving range, optionally ignoring moving ranges of 3.267 x the mean or more.

    NHSRplotthedots screens once: it keeps moving ranges strictly below 3.267 x the first mean
    and recomputes. When every moving range is zero (a constant series) nothing is screened: its
    strict comparison would drop all of them and leave no limits at all.

    Args:
        values: At least two consecutive numeric values.
        screen_outliers: Whether to screen.

    Returns:
        The mean moving range and how many moving ranges were screened out.
    """
    mrs = [m for m in moving_ranges(values) if m is not None]
    if not mrs:
        raise ValueError("a moving range needs at least two values")
    amr = math.fsum(mrs) / len(mrs)
    if not screen_outliers or amr == 0:
        return amr, 0
    kept = [m for m in mrs if m < MR_SCREEN_FACTOR * amr]
    return math.fsum(kept) / len(kept), len(mrs) - len(kept)


def process_limits(mean: float, amr: float) -> tuple[float, float, float, float]:
    """Lower and upper process limits and near-limit lines for a mean and mean moving range.

    Returns:
        (lower, upper, near_lower, near_upper).
    """
    return (
        mean - LIMIT_FACTOR * amr,
        mean + LIMIT_FACTOR * amr,
        mean - NEAR_FACTOR * amr,
        mean + NEAR_FACTOR * amr,
    )


def _cmp(a: float, b: float) -> int:
    """Sign of a - b, with equality judged to a relative tolerance."""
    if math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=_REL_TOL):
        return 0
    return 1 if a > b else -1


def _mean(values: Sequence[float]) -> float:
    # A constant series has exactly its value as its mean (fsum/n can be off by one ulp).
    if all(v == values[0] for v in values):
        return values[0]
    return math.fsum(values) / len(values)


def _segment(
    ys: Sequence[float],
    start: int,
    fix_points: int | None,
    screen_outliers: bool,
    reason: str | None,
) -> Segment:
    base = list(ys[:fix_points] if fix_points else ys)
    n = len(base)
    mean = _mean(base) if base else None
    if n < MIN_POINTS or mean is None:
        return Segment(
            start, start + len(ys), n, mean, None, None, None, None, None, 0, NO_LIMITS, reason
        )
    amr, screened = mean_moving_range(base, screen_outliers=screen_outliers)
    lower, upper, near_lower, near_upper = process_limits(mean, amr)
    return Segment(
        start,
        start + len(ys),
        n,
        mean,
        amr,
        lower,
        upper,
        near_lower,
        near_upper,
        screened,
        RELIABLE if n >= RELIABLE_POINTS else UNRELIABLE,
        reason,
    )


def _rules(
    ys: Sequence[float], seg: Segment
) -> tuple[list[list[str]], list[int], list[int | None]]:
    """Rules broken by each point of one baseline, each point's side, and any trend direction."""
    n = len(ys)
    rules: list[list[str]] = [[] for _ in range(n)]
    trend_dir: list[int | None] = [None] * n
    if seg.mean is None:
        return rules, [0] * n, trend_dir
    sides = [_cmp(y, seg.mean) for y in ys]
    if seg.limits == NO_LIMITS:
        return rules, sides, trend_dir
    assert seg.lower is not None and seg.upper is not None
    assert seg.near_lower is not None and seg.near_upper is not None
    outside = [_cmp(y, seg.upper) > 0 or _cmp(y, seg.lower) < 0 for y in ys]
    # As NHSRplotthedots' `close_to_limits`: beyond a near-limit line but not outside the limits.
    close = [
        not o and (_cmp(y, seg.near_lower) < 0 or _cmp(y, seg.near_upper) > 0)
        for y, o in zip(ys, outside, strict=True)
    ]
    for i in range(n):
        if outside[i]:
            rules[i].append(OUTSIDE_LIMITS)
    # Trend: seven points each strictly higher (or lower) than the one before, i.e. six rises
    # in a row; an equal pair breaks the run (sign 0, as in `ptd_seven_point_trend`). A point at
    # a turn between a rising and a falling run takes the later run's direction, as
    # NHSRplotthedots' "use right side".
    for end in range(RUN_LENGTH - 1, n):
        steps = {_cmp(ys[j], ys[j - 1]) for j in range(end - RUN_LENGTH + 2, end + 1)}
        if steps in ({1}, {-1}):
            d = steps.pop()
            for j in range(end - RUN_LENGTH + 1, end + 1):
                if TREND not in rules[j]:
                    rules[j].append(TREND)
                trend_dir[j] = d
    # Two of three: in any three consecutive points all strictly on one side of the mean, two or
    # more beyond the near-limit line on that side; only those beyond the line are flagged
    # (`ptd_part_of_two_in_three`). Points outside the limits do not count, as in the package.
    for a in range(n - 2):
        window = range(a, a + 3)
        if abs(sum(sides[i] for i in window)) == 3 and sum(close[i] for i in window) >= 2:
            for i in window:
                if close[i] and TWO_OF_THREE not in rules[i]:
                    rules[i].append(TWO_OF_THREE)
    # Shift: seven points in a row strictly on one side of the mean. A point exactly on the mean
    # has side 0: it breaks the run and is not part of one, as `ptd_seven_point_one_side_mean`
    # (whose test is "all seven signs equal and not zero").
    for end in range(RUN_LENGTH - 1, n):
        run = {sides[j] for j in range(end - RUN_LENGTH + 1, end + 1)}
        if len(run) == 1 and 0 not in run:
            for j in range(end - RUN_LENGTH + 1, end + 1):
                if SHIFT not in rules[j]:
                    rules[j].append(SHIFT)
    return [sorted(r, key=RULES.index) for r in rules], sides, trend_dir


def _special_cause(direction: str | None, polarity: str) -> str:
    if direction is None:
        return COMMON
    if polarity not in (HIGH, LOW):
        return NEUTRAL
    return IMPROVEMENT if direction == polarity else CONCERN


def assurance(
    lower: float | None, upper: float | None, target: float | None, polarity: str
) -> str | None:
    """Making Data Count's assurance: can the process be relied on to meet the target?

    Both limits on the passing side: it will consistently pass; both on the failing side: it
    will consistently fail; the target between (or on) the limits: hit and miss.

    Args:
        lower: Lower process limit.
        upper: Upper process limit.
        target: The target.
        polarity: ``"high"`` or ``"low"``; any other polarity has no passing side.

    Returns:
        A key of `ASSURANCE_TEXT`, or None when it cannot be judged.
    """
    if target is None or lower is None or upper is None or polarity not in (HIGH, LOW):
        return None
    if target > upper:
        return CONSISTENT_FAIL if polarity == HIGH else CONSISTENT_PASS
    if target < lower:
        return CONSISTENT_PASS if polarity == HIGH else CONSISTENT_FAIL
    return HIT_AND_MISS


def _variation(point: SpcPoint | None, seg: Segment | None) -> str:
    if point is None or seg is None or seg.limits == NO_LIMITS:
        return NOT_ENOUGH_POINTS
    if point.special_cause == IMPROVEMENT:
        return SPECIAL_CAUSE_IMPROVEMENT
    if point.special_cause == CONCERN:
        return SPECIAL_CAUSE_CONCERN
    if point.special_cause == NEUTRAL:
        return SPECIAL_CAUSE_NEUTRAL_HIGH if point.direction == HIGH else SPECIAL_CAUSE_NEUTRAL_LOW
    return COMMON_CAUSE


def xmr(
    values: Sequence[float | None],
    labels: Sequence[str] | None = None,
    *,
    polarity: str = "none",
    target: float | None = None,
    baselines: Sequence[Baseline] = (),
    screen_outliers: bool = False,
) -> SpcResult:
    """An XmR chart of a series with Making Data Count's special-cause rules.

    Args:
        values: The series, oldest first, one value per consecutive period; None, NaN and
            suppression symbols are left out.
        labels: Period labels aligned with `values`.
        polarity: ``"high"``, ``"low"``, ``"none"`` or ``"target_band"``; decides whether a
            special cause is an improvement or a concern (neutral without a better direction).
        target: A target for the assurance, if there is one.
        baselines: Where baselines start (positions in `values`) and whether their limits are
            fixed after n points. Without one starting at 0 the first baseline uses every point
            up to the next baseline.
        screen_outliers: Leave out moving ranges of 3.267 x the mean or more.

    Returns:
        The chart.
    """
    check_polarity(polarity)
    if labels is not None and len(labels) != len(values):
        raise ValueError("labels and values must have the same length")
    kept = [(i, v) for i, v in ((i, as_number(x)) for i, x in enumerate(values)) if v is not None]
    by_start: dict[int, Baseline] = {0: Baseline(0)}
    for b in sorted(baselines, key=lambda b: b.start):
        if b.fix_points is not None and b.fix_points < 1:
            raise ValueError("a fixed baseline needs at least one point")
        by_start[max(b.start, 0)] = b
    # A baseline starts at the first numeric point at or after its position.
    cuts: dict[int, Baseline] = {}
    for start, b in sorted(by_start.items()):
        first = next((k for k, (i, _) in enumerate(kept) if i >= start), None)
        if first is not None:
            cuts[0 if start == 0 else first] = b
    bounds = sorted(cuts)
    points: list[SpcPoint] = []
    segments: list[Segment] = []
    for s_idx, a in enumerate(bounds):
        b_end = bounds[s_idx + 1] if s_idx + 1 < len(bounds) else len(kept)
        if b_end <= a:
            continue
        spec = cuts[a]
        ys = [v for _, v in kept[a:b_end]]
        seg = _segment(ys, a, spec.fix_points, screen_outliers, spec.reason)
        seg_no = len(segments)
        segments.append(seg)
        rules, sides, trend_dir = _rules(ys, seg)
        mrs = moving_ranges(ys)
        for k, y in enumerate(ys):
            r = tuple(rules[k])
            if not r:
                direction = None
            elif r[0] == TREND:
                direction = HIGH if trend_dir[k] == 1 else LOW
            else:
                direction = HIGH if sides[k] > 0 else LOW
            idx = kept[a + k][0]
            points.append(
                SpcPoint(
                    index=idx,
                    label=labels[idx] if labels is not None else None,
                    value=y,
                    segment=seg_no,
                    moving_range=mrs[k],
                    side=sides[k],
                    rules=r,
                    direction=direction,
                    special_cause=_special_cause(direction, polarity),
                )
            )
    last_seg = segments[-1] if segments else None
    latest = points[-1] if points else None
    return SpcResult(
        points=tuple(points),
        segments=tuple(segments),
        polarity=polarity,
        target=target,
        variation=_variation(latest, last_seg),
        assurance=assurance(last_seg.lower, last_seg.upper, target, polarity) if last_seg else None,
    )
