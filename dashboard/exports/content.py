"""What an export says about one indicator: its series, table twin, summary, notes and words.

Charts, tables and the meeting pack all start here, so that a PNG, an XLSX and a page of the
pack made from the same settings show the same numbers, the same comparator group and the same
source line. The series and the table come from :mod:`dashboard.views_data` (the same functions
the indicator view uses); the RAG, narrative and target from the scorecard service.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from dashboard import queries
from dashboard.formatting import format_value, unit_words
from dashboard.scorecard import IndicatorSummary, ScorecardError, build_scorecard
from dashboard.store.models import Note, Period
from dashboard.views_data import IndicatorData, indicator_data, latest_comparison, trend_table

OGL = "Open Government Licence"
PRODUCED_BY = "Safeguarding partnership performance dashboard"


class ExportError(ValueError):
    """A request an export cannot honour, naming the parameter at fault."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.message, self.parameter = message, parameter


@dataclass(frozen=True)
class NoteLine:
    """A note to print with an indicator: commentary from a meeting, or a data note."""

    period: str | None
    text: str
    author: str | None
    kind: str  # "commentary" | "data"


@dataclass
class IndicatorContent:
    """Everything an export of one indicator shows, for one area and comparator group."""

    data: IndicatorData
    table: pd.DataFrame
    comparison: pd.DataFrame
    summary: IndicatorSummary | None
    neighbours: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    notes: list[NoteLine] = field(default_factory=list)

    def text(self, key: str) -> str | None:
        """A text field of the indicator's metadata, or None when it is missing."""
        return clean_text(self.data.meta.get(key))

    @property
    def code(self) -> str:
        """The indicator's code."""
        return str(self.data.meta["code"])

    @property
    def name(self) -> str:
        """The indicator's short name, as the views title it."""
        return self.text("short_name") or str(self.data.meta["name"])

    @property
    def unit_words(self) -> str:
        """The unit as an axis title: ``%``, ``per 10,000 children``, ``number``."""
        return unit_words(self.data.meta["unit"], self.text("unit_label"))

    @property
    def synthetic(self) -> bool:
        """Whether any value shown is synthetic demo data."""
        in_table = bool(not self.table.empty and self.table["synthetic"].any())
        in_bar = bool(not self.comparison.empty and "synthetic" in self.comparison
                      and self.comparison["synthetic"].astype(bool).any())
        return in_table or in_bar

    @property
    def periods_text(self) -> str:
        """``2012 to 2024``, or one period, or ``no periods``."""
        if self.table.empty:
            return "no periods"
        first, last = self.table["period"].iloc[0], self.table["period"].iloc[-1]
        return f"{first} to {last}" if first != last else str(first)

    @property
    def latest_period(self) -> str | None:
        """The label of the last period shown (the bar chart's period)."""
        if not self.comparison.empty:
            return str(self.comparison["period"].iloc[0])
        return None if self.table.empty else str(self.table["period"].iloc[-1])

    def fmt_short(self, value: float | None) -> str:
        """A value without a rate's words (``44.6``; ``30.2%``), for labels beside an axis."""
        m = self.data.meta
        return format_value(value, m["unit"], int(m["decimals"]),
                            with_unit=m["unit"] == "percent", unit_label=self.text("unit_label"))

    def source(self) -> str:
        """The source line for this indicator (see :func:`source_line`)."""
        return source_line(self.text("source"), self.text("licence"),
                           synthetic=self.synthetic)

    def comparators_text(self, reporting: str | None = None) -> str:
        """The comparator group with its vintage, and how many neighbours report if given."""
        group = self.data.group
        if group is None:
            return "no statistical neighbour group"
        text = group.name if group.vintage in group.name else f"{group.name} ({group.vintage})"
        if group.synthetic:
            text += ", synthetic demo group"
        if reporting:
            text += f": {reporting}"
        return text


def source_line(source: str | None, licence: str | None, *, synthetic: bool = False) -> str:
    """``Source: DfE, Children in need 2025; contains public sector information licensed ...``."""
    text = (source or "source not recorded").strip().rstrip(".")
    text = text.replace("Department for Education", "DfE")
    parts = [f"Source: {text}"]
    if licence and OGL in licence:
        parts.append(f"contains public sector information licensed under the {licence.strip()}")
    elif licence:
        parts.append(f"licence: {licence.strip()}")
    if synthetic:
        parts.append("includes synthetic demo data, not real figures")
    return "; ".join(parts)


def produced_text(day: dt.date) -> str:
    """``Produced 22 November 2025``."""
    return f"Produced {day.day} {day:%B %Y}"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``Southend-on-Sea`` -> ``southend-on-sea``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"


def filename(*parts: str | None, ext: str) -> str:
    """A download name from its parts: ``southend-on-sea_re-referrals_trend_2024.png``."""
    return "_".join(slug(p) for p in parts if p) + f".{ext}"


def split_codes(raw: str | Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Indicator codes from ``A,B,C`` (or several values), where a code may itself hold a comma.

    LAIT codes such as ``CPP_Total_Rateper10,000`` contain commas, so the pieces are joined
    back where the joined text is a known code. Unknown codes are kept, for the caller to
    report.
    """
    values = [raw] if isinstance(raw, str) else list(raw)
    known_set = set(known)
    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in value.split(",")]
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):  # the longest run of pieces that is a code
                joined = ",".join(parts[i:j])
                if joined in known_set or j == i + 1:
                    if joined:
                        out.append(joined)
                    i = j
                    break
    return tuple(dict.fromkeys(out))


def resolve_area(engine: Engine, code: str) -> queries.AreaInfo:
    """The area for an ONS code, or an ExportError naming the ``area`` parameter."""
    if not re.fullmatch(r"E\d{8}", code or ""):
        raise ExportError(f"{code!r} is not an ONS area code such as E06000033", "area")
    area = queries.area_by_code(engine, code)
    if area is None:
        raise ExportError(f"unknown area code {code!r}", "area")
    return area


def indicator_content(
    engine: Engine,
    code: str,
    area: str,
    *,
    domain: str | None = None,
    vintage: str | None = None,
    neighbours: Sequence[str] = (),
    start: int | None = None,
    end: int | None = None,
    summary: IndicatorSummary | None = None,
    with_notes: bool = True,
) -> IndicatorContent:
    """Gather one indicator's export content (raises ExportError for bad settings).

    Args:
        engine: The store.
        code: Indicator code (``ReReferral``).
        area: Home area ONS code.
        domain: Chooses the comparator group's kind; default the indicator's own domain.
        vintage: Comparator group vintage (default: the latest).
        neighbours: Neighbours to draw individually; each must be in the group.
        start: First year shown (periods ending in or after it).
        end: Last year shown; the comparison bar shows the latest period up to it.
        summary: The scorecard's summary if the caller has it (a pack builds them at once).
        with_notes: Whether to read the notes recorded against the indicator.
    """
    meta = queries.indicators(engine, codes=[code])
    if meta.empty:
        raise ExportError(f"unknown indicator code {code!r}", "indicator")
    home = resolve_area(engine, area)
    domain = domain or str(meta.iloc[0]["domain"])
    if domain not in queries.DOMAIN_GROUP_KIND:
        raise ExportError("domain must be children, adults or partnership", "domain")
    if vintage and vintage not in queries.vintages(engine, queries.DOMAIN_GROUP_KIND[domain]):
        raise ExportError(f"no comparator group of vintage {vintage!r}", "vintage")
    if start and end and start > end:
        raise ExportError("from must not be later than to", "from")
    data = indicator_data(engine, code, home.code, domain, vintage)
    if data is None:  # pragma: no cover - both were checked above
        raise ExportError(f"unknown indicator code {code!r}", "indicator")
    group_codes = [n.area.code for n in data.group.neighbours] if data.group else []
    unknown = [c for c in neighbours if c not in group_codes]
    if unknown:
        raise ExportError(f"{', '.join(unknown)} not among {data.area.name}'s statistical "
                          "neighbours", "neighbours")
    table = trend_table(data, tuple(neighbours), start, end)
    comparison = latest_comparison(data, end)
    if summary is None:
        try:
            sc = build_scorecard(engine, home.code, domain, vintage=vintage,
                                 as_at=str(end) if end else None, codes=[code])
        except ScorecardError as err:
            raise ExportError(str(err)) from err
        summary = sc.rows[0] if sc.rows else None
    notes = _notes(engine, data, table) if with_notes else []
    return IndicatorContent(data, table, comparison, summary, tuple(neighbours), start, end,
                            notes)


def _notes(engine: Engine, data: IndicatorData, table: pd.DataFrame) -> list[NoteLine]:
    """Meeting commentary on this indicator and area, then the publisher's notes on points."""
    with engine.connect() as c:
        rows = c.execute(
            select(Note.text, Note.author, Note.created_at, Period.label)
            .outerjoin(Period, Period.id == Note.period_id)
            .where(Note.indicator_id == int(data.meta["id"]), Note.area_id == data.area.id)
            .order_by(Note.created_at)).all()
    out = [NoteLine(r.label, r.text, r.author, "commentary") for r in rows]
    shown = set(table["period"]) if not table.empty else set()
    home = data.series[(data.series["role"] == "home") & data.series["label"].isin(shown)]
    seen: set[str] = set()
    for r in home.itertuples():
        note = clean_text(r.note)
        if note and note not in seen:
            seen.add(note)
            out.append(NoteLine(str(r.label), note, None, "data"))
    return out


def clean_text(v: Any) -> str | None:
    """Text from a frame cell, or None for a missing one (pandas 3 reads missing text as NaN)."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    text = str(v).strip()
    return text or None
