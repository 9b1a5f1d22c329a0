"""Unit tests for the statistical-neighbour comparator (dashboard.metrics.comparators)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import Comparator, neighbour_average

# Southend-on-Sea, re-referrals within 12 months, year to 31 March 2020, 2021 vintage
# (METHODS.md worked example); Bournemouth, Christchurch and Poole is "x" (not available).
SOUTHEND_NEIGHBOURS_2020 = [21.1, 19, 19.5, 18.3, 35.4, 28.5, 24.9, None, 24.4, 29.5]

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_comparator_southend_mean_from_nine_of_ten():
    """The METHODS.md worked example: mean 24.51 from 9 of 10 neighbours."""
    result = neighbour_average(SOUTHEND_NEIGHBOURS_2020)
    assert result.value == pytest.approx(24.51, abs=0.005)
    assert (result.n_reporting, result.n_total, result.method) == (9, 10, "mean")
    assert result.reporting_text == "9 of 10"


def test_comparator_suppression_symbol_is_left_out_not_zero():
    """A suppression symbol in place of None is left out, never counted as zero."""
    with_symbol = [21.1, 19, 19.5, 18.3, 35.4, 28.5, 24.9, "x", 24.4, 29.5]
    result = neighbour_average(with_symbol)  # type: ignore[arg-type]
    assert result.value == pytest.approx(220.6 / 9)
    assert result.reporting_text == "9 of 10"


def test_comparator_nan_is_left_out():
    """NaN (as pandas gives for a missing cell) is treated as missing."""
    result = neighbour_average([10.0, math.nan, 20.0])
    assert result.value == pytest.approx(15.0)
    assert result.reporting_text == "2 of 3"


def test_comparator_median_option():
    """method="median" gives the middle neighbour value, ignoring missing ones."""
    result = neighbour_average(SOUTHEND_NEIGHBOURS_2020, method="median")
    assert result.value == pytest.approx(24.4)
    assert result.method == "median"
    assert result.reporting_text == "9 of 10"


def test_comparator_median_even_count_averages_middle_pair():
    """With an even number of values the median is the mean of the middle two."""
    assert neighbour_average([1.0, 2.0, 10.0, 4.0], method="median").value == pytest.approx(3.0)


def test_comparator_all_neighbours_suppressed_gives_none():
    """When no neighbour reports, the value is None and 0 of n contributed."""
    result = neighbour_average([None, math.nan, None])
    assert result == Comparator(None, 0, 3, "mean")
    assert result.reporting_text == "0 of 3"


def test_comparator_empty_group_gives_none():
    """An empty neighbour group gives no value and "0 of 0"."""
    assert neighbour_average([]).reporting_text == "0 of 0"
    assert neighbour_average([], method="median").value is None


def test_comparator_single_value():
    """One reporting neighbour is its own mean and median."""
    assert neighbour_average([None, 7.5]).value == 7.5
    assert neighbour_average([None, 7.5], method="median").value == 7.5
    assert neighbour_average([None, 7.5]).reporting_text == "1 of 2"


def test_comparator_pooled_rate():
    """Pooled = sum(numerators) / sum(denominators) x multiplier over reporting neighbours."""
    result = neighbour_average(
        [100.0, 66.7],
        method="pooled",
        numerators=[10, 20],
        denominators=[1000, 3000],
        multiplier=10_000,
    )
    assert result.value == pytest.approx(75.0)
    assert result.reporting_text == "2 of 2"
    assert result.method == "pooled"


def test_comparator_pooled_keeps_zero_numerator():
    """A neighbour with zero events and a real denominator is data, so it is pooled."""
    result = neighbour_average(
        [0.0, 10.0], method="pooled", numerators=[0, 10], denominators=[100, 100]
    )
    assert result.value == pytest.approx(0.05)
    assert result.n_reporting == 2


def test_comparator_pooled_skips_zero_and_missing_denominators():
    """Neighbours with a zero, missing or suppressed denominator are left out of the pool."""
    result = neighbour_average(
        [1, 2, 3, 4],
        method="pooled",
        numerators=[5, 5, None, 30],
        denominators=[0, None, 100, 200],
        multiplier=100,
    )
    assert result.value == pytest.approx(15.0)
    assert result.reporting_text == "1 of 4"


def test_comparator_pooled_with_no_usable_counts_gives_none():
    """Pooled without usable numerators and denominators gives None, not an error."""
    assert neighbour_average([1.0, 2.0], method="pooled").value is None
    result = neighbour_average([1.0, 2.0], method="pooled", numerators=[1, 2], denominators=[0, 0])
    assert result.value is None
    assert result.reporting_text == "0 of 2"


def test_comparator_pooled_length_mismatch_raises():
    """Numerators not aligned with the neighbours are a programming error."""
    with pytest.raises(ValueError, match="one entry per neighbour"):
        neighbour_average([1.0, 2.0], method="pooled", numerators=[1], denominators=[10, 10])


def test_comparator_unknown_method_raises():
    """An unknown averaging method is rejected rather than silently using the mean."""
    with pytest.raises(ValueError, match="unknown comparator method"):
        neighbour_average([1.0], method="mode")


@settings(database=None)
@given(
    st.lists(st.one_of(finite, st.none()), min_size=1, max_size=12).filter(
        lambda xs: any(x is not None for x in xs)
    )
)
def test_comparator_mean_and_median_lie_between_min_and_max(values):
    """Mean and median of the reporting neighbours lie between their minimum and maximum."""
    numeric = [v for v in values if v is not None]
    for method in ("mean", "median"):
        result = neighbour_average(values, method=method)
        assert result.value is not None
        assert min(numeric) - 1e-9 <= result.value <= max(numeric) + 1e-9
        assert result.n_reporting == len(numeric)
        assert result.n_total == len(values)
