"""Indicator view callbacks: controls redraw the view; a neighbour switch only the trend."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, ctx, dcc

from dashboard import ids
from dashboard.components import ALL_THEMES, ANY_YEAR, chosen
from dashboard.views_data import cached_indicator, export_frame, trend_table
from dashboard.viewstate import ViewState
from layouts import indicator as page

C = ids.IND_CONTROLS
#: The view's controls except the neighbours, in the order the callbacks receive them.
CONTROLS = (C.area, C.domain, C.theme, C.vintage, ids.IND_SELECT, ids.IND_FROM, ids.IND_TO)


def state_from(area: str, domain: str, theme: str, vintage: str, indicator: str, start: str,
               end: str, neighbours: list[str] | None) -> ViewState:
    """The view's state from the controls' values."""
    start, end = chosen(start, ANY_YEAR), chosen(end, ANY_YEAR)
    return ViewState(area=area, domain=domain, theme=chosen(theme, ALL_THEMES),
                     vintage=vintage or None, indicator=indicator,
                     neighbours=tuple(neighbours or ()), from_=int(start) if start else None,
                     to=int(end) if end else None)


def update(area: str, domain: str, theme: str, vintage: str, indicator: str, start: str,
           end: str, neighbours: list[str] | None) -> tuple[Any, ...]:
    """Redraw the whole view for the controls' values."""
    state = state_from(area, domain, theme, vintage, indicator, start, end, neighbours)
    return page.view(state).outputs(shown_neighbours=neighbours or [], trigger=ctx.triggered_id)


def update_trend(neighbours: list[str] | None, *controls: str) -> tuple[Any, ...]:
    """A neighbour switched on or off: redraw only the trend chart, its table and the URL."""
    return page.trend_part(state_from(*controls, neighbours))


def download(_clicks: int, neighbours: list[str] | None, *controls: str) -> dict[str, Any]:
    """The trend chart's data as CSV, at the controls' filters."""
    state = page.view(state_from(*controls, neighbours)).state
    data = cached_indicator(state)
    frame = export_frame(data, trend_table(data, state.neighbours, state.from_, state.to),
                         state.neighbours)
    return dcc.send_data_frame(frame.to_csv, f"{state.indicator}_{state.area}.csv",
                               index=False)


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
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        *[Input(c, "value") for c in CONTROLS], State(ids.IND_NEIGHBOURS, "value"),
        prevent_initial_call=True,
    )(update)
    app.callback(
        Output(ids.IND_TREND, "figure", allow_duplicate=True),
        Output(ids.IND_TABLE, "children", allow_duplicate=True),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(ids.IND_NEIGHBOURS, "value"), *[State(c, "value") for c in CONTROLS],
        prevent_initial_call=True,
    )(update_trend)
    app.callback(
        Output(ids.IND_CSV, "data"), Input(ids.IND_CSV_BUTTON, "n_clicks"),
        State(ids.IND_NEIGHBOURS, "value"), *[State(c, "value") for c in CONTROLS],
        prevent_initial_call=True,
    )(download)
