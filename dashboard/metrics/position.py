"""Rank and quartile band among all English local authorities, as LAIT publishes them.

Rank 1 is best by polarity and ties share the lowest rank (``min``). Quartile bounds use
linear interpolation (Excel PERCENTILE.INC, R type 7), and band A is always the best quartile,
so for a "lower is better" indicator band A holds the smallest values.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.metrics._common import as_number
from dashboard.metrics.polarity import HIGH, LOW, check_polarity, is_directional

QuartileBounds = tuple[float, float, float]


@dataclass(frozen=True)
class Position:
    """Where the home area sits among all areas with a value for the period.

    Attributes:
        rank: 1 = best by polarity; None when the polarity has no better direction or the
            home area has no value.
        of: How many areas have a numeric value (the ranked population).
        band: Quartile band ``"A"`` (best) to ``"D"`` (worst), or None.
        q25: Lower quartile bound of all numeric values, or None when there are none.
        q50: Median of all numeric values, or None.
        q75: Upper quartile bound of all numeric values, or None.
    """

    rank: int | None
    of: int
    band: str | None
    q25: float | None
    q50: float | None
    q75: float | None

    @property
    def rank_text(self) -> str | None:
        """The rank as shown to users, e.g. ``"139 of 148"``, or None when there is no rank."""
        if self.rank is None:
            return None
        return f"{self.rank} of {self.of}"


def rank_values(values: Mapping[str, float | None], polarity: str) -> dict[str, int]:
    """Rank every area that has a numeric value, 1 = best by polarity.

    Args:
        values: Value per area code; missing or suppressed values are left out of the ranking.
        polarity: ``"high"`` ranks the largest value 1, ``"low"`` the smallest;
            ``"none"`` and ``"target_band"`` have no order, so nothing is ranked.

    Returns:
        Rank per area with a numeric value. Tied values share the lowest rank they cover
        (``min``), as LAIT does: values 5, 7, 7, 9 with ``"high"`` rank 4, 2, 2, 1.

    Raises:
        ValueError: For an unknown polarity.
    """
    if not is_directional(polarity):
        return {}
    numeric = {key: number for key, raw in values.items() if (number := as_number(raw)) is not None}
    ordered = sorted(numeric.values())
    total = len(ordered)
    ranks: dict[str, int] = {}
    for key, number in numeric.items():
        if polarity == LOW:
            # Rank = 1 + how many areas have a strictly smaller (better) value.
            ranks[key] = bisect.bisect_left(ordered, number) + 1
        else:
            # Rank = 1 + how many areas have a strictly larger (better) value.
            ranks[key] = total - bisect.bisect_right(ordered, number) + 1
    return ranks


def quartile_bounds(values: Sequence[float]) -> QuartileBounds:
    """Compute Q25, Q50 and Q75 by linear interpolation (PERCENTILE.INC, R type 7).

    Args:
        values: The numeric values of all areas for one period (at least one).

    Returns:
        ``(q25, q50, q75)``.

    Raises:
        ValueError: If ``values`` is empty.
    """
    if len(values) == 0:
        raise ValueError("quartile bounds need at least one value")
    q25, q50, q75 = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75], method="linear")
    return float(q25), float(q50), float(q75)


def quartile_band(value: float | None, bounds: QuartileBounds | None, polarity: str) -> str | None:
    """Give LAIT's quartile band for a value.

    The inequalities differ by polarity exactly as LAIT defines them: for ``"low"`` a value on a
    bound falls in the better band (A when ``value <= Q25``), for ``"high"`` in the worse one
    (A only when ``value > Q75``).

    Args:
        value: The area's value; None gives no band.
        bounds: ``(q25, q50, q75)`` from :func:`quartile_bounds`; None gives no band.
        polarity: ``"high"`` or ``"low"``; ``"none"`` and ``"target_band"`` give no band.

    Returns:
        ``"A"`` (best quartile) to ``"D"`` (worst), or None.
    """
    check_polarity(polarity)
    number = as_number(value)
    if number is None or bounds is None or not is_directional(polarity):
        return None
    q25, q50, q75 = bounds
    if polarity == HIGH:
        if number > q75:
            return "A"
        if number > q50:
            return "B"
        if number > q25:
            return "C"
        return "D"
    if number <= q25:
        return "A"
    if number <= q50:
        return "B"
    if number <= q75:
        return "C"
    return "D"


def position(
    home_key: str,
    values: Mapping[str, float | None],
    polarity: str,
    banded: bool = True,
) -> Position:
    """Rank and band the home area among all areas for one period.

    Args:
        home_key: The home area's code; it is part of the ranked population.
        values: Value per area for every English local authority (missing ones allowed).
        polarity: The indicator's polarity.
        banded: False for indicators the publisher marks as not for quartile comparison
            (LAIT's `No_Quartile`); rank and band are then None (the issue's rule: no rank or
            band for such indicators), while the quartile bounds are still given.

    Returns:
        The position. ``of`` counts the numeric values. Quartile bounds are given whenever any
        value exists (they describe the distribution, whatever the polarity); rank and band are
        None when the polarity has no better direction or the home value is missing.
    """
    check_polarity(polarity)
    numeric = [number for number in map(as_number, values.values()) if number is not None]
    if not numeric:
        return Position(None, 0, None, None, None, None)
    bounds = quartile_bounds(numeric)
    home_value = as_number(values.get(home_key))
    ranked = home_value is not None and banded
    rank = rank_values(values, polarity).get(home_key) if ranked else None
    band = quartile_band(home_value, bounds, polarity) if banded else None
    return Position(rank, len(numeric), band, *bounds)
