"""Accessibility in a real browser: axe-core on every page, keyboard only, charts' alternatives.

axe-core comes from the npm registry (pinned in ``package.json``; ``npm ci`` installs it into
``node_modules/``) and is injected into each page after it has drawn. The rules run are the
WCAG 2.x A and AA ones (axe's tags below), as the Public Sector Bodies Accessibility Regulations
require WCAG 2.2 AA.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from dashboard import ids
from dashboard.settings import ROOT
from tests.browser.support import (
    assert_no_console_errors,
    css,
    heading,
    open_page,
    trace_count,
    trace_names,
    wait_css,
    wait_for,
)

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HOME = "E06000033"
INDICATOR = f"/indicator?area={HOME}&domain=children&indicator=ReReferral"
MAX_TABS = 80  # a keyboard user should never need more presses than this to reach a control

PAGES = [
    ("/", "tr[data-code=ReReferral]"),
    (f"/?area={HOME}&rag=red&sort=rank&colour=blue", "tr.sc-row"),
    (INDICATOR + "&neighbours=E06000034,E08000035", "#indicator-trend .js-plotly-plot"),
    ("/indicator?area=E06000034&domain=adults", "#indicator-trend .js-plotly-plot"),
    ("/compare", ".compare-table"),
    ("/about", ".catalogue-table"),
    ("/no-such-page", ".page-404"),
]
PAGE_IDS = ["scorecard", "scorecard_filtered_with_notice", "indicator", "indicator_adults",
            "compare", "about", "not_found"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script (skip locally, fail under CI, when `npm ci` has not been run)."""
    if not AXE.exists():
        reason = f"axe-core is not installed ({AXE}): run `npm ci` in the repository root"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def axe_violations(driver: WebDriver, source: str) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.x A/AA rules on the page as drawn; its violations."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(source)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        "                   resultTypes: ['violations']})"
        "  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        "        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))))"
        "  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", WCAG_TAGS)
    return list(result)


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as readable lines for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']}")
        lines += [f"    {n}" for n in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("path, ready", PAGES, ids=PAGE_IDS)
def test_axe_no_wcag_a_aa_violations(browser, server_url, axe_source, path, ready):
    """axe-core finds no WCAG 2.x A or AA violation on the page."""
    open_page(browser, server_url + path, ready)
    wait_for(browser, lambda d: d.execute_script(
        "return !document.querySelector('[data-dash-is-loading]')"))
    violations = axe_violations(browser, axe_source)
    assert not violations, "axe-core violations:\n" + describe(violations)
    assert_no_console_errors(browser)


def test_axe_no_violations_with_dropdown_open(browser, server_url, axe_source):
    """The home-area dropdown, open and searched, has no WCAG A/AA violation either."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    wait_css(browser, f"#{ids.SC_CONTROLS.area}").click()
    wait_for(browser, lambda d: [o for o in css(d, ".dash-dropdown-option") if o.is_displayed()])
    wait_for(browser, lambda d: css(d, "input[role=option]"))  # assets/a11y.js has run
    violations = axe_violations(browser, axe_source)
    assert not violations, "axe-core violations:\n" + describe(violations)
    assert_no_console_errors(browser)


# -- keyboard only ---------------------------------------------------------------------------


def active(driver: WebDriver) -> dict[str, Any]:
    """What has the keyboard focus: tag, id, classes, text, and the ids of its ancestors."""
    return dict(driver.execute_script(
        "const a = document.activeElement; const up = [];"
        "for (let e = a; e; e = e.parentElement) { if (e.id) up.push(e.id); }"
        "return {tag: a.tagName.toLowerCase(), id: a.id || '', cls: a.className || '',"
        "        text: (a.innerText || a.value || '').trim().slice(0, 80), within: up,"
        "        href: a.getAttribute('href') || ''};"))


def tab_until(driver: WebDriver, found: Any, what: str) -> dict[str, Any]:
    """Press Tab until `found(active element)` is true; fail after MAX_TABS presses.

    Every press must move the focus to another element, so a keyboard trap fails the test.
    """
    seen = driver.switch_to.active_element
    for _ in range(MAX_TABS):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        element = driver.switch_to.active_element
        now = active(driver)
        assert element != seen, f"Tab did not move the focus from {now}"
        seen = element
        if found(now):
            return now
    raise AssertionError(f"{what} was not reached in {MAX_TABS} presses of Tab")


def press(driver: WebDriver, key: str) -> None:
    """Press one key on whatever has the focus."""
    ActionChains(driver).send_keys(key).perform()


def test_keyboard_only_journey(browser, server_url, tmp_path):
    """Keyboard only: skip link, Enter opens an indicator, Space adds a line, Enter saves CSV."""
    # Focus must move with each Tab (tab_until), land where each step expects, and stay on the
    # neighbour's checkbox after Space.
    d = browser
    d.execute_cdp_cmd("Browser.setDownloadBehavior",
                      {"behavior": "allow", "downloadPath": str(tmp_path)})
    open_page(d, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    first = tab_until(d, lambda a: a["tag"] == "a", "the first link")
    assert "skip-link" in first["cls"], f"the first Tab should reach the skip link, got {first}"
    press(d, Keys.ENTER)
    wait_for(d, lambda drv: active(drv)["id"] == "main", message="skip link moves focus to main")
    link = tab_until(d, lambda a: ids.SC_TABLE in a["within"] and "ind-link" in a["cls"],
                     "an indicator's name in the scorecard table")
    name = link["text"]
    press(d, Keys.ENTER)
    wait_css(d, "#indicator-trend .js-plotly-plot")
    wait_for(d, lambda drv: heading(drv) == name, message=f"heading becomes {name}")
    before = trace_count(d, ids.IND_TREND)
    box = tab_until(d, lambda a: ids.IND_NEIGHBOURS in a["within"] and a["tag"] == "input",
                    "the first neighbour's checkbox")
    press(d, Keys.SPACE)
    wait_for(d, lambda drv: trace_count(drv, ids.IND_TREND) == before + 1,
             message="the trend chart gains a line")
    assert d.execute_script("return document.activeElement.checked") is True
    assert active(d)["id"] == box["id"], "focus stays on the checkbox after Space"
    assert len(trace_names(d, ids.IND_TREND)) == before + 1
    csv_link = tab_until(d, lambda a: ids.IND_TABLE in a["within"] and a["tag"] == "a"
                         and a["text"].startswith("Download CSV"), "the Download CSV link")
    assert "csv" in csv_link["href"]
    press(d, Keys.ENTER)
    csv = wait_for(d, lambda _drv: [p for p in tmp_path.glob("*.csv")], message="CSV saved")
    wait_for(d, lambda _drv: Path(csv[0]).stat().st_size > 0, message="CSV written")
    header = Path(csv[0]).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Period") and "Southend-on-Sea" in header
    assert_no_console_errors(d)


def test_focus_is_visible(browser, server_url):
    """A focused control shows a visible outline (WCAG 2.4.7)."""
    open_page(browser, f"{server_url}/?area={HOME}", "tr[data-code=ReReferral]")
    tab_until(browser, lambda a: ids.SC_TABLE in a["within"] and "ind-link" in a["cls"],
              "an indicator's name")
    style = browser.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth];")
    assert style[0] != "none" and style[1] != "0px", style


# -- charts' text alternatives and table twins -------------------------------------------------


def charts(driver: WebDriver) -> list[dict[str, Any]]:
    """Every drawn chart's accessible name and description, and its table twin's caption."""
    return list(driver.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')]"
        ".filter(g => g.offsetParent !== null).map(g => {"
        "  const fig = g.closest('[role=figure]');"
        "  const text = id => (document.getElementById(id) || {}).textContent || '';"
        "  const ids = a => (fig && fig.getAttribute(a) || '').split(' ').filter(Boolean);"
        "  const twin = fig && fig.dataset.table ? document.getElementById(fig.dataset.table)"
        "               : null;"
        "  return {graph: (g.closest('[id]') || {}).id || '',"
        "          label: fig ? (fig.getAttribute('aria-label') ||"
        "                        ids('aria-labelledby').map(text).join(' ')) : '',"
        "          description: ids('aria-describedby').map(text).join(' '),"
        "          twin: twin && twin.tagName === 'TABLE' ? twin.querySelector('caption')"
        "                .textContent : (twin ? (twin.querySelector('table caption') || {})"
        "                .textContent || '' : '')};"
        "});"))


@pytest.mark.parametrize("path", [INDICATOR + "&neighbours=E06000034",
                                  "/indicator?area=E06000033&domain=children"
                                  "&indicator=CIN_Assessment_Factors"],
                         ids=["rereferral", "breakdowns"])
def test_charts_have_text_alternatives_and_table_twins(browser, server_url, path):
    """Each chart is a labelled figure with a description and a table of the same numbers."""
    open_page(browser, server_url + path, "#indicator-trend .js-plotly-plot")
    wait_for(browser, lambda d: len(charts(d)) >= 2)
    found = charts(browser)
    missing = [c for c in found if not (c["label"] and c["description"] and c["twin"])]
    assert not missing, f"charts without a label, description or table twin: {missing}"
    trend = next(c for c in found if c["graph"] == ids.IND_TREND)
    assert heading(browser) in trend["label"]
    assert_no_console_errors(browser)
