"""Exports on the real national data: PNG, SVG, XLSX, CSV, the meeting pack and the routes.

Chart and pack tests drive the warm headless Chromium; they skip with a reason on a laptop
without /usr/bin/chromium and fail under CI, where it must be installed.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from app import create_app
from dashboard.__main__ import main as cli
from dashboard.exports import (
    ExportError,
    PackRequest,
    build_chart,
    build_pack,
    chromium_path,
    get_renderer,
    indicator_content,
    indicator_table,
    render_chart,
    scorecard_table,
    to_csv,
    to_xlsx,
)
from dashboard.scorecard import build_scorecard
from dashboard.settings import Settings

AREA = "E06000033"  # Southend-on-Sea
NEIGHBOURS = ("E06000058", "E06000035")  # two of its 2021 neighbours


@pytest.fixture(scope="module")
def renderer():
    """The process's warm chart renderer, closed when the module's tests are done."""
    if chromium_path() is None:
        from tests.conftest import need

        need("Chromium is not installed (apt-get install chromium chromium-driver); "
             "server-side chart export needs it")
    r = get_renderer()
    r.start()
    yield r
    r.close()


@pytest.fixture(scope="module")
def client(national):
    """A test client of an app pointed at the national store."""
    settings = Settings.from_env({"DATABASE_URL": national.url.render_as_string(
        hide_password=False)})
    return create_app(settings).server.test_client()


@pytest.fixture(scope="module")
def rereferral(national):
    """Re-referrals for Southend-on-Sea to 2020 with the 2021 neighbours, two drawn."""
    return indicator_content(national, "ReReferral", AREA, vintage="2021",
                             neighbours=NEIGHBOURS, end=2020)


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    text = " ".join(" ".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    return re.sub(r"\s+", " ", text)


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


# -- charts --------------------------------------------------------------------------------


def test_export_trend_png_is_2x_word_size_and_not_blank(rereferral, renderer):
    """The trend PNG is 1600x1040 (word size at 2x) with many distinct colours."""
    png = render_chart(build_chart(rereferral, "trend"), "png", "word", renderer=renderer)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1600, 1040)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50
    assert {c for _n, c in sorted(colours, reverse=True)[:1]} == {(255, 255, 255)}


def test_export_bar_png_slide_size_at_scale_one(rereferral, renderer):
    """The comparison PNG at slide size and scale 1 is 1280x720 (16:9)."""
    png = render_chart(build_chart(rereferral, "bar"), "png", "slide", scale=1,
                       renderer=renderer)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1280, 720)
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 20


def test_export_trend_svg_has_title_subtitle_source_and_legend(rereferral, renderer):
    """The SVG's text holds the title, area and comparators, legend, source and date."""
    svg = render_chart(build_chart(rereferral, "trend"), "svg", renderer=renderer)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.attrib["width"] == "800"
    text = _svg_text(svg)
    assert "Re-referrals within 12 months" in text
    assert "Southend-on-Sea" in text and "statistical neighbours (2021)" in text
    assert "9 of 10 reporting for 2020" in text
    assert "Statistical neighbour average" in text and "England" in text
    assert "Source: DfE" in text and "Open Government Licence v3.0" in text
    assert "Produced" in text


def test_export_bar_svg_names_period_and_neighbours(rereferral, renderer):
    """The comparison SVG says the period and shows each neighbour and England."""
    text = _svg_text(render_chart(build_chart(rereferral, "bar"), "svg", renderer=renderer))
    assert "Re-referrals within 12 months, 2020" in text
    assert "9 of 10 reporting" in text and "England" in text and "30.2%" in text


def test_chart_content_rejects_a_neighbour_outside_the_group(national):
    """Drawing an area that is not a neighbour is a named parameter error."""
    with pytest.raises(ExportError) as err:
        indicator_content(national, "ReReferral", AREA, neighbours=("E09000001",))
    assert err.value.parameter == "neighbours"


# -- tables --------------------------------------------------------------------------------


def test_export_scorecard_xlsx_values_units_formats_and_notes(national):
    """The scorecard XLSX: values, units, number formats, frozen header, notes sheet."""
    sc = build_scorecard(national, AREA, "children", vintage="2021", as_at="2020")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(scorecard_table(national, sc))))
    ws = wb["Scorecard"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Code", "Indicator", "Theme", "Period", "Value", "Unit"]
    assert ws.freeze_panes == "C2"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    row = rows["ReReferral"]
    col = {h: i for i, h in enumerate(header)}
    assert row[col["Value"]].value == pytest.approx(30.2)
    assert row[col["Value"]].number_format == '#,##0.0"%"'
    assert row[col["Unit"]].value == "%"
    assert row[col["RAG"]].value == "Red"
    assert row[col["Neighbours reporting"]].value == "9 of 10"
    assert row[col["Rank"]].value == 139
    assert rows["Section_47"][col["Unit"]].value == "per 10,000 children"
    notes = [c for r in wb["Notes"].iter_rows(values_only=True) for c in r if c]
    assert any("statistical neighbours (2021)" in str(v) for v in notes)
    assert any(str(v).startswith("Produced ") for v in notes)
    assert "Open Government Licence v3.0" in notes
    assert any("re-referral" in str(v).lower() for v in notes)


def test_export_indicator_table_csv_and_xlsx(national, rereferral):
    """The indicator's data table: one row per period, home value, comparators, neighbours."""
    table = indicator_table(national, rereferral)
    rows = list(csv.DictReader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    by = {r["Period"]: r for r in rows}
    assert float(by["2020"]["Southend-on-Sea"]) == pytest.approx(30.2)
    assert float(by["2020"]["England"]) == pytest.approx(22.6)
    assert by["2020"]["Neighbours reporting"] == "9 of 10"
    assert by["2020"]["Unit"] == "%"
    assert max(by) == "2020"
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(table)))["Data"]
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    assert len(header) == 9 + len(NEIGHBOURS) + 2
    assert table.filename("csv") == "southend-on-sea_re-referrals-within-12-months_data_2020.csv"


# -- the meeting pack ----------------------------------------------------------------------


def test_pack_pdf_has_cover_pages_and_narratives(national, renderer):
    """A theme's pack: cover with RAG counts, then each indicator with its narrative."""
    seen: list[tuple[float, str]] = []
    req = PackRequest(AREA, "children", theme="Front door", vintage="2021", period="2020")
    pdf = build_pack(national, req, progress=lambda f, m: seen.append((f, m)),
                     renderer=renderer)
    pages, text = _pdf_text(pdf)
    sc = build_scorecard(national, AREA, "children", "Front door", vintage="2021",
                         as_at="2020")
    assert pages >= 1 + len(sc.rows)
    assert "Performance pack" in text and "Southend-on-Sea" in text
    counts = sc.counts
    assert f"{counts['red']} Red" in text and f"{counts['none']} No RAG" in text
    for row in sc.rows:
        assert re.sub(r"\s+", " ", row.narrative)[:60] in text
    assert "Re-referrals within 12 months rose" in text
    assert f"Page 1 of {pages}" in text
    fractions = [f for f, _m in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_pack_rejects_unknown_codes_and_themes(national):
    """Bad requests name the parameter before any chart is drawn."""
    with pytest.raises(ExportError) as err:
        build_pack(national, PackRequest(AREA, codes=("ReReferral", "Nope")))
    assert err.value.parameter == "codes" and "Nope" in err.value.message
    with pytest.raises(ExportError) as err:
        build_pack(national, PackRequest(AREA, theme="Nope"))
    assert err.value.parameter == "theme"


def test_cli_pack_writes_the_pdf(national, renderer, tmp_path):
    """`python -m dashboard pack ... --out` writes a PDF; a bad theme exits 2."""
    url = national.url.render_as_string(hide_password=False)
    out = tmp_path / "monthly" / "pack.pdf"
    rc = cli(["--database-url", url, "pack", "--area", AREA, "--codes",
              "ReReferral,CPP_Total_Rateper10,000", "--vintage", "2021", "--period", "2020",
              "--out", str(out), "--quiet"])
    assert rc == 0
    pages, text = _pdf_text(out.read_bytes())
    assert pages >= 3 and "Referrals per 10,000 children" in text
    assert cli(["--database-url", url, "pack", "--theme", "Nope", "--out",
                str(tmp_path / "x.pdf"), "--quiet"]) == 2


# -- routes --------------------------------------------------------------------------------


def _filename(response) -> str:
    return re.search(r'filename="?([^";]+)', response.headers["Content-Disposition"]).group(1)


def test_route_chart_png_and_svg(client, renderer):
    """The chart routes give an attachment with the right type and a telling name."""
    r = client.get(f"/export/chart.png?indicator=ReReferral&area={AREA}&vintage=2021&to=2020"
                   f"&neighbours={','.join(NEIGHBOURS)}&size=slide&scale=1")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert Image.open(io.BytesIO(r.data)).size == (1280, 720)
    assert _filename(r) == "southend-on-sea_re-referrals-within-12-months_trend_2020.png"
    r = client.get(f"/export/chart.svg?indicator=ReReferral&area={AREA}&chart=bar&to=2020")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "Source: DfE" in _svg_text(r.data)
    assert _filename(r) == "southend-on-sea_re-referrals-within-12-months_comparison_2020.svg"


def test_route_tables(client):
    """Scorecard XLSX and indicator CSV downloads, filtered like the view."""
    r = client.get(f"/export/table.xlsx?view=scorecard&area={AREA}&vintage=2021&period=2020"
                   "&rag=red")
    assert r.status_code == 200
    assert r.mimetype == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert _filename(r) == "southend-on-sea_children_scorecard_2020.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(r.data))["Scorecard"]
    rag = [c.value for c in ws[1]].index("RAG")
    assert {row[rag] for row in ws.iter_rows(min_row=2, values_only=True)} == {"Red"}
    r = client.get(f"/export/table.csv?view=indicator&indicator=ReReferral&area={AREA}"
                   "&from=2016&to=2020")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    periods = [row["Period"] for row in csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")))]
    assert periods == ["2016", "2017", "2018", "2019", "2020"]


def test_route_pack_pdf(client, renderer):
    """The pack route gives a PDF for a list of codes (one with a comma in it)."""
    r = client.get(f"/export/pack.pdf?area={AREA}&codes=ReReferral,CPP_Total_Rateper10,000"
                   "&vintage=2021&period=2020")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert _filename(r).startswith("southend-on-sea_children_selected-indicators_pack_as-at-2020")
    pages, text = _pdf_text(r.data)
    assert pages >= 5 and "Referrals per 10,000 children" in text


@pytest.mark.parametrize(("url", "parameter"), [
    ("/export/chart.png", "indicator"),
    ("/export/chart.png?indicator=Nope", "indicator"),
    ("/export/chart.png?indicator=<script>", "indicator"),
    ("/export/chart.png?indicator=ReReferral&area=XYZ", "area"),
    ("/export/chart.png?indicator=ReReferral&area=E09999999", "area"),
    ("/export/chart.png?indicator=ReReferral&chart=pie", "chart"),
    ("/export/chart.png?indicator=ReReferral&size=a3", "size"),
    ("/export/chart.png?indicator=ReReferral&scale=big", "scale"),
    ("/export/chart.png?indicator=ReReferral&scale=9", "scale"),
    ("/export/chart.png?indicator=ReReferral&from=20x", "from"),
    ("/export/chart.png?indicator=ReReferral&from=2020&to=2010", "from"),
    ("/export/chart.png?indicator=ReReferral&neighbours=E09000001", "neighbours"),
    ("/export/chart.png?indicator=ReReferral&vintage=1999", "vintage"),
    ("/export/chart.png?indicator=ReReferral&domain=pets", "domain"),
    ("/export/chart.gif?indicator=ReReferral", "format"),
    ("/export/table.xlsx?view=pivot", "view"),
    ("/export/table.pdf", "format"),
    ("/export/table.csv?theme=Nope", "theme"),
    ("/export/table.csv?rag=purple", "rag"),
    ("/export/table.csv?sort=colour", "sort"),
    ("/export/table.csv?period=last", "period"),
    ("/export/table.csv?view=indicator", "indicator"),
    ("/export/pack.pdf?codes=Nope", "codes"),
    ("/export/pack.pdf?period=last", "period"),
    ("/export/pack.pdf?vintage=1999", "vintage"),
])
def test_route_bad_parameters_give_400_json(client, url, parameter):
    """A bad parameter is a 400 with JSON naming it, never a 500."""
    r = client.get(url)
    assert r.status_code == 400, r.data[:300]
    body = r.get_json()
    assert body["status"] == 400 and body["parameter"] == parameter and body["error"]


def test_route_chart_without_chromium_is_503_json(client, monkeypatch, tmp_path):
    """With no browser to draw with, the chart route says so in JSON (503), not a 500."""
    from dashboard.exports import charts
    from dashboard.exports.renderer import ChartRenderer

    missing = ChartRenderer(browser=str(tmp_path / "no-chromium"), start_timeout=30)
    monkeypatch.setattr(charts, "get_renderer", lambda: missing)
    r = client.get(f"/export/chart.png?indicator=ReReferral&area={AREA}")
    assert r.status_code == 503
    assert "Chromium" in r.get_json()["error"]
