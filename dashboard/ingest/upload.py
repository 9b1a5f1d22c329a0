"""Partners' uploads: the template, reading CSV and XLSX, validation with a preview, and commit.

A partner officer downloads the template (`template_csv`, `template_xlsx`), fills in their
figures, and uploads the file. `validate_upload` reads it, checks every row against the store
and returns a `ValidationReport`: every problem with its row, column, value and a sentence, and
a preview of what would be inserted, updated (old -> new) and left alone. Nothing is stored.
`commit_upload` checks the same bytes again inside one transaction and writes them through the
common writer (earlier versions kept in history) with an audit row naming who loaded them, or
stores nothing at all.

The same two functions accept the published formats partners bring: Fingertips CSV downloads
(`dashboard.ingest.fingertips`) and NHS England Safeguarding Adults Collection CSVs
(`dashboard.ingest.sac`); the kind of file is recognised from its first row.

Rules and decisions (each has a test in tests/integration/test_upload.py):

- Rows are numbered as a spreadsheet numbers them: the header is row 1.
- A figure already stored as ``final`` (or ``revised``) may only be changed by a row whose status
  is ``revised`` - an explicit correction. Changing only the note is allowed. Synthetic demo
  values may always be replaced by real ones. ``provisional`` figures may be replaced freely.
- A blank status means ``final``, as in the partnership's own files.
- A contributor may upload only for indicators whose owner is their agency, and may declare new
  indicators only for their agency; indicators without an owner (the national ones) only admins.
- In the template every unknown indicator or area is a problem. In published downloads
  (Fingertips, SAC), rows for indicators the mapping does not cover or for areas the dashboard
  does not hold (districts, health geographies) are skipped and counted in the preview.
- Cells are never evaluated: a formula such as ``=HYPERLINK(...)`` is read as its text, so it
  is stored as text in a note or refused as "not a number" in a number column. In XLSX, a number
  cell formatted as a percentage (0.125 shown as 12.5%) is read as 12.5.
- Files over 10 MB (or XLSX files that unzip to over 100 MB) are refused before they are read.
- A commit re-checks the file against the store as it is at that moment, under a lock that
  serialises uploads and rollbacks; given the preview's `token`, it also refuses when the
  stored figures changed since the preview was shown, so nobody commits a preview they did not
  see.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from dashboard.auth import CurrentUser, Forbidden, require
from dashboard.ingest.errors import LoadError, Problem
from dashboard.ingest.reference import upsert_indicators
from dashboard.ingest.writer import (
    VALUE_FIELDS,
    AreaLookup,
    normalise_batch,
    record_failure,
    resolve_keys,
    write_observations,
)
from dashboard.periods import MONTHS, PeriodError, PeriodSpec, parse_local_period
from dashboard.store.db import session_factory, session_scope
from dashboard.store.models import (
    Area,
    Breakdown,
    DataLoad,
    Indicator,
    Observation,
    Period,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 200_000
MAX_PROBLEMS = 1000

TEMPLATE_COLUMNS = ("indicator", "area_code", "period_type", "period", "value", "numerator",
                    "denominator", "status", "note")
REQUIRED_COLUMNS = ("indicator", "area_code", "period_type", "period", "value")
IGNORED_COLUMNS = ("area_name", "indicator_name", "unit")  # for people reading the file
INDICATOR_COLUMNS = ("code", "name", "domain", "theme", "unit", "polarity", "frequency",
                     "definition", "owner")
INDICATOR_REQUIRED = ("code", "name", "domain", "unit", "polarity", "frequency")
DATA_SHEET = "Data"
INDICATOR_SHEET = "New indicators"
GUIDANCE_SHEET = "Guidance"

PERIOD_TYPES = ("month", "quarter", "financial_year", "snapshot")
OTHER_PERIOD_TYPES = ("reporting_year", "calendar_year", "academic_year")
STATUSES = ("final", "provisional", "revised")
FINAL_STATUSES = ("final", "revised")
SYMBOLS = ("c", "k", "u", "x", "z", "low", "[c]", "[x]", "[z]", "[k]", "[u]", "[low]")
DOMAINS = ("children", "adults", "partnership")
UNITS = ("percent", "rate", "number", "ratio", "score", "days")
UNIT_ALIASES = {"count": "number", "%": "percent", "percentage": "percent"}
POLARITIES = ("high", "low", "none", "target_band")
FREQUENCIES = ("monthly", "quarterly", "annual")
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,79}$")
# How an indicator's stored `period_type` (a YEAR_KINDS key for national measures) names the
# type of period its observations carry.
PERIOD_TYPE_OF = {"snapshot_31_march": "snapshot", "snapshot_30_september": "snapshot",
                  "january": "month"}
LOCK_KEY = 5_120_001  # PostgreSQL advisory lock shared by uploads and rollbacks


# ---------------------------------------------------------------- the parsed file


@dataclass(frozen=True)
class UploadRow:
    """One figure read from a file, before it is checked against the store."""

    row: int
    indicator: str
    area: str
    period: PeriodSpec
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    status: str = "final"
    suppression: str | None = None
    note: str | None = None
    dimension: str = "all"
    category: str = "all"
    value_text: str = ""
    period_text: str = ""


@dataclass(frozen=True)
class IndicatorDeclaration:
    """A local indicator declared in the upload (or by an importer's mapping)."""

    row: int
    code: str
    name: str
    domain: str
    theme: str | None
    unit: str
    polarity: str
    frequency: str
    definition: str | None
    owner: str | None
    unit_label: str | None = None
    multiplier: float | None = None
    decimals: int | None = None
    period_type: str | None = None
    source: str | None = None
    create_only: bool = False  # mappings create missing indicators but never change them

    def record(self, owner: str | None) -> dict[str, Any]:
        """Fields for `upsert_indicators`."""
        unit_label = self.unit_label or ("%" if self.unit == "percent" else None)
        multiplier = self.multiplier or (100.0 if self.unit == "percent" else None)
        decimals = self.decimals if self.decimals is not None else (
            0 if self.unit == "number" else 1)
        return {"code": self.code, "name": self.name, "short_name": self.name,
                "domain": self.domain, "theme": self.theme, "unit": self.unit,
                "unit_label": unit_label, "multiplier": multiplier, "decimals": decimals,
                "polarity": self.polarity, "frequency": self.frequency,
                "period_type": self.period_type, "definition": self.definition,
                "owner": owner, "source": self.source or f"Uploaded by {owner or 'an admin'}",
                "banded": False}


COMPARED_FIELDS = ("name", "domain", "theme", "unit", "polarity", "frequency", "definition",
                   "owner")


@dataclass
class ParsedFile:
    """What a file holds, with the problems that need no database to find."""

    kind: str  # upload | indicators | fingertips | sac
    file_name: str
    format: str  # csv | xlsx
    rows: list[UploadRow] = field(default_factory=list)
    indicators: list[IndicatorDeclaration] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    strict: bool = True  # unknown indicators and areas are problems, not skips

    def problem(self, row: int | None, column: str | None, value: object, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.file_name, row, column,
                                     None if value is None else str(value), message))


@dataclass(frozen=True)
class Table:
    """A sheet as text: the header and each data row with its spreadsheet row number."""

    header: list[str]
    rows: list[tuple[int, list[str]]]

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Rows as dicts keyed by the header as written."""
        width = len(self.header)
        return [(n, dict(zip(self.header, [*cells, *[""] * (width - len(cells))], strict=False)))
                for n, cells in self.rows]


# ---------------------------------------------------------------- the preview and report


@dataclass(frozen=True)
class PlannedRow:
    """What a commit would do with one row."""

    row: int
    action: str  # insert | update | unchanged
    indicator: str
    area: str
    period: str
    period_type: str
    breakdown: str
    new: dict[str, Any]
    old: dict[str, Any] | None = None
    old_load_id: int | None = None

    def change(self) -> str:
        """"1,111 -> 1,106" for an update, the new value otherwise."""
        new = _show(self.new.get("value"), self.new.get("suppression"))
        if self.old is None:
            return new
        return f"{_show(self.old.get('value'), self.old.get('suppression'))} -> {new}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields for a preview table."""
        return {"row": self.row, "action": self.action, "indicator": self.indicator,
                "area": self.area, "period": self.period, "period_type": self.period_type,
                "breakdown": self.breakdown, "change": self.change(),
                "new": _json_values(self.new),
                "old": _json_values(self.old) if self.old else None,
                "old_load_id": self.old_load_id}


@dataclass(frozen=True)
class Preview:
    """What a commit would insert, update and leave alone."""

    rows: list[PlannedRow]
    indicators_new: list[str] = field(default_factory=list)
    indicators_updated: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def of(self, action: str) -> list[PlannedRow]:
        """The rows with one action."""
        return [r for r in self.rows if r.action == action]

    @property
    def counts(self) -> dict[str, int]:
        """Rows to insert, update, leave alone, and rows skipped."""
        c = Counter(r.action for r in self.rows)
        return {"insert": c["insert"], "update": c["update"], "unchanged": c["unchanged"],
                "skipped": sum(self.skipped.values())}

    def token(self, checksum: str) -> str:
        """A digest of the plan: a commit with this token refuses if the plan has changed."""
        body = json.dumps([checksum, [r.to_dict() for r in self.rows], self.indicators_new,
                           self.indicators_updated], sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ValidationReport:
    """The result of checking a file: every problem, and the preview when there are none."""

    file_name: str
    checksum: str
    kind: str
    format: str
    size: int
    rows_read: int
    problems: list[Problem]
    preview: Preview | None
    token: str | None

    @property
    def ok(self) -> bool:
        """Whether the file can be committed."""
        return not self.problems

    def summary(self) -> str:
        """One sentence for the page or the terminal."""
        if self.problems:
            n = len(self.problems)
            return (f"{self.file_name}: {n} problem{'s' if n != 1 else ''} to fix; nothing "
                    "has been stored.")
        assert self.preview is not None
        c = self.preview.counts
        text = (f"{self.file_name}: {self.rows_read} rows read; {c['insert']} to add, "
                f"{c['update']} to update, {c['unchanged']} unchanged")
        if c["skipped"]:
            text += f", {c['skipped']} skipped"
        if self.preview.indicators_new:
            text += f"; {len(self.preview.indicators_new)} new indicator(s)"
        return text + ". Nothing is stored until you commit."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report (for the upload route and a dcc.Store)."""
        return {
            "file_name": self.file_name, "checksum": self.checksum, "kind": self.kind,
            "format": self.format, "size": self.size, "rows_read": self.rows_read,
            "ok": self.ok, "summary": self.summary(), "token": self.token,
            "problems": [problem_dict(p) for p in self.problems],
            "preview": None if self.preview is None else {
                "counts": self.preview.counts,
                "indicators_new": self.preview.indicators_new,
                "indicators_updated": self.preview.indicators_updated,
                "skipped": self.preview.skipped,
                "rows": [r.to_dict() for r in self.preview.rows],
            },
        }


@dataclass(frozen=True)
class CommitResult:
    """What a committed upload did."""

    load_id: int
    file_name: str
    checksum: str
    kind: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    skipped: int
    indicators_created: list[str]
    indicators_updated: list[str]

    def summary(self) -> str:
        """One sentence for the page or the terminal."""
        text = (f"Load {self.load_id} ({self.file_name}): {self.inserted} added, "
                f"{self.updated} updated, {self.unchanged} unchanged")
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.indicators_created:
            text += f"; new indicators {', '.join(self.indicators_created)}"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {**{k: getattr(self, k) for k in (
            "load_id", "file_name", "checksum", "kind", "rows_read", "inserted", "updated",
            "unchanged", "skipped", "indicators_created", "indicators_updated")},
            "summary": self.summary()}


def problem_dict(p: Problem) -> dict[str, Any]:
    """A problem as JSON-ready fields, with the sentence the UI shows."""
    return {"file": p.file, "row": p.row, "column": p.column, "value": p.value,
            "message": p.message, "text": str(p)}


def _show(value: Any, suppression: Any = None) -> str:
    if value is None:
        return str(suppression) if suppression else "(blank)"
    v = float(value)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.1f}"


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (bool(v) if k == "synthetic" else v) for k, v in values.items()}


# ---------------------------------------------------------------- reading files


class FileRefused(Exception):
    """The file cannot be read at all (too big, wrong type, not a workbook)."""


def safe_file_name(name: str) -> str:
    """The file's own name (browsers may send a full path), without control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "upload"


def file_format(file_name: str) -> str:
    """``csv`` or ``xlsx`` from the name; raises `FileRefused` for anything else."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods"):
        raise FileRefused(f"{suffix} files are not accepted: save the workbook as Excel "
                          "Workbook (.xlsx) or CSV, without macros, and upload that")
    raise FileRefused("only CSV (.csv) and Excel (.xlsx) files are accepted")


def read_csv_table(content: bytes) -> Table:
    """A CSV file as text (UTF-8, with or without BOM, or Windows-1252 as Excel saves it)."""
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = content.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(decoded, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for n, cells in enumerate(reader, start=1):
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((n, cells))
        if len(rows) > MAX_ROWS:
            raise FileRefused(f"the file has more than {MAX_ROWS:,} rows; split it")
    return Table(header or [], rows)


def _cell_text(value: Any, number_format: str | None) -> str:
    # Cells become the text a person sees, never a computed result: a formula is its text.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        number = float(value)
        if number_format and "%" in number_format:
            number = round(number * 100, 10)
        if not math.isfinite(number):
            return str(number)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str):
        return value
    return str(getattr(value, "text", None) or value)  # array formulas and the like


def read_xlsx_tables(content: bytes) -> dict[str, Table]:
    """Each sheet of a workbook as text, refusing zip bombs and non-workbooks."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            unzipped = sum(i.file_size for i in z.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                raise FileRefused("the workbook unpacks to more than 100 MB; save it again "
                                  "with only the data sheets")
            if any(i.filename.lower().endswith("vbaproject.bin") for i in z.infolist()):
                raise FileRefused("the workbook contains macros: save it as .xlsx without "
                                  "macros")
    except zipfile.BadZipFile:
        raise FileRefused("the file is not an Excel .xlsx workbook (it may be an old .xls "
                          "renamed, or damaged)") from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many types for damaged files
        raise FileRefused(f"the workbook could not be read ({type(err).__name__})") from None
    tables: dict[str, Table] = {}
    try:
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some writers record a wrong used range; read every row
            header: list[str] | None = None
            rows: list[tuple[int, list[str]]] = []
            for n, cells in enumerate(ws.iter_rows(), start=1):
                texts = [_cell_text(getattr(c, "value", None), getattr(c, "number_format", None))
                         for c in cells]
                if header is None:
                    if not any(t.strip() for t in texts):
                        continue
                    header = [t.strip() for t in texts]
                    while header and not header[-1]:
                        header.pop()
                    continue
                if not any(t.strip() for t in texts):
                    continue
                rows.append((n, texts))
                if len(rows) > MAX_ROWS:
                    raise FileRefused(f"the sheet {ws.title!r} has more than {MAX_ROWS:,} rows")
            tables[ws.title] = Table(header or [], rows)
    finally:
        wb.close()
    return tables


def _norm(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _clean_text(value: str) -> str:
    # Plain text only: keep line breaks and tabs, drop other control characters.
    return "".join(ch for ch in value if ch.isprintable() or ch in "\n\t").strip()


def parse_number(text: str) -> float | None:
    """A finite number from a cell ("1,234", "12.5", "12.5%"), or None if it is not one."""
    t = text.strip().replace(",", "").replace("\u00a0", "")
    if t.endswith("%"):
        t = t[:-1].strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", t):
        return None
    number = float(t)
    return number if math.isfinite(number) else None


def parse_period(period_type: str, label: str) -> PeriodSpec:
    """A partner's period, a little more forgiving than `parse_local_period`.

    Months may also be written ``Apr 2020``, ``April 2020`` or as the first day of the month
    (what Excel makes of ``2020-04``); snapshot dates may be ``31/03/2021``.

    Raises:
        PeriodError: naming what is wrong.
    """
    kind = period_type.strip().lower().replace(" ", "_").replace("-", "_")
    if kind not in PERIOD_TYPES + OTHER_PERIOD_TYPES + ("snapshot_date",):
        raise PeriodError(f"{period_type!r} is not a period type: use one of "
                          f"{', '.join(PERIOD_TYPES)}")
    text_ = label.strip()
    if kind == "month":
        if m := re.fullmatch(r"((19|20)\d\d)-(\d\d)-01", text_):
            text_ = f"{m.group(1)}-{m.group(3)}"
        elif m := re.fullmatch(r"([A-Za-z]{3,9})\.?\s+((19|20)\d\d)", text_):
            names = {n.lower(): i for i, n in enumerate(MONTHS, start=1)}
            number = names.get(m.group(1)[:3].lower())
            if number:
                text_ = f"{m.group(2)}-{number:02d}"
    if kind in ("snapshot", "snapshot_date") and (
            m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/((19|20)\d\d)", text_)):
        text_ = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return parse_local_period(kind, text_)


def checksum_of(content: bytes) -> str:
    """SHA-256 of the uploaded bytes, recorded with the load."""
    return hashlib.sha256(content).hexdigest()


def parse_upload(content: bytes, file_name: str) -> ParsedFile:
    """Read an upload (template CSV/XLSX, indicator CSV, Fingertips or SAC CSV).

    Problems that need no database (columns, numbers, periods, statuses, numerator above
    denominator) are listed in the result; nothing is raised for bad content.
    """
    name = safe_file_name(file_name)
    try:
        fmt = file_format(name)
    except FileRefused as err:
        return _refused(name, "", str(err))
    if len(content) > MAX_BYTES:
        return _refused(name, fmt, f"the file is {len(content) / 1_048_576:.1f} MB; the limit "
                                   f"is {MAX_BYTES // 1_048_576} MB. Split it into smaller files")
    if not content.strip():
        return _refused(name, fmt, "the file is empty")
    try:
        if fmt == "csv":
            tables = {DATA_SHEET: read_csv_table(content)}
        else:
            tables = read_xlsx_tables(content)
    except FileRefused as err:
        return _refused(name, fmt, str(err))
    return parse_tables(tables, name, fmt)


def _refused(name: str, fmt: str, message: str) -> ParsedFile:
    parsed = ParsedFile("upload", name, fmt)
    parsed.problem(None, None, None, message)
    return parsed


def parse_tables(tables: dict[str, Table], name: str, fmt: str) -> ParsedFile:
    """Recognise the kind of file from its first row and read it."""
    from dashboard.ingest import fingertips, sac

    by_lower = {t.strip().lower(): t for t in tables}
    data_name = by_lower.get(DATA_SHEET.lower()) or next(
        (t for t in tables if t.strip().lower() not in (INDICATOR_SHEET.lower(),
                                                        GUIDANCE_SHEET.lower())), None)
    ind_name = by_lower.get(INDICATOR_SHEET.lower())
    data = tables.get(data_name) if data_name else None
    header = data.header if data else []
    normalised = {_norm(h) for h in header}
    if data is not None and fingertips.is_fingertips(header):
        parsed = fingertips.parse_fingertips(data, name, fmt)
    elif data is not None and sac.is_sac(header):
        parsed = sac.parse_sac(data, name, fmt)
    elif data is not None and {"code", "name", "polarity"} <= normalised:
        parsed = ParsedFile("indicators", name, fmt)
        parsed.indicators = _parse_indicators(data, parsed)
    elif data is not None and {"indicator", "area_code"} <= normalised:
        parsed = ParsedFile("upload", name, fmt)
        _parse_template_rows(data, parsed)
    elif data is None or not header:
        parsed = ParsedFile("upload", name, fmt)
        parsed.problem(1, None, None, "the file has no header row: start from the template")
    else:
        parsed = ParsedFile("upload", name, fmt)
        hint = " (the file seems to use semicolons: save it as comma-separated CSV)" if (
            len(header) == 1 and ";" in header[0]) else ""
        parsed.problem(1, None, ", ".join(header)[:200],
                       "the first row is not the template's column names ("
                       + ", ".join(TEMPLATE_COLUMNS) + f"){hint}")
    if ind_name is not None and parsed.kind == "upload":
        parsed.indicators = _parse_indicators(tables[ind_name], parsed, sheet=ind_name)
    return parsed


def _columns(table: Table, parsed: ParsedFile, known: Sequence[str], required: Sequence[str],
             sheet: str | None = None) -> dict[str, int] | None:
    where = f" on the sheet {sheet!r}" if sheet else ""
    before = len(parsed.problems)
    index: dict[str, int] = {}
    for i, h in enumerate(table.header):
        key = _norm(h)
        if not key:
            continue
        if key in index:
            parsed.problem(1, h, None, f"the column appears twice{where}")
        elif key not in known and key not in IGNORED_COLUMNS:
            parsed.problem(1, h, None, f"unknown column{where}: the template's columns are "
                                       + ", ".join(known))
        index[key] = i
    for col in required:
        if col not in index:
            parsed.problem(1, col, None, f"a required column is missing{where}")
    return None if len(parsed.problems) > before else index


def _get(cells: list[str], index: dict[str, int], col: str) -> str:
    i = index.get(col)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _parse_template_rows(table: Table, parsed: ParsedFile) -> None:
    index = _columns(table, parsed, TEMPLATE_COLUMNS, REQUIRED_COLUMNS)
    if index is None:
        return
    parsed.rows_read = len(table.rows)
    for n, cells in table.rows:
        row = read_template_row(n, {c: _get(cells, index, c) for c in TEMPLATE_COLUMNS}, parsed)
        if row is not None:
            parsed.rows.append(row)


def read_value(n: int, column: str, raw: str, parsed: ParsedFile, *,
               symbols: bool = True) -> tuple[float | None, str | None, bool]:
    """A number cell: (number, suppression symbol, ok)."""
    if not raw:
        return None, None, True
    number = parse_number(raw)
    if number is not None:
        return number, None, True
    if symbols and raw.lower() in SYMBOLS:
        return None, raw.lower(), True
    what = "a number or a suppression symbol such as [c]" if symbols else "a number"
    parsed.problem(n, column, raw, f"text in a number column: this should be {what}")
    return None, None, False


def read_template_row(n: int, r: dict[str, str], parsed: ParsedFile) -> UploadRow | None:
    """Check one template row's own cells; returns None when it cannot be read."""
    for col in ("indicator", "area_code", "period_type", "period"):
        if not r[col]:
            parsed.problem(n, col, None, "this cell is empty and must be filled in")
    period: PeriodSpec | None = None
    if r["period_type"] and r["period"]:
        try:
            period = parse_period(r["period_type"], r["period"])
        except PeriodError as err:
            column = "period_type" if "period type" in str(err) else "period"
            parsed.problem(n, column, r[column], f"unparseable period: {err}")
    value, suppression, value_ok = read_value(n, "value", r["value"], parsed)
    if not r["value"]:
        parsed.problem(n, "value", None, "the value is empty: give a number, or a suppression "
                                         "symbol such as [c] for a figure withheld")
    nums: dict[str, float | None] = {}
    for col in ("numerator", "denominator"):
        nums[col], _sym, _ok = read_value(n, col, r[col], parsed)
    num, den = nums["numerator"], nums["denominator"]
    if num is not None and den is not None and num > den:
        parsed.problem(n, "numerator", r["numerator"],
                       f"the numerator is greater than the denominator ({r['denominator']})")
    for col, number in (("numerator", num), ("denominator", den)):
        if number is not None and number < 0:
            parsed.problem(n, col, r[col], f"a {col} cannot be negative")
    status = (r["status"] or "final").lower()
    if status not in STATUSES:
        parsed.problem(n, "status", r["status"],
                       "status must be final, provisional or revised (a correction)")
    # A row with problems of its own still goes through the store's checks (so that every
    # problem is reported at once) unless its period or value cannot be read at all; a file
    # with any problem is never written.
    if period is None or not value_ok or not r["value"] or not r["indicator"] or not (
            r["area_code"]):
        return None
    return UploadRow(row=n, indicator=r["indicator"], area=r["area_code"].upper(),
                     period=period, value=value, numerator=num, denominator=den,
                     status=status, suppression=suppression,
                     note=_clean_text(r["note"])[:2000] or None,
                     value_text=r["value"], period_text=r["period"])


def _parse_indicators(table: Table, parsed: ParsedFile,
                      sheet: str | None = None) -> list[IndicatorDeclaration]:
    index = _columns(table, parsed, INDICATOR_COLUMNS, INDICATOR_REQUIRED, sheet)
    if index is None:
        return []
    where = f" (sheet {sheet!r})" if sheet else ""
    out: list[IndicatorDeclaration] = []
    seen: dict[str, int] = {}
    for n, cells in table.rows:
        r = {c: _clean_text(_get(cells, index, c)) for c in INDICATOR_COLUMNS}
        before = len(parsed.problems)
        for col in INDICATOR_REQUIRED:
            if not r[col]:
                parsed.problem(n, col, None, f"this cell is empty and must be filled in{where}")
        code = r["code"]
        if code and not CODE.match(code):
            parsed.problem(n, "code", code, "an indicator code is 3-80 letters, digits or "
                                            f"underscores, starting with a letter{where}")
        if code in seen:
            parsed.problem(n, "code", code, f"this indicator is declared twice (also row "
                                            f"{seen[code]}){where}")
        unit = UNIT_ALIASES.get(r["unit"].lower(), r["unit"].lower())
        checks = (("domain", r["domain"].lower(), DOMAINS), ("unit", unit, UNITS),
                  ("polarity", r["polarity"].lower(), POLARITIES),
                  ("frequency", r["frequency"].lower(), FREQUENCIES))
        for col, val, allowed in checks:
            if r[col] and val not in allowed:
                parsed.problem(n, col, r[col], f"must be one of {', '.join(allowed)}{where}")
        if len(r["name"]) > 300:
            parsed.problem(n, "name", r["name"][:40] + "...", "a name can have at most 300 "
                                                               "characters")
        if len(parsed.problems) > before:
            continue
        seen[code] = n
        out.append(IndicatorDeclaration(
            row=n, code=code, name=r["name"], domain=r["domain"].lower(),
            theme=r["theme"] or None, unit=unit, polarity=r["polarity"].lower(),
            frequency=r["frequency"].lower(), definition=r["definition"] or None,
            owner=" ".join(r["owner"].split()) or None))
    return out


# ---------------------------------------------------------------- checking against the store


@dataclass(frozen=True)
class _Meta:
    id: int | None
    code: str
    unit: str
    owner: str | None
    period_type: str | None
    fields: dict[str, Any]


@dataclass
class _Checked:
    problems: list[Problem]
    preview: Preview
    rows: list[tuple[UploadRow, str]]  # rows to write, with the canonical area code
    owners: dict[str, str | None]  # declared indicator code -> owner to store


def _indicator_meta(session: Session, codes: Iterable[str]) -> dict[str, _Meta]:
    wanted = sorted(set(codes))
    out: dict[str, _Meta] = {}
    for i in range(0, len(wanted), 500):
        for ind in session.scalars(select(Indicator).where(Indicator.code.in_(wanted[i:i + 500]))):
            out[ind.code] = _Meta(ind.id, ind.code, ind.unit, ind.owner, ind.period_type,
                                  {f: getattr(ind, f) for f in COMPARED_FIELDS})
    return out


def _stored(session: Session, indicator_ids: set[int],
            area_ids: set[int]) -> dict[tuple[Any, ...], dict[str, Any]]:
    if not indicator_ids or not area_ids:
        return {}
    cols = [Observation.indicator_id, Observation.area_id, Period.type, Period.start,
            Period.end, Breakdown.dimension, Breakdown.category, Observation.load_id,
            *(getattr(Observation, f) for f in VALUE_FIELDS)]
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    ids = sorted(indicator_ids)
    areas = sorted(area_ids)
    for i in range(0, len(ids), 200):
        for j in range(0, len(areas), 500):
            q = (select(*cols).join(Period, Period.id == Observation.period_id)
                 .join(Breakdown, Breakdown.id == Observation.breakdown_id)
                 .where(Observation.indicator_id.in_(ids[i:i + 200]),
                        Observation.area_id.in_(areas[j:j + 500])))
            for r in session.execute(q):
                key = (r.indicator_id, r.area_id, r.type, r.start, r.end, r.dimension,
                       r.category)
                out[key] = {"load_id": r.load_id, **{f: getattr(r, f) for f in VALUE_FIELDS}}
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def _new_values(r: UploadRow) -> dict[str, Any]:
    return {"value": r.value, "numerator": r.numerator, "denominator": r.denominator,
            "ci_lower": r.ci_lower, "ci_upper": r.ci_upper, "status": r.status,
            "suppression": r.suppression, "note": r.note, "synthetic": False}


def _period_matches(meta: _Meta, period: PeriodSpec) -> bool:
    if not meta.period_type:
        return True
    expected = PERIOD_TYPE_OF.get(meta.period_type, meta.period_type)
    return expected == period.type


def check_against_store(session: Session, parsed: ParsedFile, user: CurrentUser,
                        today: dt.date | None = None) -> _Checked:
    """Every rule that needs the store; returns the problems and the plan."""
    today = today or dt.date.today()
    name = parsed.file_name
    problems: list[Problem] = list(parsed.problems)

    def problem(row: int | None, column: str | None, value: object, message: str) -> None:
        problems.append(Problem(name, row, column, None if value is None else str(value),
                                message))

    declared = {d.code: d for d in parsed.indicators}
    meta = _indicator_meta(session, [*declared, *(r.indicator for r in parsed.rows)])
    owners: dict[str, str | None] = {}
    new_codes: list[str] = []
    updated_codes: list[str] = []
    for d in parsed.indicators:
        existing = meta.get(d.code)
        if d.create_only:
            if existing is None:
                new_codes.append(d.code)
                owners[d.code] = d.owner
            continue
        owner = d.owner if d.owner or user.is_admin else user.agency
        if not user.may_upload_for(owner) and not (user.is_admin and owner is None):
            problem(d.row, "owner", d.owner or "(blank)",
                    f"you can declare indicators only for your own agency ({user.agency or '-'})")
            continue
        owners[d.code] = owner
        if existing is None:
            new_codes.append(d.code)
            continue
        wanted = {**d.record(owner)}
        if all(_same(existing.fields.get(f), wanted.get(f)) for f in COMPARED_FIELDS):
            continue
        if not user.may_upload_for(existing.owner):
            problem(d.row, "code", d.code,
                    "this indicator already exists and belongs to "
                    f"{existing.owner or 'the national catalogue'}; ask an admin to change it")
            continue
        updated_codes.append(d.code)
    for code in new_codes:
        d = declared[code]
        rec = d.record(owners[code])
        meta[code] = _Meta(None, code, d.unit, owners[code], d.period_type, rec)
    for code in updated_codes:
        d = declared[code]
        before_meta = meta[code]
        meta[code] = _Meta(before_meta.id, code, d.unit, owners[code], before_meta.period_type,
                           d.record(owners[code]))

    lookup = AreaLookup(session)
    codes_by_id: dict[int, str] = {
        r[0]: r[1] for r in session.execute(select(Area.id, Area.code))}
    seen: dict[tuple[Any, ...], int] = {}
    candidates: list[tuple[UploadRow, _Meta, int]] = []
    skipped: Counter[str] = Counter(parsed.skipped)
    for r in parsed.rows:
        m = meta.get(r.indicator)
        if m is None:
            if parsed.strict:
                problem(r.row, "indicator", r.indicator,
                        "unknown indicator: this code is not in the catalogue (check the "
                        "spelling, or declare it on the 'New indicators' sheet)")
            else:
                skipped[f"indicator {r.indicator} is not in the catalogue"] += 1
            continue
        area_id = lookup.get(r.area)
        if area_id is None:
            if parsed.strict:
                problem(r.row, "area_code", r.area, "unknown area: use the ONS code of a local "
                                                    "authority, region or England, such as "
                                                    "E06000033")
            else:
                skipped["areas this dashboard does not hold"] += 1
            continue
        before = len(problems)
        if not user.may_upload_for(m.owner):
            problem(r.row, "indicator", r.indicator,
                    f"you cannot upload this indicator: it belongs to "
                    f"{m.owner or 'the national catalogue (admins only)'}, and you contribute "
                    f"for {user.agency or 'no agency'}")
        if not _period_matches(m, r.period):
            expected = PERIOD_TYPE_OF.get(m.period_type or "", m.period_type)
            problem(r.row, "period_type", r.period.type,
                    f"{m.code} is reported by {expected}, not by {r.period.type}")
        if r.period.start > today:
            problem(r.row, "period", r.period_text or r.period.label,
                    f"period in the future: {r.period.label} starts after today")
        elif r.period.end > today:
            problem(r.row, "period", r.period_text or r.period.label,
                    f"period in the future: {r.period.label} has not ended yet "
                    f"(it ends on {r.period.end:%d %B %Y})")
        if r.value is not None and m.unit == "percent" and not 0 <= r.value <= 100:
            problem(r.row, "value", r.value_text or r.value,
                    "a percentage must be between 0 and 100"
                    + (" (over 100)" if r.value > 100 else ""))
        if r.value is not None and m.unit in ("number", "rate") and r.value < 0:
            problem(r.row, "value", r.value_text or r.value, f"a {m.unit} cannot be negative")
        file_key = (r.indicator, area_id, r.period, r.dimension, r.category)
        if file_key in seen:
            problem(r.row, None, None,
                    f"duplicate row: {r.indicator} for {r.area}, {r.period.label} already "
                    f"appears in row {seen[file_key]}")
        else:
            seen[file_key] = r.row
        if len(problems) == before:
            candidates.append((r, m, area_id))

    stored = _stored(session, {m.id for _, m, _ in candidates if m.id is not None},
                     {a for _, _, a in candidates})
    planned: list[PlannedRow] = []
    to_write: list[tuple[UploadRow, str]] = []
    for r, m, area_id in candidates:
        key = (m.id, area_id, r.period.type, r.period.start, r.period.end, r.dimension,
               r.category)
        old = stored.get(key) if m.id is not None else None
        new = _new_values(r)
        area_code = codes_by_id[area_id]
        breakdown = "all" if r.dimension == "all" else f"{r.dimension}: {r.category}"
        if old is None:
            action = "insert"
        elif all(_same(new[f], old[f]) for f in VALUE_FIELDS):
            action = "unchanged"
        else:
            action = "update"
            figures_change = any(not _same(new[f], old[f]) for f in (
                "value", "numerator", "denominator", "ci_lower", "ci_upper", "suppression"))
            downgrade = r.status == "provisional"
            if (old["status"] in FINAL_STATUSES and not old["synthetic"]
                    and (figures_change or downgrade) and r.status != "revised"):
                problem(r.row, "value", r.value_text or _show(r.value, r.suppression),
                        f"this would change a final figure already stored "
                        f"({_show(old['value'], old['suppression'])} -> "
                        f"{_show(r.value, r.suppression)}, from load {old['load_id']}). If it "
                        "is a correction, set status to revised")
                continue
        planned.append(PlannedRow(
            r.row, action, r.indicator, area_code, r.period.label, r.period.type, breakdown,
            {k: v for k, v in new.items() if k != "synthetic"},
            None if old is None else {k: old[k] for k in new if k != "synthetic"},
            None if old is None else old["load_id"]))
        to_write.append((r, area_code))
    if not parsed.rows and not parsed.indicators and not problems:
        problem(None, None, None, "the file has no rows of figures below its header")
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    if len(problems) > MAX_PROBLEMS:
        extra = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS],
                    Problem(name, None, None, None,
                            f"... and {extra:,} more problems not listed: fix these and check "
                            "the file again")]
    preview = Preview(planned, new_codes, updated_codes, dict(skipped))
    return _Checked(problems, preview, to_write, owners)


def _require_uploader(user: CurrentUser | None) -> CurrentUser:
    user = require(user, "contributor")
    if not user.is_admin and not user.agency:
        raise Forbidden("Your account has no agency, so there are no indicators you can upload "
                        "for; ask an admin.")
    return user


def validate_upload(engine: Engine, content: bytes, filename: str, user: CurrentUser | None,
                    *, today: dt.date | None = None) -> ValidationReport:
    """Check an upload and preview what a commit would do; nothing is stored.

    Args:
        engine: the store.
        content: the file's bytes (CSV or XLSX; template, Fingertips or SAC layout).
        filename: the name the user gave it (its suffix decides CSV or XLSX).
        user: the signed-in user (contributor or admin).
        today: the date for the "period in the future" rule (default: today).

    Raises:
        AuthError: the user may not upload at all.
    """
    user = _require_uploader(user)
    checksum = checksum_of(content)
    parsed = parse_upload(content, filename)
    if parsed.problems and not parsed.rows and not parsed.indicators:
        return ValidationReport(parsed.file_name, checksum, parsed.kind, parsed.format,
                                len(content), parsed.rows_read, parsed.problems, None, None)
    with session_factory(engine)() as s:
        try:
            checked = check_against_store(s, parsed, user, today)
        finally:
            s.rollback()
    ok = not checked.problems
    return ValidationReport(parsed.file_name, checksum, parsed.kind, parsed.format,
                            len(content), parsed.rows_read, checked.problems,
                            checked.preview if ok else None,
                            checked.preview.token(checksum) if ok else None)


def serialise_writes(session: Session) -> None:
    """Take the store's write lock for this transaction (uploads and rollbacks queue on it).

    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write as the first statement,
    so the transaction holds SQLite's single write lock (waiting up to the busy timeout)
    before it reads anything it will compare against.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        session.execute(text("UPDATE data_loads SET id = id WHERE id = -1"))


def commit_upload(engine: Engine, content: bytes, filename: str, user: CurrentUser | None, *,
                  expected_token: str | None = None,
                  today: dt.date | None = None) -> CommitResult:
    """Check an upload again and store it in one transaction: every row or none.

    Args:
        engine: the store.
        content: the file's bytes.
        filename: the name the user gave it.
        user: the signed-in contributor or admin; recorded as who loaded it.
        expected_token: the `ValidationReport.token` the user saw; the commit refuses if the
            plan is no longer the same (someone changed the stored figures meanwhile).
        today: the date for the "period in the future" rule.

    Raises:
        AuthError: the user may not upload.
        LoadError: the file has problems, or the preview is out of date; the refusal and its
            problems are recorded as a failed load, and nothing else is stored.
    """
    user = _require_uploader(user)
    checksum = checksum_of(content)
    parsed = parse_upload(content, filename)
    path = Path(parsed.file_name)
    kind = parsed.kind if parsed.kind in ("fingertips", "sac") else "upload"
    try:
        if parsed.problems and not parsed.rows and not parsed.indicators:
            raise LoadError(parsed.problems)
        with session_scope(engine) as s:
            serialise_writes(s)
            checked = check_against_store(s, parsed, user, today)
            if checked.problems:
                raise LoadError(checked.problems)
            preview = checked.preview
            if expected_token is not None and preview.token(checksum) != expected_token:
                raise LoadError([Problem(parsed.file_name, None, None, None,
                                         "the stored figures changed after this file was "
                                         "checked (another upload or a rollback); check it "
                                         "again and look at the new preview before committing")])
            declared = {d.code: d for d in parsed.indicators}
            todo = [*preview.indicators_new, *preview.indicators_updated]
            if todo:
                upsert_indicators(s, [declared[c].record(checked.owners[c]) for c in todo])
            load = DataLoad(kind=kind, file_name=parsed.file_name, checksum=checksum,
                            format=parsed.format, status="committed",
                            rows_read=parsed.rows_read, loaded_by=user.username)
            s.add(load)
            s.flush()
            inserted = updated = unchanged = 0
            if checked.rows:
                batch = normalise_batch(pd.DataFrame([
                    {"indicator": r.indicator, "area": area, "period": r.period,
                     "dimension": r.dimension, "category": r.category, "value": r.value,
                     "numerator": r.numerator, "denominator": r.denominator,
                     "ci_lower": r.ci_lower, "ci_upper": r.ci_upper, "status": r.status,
                     "suppression": r.suppression, "note": r.note, "synthetic": False,
                     "row": r.row}
                    for r, area in checked.rows]))
                resolved, key_problems = resolve_keys(s, batch, parsed.file_name)
                if key_problems:
                    raise LoadError(key_problems)
                inserted, updated, unchanged = write_observations(s, resolved, load.id)
            counts = preview.counts
            if (inserted, updated, unchanged) != (counts["insert"], counts["update"],
                                                  counts["unchanged"]):
                # The writer and the preview disagree: store nothing rather than surprise.
                raise RuntimeError(f"upload {parsed.file_name}: preview {counts} but the writer "
                                   f"did {(inserted, updated, unchanged)}; nothing stored")
            load.rows_inserted, load.rows_updated, load.rows_unchanged = (
                inserted, updated, unchanged)
            load.finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            skipped = counts["skipped"]
            parts = [f"uploaded by {user.username}"
                     + (f" ({user.agency})" if user.agency else "")]
            if skipped:
                parts.append(f"{skipped} rows skipped: " + "; ".join(
                    f"{n} {why}" for why, n in sorted(preview.skipped.items())))
            if preview.indicators_new:
                parts.append("new indicators: " + ", ".join(preview.indicators_new))
            if preview.indicators_updated:
                parts.append("indicators changed: " + ", ".join(preview.indicators_updated))
            load.message = "; ".join(parts)
            result = CommitResult(load.id, parsed.file_name, checksum, kind, parsed.rows_read,
                                  inserted, updated, unchanged, skipped,
                                  list(preview.indicators_new),
                                  list(preview.indicators_updated))
    except LoadError as err:
        record_failure(engine, kind, path, checksum, user.username, err.problems,
                       parsed.rows_read)
        raise
    forget_cached_views()
    return result


def forget_cached_views() -> None:
    """Clear cached views after a change to the data (where a cache is bound)."""
    # Cached views would show the old figures for up to their timeout; clear them where a
    # cache is bound (the web app). Other workers' in-process caches expire on their own.
    try:
        from flask import has_app_context

        if has_app_context():
            from dashboard.cache import cache

            cache.clear()
    except Exception:  # a cache failure must never undo a committed load
        pass


def set_indicator_owner(engine: Engine, code: str, owner: str | None,
                        user: CurrentUser | None) -> None:
    """Say which agency owns an indicator (whose contributors may upload it); admins only."""
    require(user, "admin")
    with session_scope(engine) as s:
        ind = s.scalar(select(Indicator).where(Indicator.code == code))
        if ind is None:
            raise LoadError([Problem("-", None, "indicator", code, "unknown indicator")])
        ind.owner = " ".join(owner.split()) if owner and owner.strip() else None


# ---------------------------------------------------------------- the template


TEMPLATE_HELP: tuple[tuple[str, str, str], ...] = (
    ("indicator", "required", "The indicator's code from the catalogue (About page), e.g. "
     "ASC_Concerns_Quarter, or a code declared on the 'New indicators' sheet."),
    ("area_code", "required", "The ONS code of the area, e.g. E06000033 for Southend-on-Sea "
     "(a DfE three-digit LA number also works)."),
    ("period_type", "required", "One of: month, quarter, financial_year, snapshot."),
    ("period", "required", "month: 2024-04 (or Apr 2024); quarter: 2024-25 Q1 (April to June); "
     "financial_year: 2024-25; snapshot: the date, 2025-03-31. Type it as text."),
    ("value", "required", "The figure as a plain number (no commas needed); a percentage as "
     "12.5 for 12.5%. For a figure withheld for confidentiality write [c]; not available [x]."),
    ("numerator", "optional", "For a percentage or rate: the count it is calculated from."),
    ("denominator", "optional", "For a percentage or rate: the population or total it is "
     "calculated over. Must not be smaller than the numerator."),
    ("status", "optional", "final (the default), provisional, or revised. A figure already "
     "stored as final can only be changed by a row with status revised."),
    ("note", "optional", "Plain text shown with the figure, e.g. 'new recording system from "
     "April'. Formulas are not run: they are kept as text."),
)
INDICATOR_HELP: tuple[tuple[str, str, str], ...] = (
    ("code", "required", "A new code: letters, digits and underscores, e.g. "
     "POLICE_DA_Incidents_Month."),
    ("name", "required", "A short plain-English name."),
    ("domain", "required", "children, adults or partnership."),
    ("theme", "optional", "The scorecard theme, e.g. Domestic abuse."),
    ("unit", "required", "percent, rate, number, ratio, score or days."),
    ("polarity", "required", "high (higher is better), low (lower is better), none, or "
     "target_band."),
    ("frequency", "required", "monthly, quarterly or annual."),
    ("definition", "optional", "What is counted, over what, and where from."),
    ("owner", "optional", "The agency that owns it; contributors can only give their own "
     "agency (left blank, it is theirs)."),
)


def template_csv() -> bytes:
    """The CSV template: the column names of the data sheet, UTF-8 with a BOM for Excel."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(TEMPLATE_COLUMNS)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The Excel template: a Data sheet, a New indicators sheet, and a Guidance sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")

    def header(ws: Any, columns: Sequence[str], widths: dict[str, int]) -> None:
        ws.append(list(columns))
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill = bold, fill
            ws.column_dimensions[cell.column_letter].width = widths.get(col, 16)
        ws.freeze_panes = "A2"

    def choose(ws: Any, column: int, options: Sequence[str], prompt: str) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                            allow_blank=True, showErrorMessage=True)
        dv.promptTitle, dv.prompt = "Choose", prompt
        dv.error = "Choose one of: " + ", ".join(options)
        letter = ws.cell(row=1, column=column).column_letter
        dv.add(f"{letter}2:{letter}10000")
        ws.add_data_validation(dv)

    data = wb.active
    data.title = DATA_SHEET
    header(data, TEMPLATE_COLUMNS, {"indicator": 30, "note": 50, "period": 14})
    for col in ("B", "C", "D"):  # codes and periods as text, so Excel does not make dates
        for n in range(2, 2001):
            data[f"{col}{n}"].number_format = "@"
    choose(data, TEMPLATE_COLUMNS.index("period_type") + 1, PERIOD_TYPES, "period type")
    choose(data, TEMPLATE_COLUMNS.index("status") + 1, STATUSES, "status")

    ind = wb.create_sheet(INDICATOR_SHEET)
    header(ind, INDICATOR_COLUMNS, {"code": 30, "name": 40, "definition": 60, "owner": 24})
    for col, options in (("domain", DOMAINS), ("unit", UNITS), ("polarity", POLARITIES),
                         ("frequency", FREQUENCIES)):
        choose(ind, INDICATOR_COLUMNS.index(col) + 1, options, col)

    guide = wb.create_sheet(GUIDANCE_SHEET)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 11
    guide.column_dimensions["C"].width = 100
    guide.append(["How to fill in this template"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(["One row per figure on the Data sheet. Keep the first row as it is. Upload "
                  "the file on the Data page: it is checked and previewed before anything is "
                  "stored, and a file with any problem stores nothing."])
    guide.append([])
    for title, rows in ((DATA_SHEET, TEMPLATE_HELP), (INDICATOR_SHEET, INDICATOR_HELP)):
        guide.append([f"Sheet '{title}'"])
        guide.cell(row=guide.max_row, column=1).font = bold
        guide.append(["column", "", "what to write"])
        for cell in guide[guide.max_row]:
            cell.font, cell.fill = bold, fill
        for help_row in rows:
            guide.append(list(help_row))
        guide.append([])
    guide.append(["Example rows for the Data sheet"])
    guide.cell(row=guide.max_row, column=1).font = bold
    guide.append(list(TEMPLATE_COLUMNS))
    for example in (
        ("ASC_Concerns_Quarter", "E06000033", "quarter", "2024-25 Q1", "612", "", "",
         "provisional", ""),
        ("PART_Referrals_1Day_Pct", "E06000033", "financial_year", "2023-24", "87.5", "1750",
         "2000", "final", "From the front door dashboard"),
        ("ASC_Concerns_Count", "E06000033", "financial_year", "2022-23", "[c]", "", "",
         "final", "Withheld: fewer than 5"),
    ):
        guide.append(list(example))
    for cells in guide.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_file(path: Path) -> bytes:
    """A file's bytes, refusing one over the size limit before reading it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoadError([Problem(path.name, None, None, None,
                                 f"the file is {size / 1_048_576:.1f} MB; the limit is "
                                 f"{MAX_BYTES // 1_048_576} MB")])
    return path.read_bytes()
