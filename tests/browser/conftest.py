"""Browser tier: a real server on a free port and headless Chromium, one browser per test.

Needs the Debian packages ``chromium`` and ``chromium-driver``. Without them the tier is
skipped with the reason, except under CI (``CI`` set), where it fails: CI must run it.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from dashboard.settings import Settings
from tests.browser.testdb import session_db

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 900)
CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", f"--window-size={WINDOW[0]},{WINDOW[1]}")


@pytest.fixture(scope="session")
def chromium() -> None:
    """Skip (or, under CI, fail) when Chromium or its driver is missing."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = ("Chromium is not installed: apt-get install chromium chromium-driver "
              f"(looked for {CHROMIUM} and {CHROMEDRIVER})")
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server_url(chromium: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by werkzeug in a thread, over the session's store."""
    from app import create_app

    db = session_db(tmp_path_factory)
    settings = dataclasses.replace(Settings.from_env({}), database_url=f"sqlite:///{db}")
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def make_driver() -> webdriver.Chrome:
    """A headless Chromium that keeps the browser console log."""
    options = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


@pytest.fixture
def browser(server_url: str) -> Iterator[webdriver.Chrome]:
    """A fresh browser for one test."""
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def fresh_browser(server_url: str) -> Iterator[Callable[[], webdriver.Chrome]]:
    """Open more fresh browsers (no shared state) within a test."""
    opened: list[webdriver.Chrome] = []

    def open_one() -> webdriver.Chrome:
        opened.append(make_driver())
        return opened[-1]

    yield open_one
    for driver in opened:
        driver.quit()
