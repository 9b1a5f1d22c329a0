"""Forecasts and SPC baselines in the store, on SQLite and PostgreSQL.

Forecasts are computed by `compute_forecasts` (load time or CLI), stored, and served by
`stored_forecasts`; the scorecard only reads them. Baselines are recorded with who and why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, func, select

from dashboard.__main__ import main
from dashboard.forecast import compute_forecasts, stored_forecast, stored_forecasts
from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.local import load_local
from dashboard.ingest.reference import load_areas
from dashboard.scorecard import build_scorecard
from dashboard.signals import add_baseline, baselines, spc_for
from dashboard.store.db import session_scope
from dashboard.store.models import Forecast, ForecastPoint

HOME = "E06000033"
HEADER = "indicator,area_code,period_type,period,value,status\n"


def _months(n: int, first_year: int = 2020) -> list[str]:
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def _contacts(n: int = 48, seed: int = 42) -> list[float]:
    """Monthly contacts with a trend and a seasonal swing (known seasonality)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return [
        round(float(v)) for v in 400 + 2 * t + 60 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 6, n)
    ]


def _write(path: Path, rows: list[tuple[str, str, str, str, float | str]]) -> Path:
    path.write_text(HEADER + "".join(f"{c},{a},{k},{p},{v},final\n" for c, a, k, p, v in rows))
    return path


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path, tmp_path: Path) -> Engine:
    """Areas, the curated catalogue, 48 months of contacts and 6 years of adults' concerns."""
    with session_scope(empty_engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
        apply_catalogue(s)
    rows = [
        ("PART_CSC_Contacts_Count", HOME, "month", p, v)
        for p, v in zip(_months(48), _contacts(), strict=True)
    ]
    rows += [
        ("ASC_Concerns_Count", HOME, "financial_year", f"{y}-{(y + 1) % 100:02d}", v)
        for y, v in zip(range(2017, 2023), [1200, 1350, 1780, 1839, 1900, 2010], strict=True)
    ]
    # A performance measure (polarity high) is never forecast.
    rows += [
        ("PART_Referrals_1Day_Pct", HOME, "month", p, 80 + i % 5)
        for i, p in enumerate(_months(24, 2022))
    ]
    load_local(empty_engine, _write(tmp_path / "local.csv", rows))
    return empty_engine


def _count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(model)))


def test_forecast_store_computes_and_serves(store):
    """Demand series get a stored forecast with 12 monthly points; performance measures none."""
    report = compute_forecasts(store, [HOME])
    assert (report.areas, report.stored) == (1, 2)
    fcs = stored_forecasts(store, HOME)
    assert set(fcs) == {"PART_CSC_Contacts_Count", "ASC_Concerns_Count"}
    contacts = fcs["PART_CSC_Contacts_Count"]
    assert contacts.method.startswith("ETS(A,") and contacts.method.endswith(
        ",A) exponential smoothing (statsmodels 0.15.0)"
    )
    assert (contacts.period_type, contacts.horizon, contacts.n_points) == ("month", 12, 48)
    assert contacts.last_period_end == dt.date(2023, 12, 31)
    assert [s.label for s in contacts.steps] == [
        f"{m} 2024"
        for m in (
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        )
    ]
    assert contacts.backtest_origins == 12
    assert contacts.mase_model < contacts.mase_baseline and contacts.shown
    assert all(s.lo95 <= s.lo80 <= s.point <= s.hi80 <= s.hi95 for s in contacts.steps)
    concerns = fcs["ASC_Concerns_Count"]
    assert (concerns.baseline_method, concerns.horizon) == ("naive", 2)
    assert [s.label for s in concerns.steps] == ["2023-24", "2024-25"]
    assert concerns.backtest_origins == 1
    assert stored_forecast(store, HOME, "PART_Referrals_1Day_Pct") is None


def test_forecast_store_recompute_replaces(store):
    """A second run replaces the forecasts rather than adding to them."""
    compute_forecasts(store, [HOME])
    first = stored_forecast(store, HOME, "PART_CSC_Contacts_Count")
    compute_forecasts(store, [HOME])
    assert _count(store, Forecast) == 2
    assert _count(store, ForecastPoint) == 12 + 2
    again = stored_forecast(store, HOME, "PART_CSC_Contacts_Count")
    assert again.computed_at >= first.computed_at
    assert again.steps == first.steps


def test_forecast_store_hidden_when_baseline_wins(store, tmp_path):
    """Thirty months of a pure seasonal swing: stored with shown false and the reason."""
    rows = [
        (
            "PART_CSC_Referrals_Count",
            HOME,
            "month",
            p,
            round(300 + 60 * np.sin(2 * np.pi * i / 12) + (i % 5)),
        )
        for i, p in enumerate(_months(30, 2021))
    ]
    load_local(store, _write(tmp_path / "referrals.csv", rows))
    compute_forecasts(store, [HOME], codes=["PART_CSC_Referrals_Count"])
    fc = stored_forecast(store, HOME, "PART_CSC_Referrals_Count")
    assert fc is not None and not fc.shown
    assert fc.mase_model > fc.mase_baseline
    assert fc.reason.startswith("hidden: does not beat the seasonal naive baseline")


def test_forecast_cli_command(store, capsys):
    """`python -m dashboard forecast --area E06000033` computes and reports."""
    url = store.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "forecast", "--area", HOME]) == 0
    out = capsys.readouterr().out
    assert "2 forecast(s) stored for 1 area(s)" in out
    assert stored_forecast(store, HOME, "PART_CSC_Contacts_Count") is not None


def test_forecast_scorecard_reads_stored_forecast_and_narrates(store):
    """The scorecard attaches the stored forecast (never computes one) and the narrative says it."""
    before = build_scorecard(store, HOME, "partnership")
    row = next(r for r in before.rows if r.code == "PART_CSC_Contacts_Count")
    assert row.forecast is None  # nothing stored yet, and nothing computed on request
    compute_forecasts(store, [HOME])
    row = next(
        r
        for r in build_scorecard(store, HOME, "partnership").rows
        if r.code == "PART_CSC_Contacts_Count"
    )
    assert row.forecast is not None and row.forecast.shown
    assert "forecast to be about" in row.narrative and "by Dec 2024" in row.narrative
    assert "80% prediction interval" in row.narrative
    assert row.to_dict()["forecast"]["steps"][0]["label"] == "Jan 2024"


def test_spc_scorecard_variation_and_narrative(store):
    """A monthly series gets a variation on the scorecard; an annual one does not."""
    card = build_scorecard(store, HOME, "partnership")
    row = next(r for r in card.rows if r.code == "PART_Referrals_1Day_Pct")
    assert row.spc is not None
    assert (row.spc.variation, row.spc.limits, row.spc.n_points) == ("common_cause", "reliable", 24)
    assert "within the expected range" in row.narrative
    adults = build_scorecard(store, HOME, "adults")
    assert next(r for r in adults.rows if r.code == "ASC_Concerns_Count").spc is None


def test_spc_unusual_months_running_in_narrative(store, tmp_path):
    """Four months far above the limits: "...for the fourth month running", neutral."""
    rows = [
        ("PART_CSC_Contacts_Count", HOME, "month", p, 2000 + 10 * i)
        for i, p in enumerate(["2024-01", "2024-02", "2024-03", "2024-04"])
    ]
    load_local(store, _write(tmp_path / "spike.csv", rows))
    card = build_scorecard(store, HOME, "partnership")
    row = next(r for r in card.rows if r.code == "PART_CSC_Contacts_Count")
    assert row.spc.variation == "special_cause_neutral_high"
    assert row.spc.run == 4
    assert (
        "The figure for contacts to children's social care in April 2024 was unusually "
        "high: outside the expected range for the fourth month running."
    ) in row.narrative


def test_spc_baseline_recorded_and_restarts_limits(store):
    """A recorded baseline (who, why) restarts the mean at its start date."""
    before = spc_for(store, "PART_CSC_Contacts_Count", HOME)
    assert len(before.segments) == 1
    add_baseline(
        store,
        "PART_CSC_Contacts_Count",
        HOME,
        dt.date(2022, 1, 1),
        "new front-door model",
        "analyst",
        fix_points=12,
    )
    recorded = baselines(store, "PART_CSC_Contacts_Count", HOME)
    assert [(b.start, b.fix_points, b.reason, b.created_by) for b in recorded] == [
        (dt.date(2022, 1, 1), 12, "new front-door model", "analyst")
    ]
    after = spc_for(store, "PART_CSC_Contacts_Count", HOME)
    assert [(s.start, s.n_baseline) for s in after.segments] == [(0, 24), (24, 12)]
    assert after.segments[1].reason == "new front-door model"
    values = _contacts()[24:36]
    assert after.segments[1].mean == pytest.approx(sum(values) / 12)


def test_spc_baseline_refuses_bad_input(store):
    """Unknown indicator and an empty reason are refused."""
    with pytest.raises(ValueError, match="unknown indicator"):
        add_baseline(store, "NOPE", HOME, dt.date(2022, 1, 1), "x", "me")
    with pytest.raises(ValueError, match="reason"):
        add_baseline(store, "PART_CSC_Contacts_Count", HOME, dt.date(2022, 1, 1), " ", "me")


@pytest.mark.slow
def test_forecast_computed_by_first_load(national):
    """`load_all` ends by forecasting the home area's demand measures from the real data."""
    fcs = stored_forecasts(national, HOME)
    assert {"CIN", "LAC", "CPP_rate"} <= set(fcs)
    cin = fcs["CIN"]
    assert cin.horizon == 2 and cin.baseline_method == "naive"
    assert cin.mase_model is not None and cin.mase_baseline is not None
    assert cin.shown == (cin.mase_model < cin.mase_baseline)
    assert stored_forecasts(national, "E92000001")["CIN"].n_points == 10
