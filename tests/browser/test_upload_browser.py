"""A partner's upload in a real browser, from sign-in to rollback; a note that is only text.

The journey of issue 5's "done when": a contributor signs in through the form, downloads the
template, fills in a quarter's figures with two mistakes, reads the report naming them, fixes
them, commits, and sees the new points on the indicator view; an admin finds the load in the
history and rolls it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.auth import create_user, get_user
from dashboard.ingest.upload import set_indicator_owner
from dashboard.store.db import get_engine
from tests.browser.support import (
    assert_no_console_errors,
    css,
    safe_click,
    select_value,
    wait_css,
    wait_for,
)
from tests.browser.test_accessibility import axe_source, axe_violations, describe
from tests.browser.testdb import session_db

pytestmark = pytest.mark.browser
__all__ = ["axe_source"]  # the accessibility tier's fixture, used here too
HOME = "E06000033"
QUARTERLY = "ASC_Concerns_Quarter"
ADULTS = "Southend Adult Social Care"
PASSWORD = "correct horse battery staple"
INDICATOR = f"/indicator?area={HOME}&indicator={QUARTERLY}"
TREND = "#indicator-trend .js-plotly-plot"
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> & "quotes"'


@pytest.fixture(scope="module")
def accounts(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A contributor for adults' services, an admin and a viewer: usernames by role."""
    engine = get_engine(f"sqlite:///{session_db(tmp_path_factory)}")
    names = {"contributor": ("br-ada", ADULTS), "admin": ("br-admin", None),
             "viewer": ("br-vic", None)}
    for role, (name, agency) in names.items():
        if get_user(engine, name) is None:
            create_user(engine, name, PASSWORD, role, agency)
    set_indicator_owner(engine, QUARTERLY, ADULTS, get_user(engine, "br-admin"))
    return {role: name for role, (name, _agency) in names.items()}


@pytest.fixture
def saving_browser(fresh_browser: Callable[[], webdriver.Chrome],
                   tmp_path: Path) -> Iterator[tuple[webdriver.Chrome, Path]]:
    """A fresh browser that saves downloads to a folder of its own."""
    driver = fresh_browser()
    folder = tmp_path / "downloads"
    folder.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(folder)})
    yield driver, folder


def sign_in(driver: webdriver.Chrome, base: str, username: str, next_path: str) -> None:
    """Sign in through the form on /login and wait for the page it goes back to."""
    driver.get(f"{base}/login?next={quote(next_path, safe='')}")
    wait_css(driver, "#username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_css(driver, f"#{ids.ACCOUNT} .account-toggle")


def upload(driver: webdriver.Chrome, path: Path, ready: str) -> str:
    """Drop a file on the upload zone (through its file input) and wait for the report."""
    wait_css(driver, f"#{ids.DATA_UPLOAD} input[type=file]").send_keys(str(path))
    return str(wait_css(driver, ready).text)


def downloaded(folder: Path, name: str) -> Path:
    """The finished download called `name`."""
    return wait_for(None, lambda _d: next((p for p in folder.glob(name) if p.stat().st_size),
                                          None), message=f"waiting for {name}")


def home_points(driver: webdriver.Chrome) -> dict[str, float]:
    """The home area's points on the trend chart, by period."""
    trace = driver.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "const t = g.data.find(t => t.name === 'Southend-on-Sea'); return [t.x, t.y];", TREND)
    return {x: y for x, y in zip(trace[0], trace[1], strict=True) if y is not None}


def test_upload_contributor_fixes_two_errors_commits_admin_rolls_back(
        server_url, accounts, saving_browser, fresh_browser, tmp_path):
    """Template, two named errors, fixed file committed and drawn; an admin rolls it back."""
    driver, folder = saving_browser
    sign_in(driver, server_url, accounts["contributor"], "/data")
    safe_click(driver, wait_css(driver, f"#{ids.DATA_TEMPLATE_CSV}"))
    header = downloaded(folder, "upload_template.csv").read_text(encoding="utf-8-sig").strip()
    assert header.startswith("indicator,area_code,period_type,period,value")

    rows = [f"{QUARTERLY},{HOME},quarter,2021-22 Q2,512,,,final,",
            f"{QUARTERLY},E06000O33,quarter,2021-22 Q3,498,,,final,",  # a letter O for a 0
            f"{QUARTERLY},{HOME},quarter,2021-22 Q4,4l7,,,provisional,"]  # an l for a 1
    bad = tmp_path / "adults_q2_q4.csv"
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    report = upload(driver, bad, ".report-problems")
    assert "2 problems: fix them and upload again" in report
    assert "3 area_code E06000O33 unknown area" in report
    assert "4 value 4l7 text in a number column" in report
    assert not css(driver, f"#{ids.DATA_COMMIT_BAR}:not([hidden])")

    fixed = tmp_path / "adults_q2_q4_fixed.csv"
    fixed.write_text("\n".join([header, rows[0], rows[1].replace("E06000O33", HOME),
                                rows[2].replace("4l7", "417")]) + "\n", encoding="utf-8")
    report = upload(driver, fixed, ".report-ok")
    assert "3 to add" in report
    safe_click(driver, wait_css(driver, f"#{ids.DATA_COMMIT}:not([disabled])"))
    result = wait_css(driver, ".commit-result").text
    load_id = re.search(r"Load (\d+) \(adults_q2_q4_fixed\.csv\): 3 added", result)
    assert load_id, result
    safe_click(driver, wait_css(driver, ".result-link"))
    wait_for(driver, lambda d: "2021-22 Q4" in home_points(d) if css(d, TREND) else False)
    points = home_points(driver)
    assert (points["2021-22 Q2"], points["2021-22 Q3"], points["2021-22 Q4"]) == (512, 498, 417)
    assert_no_console_errors(driver)

    admin = fresh_browser()
    sign_in(admin, server_url, accounts["admin"], "/data")
    row = f'tr[data-load="{load_id.group(1)}"]'
    assert "adults_q2_q4_fixed.csv" in wait_css(admin, row).text
    safe_click(admin, wait_css(admin, f"{row} .rollback-button"))
    question = wait_css(admin, f"#{ids.DATA_ROLLBACK_CONFIRM_BOX}:not([hidden])").text
    assert f"Roll back load {load_id.group(1)}" in question
    safe_click(admin, admin.find_element(By.ID, ids.DATA_ROLLBACK_YES))
    wait_for(admin, lambda d: "rolled back" in d.find_element(By.ID, ids.DATA_HISTORY_MSG).text)
    assert "3 added values removed" in admin.find_element(By.ID, ids.DATA_HISTORY_MSG).text
    assert "rolled back" in wait_css(admin, row).text
    admin.get(server_url + INDICATOR)
    wait_css(admin, TREND)
    assert "2021-22 Q2" not in home_points(admin)
    assert_no_console_errors(admin)


def test_upload_note_with_html_renders_as_text(server_url, accounts, browser):
    """A note holding HTML and a script shows as those characters and runs nothing."""
    sign_in(browser, server_url, accounts["viewer"], INDICATOR)
    text_box = wait_css(browser, f"#{ids.NOTE_TEXT}")
    text_box.send_keys(XSS)
    select_value(browser, ids.NOTE_PERIOD, "quarter|2021-04-01|2021-06-30")
    safe_click(browser, browser.find_element(By.ID, ids.NOTE_SAVE))
    wait_for(browser, lambda d: d.find_element(By.ID, ids.NOTE_MESSAGE).text == "Note saved.")
    shown = [e.text for e in css(browser, f"#{ids.NOTE_LIST} .note-text")]
    assert XSS in shown
    assert not css(browser, f"#{ids.NOTE_LIST} img, #{ids.NOTE_LIST} script")
    assert browser.execute_script("return window.__xss === undefined")
    notes = browser.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "return g.data.filter(t => t.name === 'Notes').map(t => t.x);", TREND)
    assert notes and "2021-22 Q1" in notes[0]
    assert_no_console_errors(browser)


def test_upload_login_and_data_report_pass_axe(server_url, accounts, browser, axe_source,
                                               tmp_path):
    """axe-core finds no WCAG A/AA violation on /login or on /data showing a report."""
    browser.get(f"{server_url}/login?next=/data")
    wait_css(browser, "#username")
    assert not (found := axe_violations(browser, axe_source)), describe(found)
    sign_in(browser, server_url, accounts["admin"], "/data")
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area_code,period_type,period,value\n"
                   f"{QUARTERLY},E99999999,quarter,2021-22 Q3,498\n", encoding="utf-8")
    upload(browser, bad, ".report-problems")
    assert not (found := axe_violations(browser, axe_source)), describe(found)
    assert_no_console_errors(browser)
