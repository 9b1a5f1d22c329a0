"""Scorecard callback: controls, filters and sortable headings redraw the table."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components import ALL_THEMES, LATEST, chosen, period_options, url_data
from dashboard.views_data import cached_years
from dashboard.viewstate import ViewState, next_sort
from layouts import scorecard as page

C = ids.SC_CONTROLS


def update(area: str, domain: str, theme: str, vintage: str, period: str,
           rag: list[str] | None, worse: bool, clicks: list[int | None],
           sort: str | None, variation: list[str] | None = None) -> tuple[Any, ...]:
    """Redraw the heading, counts and table for the controls' state.

    A column heading's click (the sort buttons are inputs) cycles that column's sort; Dash
    also calls this when redrawn headings appear, with no clicks, which changes nothing.
    """
    if isinstance(ctx.triggered_id, dict):
        if not any(clicks):
            raise PreventUpdate
        sort = next_sort(sort, ctx.triggered_id["index"])
    state = ViewState(area=area, domain=domain, theme=chosen(theme, ALL_THEMES),
                      vintage=vintage or None, period=chosen(period, LATEST),
                      rag=tuple(rag or ()), worse=bool(worse), sort=sort,
                      variation=tuple(variation or ()))
    head, counts, table = page.content(state)
    return (head, counts, table, period_options(cached_years(state)), sort,
            url_data(state, page.KEYS))


def register(app: dash.Dash) -> None:
    """Register the scorecard's callback."""
    app.callback(
        Output(ids.SC_HEADING, "children"), Output(ids.SC_COUNTS, "children"),
        Output(ids.SC_TABLE, "children"), Output(ids.SC_PERIOD, "options"),
        Output(ids.SC_SORT, "data"), Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(C.area, "value"), Input(C.domain, "value"), Input(C.theme, "value"),
        Input(C.vintage, "value"), Input(ids.SC_PERIOD, "value"), Input(ids.SC_RAG, "value"),
        Input(ids.SC_WORSE, "value"),
        Input({"type": ids.SC_SORT_BUTTON, "index": ALL}, "n_clicks"),
        State(ids.SC_SORT, "data"),
        # Listed last, so that it arrives as `update`'s last (optional) argument.
        Input(ids.SC_VARIATION, "value"),
        prevent_initial_call=True,
    )(update)
