"""Demand forecasts: where referrals, plans, children looked after and concerns are heading.

METHODS.md ("Forecasting demand"): for demand measures only (polarity none; never a
performance measure, which would read as a target), a forecast 12 months, 4 quarters or 2
annual points ahead with 80% and 95% prediction intervals from statsmodels' exponential
smoothing (ETS), its method named; a rolling-origin backtest over the history against a
seasonal-naive baseline (naive for annual data), reported as mean absolute scaled error; and
the forecast shown only where it beats the baseline.

Forecasts are computed when data are loaded (`bootstrap.load_all`) or by
`python -m dashboard forecast`, stored in `forecasts` / `forecast_points`, and read by pages
with `stored_forecasts`: never computed on a page request.

Model. Candidates are additive-error ETS: no trend or damped trend, each with additive
seasonality when the series has three full seasons. The one with the lowest AICc on the whole
series is fitted at every backtest origin and then to the whole series for the forecast.
Intervals are statsmodels' (analytic for these models); demand cannot be negative, so lower
bounds and points are clipped at zero.

Backtest. Origins are the last (at most 12) points with at least `min_train` points before them
(two seasons; five points for annual data); at each origin the model and the baseline forecast
up to the horizon, and every error of every origin counts. MASE divides each mean absolute
error by the in-sample mean absolute seasonal difference of the whole series, so the two
MASEs share a scale and "beats the baseline" is mase_model < mase_baseline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select

from dashboard import queries
from dashboard.periods import PeriodSpec
from dashboard.store.db import session_scope
from dashboard.store.models import Area, Forecast, ForecastPoint, Indicator

#: Demand measures (polarity none): front-door contacts and referrals, section 47 enquiries,
#: children in need, child protection plans, children looked after, adults' concerns and contacts.
DEMAND_CODES: tuple[str, ...] = (
    "CPP_Total_Rateper10,000",  # referrals per 10,000 children
    "PART_CSC_Contacts_Count",
    "PART_CSC_Referrals_Count",
    "Section_47",
    "PART_S47_Count",
    "CIN",
    "CPP_rate",
    "CPP_Abuse_Rate",  # plans starting
    "LAC",
    "ASC_Concerns_Rate",
    "ASC_Individuals_Concerns_Rate",
    "ASC_Concerns_Count",
    "ASC_Individuals_Concerns_Count",
    "ASC_Concerns_Quarter",
    "ASC_Contacts_Quarter",
)
ANNUAL_TYPES = frozenset(
    {"reporting_year", "financial_year", "academic_year", "calendar_year", "snapshot"}
)
#: Months between consecutive periods, season length and horizon, by period type.
_MONTHS = {"month": 1, "quarter": 3}
SEASON = {"month": 12, "quarter": 4}
HORIZON = {"month": 12, "quarter": 4}
ANNUAL_HORIZON = 2
ANNUAL_MIN_TRAIN = 5
MAX_ORIGINS = 12
MIN_POINTS = 4
HEURISTIC_MIN = 10
ENGLAND = "E92000001"


@dataclass(frozen=True)
class ForecastStep:
    """One period ahead: the point forecast and its 80% and 95% prediction intervals."""

    step: int
    label: str
    start: dt.date
    end: dt.date
    point: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin accuracy of the model and the baseline.

    Attributes:
        origins: How many forecast origins were tested.
        errors: How many (origin, horizon) errors were averaged.
        mae_model: Mean absolute error of the model.
        mae_baseline: Mean absolute error of the (seasonal) naive baseline.
        scale: In-sample mean absolute (seasonal) difference, MASE's denominator.
        mase_model: mae_model / scale (None when the scale is zero).
        mase_baseline: mae_baseline / scale.
    """

    origins: int
    errors: int
    mae_model: float
    mae_baseline: float
    scale: float
    mase_model: float | None
    mase_baseline: float | None

    @property
    def model_wins(self) -> bool:
        """Whether the model's MASE is strictly below the baseline's."""
        return (
            self.mase_model is not None
            and self.mase_baseline is not None
            and self.mase_model < self.mase_baseline
        )


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with its backtest and whether it may be shown.

    Attributes:
        method: The model's name, for the chart, e.g. "ETS(A,Ad,N) exponential smoothing
            (statsmodels 0.15.0)".
        baseline_method: ``"naive"`` (annual) or ``"seasonal naive"``.
        period_type: The series' period type.
        season_length: 12 (months), 4 (quarters) or 1 (annual).
        n_points: How many consecutive points the model saw.
        last_period: The last observed period.
        steps: The forecast, one entry per period ahead.
        backtest: The backtest, or None when the series is too short to test.
        shown: True only where the backtest says the model beats the baseline.
        reason: Why it is shown or hidden, in words.
    """

    method: str
    baseline_method: str
    period_type: str
    season_length: int
    n_points: int
    last_period: PeriodSpec
    steps: tuple[ForecastStep, ...]
    backtest: Backtest | None
    shown: bool
    reason: str

    @property
    def horizon(self) -> int:
        """How many periods ahead."""
        return len(self.steps)


@dataclass(frozen=True)
class _Spec:
    trend: bool
    seasonal: bool

    @property
    def name(self) -> str:
        return f"ETS(A,{'Ad' if self.trend else 'N'},{'A' if self.seasonal else 'N'})"


def is_demand(code: str, polarity: str) -> bool:
    """Whether an indicator is forecast: a listed demand measure with polarity none."""
    return code in DEMAND_CODES and polarity == "none"


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _step_months(period_type: str) -> int | None:
    if period_type in _MONTHS:
        return _MONTHS[period_type]
    return 12 if period_type in ANNUAL_TYPES else None


def next_periods(last: PeriodSpec, n: int) -> list[PeriodSpec]:
    """The `n` periods after `last`, of the same type (months, quarters or years).

    Raises:
        ValueError: for a period type with no regular step (e.g. rolling windows).
    """
    step = _step_months(last.type)
    if step is None:
        raise ValueError(f"cannot step on from a {last.type} period")
    out = []
    for k in range(1, n + 1):
        start = _add_months(last.start, step * k)
        if last.start == last.end:  # a snapshot date
            end = start
        else:
            end = _add_months(last.end + dt.timedelta(days=1), step * k) - dt.timedelta(days=1)
        out.append(PeriodSpec(end, start, last.type))
    return out


def _value(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def consecutive_tail(
    periods: Sequence[PeriodSpec], values: Sequence[float | None]
) -> tuple[list[PeriodSpec], list[float]]:
    """The latest run of consecutive periods with numeric values, of the latest one's type.

    A gap or a missing (suppressed) value ends the run: a model must not read a gap as a
    change, nor a suppressed cell as zero.
    """
    pts = sorted(
        ((p, _value(v)) for p, v in zip(periods, values, strict=True)), key=lambda pv: pv[0]
    )
    numeric = [(p, v) for p, v in pts if v is not None]
    if not numeric or _step_months(numeric[-1][0].type) is None:
        return [], []
    kind = numeric[-1][0].type
    typed = [(p, v) for p, v in pts if p.type == kind]
    last = max(i for i, (_, v) in enumerate(typed) if v is not None)
    run: list[tuple[PeriodSpec, float]] = []
    for p, v in reversed(typed[: last + 1]):
        if v is None or (run and next_periods(p, 1)[0] != run[-1][0]):
            break
        run.append((p, v))
    run.reverse()
    return [p for p, _ in run], [v for _, v in run]


def seasonal_naive(history: Sequence[float], horizon: int, season: int = 1) -> list[float]:
    """Each step ahead repeats the value one season earlier (the last value when season is 1)."""
    n = len(history)
    return [history[n - season + (h % season)] for h in range(horizon)]


def mase_scale(y: Sequence[float], season: int = 1) -> float:
    """In-sample mean absolute (seasonal) difference, MASE's denominator."""
    diffs = [abs(y[t] - y[t - season]) for t in range(season, len(y))]
    return math.fsum(diffs) / len(diffs) if diffs else 0.0


_ONE_THREAD: ContextVar[bool] = ContextVar("forecast_one_blas_thread", default=False)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run BLAS on one thread: the models are tiny, and OpenBLAS's threads make each fit 3x slower.

    Nested uses cost nothing (entering threadpoolctl's limit takes a few milliseconds).
    """
    if _ONE_THREAD.get():
        yield
        return
    # Load the libraries first: threadpoolctl limits only the BLAS libraries already loaded,
    # and scipy's optimiser brings its own.
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401
    from threadpoolctl import threadpool_limits

    token = _ONE_THREAD.set(True)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        _ONE_THREAD.reset(token)


def _quiet(fn: Callable[[], Any]) -> Any:
    # statsmodels warns about convergence and about series without a date index; these
    # short public series are known to be short, and the backtest judges the fit instead.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def _fit(y: Sequence[float], spec: _Spec, season: int) -> Any:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # Initial states by Hyndman et al.'s heuristic wherever statsmodels allows it (ten or more
    # points): estimating them by maximum likelihood makes a seasonal fit about 100 times
    # slower, which a load that forecasts every demand series cannot afford.
    model = ETSModel(
        pd.Series(np.asarray(y, dtype=float)),
        error="add",
        trend="add" if spec.trend else None,
        damped_trend=spec.trend,
        seasonal="add" if spec.seasonal else None,
        seasonal_periods=season if spec.seasonal else None,
        initialization_method="heuristic" if len(y) >= HEURISTIC_MIN else "estimated",
    )
    return _quiet(lambda: model.fit(disp=False))


def _candidates(n: int, season: int) -> list[_Spec]:
    specs = [_Spec(False, False), _Spec(True, False)]
    if season > 1 and n >= 3 * season:
        specs += [_Spec(False, True), _Spec(True, True)]
    return specs


def _choose(y: Sequence[float], season: int) -> tuple[_Spec, Any]:
    best: tuple[float, _Spec, Any] | None = None
    for spec in _candidates(len(y), season):
        try:
            res = _fit(y, spec, season)
        except (ValueError, np.linalg.LinAlgError):
            continue
        aicc = float(res.aicc)
        score = aicc if math.isfinite(aicc) else math.inf
        if best is None or score < best[0]:
            best = (score, spec, res)
    if best is None:
        raise ValueError("no exponential smoothing model could be fitted")
    return best[1], best[2]


def backtest(
    y: Sequence[float],
    horizon: int,
    season: int,
    model: Callable[[Sequence[float], int], Sequence[float]],
    *,
    min_train: int,
    max_origins: int = MAX_ORIGINS,
) -> Backtest | None:
    """Rolling-origin backtest of `model` against the (seasonal) naive baseline.

    Args:
        y: The series, oldest first.
        horizon: Steps ahead forecast at each origin (fewer near the end of the series).
        season: Season length (1: the naive baseline).
        model: Given a training series and a horizon, returns point forecasts.
        min_train: Fewest training points at an origin.
        max_origins: Test at most this many origins, the latest ones.

    Returns:
        The backtest, or None when no origin has `min_train` points before it.
    """
    n = len(y)
    origins = list(range(max(min_train, n - max_origins), n))
    if not origins:
        return None
    err_m: list[float] = []
    err_b: list[float] = []
    for t in origins:
        h = min(horizon, n - t)
        train, actual = list(y[:t]), list(y[t : t + h])
        fm = list(model(train, h))
        fb = seasonal_naive(train, h, season)
        err_m += [abs(a - f) for a, f in zip(actual, fm, strict=True)]
        err_b += [abs(a - f) for a, f in zip(actual, fb, strict=True)]
    mae_m, mae_b = math.fsum(err_m) / len(err_m), math.fsum(err_b) / len(err_b)
    scale = mase_scale(y, season)
    return Backtest(
        len(origins),
        len(err_m),
        mae_m,
        mae_b,
        scale,
        mae_m / scale if scale > 0 else None,
        mae_b / scale if scale > 0 else None,
    )


def _method_name(spec: _Spec) -> str:
    import statsmodels

    return f"{spec.name} exponential smoothing (statsmodels {statsmodels.__version__})"


def forecast_series(
    periods: Sequence[PeriodSpec],
    values: Sequence[float | None],
    *,
    horizon: int | None = None,
    max_origins: int = MAX_ORIGINS,
) -> ForecastResult | None:
    """Forecast a demand series and backtest it (see the module docstring).

    Args:
        periods: The periods, aligned with `values` (any order; the latest run of consecutive
            numeric points of the latest type is used).
        values: The values; None or NaN for a missing or suppressed value.
        horizon: Periods ahead (default 12 months, 4 quarters or 2 annual points).
        max_origins: The most backtest origins.

    Returns:
        The forecast, or None when there are fewer than four consecutive points or the period
        type has no regular step.
    """
    ps, y = consecutive_tail(periods, values)
    if len(y) < MIN_POINTS:
        return None
    with one_blas_thread():
        return _forecast(ps, y, horizon, max_origins)


def _forecast(
    ps: list[PeriodSpec], y: list[float], horizon: int | None, max_origins: int
) -> ForecastResult:
    kind = ps[-1].type
    season = SEASON.get(kind, 1)
    h = horizon or HORIZON.get(kind, ANNUAL_HORIZON)
    min_train = 2 * season if season > 1 else ANNUAL_MIN_TRAIN
    spec, fitted = _choose(y, season)

    def model(train: Sequence[float], steps: int) -> list[float]:
        try:
            res = _fit(train, spec, season)
        except (ValueError, np.linalg.LinAlgError):
            return seasonal_naive(train, steps, season)
        return [max(0.0, float(v)) for v in _quiet(lambda: res.forecast(steps))]

    bt = backtest(y, h, season, model, min_train=min_train, max_origins=max_origins)
    n = len(y)

    def frame(alpha: float) -> pd.DataFrame:
        pred = _quiet(lambda: fitted.get_prediction(start=n, end=n + h - 1))
        return _quiet(lambda: pred.summary_frame(alpha=alpha))

    f80, f95 = frame(0.2), frame(0.05)
    steps = tuple(
        ForecastStep(
            k + 1,
            p.label,
            p.start,
            p.end,
            max(0.0, float(f80["mean"].iloc[k])),
            max(0.0, float(f80["pi_lower"].iloc[k])),
            float(f80["pi_upper"].iloc[k]),
            max(0.0, float(f95["pi_lower"].iloc[k])),
            float(f95["pi_upper"].iloc[k]),
        )
        for k, p in enumerate(next_periods(ps[-1], h))
    )
    baseline = "seasonal naive" if season > 1 else "naive"
    if bt is None:
        shown = False
        reason = (
            f"hidden: {n} consecutive points are too few to test the forecast "
            f"(at least {min_train + 1} needed)"
        )
    elif bt.mase_model is None or bt.mase_baseline is None:
        shown = False
        reason = "hidden: the series does not vary, so accuracy cannot be scaled"
    else:
        shown = bt.model_wins
        verdict = "beats" if shown else "does not beat"
        reason = (
            f"{'' if shown else 'hidden: '}{verdict} the {baseline} baseline in a "
            f"backtest over {bt.origins} origins (MASE {bt.mase_model:.2f} against "
            f"{bt.mase_baseline:.2f})"
        )
    return ForecastResult(
        _method_name(spec), baseline, kind, season, n, ps[-1], steps, bt, shown, reason
    )


# --- the store ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredForecast:
    """A forecast as the store holds it, for pages and the narrative."""

    indicator: str
    area: str
    computed_at: dt.datetime
    method: str
    baseline_method: str
    period_type: str
    last_period_end: dt.date
    n_points: int
    horizon: int
    backtest_origins: int
    mase_model: float | None
    mase_baseline: float | None
    shown: bool
    reason: str | None
    synthetic: bool
    steps: tuple[ForecastStep, ...]

    @property
    def last_step(self) -> ForecastStep | None:
        """The furthest period ahead."""
        return self.steps[-1] if self.steps else None


@dataclass(frozen=True)
class ComputeReport:
    """What `compute_forecasts` did."""

    areas: int
    series: int
    stored: int
    shown: int
    seconds: float


def default_areas(engine: Engine, home: str | None = None) -> list[str]:
    """The home area, its neighbours in every comparator group, its region and England."""
    from dashboard.settings import get_settings

    code = home or get_settings().home_area
    area = queries.area_by_code(engine, code)
    if area is None:
        return []
    out = [area.code]
    for kind in ("children", "adults"):
        for vintage in queries.vintages(engine, kind):
            group = queries.comparator_group(engine, area.id, kind, vintage)
            out += [n.area.code for n in group.neighbours] if group else []
    if area.region_code:
        out.append(area.region_code)
    out.append(ENGLAND)
    return list(dict.fromkeys(out))


def compute_forecasts(
    engine: Engine,
    area_codes: Sequence[str] | None = None,
    *,
    all_areas: bool = False,
    codes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ComputeReport:
    """Forecast every demand measure for the areas and store the results.

    Args:
        engine: The store.
        area_codes: Areas to forecast (default: `default_areas`, the home area and its
            comparators, which keeps a load's extra time to a few seconds).
        all_areas: Forecast every area with data instead.
        codes: Restrict to these demand indicator codes.
        progress: Called with a line of text per indicator.

    Returns:
        Counts and the time taken.
    """
    t0 = time.perf_counter()
    with engine.connect() as c:
        inds = c.execute(
            select(Indicator.id, Indicator.code, Indicator.polarity).where(
                Indicator.code.in_(list(codes or DEMAND_CODES))
            )
        ).all()
        if all_areas:
            area_rows = c.execute(select(Area.id, Area.code)).all()
        else:
            wanted = list(area_codes) if area_codes is not None else default_areas(engine)
            area_rows = c.execute(select(Area.id, Area.code).where(Area.code.in_(wanted))).all()
    inds = [r for r in inds if is_demand(r.code, r.polarity)]
    area_code_by_id = {r.id: r.code for r in area_rows}
    if not inds or not area_rows:
        return ComputeReport(len(area_rows), 0, 0, 0, time.perf_counter() - t0)
    results: list[tuple[int, int, ForecastResult, bool]] = []
    series_count = 0
    with one_blas_thread():
        for ind in inds:
            series_count += _forecast_indicator(engine, ind, area_code_by_id, results)
            if progress:
                progress(f"      {ind.code}")
    _store(engine, results)
    return ComputeReport(
        len(area_rows),
        series_count,
        len(results),
        sum(1 for *_, r, _s in results if r.shown),
        time.perf_counter() - t0,
    )


def _forecast_indicator(
    engine: Engine,
    ind: Any,
    area_code_by_id: dict[int, str],
    results: list[tuple[int, int, ForecastResult, bool]],
) -> int:
    frame = queries.series(engine, [ind.id], list(area_code_by_id))
    for area_id, rows in frame.groupby("area_id", sort=False):
        periods = [
            PeriodSpec(e, s, t)
            for e, s, t in zip(rows["end"], rows["start"], rows["period_type"], strict=True)
        ]
        values = [None if v is None or pd.isna(v) else float(v) for v in rows["value"]]
        result = forecast_series(periods, values)
        if result is not None:
            results.append((ind.id, int(area_id), result, _synthetic(rows, result)))
    return int(frame["area_id"].nunique())


def _synthetic(rows: pd.DataFrame, result: ForecastResult) -> bool:
    """Whether any point the forecast was made from is synthetic demo data."""
    last = result.last_period
    used = rows[(rows["period_type"] == last.type) & (rows["end"] <= last.end)].tail(
        result.n_points
    )
    return bool(used["synthetic"].astype(bool).any())


def _store(engine: Engine, results: Sequence[tuple[int, int, ForecastResult, bool]]) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with session_scope(engine) as s:
        keys = {(i, a) for i, a, _r, _s in results}
        for ind_id in {i for i, _ in keys}:
            area_ids = [a for i, a in keys if i == ind_id]
            old = list(
                s.scalars(
                    select(Forecast.id).where(
                        Forecast.indicator_id == ind_id, Forecast.area_id.in_(area_ids)
                    )
                )
            )
            if old:
                s.execute(delete(ForecastPoint).where(ForecastPoint.forecast_id.in_(old)))
                s.execute(delete(Forecast).where(Forecast.id.in_(old)))
        for ind_id, area_id, r, synthetic in results:
            bt = r.backtest
            s.add(
                Forecast(
                    indicator_id=ind_id,
                    area_id=area_id,
                    computed_at=now,
                    method=r.method,
                    baseline_method=r.baseline_method,
                    period_type=r.period_type,
                    last_period_end=r.last_period.end,
                    n_points=r.n_points,
                    horizon=r.horizon,
                    backtest_origins=bt.origins if bt else 0,
                    mase_model=bt.mase_model if bt else None,
                    mase_baseline=bt.mase_baseline if bt else None,
                    shown=r.shown,
                    reason=r.reason,
                    synthetic=synthetic,
                    points=[
                        ForecastPoint(
                            step=p.step,
                            label=p.label,
                            period_start=p.start,
                            period_end=p.end,
                            point=p.point,
                            lo80=p.lo80,
                            hi80=p.hi80,
                            lo95=p.lo95,
                            hi95=p.hi95,
                        )
                        for p in r.steps
                    ],
                )
            )


def stored_forecasts(
    engine: Engine, area_code: str, codes: Sequence[str] | None = None
) -> dict[str, StoredForecast]:
    """The stored forecasts for an area, by indicator code (shown and hidden ones)."""
    q = (
        select(*Forecast.__table__.columns, Indicator.code.label("indicator_code"))
        .join(Indicator, Indicator.id == Forecast.indicator_id)
        .join(Area, Area.id == Forecast.area_id)
        .where(Area.code == area_code.upper())
    )
    if codes is not None:
        q = q.where(Indicator.code.in_(list(codes)))
    with engine.connect() as c:
        heads = c.execute(q).all()
        if not heads:
            return {}
        pts = c.execute(
            select(*ForecastPoint.__table__.columns)
            .where(ForecastPoint.forecast_id.in_([h.id for h in heads]))
            .order_by(ForecastPoint.forecast_id, ForecastPoint.step)
        ).all()
    by_fc: dict[int, list[ForecastStep]] = {}
    for p in pts:
        by_fc.setdefault(p.forecast_id, []).append(
            ForecastStep(
                p.step,
                p.label,
                p.period_start,
                p.period_end,
                p.point,
                p.lo80,
                p.hi80,
                p.lo95,
                p.hi95,
            )
        )
    return {
        h.indicator_code: StoredForecast(
            h.indicator_code,
            area_code.upper(),
            h.computed_at,
            h.method,
            h.baseline_method,
            h.period_type,
            h.last_period_end,
            h.n_points,
            h.horizon,
            h.backtest_origins,
            h.mase_model,
            h.mase_baseline,
            bool(h.shown),
            h.reason,
            bool(h.synthetic),
            tuple(by_fc.get(h.id, [])),
        )
        for h in heads
    }


def stored_forecast(engine: Engine, area_code: str, code: str) -> StoredForecast | None:
    """The stored forecast of one indicator for an area, or None."""
    return stored_forecasts(engine, area_code, [code]).get(code)
