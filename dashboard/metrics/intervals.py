"""Confidence intervals for proportions, counts and rates, as Fingertips computes them.

Wilson score limits for proportions; Byar's approximation for counts of 10 or more and exact
Poisson limits below that (Byar is poor for small counts). The ``*_interval`` functions take
data as it comes from the store and return None rather than raise when it is missing, because
a missing denominator is ordinary in published data, not a bug.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import chi2, norm

from dashboard.metrics._common import as_number

Z95 = 1.959964
Z998 = 3.090232

# The published z values are rounded, so map the usual levels onto them exactly instead of
# recomputing them (the worked examples in METHODS.md use these constants).
_Z_BY_LEVEL = {0.95: Z95, 0.998: Z998}

BYAR_MIN_COUNT = 10

WILSON = "Wilson score"
BYAR = "Byar"
EXACT_POISSON = "exact Poisson"


@dataclass(frozen=True)
class Interval:
    """A confidence interval on the indicator's own scale (e.g. percent, rate per 10,000).

    Attributes:
        lower: Lower limit.
        upper: Upper limit.
        level: Confidence level, e.g. 0.95.
        method: How it was computed: ``"Wilson score"``, ``"Byar"`` or ``"exact Poisson"``.
    """

    lower: float
    upper: float
    level: float
    method: str

    def contains(self, value: float) -> bool:
        """Say whether ``value`` lies within the limits (inclusive)."""
        return self.lower <= value <= self.upper


def z_for_level(level: float) -> float:
    """Return the two-sided standard normal quantile for a confidence level.

    Args:
        level: Confidence level strictly between 0 and 1.

    Returns:
        1.959964 for 0.95 and 3.090232 for 0.998 (the published constants), otherwise the
        exact quantile.

    Raises:
        ValueError: If the level is not strictly between 0 and 1.
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")
    for known, z in _Z_BY_LEVEL.items():
        if math.isclose(level, known):
            return z
    return float(norm.ppf(0.5 + level / 2))


def level_for_z(z: float) -> float:
    """Return the two-sided confidence level for a z value (inverse of :func:`z_for_level`).

    Args:
        z: A positive standard normal quantile.

    Returns:
        0.95 for :data:`Z95`, 0.998 for :data:`Z998`, otherwise ``2 * Phi(z) - 1``.

    Raises:
        ValueError: If ``z`` is not positive.
    """
    if not z > 0:
        raise ValueError(f"z must be positive, got {z!r}")
    for known, known_z in _Z_BY_LEVEL.items():
        if math.isclose(z, known_z):
            return known
    return float(2 * norm.cdf(z) - 1)


def wilson(x: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score limits for a proportion of ``x`` events out of ``n``.

    ``L, U = (2x + z^2 -/+ z*sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))``. Unlike the normal
    approximation it stays inside [0, 1] and behaves for proportions near 0 or 1.

    Args:
        x: Number of events, 0 <= x <= n.
        n: Number of trials (the denominator), > 0.
        z: Standard normal quantile, :data:`Z95` by default.

    Returns:
        ``(lower, upper)`` as proportions in [0, 1]. The limit is exactly 0 when x = 0 and
        exactly 1 when x = n, where the formula reaches them only up to rounding.

    Raises:
        ValueError: If ``n <= 0`` or ``x`` is outside [0, n].
    """
    if not n > 0:
        raise ValueError(f"Wilson interval needs n > 0, got {n!r}")
    if not 0 <= x <= n:
        raise ValueError(f"Wilson interval needs 0 <= x <= n, got x={x!r}, n={n!r}")
    z2 = z * z
    centre = 2 * x + z2
    spread = z * math.sqrt(z2 + 4 * x * (1 - x / n))
    denominator = 2 * (n + z2)
    lower = 0.0 if x == 0 else max(0.0, (centre - spread) / denominator)
    upper = 1.0 if x == n else min(1.0, (centre + spread) / denominator)
    return lower, upper


def byar(x: float, z: float = Z95) -> tuple[float, float]:
    """Byar's approximate limits for a Poisson count.

    ``lower = x(1 - 1/(9x) - z/(3 sqrt(x)))^3``,
    ``upper = (x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3``. Intended for x >= 10; use
    :func:`count_limits` to choose the method.

    Args:
        x: Observed count, >= 0.
        z: Standard normal quantile.

    Returns:
        ``(lower, upper)`` limits for the count (lower is 0 when x = 0).

    Raises:
        ValueError: If ``x`` is negative.
    """
    if x < 0:
        raise ValueError(f"count must be >= 0, got {x!r}")
    lower = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    x1 = x + 1
    upper = x1 * (1 - 1 / (9 * x1) + z / (3 * math.sqrt(x1))) ** 3
    return max(0.0, lower), upper


def exact_poisson(x: float, level: float = 0.95) -> tuple[float, float]:
    """Exact Poisson limits for a count, from the chi-squared distribution.

    ``lower = chi2.ppf(alpha/2, 2x) / 2`` (0 when x = 0),
    ``upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2`` with ``alpha = 1 - level``.

    Args:
        x: Observed count, >= 0.
        level: Confidence level, e.g. 0.95.

    Returns:
        ``(lower, upper)`` limits for the count.

    Raises:
        ValueError: If ``x`` is negative or the level is not between 0 and 1.
    """
    if x < 0:
        raise ValueError(f"count must be >= 0, got {x!r}")
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")
    alpha = 1 - level
    lower = 0.0 if x == 0 else float(chi2.ppf(alpha / 2, 2 * x)) / 2
    upper = float(chi2.ppf(1 - alpha / 2, 2 * x + 2)) / 2
    return lower, upper


def count_limits(x: float, z: float = Z95) -> tuple[float, float]:
    """Limits for a count: Byar for x >= 10, exact Poisson below (as Fingertips does).

    Args:
        x: Observed count, >= 0.
        z: Standard normal quantile; the exact method uses the matching level
            (0.95 for :data:`Z95`, 0.998 for :data:`Z998`).

    Returns:
        ``(lower, upper)`` limits for the count.

    Raises:
        ValueError: If ``x`` is negative.
    """
    if x >= BYAR_MIN_COUNT:
        return byar(x, z)
    return exact_poisson(x, level_for_z(z))


def proportion_interval(
    x: float | None, n: float | None, multiplier: float = 100, level: float = 0.95
) -> Interval | None:
    """Wilson interval for a proportion, on the indicator's scale (percent by default).

    Args:
        x: Number of events (numerator); None or a suppression marker means missing.
        n: Denominator.
        multiplier: Scale of the published value: 100 for a percentage, 1 for a proportion.
        level: Confidence level.

    Returns:
        The interval, or None when a count is missing, ``n <= 0`` or ``x`` is outside [0, n].
    """
    events, trials = as_number(x), as_number(n)
    if events is None or trials is None or trials <= 0 or not 0 <= events <= trials:
        return None
    lower, upper = wilson(events, trials, z_for_level(level))
    return Interval(lower * multiplier, upper * multiplier, level, WILSON)


def rate_interval(
    x: float | None, denominator: float | None, multiplier: float, level: float = 0.95
) -> Interval | None:
    """Interval for a rate: count limits (Byar or exact Poisson) / denominator * multiplier.

    Args:
        x: Number of events; None or a suppression marker means missing.
        denominator: Population at risk (e.g. children aged 0 to 17).
        multiplier: Rate scale, e.g. 10,000 for "per 10,000 children".
        level: Confidence level.

    Returns:
        The interval, or None when a count is missing, the denominator is not positive or the
        count is negative.
    """
    events, population = as_number(x), as_number(denominator)
    if events is None or population is None or population <= 0 or events < 0:
        return None
    lower, upper = count_limits(events, z_for_level(level))
    method = BYAR if events >= BYAR_MIN_COUNT else EXACT_POISSON
    scale = multiplier / population
    return Interval(lower * scale, upper * scale, level, method)
