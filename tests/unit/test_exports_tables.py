"""Table exports without a database: CSV and XLSX cells, formats, notes, formula safety."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from dashboard.exports import ExportTable, neutralise, to_csv, to_xlsx
from dashboard.exports.tables import Column, number_format


def _table(name: str = "Re-referrals") -> ExportTable:
    return ExportTable(
        title="Scorecard: Southend-on-Sea", sheet="Scorecard",
        columns=[Column("Code"), Column("Indicator"), Column("Value", "value"),
                 Column("Change", "change"), Column("Rank", "int"), Column("Unit")],
        rows=[["ReReferral", name, 30.2, 5.800000000000001, 139, "%"],
              ["CPP_rate", "Plans per 10,000", 24.5, -11.600000000000023, None,
               "per 10,000 children"]],
        units=[("percent", 1), ("rate", 1)], freeze="C2",
        about=[("Area", "Southend-on-Sea (E06000033)"), ("Produced", "Produced 5 March 2026")],
        definitions=[{"code": "ReReferral", "name": "Re-referrals", "definition": "Of all "
                      "referrals...", "source": "DfE", "licence": "Open Government Licence "
                      "v3.0"}],
        produced=dt.date(2026, 3, 5), name_parts=("Southend-on-Sea", "children", "scorecard"))


def _xlsx(table: ExportTable) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(table)))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1:A2)", "\t=1"])
def test_neutralise_prefixes_formula_text(text):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    assert neutralise(text) == "'" + text


def test_neutralise_leaves_numbers_and_plain_text():
    """Negative numbers stay numbers; ordinary text is untouched."""
    assert neutralise(-1.5) == -1.5
    assert neutralise("Re-referrals") == "Re-referrals"
    assert neutralise(None) is None


def test_formula_value_exports_as_text_in_csv():
    """A value "=1+1" is written as the text '=1+1 in CSV, never as a formula."""
    rows = list(csv.reader(io.StringIO(to_csv(_table("=1+1")).decode("utf-8-sig"))))
    assert rows[1][1] == "'=1+1"
    assert rows[2][3] == "-11.6"  # a negative number is a number, not neutralised text


def test_formula_value_exports_as_text_in_xlsx():
    """A value "=1+1" is a text cell with Excel's quote prefix, never a formula."""
    ws = _xlsx(_table("=1+1"))["Scorecard"]
    cell = ws["B2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_csv_has_header_and_bom_and_rounds_float_noise():
    """UTF-8 with a BOM for Excel; header row first; 5.800000000000001 written as 5.8."""
    raw = to_csv(_table())
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Indicator", "Value", "Change", "Rank", "Unit"]
    assert rows[1][2:5] == ["30.2", "5.8", "139"]
    assert rows[2][4] == ""  # missing stays blank, never zero


def test_xlsx_number_formats_follow_each_rows_unit():
    """A percentage shows as 30.2% (value 30.2); a rate with one decimal; changes signed."""
    ws = _xlsx(_table())["Scorecard"]
    assert ws["C2"].value == pytest.approx(30.2)
    assert ws["C2"].number_format == '#,##0.0"%"'
    assert ws["C3"].number_format == "#,##0.0"
    assert ws["D2"].number_format.startswith("+#,##0.0")
    assert ws["E2"].number_format == "#,##0"
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:F3"
    assert ws["A1"].font.bold


def test_xlsx_notes_sheet_has_about_lines_and_definitions():
    """The Notes sheet says what the table is, and lists definitions, sources and licences."""
    ws = _xlsx(_table())["Notes"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "Scorecard: Southend-on-Sea" in values
    assert "Produced 5 March 2026" in values
    assert "Open Government Licence v3.0" in values
    assert "Definition" in values


@pytest.mark.parametrize(("unit", "decimals", "kind", "expected"), [
    ("percent", 1, "value", '#,##0.0"%"'),
    ("percent", 0, "value", '#,##0"%"'),
    ("rate", 2, "value", "#,##0.00"),
    ("number", 0, "value", "#,##0"),
    ("percent", 1, "change", '+#,##0.0" pp";-#,##0.0" pp";#,##0.0" pp"'),
    ("rate", 1, "int", "#,##0"),
])
def test_number_format_by_unit_and_decimals(unit, decimals, kind, expected):
    """Excel formats come from the indicator's unit and decimals."""
    assert number_format(unit, decimals, kind) == expected


def test_table_filename():
    """The download name joins the parts as words."""
    assert _table().filename("xlsx") == "southend-on-sea_children_scorecard.xlsx"
