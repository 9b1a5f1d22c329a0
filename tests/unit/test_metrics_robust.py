"""Unit tests for robust comparison words (dashboard.metrics.robust)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import RobustComparison, judgement_word, robust_comparison, robust_phrase

# Median 3 and MAD 1, so the score is simply value - 3.
OTHERS = [1.0, 2.0, 3.0, 4.0, 5.0]


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (3.0, "similar to"),
        (3.49, "similar to"),
        (2.51, "similar to"),
        (3.5, "slightly above"),
        (1.6, "slightly below"),
        (4.5, "above"),
        (0.5, "below"),
        (5.99, "above"),
        (6.0, "well above"),
        (-10.0, "well below"),
    ],
)
def test_robust_phrase_bands(value, phrase):
    """Bands: |score| < 0.5 similar, < 1.5 slightly, < 3 plain, otherwise well above/below."""
    score, words = robust_phrase(value, OTHERS, "high")
    assert score == pytest.approx(value - 3.0)
    assert words == phrase


def test_robust_phrase_leaves_out_missing_values():
    """Missing and suppressed comparison values are left out of median and MAD."""
    assert robust_phrase(5.0, [None, 1.0, 2.0, "c", 3.0, 4.0, 5.0], "low") == (2.0, "above")  # type: ignore[list-item]


def test_robust_phrase_mad_zero():
    """With no spread, an equal value is similar and a different one simply above or below."""
    assert robust_phrase(4.0, [4.0, 4.0, 4.0], "high") == (0.0, "similar to")
    assert robust_phrase(4.5, [4.0, 4.0, 4.0], "high") == (None, "above")
    assert robust_phrase(1.0, [4.0, 4.0, 4.0], "high") == (None, "below")


def test_robust_phrase_nothing_to_compare():
    """No numeric comparison values, or no home value, gives (None, None)."""
    assert robust_phrase(3.0, [], "high") == (None, None)
    assert robust_phrase(3.0, [None, None], "high") == (None, None)
    assert robust_phrase(None, OTHERS, "high") == (None, None)


def test_robust_comparison_judgement_by_polarity():
    """Above is better for high, worse for low, neither for none; similar has no judgement."""
    assert robust_comparison(6.0, OTHERS, "high") == RobustComparison(3.0, "well above", "better")
    assert robust_comparison(6.0, OTHERS, "low").judgement == "worse"
    assert robust_comparison(6.0, OTHERS, "none").judgement is None
    assert robust_comparison(3.2, OTHERS, "high").judgement is None
    assert robust_comparison(4.5, [4.0, 4.0], "low").judgement == "worse"


@pytest.mark.parametrize(
    ("word", "polarity", "expected"),
    [
        ("above", "high", "better"),
        ("well above", "low", "worse"),
        ("slightly below", "low", "better"),
        ("below", "high", "worse"),
        ("higher", "high", "better"),
        ("lower", "high", "worse"),
        ("up", "low", "worse"),
        ("decreasing", "low", "better"),
        ("above", "none", None),
        ("below", "target_band", None),
        ("similar to", "high", None),
        ("same", "low", None),
    ],
)
def test_judgement_word(word, polarity, expected):
    """Better/worse follows polarity; no change or no direction gives None."""
    assert judgement_word(word, polarity) == expected


def test_judgement_word_unknown_word_raises():
    """An unrecognised direction word is a programming error."""
    with pytest.raises(ValueError):
        judgement_word("sideways", "high")


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(database=None)
@given(finite, st.lists(finite, min_size=1, max_size=20))
def test_robust_phrase_side_matches_sign_of_score(value, others):
    """The phrase says above for a positive score and below for a negative one."""
    score, phrase = robust_phrase(value, others, "high")
    assert phrase is not None
    if score is None:
        assert phrase in ("above", "below")
    elif abs(score) < 0.5:
        assert phrase == "similar to"
    elif score > 0:
        assert phrase.endswith("above")
    else:
        assert phrase.endswith("below")
