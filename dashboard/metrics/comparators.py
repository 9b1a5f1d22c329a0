"""Statistical-neighbour comparator: the average of the home area's neighbours.

LAIT's documented convention is the mean of the neighbours that have a numeric value, with
suppressed or missing values left out and the number that contributed always reported
("9 of 10"). The median (used by the DfE's children's social care outcomes dashboard) and the
pooled rate (sum of numerators over sum of denominators) are options. The caller passes only the
neighbours: the home area is never part of its own neighbour average.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.metrics._common import as_number

MEAN = "mean"
MEDIAN = "median"
POOLED = "pooled"
COMPARATOR_METHODS: frozenset[str] = frozenset({MEAN, MEDIAN, POOLED})


@dataclass(frozen=True)
class Comparator:
    """A neighbour average and how many neighbours it rests on.

    Attributes:
        value: The average, or None when no neighbour reported a usable value.
        n_reporting: How many neighbours contributed.
        n_total: How many neighbours the group has.
        method: ``"mean"``, ``"median"`` or ``"pooled"``.
    """

    value: float | None
    n_reporting: int
    n_total: int
    method: str

    @property
    def reporting_text(self) -> str:
        """How many neighbours contributed, as shown to users, e.g. ``"9 of 10"``."""
        return f"{self.n_reporting} of {self.n_total}"


def neighbour_average(
    values: Sequence[float | None],
    method: str = MEAN,
    numerators: Sequence[float | None] | None = None,
    denominators: Sequence[float | None] | None = None,
    multiplier: float = 1.0,
) -> Comparator:
    """Average the neighbours' values for one period.

    Args:
        values: One entry per neighbour (home area excluded); None, NaN or a suppression symbol
            marks a missing value, which is left out rather than counted as zero.
        method: ``"mean"`` (LAIT's default), ``"median"``, or ``"pooled"``.
        numerators: For ``"pooled"``: each neighbour's count of events, aligned with ``values``.
        denominators: For ``"pooled"``: each neighbour's population or total, aligned with
            ``values``.
        multiplier: For ``"pooled"``: the scale of the rate (100 for a percentage, 10,000 for a
            rate per 10,000).

    Returns:
        The comparator. ``n_total`` is ``len(values)``. For ``"pooled"``, a neighbour
        contributes when its numerator is a number >= 0 and its denominator a number > 0; a
        zero count is real data (no events), so it is kept. ``value`` is None when nothing
        contributes, including when no numerators or denominators were given.

    Raises:
        ValueError: For an unknown method, or numerators/denominators whose length differs
            from ``values`` (a programming error, not missing data).
    """
    if method not in COMPARATOR_METHODS:
        raise ValueError(f"unknown comparator method {method!r}")
    n_total = len(values)

    if method == POOLED:
        return _pooled(n_total, numerators, denominators, multiplier)

    numeric = [number for number in map(as_number, values) if number is not None]
    if not numeric:
        return Comparator(None, 0, n_total, method)
    if method == MEDIAN:
        average = float(statistics.median(numeric))
    else:
        # fsum keeps the mean exactly rounded, whatever the neighbours' order.
        average = math.fsum(numeric) / len(numeric)
    return Comparator(average, len(numeric), n_total, method)


def _pooled(
    n_total: int,
    numerators: Sequence[float | None] | None,
    denominators: Sequence[float | None] | None,
    multiplier: float,
) -> Comparator:
    if numerators is None or denominators is None:
        return Comparator(None, 0, n_total, POOLED)
    if len(numerators) != n_total or len(denominators) != n_total:
        raise ValueError("numerators and denominators must have one entry per neighbour")
    events = 0.0
    population = 0.0
    n_reporting = 0
    for raw_num, raw_den in zip(numerators, denominators, strict=True):
        num, den = as_number(raw_num), as_number(raw_den)
        if num is None or den is None or num < 0 or den <= 0:
            continue
        events += num
        population += den
        n_reporting += 1
    if n_reporting == 0:
        return Comparator(None, 0, n_total, POOLED)
    return Comparator(events / population * multiplier, n_reporting, n_total, POOLED)
