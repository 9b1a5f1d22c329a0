"""The landing page (first version): the home area's children's indicators, latest and England."""

from __future__ import annotations

import dash
from dash import html

from dashboard.context import current_engine, current_settings
from dashboard.scorecard import build_scorecard

dash.register_page(__name__, path="/", name="Scorecard", title="Scorecard")


def layout(**_query: str) -> html.Div:
    """A plain table of the home area's children's safeguarding indicators."""
    sc = build_scorecard(current_engine(), current_settings().home_area, "children")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ("Indicator", "Period", "Value", "England")]))
    body = html.Tbody([
        html.Tr([html.Th(r.name, scope="row"), html.Td(r.period.label if r.period else "–"),
                 html.Td(r.fmt(r.value)), html.Td(r.fmt(r.england))])
        for r in sc.rows
    ])
    return html.Div([html.H1(f"{sc.area.name}: children's safeguarding indicators"),
                     html.Table([head, body], className="table table-sm")])
