"""The meeting pack: one PDF with a cover and, per indicator, charts, narrative, table and notes.

The cover names the partnership area, the comparators, the period and the date, and counts
red, amber and green indicators with a symbol and a word each (never colour alone). Each
indicator then gets its trend chart, its latest-period comparison, the narrative, the data
table, the definition and source, and any notes recorded against it.

Speed: the data comes from one scorecard call plus one series query per indicator, and all
the charts are rendered as one batch through the process's warm browser (two tabs), so a pack
of 30 indicators takes well under a minute on a 2-core machine. ``progress(fraction, message)``
is called as the work advances, for a progress bar or a CLI log.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import Engine

from dashboard import queries
from dashboard.exports.charts import SIZES, comparison_chart, trend_chart
from dashboard.exports.content import (
    PRODUCED_BY,
    ExportError,
    IndicatorContent,
    clean_text,
    filename,
    indicator_content,
    produced_text,
    resolve_area,
)
from dashboard.exports.renderer import ChartRenderer, RenderJob, get_renderer
from dashboard.figures import RAG_COLOURS
from dashboard.scorecard import IndicatorSummary, Scorecard, ScorecardError, build_scorecard

Progress = Callable[[float, str], None]
PERIOD = re.compile(r"^(19|20)\d\d([-/]\d\d)?( Q[1-4])?$")
MAX_INDICATORS = 60
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
CHART_W = 150 * mm
CHART_SCALE = 2.0
RAG_TINTS = {"red": "#F9DCCB", "amber": "#FCEBC7", "green": "#CCEBDF", None: "#E9ECEF"}
POLARITY_WORDS = {"high": "higher is better", "low": "lower is better",
                  "none": "no judgement", "target_band": "best within a target range"}
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF", "/usr/local/share/fonts")


@dataclass(frozen=True)
class PackRequest:
    """What a pack covers: the view's area, comparators and period, and which indicators.

    Attributes:
        area: Home area ONS code.
        domain: ``children``, ``adults`` or ``partnership`` (also chooses the comparator group).
        theme: One theme of the domain; all curated indicators of the domain when None.
        codes: Indicator codes instead of a domain or theme, in the order to print them.
        vintage: Comparator group vintage (default: the latest).
        period: A year (``2020``) or period label: each indicator as at that period.
        produced: The date printed on the pack (default: today).
    """

    area: str
    domain: str = "children"
    theme: str | None = None
    codes: tuple[str, ...] = ()
    vintage: str | None = None
    period: str | None = None
    produced: dt.date | None = None

    def filename(self, area_name: str) -> str:
        """``southend-on-sea_children_front-door_pack_2026-11-22.pdf``."""
        day = (self.produced or dt.date.today()).isoformat()
        scope = "selected-indicators" if self.codes else self.theme
        return filename(area_name, self.domain, scope, "pack",
                        f"as-at-{self.period}" if self.period else None, day, ext="pdf")


@dataclass
class _Fonts:
    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    symbols: bool = False  # whether the font has the RAG symbols (▲ ◆ ● ○)


@dataclass
class _Item:
    summary: IndicatorSummary
    content: IndicatorContent
    images: list[bytes] = field(default_factory=list)


def _fonts() -> _Fonts:
    """DejaVu Sans if the system has it (it has the RAG symbols), else Helvetica."""
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return _Fonts("DejaVuSans", "DejaVuSans-Bold", True)
    for folder in _FONT_DIRS:
        regular = os.path.join(folder, "DejaVuSans.ttf")
        bold = os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular) and os.path.isfile(bold):
            pdfmetrics.registerFont(TTFont("DejaVuSans", regular))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", bold))
            return _Fonts("DejaVuSans", "DejaVuSans-Bold", True)
    return _Fonts()


def _styles(f: _Fonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=f.regular, fontSize=10, leading=14,
                          alignment=TA_LEFT, textColor=colors.HexColor("#1F2328"))
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5,
                                textColor=colors.HexColor("#4A5260")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=f.bold, fontSize=8.5,
                                leading=10.5),
        "title": ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=24,
                                leading=30, spaceAfter=6, textColor=colors.HexColor("#1B3F8B")),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19,
                                   spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=base, fontName=f.bold, fontSize=16, leading=21,
                             spaceAfter=4, textColor=colors.HexColor("#1B3F8B")),
        "h2": ParagraphStyle("h2", parent=base, fontName=f.bold, fontSize=11.5, leading=15,
                             spaceBefore=10, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=12,
                               textColor=colors.HexColor("#4A5260"), spaceAfter=6),
        "narrative": ParagraphStyle("narrative", parent=base, fontSize=10.5, leading=15,
                                    spaceAfter=8),
    }


def _e(text: Any) -> str:
    return escape("" if text is None else str(text))


def _rag_text(s: IndicatorSummary, f: _Fonts) -> str:
    return f"{s.rag.symbol} {s.rag.label}" if f.symbols else s.rag.label


# -- gathering -----------------------------------------------------------------------------


def _scorecard(engine: Engine, req: PackRequest) -> Scorecard:
    resolve_area(engine, req.area)
    if req.domain not in queries.DOMAIN_GROUP_KIND:
        raise ExportError("domain must be children, adults or partnership", "domain")
    if req.period and not PERIOD.match(req.period):
        raise ExportError(f"period must be a year such as 2020 or a label such as 2019-20, "
                          f"not {req.period!r}", "period")
    kind = queries.DOMAIN_GROUP_KIND[req.domain]
    if req.vintage and req.vintage not in queries.vintages(engine, kind):
        raise ExportError(f"no comparator group of vintage {req.vintage!r}", "vintage")
    if req.theme and req.theme not in queries.themes(engine, req.domain):
        raise ExportError(f"no theme {req.theme!r} in the {req.domain} domain", "theme")
    if req.codes:
        found = set(queries.indicators(engine, codes=list(req.codes))["code"])
        unknown = [c for c in req.codes if c not in found]
        if unknown:
            raise ExportError(f"unknown indicator code(s): {', '.join(unknown)}", "codes")
        if len(req.codes) > MAX_INDICATORS:
            raise ExportError(f"a pack takes at most {MAX_INDICATORS} indicators", "codes")
    try:
        sc = build_scorecard(engine, req.area, req.domain, req.theme, vintage=req.vintage,
                             as_at=req.period, codes=list(req.codes) or None)
    except ScorecardError as err:
        raise ExportError(str(err)) from err
    if req.codes:
        order = {c: i for i, c in enumerate(req.codes)}
        sc.rows.sort(key=lambda r: order[r.code])
    if not sc.rows:
        raise ExportError("no indicators match: choose another domain, theme or codes")
    return sc


def build_pack(engine: Engine, req: PackRequest, progress: Progress | None = None,
               renderer: ChartRenderer | None = None) -> bytes:
    """The meeting pack PDF for a request (raises ExportError for a bad request).

    Args:
        engine: The store.
        req: Area, indicators, comparator vintage and period.
        progress: Called with (fraction done 0-1, message) as the pack is built.
        renderer: The chart renderer (default: the process's warm one).
    """
    report = progress or (lambda _f, _m: None)
    report(0.0, "Reading the scorecard")
    sc = _scorecard(engine, req)
    produced = req.produced or dt.date.today()
    items: list[_Item] = []
    n = len(sc.rows)
    for i, row in enumerate(sc.rows):
        end = row.period.end.year if req.period and row.period else None
        content = indicator_content(engine, row.code, req.area, domain=req.domain,
                                    vintage=req.vintage, end=end, summary=row)
        items.append(_Item(row, content))
        report(0.05 + 0.15 * (i + 1) / n, f"Gathered {row.name} ({i + 1} of {n})")
    jobs = []
    width, height = SIZES["word"]
    for item in items:
        for chart in (trend_chart(item.content, produced), comparison_chart(item.content,
                                                                           produced)):
            jobs.append(RenderJob(chart.ready("word"), "png", width, height, CHART_SCALE))
    report(0.2, f"Drawing {len(jobs)} charts")

    def drawn(done: int, total: int) -> None:
        report(0.2 + 0.65 * done / total, f"Drew chart {done} of {total}")

    images = (renderer or get_renderer()).render_many(jobs, progress=drawn)
    for k, item in enumerate(items):
        item.images = images[2 * k: 2 * k + 2]
    report(0.88, "Writing the PDF")
    pdf = _write_pdf(sc, items, req, produced)
    report(1.0, f"Pack ready: {n} indicators")
    return pdf


# -- writing -------------------------------------------------------------------------------


def _write_pdf(sc: Scorecard, items: Sequence[_Item], req: PackRequest,
               produced: dt.date) -> bytes:
    # Binary image streams: reportlab's default ASCII85 text encoding runs in pure Python
    # without its C accelerator and would take most of the pack's writing time.
    rl_config.useA85 = 0
    f = _fonts()
    st = _styles(f)
    scope = _scope_text(sc, req)
    footer = f"{sc.area.name} · {scope} · {produced_text(produced)}"
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=f"{sc.area.name}: performance pack, {scope}",
        author=PRODUCED_BY, subject="Safeguarding partnership meeting pack",
        creator=PRODUCED_BY)
    story: list[Any] = _cover(sc, items, req, produced, f, st)
    for item in items:
        story.append(PageBreak())
        story += _indicator_pages(item, f, st)

    def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, footer=footer, font=f.regular, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return buf.getvalue()


def _scope_text(sc: Scorecard, req: PackRequest) -> str:
    domain = {"children": "Children's services", "adults": "Adults' safeguarding",
              "partnership": "Partnership measures"}.get(sc.domain, sc.domain)
    if req.codes:
        return f"{domain}: selected indicators"
    return f"{domain}: {sc.theme}" if sc.theme else f"{domain}: all themes"


def _comparators(sc: Scorecard) -> str:
    region = next((r.region_name for r in sc.rows if r.region_name), None)
    g = sc.group
    group = (f"{g.name}" + ("" if g.vintage in g.name else f" ({g.vintage})")
             + (", a synthetic demo group" if g.synthetic else "")
             + f": {len(g.neighbours)} statistical neighbours") if g else \
        "no statistical neighbour group"
    return f"{group}; England" + (f"; {region}" if region else "")


def _cover(sc: Scorecard, items: Sequence[_Item], req: PackRequest, produced: dt.date,
           f: _Fonts, st: dict[str, ParagraphStyle]) -> list[Any]:
    period = (f"as at {req.period} (the latest period ending in or before it)" if req.period
              else "the latest period available for each indicator")
    story: list[Any] = [
        Spacer(1, 20 * mm),
        Paragraph(f"{_e(sc.area.name)} safeguarding partnership", st["subtitle"]),
        Paragraph("Performance pack", st["title"]),
        Paragraph(_e(_scope_text(sc, req)), st["subtitle"]),
    ]
    facts = [("Partnership area", f"{sc.area.name} ({sc.area.code})"),
             ("Indicators", str(len(items))), ("Period", period),
             ("Compared with", _comparators(sc)),
             ("Produced", f"{produced.day} {produced:%B %Y}")]
    story.append(_grid([[Paragraph(_e(k), st["cellb"]), Paragraph(_e(v), st["cell"])]
                        for k, v in facts], [38 * mm, CONTENT_W - 38 * mm], header=False))
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph("RAG summary", st["h2"]))
    counts = sc.counts
    labels = [("red", "Red", "▲"), ("amber", "Amber", "◆"), ("green", "Green", "●"),
              ("none", "No RAG", "○")]
    cells = [Paragraph(f"<font size=16>{(sym + ' ') if f.symbols else ''}{counts[key]}</font>"
                       f"<br/>{label}", st["body"]) for key, label, sym in labels]
    rag = Table([cells], colWidths=[CONTENT_W / 4] * 4, rowHeights=[18 * mm])
    rag.setStyle(TableStyle(
        [("BACKGROUND", (i, 0), (i, 0), colors.HexColor(RAG_TINTS[None if k == "none" else k]))
         for i, (k, _l, _s) in enumerate(labels)]
        + [("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#8C8C8C")),
           ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.white),
           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    story += [rag, Spacer(1, 2 * mm), Paragraph(
        "Each status is given as a symbol and a word: ▲ red, ◆ amber, ● green, ○ no RAG "
        "(no better or worse direction, or no figure). The reason for each is on its page."
        if f.symbols else "Each status is given as a word; the reason is on its page.",
        st["small"])]
    story.append(Paragraph("Contents", st["h2"]))
    head = ["Indicator", "Period", "Value", "RAG", "Change"]
    rows = [[Paragraph(_e(h), st["cellb"]) for h in head]]
    for item in items:
        s = item.summary
        rows.append([Paragraph(_e(s.name), st["cell"]),
                     Paragraph(_e(s.period.label if s.period else "–"), st["cell"]),
                     Paragraph(_e(s.fmt(s.value) if s.value is not None else
                                  (clean_text(s.suppression) or "–")), st["cell"]),
                     Paragraph(_e(_rag_text(s, f)), st["cell"]),
                     Paragraph(_e(_change_words(s)), st["cell"])])
    widths = [78 * mm, 24 * mm, 34 * mm, 22 * mm, CONTENT_W - 158 * mm]
    table = _grid(rows, widths)
    table.setStyle(TableStyle([
        ("BACKGROUND", (3, i), (3, i), colors.HexColor(RAG_TINTS[item.summary.rag.status]))
        for i, item in enumerate(items, start=1)]))
    story.append(table)
    return story


def _change_words(s: IndicatorSummary) -> str:
    if s.direction.change is None:
        return "no earlier figure"
    arrow = {"up": "up", "down": "down", "same": "no change"}.get(s.direction.arrow or "", "")
    judgement = s.direction.judgement
    return arrow + (f", {judgement}" if judgement in ("improving", "worsening") else "")


def _grid(rows: list[list[Any]], widths: Sequence[float], header: bool = True) -> Table:
    t = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#C8CDD4")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7ECF5")))
    t.setStyle(TableStyle(style))
    return t


def _indicator_pages(item: _Item, f: _Fonts, st: dict[str, ParagraphStyle]) -> list[Any]:
    s, c = item.summary, item.content
    meta = c.data.meta
    facts = [f"Code {meta['code']}", clean_text(s.theme) or "",
             s.period.label if s.period else "no data",
             POLARITY_WORDS.get(s.polarity, s.polarity)]
    if c.synthetic:
        facts.append("includes synthetic demo data")
    rag = Table([[Paragraph(f"<b>{_e(_rag_text(s, f))}</b>", st["body"]),
                  Paragraph(_e(s.rag.reason), st["body"])]],
                colWidths=[28 * mm, CONTENT_W - 28 * mm])
    rag.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, 0), colors.HexColor(RAG_TINTS[s.rag.status])),
        ("LINEBEFORE", (0, 0), (0, 0), 4, colors.HexColor(RAG_COLOURS[s.rag.status])),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#C8CDD4"))]))
    w, h = SIZES["word"]
    charts = [Image(io.BytesIO(png), width=CHART_W, height=CHART_W * h / w)
              for png in item.images]
    for im in charts:
        im.hAlign = "LEFT"
    story: list[Any] = [
        Paragraph(_e(s.name), st["h1"]),
        Paragraph(_e(" · ".join(x for x in facts if x)), st["meta"]),
        rag, Spacer(1, 3 * mm),
        Paragraph(_e(s.narrative), st["narrative"]),
        *charts,
        KeepTogether([Paragraph("Data", st["h2"]), _data_table(c, st)]),
        Paragraph("Definition", st["h2"]),
        Paragraph(_e(c.text("definition") or meta["name"]), st["body"]),
    ]
    if c.text("methodology"):
        story.append(Paragraph(f"Method: {_e(c.text('methodology'))}", st["small"]))
    story += [Spacer(1, 2 * mm), Paragraph(_e(c.source()), st["small"])]
    story.append(Paragraph("Notes", st["h2"]))
    if c.notes:
        for n in c.notes:
            who = f" ({n.author})" if n.author else ""
            when = f"{n.period}: " if n.period else ""
            kind = "Publisher's note" if n.kind == "data" else "Commentary"
            story.append(Paragraph(f"<b>{kind}</b> {_e(when)}{_e(n.text)}{_e(who)}",
                                   st["body"]))
    else:
        story.append(Paragraph("No notes recorded against this indicator.", st["small"]))
    return story


def _data_table(c: IndicatorContent, st: dict[str, ParagraphStyle]) -> Table:
    data = c.data
    region = data.region.name if data.region else None
    head = ["Period", data.area.name, "Status", "Neighbour average", "Reporting", "England"]
    head += [region] if region else []
    rows = [[Paragraph(_e(h), st["cellb"]) for h in head]]
    for r in c.table.to_dict("records"):
        cells = [r["period"], c.fmt_short(r["home"]), r["home_status"],
                 c.fmt_short(r["neighbour_average"]), r["neighbours_reporting"] or "–",
                 c.fmt_short(r["england"])]
        cells += [c.fmt_short(r["region"])] if region else []
        rows.append([Paragraph(_e(v), st["cell"]) for v in cells])
    n = len(head)
    first = 24 * mm
    widths = [first] + [(CONTENT_W - first) / (n - 1)] * (n - 1)
    table = _grid(rows, widths)
    unit = Paragraph(f"Values in {_e(c.unit_words)}.", st["small"])
    outer = Table([[table], [unit]], colWidths=[CONTENT_W])
    outer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return outer


class _NumberedCanvas(rl_canvas.Canvas):
    """A canvas that writes "page n of N" and the pack's footer on every page."""

    def __init__(self, *args: Any, footer: str = "", font: str = "Helvetica",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer, self._font = footer, font

    def showPage(self) -> None:
        """Keep the page's state; it is drawn at save, once the page count is known."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw the footer on every page, then write the file."""
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self._font, 8)
            self.setFillColor(colors.HexColor("#4A5260"))
            self.drawString(MARGIN, 10 * mm, self._footer)
            self.drawRightString(PAGE_W - MARGIN, 10 * mm,
                                 f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()
