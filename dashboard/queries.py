"""SQL in, tidy pandas frames and small records out: the only module that writes SELECTs.

Everything above this layer (metrics, scorecard, figures, API) works on what these functions
return, so a query can be tuned in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.orm import aliased

from dashboard.store.models import (
    Area,
    Breakdown,
    ComparatorGroup,
    ComparatorMember,
    Indicator,
    Observation,
    Period,
    Target,
)

ALL = "all"
DOMAIN_GROUP_KIND = {"children": "children", "adults": "adults", "partnership": "children"}


@dataclass(frozen=True)
class AreaInfo:
    """An area as the views need it."""

    id: int
    code: str
    name: str
    type: str
    region_code: str | None
    dfe_number: int | None


@dataclass(frozen=True)
class NeighbourInfo:
    """One neighbour of the home area, in order."""

    position: int
    area: AreaInfo
    closeness: str | None


@dataclass(frozen=True)
class GroupInfo:
    """The comparator group used, with its vintage and whether it is synthetic."""

    kind: str
    vintage: str
    name: str
    synthetic: bool
    neighbours: tuple[NeighbourInfo, ...]


def _area(a: Area) -> AreaInfo:
    return AreaInfo(a.id, a.code, a.name, a.type, a.region_code, a.dfe_number)


def areas(engine: Engine, types: Sequence[str] = ("la", "region", "country")) -> list[AreaInfo]:
    """Areas of the given types, by name."""
    with engine.connect() as c:
        rows = c.execute(select(Area).where(Area.type.in_(types)).order_by(Area.name)).all()
    return [AreaInfo(r.id, r.code, r.name, r.type, r.region_code, r.dfe_number) for r in rows]


def area_by_code(engine: Engine, code: str) -> AreaInfo | None:
    """An area by ONS code (current or former)."""
    with engine.connect() as c:
        row = c.execute(select(Area).where(Area.code == code.upper())).first()
        if row is None:
            row = c.execute(select(Area).where(Area.former_codes.contains(code.upper()))).first()
    return AreaInfo(row.id, row.code, row.name, row.type, row.region_code,
                    row.dfe_number) if row else None


def vintages(engine: Engine, kind: str = "children") -> list[str]:
    """Comparator group vintages of one kind, newest first."""
    with engine.connect() as c:
        return list(c.scalars(select(ComparatorGroup.vintage)
                              .where(ComparatorGroup.kind == kind)
                              .order_by(ComparatorGroup.vintage.desc())))


def comparator_group(engine: Engine, area_id: int, kind: str,
                     vintage: str | None = None) -> GroupInfo | None:
    """The home area's neighbours in the group of `kind` and `vintage` (default: latest)."""
    nb = aliased(Area)
    with engine.connect() as c:
        q = select(ComparatorGroup).where(ComparatorGroup.kind == kind)
        q = q.where(ComparatorGroup.vintage == vintage) if vintage else q.order_by(
            ComparatorGroup.vintage.desc())
        group = c.execute(q).first()
        if group is None:
            return None
        rows = c.execute(
            select(ComparatorMember.position, ComparatorMember.closeness, nb)
            .join(nb, nb.id == ComparatorMember.neighbour_id)
            .where(ComparatorMember.group_id == group.id, ComparatorMember.area_id == area_id)
            .order_by(ComparatorMember.position)
        ).all()
    neighbours = tuple(
        NeighbourInfo(r.position, AreaInfo(r.id, r.code, r.name, r.type, r.region_code,
                                           r.dfe_number), r.closeness)
        for r in rows
    )
    return GroupInfo(group.kind, group.vintage, group.name, group.synthetic, neighbours)


def indicators(engine: Engine, *, domain: str | None = None, theme: str | None = None,
               curated: bool | None = None, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Indicator metadata as a frame, in scorecard order."""
    q = select(Indicator)
    if domain:
        q = q.where(Indicator.domain == domain)
    if theme:
        q = q.where(Indicator.theme == theme)
    if curated is not None:
        q = q.where(Indicator.curated == curated)
    if codes is not None:
        q = q.where(Indicator.code.in_(list(codes)))
    q = q.order_by(Indicator.sort_order, Indicator.code)
    cols = [c.name for c in Indicator.__table__.columns]
    with engine.connect() as c:
        rows = c.execute(q).all()
    frame = pd.DataFrame([{k: getattr(r, k) for k in cols} for r in rows], columns=cols)
    # Missing text must stay None, not NaN (pandas 3 turns None into NaN in text columns),
    # so that "no unit label" never prints as "nan".
    return frame.astype(object).where(frame.notna(), None)


def themes(engine: Engine, domain: str) -> list[str]:
    """The curated themes of a domain, in scorecard order."""
    frame = indicators(engine, domain=domain, curated=True)
    return list(dict.fromkeys(t for t in frame["theme"] if t))


_SERIES_COLS = [
    Observation.indicator_id, Observation.area_id, Observation.period_id, Period.type,
    Period.start, Period.end, Period.label, Period.sort_key, Observation.value,
    Observation.numerator, Observation.denominator, Observation.ci_lower, Observation.ci_upper,
    Observation.status, Observation.suppression, Observation.synthetic, Observation.note,
]
SERIES_NAMES = [
    "indicator_id", "area_id", "period_id", "period_type", "start", "end", "label", "sort_key",
    "value", "numerator", "denominator", "ci_lower", "ci_upper", "status", "suppression",
    "synthetic", "note",
]


def _all_breakdown(c: Connection) -> int | None:
    return c.scalar(select(Breakdown.id).where(Breakdown.dimension == ALL,
                                               Breakdown.category == ALL))


def series(engine: Engine, indicator_ids: Sequence[int], area_ids: Sequence[int]) -> pd.DataFrame:
    """Every headline (no breakdown) observation of the indicators for the areas, oldest first."""
    with engine.connect() as c:
        all_id = _all_breakdown(c)
        rows = c.execute(
            select(*_SERIES_COLS).join(Period, Period.id == Observation.period_id)
            .where(Observation.indicator_id.in_(list(indicator_ids)),
                   Observation.area_id.in_(list(area_ids)),
                   Observation.breakdown_id == all_id)
            .order_by(Period.sort_key)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=SERIES_NAMES)


def cross_section(engine: Engine, pairs: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """Every area's headline value for each (indicator id, period id) pair, in one query.

    Filters on indicator and period lists (which the unique index covers) rather than on a
    row-value IN, which SQLite answers with a full scan; the few extra rows are dropped here.
    """
    cols = ["indicator_id", "period_id", "area_id", "area_type", "value", "numerator",
            "denominator"]
    if not pairs:
        return pd.DataFrame(columns=cols)
    with engine.connect() as c:
        all_id = _all_breakdown(c)
        rows = c.execute(
            select(Observation.indicator_id, Observation.period_id, Observation.area_id,
                   Area.type, Observation.value, Observation.numerator, Observation.denominator)
            .join(Area, Area.id == Observation.area_id)
            .where(Observation.indicator_id.in_(sorted({i for i, _ in pairs})),
                   Observation.period_id.in_(sorted({p for _, p in pairs})),
                   Observation.breakdown_id == all_id)
        ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=cols)
    wanted = pd.DataFrame(list(set(pairs)), columns=["indicator_id", "period_id"])
    return frame.merge(wanted, on=["indicator_id", "period_id"])


def breakdown_series(engine: Engine, indicator_id: int, area_ids: Sequence[int]) -> pd.DataFrame:
    """Observations of an indicator by breakdown category for the areas."""
    with engine.connect() as c:
        rows = c.execute(
            select(Observation.area_id, Period.label, Period.sort_key, Breakdown.dimension,
                   Breakdown.category, Observation.value, Observation.numerator,
                   Observation.denominator, Observation.suppression)
            .join(Period, Period.id == Observation.period_id)
            .join(Breakdown, Breakdown.id == Observation.breakdown_id)
            .where(Observation.indicator_id == indicator_id,
                   Observation.area_id.in_(list(area_ids)), Breakdown.dimension != ALL)
            .order_by(Period.sort_key)
        ).all()
    return pd.DataFrame(rows, columns=["area_id", "label", "sort_key", "dimension", "category",
                                       "value", "numerator", "denominator", "suppression"])


def targets(engine: Engine, area_id: int, indicator_ids: Sequence[int]) -> pd.DataFrame:
    """Targets for the area's indicators."""
    with engine.connect() as c:
        rows = c.execute(
            select(Target.indicator_id, Target.period_from, Target.period_to, Target.value,
                   Target.tolerance)
            .where(and_(Target.area_id == area_id, Target.indicator_id.in_(list(indicator_ids))))
        ).all()
    return pd.DataFrame(rows, columns=["indicator_id", "period_from", "period_to", "value",
                                       "tolerance"])
