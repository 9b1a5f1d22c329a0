"""Unit tests for direction of travel and the trend test (dashboard.metrics.trend)."""

import math

import pytest

from dashboard.metrics import Direction, TrendResult, direction, trend_test
from dashboard.metrics.trend import chi2_for_trend, logit_slope

CHECK_EVENTS = [3455176, 3491868, 3625401, 3774801, 3938080]
CHECK_TOTALS = [48783947, 49122259, 49956777, 50649129, 51441896]


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "arrow", "judgement"),
    [
        (12.0, 10.0, "high", "up", "improving"),
        (8.0, 10.0, "high", "down", "worsening"),
        (8.0, 10.0, "low", "down", "improving"),
        (12.0, 10.0, "low", "up", "worsening"),
        (12.0, 10.0, "none", "up", "neutral"),
        (8.0, 10.0, "target_band", "down", "neutral"),
    ],
)
def test_direction_coloured_by_polarity(latest, previous, polarity, arrow, judgement):
    """Up/down is improving or worsening by polarity, neutral without a better direction."""
    result = direction(latest, previous, polarity)
    assert result.arrow == arrow
    assert result.judgement == judgement
    assert result.change == pytest.approx(latest - previous)


def test_direction_equal_values_same_and_neutral():
    """No change is "same" and neutral whatever the polarity."""
    assert direction(10.0, 10.0, "high") == Direction(0.0, "same", "neutral")


@pytest.mark.parametrize(
    ("latest", "previous"), [(None, 10.0), (10.0, None), (math.nan, 1.0), ("c", 1.0)]
)
def test_direction_missing_value_is_no_data(latest, previous):
    """A missing or suppressed period gives "no data", never a change from zero."""
    assert direction(latest, previous, "high") == Direction(None, None, "no data")


def test_trend_check_vector_significant_increasing():
    """METHODS.md check vector: chi2 about 16495, significant and increasing."""
    result = trend_test(CHECK_EVENTS, CHECK_TOTALS, "high")
    assert result.chi2 == pytest.approx(16495, abs=1)
    assert result.significant is True
    assert result.direction == "increasing"
    assert result.judgement == "better"
    assert result.label == "increasing and getting better"


def test_trend_check_vector_low_polarity_getting_worse():
    """The same increase is "getting worse" when lower is better."""
    result = trend_test(CHECK_EVENTS, CHECK_TOTALS, "low")
    assert result.label == "increasing and getting worse"
    assert result.judgement == "worse"


def test_trend_check_vector_polarity_none_plain_label():
    """Without a better direction the label is just "increasing"."""
    result = trend_test(CHECK_EVENTS, CHECK_TOTALS, "none")
    assert (result.label, result.judgement, result.direction) == ("increasing", None, "increasing")


def test_trend_decreasing_mirror_has_same_chi2():
    """Counting non-events instead reverses the direction with the same statistic."""
    complement = [n - o for o, n in zip(CHECK_EVENTS, CHECK_TOTALS, strict=True)]
    result = trend_test(complement, CHECK_TOTALS, "low")
    assert result.chi2 == pytest.approx(16494.76, abs=0.01)
    assert result.label == "decreasing and getting better"
    assert trend_test(complement, CHECK_TOTALS, "high").label == "decreasing and getting worse"


def test_trend_uses_latest_five_points_only():
    """Older points before the latest five do not change the result."""
    result = trend_test([1, 999, *CHECK_EVENTS], [1000, 1000, *CHECK_TOTALS], "high")
    assert result == trend_test(CHECK_EVENTS, CHECK_TOTALS, "high")


def test_trend_fewer_than_five_points_cannot_be_calculated():
    """Four points are not enough for the test."""
    result = trend_test(CHECK_EVENTS[1:], CHECK_TOTALS[1:], "high")
    assert result == TrendResult("cannot be calculated", None, False, None, None)


@pytest.mark.parametrize(
    ("events", "totals"),
    [
        ([10, 20, None, 40, 50], [100] * 5),
        ([10, 20, 30, 40, 50], [100, 100, 0, 100, 100]),
        ([0, 20, 30, 40, 50], [100] * 5),
        ([10, 20, 30, 40, 100], [100] * 5),
        ([10, 20, 30, 40, 150], [100] * 5),
    ],
)
def test_trend_missing_zero_or_full_points_cannot_be_calculated(events, totals):
    """Missing points, zero denominators and proportions of 0 or 1 (infinite logit) are guarded."""
    assert trend_test(events, totals, "high").label == "cannot be calculated"


def test_trend_flat_series_no_significant_change():
    """Constant proportions give chi2 = 0 and no significant change."""
    result = trend_test([100] * 5, [1000] * 5, "high")
    assert result.chi2 == pytest.approx(0.0)
    assert (result.label, result.significant, result.direction) == (
        "no significant change",
        False,
        None,
    )


def test_trend_one_unusual_year_is_not_a_trend():
    """A large chi2 driven by one year fails the leave-one-out slope check."""
    events, totals = [100, 100, 100, 100, 200], [1000] * 5
    assert chi2_for_trend(events, totals) > 9.5495
    result = trend_test(events, totals, "high")
    assert result.label == "no significant change"
    assert result.significant is False


def test_trend_small_steady_rise_below_threshold_not_significant():
    """A steady rise with small counts stays below the 9.5495 threshold."""
    result = trend_test([10, 11, 12, 13, 14], [100] * 5, "high")
    assert result.chi2 is not None and result.chi2 < 9.5495
    assert result.label == "no significant change"


def test_trend_length_mismatch_raises():
    """Events and totals must be aligned."""
    with pytest.raises(ValueError):
        trend_test([1, 2, 3, 4, 5], [10, 10, 10, 10], "high")


def test_chi2_for_trend_matches_direct_formula():
    """The exact-arithmetic statistic equals the textbook formula on small numbers."""
    events, totals = [5, 8, 12, 15, 20], [100, 110, 120, 130, 140]
    t = range(1, 6)
    d, o = sum(totals), sum(events)
    ot = sum(x * i for x, i in zip(events, t, strict=True))
    nt = sum(n * i for n, i in zip(totals, t, strict=True))
    nt2 = sum(n * i * i for n, i in zip(totals, t, strict=True))
    expected = d * (d * ot - o * nt) ** 2 / (o * (d - o) * (d * nt2 - nt**2))
    assert chi2_for_trend(events, totals) == pytest.approx(expected, rel=1e-12)


def test_chi2_for_trend_rejects_misaligned_or_degenerate_input():
    """Misaligned series and counts with no events make the statistic undefined."""
    with pytest.raises(ValueError, match="same length"):
        chi2_for_trend([1, 2], [10])
    with pytest.raises(ValueError, match="undefined"):
        chi2_for_trend([0, 0, 0], [10, 10, 10])


def test_logit_slope_recovers_known_slope():
    """Proportions built from logit = 0.5 t give slope 0.5."""
    times = [1.0, 2.0, 3.0, 4.0, 5.0]
    proportions = [1 / (1 + math.exp(-0.5 * t)) for t in times]
    assert logit_slope(proportions, times) == pytest.approx(0.5)
