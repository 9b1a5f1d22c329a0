"""The trend chart's additions: annual benchmarks across a local series, notes as markers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures.overlays import (
    add_annual_benchmarks,
    add_note_markers,
    categories,
    note_category,
)
from dashboard.periods import PeriodError, every_period, month, quarter


def _months(first: tuple[int, int], last: tuple[int, int]) -> pd.DataFrame:
    specs = every_period(month(*first).start, month(*last).start, "month")
    return pd.DataFrame({"period": [p.label for p in specs], "start": [p.start for p in specs],
                         "end": [p.end for p in specs]})


def test_every_period_quarters_cross_the_financial_year():
    """Quarters run Q1 to Q4 and on into the next financial year, labelled as stored."""
    specs = every_period(quarter(2020, 3).start, quarter(2021, 2).start, "quarter")
    assert [p.label for p in specs] == ["2020-21 Q3", "2020-21 Q4", "2021-22 Q1", "2021-22 Q2"]


def test_every_period_refuses_annual_types():
    """Only months and quarters are filled in."""
    with pytest.raises(PeriodError):
        every_period(dt.date(2020, 4, 1), dt.date(2022, 4, 1), "financial_year")


def test_annual_benchmark_spans_the_months_of_its_year():
    """England's 2023-24 is a flat line from Apr 2023 to Mar 2024, named as a whole year."""
    cats = categories(_months((2023, 1), (2024, 6)))
    bench = pd.DataFrame([{"series": "England", "role": "england", "period": "2023-24",
                           "start": dt.date(2023, 4, 1), "end": dt.date(2024, 3, 31),
                           "value": 2.7}])
    fig = add_annual_benchmarks(go.Figure(), bench, cats, lambda v: f"{v:.1f}")
    (trace,) = fig.data
    assert trace.name == "England, whole year"
    assert list(trace.x) == ["Apr 2023", "Mar 2024", None]
    assert list(trace.y) == [2.7, 2.7, None]
    assert list(trace.customdata[0]) == ["2.7", "2023-24"]


def test_annual_benchmark_without_months_inside_is_left_out():
    """A year with no month on the chart is not drawn (it is never moved onto another)."""
    cats = categories(_months((2024, 4), (2024, 9)))
    bench = pd.DataFrame([{"series": "England", "role": "england", "period": "2022-23",
                           "start": dt.date(2022, 4, 1), "end": dt.date(2023, 3, 31),
                           "value": 2.9}])
    assert not add_annual_benchmarks(go.Figure(), bench, cats, str).data


def test_note_markers_escape_text_and_group_by_period():
    """Two notes on one quarter give one marker whose hover shows their text, not HTML."""
    table = pd.DataFrame({"period": ["2021-22 Q1", "2021-22 Q2"],
                          "start": [dt.date(2021, 4, 1), dt.date(2021, 7, 1)],
                          "end": [dt.date(2021, 6, 30), dt.date(2021, 9, 30)]})
    made = dt.datetime(2026, 11, 3, 10, 0)
    notes = [SimpleNamespace(period_end=dt.date(2021, 6, 30), author="vic", created_at=made,
                             text='<img src=x onerror=alert(1)> "deep dive"'),
             SimpleNamespace(period_end=dt.date(2021, 6, 30), author="ada", created_at=made,
                             text="report back in May"),
             SimpleNamespace(period_end=None, author="ada", created_at=made, text="no period")]
    fig = add_note_markers(go.Figure(), notes, categories(table))
    (trace,) = fig.data
    assert list(trace.x) == ["2021-22 Q1"] and trace.yaxis == "y9"
    hover = trace.customdata[0][0]
    assert hover.startswith("<b>2 notes</b>")
    assert '&lt;img src=x onerror=alert(1)&gt; "deep dive"' in hover and "<img" not in hover


def test_note_on_a_year_lands_on_the_quarter_holding_its_end():
    """A note against 2021-22 on a quarterly chart sits on 2021-22 Q4, where its year ends."""
    cats = [(q.label, q.start, q.end) for q in (quarter(2021, n) for n in (1, 2, 3, 4))]
    assert note_category(cats, dt.date(2022, 3, 31)) == "2021-22 Q4"
    assert note_category(cats, dt.date(2023, 3, 31)) is None
