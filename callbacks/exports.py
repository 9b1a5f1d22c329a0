"""Exports on every view: download links follow the view's state; copy link; the printed URL.

Each page draws its download links with the hrefs of its first state; after that the page's
URL store (``ids.URL_STATE``, which every page keeps up to date with its query) and the charts'
size choices drive one callback that rewrites every link on the page. Links and size choices
are pattern-matching IDs, so the one callback serves every page and a page without links
costs nothing.
"""

from __future__ import annotations

import json

import dash
from dash import ALL, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.exports.links import download_hrefs

LINKS = {"type": ids.EXPORT_LINK, "target": ALL, "fmt": ALL}
SIZES = {"type": ids.CHART_SIZE, "target": ALL}

# Writes the address, then says so in the live region; the message clears after a while so
# that the next click is announced again. navigator.clipboard needs a focused page with
# clipboard permission; where it refuses, the older copy command is tried, and where both
# fail the address is shown to copy by hand.
COPY_LINK = """
async function(n) {
    const dc = window.dash_clientside;
    if (!n) { return dc.no_update; }
    const url = window.location.href;
    let copied = false;
    try {
        await navigator.clipboard.writeText(url);
        copied = true;
    } catch (err) {
        const box = document.createElement('textarea');
        box.value = url;
        box.setAttribute('readonly', '');
        box.style.position = 'fixed';
        box.style.opacity = '0';
        document.body.appendChild(box);
        box.select();
        try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
        box.remove();
    }
    window.clearTimeout(window.copyLinkTimer);
    window.copyLinkTimer = window.setTimeout(
        () => dc.set_props(STATUS_ID, {children: ''}), 8000);
    return copied ? 'Link copied' : 'Copy this address: ' + url;
}
""".replace("STATUS_ID", json.dumps(ids.COPY_STATUS))

PRINT_URL = """
function(_url) { return window.location.href; }
"""


def update_links(url: dict[str, str] | None, sizes: list[str], size_ids: list[dict[str, str]],
                 link_ids: list[dict[str, str]]) -> list[str]:
    """Every download link on the page, for the page's query and the charts' sizes."""
    if not url or not link_ids:
        raise PreventUpdate
    chosen = {i["target"]: s for i, s in zip(size_ids, sizes, strict=True)}
    return download_hrefs(url.get("query", ""), link_ids, chosen)


def register(app: dash.Dash) -> None:
    """Register the download links' callback, copy link and the printed URL."""
    app.callback(
        Output(LINKS, "href"),
        Input(ids.URL_STATE, "data"), Input(SIZES, "value"),
        State(SIZES, "id"), State(LINKS, "id"),
        prevent_initial_call=True,
    )(update_links)
    app.clientside_callback(COPY_LINK, Output(ids.COPY_STATUS, "children"),
                            Input(ids.COPY_LINK, "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(PRINT_URL, Output(ids.PRINT_URL, "children"),
                            Input(ids.URL_SYNC, "data"))

