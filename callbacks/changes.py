"""What changed: the home area and the date redraw the list and the address."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.viewstate import ViewState
from layouts import changes as page


def update(area: str | None, since: str | None,
           url: dict[str, str] | None = None) -> tuple[Any, Any]:
    """Redraw the list for an area and a date; the navbar keeps the other pages' settings."""
    if not area or not since:
        raise PreventUpdate
    try:
        day = dt.date.fromisoformat(since.strip()[:10])
    except ValueError:
        return page.bad_date(since), dash.no_update
    shared = ViewState.from_query(dict(parse_qsl((url or {}).get("shared", ""))))
    state = shared.with_(area=area, since=day)
    return page.content(state), {"query": state.to_query(page.KEYS),
                                 "shared": state.shared_query()}


def register(app: dash.Dash) -> None:
    """Register the page's callback."""
    app.callback(
        Output(ids.CHG_CONTENT, "children"),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(ids.CHG_AREA, "value"), Input(ids.CHG_SINCE, "value"),
        State(ids.URL_STATE, "data"), prevent_initial_call=True,
    )(update)
