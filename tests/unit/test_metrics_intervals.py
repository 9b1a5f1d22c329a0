"""Unit tests for confidence intervals (dashboard.metrics.intervals)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import (
    Z95,
    Z998,
    Interval,
    byar,
    count_limits,
    exact_poisson,
    proportion_interval,
    rate_interval,
    wilson,
)
from dashboard.metrics.intervals import level_for_z, z_for_level


def test_wilson_worked_example():
    """METHODS.md: x = 30, n = 100 gives 0.2189 to 0.3958."""
    lower, upper = wilson(30, 100)
    assert round(lower, 4) == 0.2189
    assert round(upper, 4) == 0.3958


def test_byar_rate_worked_example():
    """METHODS.md: 120 events in 25,000 children per 10,000 is 48.0 (39.8 to 57.4)."""
    interval = rate_interval(120, 25_000, 10_000)
    assert interval is not None
    assert interval.contains(120 / 25_000 * 10_000)  # the rate itself, 48.0
    assert (round(interval.lower, 1), round(interval.upper, 1)) == (39.8, 57.4)
    assert interval.method == "Byar"
    assert interval.level == 0.95


def test_exact_poisson_worked_example():
    """METHODS.md: x = 5 gives exact Poisson limits 1.62 to 11.67 events."""
    lower, upper = exact_poisson(5)
    assert (round(lower, 2), round(upper, 2)) == (1.62, 11.67)


def test_exact_poisson_zero_count_has_zero_lower_limit():
    """With no events the lower limit is 0 and the upper about 3.69."""
    lower, upper = exact_poisson(0)
    assert lower == 0.0
    assert upper == pytest.approx(3.689, abs=0.001)


def test_count_limits_switch_from_exact_to_byar_at_ten():
    """Counts under 10 use exact Poisson limits; 10 and over use Byar."""
    assert count_limits(9) == exact_poisson(9)
    assert count_limits(10) == byar(10)


def test_count_limits_match_level_to_z():
    """At 99.8% the exact method uses the 0.998 level that matches Z998."""
    assert count_limits(5, Z998) == pytest.approx(exact_poisson(5, 0.998))
    assert count_limits(5, Z998)[1] > count_limits(5, Z95)[1]


def test_z_constants_and_levels_round_trip():
    """The published z constants map to and from 95% and 99.8%."""
    assert z_for_level(0.95) == Z95
    assert z_for_level(0.998) == Z998
    assert level_for_z(Z95) == 0.95
    assert level_for_z(Z998) == 0.998
    assert z_for_level(0.9) == pytest.approx(1.6449, abs=1e-4)
    assert level_for_z(z_for_level(0.9)) == pytest.approx(0.9)


@pytest.mark.parametrize("level", [0.0, 1.0, 95.0])
def test_interval_levels_outside_zero_one_raise(level):
    """A level given as a percentage or at the extremes is rejected, not silently misread."""
    with pytest.raises(ValueError, match="confidence level"):
        z_for_level(level)
    with pytest.raises(ValueError, match="confidence level"):
        exact_poisson(5, level)
    with pytest.raises(ValueError, match="z must be positive"):
        level_for_z(-1.0)


def test_byar_close_to_exact_for_large_counts():
    """Byar's approximation agrees with the exact limits to within 0.5% at x = 100."""
    approximate = byar(100)
    exact = exact_poisson(100)
    assert approximate[0] == pytest.approx(exact[0], rel=0.005)
    assert approximate[1] == pytest.approx(exact[1], rel=0.005)


def test_wilson_zero_events_and_all_events():
    """Limits reach exactly 0 with no events and exactly 1 when every trial is an event."""
    assert wilson(0, 50)[0] == 0.0
    assert wilson(50, 50)[1] == 1.0
    assert 0 < wilson(0, 50)[1] < 0.1


@pytest.mark.parametrize(("x", "n"), [(1, 0), (0, 0), (1, -5), (-1, 10), (11, 10)])
def test_wilson_invalid_counts_raise(x, n):
    """The raw Wilson function rejects n <= 0 and x outside [0, n]."""
    with pytest.raises(ValueError):
        wilson(x, n)


def test_byar_and_exact_reject_negative_counts():
    """Negative counts are an error in the raw count functions."""
    with pytest.raises(ValueError):
        byar(-1)
    with pytest.raises(ValueError):
        exact_poisson(-1)


def test_proportion_interval_on_percent_scale():
    """proportion_interval scales Wilson limits by the multiplier (percent by default)."""
    interval = proportion_interval(30, 100)
    assert interval is not None
    assert interval.lower == pytest.approx(21.895, abs=0.001)
    assert interval.upper == pytest.approx(39.585, abs=0.001)
    assert interval.method == "Wilson score"
    assert interval.contains(30.0)


@pytest.mark.parametrize(
    ("x", "n"),
    [(None, 100), (30, None), (30, 0), (-1, 100), (101, 100), ("c", 100), (math.nan, 100)],
)
def test_proportion_interval_missing_data_gives_none(x, n):
    """Missing, suppressed, zero-denominator or impossible counts give None, never an error."""
    assert proportion_interval(x, n) is None


@pytest.mark.parametrize(("x", "n"), [(None, 1000), (5, None), (5, 0), (-3, 1000), ("x", 1000)])
def test_rate_interval_missing_data_gives_none(x, n):
    """Missing, suppressed or zero denominators and negative counts give None."""
    assert rate_interval(x, n, 10_000) is None


def test_rate_interval_small_count_uses_exact_poisson():
    """A count under 10 uses exact Poisson limits, scaled to the rate."""
    interval = rate_interval(5, 1000, 1000)
    assert interval is not None
    assert interval.method == "exact Poisson"
    assert (round(interval.lower, 2), round(interval.upper, 2)) == (1.62, 11.67)


def test_interval_998_is_wider_than_95():
    """The 99.8% interval contains the 95% one."""
    i95 = rate_interval(120, 25_000, 10_000)
    i998 = rate_interval(120, 25_000, 10_000, level=0.998)
    assert isinstance(i95, Interval) and isinstance(i998, Interval)
    assert i998.lower < i95.lower < i95.upper < i998.upper
    assert i998.level == 0.998


@settings(database=None)
@given(st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_limits_within_unit_interval_and_contain_proportion(case):
    """Wilson limits stay inside [0, 1] and contain x / n, at 95% and 99.8%."""
    x, n = case
    for z in (Z95, Z998):
        lower, upper = wilson(x, n, z)
        assert 0.0 <= lower <= x / n <= upper <= 1.0


@settings(database=None)
@given(st.integers(0, 10**6), st.integers(1, 10**7))
def test_rate_interval_contains_rate(x, denominator):
    """The rate interval contains the observed rate and has non-negative limits."""
    interval = rate_interval(x, denominator, 10_000)
    assert interval is not None
    rate = x / denominator * 10_000
    assert 0.0 <= interval.lower <= rate <= interval.upper
