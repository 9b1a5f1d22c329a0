"""Notes: commentary recorded against an indicator, area and (optionally) period.

The sub-group records what it agreed ("deep dive agreed, report back in May") while looking at
a chart; notes show on the indicator's chart as markers and in a list with author and date.
A note is plain text: it is stored exactly as typed (less control characters, at most 2,000
characters) and must be shown as text, never as HTML (Dash components escape text; exports
neutralise spreadsheet formulas). Any signed-in user may add a note; its author or an admin may
delete it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from dashboard.auth import CurrentUser, Forbidden, require
from dashboard.ingest.writer import AreaLookup
from dashboard.periods import PeriodSpec
from dashboard.store.db import session_scope
from dashboard.store.models import Area, Indicator, Note, Period

MAX_LENGTH = 2000


class NoteError(ValueError):
    """A note was refused; the message says why."""


@dataclass(frozen=True)
class NoteInfo:
    """A note as the indicator view lists it."""

    id: int
    indicator: str
    area: str
    period: str | None  # the period's label, e.g. "2023-24 Q1"
    period_type: str | None
    period_end: dt.date | None  # where the chart's marker goes
    text: str
    author: str
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v)
                for k, v in self.__dict__.items()}


def clean_text(text: str) -> str:
    """Plain text: line breaks kept, other control characters dropped, ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def add_note(engine: Engine, user: CurrentUser | None, indicator: str, area: str, text: str,
             period: PeriodSpec | None = None) -> NoteInfo:
    """Record a note by the signed-in user.

    Raises:
        AuthError: nobody is signed in.
        NoteError: unknown indicator or area, or empty or over-long text.
    """
    user = require(user, "viewer")
    body = clean_text(text)
    if not body:
        raise NoteError("the note is empty")
    if len(body) > MAX_LENGTH:
        raise NoteError(f"a note can have at most {MAX_LENGTH:,} characters")
    with session_scope(engine) as s:
        ind = s.scalar(select(Indicator).where(Indicator.code == indicator))
        if ind is None:
            raise NoteError(f"unknown indicator {indicator!r}")
        area_id = AreaLookup(s).get(area)
        area_row = s.get(Area, area_id) if area_id is not None else None
        if area_row is None:
            raise NoteError(f"unknown area {area!r}")
        period_row = None
        if period is not None:
            period_row = s.scalar(select(Period).where(
                Period.type == period.type, Period.start == period.start,
                Period.end == period.end))
            if period_row is None:
                period_row = Period(type=period.type, start=period.start, end=period.end,
                                    label=period.label, sort_key=period.sort_key)
                s.add(period_row)
                s.flush()
        note = Note(indicator_id=ind.id, area_id=area_row.id,
                    period_id=period_row.id if period_row else None, text=body,
                    author=user.username)
        s.add(note)
        s.flush()
        return NoteInfo(note.id, ind.code, area_row.code,
                        period_row.label if period_row else None,
                        period_row.type if period_row else None,
                        period_row.end if period_row else None, note.text, note.author,
                        note.created_at)


def list_notes(engine: Engine, indicator: str, area: str | None = None) -> list[NoteInfo]:
    """An indicator's notes (optionally for one area), oldest first."""
    with session_scope(engine) as s:
        q = (select(Note, Indicator.code, Area.code, Period)
             .join(Indicator, Indicator.id == Note.indicator_id)
             .join(Area, Area.id == Note.area_id)
             .outerjoin(Period, Period.id == Note.period_id)
             .where(Indicator.code == indicator))
        if area:
            q = q.where(Area.code == area.strip().upper())
        rows = s.execute(q.order_by(Note.created_at, Note.id)).all()
        return [NoteInfo(n.id, code, area_code, p.label if p else None, p.type if p else None,
                         p.end if p else None, n.text, n.author, n.created_at)
                for n, code, area_code, p in rows]


def delete_note(engine: Engine, user: CurrentUser | None, note_id: int) -> None:
    """Delete a note: its author or an admin only."""
    user = require(user, "viewer")
    with session_scope(engine) as s:
        note = s.get(Note, note_id)
        if note is None:
            raise NoteError(f"there is no note {note_id}")
        if note.author != user.username and not user.is_admin:
            raise Forbidden("Only the note's author or an admin can delete it.")
        s.delete(note)
