"""SPC and forecast figures, icons and filters: assert on the data plotly will draw."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dashboard.figures.forecast import BAND_80, BAND_95, add_forecast, forecast_words
from dashboard.figures.spc import (
    SPC_COLOURS,
    assurance_icon_svg,
    spc_figure,
    spc_table,
    svg_data_uri,
    variation_icon_svg,
)
from dashboard.figures.theme import sparse_ticks
from dashboard.figures.trend import trend_figure
from dashboard.forecast import ForecastStep, StoredForecast
from dashboard.metrics.spc import Baseline, xmr
from dashboard.views_data import filter_rows
from dashboard.viewstate import ViewState

BASE12 = [10, 12, 11, 13, 12, 14, 13, 12, 11, 13, 14, 12]  # mean 12.25, mean MR 16/11
AMR12 = 16 / 11
FIXED = [Baseline(0, fix_points=12)]


def fmt(v):
    return "–" if v is None else f"{v:.1f}"


def _labels(n):
    return [f"P{i:02d}" for i in range(n)]


def _fig(values, **kw):
    return spc_figure(xmr(values, _labels(len(values)), **kw), fmt=fmt, title="T",
                      series_name="Home")


def _line(fig, field, segment=0):
    found = [t for t in fig.data if (t.meta or {}).get("line") == field
             and t.meta.get("segment", 0) == segment]
    assert found, f"no {field} line for baseline {segment}"
    return found[0]


def _special(fig):
    return {(t.meta["rule"], t.meta["cause"]): t for t in fig.data if "rule" in (t.meta or {})}


def test_spc_figure_mean_and_limits_from_formulas():
    """Mean 12.25 and limits 12.25 -/+ 2.66 x 16/11 are drawn across every point."""
    fig = _fig(BASE12)
    assert list(_line(fig, "mean").y) == pytest.approx([12.25] * 12)
    assert _line(fig, "upper").y[0] == pytest.approx(12.25 + 2.66 * AMR12)
    assert _line(fig, "lower").y[0] == pytest.approx(12.25 - 2.66 * AMR12)
    assert _line(fig, "near_upper").y[0] == pytest.approx(12.25 + 2.66 * AMR12 * 2 / 3)
    points = _line(fig, "points")
    assert list(points.x) == _labels(12) and list(points.y) == BASE12
    assert not _special(fig)
    assert list(fig.layout.xaxis.categoryarray) == _labels(12)


def test_spc_figure_outside_limits_improvement_is_blue_diamond():
    """With higher better, a point above the upper limit is an improvement: blue diamond."""
    fig = _fig([*BASE12, 17], polarity="high", baselines=FIXED)
    trace = _special(fig)[("outside_limits", "improvement")]
    assert list(trace.x) == ["P12"] and list(trace.y) == [17]
    assert trace.marker.symbol == "diamond"
    assert trace.marker.color == SPC_COLOURS["improvement"]
    assert trace.name == "Improvement: outside the limits"


def test_spc_figure_concern_is_orange_and_shapes_differ_by_rule():
    """Lower better: a shift above the mean is an orange concern of squares."""
    fig = _fig([*BASE12, *[13] * 7], polarity="low", baselines=FIXED)
    trace = _special(fig)[("shift", "concern")]
    assert len(trace.x) == 7 and trace.marker.symbol == "square"
    assert trace.marker.color == SPC_COLOURS["concern"]


def test_spc_figure_trend_down_points_down_and_neutral_is_purple():
    """Seven falling points without a better direction: purple downward triangles."""
    fig = _fig([*BASE12, 13.5, 13, 12.5, 12, 11.5, 11, 10.5], baselines=FIXED)
    trace = _special(fig)[("trend", "neutral")]
    assert trace.marker.symbol == "triangle-down" and len(trace.x) == 7
    assert trace.marker.color == SPC_COLOURS["neutral"]


def test_spc_figure_two_of_three_near_a_limit_is_a_star():
    """Two of three points beyond the upper near-limit line are marked with stars."""
    fig = _fig([*BASE12, 15, 15.5, 13], polarity="high", baselines=FIXED)
    trace = _special(fig)[("two_of_three", "improvement")]
    assert list(trace.x) == ["P12", "P13"] and trace.marker.symbol == "star"


def test_spc_figure_baseline_restart_line_with_reason():
    """A recorded change draws a vertical line before its first point, with the reason."""
    values = [*BASE12, *[v + 10 for v in BASE12]]
    fig = _fig(values, baselines=[Baseline(12, reason="New front door")])
    assert _line(fig, "mean", 1).y[0] == pytest.approx(22.25)
    assert list(_line(fig, "mean", 1).x) == _labels(24)[12:]
    shape = next(s for s in fig.layout.shapes if s.name == "baseline 1")
    assert (shape.x0, shape.x1) == (11.5, 11.5)
    assert any("New baseline: New front door" in a.text.replace("<br>", " ")
               for a in fig.layout.annotations)


def test_spc_figure_few_points_say_unreliable_or_no_limits():
    """Eight points: limits drawn but called unreliable; five: no limits at all."""
    eight = _fig(BASE12[:8])
    assert "limits unreliable (fewer than 12 points)" in eight.layout.title.text
    assert _line(eight, "upper")
    five = _fig(BASE12[:5])
    assert "no limits (fewer than 6 points)" in five.layout.title.text
    assert not [t for t in five.data if (t.meta or {}).get("line") in ("upper", "lower")]


def test_spc_figure_target_line_and_sparse_ticks():
    """A target is a labelled horizontal line; 36 months show 8 or fewer axis labels."""
    fig = _fig(list(range(36)), polarity="high", target=20)
    assert fig.layout.shapes[0].y0 == 20
    assert any(a.text == "Target 20.0" for a in fig.layout.annotations)
    assert len(fig.layout.xaxis.tickvals) <= 8 and fig.layout.xaxis.tickvals[-1] == "P35"


def test_spc_table_twin_rows_with_limits_and_words():
    """The table twin has each point with its mean, limits and variation in words."""
    frame = spc_table(xmr([*BASE12, 17], _labels(13), polarity="high", baselines=FIXED), fmt)
    assert list(frame["period"]) == _labels(13)
    last = frame.iloc[-1]
    assert last["value"] == "17.0" and last["mean"] == "12.2"
    assert last["upper"] == fmt(12.25 + 2.66 * AMR12)
    assert last["variation"] == "improvement: outside the process limits"
    assert frame.iloc[0]["moving_range"] == "–" and frame.iloc[0]["variation"] == "common cause"


def test_variation_and_assurance_icons():
    """Icons: grey wave for common cause, coloured H or L, P and F; none without limits."""
    assert "<path" in variation_icon_svg("common_cause")
    concern = variation_icon_svg("special_cause_concern", "low")
    assert SPC_COLOURS["concern"] in concern and ">L</text>" in concern
    assert ">H</text>" in variation_icon_svg("special_cause_neutral_high")
    assert variation_icon_svg("not_enough_points") is None
    assert ">P</text>" in assurance_icon_svg("consistent_pass")
    assert ">F</text>" in assurance_icon_svg("consistent_fail")
    assert "<line" in assurance_icon_svg("hit_and_miss") and assurance_icon_svg(None) is None
    assert svg_data_uri("<svg/>").startswith("data:image/svg+xml;base64,")


def _forecast(shown=True):
    steps = tuple(
        ForecastStep(k, f"F{k}", dt.date(2026, k, 1), dt.date(2026, k, 28), 100 + k, 95 + k,
                     105 + k, 90 + k, 110 + k)
        for k in (1, 2)
    )
    return StoredForecast("LAC", "E06000033", dt.datetime(2026, 11, 1), "ETS(A,N,N) exponential "
                          "smoothing (statsmodels 0.15.0)", "naive", "reporting_year",
                          dt.date(2025, 3, 31), 10, 2, 5, 0.8 if shown else 1.4, 1.0, shown,
                          None, False, steps)


def _trend():
    import pandas as pd

    table = pd.DataFrame({"period": ["2024", "2025"], "home": [90.0, 98.0],
                          "home_status": ["final", "final"]})
    return trend_figure(table, home_name="Home", fmt=fmt, title="T")


def test_add_forecast_dashed_line_and_nested_bands():
    """A shown forecast: dashed line from the last point, 95% band outside the 80% band."""
    fig = add_forecast(_trend(), _forecast(), last_label="2025", last_value=98.0, fmt=fmt)
    by = {t.meta["forecast"]: t for t in fig.data if "forecast" in (t.meta or {})}
    assert list(by["point"].x) == ["2025", "F1", "F2"]
    assert list(by["point"].y) == [98.0, 101, 102] and by["point"].line.dash == "dash"
    assert by["point"].name == "Forecast (ETS(A,N,N) exponential smoothing)"
    assert list(by["lo95"].y)[1:] == [91, 92] and list(by["hi95"].y)[1:] == [111, 112]
    assert list(by["lo80"].y)[1:] == [96, 97] and list(by["hi80"].y)[1:] == [106, 107]
    assert by["lo95"].fillcolor == BAND_95 and by["lo80"].fillcolor == BAND_80
    assert list(fig.layout.xaxis.categoryarray) == ["2024", "2025", "F1", "F2"]


def test_add_forecast_hidden_draws_nothing_and_words_say_why():
    """A forecast that does not beat its baseline adds no trace; the words say so."""
    before = _trend()
    fig = add_forecast(_trend(), _forecast(shown=False), last_label="2025", last_value=98.0,
                       fmt=fmt)
    assert len(fig.data) == len(before.data)
    words = forecast_words(_forecast(shown=False), drawn=False, fmt=fmt)
    assert words.headline == ("No forecast is drawn: it does not beat a naive forecast when "
                              "tested on past data.")
    assert "MASE) 1.40 for the model against 1.00" in words.backtest
    shown = forecast_words(_forecast(), drawn=True, fmt=fmt)
    assert shown.headline.startswith("Forecast to F2: about 102.0 (80% prediction interval")
    assert shown.method.startswith("ETS(A,N,N)")


def test_sparse_ticks_keep_the_latest_label():
    """Few labels are left alone; many keep every k-th, ending with the latest."""
    assert sparse_ticks(["a", "b"]) == {}
    ticks = sparse_ticks([str(i) for i in range(20)])
    assert ticks["tickvals"][-1] == "19" and len(ticks["tickvals"]) <= 8


def test_filter_rows_by_variation():
    """The variation filter keeps rows whose SPC variation matches; no SPC, no match."""
    def row(code, variation):
        return SimpleNamespace(code=code, rag=SimpleNamespace(status=None),
                               worse_and_worsening=False,
                               spc=SimpleNamespace(variation=variation) if variation else None)

    rows = [row("a", "special_cause_concern"), row("b", "common_cause"), row("c", None),
            row("d", "special_cause_neutral_low")]
    assert [r.code for r in filter_rows(rows, variation=["concern"])] == ["a"]
    assert [r.code for r in filter_rows(rows, variation=["common", "neutral"])] == ["b", "d"]
    assert len(filter_rows(rows)) == 4


def test_viewstate_chart_variation_since_round_trip():
    """chart=spc, variation and since survive the query string; trend is the default."""
    s = ViewState(area="E06000033", chart="spc", variation=("concern", "common"),
                  since=dt.date(2026, 10, 1))
    assert s.to_query(("area", "since")) == "area=E06000033&since=2026-10-01"
    back = ViewState.from_query(dict(p.split("=") for p in s.to_query().split("&")))
    assert back == s
    assert ViewState.from_query({"chart": "trend"}).chart is None
    bad = ViewState.from_query({"chart": "pie", "since": "1 Oct", "variation": "odd"})
    assert bad.chart is None and bad.since is None and bad.variation == ()
    assert len(bad.notices) == 3
