"""Load history, rejected rows, and rolling a load back to the values it replaced.

Every load leaves a `DataLoad` row; every value it changed left its earlier version in
`observation_history` (`replaced_by_load_id` = the load). Rolling a load back therefore
restores exactly what was there before: each observation it updated gets its earlier version
again (value, counts, interval, status, symbol, note, flag and the load that wrote it), and
each observation it inserted is removed. Nothing is lost on the way: the versions the rollback
replaces or removes are themselves kept in history, replaced by the rollback's own load row
(kind ``rollback``), and the original load is marked ``rolled_back``.

A rollback is refused when a later load changed any of the same observations, because
restoring the earlier values would silently undo that later load too; the message names the
later loads so that an admin can roll those back first (newest first).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from dashboard.auth import CurrentUser, require
from dashboard.ingest.errors import Problem
from dashboard.ingest.upload import forget_cached_views, serialise_writes
from dashboard.ingest.writer import VALUE_FIELDS
from dashboard.store.db import session_scope
from dashboard.store.models import (
    Area,
    DataLoad,
    Indicator,
    Observation,
    ObservationHistory,
    Period,
    RejectedRow,
)

KEY = ("indicator_id", "area_id", "period_id", "breakdown_id")


class RollbackError(Exception):
    """A rollback was refused; nothing was changed. The message says why."""

    def __init__(self, message: str, conflicts: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.conflicts = conflicts or []


@dataclass(frozen=True)
class RollbackResult:
    """What a rollback did."""

    rollback_load_id: int
    load_id: int
    restored: int
    removed: int

    def summary(self) -> str:
        """One sentence for the page or the terminal."""
        return (f"Load {self.load_id} rolled back (recorded as load {self.rollback_load_id}): "
                f"{self.restored} earlier values restored, {self.removed} added values removed.")


@dataclass(frozen=True)
class LoadInfo:
    """One row of the load history."""

    id: int
    kind: str
    file_name: str
    checksum: str | None
    format: str | None
    status: str
    loaded_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    rows_read: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    message: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                for k, v in self.__dict__.items()}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_history(engine: Engine, limit: int = 500) -> list[LoadInfo]:
    """The latest loads, newest first."""
    cols = [c.name for c in DataLoad.__table__.columns]
    with engine.connect() as c:
        rows = c.execute(select(DataLoad.__table__).order_by(DataLoad.id.desc()).limit(limit))
        return [LoadInfo(**{k: r._mapping[k] for k in cols}) for r in rows]


def rejected_rows(engine: Engine, load_id: int) -> list[Problem]:
    """The problems recorded for a refused load, in file order."""
    with engine.connect() as c:
        load = c.execute(select(DataLoad.file_name).where(DataLoad.id == load_id)).scalar()
        rows = c.execute(select(RejectedRow).where(RejectedRow.load_id == load_id)
                         .order_by(RejectedRow.row_number, RejectedRow.id)).all()
    return [Problem(load or "-", r.row_number, r.column, r.value, r.reason) for r in rows]


def _csv_cell(v: Any) -> Any:
    # Spreadsheets run cells that begin with = + - @ as formulas; neutralise text ones.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def rejected_rows_csv(engine: Engine, load_id: int) -> bytes:
    """The rejected rows of a load as CSV (row, column, value, reason), safe to open in Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["row", "column", "value", "reason"])
    for p in rejected_rows(engine, load_id):
        w.writerow([p.row if p.row is not None else "", _csv_cell(p.column or ""),
                    _csv_cell(p.value or ""), _csv_cell(p.message)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def rollback_load(engine: Engine, load_id: int, admin: CurrentUser | None) -> RollbackResult:
    """Restore exactly the values that were stored before load `load_id`.

    Args:
        engine: the store.
        load_id: the load to undo.
        admin: the signed-in admin (recorded as who rolled it back).

    Raises:
        AuthError: the user is not an admin.
        RollbackError: the load does not exist, is not a committed load, or later loads
            changed some of its observations (named in the message); nothing was changed.
    """
    admin = require(admin, "admin")
    with session_scope(engine) as s:
        serialise_writes(s)
        load = s.get(DataLoad, load_id)
        if load is None:
            raise RollbackError(f"There is no load {load_id}.")
        if load.kind == "rollback":
            raise RollbackError(f"Load {load_id} is itself a rollback; to redo the figures, "
                                "load the original file again.")
        if load.status == "rolled_back":
            raise RollbackError(f"Load {load_id} was already rolled back ({load.message}).")
        if load.status != "committed":
            raise RollbackError(f"Load {load_id} was refused ({load.status}), so it stored "
                                "nothing to roll back.")
        later = s.execute(
            select(ObservationHistory.replaced_by_load_id, DataLoad.kind, DataLoad.loaded_by,
                   DataLoad.started_at, func.count())
            .join(DataLoad, DataLoad.id == ObservationHistory.replaced_by_load_id)
            # Versions replaced by a load that was itself rolled back were put back: no conflict.
            .where(ObservationHistory.load_id == load_id, DataLoad.status != "rolled_back")
            .group_by(ObservationHistory.replaced_by_load_id, DataLoad.kind,
                      DataLoad.loaded_by, DataLoad.started_at)
            .order_by(ObservationHistory.replaced_by_load_id.desc())).all()
        if later:
            conflicts = [f"load {r[0]} ({r[1]}, {r[2]}, {r[3]:%d %b %Y %H:%M}) changed {r[4]} "
                         "of its values" for r in later]
            examples = _examples(s, load_id)
            raise RollbackError(
                f"Load {load_id} cannot be rolled back: later loads changed some of the same "
                f"figures ({'; '.join(conflicts)}). Restoring the earlier values would undo "
                f"those loads too; roll them back first, newest first. For example: "
                f"{examples}.", conflicts)

        now = _now()
        rollback = DataLoad(kind="rollback", file_name=load.file_name, checksum=load.checksum,
                            format=load.format, status="committed", loaded_by=admin.username,
                            started_at=now,
                            message=f"rollback of load {load_id} ({load.kind}, loaded by "
                                    f"{load.loaded_by} on {load.started_at:%d %b %Y %H:%M})")
        s.add(rollback)
        s.flush()

        cols = [Observation.id, *(getattr(Observation, k) for k in KEY),
                *(getattr(Observation, f) for f in VALUE_FIELDS), Observation.load_id]
        current = {r.id: r for r in s.execute(select(*cols).where(
            Observation.load_id == load_id))}
        earlier = {h.observation_id: h for h in s.scalars(
            select(ObservationHistory).where(ObservationHistory.replaced_by_load_id == load_id)
            .order_by(ObservationHistory.id))}
        missing = set(earlier) - set(current)
        if missing:  # the conflict check makes this impossible; refuse rather than guess
            raise RollbackError(f"Load {load_id}: {len(missing)} of the values it changed are "
                                "no longer stored as it left them; nothing was rolled back.")

        # Keep the versions being replaced or removed, so the rollback loses nothing either.
        keep = [{"observation_id": r.id, **{k: getattr(r, k) for k in KEY},
                 **{f: getattr(r, f) for f in VALUE_FIELDS},
                 "synthetic": bool(r.synthetic), "status": r.status or "final",
                 "load_id": r.load_id, "replaced_by_load_id": rollback.id, "replaced_at": now}
                for r in current.values()]
        for i in range(0, len(keep), 10_000):
            s.execute(insert(ObservationHistory), keep[i:i + 10_000])
        restores = [{"id": obs_id, **{f: getattr(h, f) for f in VALUE_FIELDS},
                     "load_id": h.load_id, "as_at": None}
                    for obs_id, h in earlier.items()]
        for i in range(0, len(restores), 10_000):
            s.execute(update(Observation), restores[i:i + 10_000])
        inserted = sorted(set(current) - set(earlier))
        for i in range(0, len(inserted), 500):
            s.execute(delete(Observation).where(Observation.id.in_(inserted[i:i + 500])))

        load.status = "rolled_back"
        load.message = ((load.message + "; ") if load.message else "") + (
            f"rolled back by {admin.username} on {now:%d %b %Y %H:%M} (load {rollback.id})")
        rollback.rows_read = len(current)
        rollback.rows_updated = len(restores)
        rollback.rows_inserted = 0
        rollback.rows_unchanged = 0
        rollback.message = (f"{rollback.message}: {len(restores)} values restored, "
                            f"{len(inserted)} removed")
        rollback.finished_at = _now()
        result = RollbackResult(rollback.id, load_id, len(restores), len(inserted))
    forget_cached_views()
    return result


def _examples(s: Any, load_id: int) -> str:
    rows = s.execute(
        select(Indicator.code, Area.code, Period.label, ObservationHistory.replaced_by_load_id)
        .join(Indicator, Indicator.id == ObservationHistory.indicator_id)
        .join(Area, Area.id == ObservationHistory.area_id)
        .join(Period, Period.id == ObservationHistory.period_id)
        .join(DataLoad, DataLoad.id == ObservationHistory.replaced_by_load_id)
        .where(ObservationHistory.load_id == load_id, DataLoad.status != "rolled_back")
        .order_by(ObservationHistory.id).limit(3)).all()
    return "; ".join(f"{r[0]} for {r[1]}, {r[2]} (changed by load {r[3]})" for r in rows)
