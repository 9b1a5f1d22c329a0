"""Unit tests for rank and quartile band (dashboard.metrics.position)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import Position, position, quartile_band, quartile_bounds, rank_values

BOUNDS = (10.0, 20.0, 30.0)


def test_rank_high_polarity_largest_is_first():
    """With polarity high the largest value ranks 1."""
    assert rank_values({"a": 1.0, "b": 3.0, "c": 2.0}, "high") == {"b": 1, "c": 2, "a": 3}


def test_rank_low_polarity_smallest_is_first():
    """With polarity low the smallest value ranks 1."""
    assert rank_values({"a": 1.0, "b": 3.0, "c": 2.0}, "low") == {"a": 1, "c": 2, "b": 3}


def test_rank_ties_take_min_rank():
    """Tied values share the lowest rank they cover, and the next rank is skipped."""
    values = {"a": 5.0, "b": 7.0, "c": 7.0, "d": 9.0}
    assert rank_values(values, "high") == {"d": 1, "b": 2, "c": 2, "a": 4}
    assert rank_values(values, "low") == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_rank_leaves_out_missing_and_suppressed():
    """Areas without a numeric value are not ranked and do not count."""
    values = {"a": 1.0, "b": None, "c": float("nan"), "d": "c", "e": 2.0}
    assert rank_values(values, "low") == {"a": 1, "e": 2}  # type: ignore[arg-type]


@pytest.mark.parametrize("polarity", ["none", "target_band"])
def test_rank_polarity_without_direction_ranks_nothing(polarity):
    """Context measures and target bands have no rank."""
    assert rank_values({"a": 1.0, "b": 2.0}, polarity) == {}


def test_rank_unknown_polarity_raises():
    """A misspelt polarity is an error, not an unranked indicator."""
    with pytest.raises(ValueError, match="unknown polarity"):
        rank_values({"a": 1.0}, "High")


def test_quartile_bounds_match_percentile_inc():
    """Bounds use linear interpolation like Excel PERCENTILE.INC (1..4 -> 1.75, 2.5, 3.25)."""
    assert quartile_bounds([4.0, 1.0, 3.0, 2.0]) == pytest.approx((1.75, 2.5, 3.25))
    assert quartile_bounds([5.0]) == (5.0, 5.0, 5.0)


def test_quartile_bounds_empty_raises():
    """Quartiles of nothing are undefined."""
    with pytest.raises(ValueError):
        quartile_bounds([])


@pytest.mark.parametrize(
    ("value", "band"),
    [(5.0, "A"), (10.0, "A"), (15.0, "B"), (20.0, "B"), (25.0, "C"), (30.0, "C"), (30.1, "D")],
)
def test_band_low_polarity_bounds_are_inclusive(value, band):
    """For low, a value on a bound falls in the better band (A when value <= Q25)."""
    assert quartile_band(value, BOUNDS, "low") == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(35.0, "A"), (30.0, "B"), (25.0, "B"), (20.0, "C"), (15.0, "C"), (10.0, "D"), (5.0, "D")],
)
def test_band_high_polarity_bounds_are_exclusive(value, band):
    """For high, a value must exceed a bound to reach the better band (A when value > Q75)."""
    assert quartile_band(value, BOUNDS, "high") == band


@pytest.mark.parametrize(
    ("value", "polarity"), [(5.0, "none"), (5.0, "target_band"), (None, "low")]
)
def test_band_none_without_direction_or_value(value, polarity):
    """No band for context measures, target bands or a missing value."""
    assert quartile_band(value, BOUNDS, polarity) is None


def test_position_synthetic_southend_rank_139_of_148_band_d():
    """A low-polarity value with 138 better areas and 9 worse ranks 139 of 148, band D."""
    values: dict[str, float | None] = {f"better{i}": 10.0 + i * 0.1 for i in range(138)}
    values.update({f"worse{i}": 31.0 + i for i in range(9)})
    values["E06000033"] = 30.2
    values["suppressed"] = None
    result = position("E06000033", values, "low")
    assert result.rank == 139
    assert result.of == 148
    assert result.rank_text == "139 of 148"
    assert result.band == "D"


def test_position_high_polarity_rank_and_band():
    """The largest of five values ranks 1 and is in band A with polarity high."""
    values = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0, "home": 5.0}
    result = position("home", values, "high")
    assert result == Position(1, 5, "A", 2.0, 3.0, 4.0)
    assert result.rank_text == "1 of 5"


def test_position_home_missing_has_no_rank_or_band():
    """A suppressed home value gives no rank or band; the others are still counted."""
    result = position("home", {"a": 1.0, "b": 2.0, "home": None}, "low")
    assert (result.rank, result.band, result.rank_text, result.of) == (None, None, None, 2)
    assert result.q50 == pytest.approx(1.5)


def test_position_home_absent_has_no_rank():
    """A home code with no entry at all is treated as missing."""
    result = position("home", {"a": 1.0, "b": 2.0}, "high")
    assert result.rank is None
    assert result.band is None


def test_position_polarity_none_keeps_quartiles_only():
    """A context measure has no rank or band but still reports the distribution."""
    result = position("a", {"a": 1.0, "b": 2.0, "c": 3.0}, "none")
    assert result == Position(None, 3, None, 1.5, 2.0, 2.5)


def test_position_not_banded_has_no_rank_or_band():
    """banded=False (LAIT No_Quartile) gives neither rank nor band."""
    result = position("a", {"a": 1.0, "b": 2.0, "c": 3.0}, "low", banded=False)
    assert (result.rank, result.band) == (None, None)


def test_position_no_values_at_all():
    """With no numeric values there is nothing to rank against."""
    assert position("a", {"a": None, "b": None}, "low") == Position(None, 0, None, None, None, None)


distinct_values = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=40, unique=True
)


@settings(database=None)
@given(distinct_values)
def test_rank_reversing_polarity_reverses_order(values):
    """For distinct values, rank by high equals n + 1 - rank by low."""
    keyed = {f"k{i}": v for i, v in enumerate(values)}
    high = rank_values(keyed, "high")
    low = rank_values(keyed, "low")
    n = len(values)
    assert sorted(high.values()) == list(range(1, n + 1))
    assert all(high[key] == n + 1 - low[key] for key in keyed)


# Integer values scaled by powers of two stay exact in binary floating point, and so do the
# interpolated quartile bounds; other factors (3, say) can move a value that sits exactly on a
# bound by one rounding step, which tests floating point rather than the band logic.
scales = st.sampled_from([2.0**k for k in range(-8, 9)])


@settings(database=None)
@given(st.lists(st.integers(-1000, 1000).map(float), min_size=1, max_size=40), scales)
def test_band_unchanged_by_positive_scaling(values, scale):
    """Scaling every value by a positive constant never changes any area's band or rank."""
    original = {f"k{i}": v for i, v in enumerate(values)}
    scaled = {key: v * scale for key, v in original.items()}
    for polarity in ("high", "low"):
        for key in original:
            before = position(key, original, polarity)
            after = position(key, scaled, polarity)
            assert after.band == before.band
            assert after.rank == before.rank
