"""Indicator, compare, about and 404 pages: layouts from URLs and callbacks as functions."""

from __future__ import annotations

import dash
import pytest

from dashboard import ids
from tests.callbacks.dashtree import by_id, find, text

pytestmark = pytest.mark.usefixtures("request_ctx")
HOME = "E06000033"
BCP, LEEDS = "E06000058", "E08000035"


def _trace_names(fig) -> list[str]:
    return [t.name for t in fig.data]


def test_indicator_layout_reproduces_url_state(cb):
    """The indicator URL sets the indicator, neighbours and years of every control."""
    layout = cb.indicator_page.layout(area=HOME, indicator="ReReferral",
                                       neighbours=f"{BCP},{LEEDS}", **{"from": "2018"},
                                       to="2024")
    assert by_id(layout, ids.IND_SELECT).value == "ReReferral"
    assert by_id(layout, ids.IND_NEIGHBOURS).value == [BCP, LEEDS]
    assert by_id(layout, ids.IND_FROM).value == "2018"
    assert by_id(layout, ids.IND_TO).value == "2024"
    fig = by_id(layout, ids.IND_TREND).figure
    assert list(fig.data[-1].x) == [str(y) for y in range(2018, 2025)]
    assert "Leeds" in _trace_names(fig)


def test_indicator_update_adding_neighbour_adds_a_line(cb):
    """Switching a neighbour on adds exactly one line to the trend chart."""
    base = cb.indicator.update(HOME, "children", "all", "2025", "ReReferral", "any", "any", [])
    trend, _table, url = cb.indicator.update_trend([BCP], HOME, "children", "all", "2025",
                                                   "ReReferral", "any", "any")
    assert len(trend.data) == len(base[2].data) + 1
    assert "Bournemouth, Christchurch and Poole" in _trace_names(trend)
    assert f"neighbours={BCP}" in url["query"]


def test_indicator_update_trend_has_comparators_and_range(cb):
    """The trend has home, neighbour average, England and region; `to` narrows it."""
    out = cb.indicator.update(HOME, "children", "all", "2025", "ReReferral", "2017", "2020", [])
    names = _trace_names(out[2])
    assert {"Southend-on-Sea", "Statistical neighbour average", "England",
            "East of England"} <= set(names)
    assert list(out[2].data[-1].x) == ["2017", "2018", "2019", "2020"]
    assert "30.2%" in text(out[1])  # the summary is as at the range's last year
    assert "from=2017" in out[-1]["query"] and "to=2020" in out[-1]["query"]
    assert out[9] is dash.no_update  # unchanged neighbours do not set off the trend callback


def test_indicator_update_from_year_only_resends_what_changes(cb, callback_context):
    """When only the first year changes, the bar chart, funnel and summary are not resent."""
    callback_context(f"{ids.IND_FROM}.value", "2019")
    out = cb.indicator.update(HOME, "children", "all", "2025", "ReReferral", "2019", "any", [])
    assert out[3] is dash.no_update and out[4] is dash.no_update and out[1] is dash.no_update
    assert out[2].data[-1].x[0] == "2019" and "from=2019" in out[-1]["query"]


def test_indicator_update_domain_change_opens_domain_indicator(cb):
    """Switching domain opens that domain's first indicator instead of keeping a stranger."""
    out = cb.indicator.update(HOME, "adults", "all", "demo", "ReReferral", "any", "any", [])
    assert out[15] != "ReReferral" and out[15].startswith("ASC_")


def test_indicator_adults_has_funnel_and_interval(cb):
    """Adults' synthetic rates have counts: a funnel plot and a confidence band are drawn."""
    out = cb.indicator.update(HOME, "adults", "all", "demo", "ASC_Risk_Reduced_Pct", "any",
                              "any", [])
    assert "95% confidence interval" in _trace_names(out[2])
    assert find(out[4], lambda c: getattr(c, "id", None) == ids.IND_FUNNEL)
    assert "synthetic demo data" in text(out[0])


def test_indicator_unknown_indicator_notice(cb):
    """An unknown indicator code gives a notice and the domain's first indicator."""
    layout = cb.indicator_page.layout(indicator="NoSuchThing")
    assert "NoSuchThing" in text(by_id(layout, ids.NOTICE))
    assert by_id(layout, ids.IND_SELECT).value


def test_compare_grid_has_home_neighbours_england_and_bands(cb):
    """The grid's columns are home, ten neighbours and England; cells carry band letters."""
    grid, _periods, url = cb.compare.update(HOME, "children", "all", "2025", "latest")
    heads = [text(th) for th in find(grid, lambda c: c.__class__.__name__ == "Th"
                                     and getattr(c, "scope", None) == "col")]
    assert heads[1] == "Southend-on-Sea" and heads[-1] == "England" and len(heads) == 13
    assert "17.1% B" in text(grid)
    assert "domain=children" in url["query"]


def test_compare_as_at_2020_shows_2020_values(cb):
    """The compare grid's period control shows every value as at an earlier year."""
    grid, periods, url = cb.compare.update(HOME, "children", "all", "2025", "2020")
    assert "30.2% D" in text(grid) and "period=2020" in url["query"]
    assert {"label": "As at 2020", "value": "2020"} in periods


def test_about_search_filters_catalogue(cb):
    """Searching the catalogue keeps matching indicators and says how many."""
    table, words = cb.about.search("re-referrals")
    assert "ReReferral" in text(table)
    assert words.startswith("1 of") or " of " in words


def test_about_layout_has_licence_and_accessibility(cb):
    """About names the Open Government Licence and carries an accessibility statement."""
    layout = cb.about_page.layout()
    body = text(layout)
    assert "Open Government Licence v3.0" in body and "Accessibility statement" in body


def test_not_found_page_links_home(cb):
    """The 404 page says so and links back to the scorecard."""
    layout = cb.not_found.layout()
    assert "Page not found" in text(layout)


def test_shell_navbar_lists_pages_in_order(cb):
    """The navbar is built from the page registry, in page order, without the 404."""
    links = find(cb.shell.shell(), lambda c: isinstance(getattr(c, "id", None), dict)
                 and c.id.get("type") == ids.NAV_LINK)
    assert [text(link) for link in links] == ["Scorecard", "Indicator", "Compare",
                                              "What changed", "Meeting pack", "Data", "About"]
