"""The views in a real browser: pages load cleanly, controls update, URLs reproduce views."""

from __future__ import annotations

import pytest

from dashboard import ids
from tests.browser.support import (
    assert_no_console_errors,
    choose_area,
    click_label,
    css,
    heading,
    open_page,
    rag_statuses,
    row_text,
    select_value,
    trace_count,
    trace_names,
    wait_css,
    wait_for,
)

pytestmark = pytest.mark.browser
HOME = "E06000033"
INDICATOR = f"/indicator?area={HOME}&domain=children&indicator=ReReferral"


@pytest.mark.parametrize("path, ready, title", [
    ("/", "tr[data-code=ReReferral]", "Southend-on-Sea: children's safeguarding"),
    (INDICATOR, "#indicator-trend .js-plotly-plot", "Re-referrals within 12 months"),
    ("/compare", ".compare-table", "Southend-on-Sea and its statistical neighbours"),
    ("/about", ".catalogue-table", "About the dashboard"),
    ("/no-such-page", ".page-404", "Page not found"),
], ids=["scorecard", "indicator", "compare", "about", "not_found"])
def test_page_loads_without_console_errors(browser, server_url, path, ready, title):
    """Each page draws its main content and heading with no console errors."""
    open_page(browser, server_url + path, ready)
    assert heading(browser).startswith(title)
    assert_no_console_errors(browser)


def test_scorecard_southend_rereferrals_2025_band_b(browser, server_url):
    """Southend-on-Sea's scorecard shows re-referrals at 17.1% (2025), band B."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    row = browser.find_element("css selector", "tr[data-code=ReReferral]")
    assert "17.1%" in row.text and "2025" in row.text
    assert row.find_element("css selector", ".band").text == "B"
    assert_no_console_errors(browser)


def test_scorecard_southend_rereferrals_period_2020_band_d(browser, server_url):
    """With period=2020 the scorecard shows re-referrals at 30.2%, band D, as at 2020."""
    open_page(browser, f"{server_url}/?area={HOME}&period=2020", "tr[data-code=ReReferral]")
    row = browser.find_element("css selector", "tr[data-code=ReReferral]")
    assert "30.2%" in row.text and "2020" in row.text
    assert row.find_element("css selector", ".band").text == "D"
    assert "Red" in row.find_element("css selector", ".rag-chip").text
    assert_no_console_errors(browser)


def test_changing_area_changes_table(browser, server_url):
    """Choosing another home area redraws the heading, the table and the address."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    before = row_text(browser, "ReReferral")
    choose_area(browser, ids.SC_CONTROLS.area, "Thurrock")
    wait_for(browser, lambda d: heading(d).startswith("Thurrock"))
    wait_for(browser, lambda d: row_text(d, "ReReferral") != before)
    wait_for(browser, lambda d: "area=E06000034" in d.current_url)
    assert_no_console_errors(browser)


def test_rag_filter_keeps_only_red_rows(browser, server_url):
    """Ticking Red leaves only red rows in the table."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    click_label(browser, ids.SC_RAG, "Red")
    wait_for(browser, lambda d: rag_statuses(d) == {"red"})
    wait_for(browser, lambda d: "rag=red" in d.current_url)
    assert_no_console_errors(browser)


def test_adding_neighbour_adds_trend_line(browser, server_url):
    """Switching a neighbour on adds one line to the trend chart, named after it."""
    open_page(browser, server_url + INDICATOR, "#indicator-trend .js-plotly-plot")
    before = trace_count(browser, ids.IND_TREND)
    click_label(browser, ids.IND_NEIGHBOURS, "Milton Keynes")
    wait_for(browser, lambda d: trace_count(d, ids.IND_TREND) == before + 1)
    assert "Milton Keynes" in trace_names(browser, ids.IND_TREND)
    assert_no_console_errors(browser)


def test_url_reproduces_view_in_fresh_browser(browser, fresh_browser, server_url):
    """A copied address opens the same indicator, neighbours and years in a new browser."""
    open_page(browser, server_url + INDICATOR, "#indicator-trend .js-plotly-plot")
    click_label(browser, ids.IND_NEIGHBOURS, "Leeds")
    wait_for(browser, lambda d: "neighbours=" in d.current_url)
    click_label(browser, ids.IND_NEIGHBOURS, "Bury")
    wait_for(browser, lambda d: "Bury" in trace_names(d, ids.IND_TREND))
    select_value(browser, ids.IND_FROM, "2018")
    wait_for(browser, lambda d: "from=2018" in d.current_url and "E08000002" in d.current_url)
    url = browser.current_url

    def snapshot(driver):
        wait_css(driver, "#indicator-trend .js-plotly-plot")
        checked = [e.get_attribute("value") for e in
                   css(driver, f"#{ids.IND_NEIGHBOURS} input:checked")]
        return (heading(driver), sorted(checked),
                driver.find_element("id", ids.IND_FROM).get_attribute("value"),
                trace_names(driver, ids.IND_TREND))

    wait_for(browser, lambda d: snapshot(d)[2] == "2018" and "2016" not in
             d.find_element("id", ids.IND_TABLE).text)
    expected = snapshot(browser)
    other = fresh_browser()
    other.get(url)
    assert snapshot(other) == expected
    assert expected[1] == ["E08000002", "E08000035"]
    assert_no_console_errors(browser)
    assert_no_console_errors(other)


def test_invalid_url_key_shows_notice(browser, server_url):
    """Unknown keys and bad values in the address are named in a visible notice."""
    open_page(browser, f"{server_url}/?area={HOME}&colour=blue&period=soon",
              "tr[data-code=ReReferral]")
    notice = wait_css(browser, f"#{ids.NOTICE} .alert")
    assert "colour" in notice.text and "period" in notice.text
    assert "17.1%" in row_text(browser, "ReReferral")
    assert_no_console_errors(browser)


def test_navbar_carries_area_to_next_page(browser, server_url):
    """After choosing an area, the navbar's Compare link opens Compare for that area."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    choose_area(browser, ids.SC_CONTROLS.area, "Thurrock")
    wait_for(browser, lambda d: heading(d).startswith("Thurrock"))
    browser.find_element("link text", "Compare").click()
    wait_css(browser, ".compare-table")
    assert heading(browser).startswith("Thurrock")
    assert "area=E06000034" in browser.current_url
    assert_no_console_errors(browser)


def test_clicking_indicator_opens_indicator_view(browser, server_url):
    """An indicator's name in the scorecard opens its indicator view."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    browser.find_element("css selector", "tr[data-code=ReReferral] a").click()
    wait_css(browser, "#indicator-trend .js-plotly-plot")
    assert heading(browser) == "Re-referrals within 12 months"
    assert "indicator=ReReferral" in browser.current_url
    assert_no_console_errors(browser)
