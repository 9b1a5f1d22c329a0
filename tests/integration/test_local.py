"""The partnership's own figures: real values load; each kind of bad row is refused by row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.errors import LoadError
from dashboard.ingest.local import load_local
from dashboard.ingest.reference import load_areas
from dashboard.store.db import session_scope
from dashboard.store.models import Observation, ObservationHistory

LOCAL = "local/southend_adults_safeguarding_published.csv"
HEADER = "measure,area_code,area_name,period_type,period,value,unit,status,source_note\n"


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> Engine:
    """Areas and the curated catalogue, no observations."""
    with session_scope(empty_engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
        apply_catalogue(s)
    return empty_engine


def _count(engine: Engine, model=Observation) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(model)))


def test_local_file_loads_every_row(store, data_dir):
    """All 41 published Southend figures load, and a reload changes nothing."""
    first = load_local(store, data_dir / LOCAL)
    assert first.inserted == 41
    again = load_local(store, data_dir / LOCAL)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 41)


def test_local_correction_keeps_history(store, data_dir, tmp_path):
    """A changed value updates the observation and keeps the earlier version in history."""
    load_local(store, data_dir / LOCAL)
    path = tmp_path / "correction.csv"
    path.write_text(HEADER + "DoLS applications received,E06000033,Southend-on-Sea,"
                    "financial_year,2020-21,1106,count,final,corrected from the summary table\n")
    result = load_local(store, path)
    assert result.updated == 1
    with store.connect() as c:
        old = c.execute(select(ObservationHistory.value, ObservationHistory.note)).one()
    assert old.value == 1111


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Not a measure,E06000033,S,financial_year,2020-21,5,count,final,", "measure",
         "unknown indicator"),
        ("Section 47 enquiries,E99999999,S,financial_year,2020-21,5,count,final,", "area",
         "unknown area code"),
        ("Section 47 enquiries,E06000033,S,financial_year,2020/21x,5,count,final,", "period",
         "not a financial year"),
        ("Section 47 enquiries,E06000033,S,financial_year,2090-91,5,count,final,", "period",
         "in the future"),
        ("Section 47 enquiries,E06000033,S,financial_year,2020-21,five,count,final,", "value",
         "not a number"),
        ("Case files rated good or better in audit,E06000033,S,financial_year,2020-21,140,"
         "percent,final,", "value", "between 0 and 100"),
        ("Section 47 enquiries,E06000033,S,financial_year,2020-21,5,count,draft,", "status",
         "status must be"),
    ],
)
def test_local_bad_row_is_refused_by_row_and_column(store, tmp_path, row, column, message):
    """Each problem names the file, row 3 and the column; nothing is stored."""
    path = tmp_path / "upload.csv"
    good = "Section 47 enquiries,E06000033,S,financial_year,2019-20,700,count,final,\n"
    path.write_text(HEADER + good + row + "\n")
    with pytest.raises(LoadError) as err:
        load_local(store, path)
    text = str(err.value)
    assert "upload.csv, row 3" in text
    assert f"column '{column}'" in text
    assert message in text
    assert _count(store) == 0


def test_local_duplicate_rows_are_refused(store, tmp_path, data_dir):
    """The same figure twice in one file is a duplicate, not a silent overwrite."""
    path = tmp_path / "dups.csv"
    shutil.copy(data_dir / LOCAL, path)
    with open(path, "a") as f:
        f.write("Section 47 enquiries,E06000033,S,financial_year,2020-21,5,count,final,\n")
    with pytest.raises(LoadError, match="duplicate row"):
        load_local(store, path)
    assert _count(store) == 0
