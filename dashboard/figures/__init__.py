"""Plotly figures for the views, built from tidy frames with one shared template; no Dash here.

Every chart says what it is on its own (title, subtitle with area and period, source line), so
an exported image is complete, and draws the home area, the neighbour average and England the
same way everywhere (see :mod:`dashboard.figures.theme`).
"""

from dashboard.figures.breakdown import breakdown_figure
from dashboard.figures.comparison import comparison_bar
from dashboard.figures.funnel import funnel_figure, funnel_limits
from dashboard.figures.sparkline import sparkline_data_uri, sparkline_svg
from dashboard.figures.theme import COLOURS, RAG_COLOURS, TEMPLATE, empty_figure
from dashboard.figures.trend import trend_figure

__all__ = [
    "COLOURS",
    "RAG_COLOURS",
    "TEMPLATE",
    "breakdown_figure",
    "comparison_bar",
    "empty_figure",
    "funnel_figure",
    "funnel_limits",
    "sparkline_data_uri",
    "sparkline_svg",
    "trend_figure",
]
