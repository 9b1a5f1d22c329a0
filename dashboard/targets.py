"""Local targets, set by admins on the Data page and read by the scorecard's RAG rule.

A target applies to one indicator in one area for periods ending between `period_from` and
`period_to` (either open). The scorecard takes the first target whose range holds the period's
end date, so targets for the same indicator and area must not overlap: an overlapping one is
refused with the existing target named. The tolerance is a fraction of the target (0.05 =
within 5% is amber), as METHODS.md says.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from dashboard.auth import CurrentUser, require
from dashboard.ingest.upload import forget_cached_views
from dashboard.ingest.writer import AreaLookup
from dashboard.store.db import session_scope
from dashboard.store.models import Area, Indicator, Target

DEFAULT_TOLERANCE = 0.05


class TargetError(ValueError):
    """A target was refused; the message says why."""


@dataclass(frozen=True)
class TargetInfo:
    """A target as the Data page lists it."""

    id: int
    indicator: str
    indicator_name: str
    area: str
    area_name: str
    period_from: dt.date | None
    period_to: dt.date | None
    value: float
    tolerance: float
    set_by: str | None
    set_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v)
                for k, v in self.__dict__.items()}


def _info(t: Target, ind: Indicator, area: Area) -> TargetInfo:
    return TargetInfo(t.id, ind.code, ind.short_name or ind.name, area.code, area.name,
                      t.period_from, t.period_to, t.value, t.tolerance, t.set_by, t.set_at)


def _overlaps(a_from: dt.date | None, a_to: dt.date | None, b_from: dt.date | None,
              b_to: dt.date | None) -> bool:
    lo = dt.date.min
    hi = dt.date.max
    return (a_from or lo) <= (b_to or hi) and (b_from or lo) <= (a_to or hi)


def set_target(engine: Engine, user: CurrentUser | None, indicator: str, area: str,
               value: float, *, tolerance: float = DEFAULT_TOLERANCE,
               period_from: dt.date | None = None,
               period_to: dt.date | None = None) -> TargetInfo:
    """Set a local target (admins only).

    Args:
        engine: the store.
        user: the signed-in admin (recorded as who set it).
        indicator: the indicator's code.
        area: the area's ONS code (or DfE number).
        value: the target, in the indicator's unit (a percentage as 85 for 85%).
        tolerance: how far a value may miss and still be amber, as a fraction of the target.
        period_from: the first period end date it applies to (None: from the start).
        period_to: the last period end date it applies to (None: open-ended).

    Raises:
        AuthError: the user is not an admin.
        TargetError: unknown indicator or area, a value or tolerance out of range, a range
            that ends before it starts, an indicator with no better direction, or an overlap.
    """
    user = require(user, "admin")
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TargetError("the target must be a number")
    if not isinstance(tolerance, (int, float)) or not 0 <= tolerance <= 1:
        raise TargetError("the tolerance is a fraction of the target between 0 and 1 "
                          "(0.05 = 5%)")
    if period_from and period_to and period_to < period_from:
        raise TargetError("the period range ends before it starts")
    with session_scope(engine) as s:
        ind = s.scalar(select(Indicator).where(Indicator.code == indicator))
        if ind is None:
            raise TargetError(f"unknown indicator {indicator!r}")
        area_id = AreaLookup(s).get(area)
        area_row = s.get(Area, area_id) if area_id is not None else None
        if area_row is None:
            raise TargetError(f"unknown area {area!r}")
        if ind.polarity not in ("high", "low"):
            raise TargetError(f"{ind.code} has no better direction (polarity {ind.polarity}), "
                              "so a target cannot give it a RAG status")
        if ind.unit == "percent" and not 0 <= value <= 100:
            raise TargetError("a percentage target must be between 0 and 100")
        for t in s.scalars(select(Target).where(Target.indicator_id == ind.id,
                                                Target.area_id == area_row.id)):
            if _overlaps(t.period_from, t.period_to, period_from, period_to):
                span = f"{t.period_from or 'the start'} to {t.period_to or 'open-ended'}"
                raise TargetError(f"a target of {t.value:g} is already set for {ind.code} in "
                                  f"{area_row.name} over {span} (target {t.id}); delete it or "
                                  "choose periods that do not overlap")
        target = Target(indicator_id=ind.id, area_id=area_row.id, period_from=period_from,
                        period_to=period_to, value=float(value), tolerance=float(tolerance),
                        set_by=user.username)
        s.add(target)
        s.flush()
        info = _info(target, ind, area_row)
    forget_cached_views()
    return info


def list_targets(engine: Engine, *, indicator: str | None = None,
                 area: str | None = None) -> list[TargetInfo]:
    """Targets, optionally for one indicator and/or area, by indicator and start."""
    with session_scope(engine) as s:
        q = (select(Target, Indicator, Area).join(Indicator, Indicator.id == Target.indicator_id)
             .join(Area, Area.id == Target.area_id))
        if indicator:
            q = q.where(Indicator.code == indicator)
        if area:
            q = q.where(Area.code == area.strip().upper())
        rows = s.execute(q.order_by(Indicator.code, Area.code, Target.period_from)).all()
        return [_info(t, i, a) for t, i, a in rows]


def delete_target(engine: Engine, user: CurrentUser | None, target_id: int) -> None:
    """Remove a target (admins only); raises `TargetError` if there is none with that id."""
    require(user, "admin")
    with session_scope(engine) as s:
        t = s.get(Target, target_id)
        if t is None:
            raise TargetError(f"there is no target {target_id}")
        s.delete(t)
    forget_cached_views()
