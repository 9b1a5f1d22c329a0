"""Issue 8's views as functions: SPC toggle, forecast on the trend, variation column, changes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import dash
import pytest

from dashboard import ids
from tests.callbacks.dashtree import by_id, find, text

pytestmark = pytest.mark.usefixtures("request_ctx")
HOME = "E06000033"
BCP = "E06000058"
REREFERRAL = (HOME, "children", "all", "2025", "ReReferral", "any", "any")


@pytest.fixture(scope="session")
def sig(app: dash.Dash) -> SimpleNamespace:
    """Issue 8's callback and page modules (importable once the app has registered pages)."""
    from callbacks import changes, indicator, indicator_signals, scorecard
    from layouts import changes as changes_page
    from layouts import indicator as indicator_page

    return SimpleNamespace(changes=changes, changes_page=changes_page, indicator=indicator,
                           toggle=indicator_signals, indicator_page=indicator_page,
                           scorecard=scorecard)


def _names(fig) -> list[str]:
    return [t.name for t in fig.data]


def _lines(fig, field) -> list:
    return [t for t in fig.data if (t.meta or {}).get("line") == field]


def test_indicator_layout_chart_spc_from_url(sig):
    """chart=spc opens the SPC chart with mean and limits, hides the trend, keeps the URL."""
    layout = sig.indicator_page.layout(area=HOME, indicator="ReReferral", chart="spc")
    assert by_id(layout, ids.IND_CHART).value == "spc"
    assert by_id(layout, ids.IND_TREND_BOX).hidden is True
    assert by_id(layout, ids.IND_SPC_BOX).hidden is False
    fig = by_id(layout, ids.IND_SPC).figure
    assert _lines(fig, "mean") and _lines(fig, "upper") and _lines(fig, "lower")
    assert "Process limits" in _names(fig) and "Southend-on-Sea" in _names(fig)
    panel = text(by_id(layout, ids.IND_SIGNAL))
    assert "Common cause" in panel and "Process limits" in panel
    assert "chart=spc" in by_id(layout, ids.URL_STATE).data["query"]
    twin = by_id(layout, ids.chart_part(ids.IND_SPC, "table"))
    assert "SPC chart" in text(twin) and "Lower process limit" in text(twin)


def test_indicator_layout_trend_is_default_without_spc_drawn(sig):
    """Without chart=spc the trend shows and the SPC chart is not drawn at all."""
    layout = sig.indicator_page.layout(area=HOME, indicator="ReReferral")
    assert by_id(layout, ids.IND_CHART).value == "trend"
    assert by_id(layout, ids.IND_TREND_BOX).hidden is False
    assert by_id(layout, ids.IND_SPC_BOX).hidden is True
    assert not find(layout, lambda c: getattr(c, "id", None) == ids.IND_SPC)


def test_show_chart_toggle_writes_chart_to_url(sig, callback_context):
    """Choosing SPC shows its chart and writes chart=spc; choosing trend removes it."""
    callback_context(f"{ids.IND_CHART}.value", "spc")
    trend_hidden, spc_hidden, box, panel, cls, url = sig.toggle.show_chart("spc", *REREFERRAL,
                                                                          [BCP])
    assert (trend_hidden, spc_hidden) == (True, False)
    assert find(box, lambda c: getattr(c, "id", None) == ids.IND_SPC)
    assert "Signal or noise" in text(panel) and "order-first" in cls
    assert "chart=spc" in url["query"] and f"neighbours={BCP}" in url["query"]
    callback_context(f"{ids.IND_CHART}.value", "trend")
    out = sig.toggle.show_chart("trend", *REREFERRAL, [])
    assert out[:3] == (False, True, None) and "chart" not in out[-1]["query"]


def test_show_chart_control_change_leaves_url_to_main_callback(sig, callback_context):
    """A control's change redraws the SPC parts but leaves the address to the main callback."""
    callback_context(f"{ids.IND_TO}.value", "2016")
    out = sig.toggle.show_chart("spc", HOME, "children", "all", "2025", "ReReferral", "any",
                                "2016", [])
    assert out[-1] is dash.no_update
    assert "No limits (fewer than 6 points)" in text(out[3])
    assert "no limits (fewer than 6 points)" in by_id(out[2], ids.IND_SPC).figure.layout.title.text


def test_spc_panel_unreliable_limits_below_twelve_points(sig):
    """As at 2020 the re-referral series has fewer than 12 points: limits said unreliable."""
    out = sig.toggle.show_chart("spc", HOME, "children", "all", "2025", "ReReferral", "any",
                                "2020", [])
    assert "Limits unreliable (fewer than 12 points)" in text(out[3])


def test_main_callbacks_keep_chart_in_url(sig):
    """The controls' callback and the neighbour switch keep chart=spc in the address."""
    out = sig.indicator.update(*REREFERRAL, [], "spc")
    assert "chart=spc" in out[-1]["query"]
    _trend, _table, url = sig.indicator.update_trend([BCP], *REREFERRAL, "spc")
    assert "chart=spc" in url["query"] and f"neighbours={BCP}" in url["query"]
    _trend, _table, url = sig.indicator.update_trend([BCP], *REREFERRAL)
    assert "chart" not in url["query"]


def test_trend_draws_shown_forecast_with_backtest_beside(sig):
    """Children looked after: the stored forecast beats naive, so it is drawn and reported."""
    layout = sig.indicator_page.layout(area=HOME, indicator="LAC")
    fig = by_id(layout, ids.IND_TREND).figure
    forecast = [t for t in fig.data if (t.meta or {}).get("forecast") == "point"]
    assert forecast and forecast[0].line.dash == "dash"
    assert {"80% prediction interval", "95% prediction interval"} <= set(_names(fig))
    panel = text(by_id(layout, ids.IND_SIGNAL))
    assert "MASE" in panel and "naive" in panel and "exponential smoothing" in panel
    assert "Forecast to" in panel


def test_trend_hidden_forecast_draws_none_and_says_so(sig):
    """Child protection plans: the forecast does not beat naive, so none is drawn."""
    layout = sig.indicator_page.layout(area=HOME, indicator="CPP_rate")
    fig = by_id(layout, ids.IND_TREND).figure
    assert not [t for t in fig.data if "forecast" in (t.meta or {})]
    assert "No forecast is drawn: it does not beat a naive forecast" in text(
        by_id(layout, ids.IND_SIGNAL))


def test_trend_forecast_not_drawn_when_range_ends_early(sig):
    """With to=2020 the chart stops before the forecast starts: none drawn, words say why."""
    out = sig.indicator.update(HOME, "children", "all", "2025", "LAC", "any", "2020", [])
    assert not [t for t in out[2].data if "forecast" in (t.meta or {})]
    panel = sig.toggle.show_chart("trend", HOME, "children", "all", "2025", "LAC", "any",
                                  "2020", [])[3]
    assert "this chart stops at" in text(panel)


def test_scorecard_variation_column_for_local_quarterly_data(sig):
    """Adults' quarterly local series get a Variation column; children's annual data do not."""
    adults = sig.scorecard.update(HOME, "adults", "all", "demo", "latest", [], False, [0],
                                  None)
    assert "Variation" in text(adults[2])
    rows = find(adults[2], lambda c: getattr(c, "data-variation", None) not in (None, "none"))
    assert rows and "not enough points for limits" in text(rows[0])
    children = sig.scorecard.update(HOME, "children", "all", "2025", "latest", [], False, [0],
                                    None)
    assert "Variation" not in text(children[2])


def test_scorecard_variation_filter_in_url_and_rows(sig):
    """Filtering by variation keeps only matching rows and writes variation= to the URL."""
    out = sig.scorecard.update(HOME, "adults", "all", "demo", "latest", [], False, [0], None,
                               ["concern"])
    assert "variation=concern" in out[-1]["query"]
    assert not find(out[2], lambda c: getattr(c, "data-code", None))
    assert "No indicators match these filters." in text(out[2])


def test_changes_layout_lists_changes_newest_first_with_links(sig):
    """Since 2020 every loaded indicator is new; each row links to its indicator view."""
    layout = sig.changes_page.layout(area=HOME, since="2020-01-01")
    assert by_id(layout, ids.URL_STATE).data["query"] == f"area={HOME}&since=2020-01-01"
    assert by_id(layout, ids.CHG_SINCE).value == "2020-01-01"
    rows = find(layout, lambda c: getattr(c, "data-code", None))
    assert len(rows) > 10
    links = find(rows[0], lambda c: str(getattr(c, "href", "")).startswith("/indicator?"))
    assert links and f"area={HOME}" in links[0].href
    assert "What changed since 1 January 2020" in text(layout)


def test_changes_update_keeps_other_pages_settings(sig):
    """The date picker's change rewrites the URL and keeps the navbar's domain."""
    content, url = sig.changes.update(HOME, "2100-01-01T00:00:00",
                                      {"query": "", "shared": f"area={HOME}&domain=adults"})
    assert url["query"] == f"area={HOME}&since=2100-01-01"
    assert "domain=adults" in url["shared"]
    assert "Nothing changed for Southend-on-Sea since 1 January 2100." in text(content)


def test_changes_unreadable_date_says_how_to_type_one(sig):
    """A date that cannot be read gets a sentence saying how to type one; the URL stays."""
    content, url = sig.changes.update(HOME, "1st October", None)
    assert url is dash.no_update
    assert "'1st October' is not a date: type one as year-month-day" in text(content)


def test_changes_default_since_is_thirty_days_ago_without_meetings(sig):
    """With no meeting recorded, the page opens at 30 days ago."""
    layout = sig.changes_page.layout(area=HOME)
    expected = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    assert by_id(layout, ids.URL_STATE).data["query"] == f"area={HOME}&since={expected}"
