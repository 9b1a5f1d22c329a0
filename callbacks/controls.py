"""The control bar: a domain's themes and comparator vintages follow the chosen domain."""

from __future__ import annotations

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.components import ALL_THEMES, theme_options, vintage_options
from dashboard.views_data import cached_choices


def domain_changed(domain: str) -> tuple[list[dict[str, str]], str, list[dict[str, str]], str]:
    """Themes and vintages of the new domain; theme back to all, vintage to the latest."""
    choices = cached_choices()
    vintages = choices.vintages.get(domain, ())
    return (theme_options(choices.themes.get(domain, ())), ALL_THEMES, vintage_options(vintages),
            vintages[0] if vintages else "")


def register(app: dash.Dash) -> None:
    """Register the control bar's callbacks, once per page that has the bar."""
    for c in (ids.SC_CONTROLS, ids.IND_CONTROLS, ids.CMP_CONTROLS, ids.PACK_CONTROLS):
        app.callback(
            Output(c.theme, "options"), Output(c.theme, "value"),
            Output(c.vintage, "options"), Output(c.vintage, "value"),
            Input(c.domain, "value"), prevent_initial_call=True,
        )(domain_changed)
