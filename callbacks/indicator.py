"""Indicator view callbacks: controls redraw the view; a neighbour switch only the trend."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, ctx

from dashboard import ids
from dashboard.components import ALL_THEMES, ANY_YEAR, chosen
from dashboard.viewstate import ViewState
from layouts import indicator as page

C = ids.IND_CONTROLS
#: The view's controls except the neighbours, in the order the callbacks receive them.
CONTROLS = (C.area, C.domain, C.theme, C.vintage, ids.IND_SELECT, ids.IND_FROM, ids.IND_TO)


def state_from(area: str, domain: str, theme: str, vintage: str, indicator: str, start: str,
               end: str, neighbours: list[str] | None, chart: str | None = None) -> ViewState:
    """The view's state from the controls' values."""
    start, end = chosen(start, ANY_YEAR), chosen(end, ANY_YEAR)
    return ViewState(area=area, domain=domain, theme=chosen(theme, ALL_THEMES),
                     vintage=vintage or None, indicator=indicator,
                     neighbours=tuple(neighbours or ()), from_=int(start) if start else None,
                     to=int(end) if end else None, chart=chosen(chart, "trend"))


def update(area: str, domain: str, theme: str, vintage: str, indicator: str, start: str,
           end: str, neighbours: list[str] | None, chart: str | None = None) -> tuple[Any, ...]:
    """Redraw the whole view for the controls' values."""
    state = state_from(area, domain, theme, vintage, indicator, start, end, neighbours, chart)
    return page.view(state).outputs(shown_neighbours=neighbours or [], trigger=ctx.triggered_id)


def update_trend(neighbours: list[str] | None, *controls: str) -> tuple[Any, ...]:
    """A neighbour switched on or off: redraw only the trend chart, its table and the URL.

    `controls` are the values of `CONTROLS`, then (from the app) the chart choice.
    """
    values, chart = controls[:len(CONTROLS)], controls[len(CONTROLS):]
    return page.trend_part(state_from(*values, neighbours, *chart))


def register(app: dash.Dash) -> None:
    """Register the indicator view's callbacks."""
    app.callback(
        Output(ids.IND_HEADING, "children"), Output(ids.IND_SUMMARY, "children"),
        Output(ids.IND_TREND, "figure"), Output(ids.IND_BAR, "figure"),
        Output(ids.IND_FUNNEL_BOX, "children"), Output(ids.IND_BREAKDOWN_BOX, "children"),
        Output(ids.IND_DEFINITION, "children"), Output(ids.IND_TABLE, "children"),
        Output(ids.IND_NEIGHBOURS, "options"), Output(ids.IND_NEIGHBOURS, "value"),
        Output(ids.IND_FROM, "options"), Output(ids.IND_FROM, "value"),
        Output(ids.IND_TO, "options"), Output(ids.IND_TO, "value"),
        Output(ids.IND_SELECT, "options"), Output(ids.IND_SELECT, "value"),
        Output(ids.IND_BAR_TABLE, "children"),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        *[Input(c, "value") for c in CONTROLS], State(ids.IND_NEIGHBOURS, "value"),
        State(ids.IND_CHART, "value"), prevent_initial_call=True,
    )(update)
    app.callback(
        Output(ids.IND_TREND, "figure", allow_duplicate=True),
        Output(ids.IND_TABLE, "children", allow_duplicate=True),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(ids.IND_NEIGHBOURS, "value"), *[State(c, "value") for c in CONTROLS],
        State(ids.IND_CHART, "value"), prevent_initial_call=True,
    )(update_trend)
