"""Typed SQLAlchemy 2 models for the dashboard's store.

One schema for SQLite (the embedded default) and PostgreSQL (production). Observations are
keyed by integer ids so that the national data set (about a million rows) stays compact and
the scorecard's queries can use covering indexes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for every table."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Area(Base):
    """An English local authority, region or the country."""

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)  # ONS code, e.g. E06000033
    dfe_number: Mapped[int | None] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(10))  # la | region | country
    region_code: Mapped[str | None] = mapped_column(String(9))
    former_codes: Mapped[str | None] = mapped_column(String(200))  # comma-separated ONS codes
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class ComparatorGroup(Base):
    """A set of comparator groupings of one kind and vintage (e.g. DfE 2021 neighbours)."""

    __tablename__ = "comparator_groups"
    __table_args__ = (UniqueConstraint("kind", "vintage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # children | adults
    vintage: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[list[ComparatorMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )


class ComparatorMember(Base):
    """One ordered neighbour of one home area within a grouping."""

    __tablename__ = "comparator_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("comparator_groups.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1 = closest
    neighbour_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    closeness: Mapped[str | None] = mapped_column(String(30))
    group: Mapped[ComparatorGroup] = relationship(back_populates="members")


class Indicator(Base):
    """A measure with its definition, unit and polarity."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str] = mapped_column(String(20))  # children | adults | partnership | other
    theme: Mapped[str | None] = mapped_column(String(120))
    topic: Mapped[str | None] = mapped_column(String(200))  # LAIT topic for the full catalogue
    unit: Mapped[str] = mapped_column(String(40))  # percent | rate | count | ratio | score | ...
    unit_label: Mapped[str | None] = mapped_column(String(120))  # e.g. "per 10,000 children"
    multiplier: Mapped[float | None] = mapped_column(Float)
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    polarity: Mapped[str] = mapped_column(String(12))  # high | low | none | target_band
    frequency: Mapped[str | None] = mapped_column(String(40))
    period_type: Mapped[str | None] = mapped_column(String(40))  # YEAR_KINDS key or type
    definition: Mapped[str | None] = mapped_column(Text)
    methodology: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(Text)
    rag_rule: Mapped[str] = mapped_column(String(20), default="band")  # band | significance
    banded: Mapped[bool] = mapped_column(Boolean, default=True)
    curated: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=10_000)
    owner: Mapped[str | None] = mapped_column(String(120))


class Period(Base):
    """A typed time period: reporting year, financial year, quarter, snapshot date..."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("type", "start", "end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(60))
    sort_key: Mapped[int] = mapped_column(Integer)  # yyyymmdd of the end date


class Breakdown(Base):
    """A dimension and category of a breakdown; ("all", "all") when there is none."""

    __tablename__ = "breakdowns"
    __table_args__ = (UniqueConstraint("dimension", "category"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(300))


class DataLoad(Base):
    """Audit record of one import: what, from where, by whom, and what it did."""

    __tablename__ = "data_loads"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str | None] = mapped_column(String(64))
    format: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # committed | failed | rolled_back
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    loaded_by: Mapped[str] = mapped_column(String(120), default="system")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    message: Mapped[str | None] = mapped_column(Text)


class RejectedRow(Base):
    """One problem found in a file, with where it is and why it was refused."""

    __tablename__ = "rejected_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("data_loads.id"), index=True)
    row_number: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class Observation(Base):
    """One value: indicator x area x period x breakdown."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_id", "area_id", "breakdown_id", name="uq_obs_key"),
        Index("ix_obs_area_indicator", "area_id", "indicator_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    breakdown_id: Mapped[int] = mapped_column(ForeignKey("breakdowns.id"))
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    ci_lower: Mapped[float | None] = mapped_column(Float)
    ci_upper: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="final")
    suppression: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    as_at: Mapped[dt.date | None] = mapped_column(Date)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("data_loads.id"))


class ObservationHistory(Base):
    """An earlier version of an observation, kept when a load changed it."""

    __tablename__ = "observation_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(Integer, index=True)
    indicator_id: Mapped[int] = mapped_column(Integer)
    area_id: Mapped[int] = mapped_column(Integer)
    period_id: Mapped[int] = mapped_column(Integer)
    breakdown_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    ci_lower: Mapped[float | None] = mapped_column(Float)
    ci_upper: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    suppression: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    load_id: Mapped[int | None] = mapped_column(Integer)  # the load that wrote this version
    replaced_by_load_id: Mapped[int] = mapped_column(ForeignKey("data_loads.id"), index=True)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Target(Base):
    """A local target for an indicator in an area over a range of period end dates."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    tolerance: Mapped[float] = mapped_column(Float, default=0.05)
    set_by: Mapped[str | None] = mapped_column(String(120))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Note(Base):
    """Commentary recorded against an indicator, area and period in a meeting."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class User(Base):
    """A person who can log in, with a role."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # viewer | contributor | admin
    agency: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class SpcBaseline(Base):
    """A recorded SPC baseline: the limits restart at `start` (e.g. a new front-door model).

    `fix_points` fixes that baseline's mean and limits after its first n points; None uses every
    point up to the next baseline. A baseline starting on or before the first point fixes or
    annotates the first baseline without restarting it.
    """

    __tablename__ = "spc_baselines"
    __table_args__ = (Index("ix_spc_baselines_indicator_area", "indicator_id", "area_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    start: Mapped[dt.date] = mapped_column(Date)  # start date of the baseline's first period
    fix_points: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Forecast(Base):
    """The latest demand forecast for an indicator in an area, with its backtest.

    Computed when data are loaded (or by `python -m dashboard forecast`) and only read by
    pages; `shown` is false where the model did not beat the seasonal-naive baseline.
    """

    __tablename__ = "forecasts"
    __table_args__ = (UniqueConstraint("indicator_id", "area_id", name="uq_forecast_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    method: Mapped[str] = mapped_column(String(120))  # e.g. "ETS(A,Ad,N) (statsmodels 0.15.0)"
    baseline_method: Mapped[str] = mapped_column(String(40))  # naive | seasonal naive
    period_type: Mapped[str] = mapped_column(String(20))
    last_period_end: Mapped[dt.date] = mapped_column(Date)
    n_points: Mapped[int] = mapped_column(Integer)
    horizon: Mapped[int] = mapped_column(Integer)
    backtest_origins: Mapped[int] = mapped_column(Integer, default=0)
    mase_model: Mapped[float | None] = mapped_column(Float)
    mase_baseline: Mapped[float | None] = mapped_column(Float)
    shown: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    points: Mapped[list[ForecastPoint]] = relationship(
        back_populates="forecast", cascade="all, delete-orphan", order_by="ForecastPoint.step"
    )


class ForecastPoint(Base):
    """One horizon step of a forecast: the period, the point forecast and its intervals."""

    __tablename__ = "forecast_points"
    forecast_id: Mapped[int] = mapped_column(
        ForeignKey("forecasts.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1 = the next period
    label: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    point: Mapped[float] = mapped_column(Float)
    lo80: Mapped[float] = mapped_column(Float)
    hi80: Mapped[float] = mapped_column(Float)
    lo95: Mapped[float] = mapped_column(Float)
    hi95: Mapped[float] = mapped_column(Float)
    forecast: Mapped[Forecast] = relationship(back_populates="points")


class Meeting(Base):
    """A meeting of the partnership or a sub-group: "what changed since the last meeting"."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
