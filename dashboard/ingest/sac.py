"""NHS England Safeguarding Adults Collection (SAC) CSV files, mapped into the catalogue.

SAC figures are published for each council with adult social services responsibilities
(CASSR), its region and England, for a financial year. Two layouts are read:

- wide: one row per council and year, with identifying columns (``CASSR Code``, ``ONS code``,
  ``CASSR Name``, ``Region``, ``Year``) and one column per measure, headed by the SAC table and
  measure, e.g. ``SG1f Total Number of Safeguarding Concerns``;
- long: one row per council and measure, with ``MEASURE`` (or ``Measure``/``Measure
  Description``) and ``VALUE`` columns, and optionally a ``Disaggregation Level``/``Breakdown``
  column, of which only the ``Total`` rows load.

`data/sac_mapping.csv` maps measure names (compared without regard to case and spacing) to
catalogue codes, e.g. SG1f concerns -> ``ASC_Concerns_Count``. Published counts are rounded to
the nearest 5 and small ones withheld: ``[c]`` (suppressed), ``[x]`` (not available), ``[z]``
(not applicable) and the older ``*`` (suppressed) are kept as suppression symbols, never as
zero. Areas are found by ONS code, or else by CASSR code read as the DfE three-digit LA number
(the two numberings agree for English councils). Rows for geographies the dashboard does not
hold (council-type totals) and measures the mapping does not cover are skipped and counted.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from dashboard.auth import CurrentUser
from dashboard.ingest.upload import (
    CommitResult,
    ParsedFile,
    Table,
    UploadRow,
    commit_upload,
    parse_number,
    read_file,
)
from dashboard.periods import PeriodError, PeriodSpec, financial_year
from dashboard.settings import DATA_DIR

MAPPING = DATA_DIR / "sac_mapping.csv"
AREA_COLUMNS = ("ons code", "ons area code", "ons_code", "geography code")
CASSR_COLUMNS = ("cassr code", "cassr_code", "la code", "council code", "geographical code")
YEAR_COLUMNS = ("year", "reporting year", "reporting period", "period", "financial year",
                "reporting_period")
MEASURE_COLUMNS = ("measure", "measure code", "measure description", "measure_code",
                   "measure_description", "measure_key")
VALUE_COLUMNS = ("value", "measure value", "measure_value")
BREAKDOWN_COLUMNS = ("disaggregation level", "disaggregation_level", "breakdown",
                     "disaggregation")
TOTALS = ("", "total", "all", "all ages", "persons")
ID_COLUMNS = (*AREA_COLUMNS, *CASSR_COLUMNS, *YEAR_COLUMNS, "cassr name", "cassr", "council",
              "council name", "la name", "region", "region code", "region name",
              "geographical description", "geographical level", "geography level",
              "geography name", "org type", "council type")
SYMBOLS = {"[c]": "[c]", "[x]": "[x]", "[z]": "[z]", "*": "[c]", "c": "[c]", "x": "[x]",
           "z": "[z]"}


@dataclass(frozen=True)
class SacMapping:
    """SAC measure names -> catalogue codes."""

    codes: dict[str, str]

    def code_for(self, measure: str) -> str | None:
        """The catalogue code for a measure name or column heading, or None."""
        return self.codes.get(_key(measure))


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def read_mapping(path: Path = MAPPING) -> SacMapping:
    """Read `data/sac_mapping.csv` (columns measure, code, notes)."""
    with open(path, newline="", encoding="utf-8") as f:
        return SacMapping({_key(r["measure"]): r["code"].strip() for r in csv.DictReader(f)})


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    for h in header:
        if _key(h) in {_key(n) for n in names}:
            return h
    return None


def is_sac(header: list[str], mapping: SacMapping | None = None) -> bool:
    """Whether a first row is a SAC file's (wide or long)."""
    has_area = _column(header, AREA_COLUMNS + CASSR_COLUMNS) is not None
    if not has_area:
        return False
    if _column(header, MEASURE_COLUMNS) and _column(header, VALUE_COLUMNS):
        return True
    mapping = mapping or read_mapping()
    return any(mapping.code_for(h) for h in header) or any(
        re.match(r"^SG\d", h.strip(), re.IGNORECASE) for h in header)


def parse_sac_year(label: str) -> PeriodSpec:
    """``2022-23``, ``2022/23`` or ``2022-2023`` as the financial year April 2022 to March 2023.

    Raises:
        PeriodError: for anything else (a bare year is ambiguous and refused).
    """
    t = label.strip()
    m = re.fullmatch(r"((?:19|20)\d\d)\s*[-/]\s*(\d\d|(?:19|20)\d\d)", t)
    if not m:
        raise PeriodError(f"{label!r} is not a financial year such as 2022-23")
    a, b = int(m.group(1)), m.group(2)
    end = int(b) if len(b) == 4 else a - a % 100 + int(b)
    if end != a + 1:
        raise PeriodError(f"{label!r} is not one financial year")
    return financial_year(a)


def _value(text: str) -> tuple[float | None, str | None, bool]:
    t = text.strip()
    if not t:
        return None, "[x]", True
    number = parse_number(t)
    if number is not None:
        return number, None, True
    symbol = SYMBOLS.get(t.lower())
    return (None, symbol, True) if symbol else (None, None, False)


def parse_sac(table: Table, file_name: str, fmt: str = "csv",
              mapping: SacMapping | None = None) -> ParsedFile:
    """Read a SAC file (wide or long) into upload rows."""
    parsed = ParsedFile("sac", file_name, fmt, strict=False)
    mapping = mapping or read_mapping()
    header = table.header
    ons_col = _column(header, AREA_COLUMNS)
    cassr_col = _column(header, CASSR_COLUMNS)
    year_col = _column(header, YEAR_COLUMNS)
    if year_col is None:
        parsed.problem(1, "Year", None, "the file has no year column (Year or Reporting "
                                        "Period); SAC figures are for a financial year")
        return parsed
    measure_col = _column(header, MEASURE_COLUMNS)
    value_col = _column(header, VALUE_COLUMNS)
    long_form = measure_col is not None and value_col is not None
    breakdown_col = _column(header, BREAKDOWN_COLUMNS)
    id_keys = {_key(c) for c in ID_COLUMNS}
    measure_cols = [h for h in header if h and _key(h) not in id_keys and h not in (
        measure_col, value_col, breakdown_col)] if not long_form else []
    parsed.rows_read = len(table.rows)
    for h in measure_cols:
        if mapping.code_for(h) is None:
            parsed.skipped[f"values in column {h!r}, which the mapping does not load"] += len(
                table.rows)
    for n, r in table.records():
        area = (r.get(ons_col, "") if ons_col else "").strip() or (
            r.get(cassr_col, "") if cassr_col else "").strip()
        if not area:
            parsed.skipped["rows with no area code (council-type or other totals)"] += 1
            continue
        try:
            period = parse_sac_year(r.get(year_col, ""))
        except PeriodError as err:
            parsed.problem(n, year_col, r.get(year_col, ""), f"unparseable period: {err}")
            continue
        if long_form:
            assert measure_col is not None and value_col is not None
            if breakdown_col and _key(r.get(breakdown_col, "")) not in TOTALS:
                parsed.skipped["breakdown rows (not Total), which are not loaded"] += 1
                continue
            cells = [(value_col, r.get(measure_col, ""), r.get(value_col, ""))]
        else:
            cells = [(h, h, r.get(h, "")) for h in measure_cols]
        for column, measure, raw in cells:
            code = mapping.code_for(measure)
            if code is None:
                if long_form:
                    parsed.skipped[f"rows for measure {measure.strip()!r}, which the mapping "
                                   "does not load"] += 1
                continue
            value, suppression, ok = _value(raw)
            if not ok:
                parsed.problem(n, column, raw, "text in a number column: this should be a "
                                               "number or a symbol such as [c] or [x]")
                continue
            parsed.rows.append(UploadRow(
                row=n, indicator=code, area=area.upper(), period=period, value=value,
                status="final", suppression=suppression, value_text=raw.strip(),
                period_text=r.get(year_col, "")))
    return parsed


def load_sac(engine: Engine, path: Path, user: CurrentUser) -> CommitResult:
    """Check and commit a SAC CSV (the same rules as any upload)."""
    return commit_upload(engine, read_file(path), path.name, user)
