"""Indicator view: the chart choice (trend with comparators, or SPC) and the panel beside it.

The toggle shows one chart's box and hides the other's, draws the SPC chart when chosen, and
writes ``chart=spc`` to the address. The controls redraw the chosen chart's parts too; the
page's main callback keeps ``chart`` in the address it writes.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, ctx

from callbacks.indicator import CONTROLS, state_from
from dashboard import ids
from dashboard.components import url_data
from layouts import indicator as page
from layouts import indicator_signals as signals


def show_chart(chart: str | None, area: str, domain: str, theme: str, vintage: str,
               indicator: str, start: str, end: str,
               neighbours: list[str] | None) -> tuple[Any, ...]:
    """Show the chosen chart and its panel; a click on the toggle also writes the address."""
    state = state_from(area, domain, theme, vintage, indicator, start, end, neighbours, chart)
    parts = signals.parts_for(state)
    url = (url_data(signals.normalised(state)[0], page.KEYS)
           if ctx.triggered_id == ids.IND_CHART else dash.no_update)
    return (parts.trend_hidden, parts.spc_hidden, parts.spc_box, parts.panel,
            parts.panel_class, url)


def register(app: dash.Dash) -> None:
    """Register the chart toggle's callback."""
    app.callback(
        Output(ids.IND_TREND_BOX, "hidden"), Output(ids.IND_SPC_BOX, "hidden"),
        Output(ids.IND_SPC_BOX, "children"), Output(ids.IND_SIGNAL, "children"),
        Output(ids.IND_SIGNAL, "className"),
        Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(ids.IND_CHART, "value"), *[Input(c, "value") for c in CONTROLS],
        State(ids.IND_NEIGHBOURS, "value"), prevent_initial_call=True,
    )(show_chart)
