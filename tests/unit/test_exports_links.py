"""Download links carry the view's state, so the file matches what is on screen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.exports import export_href
from dashboard.viewstate import ViewState


def test_export_href_carries_the_view_state_and_options():
    """Area, indicator, neighbours and years from the state; chart options added."""
    state = ViewState(area="E06000033", indicator="ReReferral",
                      neighbours=("E06000058", "E06000035"), from_=2016, to=2020)
    href = export_href("chart", "png", state, chart="bar", size="slide", scale=None)
    parts = urlsplit(href)
    assert parts.path == "/export/chart.png"
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {"area": "E06000033", "domain": "children", "indicator": "ReReferral",
                 "neighbours": "E06000058,E06000035", "from": "2016", "to": "2020",
                 "chart": "bar", "size": "slide"}
    assert "neighbours=E06000058,E06000035" in href  # readable, like the view's own URL


def test_export_href_refuses_an_unknown_download():
    """Only the routes that exist can be linked."""
    with pytest.raises(ValueError, match=r"chart\.gif"):
        export_href("chart", "gif", ViewState())
