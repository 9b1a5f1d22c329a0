"""The app shell: skip link, navbar from the page registry, page container and footer.

The control bar belongs to each data page (it is drawn from the page's URL, so that a link
reproduces the view); the navbar's links carry the control bar's settings from page to page,
kept up to date by the clientside callback in ``callbacks/shell.py``.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from layouts.account import account_menu

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def navbar() -> dbc.Navbar:
    """The navbar: one link per registered page that asks to be in it, in page order."""
    pages = sorted((p for p in dash.page_registry.values() if p.get("nav", True)),
                   key=lambda p: p.get("order") or 0)
    links = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"],
                                     id=ids.nav_link(p["relative_path"])))
             for p in pages]
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand([html.Span("◆", className="brand-mark", **{"aria-hidden": "true"}),
                         "Safeguarding partnership performance"], href="/",
                        className="brand"),
        dbc.Nav(links, navbar=True, className="ms-auto"),
        copy_link(),
        account_menu(),
    ], fluid=True), color="dark", dark=True, className="app-navbar")


def copy_link() -> html.Div:
    """Copy the address of the view on screen, to reopen the exact view in the next meeting.

    The confirmation is a live region, so that a screen reader says it too.
    """
    return html.Div([
        dbc.Button("Copy link", id=ids.COPY_LINK, color="light", outline=True, size="sm",
                   n_clicks=0, title="Copy the address of this view, with its settings"),
        html.Span(id=ids.COPY_STATUS, className="copy-status", role="status",
                  **{"aria-live": "polite"}),
    ], className="copy-link no-print")


def footer() -> html.Footer:
    """Sources, licences and the synthetic-data rule, on every page."""
    return html.Footer(dbc.Container([
        html.P([
            "Sources: Department for Education (Local Authority Interactive Tool, Explore "
            "Education Statistics, statistical neighbour groupings); NHS England (Safeguarding "
            "Adults Collection); the partnership's own published figures. Contains public "
            "sector information licensed under the ",
            html.A("Open Government Licence v3.0", href=OGL), ".",
        ], className="mb-1"),
        html.P(["Values marked ", html.Span("synthetic demo data", className="fw-semibold"),
                " are generated for demonstration and are not published figures. ",
                html.Span([dcc.Link("About the data and accessibility", href="/about"), "."],
                          className="no-print")],
               className="mb-0"),
        # Filled with the page's address by a clientside callback; shown only in print, so
        # that a printed page says how to reopen the view.
        html.P(["This view: ", html.Span(id=ids.PRINT_URL)], className="print-only print-url"),
    ], fluid=True), className="app-footer small")


def shell() -> html.Div:
    """The layout around every page."""
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        navbar(),
        dcc.Store(id=ids.URL_SYNC),
        # Loads plotly.js in the background while the user reads the scorecard, so that the
        # first indicator view does not wait for it.
        dcc.Graph(id=ids.PLOTLY_PRELOAD, figure={"data": [], "layout": {}},
                  config={"staticPlot": True}, style={"display": "none"}),
        html.Main(dash.page_container, id="main", tabIndex="-1",
                  className="container-fluid app-main"),
        footer(),
    ], className="app")
