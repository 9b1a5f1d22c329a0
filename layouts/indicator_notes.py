"""The indicator view's notes and the trend chart's additions for local series.

Signed-in users record a note against the indicator, the home area and (optionally) a period:
"deep dive agreed, report back in May". Notes are listed with their author and date, and show
on the trend chart as markers at their period. A note is the user's plain text: it is put in
the page as a text child (which Dash escapes), never as HTML.

Also here, because it draws on the same axis: a monthly or quarterly home series gets the
annual benchmarks (England, region, neighbour average) as flat lines across their years.
Not a page: the indicator page imports it and only places these parts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from dashboard import ids
from dashboard.auth import current_user
from dashboard.context import current_engine
from dashboard.figures.overlays import add_annual_benchmarks, add_note_markers, categories
from dashboard.notes import MAX_LENGTH, NoteInfo, list_notes
from dashboard.periods import PeriodSpec
from dashboard.views_data import IndicatorData, annual_benchmarks, home_type
from dashboard.viewstate import ViewState

NO_PERIOD = "none"


def notes_for(data: IndicatorData) -> list[NoteInfo]:
    """The notes recorded against the indicator for the home area, oldest first."""
    return list_notes(current_engine(), str(data.meta["code"]), data.area.code)


def with_overlays(fig: go.Figure, data: IndicatorData, state: ViewState, table: Any,
                  notes: list[NoteInfo] | None = None) -> go.Figure:
    """The trend chart with annual benchmarks (for a local series) and note markers."""
    if not fig.data:  # the "no figures" chart
        return fig
    cats = categories(table)
    bench = annual_benchmarks(data, state.from_, state.to)
    if data.meta["unit"] in ("count", "number"):  # England's total is not one area's count
        bench = bench[bench["role"] == "neighbour_average"]
    add_annual_benchmarks(fig, bench, cats, data.fmt)
    return add_note_markers(fig, notes if notes is not None else notes_for(data), cats)


def period_value(p: PeriodSpec) -> str:
    """A period as a select's value: type, start and end (read back by `period_from_value`)."""
    return f"{p.type}|{p.start.isoformat()}|{p.end.isoformat()}"


def period_from_value(value: str | None) -> PeriodSpec | None:
    """The period a select's value names, or None for "no particular period".

    Raises:
        ValueError: the value is not one this page wrote.
    """
    if not value or value == NO_PERIOD:
        return None
    kind, start, end = value.split("|")
    return PeriodSpec(dt.date.fromisoformat(end), dt.date.fromisoformat(start), kind)


def period_options(data: IndicatorData | None) -> list[dict[str, str]]:
    """The home area's periods with data, newest first, after "No particular period"."""
    options = [{"label": "No particular period", "value": NO_PERIOD}]
    if data is None:
        return options
    home = data.series[data.series["role"] == "home"]
    ptype = home_type(data)
    if ptype is not None:
        home = home[home["period_type"] == ptype]
    seen: set[str] = set()
    for r in home.sort_values("sort_key", ascending=False).itertuples():
        value = period_value(PeriodSpec(r.end, r.start, str(r.period_type)))
        if value not in seen:
            seen.add(value)
            options.append({"label": str(r.label), "value": value})
    return options


def note_items(notes: list[NoteInfo]) -> Any:
    """The notes, newest first, each with its author, date and period; text as plain text."""
    if not notes:
        return html.P("No notes have been recorded for this indicator and area yet.",
                      className="text-muted small mb-0")
    items = []
    for n in reversed(notes):
        meta = [html.Span(n.author, className="note-author"), " · ",
                html.Time(f"{n.created_at:%d %B %Y}", dateTime=n.created_at.isoformat())]
        if n.period:
            meta += [" · ", html.Span(n.period, className="note-period")]
        items.append(html.Li([html.Div(meta, className="note-meta small"),
                              html.P(n.text, className="note-text mb-0")],
                             className="note-item", **{"data-note": str(n.id)}))
    return html.Ol(items, className="note-list list-unstyled mb-0")


def notes_section(state: ViewState, data: IndicatorData | None) -> html.Section:
    """Notes for the indicator and area: the list, and the form for signed-in users."""
    notes = notes_for(data) if data is not None else []
    user = current_user()
    back = quote(f"/indicator?{state.to_query(('area', 'domain', 'indicator'))}", safe="")
    # The form is always in the page (hidden without a sign-in), so that the callbacks' inputs
    # exist on every indicator view; saving is refused on the server all the same.
    form = html.Div([
        dbc.Label("Add a note", html_for=ids.NOTE_TEXT, className="fw-semibold mb-1"),
        dbc.Textarea(id=ids.NOTE_TEXT, maxLength=MAX_LENGTH, rows=2, value="",
                     placeholder="For example: deep dive agreed, report back in May",
                     className="mb-2"),
        html.Div([
            html.Div([
                dbc.Label("Period", html_for=ids.NOTE_PERIOD, className="small mb-0"),
                dbc.Select(id=ids.NOTE_PERIOD, options=period_options(data), value=NO_PERIOD,
                           size="sm"),
            ], className="note-period-field"),
            dbc.Button("Save note", id=ids.NOTE_SAVE, color="primary", size="sm", n_clicks=0),
        ], className="d-flex gap-2 align-items-end flex-wrap"),
    ], className="note-form mt-3", hidden=user is None)
    sign_in = html.P([html.A("Sign in", href=f"/login?next={back}"), " to add a note."],
                     className="small mt-3 mb-0", hidden=user is not None)
    message = html.P(id=ids.NOTE_MESSAGE, role="status", className="small mt-2 mb-0",
                     **{"aria-live": "polite"})
    return html.Section([
        html.H2("Notes", className="h6 panel-title"),
        html.P("Commentary recorded against this indicator for the home area; notes against "
               "a period show on the trend chart as ▼ markers.", className="small text-muted"),
        html.Div(note_items(notes), id=ids.NOTE_LIST),
        form, sign_in, message,
    ], className="side-panel notes-panel", **{"aria-label": "Notes"})
