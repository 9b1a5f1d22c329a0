"""Signal or noise in a real browser: the SPC toggle draws limits, "What changed" lists moves."""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from tests.browser.support import (
    assert_no_console_errors,
    click_label,
    css,
    heading,
    open_page,
    trace_names,
    wait_css,
    wait_for,
)
from tests.browser.test_accessibility import axe_source, axe_violations, describe

pytestmark = pytest.mark.browser
HOME = "E06000033"
INDICATOR = f"/indicator?area={HOME}&domain=children&indicator=ReReferral"
SPC_PLOT = f"#{ids.IND_SPC} .js-plotly-plot"
__all__ = ["axe_source"]  # the fixture, shared with the accessibility tests


def _hidden(driver, element_id: str) -> bool:
    return bool(driver.execute_script(
        "return document.getElementById(arguments[0]).hidden;", element_id))


def _limit_lines(driver) -> list[dict]:
    """The SPC chart's mean and limit traces as drawn: their meta and y values."""
    return list(driver.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "return g && g.data ? g.data.filter(t => t.meta && ['mean', 'upper', 'lower']"
        ".includes(t.meta.line)).map(t => ({line: t.meta.line, y: t.y})) : [];", SPC_PLOT))


def test_spc_toggle_draws_limits_and_writes_url(browser, server_url):
    """Choosing SPC draws the mean and process limits and writes chart=spc; trend comes back."""
    open_page(browser, server_url + INDICATOR, f"#{ids.IND_TREND} .js-plotly-plot")
    assert not _hidden(browser, ids.IND_TREND_BOX)
    click_label(browser, ids.IND_CHART, "SPC")
    wait_css(browser, SPC_PLOT)
    wait_for(browser, lambda d: "chart=spc" in d.current_url)
    lines = wait_for(browser, lambda d: _limit_lines(d) or None)
    by_line = {t["line"]: t["y"][0] for t in lines}
    assert by_line["lower"] < by_line["mean"] < by_line["upper"]
    assert {"Process limits", "Mean", "Southend-on-Sea"} <= set(trace_names(browser, ids.IND_SPC))
    assert _hidden(browser, ids.IND_TREND_BOX) and not _hidden(browser, ids.IND_SPC_BOX)
    panel = wait_css(browser, f"#{ids.IND_SIGNAL} .spc-panel").text
    assert "cause" in panel and "process limits" in panel.lower()
    click_label(browser, ids.IND_CHART, "Trend with comparators")
    wait_for(browser, lambda d: not _hidden(d, ids.IND_TREND_BOX))
    wait_for(browser, lambda d: "chart=spc" not in d.current_url)
    width = browser.execute_script(
        "return document.querySelector('#' + arguments[0] + ' .main-svg').getBoundingClientRect()"
        ".width;", ids.IND_TREND)
    assert width > 400  # the trend chart is redrawn at full width once shown again
    assert_no_console_errors(browser)


def test_spc_url_opens_spc_without_axe_violations(browser, server_url, axe_source):
    """A link with chart=spc opens the SPC chart and its panel with no WCAG A/AA violation."""
    open_page(browser, f"{server_url}{INDICATOR}&chart=spc", SPC_PLOT)
    wait_for(browser, lambda d: d.execute_script(
        "return !document.querySelector('[data-dash-is-loading]')"))
    assert css(browser, f"#{ids.IND_CHART} input[value=spc]")[0].is_selected()
    violations = axe_violations(browser, axe_source)
    assert not violations, "axe-core violations:\n" + describe(violations)
    assert_no_console_errors(browser)


def test_changes_page_lists_changes_and_links_to_indicator(browser, server_url, axe_source):
    """/changes lists what moved since the date, keeps the date in the URL, links onward."""
    open_page(browser, f"{server_url}/changes?area={HOME}&since=2020-01-01", ".changes-table")
    assert heading(browser) == "What changed since 1 January 2020"
    assert "since=2020-01-01" in browser.current_url
    rows = css(browser, "tr.change-row")
    assert len(rows) > 10
    violations = axe_violations(browser, axe_source)
    assert not violations, "axe-core violations:\n" + describe(violations)
    link = rows[0].find_element("css selector", "a.ind-link")
    name = link.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    link.click()
    wait_for(browser, lambda d: heading(d).startswith(name[:20]))
    wait_css(browser, f"#{ids.IND_TREND} .js-plotly-plot")
    assert_no_console_errors(browser)


def test_changes_page_defaults_to_thirty_days_ago_and_takes_a_date(browser, server_url):
    """/changes opens at 30 days ago (no meeting recorded); a typed date redraws the list."""
    open_page(browser, f"{server_url}/changes?area={HOME}", "#main h1")
    since = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    wait_for(browser, lambda d: f"since={since}" in d.current_url)
    assert heading(browser).startswith("What changed since")
    box = wait_css(browser, f"#{ids.CHG_SINCE}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("2020-01-01", Keys.ENTER)
    wait_for(browser, lambda d: heading(d) == "What changed since 1 January 2020")
    wait_for(browser, lambda d: "since=2020-01-01" in d.current_url)
    assert css(browser, "tr.change-row")
    assert_no_console_errors(browser)
