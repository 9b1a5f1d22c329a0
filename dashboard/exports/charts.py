"""Print-ready charts: the views' figures, laid out to be complete on their own, as PNG or SVG.

An exported chart goes into a Word report or a slide with nothing around it, so the image
itself carries the title, a subtitle naming the area, comparators and periods, the legend, the
source line with its licence, and the date it was produced. The figures come from
:mod:`dashboard.figures` (the same builders as the views); :func:`print_ready` lays them out
in fixed pixels for a page or a slide and makes every line readable in greyscale, by giving
each series its own dash and marker rather than relying on colour.

Margins are computed here rather than left to plotly's automargin, because the footer is an
annotation placed in pixels below the plot: if plotly grew the margin after placement, the
source line would land on the tick labels.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import math
import re
import textwrap
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard.exports.content import (
    PRODUCED_BY,
    ExportError,
    IndicatorContent,
    filename,
    produced_text,
)
from dashboard.exports.renderer import ChartRenderer, RenderJob, get_renderer
from dashboard.figures import COLOURS, comparison_bar, trend_figure

#: CSS pixels before scaling: "word" fills a portrait page's text width (16 cm at 2x is
#: about 250 dpi); "slide" is 16:9.
SIZES: dict[str, tuple[int, int]] = {"word": (800, 520), "slide": (1280, 720)}
#: Base font size per size; titles, subtitles and the footer scale from it.
BASE_FONT = {"word": 13, "slide": 16}
CHARTS = ("trend", "bar")
#: Arial's metrics everywhere: Liberation Sans on a Linux server, Arial in Word.
EXPORT_FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif'
#: Distinct dashes and open/filled markers for series that would otherwise share a style.
DASHES = ("longdash", "dash", "dot", "dashdot", "longdashdot", "solid", "5px,2px,1px,2px")
SYMBOLS = ("triangle-up", "x", "triangle-down", "star", "hexagon", "cross", "pentagon",
           "triangle-left", "circle-open", "square-open", "diamond-open", "triangle-up-open",
           "star-open")
_CHAR = 0.56  # average glyph width of Arial text, in ems (a little generous, for wrapping)
_PAD = 16


@dataclass(frozen=True)
class ChartText:
    """The words an exported chart carries around its plot."""

    title: str
    subtitle: str
    source: str
    produced: dt.date

    def footer(self) -> str:
        """The source line and the date produced."""
        return f"{self.source}. {produced_text(self.produced)} by the {PRODUCED_BY.lower()}."


@dataclass
class ExportChart:
    """A figure from :mod:`dashboard.figures` with the words and name of its export."""

    figure: go.Figure
    text: ChartText
    name_parts: tuple[str, ...]

    def ready(self, size: str = "word") -> go.Figure:
        """The figure laid out for a size (see :func:`print_ready`)."""
        return print_ready(self.figure, self.text, size)

    def filename(self, fmt: str) -> str:
        """``southend-on-sea_re-referrals-within-12-months_trend_2024.png``."""
        return filename(*self.name_parts, ext=fmt)


def _text_px(text: str, size: float) -> float:
    return len(_plain(text)) * size * _CHAR


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _wrap(text: str, size: float, width_px: float) -> list[str]:
    chars = max(20, int(width_px / (size * _CHAR)))
    return textwrap.wrap(text, chars) or [""]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def print_ready(fig: go.Figure, text: ChartText, size: str = "word") -> go.Figure:
    """A copy of `fig` laid out for export at `size`, with title, legend, source and date.

    Args:
        fig: A figure from :mod:`dashboard.figures` (its own title and source are replaced).
        text: Title, subtitle, source line and date produced.
        size: ``"word"`` (page width) or ``"slide"`` (16:9).
    """
    if size not in SIZES:
        raise ExportError(f"size must be one of {', '.join(SIZES)}, not {size!r}", "size")
    width, height = SIZES[size]
    base = BASE_FONT[size]
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.layout.annotations = [a for a in out.layout.annotations
                              if not str(a.text or "").startswith("Source:")]
    _greyscale_safe(out)
    inner = width - 2 * _PAD
    title_lines = _wrap(text.title, base + 6, inner)
    sub_lines = [ln for part in text.subtitle.split("\n") for ln in _wrap(part, base, inner)]
    foot_lines = [ln for part in text.footer().split("\n") for ln in _wrap(part, base - 2, inner)]
    title_h = len(title_lines) * (base + 6) * 1.3 + len(sub_lines) * base * 1.3 + 8
    legend_items = [t for t in out.data if t.showlegend is not False and t.name]
    has_legend = bool(legend_items) and (
        len(legend_items) > 1 or out.layout.showlegend is True)
    left, right = _side_margins(out, base)
    plot_w = width - left - right
    legend_h, entry_w = _legend_block(legend_items, base, plot_w) if has_legend else (0, 0)
    top = _PAD + title_h + (12 + legend_h if has_legend else 8) + 10
    x_h = _fit_x_axis(out, base, plot_w)
    foot_h = len(foot_lines) * (base - 2) * 1.35
    bottom = x_h + 14 + foot_h + _PAD
    plot_h = height - top - bottom
    if plot_h < 120:
        raise ExportError("too much text for this size; choose the slide size", "size")
    title_html = "<br>".join(f"<b>{_esc(ln)}</b>" for ln in title_lines)
    out.update_layout(
        width=width, height=height,
        font={"family": EXPORT_FONT, "size": base, "color": COLOURS["text"]},
        title={"text": title_html, "x": _PAD / width, "xanchor": "left", "xref": "container",
               "y": 1 - _PAD / height, "yanchor": "top", "yref": "container",
               "font": {"size": base + 6, "family": EXPORT_FONT},
               "subtitle": {"text": "<br>".join(_esc(ln) for ln in sub_lines),
                            "font": {"size": base, "color": COLOURS["muted"],
                                     "family": EXPORT_FONT}}},
        xaxis_title_standoff=8,
        margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": False},
        showlegend=has_legend, hovermode=False,
        paper_bgcolor="white", plot_bgcolor="white",
    )
    if has_legend:
        out.update_layout(legend={
            "orientation": "h", "x": 0, "xanchor": "left", "xref": "paper",
            "y": 1 + 10 / plot_h, "yanchor": "bottom", "yref": "paper",
            "entrywidth": entry_w, "entrywidthmode": "pixels",
            "font": {"size": base, "family": EXPORT_FONT}, "itemsizing": "constant",
            "traceorder": "reversed", "bgcolor": "rgba(255,255,255,0)"})
    out.add_annotation(
        text="<br>".join(_esc(ln) for ln in foot_lines), xref="paper", yref="paper",
        x=-(left - _PAD) / plot_w, y=0, xanchor="left", yanchor="top",
        yshift=-(x_h + 10), showarrow=False, align="left",
        font={"size": base - 2, "color": COLOURS["muted"], "family": EXPORT_FONT})
    return out


def _greyscale_safe(fig: go.Figure) -> None:
    """Give every line series its own dash and marker, and the England bar a hatch.

    The shared theme already draws home, neighbour average and England with different dashes
    and markers; the region line has no markers and the individual neighbours differ by colour
    only, so each of those gets the next unused (dash, marker) pair.
    """
    symbols: set[str] = set()
    dashes: set[str] = set()
    # The builders draw the home area last (on top); it keeps its style first.
    for trace in reversed(fig.data):
        if trace.type == "scatter" and "lines" in (trace.mode or "lines"):
            if trace.fill or trace.line.width == 0 or _legend_only(trace):
                continue  # an interval band, or a legend key for a line drawn as a shape
            dash = trace.line.dash or "solid"
            symbol = (str(trace.marker.symbol or "circle")
                      if "markers" in (trace.mode or "") else None)
            if symbol is None or symbol in symbols:
                symbol = _next(SYMBOLS, symbols)
                if dash in dashes:
                    dash = _next(DASHES, dashes)
                trace.line.dash, trace.marker.symbol = dash, symbol
                trace.mode = "lines+markers"
                trace.marker.size = max(trace.marker.size or 0, 8)
                trace.marker.color = trace.marker.color or trace.line.color
                trace.line.width = max(trace.line.width or 0, 2)
            symbols.add(symbol)
            dashes.add(dash)
        elif trace.type == "bar" and isinstance(trace.marker.color, (list, tuple)):
            shapes = ["/" if c == COLOURS["england"] else "" for c in trace.marker.color]
            if any(shapes):
                trace.marker.pattern = {"shape": shapes, "fgcolor": "white", "size": 6,
                                        "solidity": 0.25}


def _legend_only(trace: Any) -> bool:
    return all(v is None for v in (trace.x or [None]))


def _next(choices: tuple[str, ...], used: set[str]) -> str:
    """The first choice not yet used, or the least used one once all are taken."""
    free = [c for c in choices if c not in used]
    return free[0] if free else choices[len(used) % len(choices)]


def _side_margins(fig: go.Figure, base: int) -> tuple[int, int]:
    """Left margin for the y tick labels and title; right margin for bar value labels."""
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h"]
    if bars:
        labels = [str(y) for t in bars for y in (t.y or [])]
        longest = max((_text_px(s, base) for s in labels), default=60)
        texts = [str(x) for t in bars for x in (t.text or [])]
        widest = max((_text_px(s, base) for s in texts), default=40)
        return int(min(longest + 24, 340)), int(min(widest + 20, 260))
    values = [abs(v) for t in fig.data if t.type == "scatter" for v in (t.y or [])
              if isinstance(v, (int, float)) and not math.isnan(v)]
    digits = len(f"{max(values, default=100):,.0f}") + 2
    y_title = fig.layout.yaxis.title.text if fig.layout.yaxis.title else None
    return int(digits * base * _CHAR + (base * 1.6 if y_title else 0) + 24), 28


def _fit_x_axis(fig: go.Figure, base: int, plot_w: float) -> float:
    """Angle the x tick labels if they would crowd; return their height plus the title's."""
    title = fig.layout.xaxis.title.text if fig.layout.xaxis.title else None
    title_h = base * 1.8 if title else 0
    cats = [str(x) for t in fig.data if t.type == "scatter" for x in (t.x or [])]
    if fig.layout.xaxis.type == "category" and cats:
        labels = list(dict.fromkeys(cats))
        longest = max(_text_px(s, base) for s in labels)
        if longest + 12 > plot_w / max(len(labels), 1):
            fig.update_xaxes(tickangle=-45, automargin=False)
            return longest * 0.72 + base + 14 + title_h
        fig.update_xaxes(tickangle=0, automargin=False)
    return base * 1.4 + 12 + title_h


def _legend_block(items: list[Any], base: int, plot_w: float) -> tuple[float, int]:
    """Height of a horizontal legend in fixed-width columns, and the column width."""
    entry = int(max(_text_px(str(t.name), base) for t in items) + 52)
    entry = min(entry, int(plot_w))
    cols = max(1, int(plot_w // entry))
    rows = math.ceil(len(items) / cols)
    return rows * (base * 1.55 + 4), entry


# -- the two charts of the indicator view --------------------------------------------------


def trend_chart(content: IndicatorContent, produced: dt.date | None = None) -> ExportChart:
    """The trend chart: home area, neighbour average, England, region and chosen neighbours."""
    data, table = content.data, content.table
    names = {n.area.code: n.area.name for n in data.group.neighbours} if data.group else {}
    reporting = None
    if not table.empty and table["neighbours_reporting"].iloc[-1]:
        reporting = (f"{table['neighbours_reporting'].iloc[-1]} reporting for "
                     f"{table['period'].iloc[-1]}")
    others = ", ".join(["England", *([data.region.name] if data.region else [])])
    subtitle = (f"{data.area.name}, {content.periods_text}\nCompared with {others} and the "
                f"{content.comparators_text(reporting)}")
    if content.synthetic:
        subtitle += "\nIncludes synthetic demo data"
    fig = trend_figure(
        table, home_name=data.area.name, fmt=data.fmt, title=content.name, subtitle=None,
        source=None, y_title=content.unit_words,
        region_name=data.region.name if data.region else None,
        neighbours=[(c, names.get(c, c)) for c in content.neighbours],
        target=content.summary.target if content.summary is not None else None)
    if table.empty:
        fig.add_annotation(text="No figures for this area in the years chosen", x=0.5, y=0.5,
                           xref="paper", yref="paper", showarrow=False)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    text = ChartText(content.name, subtitle, content.source(), produced or dt.date.today())
    last = None if table.empty else str(table["period"].iloc[-1])
    return ExportChart(fig, text, (data.area.name, content.name, "trend", last or "no-data"))


def comparison_chart(content: IndicatorContent,
                     produced: dt.date | None = None) -> ExportChart:
    """The latest-period comparison: home, every neighbour and England as sorted bars."""
    data, frame = content.data, content.comparison
    period = content.latest_period or "no data"
    nb = frame[frame["role"] == "neighbour"]["value"].dropna() if not frame.empty else frame
    total = len(data.group.neighbours) if data.group else 0
    subtitle = (f"{data.area.name}, its statistical neighbours ({len(nb)} of {total} "
                f"reporting) and England, {period}\n{content.comparators_text()}")
    if content.synthetic:
        subtitle += "\nIncludes synthetic demo data"
    if frame.empty:
        fig = go.Figure()
        fig.add_annotation(text="No figure for the home area in the years chosen", x=0.5,
                           y=0.5, xref="paper", yref="paper", showarrow=False)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    else:
        fig = comparison_bar(frame, fmt=content.fmt_short, title=content.name, subtitle=None,
                             source=None, x_title=content.unit_words,
                             neighbour_average=float(nb.mean()) if len(nb) else None)
    text = ChartText(f"{content.name}, {period}", subtitle, content.source(),
                     produced or dt.date.today())
    return ExportChart(fig, text, (data.area.name, content.name, "comparison", period))


def build_chart(content: IndicatorContent, chart: str = "trend",
                produced: dt.date | None = None) -> ExportChart:
    """The ``"trend"`` or ``"bar"`` chart of an indicator's content."""
    if chart == "trend":
        return trend_chart(content, produced)
    if chart == "bar":
        return comparison_chart(content, produced)
    raise ExportError(f"chart must be one of {', '.join(CHARTS)}, not {chart!r}", "chart")


def render_chart(chart: ExportChart, fmt: str = "png", size: str = "word", scale: float = 2.0,
                 renderer: ChartRenderer | None = None) -> bytes:
    """The chart as PNG (``scale`` x the size's pixels) or SVG bytes, through the warm browser."""
    if fmt not in ("png", "svg"):
        raise ExportError(f"format must be png or svg, not {fmt!r}", "format")
    if not 1 <= scale <= 4:
        raise ExportError("scale must be between 1 and 4", "scale")
    width, height = SIZES.get(size, (0, 0))
    fig = chart.ready(size)
    return (renderer or get_renderer()).render_many(
        [RenderJob(fig, fmt, width, height, scale)])[0]
