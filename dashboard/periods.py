"""Typed time periods and the parsers that turn published year labels into them.

National releases label time in many ways (`2020`, `2019-20`, `2018-20`, `2015/16`,
`2020 (Final)`, `2019-20 (OT)`), and partners push quarters, months and snapshot dates. Every
observation is stored against one typed period (type, start, end) so that series of the same
type can be ordered, compared and described correctly in narrative text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

PERIOD_TYPES = (
    "reporting_year",  # a year to 31 March, labelled by its end year as the DfE does ("2020")
    "financial_year",  # April to March, labelled "2019-20"
    "academic_year",  # September to August, labelled "2019/20"
    "calendar_year",
    "rolling",  # a multi-year window, e.g. "2018-20"
    "quarter",  # a financial-year quarter, "2020-21 Q1"
    "month",
    "snapshot",  # a single date, e.g. 31 March 2020
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class PeriodError(ValueError):
    """A period label that cannot be read."""


@dataclass(frozen=True, order=True)
class PeriodSpec:
    """A typed period; ordering is by end date, then start date."""

    end: dt.date
    start: dt.date
    type: str

    @property
    def sort_key(self) -> int:
        """`yyyymmdd` of the end date, for ordering in SQL."""
        return self.end.year * 10_000 + self.end.month * 100 + self.end.day

    @property
    def label(self) -> str:
        """The short label used in tables and chart axes."""
        s, e = self.start, self.end
        if self.type in ("reporting_year", "calendar_year"):
            return str(e.year)
        if self.type == "financial_year":
            return f"{s.year}-{e.year % 100:02d}"
        if self.type == "academic_year":
            return f"{s.year}/{e.year % 100:02d}"
        if self.type == "quarter":
            fy_start = s.year if s.month >= 4 else s.year - 1
            q = ((s.month - 4) % 12) // 3 + 1
            return f"{fy_start}-{(fy_start + 1) % 100:02d} Q{q}"
        if self.type == "month":
            return f"{MONTHS[s.month - 1]} {s.year}"
        if self.type == "snapshot":
            return f"{e.day} {MONTHS[e.month - 1]} {e.year}"
        if self.type == "rolling":
            if s.month == 1:
                return f"{s.year}-{e.year % 100:02d}"
            return f"{s.year}/{(s.year + 1) % 100:02d}-{(e.year - 1) % 100:02d}/{e.year % 100:02d}"
        raise PeriodError(f"unknown period type {self.type!r}")

    def describe(self) -> str:
        """Words for a sentence: "in the year to 31 March 2020", "at 31 March 2021"."""
        e = self.end
        long_end = f"{e.day} {calendar.month_name[e.month]} {e.year}"
        if self.type == "reporting_year":
            return f"in the year to {long_end}"
        if self.type == "financial_year":
            return f"in {self.label}"
        if self.type == "academic_year":
            return f"in the {self.label} academic year"
        if self.type == "calendar_year":
            return f"in {e.year}"
        if self.type == "rolling":
            return f"over {self.label}"
        if self.type == "quarter":
            return f"in the quarter to {long_end}"
        if self.type == "month":
            return f"in {calendar.month_name[e.month]} {e.year}"
        return f"at {long_end}"


def _year_to_march(end_year: int) -> PeriodSpec:
    return PeriodSpec(dt.date(end_year, 3, 31), dt.date(end_year - 1, 4, 1), "reporting_year")


def financial_year(start_year: int) -> PeriodSpec:
    """April `start_year` to March of the next year."""
    return PeriodSpec(dt.date(start_year + 1, 3, 31), dt.date(start_year, 4, 1), "financial_year")


def academic_year(start_year: int) -> PeriodSpec:
    """September `start_year` to August of the next year."""
    return PeriodSpec(dt.date(start_year + 1, 8, 31), dt.date(start_year, 9, 1), "academic_year")


def snapshot(day: dt.date) -> PeriodSpec:
    """A single date."""
    return PeriodSpec(day, day, "snapshot")


def month(year: int, month_number: int) -> PeriodSpec:
    """A calendar month."""
    last = calendar.monthrange(year, month_number)[1]
    return PeriodSpec(dt.date(year, month_number, last), dt.date(year, month_number, 1), "month")


def quarter(fy_start_year: int, q: int) -> PeriodSpec:
    """Quarter `q` (1-4) of the financial year starting April `fy_start_year`."""
    if q not in (1, 2, 3, 4):
        raise PeriodError(f"quarter must be 1 to 4, not {q}")
    first_month = 4 + 3 * (q - 1)
    year = fy_start_year + (first_month - 1) // 12
    m = (first_month - 1) % 12 + 1
    end_m = m + 2
    last = calendar.monthrange(year, end_m)[1]
    return PeriodSpec(dt.date(year, end_m, last), dt.date(year, m, 1), "quarter")


# How a bare year ("2020") is read, by the kind of year a measure is published for.
YEAR_KINDS = {
    "reporting_year": _year_to_march,
    "snapshot_31_march": lambda y: snapshot(dt.date(y, 3, 31)),
    "snapshot_30_september": lambda y: snapshot(dt.date(y, 9, 30)),
    "january": lambda y: month(y, 1),
    "academic_year": lambda y: academic_year(y - 1),
    "financial_year": lambda y: financial_year(y - 1),
    "calendar_year": lambda y: PeriodSpec(dt.date(y, 12, 31), dt.date(y, 1, 1), "calendar_year"),
}

# LAIT's dictionary `Year_Type` -> how its bare years are read.
LAIT_YEAR_TYPES = {
    "Financial Year": "reporting_year",
    "Annual": "snapshot_31_march",
    "Annual (end of Sept)": "snapshot_30_september",
    "Annual - January": "january",
    "Academic Year": "academic_year",
    "Calendar Year": "calendar_year",
}

_STATUS_SUFFIX = {
    "final": "final",
    "rev": "revised",
    "revised": "revised",
    "prov": "provisional",
    "provisional": "provisional",
    "ot": "final",  # outturn
}

_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<tag>[A-Za-z]+)\)\s*$")
_YEAR = re.compile(r"^(?P<y>(19|20)\d\d)$")
_SPAN = re.compile(r"^(?P<a>(19|20)\d\d)-(?P<b>\d\d)$")
_SLASH = re.compile(r"^(?P<a>(19|20)\d\d)/(?P<b>\d\d)$")
_SLASH_SPAN = re.compile(r"^(?P<a>(19|20)\d\d)/(?P<a2>\d\d)-(?P<b>\d\d)/(?P<b2>\d\d)$")


def _two_digit(first_year: int, yy: str) -> int:
    century = first_year - first_year % 100
    year = century + int(yy)
    if year < first_year:
        year += 100
    if year - first_year > 10:
        raise PeriodError(f"{first_year}-{yy} does not read as a span of years")
    return year


def parse_year_label(label: str, year_kind: str = "reporting_year") -> tuple[PeriodSpec, str]:
    """Read a LAIT or DfE year label into a period and a status.

    Args:
        label: e.g. `2020`, `2019-20`, `2018-20`, `2015/16`, `2013/14-15/16`, `2020 (Final)`.
        year_kind: how a bare year is read (a key of `YEAR_KINDS`).

    Returns:
        The period and the status the label implies (`final`, `revised`, `provisional`).

    Raises:
        PeriodError: when the label is not a period.
    """
    text = str(label).strip()
    status = "final"
    m = _SUFFIX.match(text)
    if m:
        tag = m.group("tag").lower()
        if tag not in _STATUS_SUFFIX:
            raise PeriodError(f"unknown status tag ({m.group('tag')}) in period label {label!r}")
        status = _STATUS_SUFFIX[tag]
        text = m.group("base")
    academic = year_kind == "academic_year"
    if m := _YEAR.match(text):
        if year_kind not in YEAR_KINDS:
            raise PeriodError(f"unknown year kind {year_kind!r}")
        return YEAR_KINDS[year_kind](int(m.group("y"))), status
    if m := _SPAN.match(text):
        a = int(m.group("a"))
        b = _two_digit(a, m.group("b"))
        if b == a + 1:
            return (academic_year(a) if academic else financial_year(a)), status
        if b > a + 1:
            return PeriodSpec(dt.date(b, 12, 31), dt.date(a, 1, 1), "rolling"), status
        raise PeriodError(f"period label {label!r} ends before it starts")
    if m := _SLASH.match(text):
        a = int(m.group("a"))
        if _two_digit(a, m.group("b")) != a + 1:
            raise PeriodError(f"period label {label!r} is not one year")
        return (financial_year(a) if year_kind == "reporting_year" else academic_year(a)), status
    if m := _SLASH_SPAN.match(text):
        a = int(m.group("a"))
        b_end = _two_digit(a, m.group("b2"))
        first = academic_year(a) if academic else financial_year(a)
        last = academic_year(b_end - 1) if academic else financial_year(b_end - 1)
        return PeriodSpec(last.end, first.start, "rolling"), status
    raise PeriodError(f"{label!r} is not a period label this dashboard can read")


_FY = re.compile(r"^(?P<a>(19|20)\d\d)-(?P<b>\d\d)$")
_FYQ = re.compile(r"^(?P<a>(19|20)\d\d)-(?P<b>\d\d)\s*Q(?P<q>[1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(?P<y>(19|20)\d\d)-(?P<m>\d\d)$")


def parse_local_period(period_type: str, label: str) -> PeriodSpec:
    """Read a partner's period (`financial_year` 2020-21, `quarter` 2020-21 Q1, `snapshot` date).

    Raises:
        PeriodError: naming what is wrong with the label.
    """
    text = str(label).strip()
    kind = period_type.strip().lower().replace(" ", "_")
    if kind == "financial_year":
        m = _FY.match(text)
        if not m or _two_digit(int(m.group("a")), m.group("b")) != int(m.group("a")) + 1:
            raise PeriodError(f"{label!r} is not a financial year such as 2020-21")
        return financial_year(int(m.group("a")))
    if kind == "quarter":
        m = _FYQ.match(text)
        if not m or _two_digit(int(m.group("a")), m.group("b")) != int(m.group("a")) + 1:
            raise PeriodError(f"{label!r} is not a financial-year quarter such as 2020-21 Q1")
        return quarter(int(m.group("a")), int(m.group("q")))
    if kind == "month":
        m = _MONTH.match(text)
        if not m or not 1 <= int(m.group("m")) <= 12:
            raise PeriodError(f"{label!r} is not a month such as 2020-04")
        return month(int(m.group("y")), int(m.group("m")))
    if kind in ("snapshot", "snapshot_date"):
        try:
            return snapshot(dt.date.fromisoformat(text))
        except ValueError:
            raise PeriodError(f"{label!r} is not a date such as 2021-03-31") from None
    if kind in ("reporting_year", "academic_year", "calendar_year"):
        return parse_year_label(text, kind)[0]
    raise PeriodError(f"{period_type!r} is not a period type this dashboard knows")


def every_period(first: dt.date, last: dt.date, period_type: str) -> list[PeriodSpec]:
    """Every month or financial-year quarter whose start lies from `first` to `last`.

    The trend chart's axis has a place for each one, so that a missing quarter shows as a gap
    instead of its neighbours being drawn side by side as if they were consecutive.

    Raises:
        PeriodError: for a type other than ``month`` or ``quarter``.
    """
    if period_type not in ("month", "quarter"):
        raise PeriodError(f"every_period needs month or quarter, not {period_type!r}")
    step = 1 if period_type == "month" else 3
    out: list[PeriodSpec] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        if period_type == "month":
            out.append(month(y, m))
        else:
            out.append(quarter(y if m >= 4 else y - 1, ((m - 4) % 12) // 3 + 1))
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return out
