"""Scorecard callbacks: controls and filters redraw the table; headings sort it."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx

from dashboard import ids
from dashboard.components import url_data
from dashboard.viewstate import ViewState, next_sort
from dashboard.views_data import cached_years
from layouts import scorecard as page


def update(area: str, domain: str, theme: str, vintage: str, period: str,
           rag: list[str] | None, worse: bool, sort: str | None) -> tuple[Any, ...]:
    """Redraw the heading, counts and table for the controls' state."""
    state = ViewState(area=area, domain=domain, theme=theme or None, vintage=vintage or None,
                      period=period or None, rag=tuple(rag or ()), worse=bool(worse), sort=sort)
    summary, table = page.content(state)
    return summary, table, page.period_options(cached_years(state)), url_data(state, page.KEYS)


def sort_clicked(clicks: list[int | None], current: str | None) -> str | None:
    """A heading's click cycles its column through ascending, descending and unsorted."""
    if not ctx.triggered_id or not any(clicks):
        return dash.no_update
    return next_sort(current, ctx.triggered_id["index"])


def register(app: dash.Dash) -> None:
    """Register the scorecard's callbacks."""
    app.callback(
        Output(ids.SC_HEADING, "children"), Output(ids.SC_TABLE, "children"),
        Output(ids.SC_PERIOD, "options"), Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(ids.AREA, "value"), Input(ids.DOMAIN, "value"), Input(ids.THEME, "value"),
        Input(ids.VINTAGE, "value"), Input(ids.SC_PERIOD, "value"), Input(ids.SC_RAG, "value"),
        Input(ids.SC_WORSE, "value"), Input(ids.SC_SORT, "data"), prevent_initial_call=True,
    )(update)
    app.callback(
        Output(ids.SC_SORT, "data"),
        Input({"type": ids.SC_SORT_BUTTON, "index": ALL}, "n_clicks"),
        State(ids.SC_SORT, "data"), prevent_initial_call=True,
    )(sort_clicked)
