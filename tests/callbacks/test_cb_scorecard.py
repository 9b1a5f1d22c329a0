"""Scorecard page: layout from a URL, and its callbacks called as plain functions."""

from __future__ import annotations

import re

import pytest
from dash.exceptions import PreventUpdate

from dashboard import ids
from tests.callbacks.dashtree import by_id, find, scorecard_row, text

pytestmark = pytest.mark.usefixtures("request_ctx")
HOME = "E06000033"


def test_layout_scorecard_rereferrals_2025_band_b(cb):
    """Southend-on-Sea's latest re-referrals are 17.1% (2025), band B, amber."""
    layout = cb.scorecard_page.layout(area=HOME)
    row = text(scorecard_row(layout, "ReReferral"))
    assert "17.1%" in row and "2025" in row
    assert " B " in f" {row} " and "Amber" in row


def test_layout_scorecard_period_2020_band_d(cb):
    """With period=2020 the scorecard shows re-referrals at 30.2%, band D, red."""
    layout = cb.scorecard_page.layout(area=HOME, period="2020")
    row = text(scorecard_row(layout, "ReReferral"))
    assert "30.2%" in row and "2020" in row and "D" in row.split() and "Red" in row


def test_layout_scorecard_counts_and_rank_text(cb):
    """The counts say red, amber and green in words, and rank reads "x of y"."""
    layout = cb.scorecard_page.layout(area=HOME)
    counts = text(by_id(layout, ids.SC_COUNTS))
    assert "Red" in counts and "Amber" in counts and "Green" in counts
    assert "42 of 153" in text(scorecard_row(layout, "ReReferral"))


def test_layout_unknown_key_shows_notice(cb):
    """An unknown key is ignored with a visible notice, and the page still renders."""
    layout = cb.scorecard_page.layout(area=HOME, colour="blue")
    assert "colour" in text(by_id(layout, ids.NOTICE))
    assert scorecard_row(layout, "ReReferral")


def test_layout_invalid_area_falls_back_with_notice(cb):
    """An area code that is not an English LA falls back to the home area, saying so."""
    layout = cb.scorecard_page.layout(area="E06999999")
    assert "E06999999" in text(by_id(layout, ids.NOTICE))
    assert by_id(layout, ids.SC_CONTROLS.area).value == HOME


def test_layout_invalid_period_shows_notice(cb):
    """A malformed period is ignored with a notice, showing the latest figures."""
    layout = cb.scorecard_page.layout(area=HOME, period="last-year")
    assert "period" in text(by_id(layout, ids.NOTICE))
    assert "17.1%" in text(scorecard_row(layout, "ReReferral"))


def test_update_red_filter_keeps_only_red_rows(cb):
    """The RAG filter keeps only the chosen statuses, and the URL says so."""
    _heading, _counts, table, _periods, _sort, url = cb.scorecard.update(
        HOME, "children", "all", "2025", "latest", ["red"], False, [], None)
    rags = {getattr(r, "data-rag") for r in find(table, lambda c: hasattr(c, "data-rag"))}
    assert rags == {"red"}
    assert "rag=red" in url["query"] and f"area={HOME}" in url["query"]


def test_update_worse_filter_rows_are_worse_and_worsening(cb):
    """The "worse and getting worse" switch keeps only rows worsening with a red RAG/band D."""
    _h, _c, table, _p, _s, url = cb.scorecard.update(
        HOME, "children", "all", "2025", "latest", [], True, [], None)
    rows = find(table, lambda c: hasattr(c, "data-code"))
    assert rows, "Southend has indicators worse than comparators and getting worse"
    assert all("worse" in text(r).lower() for r in rows)
    assert "worse=1" in url["query"]


def test_update_theme_limits_rows_to_theme(cb):
    """Choosing a theme shows that theme's indicators only."""
    _h, _c, table, _p, _s, url = cb.scorecard.update(
        HOME, "children", "Workforce", "2025", "latest", [], False, [], None)
    codes = {getattr(r, "data-code") for r in find(table, lambda c: hasattr(c, "data-code"))}
    assert codes and all(c.startswith("Work_Force") for c in codes)
    assert "theme=Workforce" in url["query"]


def test_update_sort_by_rank_orders_best_first(cb):
    """Sorting by rank puts the best-ranked indicator first and unranked ones last."""
    _h, _c, table, _p, _s, _u = cb.scorecard.update(
        HOME, "children", "all", "2025", "latest", [], False, [], "rank")
    rows = [text(r) for r in find(table, lambda c: hasattr(c, "data-code"))]
    ranks = [int(m[1]) / int(m[2]) for m in (re.search(r"(\d+) of (\d+) [A-D] ", r)
                                             for r in rows) if m]
    assert len(ranks) >= 10 and ranks == sorted(ranks)
    assert not re.search(r"\d+ of \d+ [A-D] ", rows[-1])  # unranked rows come last


def test_update_ignores_redrawn_headings(cb, callback_context):
    """Headings redrawn with no clicks (Dash calls the callback for them) change nothing."""
    callback_context('{"index":"rank","type":"' + ids.SC_SORT_BUTTON + '"}.n_clicks', 0)
    with pytest.raises(PreventUpdate):
        cb.scorecard.update(HOME, "children", "all", "2025", "latest", [], False, [0, 0], None)


def test_update_heading_click_cycles_sort(cb, callback_context):
    """A heading click sorts by its column, then reverses it; the sort goes into the URL."""
    callback_context('{"index":"rank","type":"' + ids.SC_SORT_BUTTON + '"}.n_clicks', 1)
    out = cb.scorecard.update(HOME, "children", "all", "2025", "latest", [], False, [1], None)
    assert out[4] == "rank" and "sort=rank" in out[5]["query"]
    out = cb.scorecard.update(HOME, "children", "all", "2025", "latest", [], False, [1],
                              "rank")
    assert out[4] == "-rank"


def test_domain_changed_lists_adults_themes_and_demo_vintage(cb):
    """Switching to adults offers the adults' themes and the demo comparator group."""
    themes, theme, vintages, vintage = cb.controls.domain_changed("adults")
    assert theme == "all" and vintage == "demo"
    assert {"label": "Concerns", "value": "Concerns"} in themes
    assert [v["value"] for v in vintages] == ["demo"]


def test_adults_scorecard_marks_synthetic_values(cb):
    """Synthetic adults' values carry the "synthetic demo data" mark."""
    heading, _c, table, _p, _s, _u = cb.scorecard.update(
        HOME, "adults", "all", "demo", "latest", [], False, [], None)
    assert "synthetic demo data" in text(heading)
    assert "synthetic demo data" in text(scorecard_row(table, "ASC_Risk_Reduced_Pct"))
