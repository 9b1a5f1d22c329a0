"""Chart exports without a browser: layout, words, greyscale styles, names and sources."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.exports import ExportError, print_ready, source_line, split_codes
from dashboard.exports.charts import SIZES, ChartText, ExportChart
from dashboard.exports.content import filename, produced_text, slug
from dashboard.exports.renderer import ChartRenderer, RendererUnavailable, RenderJob
from dashboard.figures import COLOURS, comparison_bar, trend_figure

TEXT = ChartText("Re-referrals within 12 months", "Southend-on-Sea, 2018 to 2020\nCompared "
                 "with England and statistical neighbours", "Source: DfE, Children in need "
                 "2025; contains public sector information licensed under the Open Government "
                 "Licence v3.0", dt.date(2026, 3, 5))


def fmt(v):
    return "–" if v is None else f"{v:.1f}%"


def _trend(neighbours=("E06000058", "E08000035", "E06000042")):
    periods = ["2018", "2019", "2020"]
    t = pd.DataFrame({
        "period": periods, "home": [23.7, 24.4, 30.2], "home_status": ["final"] * 3,
        "home_lower": [20.0, 21.0, 27.0], "home_upper": [27.0, 28.0, 33.0],
        "neighbour_average": [21.0, 22.0, 24.5], "neighbours_reporting": ["9 of 10"] * 3,
        "england": [21.9, 22.6, 22.6], "region": [18.0, 19.3, 19.9], "synthetic": [False] * 3,
    })
    for i, c in enumerate(neighbours):
        t[c] = [20.0 + i, 21.0 + i, 22.0 + i]
        t[f"{c}_status"] = ["final"] * 3
    return trend_figure(t, home_name="Southend-on-Sea", fmt=fmt, title="Re-referrals",
                        region_name="East of England",
                        neighbours=[(c, f"Neighbour {c}") for c in neighbours])


def _bar():
    frame = pd.DataFrame({"area_name": ["Southend-on-Sea", "Leeds", "Kent", "England"],
                          "role": ["home", "neighbour", "neighbour", "england"],
                          "value": [30.2, 24.0, 21.0, 22.6]})
    return comparison_bar(frame, fmt=fmt, title="Re-referrals", neighbour_average=22.5)


def _footer(fig):
    return next(a.text for a in fig.layout.annotations if "Source:" in (a.text or ""))


@pytest.mark.parametrize("size", ["word", "slide"])
def test_print_ready_fixes_pixel_size_and_margins(size):
    """Each size has fixed pixels and margins plotly may not grow (the footer stays put)."""
    fig = print_ready(_trend(), TEXT, size)
    assert (fig.layout.width, fig.layout.height) == SIZES[size]
    assert fig.layout.margin.autoexpand is False
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b >= 120
    assert SIZES["slide"][0] / SIZES["slide"][1] == pytest.approx(16 / 9)


def test_print_ready_carries_title_subtitle_source_and_date():
    """The figure itself holds the title, subtitle lines, source line and date produced."""
    fig = print_ready(_trend(), TEXT)
    assert "Re-referrals within 12 months" in fig.layout.title.text
    assert "Southend-on-Sea, 2018 to 2020" in fig.layout.title.subtitle.text
    footer = _footer(fig).replace("<br>", " ")
    assert "Source: DfE, Children in need 2025" in footer
    assert "Open Government Licence v3.0" in footer
    assert "Produced 5 March 2026" in footer
    assert fig.layout.showlegend is True


def test_print_ready_replaces_the_views_source_annotation():
    """A figure that already carries a source line ends up with exactly one."""
    fig = trend_figure(pd.DataFrame({"period": ["2020"], "home": [1.0], "home_status": ["final"],
                                     "synthetic": [False]}),
                       home_name="A", fmt=fmt, title="T", source="Old source")
    out = print_ready(fig, TEXT)
    sources = [a for a in out.layout.annotations if "Source" in (a.text or "")]
    assert len(sources) == 1 and "Old source" not in sources[0].text


def test_print_ready_gives_every_line_its_own_marker_for_greyscale():
    """Lines differ by marker symbol (and neighbours by dash), not by colour alone."""
    fig = print_ready(_trend(), TEXT)
    lines = [t for t in fig.data if t.type == "scatter" and not t.fill and t.line.width != 0]
    symbols = [t.marker.symbol or "circle" for t in lines]
    assert all("markers" in t.mode for t in lines)
    assert len(set(symbols)) == len(lines)
    by = {t.name: t for t in lines}
    assert by["Southend-on-Sea"].line.dash in (None, "solid")  # the home area keeps its style
    assert by["East of England"].line.dash == "dashdot"
    neighbour_dashes = {by[f"Neighbour {c}"].line.dash for c in ("E06000058", "E08000035")}
    assert None not in neighbour_dashes and "solid" not in neighbour_dashes


def test_print_ready_hatches_the_england_bar():
    """England's bar gets a hatch pattern so it differs from the home bar in greyscale."""
    fig = print_ready(_bar(), ChartText("T", "S", "Source: X", dt.date(2026, 1, 1)))
    bar = next(t for t in fig.data if t.type == "bar")
    shapes = list(bar.marker.pattern.shape)
    colours = list(bar.marker.color)
    assert [s for s, c in zip(shapes, colours, strict=True) if c == COLOURS["england"]] == ["/"]
    assert shapes.count("/") == 1


def test_print_ready_rejects_an_unknown_size():
    """Only the word and slide sizes exist."""
    with pytest.raises(ExportError) as err:
        print_ready(_trend(), TEXT, "a3")
    assert err.value.parameter == "size"


def test_export_chart_filename_says_what_it_is():
    """Area, indicator, chart and period, in lower-case words."""
    chart = ExportChart(_trend(), TEXT, ("Southend-on-Sea", "Re-referrals within 12 months",
                                         "trend", "2019-20"))
    assert chart.filename("png") == \
        "southend-on-sea_re-referrals-within-12-months_trend_2019-20.png"


def test_source_line_names_source_and_licence():
    """The OGL sentence, DfE abbreviated, and synthetic data flagged."""
    line = source_line("Department for Education, Children in need 2025",
                       "Open Government Licence v3.0")
    assert line == ("Source: DfE, Children in need 2025; contains public sector information "
                    "licensed under the Open Government Licence v3.0")
    assert source_line(None, "CC BY 4.0", synthetic=True) == (
        "Source: source not recorded; licence: CC BY 4.0; includes synthetic demo data, not "
        "real figures")


def test_slug_filename_and_produced_text():
    """File names are ASCII words joined by hyphens and underscores."""
    assert slug("Bournemouth, Christchurch and Poole") == "bournemouth-christchurch-and-poole"
    assert slug("Kingston upon Hull, City of") == "kingston-upon-hull-city-of"
    assert filename("Southend-on-Sea", None, "pack", ext="pdf") == "southend-on-sea_pack.pdf"
    assert produced_text(dt.date(2026, 11, 2)) == "Produced 2 November 2026"


def test_split_codes_keeps_commas_inside_known_codes():
    """LAIT codes such as CPP_Total_Rateper10,000 survive a comma-separated list."""
    known = ["ReReferral", "CPP_Total_Rateper10,000", "Section_47"]
    assert split_codes("ReReferral,CPP_Total_Rateper10,000,Section_47", known) == (
        "ReReferral", "CPP_Total_Rateper10,000", "Section_47")
    assert split_codes(["ReReferral", "Nope"], known) == ("ReReferral", "Nope")


def test_render_job_refuses_other_formats():
    """Only PNG and SVG are rendered."""
    with pytest.raises(ValueError, match="png, svg"):
        RenderJob({"data": []}, "gif", 100, 100).opts()
    assert RenderJob({"data": []}, "svg", 100, 100, 2).opts()["scale"] == 1


def test_renderer_without_a_browser_says_so(tmp_path):
    """A missing Chromium is a RendererUnavailable naming what to install, not a crash."""
    renderer = ChartRenderer(browser=str(tmp_path / "no-chromium"), start_timeout=30)
    with pytest.raises(RendererUnavailable, match="would not start"):
        renderer.render({"data": [], "layout": {}})
    assert not renderer.running
