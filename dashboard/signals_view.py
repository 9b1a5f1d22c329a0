"""The data behind issue 8's views: an indicator's SPC chart, its stored forecast, what changed.

Like :mod:`dashboard.views_data`: plain functions over an engine or an `IndicatorData`, and
``cached_*`` wrappers that read the serving app's engine and memoize through the shared cache
(the database URL is part of every key). No Dash here. Nothing is computed that the store
already holds: forecasts are read, never fitted, on a page request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine

from dashboard.cache import cache
from dashboard.changes import Change, changes_since, meetings, previous_meeting
from dashboard.context import current_engine
from dashboard.forecast import DEMAND_CODES, StoredForecast, stored_forecast
from dashboard.metrics.spc import SpcResult
from dashboard.signals import CHART_PERIOD_TYPES, BaselineRecord, baselines, spc_for_series
from dashboard.views_data import IndicatorData, data_key, in_range

TIMEOUT = 600


def _db() -> str:
    return data_key()  # the database and its newest load: see views_data.data_key


def indicator_spc(
    data: IndicatorData,
    recorded: Sequence[BaselineRecord] = (),
    end: int | None = None,
    target: float | None = None,
) -> SpcResult | None:
    """The XmR chart of the home area's series, every point up to the year `end`.

    The latest period's type chooses the series (months, quarters, or an annual series);
    the "From" year does not narrow it, so that the limits match the scorecard's.

    Returns:
        The chart, or None when the home area has no series of a chartable type.
    """
    home = in_range(data.series[data.series["role"] == "home"], None, end)
    if home.empty:
        return None
    return spc_for_series(
        home.to_dict("records"),
        str(data.meta["polarity"]),
        target=target,
        recorded=recorded,
        period_types=CHART_PERIOD_TYPES,
    )


@cache.memoize(timeout=TIMEOUT)
def _baselines(db: str, code: str, area: str) -> list[BaselineRecord]:
    return baselines(current_engine(), code, area)


def cached_baselines(code: str, area: str) -> list[BaselineRecord]:
    """The recorded SPC baselines of an indicator's series in an area."""
    return _baselines(_db(), code, area)


def is_forecast_measure(code: str) -> bool:
    """Whether forecasts are computed for this indicator (a demand measure)."""
    return code in DEMAND_CODES


@cache.memoize(timeout=TIMEOUT)
def _forecast(db: str, area: str, code: str) -> StoredForecast | None:
    return stored_forecast(current_engine(), area, code)


def cached_forecast(area: str, code: str) -> StoredForecast | None:
    """The stored forecast of an indicator for an area (shown or hidden), or None."""
    if not is_forecast_measure(code):
        return None
    return _forecast(_db(), area, code)


def forecast_drawable(
    forecast: StoredForecast | None, period_type: str | None, last_end: dt.date | None
) -> bool:
    """Whether a forecast goes on the chart: shown, and starting where the chart ends."""
    return (
        forecast is not None
        and forecast.shown
        and bool(forecast.steps)
        and forecast.period_type == period_type
        and forecast.last_period_end == last_end
    )


# -- what changed ------------------------------------------------------------------------


def default_since(engine: Engine, today: dt.date | None = None) -> dt.date:
    """The previous recorded meeting, or 30 days ago."""
    return previous_meeting(engine, today)


@cache.memoize(timeout=TIMEOUT)
def _changes(db: str, area: str, since: dt.date) -> list[Change]:
    return changes_since(current_engine(), area, since)


def cached_changes(area: str, since: dt.date) -> list[Change]:
    """Every indicator of the area that moved since the date, newest data first."""
    return _changes(_db(), area, since)


@cache.memoize(timeout=60)
def _default_since(db: str, today: dt.date) -> dt.date:
    return default_since(current_engine(), today)


def cached_default_since() -> dt.date:
    """The previous meeting (or 30 days ago) for the serving app's store."""
    return _default_since(_db(), dt.date.today())


@cache.memoize(timeout=60)
def _meeting_titles(db: str) -> dict[dt.date, str]:
    return {m.date: m.title for m in reversed(meetings(current_engine()))}


def meeting_title(day: dt.date) -> str | None:
    """The title of a recorded meeting on that day, if there is one."""
    return _meeting_titles(_db()).get(day)
