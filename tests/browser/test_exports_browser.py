"""Exports in a real browser: each download arrives as a file, a pack builds, links copy."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from dashboard import ids
from tests.browser.conftest import CHROME_ARGS, CHROMEDRIVER, CHROMIUM
from tests.browser.support import (
    assert_no_console_errors,
    click_label,
    css,
    open_page,
    wait_css,
    wait_for,
)

pytestmark = pytest.mark.browser
HOME, BCP = "E06000033", "E06000058"
INDICATOR = f"/indicator?area={HOME}&domain=children&indicator=ReReferral&neighbours={BCP}"
PACK = f"/pack?area={HOME}&domain=children&theme=Front+door"
READY = "#indicator-trend .js-plotly-plot"
BAR_READY = "#indicator-bar .js-plotly-plot .main-svg"  # drawn last: the page stops moving
DOWNLOAD_TIMEOUT = 90  # the first chart starts the server's headless Chromium
# Instant: Bootstrap makes scrolling smooth, and a click during the scroll misses its target.
SCROLL = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"


def dash_id(component_id: dict[str, str]) -> str:
    """A CSS selector for a pattern-matching ID, as Dash writes it (sorted keys, no spaces)."""
    return "[id='" + json.dumps(component_id, sort_keys=True, separators=(",", ":")) + "']"


def link(target: str, fmt: str) -> str:
    """The CSS selector of a download link."""
    return dash_id(ids.export_link(target, fmt))


def href(driver: webdriver.Chrome, target: str, fmt: str) -> str:
    """A download link's current href."""
    return str(wait_css(driver, link(target, fmt)).get_attribute("href"))


@pytest.fixture
def downloads(server_url: str, tmp_path: Path) -> Iterator[tuple[webdriver.Chrome, Path]]:
    """A browser that saves downloads to a fresh folder and may use the clipboard."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    options = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": str(folder), "download.prompt_for_download": False,
        "download.directory_upgrade": True, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": server_url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield driver, folder
    driver.quit()


def wait_for_file(folder: Path, suffix: str) -> Path:
    """Wait until a finished download with this suffix is in the folder."""
    def finished(_driver: object) -> Path | None:
        if any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return None
        return next((p for p in folder.iterdir() if p.suffix == suffix and p.stat().st_size),
                    None)

    return wait_for(None, finished, DOWNLOAD_TIMEOUT, f"waiting for a {suffix} download")


def click(driver: webdriver.Chrome, selector: str) -> None:
    """Scroll an element into view and click it."""
    element = wait_css(driver, selector)
    driver.execute_script(SCROLL, element)
    element.click()


def _png(data: bytes) -> None:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(data)).size == (1600, 1040)  # Word page at 2x


def _svg(data: bytes) -> None:
    assert b"<svg" in data[:400] and b"Source:" in data


def _csv(data: bytes) -> None:
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Period,Southend-on-Sea,Status")
    assert "Bournemouth, Christchurch and Poole" in header


def _xlsx(data: bytes) -> None:
    assert data.startswith(b"PK\x03\x04")


CHECKS: dict[str, Callable[[bytes], None]] = {"png": _png, "svg": _svg, "csv": _csv,
                                              "xlsx": _xlsx}


@pytest.mark.parametrize("target, fmt", [
    ("trend", "png"), ("trend", "svg"), ("bar", "png"), ("bar", "svg"), ("indicator", "csv"),
    ("indicator", "xlsx"),
], ids=["trend_png", "trend_svg", "bar_png", "bar_svg", "table_csv", "table_xlsx"])
def test_indicator_download_arrives_as_file(downloads, server_url, target, fmt):
    """Clicking a chart's or the table's download saves a file of that type."""
    driver, folder = downloads
    open_page(driver, server_url + INDICATOR, READY)
    wait_css(driver, BAR_READY)
    click(driver, link(target, fmt))
    CHECKS[fmt](wait_for_file(folder, f".{fmt}").read_bytes())
    assert_no_console_errors(driver)


def test_slide_size_and_neighbour_switch_update_the_links(downloads, server_url):
    """Choosing 16:9 slide and another neighbour rewrites the links; the PNG is slide-sized."""
    driver, folder = downloads
    open_page(driver, server_url + INDICATOR, READY)
    wait_css(driver, BAR_READY)
    click_label(driver, ids.IND_NEIGHBOURS, "Leeds")
    wait_for(driver, lambda d: "E08000035" in href(d, "trend", "png"))
    assert "E08000035" in href(driver, "indicator", "csv")
    size = wait_css(driver, dash_id(ids.chart_size("trend")) + " input[value=slide]")
    driver.execute_script(SCROLL, size)
    size.click()
    wait_for(driver, lambda d: "size=slide" in href(d, "trend", "png"))
    assert "size=slide" not in href(driver, "bar", "png")
    click(driver, link("trend", "png"))
    image = Image.open(io.BytesIO(wait_for_file(folder, ".png").read_bytes()))
    assert image.size == (2560, 1440)
    assert_no_console_errors(driver)


def test_pack_of_two_indicators_builds_and_downloads(downloads, server_url):
    """Untick all, tick two, Build PDF: progress shows, then the PDF downloads."""
    driver, folder = downloads
    open_page(driver, server_url + PACK, f"#{ids.PACK_INDICATORS} input")
    click(driver, f"#{ids.PACK_NONE}")
    wait_for(driver, lambda d: not any(e.is_selected()
                                       for e in css(d, f"#{ids.PACK_INDICATORS} input")))
    click_label(driver, ids.PACK_INDICATORS, "Re-referrals within 12 months")
    click_label(driver, ids.PACK_INDICATORS, "Referrals per 10,000 children")
    wait_for(driver, lambda d: d.find_element("id", ids.PACK_COUNT).text.startswith("2 of"))
    click(driver, f"#{ids.PACK_BUILD}")
    wait_for(driver, lambda d: d.find_element("id", ids.PACK_STATUS).text.startswith(
        ("Building", "The pack is ready")))
    link = wait_for(driver, lambda d: next(
        (a for a in css(d, f"#{ids.PACK_DOWNLOAD}") if a.is_displayed()), None),
        DOWNLOAD_TIMEOUT)
    assert "ready" in driver.find_element("id", ids.PACK_STATUS).text
    assert link.get_attribute("href").endswith(".pdf")
    link.click()
    pdf = PdfReader(io.BytesIO(wait_for_file(folder, ".pdf").read_bytes()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 3  # the cover, then the two indicators
    assert "Re-referrals within 12 months" in text and "Referrals per 10,000" in text
    assert_no_console_errors(driver)


def test_copy_link_confirms_and_copies_the_view_url(downloads, server_url):
    """Copy link puts the view's address on the clipboard and says so in a live region."""
    driver, _folder = downloads
    open_page(driver, server_url + INDICATOR, READY)
    wait_for(driver, lambda d: f"neighbours={BCP}" in d.current_url)
    click(driver, f"#{ids.COPY_LINK}")
    status = wait_for(driver, lambda d: next(
        (e for e in css(d, f"#{ids.COPY_STATUS}") if e.text == "Link copied"), None))
    assert status.get_attribute("role") == "status"
    copied = driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(''));")
    assert copied == driver.current_url
    assert_no_console_errors(driver)


def test_print_shows_view_url_and_hides_controls(downloads, server_url):
    """In print, the navbar, controls and download links go and the view's URL shows."""
    driver, _folder = downloads
    open_page(driver, server_url + INDICATOR, READY)
    wait_for(driver, lambda d: f"neighbours={BCP}" in d.current_url)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    url = wait_css(driver, f"#{ids.PRINT_URL}")
    wait_for(driver, lambda d: url.is_displayed() and url.text == d.current_url)
    for hidden in (".app-navbar", ".control-bar", ".export-bar", f"#{ids.COPY_LINK}"):
        assert not any(e.is_displayed() for e in css(driver, hidden)), hidden
    assert_no_console_errors(driver)
