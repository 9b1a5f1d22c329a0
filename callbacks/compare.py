"""Compare grid callback: the control bar redraws the grid."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.components import ALL_THEMES, LATEST, chosen, period_options, url_data
from dashboard.views_data import cached_years
from dashboard.viewstate import ViewState
from layouts import compare as page

C = ids.CMP_CONTROLS


def update(area: str, domain: str, theme: str, vintage: str,
           period: str) -> tuple[Any, list[dict[str, str]], dict[str, str]]:
    """The grid for the controls' state, and the years it can be shown as at."""
    state = ViewState(area=area, domain=domain, theme=chosen(theme, ALL_THEMES),
                      vintage=vintage or None, period=chosen(period, LATEST))
    return page.content(state), period_options(cached_years(state)), url_data(state, page.KEYS)


def register(app: dash.Dash) -> None:
    """Register the compare grid's callback."""
    app.callback(
        Output(ids.CMP_GRID, "children"), Output(ids.CMP_PERIOD, "options"),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(C.area, "value"), Input(C.domain, "value"), Input(C.theme, "value"),
        Input(C.vintage, "value"), Input(ids.CMP_PERIOD, "value"), prevent_initial_call=True,
    )(update)
