"""The page shown for an address that matches no page."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Page not found", nav=False,
                   title="Page not found · Safeguarding partnership performance")


def layout(**_query: Any) -> html.Div:
    """A plain 404 with the way back."""
    return html.Div([
        html.H1("Page not found", className="page-title"),
        html.P("There is no page at this address. If you typed it, check it; if you followed a "
               "link, it may be out of date."),
        html.P([dcc.Link("Go to the scorecard", href="/"), " or ",
                dcc.Link("read about the dashboard", href="/about"), "."]),
    ], className="page page-404")
