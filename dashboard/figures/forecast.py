"""A stored demand forecast drawn onto the trend chart, and its backtest in words.

METHODS.md ("Forecasting demand"): a dashed line from the last observed point, the 95% and
80% prediction intervals as two shaded bands, the method named beside the chart with the
rolling-origin backtest (MASE of the model against the seasonal-naive baseline); a forecast
that does not beat its baseline is not drawn at all, and the words say why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.figures.theme import COLOURS, sparse_ticks
from dashboard.forecast import StoredForecast

Formatter = Callable[[float | None], str]

FORECAST_COLOUR = COLOURS["home"]
BAND_95 = "rgba(27, 63, 139, 0.10)"
BAND_80 = "rgba(27, 63, 139, 0.22)"


def add_forecast(
    fig: go.Figure, forecast: StoredForecast, *, last_label: str, last_value: float, fmt: Formatter
) -> go.Figure:
    """Add a shown forecast to a trend figure whose x-axis is the periods' labels.

    Args:
        fig: The trend chart (a category x-axis whose ``categoryarray`` lists the periods).
        forecast: A stored forecast with ``shown`` true (one that is hidden is not drawn).
        last_label: The last observed period, where the dashed line starts.
        last_value: Its value.
        fmt: Formats a value with the indicator's unit, for hover text.

    Returns:
        The figure, with four traces added (95% band as two traces, 80% band as two) and the
        forecast line, and the forecast periods appended to the x-axis.
    """
    if not forecast.shown or not forecast.steps:
        return fig
    steps = forecast.steps
    xs = [s.label for s in steps]
    for level, lo, hi, colour in (
        ("95%", "lo95", "hi95", BAND_95),
        ("80%", "lo80", "hi80", BAND_80),
    ):
        fig.add_trace(
            go.Scatter(
                x=[last_label, *xs],
                y=[last_value, *(getattr(s, hi) for s in steps)],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=f"{level} prediction interval (upper)",
                legendgroup=f"pi{level}",
                meta={"forecast": f"hi{level[:2]}"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[last_label, *xs],
                y=[last_value, *(getattr(s, lo) for s in steps)],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=colour,
                name=f"{level} prediction interval",
                legendgroup=f"pi{level}",
                meta={"forecast": f"lo{level[:2]}"},
                customdata=[[fmt(last_value), fmt(last_value)]]
                + [[fmt(getattr(s, lo)), fmt(getattr(s, hi))] for s in steps],
                hovertemplate=f"{level} prediction interval: %{{customdata[0]}} to "
                "%{customdata[1]}<extra></extra>",
            )
        )
    method = forecast.method.split(" (")[0]
    fig.add_trace(
        go.Scatter(
            x=[last_label, *xs],
            y=[last_value, *(s.point for s in steps)],
            mode="lines+markers",
            name=f"Forecast ({method})",
            line={"color": FORECAST_COLOUR, "width": 2.5, "dash": "dash"},
            marker={"size": 7, "color": "white", "line": {"color": FORECAST_COLOUR, "width": 2}},
            meta={"forecast": "point"},
            customdata=[fmt(last_value), *(fmt(s.point) for s in steps)],
            hovertemplate="<b>Forecast</b>: %{customdata}<extra></extra>",
        )
    )
    axis = fig.layout.xaxis
    existing = list(axis.categoryarray) if axis.categoryarray is not None else []
    categories = existing + [x for x in xs if x not in existing]
    fig.update_xaxes(categoryarray=categories, **sparse_ticks(categories))
    return fig


@dataclass(frozen=True)
class ForecastWords:
    """What the panel beside the chart says about a forecast.

    Attributes:
        drawn: Whether the forecast is on the chart.
        headline: One sentence: drawn, or why not.
        method: The method's name, with the library's version.
        backtest: The backtest in words (MASE of the model and the baseline), or None.
    """

    drawn: bool
    headline: str
    method: str
    backtest: str | None


def forecast_words(
    forecast: StoredForecast, *, drawn: bool, fmt: Formatter, shown_to: str | None = None
) -> ForecastWords:
    """Words for the forecast beside the chart, honest about a forecast that is not drawn.

    Args:
        forecast: The stored forecast.
        drawn: Whether it was drawn (shown, and the chart ends at its last observed period).
        fmt: Formats a value with the indicator's unit.
        shown_to: The chart's last period, when the chart stops before the forecast starts.
    """
    origins = forecast.backtest_origins
    if forecast.mase_model is not None and forecast.mase_baseline is not None:
        backtest = (
            f"Backtest over {origins} forecast origin{'s' if origins != 1 else ''}: "
            f"mean absolute scaled error (MASE) {forecast.mase_model:.2f} for the model "
            f"against {forecast.mase_baseline:.2f} for a {forecast.baseline_method} "
            "forecast (lower is better)."
        )
    else:
        backtest = None
    last = forecast.last_step
    if not forecast.shown:
        why = (
            f"it does not beat a {forecast.baseline_method} forecast when tested on past data"
            if backtest
            else (forecast.reason or "it could not be tested")
        )
        why = why.removeprefix("hidden: ")
        headline = f"No forecast is drawn: {why}."
    elif not drawn:
        headline = (
            f"A forecast runs on from the latest period; it is drawn when the chart "
            f"runs to it (this chart stops at {shown_to})."
        )
    elif last is not None:
        headline = (
            f"Forecast to {last.label}: about {fmt(last.point)} (80% prediction "
            f"interval {fmt(last.lo80)} to {fmt(last.hi80)}; 95% {fmt(last.lo95)} to "
            f"{fmt(last.hi95)}). The dashed line and shaded bands show it."
        )
    else:
        headline = "No forecast is drawn."
    return ForecastWords(drawn, headline, forecast.method, backtest)
