"""About page callback: the catalogue search."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output

from dashboard import ids
from layouts import about as page


def search(text: str | None) -> tuple[Any, str]:
    """Catalogue rows matching every word typed, and how many."""
    return page.filtered(text)


def register(app: dash.Dash) -> None:
    """Register the About page's callback."""
    app.callback(
        Output(ids.ABOUT_CATALOGUE, "children"), Output(ids.ABOUT_COUNT, "children"),
        Input(ids.ABOUT_SEARCH, "value"), prevent_initial_call=True,
    )(search)
