"""Unit tests for demand forecasts and their backtest (dashboard.forecast)."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.forecast import (
    backtest,
    consecutive_tail,
    forecast_series,
    is_demand,
    mase_scale,
    next_periods,
    seasonal_naive,
)
from dashboard.periods import financial_year, month, quarter, snapshot

LAIT = "dfe/lait/bds_long.parquet"


def _monthly(n: int, *, trend: float, amplitude: float, noise: float, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return list(200 + trend * t + amplitude * np.sin(2 * np.pi * t / 12) + rng.normal(0, noise, n))


def _months(n: int) -> list:
    return [month(2020 + i // 12, i % 12 + 1) for i in range(n)]


def _naive_mase(
    y: list[float], season: int, horizon: int, min_train: int, max_origins: int = 12
) -> float:
    """The baseline's MASE worked out independently of the module, loop by loop."""
    errors = []
    for t in range(max(min_train, len(y) - max_origins), len(y)):
        for h in range(min(horizon, len(y) - t)):
            errors.append(abs(y[t + h] - y[t - season + h % season]))
    scale = np.mean([abs(y[i] - y[i - season]) for i in range(season, len(y))])
    return float(np.mean(errors) / scale)


def test_forecast_seasonal_naive_repeats_last_season():
    """Season 4: steps 1-6 repeat the last four values; season 1 repeats the last value."""
    assert seasonal_naive([1, 2, 3, 4, 5, 6, 7, 8], 6, 4) == [5, 6, 7, 8, 5, 6]
    assert seasonal_naive([3, 9], 3) == [9, 9, 9]


def test_forecast_mase_scale_is_mean_seasonal_difference():
    """|3-1|, |4-2|, |8-3| over season 2: mean 3."""
    assert mase_scale([1, 2, 3, 4, 8], 2) == pytest.approx(3)
    assert mase_scale([5]) == 0


def test_forecast_backtest_by_hand():
    """1..7, origins 5 and 6, horizon 2: a perfect drift model 0, naive errors 1, 2, 1."""
    bt = backtest(
        [1, 2, 3, 4, 5, 6, 7], 2, 1, lambda tr, h: [tr[-1] + k + 1 for k in range(h)], min_train=5
    )
    assert (bt.origins, bt.errors) == (2, 3)
    assert (bt.mae_model, bt.mae_baseline, bt.scale) == (0, pytest.approx(4 / 3), 1)
    assert (bt.mase_model, bt.mase_baseline) == (0, pytest.approx(4 / 3))
    assert bt.model_wins


def test_forecast_backtest_worse_model_loses():
    """A model that always says zero is worse than naive and does not win."""
    bt = backtest([5, 6, 5, 6, 5, 6, 5], 2, 1, lambda tr, h: [0.0] * h, min_train=5)
    assert bt.mase_model > bt.mase_baseline
    assert not bt.model_wins


def test_forecast_backtest_needs_an_origin():
    """No point has min_train points before it: no backtest."""
    assert backtest([1, 2, 3], 2, 1, lambda tr, h: [0.0] * h, min_train=5) is None


def test_forecast_next_periods_step_months_quarters_years():
    """Dec 2023 -> Jan 2024; Q4 2023-24 -> Q1 2024-25; 2019-20 -> 2020-21; 31 Mar snapshots."""
    assert [p.label for p in next_periods(month(2023, 12), 2)] == ["Jan 2024", "Feb 2024"]
    assert next_periods(month(2024, 1), 1)[0] == month(2024, 2)
    assert next_periods(quarter(2023, 4), 1)[0] == quarter(2024, 1)
    assert next_periods(financial_year(2019), 2)[1] == financial_year(2021)
    assert next_periods(snapshot(dt.date(2025, 3, 31)), 1)[0] == snapshot(dt.date(2026, 3, 31))


def test_forecast_consecutive_tail_stops_at_gap_and_suppressed_value():
    """A missing month or a suppressed value ends the run; nothing is read as zero."""
    ps = [month(2024, m) for m in (1, 2, 4, 5, 6)]
    assert consecutive_tail(ps, [1, 2, 3, 4, 5])[1] == [3, 4, 5]
    assert consecutive_tail(ps, [1, 2, 3, None, 5])[1] == [5]
    ps = [month(2024, m) for m in range(1, 7)]
    assert consecutive_tail(ps, [1, 2, 3, 4, 5, None])[1] == [1, 2, 3, 4, 5]


def test_forecast_too_short_returns_none():
    """Three points: no forecast at all."""
    assert forecast_series(_months(3), [1.0, 2.0, 3.0]) is None


def test_forecast_demand_measures_only():
    """Listed demand codes with polarity none are forecast; performance measures never."""
    assert is_demand("CIN", "none")
    assert not is_demand("CIN", "high")
    assert not is_demand("ReReferral", "low")


def test_forecast_cin_england_real_series_backtest(data_dir):
    """LAIT children in need rate, England 2016-2025: naive MASE 1.157 by hand, ETS beats it."""
    lait = pd.read_parquet(data_dir / LAIT)
    cin = lait[(lait["Short Desc"] == "CIN") & (lait["LA and Regions"] == "England")]
    cin = cin.sort_values("Years")
    values = [float(v) for v in cin["Values"]]
    periods = [snapshot(dt.date(int(y), 3, 31)) for y in cin["Years"]]
    assert len(values) == 10 and values[0] == pytest.approx(339.8)
    r = forecast_series(periods, values)
    assert r is not None
    assert r.method.startswith("ETS(A,") and "statsmodels" in r.method
    assert (r.baseline_method, r.season_length, r.horizon) == ("naive", 1, 2)
    assert (r.backtest.origins, r.backtest.errors) == (5, 9)
    # Naive errors over origins 2021..2025 (9 of them) sum to 71.6; the yearly changes sum to 61.9.
    assert r.backtest.mase_baseline == pytest.approx(71.6 / 61.9)
    assert r.backtest.mase_baseline == pytest.approx(_naive_mase(values, 1, 2, 5))
    assert r.backtest.mase_model == pytest.approx(0.832, abs=0.01)
    assert r.shown and r.reason.startswith("beats the naive baseline")
    assert [s.label for s in r.steps] == ["31 Mar 2026", "31 Mar 2027"]
    for s in r.steps:
        assert s.lo95 <= s.lo80 <= s.point <= s.hi80 <= s.hi95


def test_forecast_monthly_known_seasonality_beats_seasonal_naive():
    """Trend 2 a month, seasonal swing 30, 48 months: seasonal ETS far beats seasonal naive."""
    y = _monthly(48, trend=2, amplitude=30, noise=4, seed=42)
    r = forecast_series(_months(48), y)
    assert r is not None
    assert r.method.split(" ")[0] in ("ETS(A,N,A)", "ETS(A,Ad,A)")
    assert (r.baseline_method, r.season_length, r.horizon) == ("seasonal naive", 12, 12)
    assert r.backtest.origins == 12 and r.backtest.errors == 78
    assert r.backtest.mase_baseline == pytest.approx(_naive_mase(y, 12, 12, 24))
    assert r.backtest.mase_model == pytest.approx(0.244, abs=0.02)
    assert r.backtest.mase_model < 0.5 * r.backtest.mase_baseline
    assert r.shown
    assert [s.label for s in r.steps][:2] == ["Jan 2024", "Feb 2024"]
    assert r.steps[-1].label == "Dec 2024"
    # The seasonal peak (sin at month 3 of 12, i.e. April) is forecast above the trough (October).
    assert r.steps[3].point > r.steps[9].point + 30


def test_forecast_worse_than_baseline_is_hidden():
    """Thirty months of a seasonal swing: non-seasonal ETS loses to seasonal naive; hidden."""
    y = _monthly(30, trend=0, amplitude=30, noise=1, seed=3)
    r = forecast_series(_months(30), y)
    assert r is not None
    assert r.method.split(" ")[0] in ("ETS(A,N,N)", "ETS(A,Ad,N)")
    assert r.backtest.mase_baseline == pytest.approx(_naive_mase(y, 12, 12, 24))
    assert r.backtest.mase_model > r.backtest.mase_baseline
    assert not r.shown
    assert r.reason.startswith("hidden: does not beat the seasonal naive baseline")


def test_forecast_untestable_series_is_hidden():
    """Five annual points cannot be backtested (five training points needed before an origin)."""
    r = forecast_series([financial_year(2019 + i) for i in range(5)], [10, 12, 11, 13, 12])
    assert r is not None and r.backtest is None
    assert not r.shown
    assert "too few to test" in r.reason


def test_forecast_intervals_never_negative():
    """Demand cannot be negative: lower bounds are clipped at zero."""
    r = forecast_series(_months(14), [5, 1, 0, 4, 0, 6, 1, 0, 3, 0, 5, 0, 2, 0])
    assert r is not None
    assert all(s.lo95 >= 0 and s.point >= 0 for s in r.steps)
    assert all(not math.isnan(s.hi95) for s in r.steps)
