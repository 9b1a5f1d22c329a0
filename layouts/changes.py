"""What changed since the last meeting: every indicator that moved, newest data first.

``/changes?area=E06000033&since=2026-10-01`` lists each indicator of the home area whose latest
value, RAG status, quartile band or special-cause status changed in data loaded since the date
(default: the previous meeting recorded in the app, or 30 days ago), with before and after and
a link to the indicator's view (:func:`dashboard.changes.changes_since`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.changes import BAND, RAG, SPECIAL_CAUSE, VALUE, Change
from dashboard.components import DOMAIN_CHOICES, notice, url_store
from dashboard.metrics.spc import VARIATION_TEXT
from dashboard.signals_view import cached_changes, cached_default_since, meeting_title
from dashboard.views_data import area_options, cached_choices, read_state
from dashboard.viewstate import ViewState

dash.register_page(__name__, path="/changes", name="What changed", order=2.5,
                   title="What changed · Safeguarding partnership performance")

KEYS = ("area", "since")
WHAT_WORDS = {VALUE: "value", RAG: "RAG", BAND: "band", SPECIAL_CAUSE: "special cause"}
HEADERS = ("Indicator", "Domain", "Period", "What changed", "Value", "RAG", "Band",
           "Variation", "Loaded")


def layout(**query: Any) -> html.Div:
    """The list for the area and date in the URL (unknown keys are ignored with a notice)."""
    state = read_state(query)
    state = state.with_(since=state.since or cached_default_since())
    choices = cached_choices()
    assert state.since is not None
    return html.Div([
        notice(state),
        html.Section([
            html.Div([dbc.Label("Home area", html_for=ids.CHG_AREA, className="control-label"),
                      dcc.Dropdown(id=ids.CHG_AREA, options=area_options(choices),
                                   value=state.area, clearable=False, searchable=True,
                                   className="area-dropdown")],
                     className="control-field wide"),
            # A plain text box for an ISO date: Dash 4's date picker fails WCAG (an
            # aria-expanded on an element without a role), and dcc.Input has no date type.
            html.Div([dbc.Label(["Changed since ", html.Span("(year-month-day)",
                                                             className="label-hint")],
                                html_for=ids.CHG_SINCE, className="control-label"),
                      dcc.Input(id=ids.CHG_SINCE, type="text", value=state.since.isoformat(),
                                debounce=True, inputMode="numeric", maxLength=10,
                                pattern=r"\d{4}-\d{2}-\d{2}", className="form-control")],
                     className="control-field wide"),
        ], className="control-bar", **{"aria-label": "View settings"}),
        dcc.Loading(html.Div(content(state), id=ids.CHG_CONTENT), delay_show=300,
                    type="circle"),
        url_store(state, KEYS),
    ], className="page page-changes")


def bad_date(text: str) -> list[Any]:
    """What the page says when the date typed cannot be read."""
    return [html.H1("What changed", className="page-title"),
            dbc.Alert(f"'{text}' is not a date: type one as year-month-day, e.g. 2026-10-01.",
                      color="warning", className="changes-bad-date")]


def _since_words(since: dt.date) -> str:
    title = meeting_title(since)
    return f"{since:%-d %B %Y}" + (f" ({title})" if title else "")


def content(state: ViewState) -> list[Any]:
    """The heading and the table of changes for a state (area and since)."""
    assert state.since is not None and state.area is not None
    changes = cached_changes(state.area, state.since)
    area = cached_choices().areas.get(state.area, state.area)
    meta = (f"{area}: every indicator whose latest value, RAG status, quartile band or "
            "special-cause status changed in data loaded on or after "
            f"{_since_words(state.since)}. Newest data first; each name opens the indicator.")
    out: list[Any] = [html.H1(f"What changed since {state.since:%-d %B %Y}",
                              className="page-title"),
                      html.P(meta, className="page-meta")]
    if not changes:
        out.append(html.P(f"Nothing changed for {area} since {state.since:%-d %B %Y}.",
                          className="lead changes-empty"))
        return out
    out.append(html.Div(changes_table(changes, f"{len(changes)} indicators changed since "
                                               f"{state.since:%-d %B %Y}"),
                        className="table-wrap"))
    return out


def _arrow(before: str, after: str) -> list[Any]:
    return [html.Span(before, className="before"),
            html.Span(" → ", **{"aria-hidden": "true"}),
            html.Span(" changed to ", className="visually-hidden"),
            html.Span(after, className="after")]


def _pair(changed: bool, before: str | None, after: str | None) -> list[Any] | str:
    if changed:
        return _arrow(before or "none", after or "none")
    return after or "–"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _variation(code: str | None) -> str | None:
    return VARIATION_TEXT.get(code) if code else None


def _row(c: Change) -> html.Tr:
    period: list[Any] = [c.period or "–"]
    if c.previous_period and c.previous_period != c.period:
        period.append(html.Div(f"was {c.previous_period}", className="cell-sub"))
    return html.Tr([
        html.Th([dcc.Link(c.name, href=c.href, className="ind-link"),
                 html.Div(_capital(c.sentence.removeprefix(f"{c.name}: ")),
                          className="cell-sub changes-sentence")],
                scope="row", className="col-ind"),
        html.Td(DOMAIN_CHOICES.get(c.domain, c.domain)),
        html.Td(period, className="nowrap"),
        html.Td(", ".join(WHAT_WORDS.get(w, w) for w in c.what), className="changes-what"),
        html.Td(_pair(VALUE in c.what, c.before, c.after), className="num nowrap"),
        html.Td(_pair(RAG in c.what, c.rag_before, c.rag_after), className="nowrap"),
        html.Td(_pair(BAND in c.what, c.band_before, c.band_after), className="nowrap"),
        html.Td(_pair(SPECIAL_CAUSE in c.what, _variation(c.variation_before),
                      _variation(c.variation_after))),
        html.Td(f"{c.changed_at:%-d %b %Y}" if c.changed_at else "–", className="nowrap"),
    ], className="change-row", **{"data-code": c.code, "data-what": ",".join(c.what)})


def changes_table(changes: list[Change], caption: str) -> html.Table:
    """One row per changed indicator: before and after of each measure that moved."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in HEADERS]))
    return html.Table([html.Caption(caption), head, html.Tbody([_row(c) for c in changes])],
                      className="table table-sm changes-table align-middle")
