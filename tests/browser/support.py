"""Helpers for browser tests: explicit waits, Dash 4 controls, console errors, timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

TIMEOUT = 20
POLL = 0.01  # fine polling, so that measured timings are close to the real update time


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], Any],
             timeout: float = TIMEOUT, message: str = "") -> Any:
    """Wait until `condition(driver)` is truthy and return its value."""
    return WebDriverWait(driver, timeout, poll_frequency=POLL,
                         ignored_exceptions=(StaleElementReferenceException,
                                             NoSuchElementException)).until(condition, message)


def css(driver: WebDriver, selector: str) -> list[WebElement]:
    """Elements matching a CSS selector."""
    return driver.find_elements(By.CSS_SELECTOR, selector)


def wait_css(driver: WebDriver, selector: str, timeout: float = TIMEOUT) -> WebElement:
    """Wait for an element to be present and return it."""
    return wait_for(driver, lambda d: (css(d, selector) or [None])[0], timeout,
                    f"waiting for {selector}")


def open_page(driver: WebDriver, url: str, ready: str) -> None:
    """Load a URL and wait for the element that says the page has drawn."""
    driver.get(url)
    wait_css(driver, ready)


def heading(driver: WebDriver) -> str:
    """The page's h1 text (one script call, so that polling it is cheap)."""
    return str(driver.execute_script(
        "const h = document.querySelector('#main h1'); return h ? h.textContent : '';"))


def rag_statuses(driver: WebDriver) -> set[str]:
    """The RAG statuses of the scorecard's rows (one script call)."""
    return set(driver.execute_script(
        "return [...document.querySelectorAll('tr.sc-row')].map(r => r.dataset.rag);"))


def row_text(driver: WebDriver, code: str) -> str:
    """The scorecard row of an indicator."""
    return wait_css(driver, f'tr[data-code="{code}"]').text


def area_option(driver: WebDriver, control_id: str, name: str) -> WebElement:
    """Open the Dash 4 searchable dropdown, type a name and return its option (unclicked)."""
    wait_css(driver, f"#{control_id}").click()
    search = wait_for(driver, lambda d: next(
        (e for e in css(d, ".dash-dropdown-search") if e.is_displayed()), None))
    search.send_keys(Keys.CONTROL, "a")  # the dropdown keeps the last search: replace it
    search.send_keys(Keys.BACKSPACE)
    search.send_keys(name)
    return wait_for(driver, lambda d: next(
        (o for o in css(d, ".dash-dropdown-option") if o.text.strip() == name), None))


def choose_area(driver: WebDriver, control_id: str, name: str) -> None:
    """Pick a home area in the Dash 4 searchable dropdown by typing its name."""
    area_option(driver, control_id, name).click()


def select_value(driver: WebDriver, control_id: str, value: str) -> None:
    """Choose a value in a native <select> (dbc.Select)."""
    Select(driver.find_element(By.ID, control_id)).select_by_value(value)


def click_label(driver: WebDriver, container_id: str, text: str) -> None:
    """Click the label of a checkbox in a dbc.Checklist (scrolled into view first)."""
    label = driver.find_element(
        By.XPATH, f"//*[@id='{container_id}']//label[contains(normalize-space(.), '{text}')]")
    safe_click(driver, label)


def safe_click(driver: WebDriver, element: Any) -> None:
    """Scroll an element to the middle of the window and click it.

    A sticky bar or a toast can sit over the element for a moment on a loaded machine; the
    element is then clicked through the DOM, as a keyboard user's Enter would.
    """
    driver.execute_script(  # instant: Bootstrap's smooth scrolling would race the click
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    try:
        element.click()
    except ElementClickInterceptedException:
        driver.execute_script("arguments[0].click();", element)


def trace_count(driver: WebDriver, graph_id: str) -> int:
    """How many traces a dcc.Graph has drawn."""
    return int(driver.execute_script(
        "const g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return g && g.data ? g.data.length : -1;", graph_id))


def trace_names(driver: WebDriver, graph_id: str) -> list[str]:
    """The names of a dcc.Graph's traces."""
    return list(driver.execute_script(
        "const g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return g && g.data ? g.data.map(t => t.name) : [];", graph_id))


def severe_console_errors(driver: WebDriver) -> list[str]:
    """SEVERE messages in the browser console since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def assert_no_console_errors(driver: WebDriver) -> None:
    """Fail with the messages if the console logged any SEVERE error."""
    errors = severe_console_errors(driver)
    assert not errors, "console errors:\n" + "\n".join(errors)


def timed(driver: WebDriver, action: Callable[[], None],
          done: Callable[[WebDriver], Any]) -> float:
    """Seconds from an action to the DOM showing its result."""
    start = time.perf_counter()
    action()
    wait_for(driver, done)
    return time.perf_counter() - start
