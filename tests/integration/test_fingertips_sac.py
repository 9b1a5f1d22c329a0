"""Fingertips and SAC downloads load into the catalogue; symbols are never zero.

Both go through the upload rules; suppressed cells are kept as symbols.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard.ingest.errors import LoadError
from dashboard.ingest.fingertips import load_fingertips
from dashboard.ingest.sac import load_sac
from dashboard.ingest.upload import commit_upload, validate_upload
from dashboard.store.db import session_scope
from dashboard.store.models import Area, DataLoad, Indicator, Observation, Period
from tests.integration._upload_support import FIXTURES, Users, prepare_store

FINGERTIPS = FIXTURES / "fingertips_sample.csv"
SAC_WIDE = FIXTURES / "sac_wide_sample.csv"
SAC_LONG = FIXTURES / "sac_long_sample.csv"


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> tuple[Engine, Users]:
    """Areas, catalogue, owners and users."""
    return empty_engine, prepare_store(empty_engine, data_dir)


def _stored(engine: Engine, code: str) -> dict[tuple[str, str], Observation]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(Area.code, Period.label, Period.type, Observation)
            .join(Observation, Observation.area_id == Area.id)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .join(Period, Period.id == Observation.period_id)
            .where(Indicator.code == code)).all()
    return {(r[0], r[1]): r for r in rows}


def test_fingertips_download_maps_into_the_catalogue(store):
    """Mapped indicators load with counts, denominators and intervals; the rest is skipped."""
    engine, users = store
    report = validate_upload(engine, FINGERTIPS.read_bytes(), FINGERTIPS.name, users.admin)
    assert report.ok, report.problems
    assert report.kind == "fingertips"
    assert report.preview is not None
    assert report.preview.counts == {"insert": 6, "update": 0, "unchanged": 0, "skipped": 4}
    assert report.preview.skipped == {
        "areas this dashboard does not hold": 1,
        "breakdown rows (Category Type), which are not loaded": 1,
        "rows for a sex or age the mapping does not load": 1,
        "rows for Fingertips indicator 90323, which is not mapped": 1,
    }
    result = load_fingertips(engine, FINGERTIPS, users.admin)
    assert sorted(result.indicators_created) == ["PART_DomesticAbuse_Rate",
                                                 "PH_Injury_Admissions_0_14"]
    da = _stored(engine, "PART_DomesticAbuse_Rate")
    assert set(da) == {("E92000001", "2020-21"), ("E12000006", "2020-21"),
                       ("E06000033", "2020-21"), ("E06000033", "2019-20")}
    home = da[("E06000033", "2020-21")]
    assert home[2] == "financial_year"
    assert (home[3].value, home[3].numerator, home[3].denominator) == (33.4, 4911, 147009)
    injuries = _stored(engine, "PH_Injury_Admissions_0_14")
    southend = injuries[("E06000033", "2020-21")][3]
    assert (southend.ci_lower, southend.ci_upper, southend.numerator) == (84.7, 106.9, 287)
    with engine.connect() as c:
        ind = c.execute(select(Indicator).where(
            Indicator.code == "PART_DomesticAbuse_Rate")).one()
        load = c.execute(select(DataLoad).where(DataLoad.id == result.load_id)).one()
    assert (ind.unit, ind.multiplier, ind.domain, ind.owner) == ("rate", 1000, "partnership", None)
    assert load.kind == "fingertips" and "4 rows skipped" in load.message


def test_fingertips_suppressed_value_is_a_symbol_never_zero(store):
    """A blank value with a suppression note is stored as suppressed, with no number."""
    engine, users = store
    load_fingertips(engine, FINGERTIPS, users.admin)
    thurrock = _stored(engine, "PH_Injury_Admissions_0_14")[("E06000034", "2020-21")][3]
    assert thurrock.value is None and thurrock.suppression == "c"
    assert "suppressed" in thurrock.note


def test_fingertips_reload_changes_nothing(store):
    """Loading the same download twice leaves every value as it was."""
    engine, users = store
    load_fingertips(engine, FINGERTIPS, users.admin)
    again = load_fingertips(engine, FINGERTIPS, users.admin)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)


def test_fingertips_needs_an_admin_for_national_indicators(store):
    """Mapped public health indicators have no owning agency, so contributors cannot load them."""
    engine, users = store
    report = validate_upload(engine, FINGERTIPS.read_bytes(), FINGERTIPS.name, users.adults)
    assert not report.ok
    assert all("admins only" in p.message for p in report.problems)


def test_fingertips_bad_time_period_is_named(store):
    """An unreadable time period is reported by row and column."""
    engine, users = store
    text = FINGERTIPS.read_text().replace(",2019/20,31.0,", ",2019/2x,31.0,")
    report = validate_upload(engine, text.encode(), "ft.csv", users.admin)
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (5, "Time period", "2019/2x")]


def test_sac_wide_file_loads_with_symbols_kept(store):
    """SG1f concerns -> ASC_Concerns_Count; [c] and [x] are kept as suppression, not zero."""
    engine, users = store
    result = load_sac(engine, SAC_WIDE, users.admin)
    assert (result.kind, result.inserted, result.skipped) == ("sac", 20, 7)
    concerns = _stored(engine, "ASC_Concerns_Count")
    assert concerns[("E06000033", "2022-23")][3].value == 2385
    assert concerns[("E92000001", "2022-23")][3].value == 592335
    assert concerns[("E06000033", "2022-23")][2] == "financial_year"
    s42 = _stored(engine, "ASC_Individuals_S42_Count")
    thurrock = s42[("E06000034", "2022-23")][3]
    assert (thurrock.value, thurrock.suppression) == (None, "[c]")
    assert _stored(engine, "ASC_S42_Started_Count")[("E10000012", "2022-23")][3].value == 3415
    with engine.connect() as c:
        zeros = c.execute(select(Observation.id).where(Observation.value == 0)).all()
    assert zeros == []


def test_sac_long_file_loads_totals_only(store):
    """In the long layout, only Total rows of mapped measures load; [c] stays a symbol."""
    engine, users = store
    report = validate_upload(engine, SAC_LONG.read_bytes(), SAC_LONG.name, users.admin)
    assert report.ok, report.problems
    assert report.preview is not None
    assert report.preview.counts["insert"] == 5
    assert report.preview.skipped == {
        "breakdown rows (not Total), which are not loaded": 1,
        "rows for measure 'Number of Other Safeguarding Enquiries', which the mapping does "
        "not load": 1}
    load_sac(engine, SAC_LONG, users.admin)
    assert _stored(engine, "ASC_S42_Started_Count")[("E06000033", "2021-22")][3].value == 420
    concluded = _stored(engine, "ASC_S42_Concluded_Count")[("E06000033", "2021-22")][3]
    assert (concluded.value, concluded.suppression) == (None, "[c]")


def test_sac_contributor_for_adults_can_load_their_council(store):
    """Adults' services own the ASC indicators, so their contributor may load a SAC file."""
    engine, users = store
    result = commit_upload(engine, SAC_LONG.read_bytes(), SAC_LONG.name, users.adults)
    assert result.inserted == 5
    police = validate_upload(engine, SAC_LONG.read_bytes(), SAC_LONG.name, users.police)
    assert not police.ok


def test_sac_text_in_a_measure_column_is_refused(store):
    """A value that is neither a number nor a known symbol refuses the file, by row and column."""
    engine, users = store
    text = SAC_WIDE.read_text().replace('"2,385"', "n/a")
    with pytest.raises(LoadError) as err:
        commit_upload(engine, text.encode(), "sac.csv", users.admin)
    (p,) = err.value.problems
    assert (p.row, p.column, p.value) == (4, "SG1f Total Number of Safeguarding Concerns", "n/a")
    with engine.connect() as c:
        assert c.execute(select(Observation.id)).all() == []
