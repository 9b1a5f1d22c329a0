"""The indicator view's signal-or-noise parts: chart toggle, SPC chart, forecast.

The toggle between the trend with comparators and the SPC chart (``chart=spc`` in the
address); the SPC chart with its table twin and its summary (variation, assurance, limits,
baselines); the stored demand forecast on the trend chart with its backtest in words. Not a
page: the indicator page imports it and only places these parts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.components import (
    LIMIT_WARNINGS,
    assurance_badge,
    frame_table,
    synthetic_badge,
    variation_badge,
)
from dashboard.figures.forecast import add_forecast, forecast_words
from dashboard.figures.spc import spc_figure, spc_table
from dashboard.formatting import unit_words
from dashboard.metrics.spc import NO_LIMITS, RULE_WORDS, SpcResult
from dashboard.signals import BaselineRecord
from dashboard.signals_view import (
    cached_baselines,
    cached_forecast,
    forecast_drawable,
    indicator_spc,
    is_forecast_measure,
)
from dashboard.views_data import (
    IndicatorData,
    cached_choices,
    cached_indicator,
    in_range,
    summary_for,
)
from dashboard.viewstate import ViewState

SPC = "spc"
TREND = "trend"
CHART_OPTIONS = [{"label": "Trend with comparators", "value": TREND},
                 {"label": "SPC: signal or noise", "value": SPC}]
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2}}
SPC_TEXT = ("The home area's figures over time joined by a grey line, with their mean (solid), "
            "the process limits (dashed) and the near-limit lines (dotted); points showing "
            "special-cause variation are marked by a shape for the rule and a colour for what "
            "it means. The same figures are in the table 'the numbers behind the SPC chart'.")
NO_TARGET = {"none": "This indicator has no better direction, so there is no assurance.",
             "target_band": "Assurance is not judged against a target range."}


def chart_toggle(state: ViewState) -> html.Fieldset:
    """A segmented control (radio buttons underneath) choosing the trend or the SPC chart."""
    return html.Fieldset([
        html.Legend("Chart", className="chart-toggle-legend"),
        dbc.RadioItems(id=ids.IND_CHART, options=CHART_OPTIONS, value=state.chart or TREND,
                       className="btn-group chart-toggle", inputClassName="btn-check",
                       labelClassName="btn btn-outline-primary btn-sm",
                       labelCheckedClassName="active"),
    ], className="chart-toggle-field no-print")


class SignalParts(NamedTuple):
    """What the chart choice changes: which box shows, the SPC box and the panel beside."""

    trend_hidden: bool
    spc_hidden: bool
    spc_box: Any
    panel: Any

    @property
    def panel_class(self) -> str:
        """The panel's box class: first in its column beside the SPC chart."""
        return "signal-box" + ("" if self.spc_hidden else " order-first")


def _name(data: IndicatorData) -> str:
    return str(data.meta.get("short_name") or data.meta["name"])


def _source(data: IndicatorData) -> str:
    source = str(data.meta.get("source") or "not recorded")
    licence = data.meta.get("licence")
    return source + (f" ({licence})" if licence else "")


def normalised(state: ViewState) -> tuple[ViewState, IndicatorData | None]:
    """The state as the page shows it (the domain's first indicator when none fits)."""
    if state.indicator and cached_choices().indicators.get(state.indicator) != state.domain:
        state = state.with_(indicator=None)
    data = cached_indicator(state)
    if data is None:
        return state, None
    codes = {n.area.code for n in data.group.neighbours} if data.group else set()
    return state.with_(indicator=data.meta["code"],
                       neighbours=tuple(c for c in state.neighbours if c in codes)), data


def parts_for(state: ViewState) -> SignalParts:
    """The chart choice's parts for a state as the controls give it."""
    state, data = normalised(state)
    if data is None:
        return parts(state, None, None)
    summary = summary_for(state, data.meta["code"], state.to)
    return parts(state, data, summary.target if summary is not None else None)


def parts(state: ViewState, data: IndicatorData | None, target: float | None) -> SignalParts:
    """The SPC box and the panel beside the chart, for the state's chart choice.

    The SPC chart is only drawn when chosen; the trend chart's panel says what the stored
    forecast is, for demand measures.
    """
    if data is None:
        return SignalParts(False, True, None, None)
    if state.chart == SPC:
        recorded = cached_baselines(data.meta["code"], data.area.code)
        result = indicator_spc(data, recorded, state.to, target)
        return SignalParts(True, False, spc_box(data, result),
                           spc_panel(data, result, recorded))
    return SignalParts(False, True, None, forecast_panel(data, state))


# -- SPC -------------------------------------------------------------------------------------


def spc_box(data: IndicatorData, result: SpcResult | None) -> list[Any]:
    """The SPC chart and its table twin (or why there is none)."""
    if result is None or not result.points:
        return [html.Div([
            html.H2("SPC chart", className="h6 panel-title"),
            html.P(f"There is no series of regular periods for {data.area.name} to chart.",
                   className="text-muted mb-0")], className="side-panel")]
    first, last = result.points[0].label, result.points[-1].label
    sub = f"{data.area.name}, {first} to {last}: XmR chart of {len(result.points)} points"
    fig = spc_figure(result, fmt=data.fmt, title=f"{_name(data)}: signal or noise", subtitle=sub,
                     source=_source(data), series_name=data.area.name,
                     y_title=unit_words(data.meta["unit"], data.meta["unit_label"]))
    label, desc = ids.chart_part(ids.IND_SPC, "label"), ids.chart_part(ids.IND_SPC, "desc")
    # A figure for assistive technology, as the page's other charts: named, described, twinned.
    return [html.Div([html.Span("SPC chart:", id=label, className="visually-hidden"),
                      dcc.Graph(id=ids.IND_SPC, figure=fig, config=GRAPH_CONFIG,
                                className="chart"),
                      html.P(SPC_TEXT, id=desc, className="visually-hidden")],
                     role="figure", **{"aria-labelledby": f"{label} {ids.IND_TITLE}",
                                       "aria-describedby": desc,
                                       "data-table": ids.chart_part(ids.IND_SPC, "table")}),
            spc_data_table(data, result)]


def spc_data_table(data: IndicatorData, result: SpcResult) -> html.Details:
    """The numbers behind the SPC chart: each point with its mean, limits and variation."""
    frame = spc_table(result, data.fmt)
    cols = [("period", "Period"), ("value", data.area.name), ("mean", "Mean"),
            ("lower", "Lower process limit"), ("upper", "Upper process limit"),
            ("moving_range", "Moving range"), ("variation", "Variation")]
    if len(result.segments) > 1:
        cols.append(("baseline", "Baseline"))
    return html.Details([
        html.Summary("Table: the numbers behind the SPC chart"),
        html.Div(frame_table(frame, cols, f"{_name(data)}: {data.area.name}, SPC chart",
                             row_header="period"), className="table-wrap"),
    ], id=ids.chart_part(ids.IND_SPC, "table"), className="mt-1 mb-2 spc-table", open=False)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def spc_panel(data: IndicatorData, result: SpcResult | None,
              recorded: list[BaselineRecord]) -> Any:
    """Beside the SPC chart: variation and assurance icons with words, limits, baselines."""
    if result is None or not result.points:
        return None
    last = result.points[-1]
    seg = result.current
    body: list[Any] = [html.H2("Signal or noise", className="h6 panel-title")]
    body.append(html.P(variation_badge(result.variation, _capital(result.variation_text),
                                       last.direction, 28), className="mb-1 spc-variation"))
    if result.limits != NO_LIMITS:
        rules = "; ".join(RULE_WORDS[r] for r in last.rules)
        why = (f"Latest point ({last.label}): {rules}." if last.is_special else
               f"Latest point ({last.label}) is within the process limits and breaks none of "
               "the rules: the change is noise.")
        body.append(html.P(why, className="small mb-2"))
    if result.limits in LIMIT_WARNINGS:
        body.append(html.P(_capital(LIMIT_WARNINGS[result.limits]) + ".",
                           className="spc-warning small mb-2"))
    polarity = str(data.meta.get("polarity") or "none")
    if result.assurance:
        target = data.fmt(result.target)
        body.append(html.P([assurance_badge(result.assurance,
                                            f"Assurance: {result.assurance_text} "
                                            f"({target})", 28)], className="mb-2 spc-assurance"))
    elif polarity in NO_TARGET:
        body.append(html.P(NO_TARGET[polarity], className="small text-muted mb-2"))
    elif result.target is None:
        body.append(html.P("No local target, so no assurance.",
                           className="small text-muted mb-2"))
    stats: list[tuple[str, str]] = [("Points", str(len(result.points)))]
    if seg is not None and seg.mean is not None:
        stats.append(("Mean", data.fmt(seg.mean)))
    if seg is not None and seg.lower is not None and seg.upper is not None:
        stats.append(("Process limits", f"{data.fmt(seg.lower)} to {data.fmt(seg.upper)}"))
    body.append(html.Dl([c for k, v in stats for c in (html.Dt(k), html.Dd(v))],
                        className="definition-list spc-stats mb-2"))
    if recorded:
        body.append(html.H3("Baselines", className="h6 mt-2"))
        body.append(html.Ul([html.Li(f"From {b.start:%-d %B %Y}: {b.reason} (recorded by "
                                     f"{b.created_by}, {b.created_at:%-d %B %Y}"
                                     + (f"; limits fixed on {b.fix_points} points"
                                        if b.fix_points else "") + ").")
                             for b in recorded], className="small mb-2"))
    body.append(html.Details([
        html.Summary("How to read this chart"),
        html.P("Points between the dashed process limits vary by chance (common cause). A "
               "point outside them, seven in a row on one side of the mean, seven rising or "
               "falling, or two of three near a limit is a signal (special cause): blue where "
               "it is an improvement, orange a concern, purple where neither direction is "
               "better. Each rule has its own marker shape, named in the chart's key.",
               className="small mb-0"),
    ], className="small"))
    return html.Section(body, className="side-panel spc-panel", **{"aria-live": "polite"})


# -- forecast --------------------------------------------------------------------------------


def _last_home(data: IndicatorData, table: pd.DataFrame) -> tuple[str, float, Any] | None:
    """The trend chart's last period for the home area: (label, value, end), if numeric."""
    if table.empty:
        return None
    label = table["period"].iloc[-1]
    value = table["home"].iloc[-1]
    if value is None or pd.isna(value):
        return None
    home = data.series[(data.series["role"] == "home") & (data.series["label"] == label)]
    if home.empty:
        return None
    return str(label), float(value), home["end"].iloc[-1]


def with_forecast(fig: go.Figure, data: IndicatorData, table: pd.DataFrame) -> go.Figure:
    """The trend chart with the stored forecast, where one is shown and starts at its end."""
    fc = cached_forecast(data.area.code, data.meta["code"])
    last = _last_home(data, table)
    if fc is None or last is None:
        return fig
    home = data.series[data.series["role"] == "home"]
    ptype = str(home["period_type"].iloc[-1]) if not home.empty else None
    if not forecast_drawable(fc, ptype, last[2]):
        return fig
    return add_forecast(fig, fc, last_label=last[0], last_value=last[1], fmt=data.fmt)


def forecast_panel(data: IndicatorData, state: ViewState) -> Any:
    """Beside the trend chart, for demand measures: the forecast's method and backtest."""
    code = data.meta["code"]
    if not is_forecast_measure(code):
        return None
    fc = cached_forecast(data.area.code, code)
    title = html.H2("Forecast", className="h6 panel-title")
    if fc is None:
        return html.Section([title, html.P(
            f"No forecast is stored for {data.area.name}'s series: forecasts need at least "
            "four consecutive figures and are computed when data are loaded.",
            className="small mb-0")], className="side-panel forecast-panel")
    home = in_range(data.series[data.series["role"] == "home"], state.from_, state.to)
    home = home[home["value"].notna()]
    last_end = home["end"].iloc[-1] if not home.empty else None
    ptype = str(home["period_type"].iloc[-1]) if not home.empty else None
    drawn = forecast_drawable(fc, ptype, last_end)
    words = forecast_words(fc, drawn=drawn, fmt=data.fmt,
                           shown_to=str(home["label"].iloc[-1]) if not home.empty else None)
    body: list[Any] = [title, html.P(words.headline, className="small mb-2 forecast-headline")]
    if words.backtest:
        body.append(html.P(words.backtest, className="small mb-2 forecast-backtest"))
    body.append(html.P(["Method: ", html.Span(words.method, className="forecast-method")],
                       className="small mb-1"))
    body.append(html.P(f"Computed when the data were loaded, {fc.computed_at:%d %B %Y}; "
                       "a forecast of demand, not a target.", className="small text-muted mb-0"))
    if fc.synthetic:
        body.append(html.Div(synthetic_badge(), className="mt-1"))
    return html.Section(body, className="side-panel forecast-panel")
