"""Unit tests for polarity handling (dashboard.metrics.polarity)."""

import pytest

from dashboard.metrics import POLARITIES, check_polarity, is_directional, normalise_polarity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("High", "high"),
        (" low ", "low"),
        ("-", "none"),
        (None, "none"),
        ("", "none"),
        ("target band", "target_band"),
    ],
)
def test_polarity_normalise_lait_spellings(raw, expected):
    """LAIT's High/Low/- and blanks map onto the allowed polarity values."""
    assert normalise_polarity(raw) == expected
    assert expected in POLARITIES


def test_polarity_normalise_unknown_raises():
    """Unrecognised published polarity text is rejected."""
    with pytest.raises(ValueError, match="unknown polarity"):
        normalise_polarity("up")


def test_polarity_directional_only_high_and_low():
    """Only high and low have a better direction; target_band is treated like none."""
    assert [is_directional(p) for p in ("high", "low", "none", "target_band")] == [
        True,
        True,
        False,
        False,
    ]
    assert check_polarity("low") == "low"
    with pytest.raises(ValueError):
        is_directional("better")
