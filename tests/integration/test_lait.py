"""The LAIT importer on real rows: values, idempotence, refusal of bad files, on both backends."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from dashboard.ingest.errors import LoadError
from dashboard.ingest.lait import load_lait
from dashboard.ingest.reference import load_areas
from dashboard.store.db import session_scope
from dashboard.store.models import DataLoad, Observation, RejectedRow

MEASURES = ["ReReferral", "CPP_rate", "Work_Force_TO_Rate"]


@pytest.fixture
def lait_slice(data_dir: Path, tmp_path: Path) -> Path:
    """A real slice of LAIT (three measures, every area) as its own parquet file."""
    df = pd.read_parquet(data_dir / "dfe/lait/bds_long.parquet")
    path = tmp_path / "lait_slice.parquet"
    df[df["Short Desc"].isin(MEASURES)].reset_index(drop=True).to_parquet(path)
    return path


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> Engine:
    """An empty store with the areas loaded."""
    with session_scope(empty_engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
    return empty_engine


def _count(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(Observation)))


def test_lait_slice_loads_real_values_and_is_idempotent(store, lait_slice, data_dir):
    """Southend re-referrals 2020 = 30.2 and England 22.6; a second load changes nothing."""
    dictionary = data_dir / "dfe/lait/lait_data_dictionary.csv"
    first = load_lait(store, lait_slice, dictionary)
    assert first.inserted > 1000
    n = _count(store)
    second = load_lait(store, lait_slice, dictionary)
    assert (second.inserted, second.updated) == (0, 0)
    assert second.unchanged == first.inserted
    assert _count(store) == n
    from dashboard.scorecard import build_scorecard

    sc = build_scorecard(store, "E06000033", "children", codes=["ReReferral"], as_at="2020")
    row = sc.rows[0]
    assert row.value == pytest.approx(30.2)
    assert row.england == pytest.approx(22.6)


def _corrupt(src: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    change(pd.read_parquet(src)).to_parquet(dest)
    return dest


@pytest.mark.parametrize(
    ("case", "change", "expected"),
    [
        ("wrong_column", lambda df: df.rename(columns={"Values": "Value"}),
         r"column 'Values': required column is missing"),
        ("text_in_number", lambda df: df.assign(Values=df["Values"].mask(
            df.index == 5, "thirty")), r"row 7, column 'Values'.*neither a number"),
        ("unknown_area", lambda df: df.assign(**{"LA Number": df["LA Number"].mask(
            df.index == 3, 999.0)}), r"row 5, column 'area'.*unknown area code"),
        ("unknown_period", lambda df: df.assign(Years=df["Years"].mask(
            df.index == 4, "Spring 2020")), r"row 6, column 'Years'.*not a period label"),
    ],
)
def test_lait_bad_file_is_refused_and_changes_nothing(store, lait_slice, data_dir, tmp_path,
                                                       case, change, expected):
    """A bad LAIT file names file, row and column, stores nothing and records the refusal."""
    dictionary = data_dir / "dfe/lait/lait_data_dictionary.csv"
    load_lait(store, lait_slice, dictionary)
    before = _count(store)
    bad = _corrupt(lait_slice, tmp_path / f"{case}.parquet", change)
    with pytest.raises(LoadError, match=expected) as err:
        load_lait(store, bad, dictionary)
    assert f"{case}.parquet" in str(err.value)
    assert _count(store) == before
    with store.connect() as c:
        failed = c.execute(select(DataLoad).where(DataLoad.status == "failed")).all()
        reasons = c.scalars(select(RejectedRow.reason)).all()
    assert len(failed) == 1
    assert reasons


def test_lait_reload_keeps_counts_from_ees(store, lait_slice, data_dir):
    """Reloading LAIT after EES keeps the numerators and denominators EES supplied."""
    from dashboard.ingest.ees import load_ees

    dictionary = data_dir / "dfe/lait/lait_data_dictionary.csv"
    load_lait(store, lait_slice, dictionary)
    c1 = "dfe/ees/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    load_ees(store, [data_dir / c1])
    again = load_lait(store, lait_slice, dictionary)
    assert again.inserted == 0
    with store.connect() as c:
        with_counts = c.scalar(select(func.count()).select_from(Observation)
                               .where(Observation.numerator.is_not(None)))
    assert with_counts > 1000
