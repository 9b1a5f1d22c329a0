"""The address bar and the navbar follow the page's state, without reloading the page.

A clientside callback writes the page's query with ``history.replaceState`` (so a copied URL
reproduces the view) and gives every navbar link the control bar's settings, so that moving
between pages keeps the home area, domain, theme and comparator group.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output

from dashboard import ids

SYNC_URL = """
function(data) {
    const dc = window.dash_clientside;
    const links = dc.callback_context.outputs_list[0];
    if (!data) {
        return [links.map(() => dc.no_update), links.map(() => dc.no_update), dc.no_update];
    }
    const path = window.location.pathname;
    const url = path + (data.query ? '?' + data.query : '');
    if (url !== path + window.location.search) {
        window.history.replaceState(window.history.state, '', url);
    }
    const shared = data.shared ? '?' + data.shared : '';
    return [links.map(o => o.id.index + shared), links.map(o => o.id.index === path), url];
}
"""


def register(app: dash.Dash) -> None:
    """Register the URL-sync clientside callback."""
    app.clientside_callback(
        SYNC_URL,
        Output({"type": ids.NAV_LINK, "index": ALL}, "href"),
        Output({"type": ids.NAV_LINK, "index": ALL}, "active"),
        Output(ids.URL_SYNC, "data"),
        Input(ids.URL_STATE, "data"),
    )
