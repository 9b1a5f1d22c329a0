"""Integration tests for the EES importer against the real published files, on SQLite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from dashboard.ingest.ees import load_ees
from dashboard.ingest.errors import LoadError
from dashboard.ingest.lait import load_lait
from dashboard.ingest.reference import load_areas
from dashboard.store.db import get_engine, migrate, session_scope
from dashboard.store.models import (
    Area,
    Breakdown,
    DataLoad,
    Indicator,
    Observation,
    ObservationHistory,
    Period,
)

SOUTHEND = "E06000033"
ENGLAND = "E92000001"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
POPULATION = "ons_mid-year_population_estimates_2012_to_2024.csv"


@pytest.fixture(scope="module")
def ees_dir(data_dir: Path) -> Path:
    """The published EES files (`data_dir` comes from tests/conftest.py)."""
    return data_dir / "dfe/ees"


def _new_engine(path: Path, ees_dir: Path) -> Engine:
    engine = get_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as s:
        load_areas(s, sorted(ees_dir.glob("*.csv")))
    return engine


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, ees_dir: Path):
    """A store with the areas and every EES file loaded once, and the load's results."""
    engine = _new_engine(tmp_path_factory.mktemp("ees") / "t.db", ees_dir)
    return engine, load_ees(engine, ees_dir)


@pytest.fixture
def engine(loaded) -> Engine:
    return loaded[0]


def obs(engine: Engine, code: str, area: str, label: str, dimension: str = "all",
        category: str = "all") -> Observation:
    """The one observation for an indicator, area, period label and breakdown."""
    with session_scope(engine) as s:
        row = s.scalars(
            select(Observation)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .join(Area, Area.id == Observation.area_id)
            .join(Period, Period.id == Observation.period_id)
            .join(Breakdown, Breakdown.id == Observation.breakdown_id)
            .where(Indicator.code == code, Area.code == area, Period.label == label,
                   Breakdown.dimension == dimension, Breakdown.category == category)
        ).one()
        s.expunge(row)
        return row


def count_observations(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Observation)) or 0)


def altered_copy(src: Path, dest_dir: Path, change: Callable[[pd.DataFrame], pd.DataFrame],
                 name: str | None = None) -> Path:
    """A copy of a published file with `change` applied, written as EES writes it."""
    df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    dest = dest_dir / (name or src.name)
    change(df).to_csv(dest, index=False)
    return dest


def southend_row(df: pd.DataFrame, year: str = "2025") -> int:
    """The spreadsheet row number (header = 1) of Southend's row for a year."""
    index = df.index[(df["old_la_code"] == "882") & (df["time_period"] == year)][0]
    return int(index) + 2


# --- values ----------------------------------------------------------------------------------


def test_ees_rereferral_southend_2020_has_value_and_counts(engine):
    """Southend's 2020 re-referral rate is the published 30.2 with its count and total."""
    o = obs(engine, "ReReferral", SOUTHEND, "2020")
    assert o.value == pytest.approx(30.2)
    assert (o.numerator, o.denominator) == (823, 2721)
    assert o.suppression is None


def test_ees_rereferral_england_2020(engine):
    """England's 2020 re-referral rate is the published 22.6."""
    assert obs(engine, "ReReferral", ENGLAND, "2020").value == pytest.approx(22.6)


def test_ees_cla_rate_from_file_with_bom(engine):
    """The CLA file (which starts with a BOM) gives England's 31 March 2025 rate with counts."""
    o = obs(engine, "LAC", ENGLAND, "31 Mar 2025")
    assert (o.value, o.numerator, o.denominator) == (67, 81770, 12183016)
    assert obs(engine, "LAC", SOUTHEND, "31 Mar 2025").value == 80


def test_ees_referral_rate_uses_population_of_year_before(engine, ees_dir):
    """Referrals per 10,000 divide by the ONS mid-year estimate for the year before."""
    pop = pd.read_csv(ees_dir / POPULATION, dtype=str)
    southend_2024 = int(pop.loc[(pop["old_la_code"] == "882") & (pop["time_period"] == "2024"),
                                "population_estimate"].iloc[0])
    o = obs(engine, "CIN_Referrals_Rate", SOUTHEND, "2025")
    assert (o.numerator, o.denominator) == (1325, southend_2024)
    assert o.value == pytest.approx(1325 / southend_2024 * 10_000)


def test_ees_cin_rate_rounds_to_published_figure(engine):
    """England's children in need rate at 31 March 2024 rounds to LAIT's published 331.2."""
    assert round(obs(engine, "CIN_At31_Rate", ENGLAND, "31 Mar 2024").value, 1) == 331.2


def test_ees_care_leavers_activity_breakdown(engine):
    """A care leavers' activity category holds its percentage, its count and the total."""
    o = obs(engine, "CareLeaver_Activity_19to21", SOUTHEND, "2025", "Care leaver activity",
            "In training or employment (excl. apprenticeship)")
    assert (o.value, o.numerator, o.denominator) == (28, 39, 141)


def test_ees_suppressed_cell_is_suppression_not_zero(engine):
    """A 'c' cell is stored as suppression 'c' with no value (never zero)."""
    o = obs(engine, "CareLeaver_Activity_19to21", SOUTHEND, "2025", "Care leaver activity",
            "Higher education i.e. studies beyond A level")
    assert (o.value, o.numerator, o.suppression) == (None, None, "c")
    assert o.denominator == 141


def test_ees_placement_stability_denominator_from_total_row(engine):
    """Long-term stability takes its denominator from the group's 'Total children' row."""
    o = obs(engine, "CLA_LongTermStability_Pct", SOUTHEND, "2025")
    assert (o.value, o.numerator, o.denominator) == (67, 67, 100)


def test_ees_assessment_factors_wide_breakdown(engine):
    """Each factor column becomes a category; the total is the headline."""
    o = obs(engine, "CIN_Assessment_Factors", ENGLAND, "2025",
            "Factor identified at assessment", "Domestic abuse (parent)")
    assert o.value == 162890
    assert obs(engine, "CIN_Assessment_Factors", ENGLAND, "2025").value == 513250


def test_ees_workforce_read_as_30_september(engine):
    """Workforce figures are 30 September snapshots, with no FTE counts attached."""
    o = obs(engine, "Work_Force_TO_Rate", ENGLAND, "30 Sep 2025")
    assert (o.value, o.numerator, o.denominator) == (11.8, None, None)


def test_ees_combined_la_rows_skipped_and_counted(loaded):
    """Rows for LAs reported together ('314 / 318') are skipped, counted and noted."""
    engine, results = loaded
    with session_scope(engine) as s:
        loads = {d.id: d for d in s.scalars(select(DataLoad))}
    csww = next(r for r in results if loads[r.load_id].file_name == CSWW)
    assert csww.skipped == 14
    assert "'314 / 318'" in (loads[csww.load_id].message or "")
    assert sum(r.skipped for r in results) == 14


def test_ees_population_file_is_input_only(loaded, ees_dir):
    """Every covered file gets one audit row; the population file is read but not loaded."""
    engine, results = loaded
    with session_scope(engine) as s:
        names = [s.get(DataLoad, r.load_id).file_name for r in results]
    assert len(results) == len(list(ees_dir.glob("*.csv"))) - 1
    assert POPULATION not in names


# --- idempotence and aliases -----------------------------------------------------------------


def test_ees_reload_changes_nothing(engine, ees_dir):
    """Loading the same files again inserts nothing and updates nothing."""
    before = count_observations(engine)
    results = load_ees(engine, ees_dir)
    assert all(r.inserted == 0 and r.updated == 0 for r in results)
    assert count_observations(engine) == before


def test_ees_alias_reads_older_column_name(engine, ees_dir, tmp_path):
    """A file with an older column name loads through the mapping's aliases, unchanged."""
    renamed = {"rereferral_percent": "Re_referrals_percent", "referral_count": "Referrals"}
    copy = altered_copy(ees_dir / C1, tmp_path, lambda df: df.rename(columns=renamed))
    (result,) = load_ees(engine, [copy, ees_dir / POPULATION])
    assert (result.inserted, result.updated) == (0, 0)


# --- rejection -------------------------------------------------------------------------------


def assert_refused(engine: Engine, paths: list[Path], *expected: str) -> None:
    before = count_observations(engine)
    with pytest.raises(LoadError) as err:
        load_ees(engine, paths)
    for text in expected:
        assert text in str(err.value)
    assert count_observations(engine) == before


def test_ees_rejects_missing_required_column(engine, ees_dir, tmp_path):
    """A renamed required column is refused, naming file, header row and column."""
    copy = altered_copy(ees_dir / D3, tmp_path,
                        lambda df: df.rename(columns={"CPP_subsequent": "subsequent_plans"}))
    assert_refused(engine, [copy], D3, "row 1", "column 'CPP_subsequent'",
                   "required column is missing")


def test_ees_rejects_text_in_number_column(engine, ees_dir, tmp_path):
    """Text that is neither a number nor a symbol is refused with its row and column."""
    df = pd.read_csv(ees_dir / D3, dtype=str, keep_default_na=False)
    row = southend_row(df)

    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[row - 2, "CPP_start"] = "about 150"
        return d

    copy = altered_copy(ees_dir / D3, tmp_path, change)
    assert_refused(engine, [copy], D3, f"row {row}", "column 'CPP_start'", "'about 150'")


def test_ees_rejects_unknown_area_code(engine, ees_dir, tmp_path):
    """An LA number not among the areas is refused with its row and column."""
    df = pd.read_csv(ees_dir / D3, dtype=str, keep_default_na=False)
    row = southend_row(df)

    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[row - 2, "old_la_code"] = "999"
        return d

    copy = altered_copy(ees_dir / D3, tmp_path, change)
    assert_refused(engine, [copy], D3, f"row {row}", "column 'old_la_code'", "'999'",
                   "unknown area")


def test_ees_rejects_unknown_time_period(engine, ees_dir, tmp_path):
    """A time_period that is not a year is refused with its row and column."""
    df = pd.read_csv(ees_dir / D3, dtype=str, keep_default_na=False)
    row = southend_row(df)

    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[row - 2, "time_period"] = "2025-26"
        return d

    copy = altered_copy(ees_dir / D3, tmp_path, change)
    assert_refused(engine, [copy], D3, f"row {row}", "column 'time_period'", "'2025-26'")


def test_ees_rejects_filter_value_that_selects_nothing(engine, ees_dir, tmp_path):
    """A renamed filter category, which would silently drop an indicator, is refused."""
    def change(d: pd.DataFrame) -> pd.DataFrame:
        d["population_type"] = d["population_type"].str.replace(" each year", "")
        return d

    copy = altered_copy(ees_dir / CLA, tmp_path, change)
    assert_refused(engine, [copy], CLA, "column 'population_type'", "selects nothing")


def test_ees_rejects_file_no_rule_matches(engine, ees_dir, tmp_path):
    """A file that no mapping entry covers is refused before anything loads, and audited."""
    copy = tmp_path / "mystery_statistics_2025.csv"
    shutil.copy(ees_dir / D3, copy)
    assert_refused(engine, [ees_dir / D3, copy], copy.name, "no mapping rule matches the file")
    with session_scope(engine) as s:
        failed = s.scalars(select(DataLoad).where(DataLoad.file_name == copy.name)).one()
        assert failed.status == "failed"


# --- with LAIT -------------------------------------------------------------------------------


def test_ees_gives_lait_observations_their_counts(tmp_path, data_dir, ees_dir):
    """EES loaded after LAIT keeps LAIT's values and metadata and adds the counts."""
    engine = _new_engine(tmp_path / "lait.db", ees_dir)
    lait = data_dir / "dfe/lait"
    load_lait(engine, lait / "bds_long.parquet", lait / "lait_data_dictionary.csv",
              measures={"ReReferral", "LAC"})
    before = obs(engine, "ReReferral", SOUTHEND, "2020")
    assert (before.value, before.numerator) == (pytest.approx(30.2), None)

    load_ees(engine, [ees_dir / C1, ees_dir / CLA, ees_dir / POPULATION])
    after = obs(engine, "ReReferral", SOUTHEND, "2020")
    assert after.value == before.value
    assert (after.numerator, after.denominator) == (823, 2721)
    with session_scope(engine) as s:
        ind = s.scalars(select(Indicator).where(Indicator.code == "ReReferral")).one()
        assert ind.source.startswith("Department for Education, Local Authority Interactive")
        assert ind.polarity == "low"
        # Every LAIT observation the load replaced kept its value: only counts and the
        # suppression symbol (LAIT's "-" for the DfE's c, x, ...) changed.
        replaced = s.execute(
            select(ObservationHistory.value, Observation.value)
            .join(Observation, Observation.id == ObservationHistory.observation_id)
        ).all()
        assert len(replaced) > 1000
        assert all(old == new for old, new in replaced)
