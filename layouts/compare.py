"""The compare grid: indicators (rows) by the home area, its neighbours and England (columns).

Each cell shows the value on the tint of its quartile band among all English local
authorities at that period, with the band letter, so that the pattern reads like a heat map
without relying on colour.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import (
    DOMAIN_LABELS,
    LATEST,
    band_legend,
    compare_table,
    control_bar,
    notice,
    period_options,
    synthetic_badge,
    table_downloads,
    url_store,
)
from dashboard.scorecard import ScorecardError
from dashboard.views_data import (
    area_options,
    cached_choices,
    cached_scorecard,
    cached_years,
    compare_grid,
    read_state,
)
from dashboard.viewstate import ViewState

dash.register_page(__name__, path="/compare", name="Compare", order=2,
                   title="Compare · Safeguarding partnership performance")

KEYS = ("area", "domain", "theme", "vintage", "period")


def layout(**query: Any) -> html.Div:
    """The grid for the state in the URL (unknown keys are ignored with a notice)."""
    state = read_state(query)
    choices = cached_choices()
    period = html.Div([
        dbc.Label("Period", html_for=ids.CMP_PERIOD, className="control-label"),
        dbc.Select(id=ids.CMP_PERIOD, value=state.period or LATEST,
                   options=period_options(cached_years(state))),
    ], className="control-field narrow")
    return html.Div([
        notice(state),
        control_bar(state, choices, area_options(choices), ids.CMP_CONTROLS, extra=[period]),
        dcc.Loading(html.Div(content(state), id=ids.CMP_GRID), delay_show=300, type="circle"),
        url_store(state, KEYS),
    ], className="page page-compare")


def content(state: ViewState) -> list[Any]:
    """Heading, key and grid for a state."""
    try:
        sc = cached_scorecard(state)
    except ScorecardError as err:
        return [html.H1("Compare"), dbc.Alert(str(err), color="warning")]
    grid = compare_grid(sc)
    domain = DOMAIN_LABELS.get(sc.domain, sc.domain).lower()
    title = f"{sc.area.name} and its statistical neighbours: {domain}" + (
        f", {sc.theme.lower()}" if sc.theme else "")
    group = f"{sc.group.name}" if sc.group else "no comparator group"
    when = f" as at {state.period}" if state.period else ""
    meta: list[Any] = [f"Latest period of each indicator{when}; {group}. Bands compare each "
                       "value with every English local authority at that period (A is the "
                       "best quarter)."]
    if sc.group and sc.group.synthetic:
        meta += [" ", synthetic_badge()]
    caption = f"{len(grid.rows)} indicators by {len(grid.columns)} areas"
    return [html.H1(title, className="page-title"), html.P(meta, className="page-meta"),
            html.Div([band_legend(), table_downloads(state, "compare", "compare grid")],
                     className="table-tools"),
            html.Div(compare_table(grid, state, caption), className="table-wrap compare-wrap")]
