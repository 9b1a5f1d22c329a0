"""Tables for spreadsheets: a scorecard or an indicator's data, as CSV or Excel.

An :class:`ExportTable` holds typed columns and plain rows; :func:`to_csv` and :func:`to_xlsx`
write it. The XLSX has the header row frozen and filtered, number formats from each
indicator's unit and decimals (percentages keep the dashboard's numbers: 30.2 shows as
``30.2%``), and a "Notes" sheet with what the table shows, the definitions, sources and
licences, and the date produced.

Text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run
as a formula by a spreadsheet. CSV cells get a leading apostrophe; XLSX cells are stored as
text with Excel's quote prefix, so the cell shows the text exactly and never evaluates it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine

from dashboard import queries
from dashboard.exports.content import (
    PRODUCED_BY,
    IndicatorContent,
    clean_text,
    filename,
    produced_text,
)
from dashboard.formatting import unit_words
from dashboard.scorecard import IndicatorSummary, Scorecard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
POLARITY_WORDS = {"high": "Higher is better", "low": "Lower is better",
                  "none": "No judgement", "target_band": "Best within a target range"}
#: Column kinds: text, value (in the row's or table's unit), change (signed value), int.
KINDS = ("text", "value", "change", "int")


@dataclass(frozen=True)
class Column:
    """One column: its header and kind (how its numbers are formatted)."""

    header: str
    kind: str = "text"
    width: int | None = None


@dataclass
class ExportTable:
    """A table to download, with what the notes sheet says about it.

    Attributes:
        title: What the table is (first line of the notes sheet).
        sheet: The data sheet's name.
        columns: The columns, in order.
        rows: One list of plain values per row (str, float, int, bool or None).
        units: Each row's (unit, decimals) for value columns; one pair for all rows when the
            table has a single indicator.
        freeze: The cell below and right of the frozen header and label columns.
        about: (label, text) lines for the notes sheet: area, comparators, period, units.
        definitions: One dict per indicator: code, name, definition, unit, polarity,
            frequency, source, licence, source_url, methodology.
        produced: The date produced.
        name_parts: Parts of the download's file name.
    """

    title: str
    sheet: str
    columns: list[Column]
    rows: list[list[Any]]
    units: list[tuple[str, int]] | tuple[str, int]
    freeze: str = "A2"
    about: list[tuple[str, str]] = field(default_factory=list)
    definitions: list[dict[str, Any]] = field(default_factory=list)
    produced: dt.date = field(default_factory=dt.date.today)
    name_parts: tuple[str, ...] = ("table",)

    def unit_of(self, row: int) -> tuple[str, int]:
        """The (unit, decimals) for the value cells of a row."""
        return self.units[row] if isinstance(self.units, list) else self.units

    def filename(self, ext: str) -> str:
        """``southend-on-sea_children_scorecard_2020.xlsx``."""
        return filename(*self.name_parts, ext=ext)

    def cells(self) -> list[list[Any]]:
        """The rows with derived values (averages, limits, changes) rounded off float noise.

        Values keep two more decimals than the indicator shows, so that nothing an analyst
        might recompute is lost, but ``-11.600000000000023`` is written as ``-11.6``.
        """
        out = []
        for i, row in enumerate(self.rows):
            _unit, decimals = self.unit_of(i)
            out.append([round(v, max(decimals, 0) + 2)
                        if c.kind in ("value", "change") and isinstance(v, float) else v
                        for c, v in zip(self.columns, row, strict=True)])
        return out


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value != value:
        return None
    return value


# -- building tables -----------------------------------------------------------------------


def _definitions(engine: Engine, codes: Sequence[str]) -> list[dict[str, Any]]:
    meta = queries.indicators(engine, codes=list(codes))
    order = {c: i for i, c in enumerate(codes)}
    out = []
    for rec in sorted(meta.to_dict("records"), key=lambda r: order.get(r["code"], 0)):
        r = {k: clean_text(v) if k not in ("id", "decimals", "multiplier") else v
             for k, v in rec.items()}
        polarity = r.get("polarity") or "none"
        out.append({
            "code": r["code"], "name": r.get("short_name") or r["name"],
            "definition": r.get("definition") or r["name"],
            "unit": unit_words(str(r["unit"]), r.get("unit_label")),
            "polarity": POLARITY_WORDS.get(polarity, polarity),
            "frequency": r.get("frequency"), "source": r.get("source"),
            "licence": r.get("licence"), "source_url": r.get("source_url"),
            "methodology": r.get("methodology"),
        })
    return out


def _period_text(as_at: str | None) -> str:
    return f"as at {as_at} (the latest period ending in or before it)" if as_at else \
        "the latest period available for each indicator"


def scorecard_table(engine: Engine, sc: Scorecard,
                    rows: Sequence[IndicatorSummary] | None = None,
                    produced: dt.date | None = None) -> ExportTable:
    """The scorecard as a table: one row per indicator (``rows`` default: all of them)."""
    rows = list(sc.rows if rows is None else rows)
    region = next((r.region_name for r in rows if r.region_name), None) or "Region"
    columns = [
        Column("Code", width=24), Column("Indicator", width=44), Column("Theme", width=20),
        Column("Period", width=14), Column("Value", "value"), Column("Unit", width=20),
        Column("Status", width=14), Column("Previous period", width=14),
        Column("Previous value", "value"), Column("Change", "change"),
        Column("Change judgement", width=14),
        Column("Statistical neighbour average", "value"), Column("Neighbours reporting"),
        Column("England", "value"), Column(region, "value"), Column("Rank", "int"),
        Column("Ranked areas", "int"), Column("Quartile band (A best)", width=10),
        Column("Target", "value"), Column("RAG", width=10), Column("RAG reason", width=60),
        Column("Trend (latest five points)", width=30), Column("Synthetic demo data"),
        Column("Narrative", width=90),
    ]
    data = []
    for r in rows:
        data.append([
            r.code, r.name, clean_text(r.theme), r.period.label if r.period else None, r.value,
            unit_words(r.unit, clean_text(r.unit_label)),
            _status(r.status, clean_text(r.suppression), r.value),
            r.previous_period.label if r.previous_period else None, r.previous_value,
            r.direction.change, r.direction.judgement, r.neighbours.value,
            r.neighbours.reporting_text if r.neighbours.n_total else None, r.england,
            r.region, r.position.rank, r.position.of or None, r.position.band, r.target,
            r.rag.label, r.rag.reason, r.trend.label, r.synthetic, r.narrative,
        ])
    produced = produced or dt.date.today()
    theme = sc.theme or "all themes"
    group = sc.group
    about = [
        ("Area", f"{sc.area.name} ({sc.area.code})"),
        ("Domain and theme", f"{sc.domain}, {theme}"),
        ("Period", _period_text(sc.as_at)),
        ("Comparators", (f"{group.name}: {len(group.neighbours)} neighbours"
                         + (" (synthetic demo group)" if group.synthetic else "")
                         if group else "no statistical neighbour group") + "; England; "
         + region),
        *_common_about(produced, any(r.synthetic for r in rows)),
    ]
    return ExportTable(
        title=f"Scorecard: {sc.area.name}, {sc.domain}, {theme}", sheet="Scorecard",
        columns=columns, rows=[[_plain(v) for v in row] for row in data],
        units=[(r.unit, r.decimals) for r in rows], freeze="C2", about=about,
        definitions=_definitions(engine, [r.code for r in rows]), produced=produced,
        name_parts=(sc.area.name, sc.domain, sc.theme or "", "scorecard", sc.as_at or
                    produced.isoformat()))


def compare_table(engine: Engine, sc: Scorecard,
                  produced: dt.date | None = None) -> ExportTable:
    """The compare grid: one row per indicator, a value and a quartile band per area.

    The same numbers as the page's grid (the home area, each statistical neighbour in order,
    England), each local authority's value followed by its band among all English local
    authorities at that period (A best; blank where the indicator has no polarity).
    """
    from dashboard.views_data import compare_grid  # the views' own grid, so the two agree

    grid = compare_grid(sc)
    by_code = {r.code: r for r in sc.rows}
    columns = [Column("Code", width=24), Column("Indicator", width=44),
               Column("Period", width=14), Column("Unit", width=20)]
    for i, (_code, name) in enumerate(grid.columns):
        columns.append(Column(name, "value"))
        if i < len(grid.columns) - 1:  # England is not banded among LAs
            columns.append(Column(f"{name}: band", width=10))
    rows, units = [], []
    for g in grid.rows:
        r = by_code[g.code]
        row: list[Any] = [g.code, g.name, g.period, unit_words(r.unit, clean_text(r.unit_label))]
        for i, cell in enumerate(g.cells):
            row.append(cell.value)
            if i < len(g.cells) - 1:
                row.append(cell.band)
        rows.append([_plain(v) for v in row])
        units.append((r.unit, r.decimals))
    produced = produced or dt.date.today()
    theme = sc.theme or "all themes"
    group = sc.group
    about = [
        ("Area", f"{sc.area.name} ({sc.area.code})"),
        ("Domain and theme", f"{sc.domain}, {theme}"),
        ("Period", _period_text(sc.as_at)),
        ("Comparators", (f"{group.name}: {len(group.neighbours)} neighbours"
                         + (" (synthetic demo group)" if group.synthetic else "")
                         if group else "no statistical neighbour group") + "; England"),
        ("Bands", "Each local authority's value against every English local authority at "
                  "that period, in quarters: A is the best quarter, D the worst. No band where "
                  "higher is neither better nor worse."),
        *_common_about(produced, any(g.synthetic for g in grid.rows)),
    ]
    return ExportTable(
        title=f"Compare: {sc.area.name} and its statistical neighbours, {sc.domain}, {theme}",
        sheet="Compare", columns=columns, rows=rows, units=units, freeze="C2", about=about,
        definitions=_definitions(engine, [g.code for g in grid.rows]), produced=produced,
        name_parts=(sc.area.name, sc.domain, sc.theme or "", "compare", sc.as_at or
                    produced.isoformat()))


def indicator_table(engine: Engine, content: IndicatorContent,
                    produced: dt.date | None = None) -> ExportTable:
    """The data behind an indicator's trend chart: one row per period."""
    data, table = content.data, content.table
    names = {n.area.code: n.area.name for n in data.group.neighbours} if data.group else {}
    region = data.region.name if data.region else "Region"
    columns = [Column("Period", width=14), Column(data.area.name, "value"),
               Column("Status", width=18), Column("Lower 95% limit", "value"),
               Column("Upper 95% limit", "value"),
               Column("Statistical neighbour average", "value"),
               Column("Neighbours reporting"), Column("England", "value"),
               Column(region, "value")]
    columns += [Column(names.get(c, c), "value") for c in content.neighbours]
    columns += [Column("Unit", width=20), Column("Synthetic demo data")]
    unit = content.unit_words
    rows = []
    for r in table.to_dict("records"):
        row = [r["period"], r["home"], r["home_status"], r["home_lower"], r["home_upper"],
               r["neighbour_average"], r["neighbours_reporting"] or None, r["england"],
               r["region"]]
        row += [r.get(c) for c in content.neighbours]
        row += [unit, bool(r["synthetic"])]
        rows.append([_plain(v) for v in row])
    produced = produced or dt.date.today()
    summary = content.summary
    about = [
        ("Indicator", f"{content.name} ({content.code})"),
        ("Area", f"{data.area.name} ({data.area.code})"),
        ("Periods", content.periods_text),
        ("Comparators", f"{content.comparators_text()}; England; {region}"),
        ("Source", content.source()),
    ]
    if summary is not None and summary.narrative:
        about.append(("Summary", summary.narrative))
    about += [(f"Note, {n.period}" if n.period else "Note",
               n.text + (f" ({n.author})" if n.author else "")) for n in content.notes]
    about += _common_about(produced, content.synthetic)
    last = None if table.empty else str(table["period"].iloc[-1])
    return ExportTable(
        title=f"{content.name}: {data.area.name} and comparators", sheet="Data",
        columns=columns, rows=rows,
        units=(str(data.meta["unit"]), int(data.meta["decimals"])), freeze="B2", about=about,
        definitions=_definitions(engine, [content.code]), produced=produced,
        name_parts=(data.area.name, content.name, "data", last or "no-data"))


def _status(status: str | None, suppression: str | None, value: float | None) -> str | None:
    if value is None and suppression:
        return f"suppressed ({suppression})"
    if value is None:
        return "not available"
    return status


def _common_about(produced: dt.date, synthetic: bool) -> list[tuple[str, str]]:
    lines = [
        ("Units", "Percentages are in percentage points (30.2 means 30.2%); rates are per the "
                  "population named in the Unit column; changes are in the same units."),
        ("Missing values", "A blank value was not published or was suppressed by the "
                           "publisher; the Status column gives the publisher's symbol. A "
                           "suppressed value is never shown as zero."),
        ("RAG", "Red, amber and green are given as words, with the rule that set them in the "
                "RAG reason column."),
    ]
    if synthetic:
        lines.append(("Synthetic demo data", "Rows marked 'yes' are synthetic demo data made "
                                             "for demonstration, not real figures."))
    lines.append(("Produced", f"{produced_text(produced)} by the {PRODUCED_BY.lower()}."))
    return lines


# -- writing -------------------------------------------------------------------------------


def to_csv(table: ExportTable) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so Excel reads the accents right)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(c.header) for c in table.columns])
    for row in table.cells():
        w.writerow(["" if v is None else neutralise(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def number_format(unit: str, decimals: int, kind: str = "value") -> str:
    """An Excel number format for a unit: ``#,##0.0"%"`` for a percentage to 1 dp."""
    digits = "0" if decimals <= 0 else "0." + "0" * decimals
    base = f"#,##{digits}"
    suffix = '"%"' if unit == "percent" and kind == "value" else ""
    if kind == "change":
        pp = '" pp"' if unit == "percent" else ""
        return f"+{base}{pp};-{base}{pp};{base}{pp}"
    if kind == "int":
        return "#,##0"
    return base + suffix


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E7ECF5")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="1B3F8B"))
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write a cell; text that looks like a formula is stored as quoted text, never a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=1+1" as a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def to_xlsx(table: ExportTable) -> bytes:
    """The table as an Excel workbook: the data sheet, then the "Notes" sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = table.sheet
    for j, col in enumerate(table.columns, start=1):
        cell = _put(ws, 1, j, col.header)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for i, row in enumerate(table.cells()):
        unit, decimals = table.unit_of(i)
        for j, (col, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = _put(ws, i + 2, j, value)
            if col.kind != "text" and isinstance(value, (int, float)):
                cell.number_format = number_format(unit, decimals, col.kind)
            elif col.width and col.width >= 40:
                cell.alignment = _WRAP_TOP
    for j, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width or max(
            12, min(24, len(col.header) + 2))
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = table.freeze
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    _notes_sheet(wb, table)
    wb.properties.title = table.title
    wb.properties.creator = PRODUCED_BY
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


DEFINITION_COLUMNS = (("code", "Code", 24), ("name", "Indicator", 36),
                      ("definition", "Definition", 60), ("unit", "Unit", 18),
                      ("polarity", "Polarity", 18), ("frequency", "Frequency", 12),
                      ("source", "Source", 50), ("licence", "Licence", 28),
                      ("source_url", "Source URL", 40), ("methodology", "Methodology", 60))


def _notes_sheet(wb: Workbook, table: ExportTable) -> None:
    ws = wb.create_sheet("Notes")
    _put(ws, 1, 1, table.title).font = Font(bold=True, size=13)
    row = 3
    for label, text in table.about:
        _put(ws, row, 1, label).font = _HEADER_FONT
        _put(ws, row, 2, text).alignment = _WRAP_TOP
        row += 1
    row += 1
    _put(ws, row, 1, "Indicator definitions and sources").font = Font(bold=True, size=12)
    row += 1
    for j, (_key, header, _w) in enumerate(DEFINITION_COLUMNS, start=1):
        cell = _put(ws, row, j, header)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER
    for d in table.definitions:
        row += 1
        for j, (key, _header, _w) in enumerate(DEFINITION_COLUMNS, start=1):
            _put(ws, row, j, d.get(key)).alignment = _WRAP_TOP
    for j, (_key, _header, width) in enumerate(DEFINITION_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.column_dimensions["B"].width = 60
