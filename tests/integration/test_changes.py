"""What changed since a date, from the store's load audit and history, on SQLite and PostgreSQL.

The fixture loads a first file and dates its load back to 10 January 2024; later loads are
"now". Known changes: a revised re-referral rate (value, RAG and band), a new month of contacts
far above its limits (value and special cause), an unchanged children-in-need figure, and other
authorities' values that move the home area's band without changing its own value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from dashboard.changes import add_meeting, changes_since, meetings, previous_meeting
from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.local import load_local
from dashboard.ingest.reference import load_areas
from dashboard.store.db import session_scope
from dashboard.store.models import DataLoad

HOME = "E06000033"
# Ten other LAs: the scorecard ranks and bands only when at least ten English LAs report.
OTHERS = ["E06000058", "E08000035", "E06000042", "E08000002", "E10000011", "E06000044",
          "E10000016", "E06000007", "E06000010", "E08000025"]
HEADER = "indicator,area_code,period_type,period,value,status\n"
CONTACTS = [
    400,
    410,
    395,
    405,
    398,
    412,
    401,
    396,
    408,
    403,
    399,
    407,
    402,
    397,
    409,
    404,
    400,
    411,
    395,
    406,
    401,
    398,
    410,
    403,
]
BEFORE_MEETING = dt.datetime(2024, 1, 10, 12, 0)
MEETING = dt.date(2024, 2, 1)


def _write(path: Path, rows: list[tuple[str, str, str, str, float]]) -> Path:
    path.write_text(HEADER + "".join(f"{c},{a},{k},{p},{v},final\n" for c, a, k, p, v in rows))
    return path


def _rereferral(home: float, others: list[float]) -> list[tuple[str, str, str, str, float]]:
    return [
        ("ReReferral", a, "financial_year", "2022-23", v)
        for a, v in zip([HOME, *OTHERS], [home, *others], strict=True)
    ]


OTHER_VALUES = [18, 20, 22, 24, 26, 28, 30, 32, 34, 36]


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path, tmp_path: Path) -> Engine:
    """The first file, loaded before the meeting: band A re-referrals, 24 months of contacts."""
    with session_scope(empty_engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
        apply_catalogue(s)
    months = [f"{2022 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
    rows = _rereferral(15, OTHER_VALUES)
    rows += [
        ("PART_CSC_Contacts_Count", HOME, "month", p, v)
        for p, v in zip(months, CONTACTS, strict=True)
    ]
    rows += [("CIN", HOME, "financial_year", "2022-23", 300)]
    load_local(empty_engine, _write(tmp_path / "v1.csv", rows))
    with session_scope(empty_engine) as s:
        s.execute(update(DataLoad).values(started_at=BEFORE_MEETING, finished_at=BEFORE_MEETING))
    return empty_engine


def _load(engine: Engine, path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    load_local(engine, _write(path, rows))


def test_changes_revision_and_new_month(store, tmp_path):
    """A revision and a new month are listed, newest data first, with before and after."""
    _load(
        store,
        tmp_path / "v2.csv",
        [
            *_rereferral(35, OTHER_VALUES),
            ("PART_CSC_Contacts_Count", HOME, "month", "2024-01", 900),
            ("CIN", HOME, "financial_year", "2022-23", 300),  # unchanged: not a change
        ],
    )
    got = changes_since(store, HOME, MEETING)
    assert [c.code for c in got] == ["PART_CSC_Contacts_Count", "ReReferral"]
    contacts, rereferral = got
    assert contacts.what == ("value", "special cause")
    assert (contacts.previous_period, contacts.period) == ("Dec 2023", "Jan 2024")
    assert (contacts.value_before, contacts.value_after) == (403, 900)
    assert (contacts.variation_before, contacts.variation_after) == (
        "common_cause",
        "special_cause_neutral_high",
    )
    assert contacts.rag_before is None and contacts.rag_after is None
    assert contacts.href == (
        "/indicator?area=E06000033&domain=partnership&indicator=PART_CSC_Contacts_Count"
    )
    assert contacts.changed_at is not None and contacts.changed_at > BEFORE_MEETING
    assert rereferral.what == ("value", "RAG", "band")
    assert (rereferral.value_before, rereferral.value_after) == (15, 35)
    assert (rereferral.rag_before, rereferral.rag_after) == ("green", "red")
    assert (rereferral.band_before, rereferral.band_after) == ("A", "D")
    assert rereferral.period == rereferral.previous_period == "2022-23"
    assert rereferral.sentence == (
        "Re-referrals within 12 months: 2022-23 revised from 15.0% "
        "to 35.0%; RAG green to red; band A to D."
    )


def test_changes_band_moved_by_other_areas(store, tmp_path):
    """Other authorities' revisions move the home area from band A to B: RAG and band only."""
    _load(store, tmp_path / "v2.csv", _rereferral(15, [10, 12, 13, 24, 26, 28, 30, 32, 34, 36]))
    got = changes_since(store, HOME, MEETING)
    assert len(got) == 1
    change = got[0]
    assert change.code == "ReReferral"
    assert change.what == ("RAG", "band")
    assert (change.band_before, change.band_after) == ("A", "B")
    assert (change.rag_before, change.rag_after) == ("green", "amber")
    assert change.value_before == change.value_after == 15


def test_changes_several_loads_since_compare_with_the_value_then(store, tmp_path):
    """Two revisions after the meeting: 'before' is the value at the meeting, not the middle one."""
    _load(store, tmp_path / "v2.csv", _rereferral(29, OTHER_VALUES))
    _load(store, tmp_path / "v3.csv", _rereferral(17, OTHER_VALUES))
    (change,) = changes_since(store, HOME, MEETING)
    assert (change.value_before, change.value_after) == (15, 17)
    assert change.what == ("value",)  # still band A, still green


def test_changes_nothing_since_a_later_date(store, tmp_path):
    """After the last load, nothing has changed; a reload of the same values changes nothing."""
    _load(store, tmp_path / "v2.csv", _rereferral(29, OTHER_VALUES))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert changes_since(store, HOME, tomorrow) == []
    _load(store, tmp_path / "v2again.csv", _rereferral(15, OTHER_VALUES))
    _load(store, tmp_path / "v2back.csv", _rereferral(15, OTHER_VALUES))
    # Back to the value it had at the meeting: revised twice, net no change, not listed.
    assert changes_since(store, HOME, MEETING) == []


def test_changes_since_before_first_load_lists_everything_as_new(store):
    """Before the first load, every loaded indicator is new (no earlier value)."""
    got = changes_since(store, HOME, dt.date(2024, 1, 1))
    assert {c.code for c in got} == {"PART_CSC_Contacts_Count", "ReReferral", "CIN"}
    cin = next(c for c in got if c.code == "CIN")
    assert cin.what == ("value",)
    assert cin.previous_period is None and cin.before == "–"
    assert cin.sentence.startswith("Children in need per 10,000: new figure 300.0")


def test_changes_domain_filter(store, tmp_path):
    """domain='partnership' lists only the partnership's indicators."""
    _load(
        store,
        tmp_path / "v2.csv",
        [
            *_rereferral(29, OTHER_VALUES),
            ("PART_CSC_Contacts_Count", HOME, "month", "2024-01", 900),
        ],
    )
    got = changes_since(store, HOME, MEETING, domain="partnership")
    assert [c.code for c in got] == ["PART_CSC_Contacts_Count"]


def test_meetings_previous_meeting_or_thirty_days(store):
    """The latest meeting before today, or 30 days ago when none is recorded."""
    today = dt.date(2024, 3, 1)
    assert previous_meeting(store, today) == dt.date(2024, 1, 31)
    add_meeting(store, dt.date(2024, 1, 15), "Quality and performance sub-group", "chair")
    add_meeting(store, dt.date(2024, 3, 1), "Quality and performance sub-group")
    # A meeting held today is not the "previous" one.
    assert previous_meeting(store, today) == dt.date(2024, 1, 15)
    assert previous_meeting(store, dt.date(2024, 3, 2)) == dt.date(2024, 3, 1)
    assert [m.date for m in meetings(store)] == [dt.date(2024, 3, 1), dt.date(2024, 1, 15)]
