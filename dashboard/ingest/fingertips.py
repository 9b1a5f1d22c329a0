"""Fingertips CSV downloads (OHID public health profiles), mapped into the catalogue.

A Fingertips "all data" CSV has one row per indicator, area, sex, age, category and time
period, with the columns ``Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code,
Area Name, Area Type, Sex, Age, Category Type, Category, Time period, Value, Lower CI 95.0
limit, Upper CI 95.0 limit, Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator,
Value note, Recent Trend, Compared to England value or percentiles, Compared to <parent> value
or percentiles, Time period Sortable, New data, Compared to goal`` and, in newer downloads,
``Time period range``.

`data/fingertips_mapping.csv` says which Fingertips indicators (by ID, sex and age) load into
which catalogue code, how bare years are read, and, for codes the catalogue lacks, the
indicator's name, unit, polarity and definition (created on the first commit, never changed
afterwards). Only whole-population rows load: rows with a ``Category Type`` (deprivation
deciles, ethnic groups) and rows for unmapped indicators or for areas the dashboard does not
hold (districts, health geographies) are skipped and counted in the preview.

A blank value stays blank, never zero: it is kept as suppressed (``c``) when the value note
says it was suppressed, otherwise as not available (``x``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from dashboard.auth import CurrentUser
from dashboard.ingest.upload import (
    CommitResult,
    IndicatorDeclaration,
    ParsedFile,
    Table,
    UploadRow,
    commit_upload,
    parse_number,
    read_file,
)
from dashboard.periods import (
    MONTHS,
    PeriodError,
    PeriodSpec,
    academic_year,
    financial_year,
    month,
    quarter,
)
from dashboard.settings import DATA_DIR

MAPPING = DATA_DIR / "fingertips_mapping.csv"
REQUIRED = ("Indicator ID", "Area Code", "Sex", "Age", "Time period", "Value")
SOURCE = "Office for Health Improvement and Disparities, Fingertips public health profiles"
YEAR_KINDS = ("calendar_year", "financial_year", "academic_year")


@dataclass(frozen=True)
class FingertipsMapping:
    """One Fingertips indicator (for one sex and age) and the catalogue code it loads into."""

    indicator_id: str
    sex: str
    age: str
    code: str
    year_kind: str
    declaration: IndicatorDeclaration | None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_mapping(path: Path = MAPPING) -> list[FingertipsMapping]:
    """The mapping rows; a blank sex or age matches any."""
    out: list[FingertipsMapping] = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            year_kind = r.get("year_kind") or "calendar_year"
            if year_kind not in YEAR_KINDS:
                raise ValueError(f"{path.name}, row {i}: year_kind must be one of "
                                 f"{', '.join(YEAR_KINDS)}")
            decl = None
            if r.get("name"):
                decl = IndicatorDeclaration(
                    row=i, code=r["code"], name=r["name"], domain=r["domain"],
                    theme=r.get("theme") or None, unit=r["unit"], polarity=r["polarity"],
                    frequency=r.get("frequency") or "annual",
                    definition=r.get("definition") or None, owner=None,
                    unit_label=r.get("unit_label") or None,
                    multiplier=float(r["multiplier"]) if r.get("multiplier") else None,
                    decimals=int(r["decimals"]) if r.get("decimals") else None,
                    source=SOURCE + (f" (indicator {r['indicator_id']})"), create_only=True)
            out.append(FingertipsMapping(r["indicator_id"].strip(), _key(r.get("sex") or ""),
                                         _key(r.get("age") or ""), r["code"].strip(), year_kind,
                                         decl))
    return out


def is_fingertips(header: list[str]) -> bool:
    """Whether a first row is a Fingertips download's."""
    names = {h.strip() for h in header}
    return {"Indicator ID", "Area Code", "Time period"} <= names


_YEAR = re.compile(r"^(?P<y>(19|20)\d\d)$")
_SLASH = re.compile(r"^(?P<a>(19|20)\d\d)/(?P<b>\d\d)$")
_SPAN = re.compile(r"^(?P<a>(19|20)\d\d)\s*-\s*(?P<b>\d\d|(19|20)\d\d)$")
_SLASH_SPAN = re.compile(r"^(?P<a>(19|20)\d\d)/\d\d\s*-\s*(?P<b>\d\d)/(?P<b2>\d\d)$")
_QUARTER = re.compile(r"^(?P<a>(19|20)\d\d)/(?P<b>\d\d)\s*Q(?P<q>[1-4])$", re.IGNORECASE)
_CAL_QUARTER = re.compile(r"^(?P<y>(19|20)\d\d)\s*Q(?P<q>[1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(?P<m>[A-Za-z]{3,9})\s+(?P<y>(19|20)\d\d)$")


def _full_year(first: int, yy: str) -> int:
    if len(yy) == 4:
        return int(yy)
    year = first - first % 100 + int(yy)
    return year + 100 if year < first else year


def parse_fingertips_period(label: str, year_kind: str = "calendar_year") -> PeriodSpec:
    """A Fingertips ``Time period`` label as a typed period.

    ``2020`` (a calendar, financial or academic year by `year_kind`), ``2019/20`` (a financial
    year, or an academic year), ``2017 - 19`` and ``2015/16 - 19/20`` (rolling periods),
    ``2019/20 Q1`` (a financial-year quarter), ``2020 Q1`` (January to March), ``Apr 2020``.

    Raises:
        PeriodError: for any other label.
    """
    t = " ".join(str(label).split())
    if m := _YEAR.match(t):
        y = int(m.group("y"))
        if year_kind == "financial_year":
            return financial_year(y - 1)
        if year_kind == "academic_year":
            return academic_year(y - 1)
        return PeriodSpec(dt.date(y, 12, 31), dt.date(y, 1, 1), "calendar_year")
    if m := _SLASH.match(t):
        a = int(m.group("a"))
        if _full_year(a, m.group("b")) != a + 1:
            raise PeriodError(f"{label!r} is not one year")
        return academic_year(a) if year_kind == "academic_year" else financial_year(a)
    if m := _QUARTER.match(t):
        a = int(m.group("a"))
        if _full_year(a, m.group("b")) != a + 1:
            raise PeriodError(f"{label!r} is not a quarter of one financial year")
        return quarter(a, int(m.group("q")))
    if m := _CAL_QUARTER.match(t):
        y, q = int(m.group("y")), int(m.group("q"))
        return quarter(y - 1, 4) if q == 1 else quarter(y, q - 1)
    if m := _SLASH_SPAN.match(t):
        a = int(m.group("a"))
        b = _full_year(a, m.group("b2"))
        first = academic_year(a) if year_kind == "academic_year" else financial_year(a)
        last = academic_year(b - 1) if year_kind == "academic_year" else financial_year(b - 1)
        return PeriodSpec(last.end, first.start, "rolling")
    if m := _SPAN.match(t):
        a = int(m.group("a"))
        b = _full_year(a, m.group("b"))
        if b <= a:
            raise PeriodError(f"{label!r} ends before it starts")
        return PeriodSpec(dt.date(b, 12, 31), dt.date(a, 1, 1), "rolling")
    if m := _MONTH.match(t):
        names = {n.lower(): i for i, n in enumerate(MONTHS, start=1)}
        number = names.get(m.group("m")[:3].lower())
        if number:
            return month(int(m.group("y")), number)
    raise PeriodError(f"{label!r} is not a Fingertips time period this dashboard can read")


def _find(mapping: list[FingertipsMapping], ind: str, sex: str,
          age: str) -> FingertipsMapping | None:
    for m in mapping:
        if m.indicator_id == ind and m.sex in ("", sex) and m.age in ("", age):
            return m
    return None


def parse_fingertips(table: Table, file_name: str, fmt: str = "csv",
                     mapping: list[FingertipsMapping] | None = None) -> ParsedFile:
    """Read a Fingertips download into upload rows (checked against the store later)."""
    parsed = ParsedFile("fingertips", file_name, fmt, strict=False)
    missing = [c for c in REQUIRED if c not in {h.strip() for h in table.header}]
    for col in missing:
        parsed.problem(1, col, None, "a required Fingertips column is missing")
    if missing:
        return parsed
    mapping = read_mapping() if mapping is None else mapping
    declared: dict[str, IndicatorDeclaration] = {}
    parsed.rows_read = len(table.rows)
    for n, raw in table.records():
        r = {k.strip(): (v or "").strip() for k, v in raw.items()}
        ind = r["Indicator ID"]
        m = _find(mapping, ind, _key(r.get("Sex", "")), _key(r.get("Age", "")))
        if m is None:
            known = any(x.indicator_id == ind for x in mapping)
            parsed.skipped["rows for a sex or age the mapping does not load" if known else
                           f"rows for Fingertips indicator {ind}, which is not mapped"] += 1
            continue
        if r.get("Category Type"):
            parsed.skipped["breakdown rows (Category Type), which are not loaded"] += 1
            continue
        try:
            period = parse_fingertips_period(r["Time period"], m.year_kind)
        except PeriodError as err:
            parsed.problem(n, "Time period", r["Time period"], f"unparseable period: {err}")
            continue
        before = len(parsed.problems)
        numbers: dict[str, float | None] = {}
        for col in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count",
                    "Denominator"):
            text = r.get(col, "")
            numbers[col] = parse_number(text) if text else None
            if text and numbers[col] is None:
                parsed.problem(n, col, text, "text in a number column: this should be a number")
        count, denominator = numbers["Count"], numbers["Denominator"]
        if count is not None and denominator is not None and count > denominator:
            parsed.problem(n, "Count", r["Count"], "the count (numerator) is greater than the "
                                                   f"denominator ({r['Denominator']})")
        if len(parsed.problems) > before:
            continue
        note = r.get("Value note") or None
        value = numbers["Value"]
        suppression = None
        if value is None:
            suppression = "c" if note and "suppress" in note.lower() else "x"
        if m.declaration is not None:
            declared.setdefault(m.code, m.declaration)
        parsed.rows.append(UploadRow(
            row=n, indicator=m.code, area=r["Area Code"].upper(), period=period, value=value,
            numerator=count, denominator=denominator, ci_lower=numbers["Lower CI 95.0 limit"],
            ci_upper=numbers["Upper CI 95.0 limit"], status="final", suppression=suppression,
            note=note, value_text=r["Value"], period_text=r["Time period"]))
    parsed.indicators = list(declared.values())
    return parsed


def load_fingertips(engine: Engine, path: Path, user: CurrentUser) -> CommitResult:
    """Check and commit a Fingertips CSV (the same rules as any upload)."""
    return commit_upload(engine, read_file(path), path.name, user)
