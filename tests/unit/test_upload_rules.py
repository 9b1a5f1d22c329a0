"""Reading uploads without a database: numbers, periods, files, cells, templates.

Also the published layouts' own period labels and the agency rule.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.auth import CurrentUser
from dashboard.ingest.fingertips import parse_fingertips_period
from dashboard.ingest.sac import parse_sac_year
from dashboard.ingest.upload import (
    INDICATOR_COLUMNS,
    MAX_BYTES,
    TEMPLATE_COLUMNS,
    parse_number,
    parse_period,
    parse_upload,
    safe_file_name,
    template_csv,
    template_xlsx,
)
from dashboard.periods import PeriodError

HEADER = ",".join(TEMPLATE_COLUMNS)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.mark.parametrize(("text", "number"), [
    ("1234", 1234.0), ("1,234", 1234.0), (" 12.5 ", 12.5), ("12.5%", 12.5), ("-3", -3.0),
    (".5", 0.5), ("1e3", 1000.0),
])
def test_upload_rules_numbers_read(text, number):
    """Plain, thousands-separated and percent-signed numbers are read."""
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "twelve", "1.2.3", "=1+1", "", "£5"])
def test_upload_rules_non_numbers_refused(text):
    """Text, formulas and non-finite numbers are not numbers."""
    assert parse_number(text) is None


@pytest.mark.parametrize(("kind", "label", "start", "end", "type_"), [
    ("month", "2024-04", dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month"),
    ("month", "Apr 2024", dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month"),
    ("month", "2024-04-01", dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month"),
    ("quarter", "2024-25 Q1", dt.date(2024, 4, 1), dt.date(2024, 6, 30), "quarter"),
    ("quarter", "2024-25 Q4", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "quarter"),
    ("financial_year", "2023-24", dt.date(2023, 4, 1), dt.date(2024, 3, 31), "financial_year"),
    ("snapshot", "2025-03-31", dt.date(2025, 3, 31), dt.date(2025, 3, 31), "snapshot"),
    ("snapshot", "31/03/2025", dt.date(2025, 3, 31), dt.date(2025, 3, 31), "snapshot"),
    ("Financial year", "2023-24", dt.date(2023, 4, 1), dt.date(2024, 3, 31), "financial_year"),
])
def test_upload_rules_periods_read(kind, label, start, end, type_):
    """Each documented period type reads into a typed period with the right dates."""
    p = parse_period(kind, label)
    assert (p.start, p.end, p.type) == (start, end, type_)


@pytest.mark.parametrize(("kind", "label"), [
    ("month", "2024-13"), ("quarter", "2024-25 Q5"), ("quarter", "2024 Q1"),
    ("financial_year", "2023-25"), ("snapshot", "2025-02-30"), ("fortnight", "2024-01"),
])
def test_upload_rules_bad_periods_refused(kind, label):
    """Unreadable periods and unknown period types raise a PeriodError that says why."""
    with pytest.raises(PeriodError):
        parse_period(kind, label)


def test_upload_rules_template_rows_parse_with_their_row_numbers():
    """Rows are numbered as in a spreadsheet (header = row 1) and blank lines are ignored."""
    parsed = parse_upload(_csv("ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q1,612,,,,",
                               ",,,,,,,,",
                               "ASC_Concerns_Quarter,e06000033,quarter,2023-24 Q2,[c],,,,"),
                          "q.csv")
    assert parsed.problems == []
    assert [(r.row, r.value, r.suppression, r.status, r.area) for r in parsed.rows] == [
        (2, 612.0, None, "final", "E06000033"), (4, None, "[c]", "final", "E06000033")]


def test_upload_rules_every_problem_of_a_row_is_reported():
    """A row with several faults reports each of them, not only the first."""
    parsed = parse_upload(_csv("X,E06000033,quarter,2023-24 Q1,40,50,20,draft,"), "q.csv")
    assert {(p.row, p.column) for p in parsed.problems} == {(2, "numerator"), (2, "status")}


def test_upload_rules_formula_text_in_csv_kept_as_text():
    """A CSV cell starting with = is text (a note keeps it; nothing evaluates it)."""
    formula = '=HYPERLINK("http://evil.example/","x")'
    note = formula.replace('"', '""')
    parsed = parse_upload(_csv(f'A_Code,E06000033,month,2024-01,5,,,,"{note}"'), "f.csv")
    assert parsed.rows[0].note == formula


def _workbook(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(list(TEMPLATE_COLUMNS))
    for r in rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_rules_xlsx_formula_cells_are_read_as_their_text():
    """A formula cell in a workbook is its formula text, never a computed value."""
    content = _workbook([["A_Code", "E06000033", "month", "2024-01", "=2+3", None, None, None,
                          '=HYPERLINK("http://x")']])
    parsed = parse_upload(content, "f.xlsx")
    assert [(p.column, p.value) for p in parsed.problems] == [("value", "=2+3")]


def test_upload_rules_xlsx_percent_cells_and_dates_are_read_as_people_see_them():
    """0.875 formatted as a percentage reads 87.5; a date cell reads as its ISO date."""
    content = _workbook([["A_Code", "E06000033", "snapshot", dt.datetime(2025, 3, 31), 0.875,
                          None, None, "final", None]], {"E2": "0.0%"})
    row = parse_upload(content, "p.xlsx").rows[0]
    assert (row.value, row.period.end, row.period.type) == (87.5, dt.date(2025, 3, 31),
                                                           "snapshot")


@pytest.mark.parametrize(("name", "message"), [
    ("old.xls", "not accepted"), ("macro.xlsm", "without macros"), ("notes.pdf", "only CSV"),
])
def test_upload_rules_other_file_types_refused(name, message):
    """Only .csv and .xlsx are read; others are refused with what to do instead."""
    parsed = parse_upload(b"anything", name)
    assert message in parsed.problems[0].message


def test_upload_rules_damaged_and_oversized_files_refused():
    """A non-workbook named .xlsx, a zip bomb and a file over 10 MB are refused."""
    assert "not an Excel .xlsx workbook" in parse_upload(b"a,b\n1,2\n", "x.xlsx").problems[
        0].message
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (101 * 1024 * 1024))
    assert "unpacks to more than 100 MB" in parse_upload(buf.getvalue(), "bomb.xlsx").problems[
        0].message
    big = parse_upload(b"x" * (MAX_BYTES + 1), "big.csv")
    assert "the limit is 10 MB" in big.problems[0].message


def test_upload_rules_unknown_layout_names_the_template_columns():
    """A file that is not the template says which columns it should have."""
    parsed = parse_upload(b"foo,bar\n1,2\n", "x.csv")
    assert parsed.problems[0].row == 1 and "indicator, area_code" in parsed.problems[0].message
    semi = parse_upload(b"indicator;area_code;period\n", "x.csv")
    assert "semicolons" in semi.problems[0].message


def test_upload_rules_windows_1252_csv_is_read():
    """A CSV saved by Excel on Windows (cp1252) is read, accents and all."""
    content = _csv("A_Code,E06000033,month,2024-01,5,,,,Café review").decode().encode("cp1252")
    assert parse_upload(content, "w.csv").rows[0].note == "Café review"


def test_upload_rules_browser_paths_are_stripped_from_file_names():
    """A browser's fake path and control characters never reach the audit record."""
    assert safe_file_name("C:\\fakepath\\q1\x07.csv") == "q1.csv"
    assert safe_file_name("../../etc/passwd") == "passwd"


def test_upload_rules_templates_have_the_documented_columns_and_sheets():
    """The CSV template is the header row; the workbook has Data, New indicators, Guidance."""
    assert template_csv().decode("utf-8-sig").strip() == HEADER
    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == ["Data", "New indicators", "Guidance"]
    assert [c.value for c in wb["Data"][1]] == list(TEMPLATE_COLUMNS)
    assert [c.value for c in wb["New indicators"][1]] == list(INDICATOR_COLUMNS)
    empty = parse_upload(template_xlsx(), "template.xlsx")
    assert empty.problems == [] and empty.rows == [] and empty.indicators == []


def test_upload_rules_new_indicator_sheet_is_checked():
    """Declared indicators need a code, a name and known domain, unit, polarity, frequency."""
    wb = Workbook()
    wb.active.title = "Data"
    wb.active.append(list(TEMPLATE_COLUMNS))
    ind = wb.create_sheet("New indicators")
    ind.append(list(INDICATOR_COLUMNS))
    ind.append(["9bad code", "", "health", "", "furlongs", "up", "weekly", "", ""])
    ind.append(["GOOD_Code", "Good", "adults", "", "count", "high", "monthly", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_upload(buf.getvalue(), "i.xlsx")
    assert {p.column for p in parsed.problems} == {"code", "name", "domain", "unit",
                                                   "polarity", "frequency"}
    assert [(d.code, d.unit) for d in parsed.indicators] == [("GOOD_Code", "number")]


@pytest.mark.parametrize(("label", "kind", "start", "end", "type_"), [
    ("2019/20", "financial_year", dt.date(2019, 4, 1), dt.date(2020, 3, 31), "financial_year"),
    ("2019/20", "academic_year", dt.date(2019, 9, 1), dt.date(2020, 8, 31), "academic_year"),
    ("2020", "calendar_year", dt.date(2020, 1, 1), dt.date(2020, 12, 31), "calendar_year"),
    ("2020", "financial_year", dt.date(2019, 4, 1), dt.date(2020, 3, 31), "financial_year"),
    ("2017 - 19", "calendar_year", dt.date(2017, 1, 1), dt.date(2019, 12, 31), "rolling"),
    ("2015/16 - 19/20", "financial_year", dt.date(2015, 4, 1), dt.date(2020, 3, 31),
     "rolling"),
    ("2019/20 Q1", "financial_year", dt.date(2019, 4, 1), dt.date(2019, 6, 30), "quarter"),
    ("2020 Q1", "calendar_year", dt.date(2020, 1, 1), dt.date(2020, 3, 31), "quarter"),
    ("Apr 2020", "calendar_year", dt.date(2020, 4, 1), dt.date(2020, 4, 30), "month"),
])
def test_upload_rules_fingertips_time_periods(label, kind, start, end, type_):
    """Fingertips' period labels read as typed periods, bare years by the mapping's kind."""
    p = parse_fingertips_period(label, kind)
    assert (p.start, p.end, p.type) == (start, end, type_)


def test_upload_rules_sac_years():
    """SAC years are financial years; a bare year is ambiguous and refused."""
    assert parse_sac_year("2022-23").start == dt.date(2022, 4, 1)
    assert parse_sac_year("2022/23") == parse_sac_year("2022-2023")
    with pytest.raises(PeriodError):
        parse_sac_year("2023")


def test_upload_rules_contributor_agency_matching():
    """Contributors upload only for their own agency (any case); admins for any indicator."""
    ada = CurrentUser(1, "ada", "contributor", "Southend Adult Social Care")
    assert ada.may_upload_for("southend  adult social care")
    assert not ada.may_upload_for("Essex Police")
    assert not ada.may_upload_for(None)
    assert CurrentUser(2, "root", "admin", None).may_upload_for(None)
    assert not CurrentUser(3, "vic", "viewer", "Southend Adult Social Care").may_upload_for(
        "Southend Adult Social Care")
    assert not CurrentUser(4, "old", "contributor", "X", active=False).may_upload_for("X")
