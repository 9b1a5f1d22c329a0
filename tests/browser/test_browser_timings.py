"""How long each interaction takes in a real browser, from action to updated page.

The figures are printed (run with -s to see them), not asserted: a shared CI machine is too
noisy for a timed assertion. Each interaction runs three times and the median is reported,
beside the time the server's answer took (the rest is the browser drawing it). The target is
well under half a second each.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import pytest

from dashboard import ids
from tests.browser.support import (
    area_option,
    assert_no_console_errors,
    click_label,
    css,
    heading,
    open_page,
    rag_statuses,
    safe_click,
    select_value,
    timed,
    trace_count,
)

pytestmark = pytest.mark.browser
REPEATS = 3


def _server_ms(driver: Any) -> float:
    """The longest Dash callback request since the last call, in ms (then forget them)."""
    ms = driver.execute_script(
        "const e = performance.getEntriesByType('resource')"
        ".filter(x => x.name.includes('_dash-update-component'));"
        "performance.clearResourceTimings();"
        "return e.length ? Math.max(...e.map(x => x.duration)) : 0;")
    return float(ms)


Step = Callable[[], tuple[Callable[[], Any], Callable[[Any], Any]]]


def _measure(driver: Any, steps: list[Step]) -> tuple[float, float]:
    """Median total and server milliseconds over steps.

    Each step is prepared just before it is timed (e.g. a dropdown opened and searched) and
    returns the action to time and the condition that says the page has been updated.
    """
    totals, servers = [], []
    for step in steps:
        action, done = step()
        _server_ms(driver)
        totals.append(timed(driver, action, done) * 1000)
        servers.append(_server_ms(driver))
    return statistics.median(totals), statistics.median(servers)


def test_interaction_timings(browser, server_url):
    """Time a first-time user's path: area, red filter, sort, indicator, neighbours, years."""
    t: dict[str, tuple[float, float]] = {}
    d = browser
    open_page(d, f"{server_url}/?area=E06000033", "tr[data-code=ReReferral]")

    def area(name: str) -> Step:
        def prepare() -> tuple[Callable[[], Any], Callable[[Any], Any]]:
            option = area_option(d, ids.SC_CONTROLS.area, name)
            def done(drv: Any) -> bool:
                return heading(drv).startswith(name.split("-")[0])
            return (lambda: safe_click(d, option)), done
        return prepare

    def step(action: Callable[[], Any], done: Callable[[Any], Any]) -> Step:
        return lambda: (action, done)

    def sort() -> None:
        safe_click(d, css(d, "th.col-rank .sort-button")[0])

    def neighbour(label: str, count: int) -> Step:
        return step(lambda: click_label(d, ids.IND_NEIGHBOURS, label),
                    lambda drv: trace_count(drv, ids.IND_TREND) == count)

    def first_year(year: str) -> Step:
        return step(lambda: select_value(d, ids.IND_FROM, year),
                    lambda drv: f"from={year}" in drv.current_url)

    red_on = step(lambda: click_label(d, ids.SC_RAG, "Red"),
                  lambda drv: rag_statuses(drv) == {"red"})
    red_off = step(lambda: click_label(d, ids.SC_RAG, "Red"),
                   lambda drv: len(rag_statuses(drv)) > 1)
    t["scorecard: change home area (first time)"] = _measure(d, [area("Thurrock")])
    t["scorecard: change home area (cached)"] = _measure(
        d, [area(n) for n in ("Southend-on-Sea", "Thurrock", "Southend-on-Sea")])
    t["scorecard: RAG filter on or off"] = _measure(d, [red_on, red_off, red_on])
    t["scorecard: sort by a column"] = _measure(d, [
        step(sort, lambda drv: css(drv, 'th.col-rank[aria-sort="ascending"]')),
        step(sort, lambda drv: css(drv, 'th.col-rank[aria-sort="descending"]')),
        step(sort, lambda drv: css(drv, 'th.col-rank[aria-sort="none"]'))])
    t["open an indicator (first chart)"] = _measure(d, [step(
        lambda: safe_click(d, css(d, "tr.sc-row a")[0]),
        lambda drv: css(drv, "#indicator-trend .js-plotly-plot"))])
    base = trace_count(d, ids.IND_TREND)
    t["indicator: switch a neighbour on or off"] = _measure(d, [
        neighbour("1.", base + 1), neighbour("2.", base + 2), neighbour("2.", base + 1)])
    t["indicator: change the first year"] = _measure(
        d, [first_year(y) for y in ("2019", "2020", "2018")])
    url = d.current_url
    t["navigate to compare"] = _measure(d, [step(
        lambda: safe_click(d, d.find_element("link text", "Compare")),
        lambda drv: css(drv, ".compare-table"))])
    t["a colleague opens the link (full page load)"] = _measure(d, [step(
        lambda: d.get(url), lambda drv: trace_count(drv, ids.IND_TREND) == base + 1)])
    width = max(map(len, t))
    print(f"\nInteraction timings, median of up to {REPEATS} (action to updated page; "
          "server = the callback request):")
    for name, (total, server) in t.items():
        print(f"  {name:<{width}}  {total:6.0f} ms   server {server:5.0f} ms")
    assert_no_console_errors(d)
