"""Additions to the trend chart: annual benchmarks beside a local series, and notes as markers.

Both work on the trend chart's category axis, whose categories are the periods of the home
area's series (``period`` with its ``start`` and ``end`` dates in the trend table):

- an annual figure (England's 2023-24, say) beside a monthly or quarterly series is drawn as a
  flat line across the months or quarters its year covers, named with its own period, so that
  it is never read as one month's figure;
- notes recorded against a period are markers along the top of the chart, one per period,
  whose hover text lists them. A note's text is the user's plain text: it is escaped, so that
  plotly shows ``<b>`` as those three characters instead of bold type.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import LINE_STYLES

Formatter = Callable[[float | None], str]
Category = tuple[str, dt.date, dt.date]  # label, start, end
NOTE_COLOUR = "#1F2328"
NOTE_AXIS = "y9"  # a hidden axis from 0 to 1 over the plot, so markers sit along its top
HOVER_CHARS = 280


def categories(table: pd.DataFrame) -> list[Category]:
    """The chart's categories from the trend table: (label, start, end) in order."""
    if table.empty or not {"start", "end"} <= set(table):
        return []
    return [(str(p), _day(s), _day(e))
            for p, s, e in zip(table["period"], table["start"], table["end"], strict=True)]


def _day(v: Any) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


def add_annual_benchmarks(fig: go.Figure, bench: pd.DataFrame, cats: Sequence[Category],
                          fmt: Formatter) -> go.Figure:
    """Draw each annual figure as a flat line across the categories inside its year.

    Args:
        fig: The trend chart.
        bench: Rows of ``series``, ``role``, ``period``, ``start``, ``end`` and ``value``
            (:func:`dashboard.views_data.annual_benchmarks`).
        cats: The chart's categories.
        fmt: Formats a value for the hover text.

    Returns:
        The figure with one trace per series (legend: "England, whole year"); years with no
        category inside them on the chart are left out.
    """
    if bench.empty or not cats:
        return fig
    for (series, role), rows in bench.groupby(["series", "role"], sort=False):
        xs: list[str | None] = []
        ys: list[float | None] = []
        custom: list[list[str] | None] = []
        for r in rows.itertuples():
            inside = [c[0] for c in cats if c[1] >= _day(r.start) and c[2] <= _day(r.end)]
            if not inside:
                continue
            ends = [inside[0], inside[-1]] if len(inside) > 1 else [inside[0]]
            xs += [*ends, None]
            ys += [float(r.value)] * len(ends) + [None]
            custom += [[fmt(r.value), str(r.period)]] * len(ends) + [None]
        if not xs:
            continue
        style = LINE_STYLES.get(str(role), LINE_STYLES["england"])
        colour = style["line"]["color"]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, customdata=custom, name=f"{series}, whole year",
            mode="lines+markers", connectgaps=False,
            line={"color": colour, "width": 2, "dash": "dot"},
            marker={"size": 7, "symbol": "line-ns-open", "color": colour},
            hovertemplate=f"<b>{_plain(str(series))}</b>: %{{customdata[0]}} "
                          "(whole year %{customdata[1]})<extra></extra>",
            meta={"benchmark": str(role)}))
    return fig


def note_category(cats: Sequence[Category], end: dt.date | None) -> str | None:
    """The category whose period holds a note's period end date, or None if none does."""
    if end is None:
        return None
    end = _day(end)
    return next((c[0] for c in cats if c[1] <= end <= c[2]), None)


def _note_line(author: str, created: dt.datetime | dt.date | None, text: str) -> str:
    short = text if len(text) <= HOVER_CHARS else text[:HOVER_CHARS - 1] + "…"
    when = f"{created:%d %b %Y}" if created else ""
    wrapped = "<br>".join(_plain(line) for line in textwrap.wrap(short, 60) or [""])
    return f"<i>{_plain(author)}, {when}</i><br>{wrapped}"


def _plain(text: str) -> str:
    # Plotly reads &amp; &lt; &gt; back as characters, but not &quot;: quotes stay as they are.
    return html.escape(text, quote=False)


def add_note_markers(fig: go.Figure, notes: Iterable[Any], cats: Sequence[Category]) -> go.Figure:
    """Mark each period that has notes with a marker along the top of the chart.

    Args:
        fig: The trend chart (a category x-axis).
        notes: Objects with ``period``, ``period_end``, ``author``, ``created_at`` and
            ``text`` (:class:`dashboard.notes.NoteInfo`).
        cats: The chart's categories.

    Returns:
        The figure with one "Notes" trace, if any note falls on a period shown.
    """
    by_cat: dict[str, list[str]] = {}
    for n in notes:
        cat = note_category(cats, n.period_end)
        if cat is not None:
            by_cat.setdefault(cat, []).append(_note_line(n.author, n.created_at, n.text))
    if not by_cat:
        return fig
    order = [c[0] for c in cats if c[0] in by_cat]
    hover = [f"<b>{len(by_cat[c])} note{'s' if len(by_cat[c]) != 1 else ''}</b><br>"
             + "<br>".join(by_cat[c]) for c in order]
    fig.add_trace(go.Scatter(
        x=order, y=[0.97] * len(order), yaxis=NOTE_AXIS, mode="markers", name="Notes",
        marker={"symbol": "triangle-down", "size": 14, "color": NOTE_COLOUR,
                "line": {"color": "white", "width": 1.5}},
        customdata=[[h] for h in hover], hovertemplate="%{customdata[0]}<extra></extra>",
        meta={"notes": len(order)}))
    fig.update_layout(yaxis9={"overlaying": "y", "range": [0, 1], "visible": False,
                              "fixedrange": True})
    return fig
