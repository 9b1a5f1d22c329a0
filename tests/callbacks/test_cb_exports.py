"""Download links, copy link and the meeting pack page: layouts and callbacks as functions."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.exports.jobs import PackJob, pack_request
from tests.callbacks.dashtree import by_id, find, text

pytestmark = pytest.mark.usefixtures("request_ctx")
HOME = "E06000033"
BCP, LEEDS = "E06000058", "E08000035"
INDICATOR_QUERY = (f"area={HOME}&domain=children&indicator=ReReferral&vintage=2021"
                   f"&neighbours={BCP},{LEEDS}&from=2018&to=2024")
INDICATOR_LINKS = [ids.export_link("trend", "png"), ids.export_link("trend", "svg"),
                   ids.export_link("bar", "png"), ids.export_link("bar", "svg"),
                   ids.export_link("indicator", "csv"), ids.export_link("indicator", "xlsx")]
SIZE_IDS = [ids.chart_size("trend"), ids.chart_size("bar")]


@pytest.fixture(scope="module")
def mods(app):
    """The exports and pack callback modules and the pack page."""
    from callbacks import exports, pack
    from layouts import pack as pack_page

    return SimpleNamespace(exports=exports, pack=pack, pack_page=pack_page)


def _split(href: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(href)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_links_follow_indicator_state_and_chart_size(mods):
    """Each chart and table link carries area, neighbours, years and vintage; sizes apply."""
    hrefs = mods.exports.update_links({"query": INDICATOR_QUERY}, ["slide", "word"], SIZE_IDS,
                                      INDICATOR_LINKS)
    paths = [_split(h)[0] for h in hrefs]
    assert paths == ["/export/chart.png", "/export/chart.svg", "/export/chart.png",
                     "/export/chart.svg", "/export/table.csv", "/export/table.xlsx"]
    for href in hrefs:
        q = _split(href)[1]
        assert q["area"] == HOME and q["indicator"] == "ReReferral" and q["vintage"] == "2021"
        assert q["neighbours"] == f"{BCP},{LEEDS}" and q["from"] == "2018" and q["to"] == "2024"
    assert _split(hrefs[0])[1]["chart"] == "trend" and _split(hrefs[0])[1]["size"] == "slide"
    assert _split(hrefs[2])[1]["chart"] == "bar" and "size" not in _split(hrefs[2])[1]
    assert _split(hrefs[4])[1]["view"] == "indicator"


def test_links_scorecard_table_keeps_filters(mods):
    """The scorecard's CSV and Excel links keep its period, RAG filter and sort."""
    query = f"area={HOME}&domain=children&theme=Front+door&period=2020&rag=red&sort=-rank"
    hrefs = mods.exports.update_links({"query": query}, [], [],
                                      [ids.export_link("scorecard", "csv"),
                                       ids.export_link("scorecard", "xlsx")])
    path, q = _split(hrefs[0])
    assert path == "/export/table.csv" and hrefs[1].startswith("/export/table.xlsx?")
    assert q == {"area": HOME, "domain": "children", "theme": "Front door", "period": "2020",
                 "rag": "red", "sort": "-rank", "view": "scorecard"}


def test_links_page_without_downloads_is_left_alone(mods):
    """A page with no download links (or no URL state yet) changes nothing."""
    with pytest.raises(PreventUpdate):
        mods.exports.update_links({"query": f"area={HOME}"}, [], [], [])
    with pytest.raises(PreventUpdate):
        mods.exports.update_links(None, [], [], INDICATOR_LINKS)


def test_indicator_layout_draws_links_for_its_url(cb):
    """The indicator page's links are right before any callback runs."""
    layout = cb.indicator_page.layout(area=HOME, indicator="ReReferral", neighbours=BCP,
                                      **{"from": "2019"})
    for link in INDICATOR_LINKS:
        a = by_id(layout, link)
        assert a.download == "" and f"neighbours={BCP}" in a.href and "from=2019" in a.href
    assert by_id(layout, ids.chart_size("trend")).value == "word"
    assert "Download PNG" in text(by_id(layout, ids.export_link("bar", "png")))


def test_indicator_neighbour_switch_redraws_table_links(cb):
    """The data table drawn after a neighbour switch links to the same neighbours."""
    _trend, table, _url = cb.indicator.update_trend([LEEDS], HOME, "children", "all", "2025",
                                                    "ReReferral", "any", "any")
    csv = find(table, lambda c: getattr(c, "id", None) == ids.export_link("indicator", "csv"))
    assert f"neighbours={LEEDS}" in csv[0].href


def test_scorecard_and_compare_layouts_have_table_downloads(cb):
    """The scorecard table and the compare grid each have CSV and Excel links."""
    sc = cb.scorecard_page.layout(area=HOME, period="2020")
    assert "view=scorecard" in by_id(sc, ids.export_link("scorecard", "xlsx")).href
    assert "period=2020" in by_id(sc, ids.export_link("scorecard", "csv")).href
    grid, _periods, _url = cb.compare.update(HOME, "children", "all", "2025", "latest")
    assert "view=compare" in by_id(grid, ids.export_link("compare", "csv")).href


def test_compare_table_csv_route_has_bands(app):
    """The compare grid downloads as CSV with a value and band column per area."""
    with app.server.test_client() as client:
        r = client.get(f"/export/table.csv?view=compare&area={HOME}&domain=children")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    header = r.data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Code,Indicator,Period,Unit,Southend-on-Sea,Southend-on-Sea: band")
    assert header.endswith(",England")


def test_pack_layout_ticks_every_curated_indicator(mods):
    """The pack page offers the domain's curated indicators, all ticked, and can build."""
    layout = mods.pack_page.layout(area=HOME, domain="children")
    box = by_id(layout, ids.PACK_INDICATORS)
    assert len(box.options) >= 10 and box.value == [o["value"] for o in box.options]
    assert by_id(layout, ids.PACK_BUILD).disabled is False
    assert "d-none" in by_id(layout, ids.PACK_DOWNLOAD).className
    assert by_id(layout, ids.PACK_POLL).disabled is True


def test_pack_update_theme_narrows_and_untick_clears(mods, callback_context):
    """A theme offers only its indicators; Untick all clears; a new area keeps the ticks."""
    everything = mods.pack_page.offered(mods.pack.state_from(HOME, "children", "all", "", ""))
    theme = next(o["label"].split(":")[0] for o in everything)
    callback_context(f"{ids.PACK_CONTROLS.theme}.value", theme)
    options, value, _periods, url = mods.pack.update(HOME, "children", theme, "", "latest",
                                                     0, 0, [])
    assert 0 < len(options) < len(everything) and value == [o["value"] for o in options]
    assert "theme=" in url["query"]
    callback_context(f"{ids.PACK_NONE}.n_clicks", 1)
    assert mods.pack.update(HOME, "children", theme, "", "latest", 0, 1, value)[1] == []
    callback_context(f"{ids.PACK_CONTROLS.area}.value", "E06000034")
    kept = mods.pack.update("E06000034", "children", theme, "", "latest", 0, 1, value[:1])
    assert kept[1] == value[:1]
    assert mods.pack.count(value[:1], options) == f"1 of {len(options)} ticked"


def test_pack_request_uses_theme_when_every_indicator_is_ticked():
    """All offered ticked: the theme; some ticked: those codes, in catalogue order."""
    whole = pack_request(HOME, "children", "Front door", None, None, ["B", "A"], ["A", "B"])
    assert whole.codes == () and whole.theme == "Front door"
    some = pack_request(HOME, "children", None, "2021", "2020", ["C", "A"], ["A", "B", "C"])
    assert some.codes == ("A", "C") and some.vintage == "2021" and some.period == "2020"


def test_pack_build_without_ticks_asks_for_one(mods):
    """Build with nothing ticked says what to do and starts nothing."""
    out = mods.pack.build(1, HOME, "children", "all", "", "latest", [], [])
    assert out[0] is None and "Tick at least one" in out[5] and out[6] is True


def test_pack_progress_panel_for_each_job_state(mods):
    """Running shows the bar and disables Build; done shows the download; failed says why."""
    running = mods.pack_page.progress(PackJob("x" * 24, "running", 0.4, "Drew chart 2 of 4"))
    assert running[0] == 40 and "d-none" not in running[2] and running[3] == "Drew chart 2 of 4"
    assert running[5] is False and running[8] is True
    done = mods.pack_page.progress(PackJob("y" * 24, "done", 1.0, "", "pack.pdf"))
    assert done[6] == f"/export/pack/{'y' * 24}.pdf" and "d-none" not in done[7]
    assert done[5] is True and done[8] is False
    failed = mods.pack_page.progress(PackJob("z" * 24, "failed", 0, "no indicators match"))
    assert "no indicators match" in failed[4] and "d-none" in failed[7]


def test_pack_poll_unknown_job_says_build_again(mods):
    """Polling a job that is not in the cache stops polling and says so."""
    out = mods.pack.poll(3, "unknown-job-id-0000000")
    assert "build it again" in out[4] and out[5] is True
