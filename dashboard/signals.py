"""Signal from noise on stored series: SPC charts with their recorded baselines, and forecasts.

The bridge between the store and the pure methods in `dashboard.metrics.spc` and
`dashboard.forecast`: reads and records SPC baselines (`spc_baselines`), draws an XmR chart of a
stored series, and annotates scorecard rows with their variation, assurance and stored forecast
(`annotate`, the scorecard's one call into this module).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Engine, select

from dashboard import queries
from dashboard.forecast import DEMAND_CODES, stored_forecasts
from dashboard.metrics.spc import Baseline, SpcResult, xmr
from dashboard.narrative import narrative
from dashboard.periods import PeriodSpec
from dashboard.store.db import session_scope
from dashboard.store.models import Area, Indicator, SpcBaseline

if TYPE_CHECKING:
    from dashboard.queries import AreaInfo
    from dashboard.scorecard import IndicatorSummary

#: Period types the scorecard's variation column judges (partners' local data).
SPC_PERIOD_TYPES = ("month", "quarter")
#: Period types an SPC chart can be drawn for (annual national series where long enough).
CHART_PERIOD_TYPES = (
    "month",
    "quarter",
    "reporting_year",
    "financial_year",
    "academic_year",
    "calendar_year",
    "snapshot",
)


@dataclass(frozen=True)
class BaselineRecord:
    """A recorded baseline, with who set it and why."""

    id: int
    indicator: str
    area: str
    start: dt.date
    fix_points: int | None
    reason: str
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SpcSummary:
    """What the scorecard and the narrative say about a series' latest point.

    Attributes:
        period_type: ``"month"`` or ``"quarter"``.
        latest_label: The latest point's period label.
        n_points: Points on the chart.
        variation: A key of `dashboard.metrics.spc.VARIATION_TEXT`.
        variation_text: It in words, e.g. "special cause — concern".
        assurance: A key of `ASSURANCE_TEXT`, or None.
        assurance_text: It in words, or None.
        limits: ``"reliable"``, ``"unreliable"`` or ``"none"``.
        mean: The latest baseline's mean.
        lower: Its lower process limit.
        upper: Its upper process limit.
        rules: The special-cause rules the latest point is part of.
        direction: ``"high"`` or ``"low"`` for a special-cause latest point.
        special_cause: ``"improvement"``, ``"concern"``, ``"neutral"`` or ``"common"``.
        run: Points in a row, ending with the latest, with its deciding rule and direction.
    """

    period_type: str
    latest_label: str | None
    n_points: int
    variation: str
    variation_text: str
    assurance: str | None
    assurance_text: str | None
    limits: str
    mean: float | None
    lower: float | None
    upper: float | None
    rules: tuple[str, ...]
    direction: str | None
    special_cause: str
    run: int

    @classmethod
    def of(cls, result: SpcResult, period_type: str) -> SpcSummary:
        """Summarise a chart."""
        last, seg = result.latest, result.current
        return cls(
            period_type=period_type,
            latest_label=last.label if last else None,
            n_points=len(result.points),
            variation=result.variation,
            variation_text=result.variation_text,
            assurance=result.assurance,
            assurance_text=result.assurance_text,
            limits=result.limits,
            mean=seg.mean if seg else None,
            lower=seg.lower if seg else None,
            upper=seg.upper if seg else None,
            rules=last.rules if last else (),
            direction=last.direction if last else None,
            special_cause=last.special_cause if last else "common",
            run=result.latest_run(),
        )


def _record(row: Any, indicator: str, area: str) -> BaselineRecord:
    return BaselineRecord(
        row.id,
        indicator,
        area,
        row.start,
        row.fix_points,
        row.reason,
        row.created_by,
        row.created_at,
    )


def baselines(engine: Engine, indicator_code: str, area_code: str) -> list[BaselineRecord]:
    """The baselines recorded for an indicator's series in an area, oldest start first."""
    with engine.connect() as c:
        rows = c.execute(
            select(SpcBaseline)
            .join(Indicator, Indicator.id == SpcBaseline.indicator_id)
            .join(Area, Area.id == SpcBaseline.area_id)
            .where(Indicator.code == indicator_code, Area.code == area_code.upper())
            .order_by(SpcBaseline.start, SpcBaseline.id)
        ).all()
    return [_record(r, indicator_code, area_code.upper()) for r in rows]


def _baselines_by_indicator(
    engine: Engine, area: AreaInfo, codes: Mapping[int, str]
) -> dict[int, list[BaselineRecord]]:
    with engine.connect() as c:
        rows = c.execute(
            select(SpcBaseline)
            .where(SpcBaseline.area_id == area.id, SpcBaseline.indicator_id.in_(list(codes)))
            .order_by(SpcBaseline.start, SpcBaseline.id)
        ).all()
    out: dict[int, list[BaselineRecord]] = {}
    for r in rows:
        out.setdefault(r.indicator_id, []).append(_record(r, codes[r.indicator_id], area.code))
    return out


def add_baseline(
    engine: Engine,
    indicator_code: str,
    area_code: str,
    start: dt.date,
    reason: str,
    created_by: str,
    *,
    fix_points: int | None = None,
) -> int:
    """Record that an indicator's SPC baseline restarts (or is fixed) from `start`.

    Args:
        engine: The store.
        indicator_code: The indicator.
        area_code: The area whose series it is.
        start: The first day of the first period of the new baseline; on or before the first
            point it fixes or annotates the first baseline instead of restarting it.
        reason: Why, e.g. "new front-door model from April 2023".
        created_by: Who recorded it.
        fix_points: Fix the baseline's limits after its first n points (None: all points).

    Returns:
        The new baseline's id.

    Raises:
        ValueError: unknown indicator or area, an empty reason, or fix_points below 1.
    """
    if not reason.strip():
        raise ValueError("a baseline needs a reason")
    if fix_points is not None and fix_points < 1:
        raise ValueError("a fixed baseline needs at least one point")
    with session_scope(engine) as s:
        ind = s.scalar(select(Indicator.id).where(Indicator.code == indicator_code))
        area = s.scalar(select(Area.id).where(Area.code == area_code.upper()))
        if ind is None or area is None:
            raise ValueError(f"unknown indicator {indicator_code!r} or area {area_code!r}")
        row = SpcBaseline(
            indicator_id=ind,
            area_id=area,
            start=start,
            fix_points=fix_points,
            reason=reason.strip(),
            created_by=created_by,
        )
        s.add(row)
        s.flush()
        return row.id


def spc_for_series(
    records: Sequence[Mapping[str, Any]],
    polarity: str,
    *,
    period: PeriodSpec | None = None,
    target: float | None = None,
    recorded: Sequence[BaselineRecord] = (),
    period_types: Sequence[str] = CHART_PERIOD_TYPES,
) -> SpcResult | None:
    """An XmR chart of one stored series up to `period` (default: its latest point).

    Args:
        records: The series as `queries.series` returns it (dicts with start, end, label,
            value and period_type), any order.
        polarity: The indicator's polarity.
        period: The last period to chart; its type chooses the series (default: the latest
            record's).
        target: A target for the assurance.
        recorded: Recorded baselines; each restarts the limits at its start date.
        period_types: Period types that may be charted.

    Returns:
        The chart, or None when there is no series of a chartable type.
    """
    if not records:
        return None
    latest = max(records, key=lambda r: r["end"])
    kind = period.type if period is not None else latest["period_type"]
    end = period.end if period is not None else latest["end"]
    if kind not in period_types:
        return None
    pts = sorted(
        (r for r in records if r["period_type"] == kind and r["end"] <= end), key=lambda r: r["end"]
    )
    if not pts:
        return None
    specs = []
    for b in recorded:
        first = next((i for i, r in enumerate(pts) if r["start"] >= b.start), None)
        if first is not None:
            specs.append(Baseline(first, b.fix_points, b.reason))
    values = [None if r["value"] is None or pd.isna(r["value"]) else float(r["value"]) for r in pts]
    return xmr(values, [r["label"] for r in pts], polarity=polarity, target=target, baselines=specs)


def spc_for(
    engine: Engine,
    indicator_code: str,
    area_code: str,
    *,
    period: PeriodSpec | None = None,
    target: float | None = None,
) -> SpcResult | None:
    """The XmR chart of an indicator's headline series in an area, with its baselines."""
    meta = queries.indicators(engine, codes=[indicator_code])
    area = queries.area_by_code(engine, area_code)
    if meta.empty or area is None:
        return None
    ind_id = int(meta["id"].iloc[0])
    frame = queries.series(engine, [ind_id], [area.id])
    return spc_for_series(
        frame.to_dict("records"),
        str(meta["polarity"].iloc[0]),
        period=period,
        target=target,
        recorded=baselines(engine, indicator_code, area.code),
    )


def annotate(
    engine: Engine,
    area: AreaInfo,
    rows: Sequence[IndicatorSummary],
    series: Mapping[int, list[dict[str, Any]]],
    meta: pd.DataFrame,
) -> None:
    """Add the SPC variation and the stored forecast to scorecard rows, and reword them.

    Only monthly and quarterly series get a variation (the partners' local data); a forecast is
    attached where one is stored from the same latest period as the row shows. Two small
    queries, whatever the number of rows.
    """
    ids = {str(c): int(i) for c, i in zip(meta["code"], meta["id"], strict=True)}
    spc_codes = {
        r.code: ids[r.code]
        for r in rows
        if r.code in ids and r.period is not None and r.period.type in SPC_PERIOD_TYPES
    }
    recorded = (
        _baselines_by_indicator(engine, area, {i: c for c, i in spc_codes.items()})
        if spc_codes
        else {}
    )
    demand = [r.code for r in rows if r.code in DEMAND_CODES]
    forecasts = stored_forecasts(engine, area.code, demand) if demand else {}
    for r in rows:
        changed = False
        if r.code in spc_codes and r.period is not None:
            result = spc_for_series(
                series.get(ids[r.code], []),
                r.polarity,
                period=r.period,
                target=r.target,
                recorded=recorded.get(ids[r.code], ()),
                period_types=SPC_PERIOD_TYPES,
            )
            if result is not None and result.points:
                r.spc = SpcSummary.of(result, r.period.type)
                changed = True
        fc = forecasts.get(r.code)
        if fc is not None and r.period is not None and fc.last_period_end == r.period.end:
            r.forecast = fc
            changed = True
        if changed:
            r.narrative = narrative(r)
