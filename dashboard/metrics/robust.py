"""Robust comparison words for the narrative: "slightly above", "well below" and so on.

The score is (value - median) / MAD over the comparison set the sentence names, with the home
area left out by the caller. Median and MAD (the unscaled median absolute deviation, as
METHODS.md defines it) are used instead of mean and standard deviation so that one outlying
authority cannot make every other area look "similar".
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.metrics._common import as_number
from dashboard.metrics.polarity import HIGH, LOW, check_polarity

SIMILAR_TO = "similar to"

SIMILAR_LIMIT = 0.5
SLIGHTLY_LIMIT = 1.5
WELL_LIMIT = 3.0

_UP_WORDS = frozenset({"above", "higher", "up", "increasing"})
_DOWN_WORDS = frozenset({"below", "lower", "down", "decreasing"})
_NEUTRAL_WORDS = frozenset({"similar", "to", "same", "similar to"})


@dataclass(frozen=True)
class RobustComparison:
    """How a value compares with a distribution, in words.

    Attributes:
        score: ``(value - median) / MAD``; 0.0 when the value equals the median, None when it
            is undefined (MAD of zero with a different value, or no data).
        phrase: ``"similar to"``, ``"slightly above"``, ``"above"``, ``"well above"`` or the
            ``below`` equivalents; None when there is nothing to compare with.
        judgement: ``"better"`` or ``"worse"`` when the polarity allows and the value is not
            similar; otherwise None.
    """

    score: float | None
    phrase: str | None
    judgement: str | None


def robust_comparison(
    value: float | None, others: Sequence[float | None], polarity: str
) -> RobustComparison:
    """Compare a value with a comparison set using a median/MAD score.

    Bands: |score| < 0.5 "similar to", < 1.5 "slightly above/below", < 3 "above/below",
    otherwise "well above/below". When every other value is the same (MAD = 0) a different
    value is simply "above" or "below": there is no spread to say by how much.

    Args:
        value: The home area's value; None means nothing to say.
        others: The comparison set without the home area; missing values are left out.
        polarity: The indicator's polarity, for the better/worse judgement.

    Returns:
        The comparison; all fields None when the value or every other value is missing.
    """
    check_polarity(polarity)
    home = as_number(value)
    numeric = [number for number in map(as_number, others) if number is not None]
    if home is None or not numeric:
        return RobustComparison(None, None, None)
    median = float(statistics.median(numeric))
    mad = float(statistics.median(abs(number - median) for number in numeric))
    difference = home - median
    if difference == 0:
        return RobustComparison(0.0, SIMILAR_TO, None)
    side = "above" if difference > 0 else "below"
    if mad == 0:
        return RobustComparison(None, side, judgement_word(side, polarity))
    score = difference / mad
    phrase = _phrase(score, side)
    judgement = None if phrase == SIMILAR_TO else judgement_word(side, polarity)
    return RobustComparison(score, phrase, judgement)


def _phrase(score: float, side: str) -> str:
    size = abs(score)
    if size < SIMILAR_LIMIT:
        return SIMILAR_TO
    if size < SLIGHTLY_LIMIT:
        return f"slightly {side}"
    if size < WELL_LIMIT:
        return side
    return f"well {side}"


def robust_phrase(
    value: float | None, others: Sequence[float | None], polarity: str
) -> tuple[float | None, str | None]:
    """Return the robust score and its phrase (see :func:`robust_comparison`).

    Args:
        value: The home area's value.
        others: The comparison set without the home area.
        polarity: The indicator's polarity (validated; the phrase itself is neutral, so use
            :func:`judgement_word` or :func:`robust_comparison` for better/worse).

    Returns:
        ``(score, phrase)``; ``(None, None)`` when there is nothing to compare with.
    """
    comparison = robust_comparison(value, others, polarity)
    return comparison.score, comparison.phrase


def judgement_word(direction_word: str, polarity: str) -> str | None:
    """Say whether a direction is better or worse for this polarity.

    Args:
        direction_word: A direction or a phrase ending in one: ``"above"``, ``"well below"``,
            ``"higher"``, ``"lower"``, ``"up"``, ``"down"``, ``"increasing"``,
            ``"decreasing"``; ``"similar to"`` and ``"same"`` have no judgement.
        polarity: The indicator's polarity.

    Returns:
        ``"better"`` or ``"worse"``, or None for no change or a polarity with no better
        direction (never better or worse for a context measure).

    Raises:
        ValueError: If the direction word is not recognised.
    """
    check_polarity(polarity)
    word = direction_word.strip().lower()
    last = word.split()[-1] if word else ""
    if word in _NEUTRAL_WORDS or last in _NEUTRAL_WORDS:
        return None
    if last in _UP_WORDS:
        up = True
    elif last in _DOWN_WORDS:
        up = False
    else:
        raise ValueError(f"unknown direction word {direction_word!r}")
    if polarity not in (HIGH, LOW):
        return None
    return "better" if up == (polarity == HIGH) else "worse"
