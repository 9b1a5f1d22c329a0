"""Period labels from LAIT, EES and partners read into typed periods."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.periods import PeriodError, parse_local_period, parse_year_label


@pytest.mark.parametrize(
    ("label", "kind", "ptype", "start", "end", "status", "short"),
    [
        ("2020", "reporting_year", "reporting_year", "2019-04-01", "2020-03-31", "final", "2020"),
        ("2019-20", "reporting_year", "financial_year", "2019-04-01", "2020-03-31", "final",
         "2019-20"),
        ("2018-20", "calendar_year", "rolling", "2018-01-01", "2020-12-31", "final", "2018-20"),
        ("2015/16", "academic_year", "academic_year", "2015-09-01", "2016-08-31", "final",
         "2015/16"),
        ("2013/14-15/16", "academic_year", "rolling", "2013-09-01", "2016-08-31", "final",
         "2013/14-15/16"),
        ("2020 (Final)", "reporting_year", "reporting_year", "2019-04-01", "2020-03-31", "final",
         "2020"),
        ("2018 (Rev)", "reporting_year", "reporting_year", "2017-04-01", "2018-03-31", "revised",
         "2018"),
        ("2025 (prov)", "academic_year", "academic_year", "2024-09-01", "2025-08-31",
         "provisional", "2024/25"),
        ("2019-20 (OT)", "reporting_year", "financial_year", "2019-04-01", "2020-03-31", "final",
         "2019-20"),
        ("2025", "snapshot_31_march", "snapshot", "2025-03-31", "2025-03-31", "final",
         "31 Mar 2025"),
        ("2024", "snapshot_30_september", "snapshot", "2024-09-30", "2024-09-30", "final",
         "30 Sep 2024"),
        ("2023", "january", "month", "2023-01-01", "2023-01-31", "final", "Jan 2023"),
    ],
)
def test_parse_year_label_lait_forms(label, kind, ptype, start, end, status, short):
    """Every LAIT year-label form maps to the right typed period, status and short label."""
    period, got_status = parse_year_label(label, kind)
    assert period.type == ptype
    assert period.start == dt.date.fromisoformat(start)
    assert period.end == dt.date.fromisoformat(end)
    assert got_status == status
    assert period.label == short


@pytest.mark.parametrize("label", ["0", "", "twenty", "2020-18", "2020 (Draft)", "2015/17"])
def test_parse_year_label_rejects_nonsense(label):
    """Labels that are not periods raise PeriodError, never a guess."""
    with pytest.raises(PeriodError):
        parse_year_label(label, "reporting_year")


def test_period_describe_reads_as_a_sentence():
    """Narrative wording for each period type is correct English."""
    assert parse_year_label("2020")[0].describe() == "in the year to 31 March 2020"
    assert parse_local_period("snapshot", "2021-03-31").describe() == "at 31 March 2021"
    assert parse_local_period("quarter", "2020-21 Q1").describe() == \
        "in the quarter to 30 June 2020"
    assert parse_local_period("financial_year", "2020-21").describe() == "in 2020-21"


@pytest.mark.parametrize(
    ("ptype", "label", "start", "end"),
    [
        ("financial_year", "2020-21", "2020-04-01", "2021-03-31"),
        ("quarter", "2020-21 Q1", "2020-04-01", "2020-06-30"),
        ("quarter", "2020-21 Q4", "2021-01-01", "2021-03-31"),
        ("month", "2021-02", "2021-02-01", "2021-02-28"),
        ("snapshot", "2021-03-31", "2021-03-31", "2021-03-31"),
    ],
)
def test_parse_local_period_forms(ptype, label, start, end):
    """Partner period types map to the right dates."""
    p = parse_local_period(ptype, label)
    assert (p.start, p.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert p.type == ptype


@pytest.mark.parametrize(
    ("ptype", "label"),
    [("quarter", "2020-21 Q5"), ("financial_year", "2020-22"), ("snapshot", "31/03/2021"),
     ("month", "2021-13"), ("fortnight", "2021-01")],
)
def test_parse_local_period_rejects_bad_labels(ptype, label):
    """A bad partner period raises PeriodError with a sentence naming the label."""
    with pytest.raises(PeriodError, match=r"."):
        parse_local_period(ptype, label)


def test_periods_order_by_end_date():
    """Periods sort by end date so series come out in time order."""
    a = parse_year_label("2019")[0]
    b = parse_year_label("2020")[0]
    assert a < b
    assert a.sort_key == 20190331
