"""Unit tests for XmR charts and Making Data Count's rules (dashboard.metrics.spc).

Every expected limit below is worked by hand from the formulas NHSRplotthedots uses
(`ptd_spc_standard`): mean of the baseline, mean moving range, mean +/- 2.66 x mean MR, near
lines at two thirds of that distance.
"""

import pytest

from dashboard.metrics.spc import (
    CONCERN,
    IMPROVEMENT,
    NEUTRAL,
    OUTSIDE_LIMITS,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    Baseline,
    assurance,
    mean_moving_range,
    moving_ranges,
    process_limits,
    xmr,
)

# Twelve points: sum 147, mean 12.25; moving ranges 2,1,2,1,2,1,1,1,2,1,2 (sum 16, mean 16/11).
BASE12 = [10, 12, 11, 13, 12, 14, 13, 12, 11, 13, 14, 12]  # ends below the mean
AMR12 = 16 / 11
FIXED = [Baseline(0, fix_points=12)]


def _flags(result, rule):
    return [p.index for p in result.points if rule in p.rules]


def test_spc_limits_by_hand_twelve_points():
    """Mean 12.25, MR 1.4545, limits 12.25 -/+ 3.8691 and near lines -/+ 2.5794; reliable."""
    r = xmr(BASE12)
    seg = r.current
    assert seg.mean == pytest.approx(12.25)
    assert seg.mean_moving_range == pytest.approx(1.4545454545)
    assert seg.lower == pytest.approx(8.3809090909)
    assert seg.upper == pytest.approx(16.1190909091)
    assert seg.near_lower == pytest.approx(9.6706060606)
    assert seg.near_upper == pytest.approx(14.8293939394)
    assert seg.limits == "reliable"
    assert r.variation == "common_cause"
    assert all(not p.is_special for p in r.points)


def test_spc_limits_by_hand_six_points_unreliable():
    """3,7,4,8,5,9: mean 6, MR 3.6, limits -3.576 to 15.576; six points: limits unreliable."""
    r = xmr([3, 7, 4, 8, 5, 9])
    seg = r.current
    assert (seg.mean, seg.mean_moving_range) == (pytest.approx(6), pytest.approx(3.6))
    assert (seg.lower, seg.upper) == (pytest.approx(-3.576), pytest.approx(15.576))
    assert (seg.near_lower, seg.near_upper) == (pytest.approx(-0.384), pytest.approx(12.384))
    assert seg.limits == "unreliable"


def test_spc_outlier_moving_range_screened_and_limits_recomputed():
    """An MR of 13 is >= 3.267 x 27/11; screening leaves 14/10 = 1.4 and tighter limits."""
    values = [10, 12, 11, 13, 12, 14, 13, 12, 11, 13, 12, 25]
    plain = xmr(values).current
    assert plain.mean == pytest.approx(158 / 12)
    assert plain.mean_moving_range == pytest.approx(27 / 11)
    assert plain.upper == pytest.approx(158 / 12 + 2.66 * 27 / 11)
    screened = xmr(values, screen_outliers=True).current
    assert screened.screened == 1
    assert screened.mean_moving_range == pytest.approx(1.4)
    assert screened.upper == pytest.approx(158 / 12 + 2.66 * 1.4)
    assert mean_moving_range(values, screen_outliers=True) == (pytest.approx(1.4), 1)


def test_spc_helpers_moving_ranges_and_limits():
    """Moving ranges start with None; limits are mean -/+ 2.66 and 1.7733 x MR."""
    assert moving_ranges([1, 4, 2]) == [None, 3, 2]
    assert process_limits(10, 1) == pytest.approx(
        (7.34, 12.66, 10 - 2.66 * 2 / 3, 10 + 2.66 * 2 / 3)
    )


def test_spc_outside_limits_flags_the_point():
    """A point above the upper limit (16.12 from the fixed baseline) is special cause."""
    r = xmr([*BASE12, 17], polarity="high", baselines=FIXED)
    last = r.latest
    assert last.rules == (OUTSIDE_LIMITS,)
    assert last.direction == "high"
    assert last.special_cause == IMPROVEMENT
    assert r.variation == "special_cause_improvement"
    assert _flags(r, OUTSIDE_LIMITS) == [12]


def test_spc_point_on_the_limit_is_not_outside():
    """A value exactly on the upper limit is inside (the test is strictly greater)."""
    upper = 12.25 + 2.66 * AMR12
    r = xmr([*BASE12, upper], baselines=FIXED)
    assert OUTSIDE_LIMITS not in r.latest.rules


def test_spc_shift_seven_points_one_side_every_point_flagged():
    """Seven points at 13 (above the mean 12.25, inside the near lines) are all flagged."""
    r = xmr([*BASE12, *[13] * 7], baselines=FIXED)
    assert _flags(r, SHIFT) == list(range(12, 19))
    assert r.latest.rules == (SHIFT,)
    assert r.latest.special_cause == NEUTRAL
    assert r.variation == "special_cause_neutral_high"


def test_spc_six_points_one_side_is_not_a_shift():
    """Six points above the mean are common cause."""
    r = xmr([*BASE12, *[13] * 6], baselines=FIXED)
    assert _flags(r, SHIFT) == []
    assert r.variation == "common_cause"


def test_spc_point_on_the_mean_breaks_a_run_and_is_not_flagged():
    """13,13,13,12.25,13,13,13: the point on the mean breaks the run (NHSRplotthedots)."""
    r = xmr([*BASE12, 13, 13, 13, 12.25, 13, 13, 13], baselines=FIXED)
    assert _flags(r, SHIFT) == []
    # With one more point above the mean after it, the seven after the break are a run, and the
    # point on the mean is still not part of it.
    r = xmr([*BASE12, 13, 13, 13, 12.25, 13, 13, 13, 13, 13, 13, 13], baselines=FIXED)
    assert _flags(r, SHIFT) == list(range(16, 23))
    assert r.points[15].side == 0


def test_spc_shift_below_mean_is_concern_for_high_polarity():
    """Seven points below the mean of a higher-is-better measure are a concern."""
    r = xmr([*BASE12, *[11.5] * 7], polarity="high", baselines=FIXED)
    assert r.latest.special_cause == CONCERN
    assert r.latest.direction == "low"
    assert r.variation == "special_cause_concern"


def test_spc_trend_seven_increasing_points_flagged():
    """10.5 up to 13.5 in seven rises of 0.5 (inside the near lines) is a trend, all flagged."""
    trend = [10.5, 11, 11.5, 12, 12.5, 13, 13.5]
    r = xmr([*BASE12, *trend], polarity="low", baselines=FIXED)
    assert _flags(r, TREND) == list(range(12, 19))
    assert r.latest.rules == (TREND,)
    assert r.latest.direction == "high"
    assert r.latest.special_cause == CONCERN


def test_spc_trend_broken_by_a_tie():
    """An equal pair breaks a trend: 10.5, 11, 11.5, 12, 12, 12.5, 13 is no trend."""
    r = xmr([*BASE12, 10.5, 11, 11.5, 12, 12, 12.5, 13], baselines=FIXED)
    assert _flags(r, TREND) == []


def test_spc_six_increasing_points_are_not_a_trend():
    """Six points in a row rising (five rises) are common cause."""
    r = xmr([*BASE12, 14, 10.5, 11, 11.5, 12, 12.5], baselines=FIXED)
    assert _flags(r, TREND) == []


def test_spc_trend_turning_point_takes_the_later_direction():
    """At a peak between a rising and a falling run the point takes the falling run's direction."""
    base = [0, 10] * 6  # mean 5, MR 10: limits -21.6 to 31.6
    r = xmr([*base, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], baselines=FIXED)
    assert _flags(r, TREND) == list(range(12, 25))
    assert r.points[12].direction == "high"
    assert r.points[18].direction == "low"
    assert r.points[24].direction == "low"


def test_spc_two_of_three_beyond_near_line_same_side():
    """15, 12.5, 15.5: two beyond the near line 14.83, all above the mean: the two flagged."""
    r = xmr([*BASE12, 15, 12.5, 15.5], polarity="high", baselines=FIXED)
    assert _flags(r, TWO_OF_THREE) == [12, 14]
    assert r.points[13].rules == ()
    assert r.latest.special_cause == IMPROVEMENT


def test_spc_two_of_three_needs_all_three_on_one_side():
    """15, 11, 15.5: the middle point is below the mean, so no two-of-three."""
    r = xmr([*BASE12, 15, 11, 15.5], baselines=FIXED)
    assert _flags(r, TWO_OF_THREE) == []


def test_spc_point_outside_limits_does_not_count_towards_two_of_three():
    """15 then 17 (outside): only one point is near the limit, as NHSRplotthedots counts."""
    r = xmr([*BASE12, 15, 12.5, 17], baselines=FIXED)
    assert _flags(r, TWO_OF_THREE) == []
    assert _flags(r, OUTSIDE_LIMITS) == [14]


def test_spc_point_with_several_rules_lists_them_in_order():
    """A point outside the limits that ends a shift carries both rules, outside first."""
    r = xmr([*BASE12, 13, 13, 13, 13, 13, 13, 17], baselines=FIXED)
    assert r.latest.rules == (OUTSIDE_LIMITS, SHIFT)
    assert r.latest.rule == OUTSIDE_LIMITS


@pytest.mark.parametrize(
    ("n", "limits"), [(5, "none"), (6, "unreliable"), (11, "unreliable"), (12, "reliable")]
)
def test_spc_baseline_size_decides_reliability(n, limits):
    """Fewer than 6 baseline points: no limits; 6 to 11: unreliable; 12 or more: reliable."""
    r = xmr([*BASE12, *BASE12], baselines=[Baseline(0, fix_points=n)])
    assert r.current.n_baseline == n
    assert r.limits == limits
    assert (r.current.upper is None) == (limits == "none")


def test_spc_eleven_points_unreliable_twelve_reliable_unfixed():
    """The whole series as baseline: 11 points unreliable, 12 reliable."""
    assert xmr(BASE12[:11]).limits == "unreliable"
    assert xmr(BASE12).limits == "reliable"


def test_spc_fewer_than_six_points_no_limits_no_tests():
    """Five points: a mean but no limits, no special cause, variation 'not enough points'."""
    r = xmr([1, 50, 1, 50, 1])
    assert r.current.mean == pytest.approx(20.6)
    assert r.current.upper is None
    assert all(not p.is_special for p in r.points)
    assert r.variation == "not_enough_points"
    assert r.assurance is None


def test_spc_constant_series_is_common_cause():
    """A constant series: MR 0, limits on the mean, every point on the mean, no signal."""
    r = xmr([0.1] * 15, polarity="high", screen_outliers=True)
    seg = r.current
    assert (seg.mean, seg.mean_moving_range, seg.lower, seg.upper) == (0.1, 0.0, 0.1, 0.1)
    assert all(p.side == 0 and not p.is_special for p in r.points)
    assert r.variation == "common_cause"


def test_spc_constant_baseline_then_any_change_is_outside():
    """After a fixed constant baseline, any different value lies outside the (zero-width) limits."""
    r = xmr([5] * 12 + [6], baselines=FIXED)
    assert r.latest.rules == (OUTSIDE_LIMITS,)


def test_spc_rebase_restarts_mean_and_runs():
    """A step from ~10 to ~20: without a rebase, a shift; rebased at the change, common cause."""
    before = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9]
    after = [20, 21, 19, 20, 21, 19, 20, 21, 19, 20, 21, 19]
    plain = xmr(before + after)
    assert len(_flags(plain, SHIFT)) == 24
    rebased = xmr(before + after, baselines=[Baseline(12, reason="new front door")])
    assert [s.mean for s in rebased.segments] == [pytest.approx(10), pytest.approx(20)]
    assert rebased.segments[1].reason == "new front door"
    assert rebased.segments[1].start == 12
    assert all(not p.is_special for p in rebased.points)
    assert rebased.points[12].moving_range is None  # moving ranges restart with the baseline


def test_spc_missing_values_are_left_out_not_zero():
    """None and suppression symbols are not points; labels and positions are kept."""
    values = [10, None, 12, "c", 11, 13, 12, 14, 13, 12, 11, 13, 12, 14, float("nan")]
    labels = [f"m{i}" for i in range(len(values))]
    r = xmr(values, labels)
    assert len(r.points) == 12
    assert [p.index for p in r.points][:3] == [0, 2, 4]
    assert r.points[1].label == "m2"
    assert r.current.mean == pytest.approx(12.25)
    assert r.points[1].moving_range == 2


def test_spc_latest_run_counts_months_outside():
    """Four points in a row above the upper limit: latest_run is 4."""
    r = xmr([*BASE12, 13, 17, 18, 17.5, 19], baselines=FIXED)
    assert r.latest.rule == OUTSIDE_LIMITS
    assert r.latest_run() == 4
    assert xmr(BASE12).latest_run() == 0


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        (5, "high", "consistent_pass"),
        (20, "high", "consistent_fail"),
        (12, "high", "hit_and_miss"),
        (5, "low", "consistent_fail"),
        (20, "low", "consistent_pass"),
        (12, "none", None),
        (None, "high", None),
    ],
)
def test_spc_assurance_against_target(target, polarity, expected):
    """Limits 8.38 to 16.12: a target below both, above both, or between them."""
    r = xmr(BASE12, polarity=polarity, target=target)
    assert r.assurance == expected
    assert assurance(8.38, 16.12, target, polarity) == expected


def test_spc_assurance_target_on_a_limit_is_hit_and_miss():
    """A target exactly on the upper limit is neither above nor below it."""
    assert assurance(8, 16, 16, "high") == "hit_and_miss"


def test_spc_variation_and_assurance_text():
    """The summary reads as Making Data Count's icons do."""
    r = xmr([*BASE12, *[11.5] * 7], polarity="high", target=20, baselines=FIXED)
    assert r.variation_text == "special cause — concern"
    assert r.assurance_text == "will consistently fail the target"


def test_spc_rejects_bad_input():
    """Unknown polarity, mismatched labels and empty fixed baselines are errors."""
    with pytest.raises(ValueError, match="polarity"):
        xmr([1, 2], polarity="up")
    with pytest.raises(ValueError, match="same length"):
        xmr([1, 2], ["a"])
    with pytest.raises(ValueError, match="at least one"):
        xmr([1, 2], baselines=[Baseline(0, fix_points=0)])


def test_spc_empty_series():
    """No points: no segments, not enough points."""
    r = xmr([None, None])
    assert r.points == () and r.latest is None
    assert r.variation == "not_enough_points"
    assert r.limits == "none"
