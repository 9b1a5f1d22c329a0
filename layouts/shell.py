"""The app shell: navbar from the page registry, skip link, page container and footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

SOURCES = ("Department for Education: LAIT, Explore Education Statistics and statistical "
           "neighbour groupings. Contains public sector information licensed under the Open "
           "Government Licence v3.0.")


def shell() -> html.Div:
    """The layout around every page."""
    nav = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], active="exact"))
           for p in dash.page_registry.values() if p.get("nav", True)]
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        dbc.NavbarSimple(nav, brand="Safeguarding partnership performance", color="dark",
                         dark=True, fluid=True),
        html.Main(dash.page_container, id="main", tabIndex="-1", className="container-fluid"),
        html.Footer(html.P(SOURCES, className="small text-muted"), className="container-fluid"),
    ])
