"""The control bar: a domain's themes and comparator vintages follow the chosen domain."""

from __future__ import annotations

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.components import theme_options, vintage_options
from dashboard.views_data import cached_choices


def domain_changed(domain: str) -> tuple[list[dict[str, str]], str, list[dict[str, str]], str]:
    """Themes and vintages of the new domain; theme back to all, vintage to the latest."""
    choices = cached_choices()
    vintages = choices.vintages.get(domain, ())
    return (theme_options(choices.themes.get(domain, ())), "", vintage_options(vintages),
            vintages[0] if vintages else "")


def register(app: dash.Dash) -> None:
    """Register the control bar's callbacks."""
    app.callback(
        Output(ids.THEME, "options"), Output(ids.THEME, "value"),
        Output(ids.VINTAGE, "options"), Output(ids.VINTAGE, "value"),
        Input(ids.DOMAIN, "value"), prevent_initial_call=True,
    )(domain_changed)
