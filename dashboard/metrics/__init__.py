"""Statistical methods of the dashboard, as METHODS.md specifies them.

Plain, typed functions with no Dash and no database: neighbour comparators, rank and quartile
band, confidence intervals, significance against a benchmark, direction of travel and the trend
test, RAG with its reason, and robust comparison words for the narrative.
"""

from dashboard.metrics.comparators import Comparator, neighbour_average
from dashboard.metrics.intervals import (
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
from dashboard.metrics.polarity import (
    POLARITIES,
    check_polarity,
    is_directional,
    normalise_polarity,
)
from dashboard.metrics.position import (
    Position,
    position,
    quartile_band,
    quartile_bounds,
    rank_values,
)
from dashboard.metrics.rag import (
    Rag,
    choose_rag,
    rag_by_band,
    rag_by_significance,
    rag_by_target,
)
from dashboard.metrics.robust import (
    RobustComparison,
    judgement_word,
    robust_comparison,
    robust_phrase,
)
from dashboard.metrics.significance import (
    Significance,
    compare_to_benchmark,
    compare_two_levels,
)
from dashboard.metrics.trend import Direction, TrendResult, direction, trend_test

__all__ = [
    "POLARITIES",
    "Z95",
    "Z998",
    "Comparator",
    "Direction",
    "Interval",
    "Position",
    "Rag",
    "RobustComparison",
    "Significance",
    "TrendResult",
    "byar",
    "check_polarity",
    "choose_rag",
    "compare_to_benchmark",
    "compare_two_levels",
    "count_limits",
    "direction",
    "exact_poisson",
    "is_directional",
    "judgement_word",
    "neighbour_average",
    "normalise_polarity",
    "position",
    "proportion_interval",
    "quartile_band",
    "quartile_bounds",
    "rag_by_band",
    "rag_by_significance",
    "rag_by_target",
    "rank_values",
    "rate_interval",
    "robust_comparison",
    "robust_phrase",
    "trend_test",
    "wilson",
]
