"""Figures: assert on the data and styles that plotly will draw, not on pixels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import (
    COLOURS,
    breakdown_figure,
    comparison_bar,
    empty_figure,
    funnel_figure,
    funnel_limits,
    sparkline_data_uri,
    sparkline_svg,
    trend_figure,
)
from dashboard.figures.theme import NEIGHBOUR_PALETTE, RAG_COLOURS


def fmt(v):
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f}%"


def _table(with_ci: bool = False, suppressed: bool = False) -> pd.DataFrame:
    periods = ["2018", "2019", "2020"]
    home = [23.7, None if suppressed else 24.4, 30.2]
    t = pd.DataFrame({
        "period": periods, "home": home,
        "home_status": ["final", "suppressed or not available (c)" if suppressed else "final",
                        "provisional"],
        "home_lower": [20.0, 21.0, 27.0] if with_ci else [None] * 3,
        "home_upper": [27.0, 28.0, 33.0] if with_ci else [None] * 3,
        "neighbour_average": [21.0, 22.0, 24.5],
        "neighbours_reporting": ["10 of 10", "10 of 10", "9 of 10"],
        "england": [21.9, 22.6, 22.6], "region": [18.0, 19.3, 19.9],
        "E06000058": [20.0, None, 22.0],
        "E06000058_status": ["final", "suppressed or not available (x)", "final"],
        "synthetic": [False] * 3,
    })
    return t


def _trend(**kw):
    args = {"home_name": "Southend-on-Sea", "fmt": fmt, "title": "Re-referrals",
            "subtitle": "Southend-on-Sea, 2018 to 2020", "source": "DfE LAIT (OGL v3.0)",
            "region_name": "East of England"}
    args.update(kw)
    return trend_figure(_table(kw.pop("with_ci", False)), **args)


def test_trend_traces_and_consistent_styles():
    """Home solid dark blue with markers, neighbour average dashed, England dotted grey."""
    fig = _trend()
    by = {t.name: t for t in fig.data}
    assert list(by) == ["East of England", "England", "Statistical neighbour average",
                        "Southend-on-Sea"]
    home = by["Southend-on-Sea"]
    assert home.line.color == COLOURS["home"] and home.line.dash is None
    assert "markers" in home.mode
    assert by["Statistical neighbour average"].line.dash == "dash"
    assert by["England"].line.dash == "dot" and by["England"].line.color == COLOURS["england"]
    assert list(home.y) == [23.7, 24.4, 30.2] and list(home.x) == ["2018", "2019", "2020"]


def test_trend_y_axis_not_forced_to_zero():
    """The y-axis autoranges on the data (no tozero range mode, no fixed range)."""
    fig = _trend()
    assert fig.layout.yaxis.range is None
    assert fig.layout.yaxis.rangemode in (None, "normal")
    assert fig.layout.template.layout.yaxis.rangemode == "normal"


def test_trend_hover_has_value_period_and_status():
    """Hover text carries the formatted value and the status (e.g. provisional)."""
    home = _trend().data[-1]
    assert list(home.customdata[2]) == ["30.2%", "provisional"]
    assert "%{customdata[0]}" in home.hovertemplate and "%{customdata[1]}" in home.hovertemplate


def test_trend_neighbours_are_added_as_lines():
    """Each chosen neighbour adds one thin line, drawn beneath the home area."""
    fig = _trend(neighbours=[("E06000058", "Bournemouth, Christchurch and Poole")])
    names = [t.name for t in fig.data]
    assert names[0] == "Bournemouth, Christchurch and Poole" and len(names) == 5
    nb = fig.data[0]
    assert nb.line.color == NEIGHBOUR_PALETTE[0] and nb.line.width < 2
    assert nb.y[1] is None and nb.customdata[1][1] == "not available"


def test_trend_confidence_band_and_target_line():
    """Published or computed limits make a shaded band; a target draws a labelled line."""
    fig = trend_figure(_table(with_ci=True), home_name="Southend-on-Sea", fmt=fmt,
                       title="Re-referrals", target=20.0)
    band = [t for t in fig.data if t.name == "95% confidence interval"]
    assert band and band[0].fill == "tonexty" and list(band[0].y) == [20.0, 21.0, 27.0]
    assert fig.layout.shapes[0].y0 == 20.0
    assert any("Target 20.0%" in (a.text or "") for a in fig.layout.annotations)


def test_trend_suppressed_point_is_a_gap_not_zero():
    """A suppressed home value is a gap in the line, marked n/a with its status on hover."""
    fig = trend_figure(_table(suppressed=True), home_name="Southend-on-Sea", fmt=fmt,
                       title="Re-referrals")
    assert fig.data[-1].y[1] is None
    marks = [a for a in fig.layout.annotations if a.text == "n/a"]
    assert len(marks) == 1 and "(c)" in marks[0].hovertext


def test_trend_title_subtitle_and_source_survive_export():
    """Title, subtitle and source are part of the figure itself."""
    fig = _trend()
    assert "Re-referrals" in fig.layout.title.text and "2018 to 2020" in fig.layout.title.text
    assert any(a.text.startswith("Source: DfE LAIT") for a in fig.layout.annotations)


def _bar_frame():
    return pd.DataFrame({
        "area_name": ["Southend-on-Sea", "Leeds", "Bury", "England", "Kent"],
        "role": ["home", "neighbour", "neighbour", "england", "neighbour"],
        "value": [17.1, 24.2, 26.0, 22.6, None],
    })


def test_comparison_bar_sorted_home_highlighted_missing_left_out():
    """Bars are sorted (largest at the top), home dark blue, England grey, no missing bars."""
    fig = comparison_bar(_bar_frame(), fmt=fmt, title="Re-referrals, 2025",
                         neighbour_average=25.1)
    bar = fig.data[0]
    assert list(bar.x) == [17.1, 22.6, 24.2, 26.0]
    assert list(bar.y) == ["<b>Southend-on-Sea</b>", "England", "Leeds", "Bury"]
    assert bar.marker.color[0] == COLOURS["home"] and bar.marker.color[1] == COLOURS["england"]
    assert fig.layout.shapes[0].x0 == 25.1 and fig.layout.shapes[0].line.dash == "dash"
    assert fig.data[1].name == "Neighbour average 25.1%"


def test_funnel_limits_narrow_as_denominator_grows():
    """Limits bracket the benchmark and narrow with size; 99.8% is wider than 95%."""
    n = np.array([100.0, 1000.0, 10000.0])
    lo95, hi95 = funnel_limits(22.6, n, "percent", 100, 1.959964)
    lo998, hi998 = funnel_limits(22.6, n, "percent", 100, 3.090232)
    assert np.all(lo95 < 22.6) and np.all(hi95 > 22.6)
    assert np.all(np.diff(hi95 - lo95) < 0)
    assert np.all(hi998 - lo998 > hi95 - lo95)
    assert hi95[0] == pytest.approx(22.6 + 1.959964 * math.sqrt(0.226 * 0.774 / 100) * 100)


def test_funnel_limits_for_rates_use_poisson_spread():
    """For a rate per 100,000 the half-width is z sqrt(r m / n)."""
    lo, hi = funnel_limits(500.0, [200000.0], "rate", 100000, 1.959964)
    half = 1.959964 * math.sqrt(500 * 100000 / 200000)
    assert hi[0] == pytest.approx(500 + half) and lo[0] == pytest.approx(500 - half)


def test_funnel_figure_groups_points():
    """Home, neighbours and other LAs are separate traces; England is the benchmark line."""
    pts = pd.DataFrame({"area_code": ["H", "N1", "O1", "O2"],
                        "area_name": ["Home", "Neighbour", "Other 1", "Other 2"],
                        "value": [94.0, 92.0, 90.0, 95.0],
                        "denominator": [500.0, 800.0, 1200.0, 300.0]})
    fig = funnel_figure(pts, home_code="H", neighbour_codes=["N1"], benchmark=91.0,
                        unit="percent", multiplier=100, fmt=fmt, title="Risk reduced")
    names = [t.name for t in fig.data]
    assert names[-3:] == ["Other local authorities", "Statistical neighbours", "Home"]
    assert names.count("99.8% limits") == 2 and names.count("95% limits") == 2
    assert list(fig.data[-1].x) == [500.0] and fig.data[4].y[0] == 91.0


def test_breakdown_stacks_shares_home_beside_england():
    """Percentages stack, one panel per area, each category one colour with one legend entry."""
    rows = []
    for area in ("Southend-on-Sea", "England"):
        for label, key in (("2023", 20230331), ("2024", 20240331)):
            for cat, v in (("Police", 30.0), ("Schools", 20.0), ("Health", 50.0)):
                rows.append({"area_name": area, "label": label, "sort_key": key,
                             "dimension": "source", "category": cat, "value": v})
    fig = breakdown_figure(pd.DataFrame(rows), dimension="source",
                           areas=["Southend-on-Sea", "England"], title="Referrals by source")
    assert fig.layout.barmode == "stack" and len(fig.data) == 6
    assert [t.showlegend for t in fig.data] == [True] * 3 + [False] * 3
    assert fig.data[0].marker.color == fig.data[3].marker.color
    assert {a.text for a in fig.layout.annotations} >= {"Southend-on-Sea", "England"}


def test_breakdown_overlapping_shares_are_grouped_not_stacked():
    """Percentages that do not add up to a whole (overlapping categories) are grouped."""
    rows = [{"area_name": "England", "label": "2024", "sort_key": 20240331, "dimension": "d",
             "category": c, "value": v} for c, v in (("a", 60.0), ("a incl. b", 80.0))]
    fig = breakdown_figure(pd.DataFrame(rows), dimension="d", areas=["Home", "England"],
                           title="t")
    assert fig.layout.barmode == "group"


def test_breakdown_many_categories_latest_home_beside_england():
    """Many categories: the latest period as horizontal bars, home beside England, sorted."""
    cats = [f"Category {i} with a long descriptive name that goes on and on" for i in range(8)]
    rows = [{"area_name": a, "label": p, "sort_key": k, "dimension": "d", "category": c,
             "value": float(i + (5 if a == "Home" else 0))}
            for a in ("Home", "England") for p, k in (("2023", 2023), ("2024", 2024))
            for i, c in enumerate(cats)]
    fig = breakdown_figure(pd.DataFrame(rows), dimension="d", areas=["Home", "England"],
                           title="Factors")
    assert [t.name for t in fig.data] == ["England", "Home"]
    home = fig.data[1]
    assert home.orientation == "h" and list(home.x) == sorted(home.x)
    assert home.marker.color == COLOURS["home"] and "2024" in fig.layout.title.text
    assert all(len(label) <= 42 for label in home.y)


def test_breakdown_counts_become_shares_of_each_area():
    """Counts are drawn as shares of each area's total, so a small LA compares with England."""
    rows = [{"area_name": a, "label": "2024", "sort_key": 20240331, "dimension": "d",
             "category": c, "value": v}
            for a, vals in (("Home", (30.0, 70.0)), ("England", (3000.0, 17000.0)))
            for c, v in zip(("x", "y"), vals, strict=True)]
    fig = breakdown_figure(pd.DataFrame(rows), dimension="d", areas=["Home", "England"],
                           title="t", unit="number")
    by = {(t.name, t.xaxis): list(t.y) for t in fig.data}
    assert by[("x", "x")] == [30.0] and by[("x", "x2")] == [15.0]
    assert fig.layout.barmode == "stack"


def test_sparkline_svg_gaps_and_last_point():
    """The sparkline breaks at a missing value and dots the last point; too few: nothing."""
    svg = sparkline_svg([1.0, 2.0, None, 3.0, 4.0])
    assert svg.count("<polyline") == 2 and "<circle" in svg
    assert sparkline_svg([None, 5.0]) == "" and sparkline_data_uri([1.0]) == ""
    assert sparkline_data_uri([1.0, 2.0]).startswith("data:image/svg+xml;utf8,")


def test_empty_figure_says_why():
    """An empty chart carries its reason as text."""
    assert empty_figure("No data").layout.annotations[0].text == "No data"


def test_rag_palette_is_okabe_ito():
    """RAG colours are the colour-blind-safe Okabe-Ito red, amber and green."""
    assert RAG_COLOURS["red"] == "#D55E00" and RAG_COLOURS["amber"] == "#E69F00"
    assert RAG_COLOURS["green"] == "#009E73"
