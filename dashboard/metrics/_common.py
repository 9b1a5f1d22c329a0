"""Small helpers shared by the metrics modules: telling a usable number from a missing one.

Published tables carry suppression symbols (``c``, ``x``, ``[c]`` ...), None and NaN where a value
is missing. The metrics must leave those out rather than treat them as zero, so every module asks
the same question the same way.
"""

from __future__ import annotations

import math
from numbers import Real


def as_number(value: object) -> float | None:
    """Return ``value`` as a finite float, or None when it is not a usable number.

    Only real numbers count (int, float, numpy scalars). Strings, including suppression
    symbols and numeric-looking text, are missing: parsing belongs to the importers, and
    accepting text here could turn a symbol into a number by accident. Booleans are rejected
    because ``True`` is an int in Python but never a measurement.

    Args:
        value: Anything.

    Returns:
        The value as a float, or None for None, NaN, infinities, booleans and non-numbers.
    """
    if type(value) is float:  # the common case, without the slow ABC check below (profiled:
        return value if math.isfinite(value) else None  # a quarter of a scorecard's time)
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_percent(fraction: float) -> str:
    """Format a fraction as a short percentage, e.g. 0.998 -> ``"99.8%"``, 0.05 -> ``"5%"``."""
    return f"{round(fraction * 100, 6):g}%"
