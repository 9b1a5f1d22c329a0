"""The meeting pack: choose a theme or indicators, build one PDF with progress, download it.

The pack uses the control bar's area, comparator group and period, like the scorecard
(``/pack?area=E06000033&domain=children&theme=Front%20door&period=2024``). The PDF is built in
the background (:mod:`dashboard.exports.jobs`): the page polls its progress and offers the
download when it is ready.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import LATEST, control_bar, notice, period_options, url_store
from dashboard.exports.jobs import PackJob
from dashboard.views_data import (
    area_options,
    cached_choices,
    cached_years,
    indicator_options,
    read_state,
)
from dashboard.viewstate import ViewState

dash.register_page(__name__, path="/pack", name="Meeting pack", order=3,
                   title="Meeting pack · Safeguarding partnership performance")

KEYS = ("area", "domain", "theme", "vintage", "period")
POLL_MS = 500
HIDDEN = " d-none"


def layout(**query: Any) -> html.Div:
    """The pack page for the state in the URL (unknown keys are ignored with a notice)."""
    state = read_state(query)
    choices = cached_choices()
    period = html.Div([
        dbc.Label("Period", html_for=ids.PACK_PERIOD, className="control-label"),
        dbc.Select(id=ids.PACK_PERIOD, value=state.period or LATEST,
                   options=period_options(cached_years(state))),
    ], className="control-field narrow")
    options = offered(state)
    ticked = [o["value"] for o in options]
    idle = progress(None)
    return html.Div([
        notice(state),
        control_bar(state, choices, area_options(choices), ids.PACK_CONTROLS, extra=[period]),
        html.H1("Meeting pack", className="page-title"),
        html.P("One PDF for the next meeting: a cover page with the RAG summary, then for "
               "each indicator its trend chart, the latest-period comparison with neighbours "
               "and England, the narrative, the data table, the definition and any notes. It "
               "uses the home area, comparator group and period chosen above.",
               className="page-meta"),
        dbc.Row([
            dbc.Col(html.Div(html.Fieldset([
                html.Legend("Indicators in the pack", className="panel-title pack-legend"),
                html.Div([
                    dbc.Button("Tick all", id=ids.PACK_ALL, color="secondary", outline=True,
                               size="sm", n_clicks=0),
                    dbc.Button("Untick all", id=ids.PACK_NONE, color="secondary",
                               outline=True, size="sm", n_clicks=0),
                    html.Span(count_text(ticked, options), id=ids.PACK_COUNT,
                              className="small text-muted"),
                ], className="pack-tick-bar"),
                dbc.Checklist(id=ids.PACK_INDICATORS, options=options, value=ticked,
                              className="pack-indicators"),
            ]), className="side-panel"), lg=7),
            dbc.Col(html.Div([
                html.H2("Build the PDF", className="h6 panel-title"),
                html.P("A pack of 30 indicators takes under a minute. You can keep working "
                       "on this page while it builds.", className="small text-muted"),
                dbc.Button("Build PDF", id=ids.PACK_BUILD, color="primary", n_clicks=0,
                           disabled=idle[-1]),
                dbc.Progress(id=ids.PACK_PROGRESS, value=idle[0], label=idle[1],
                             className=idle[2], striped=True, animated=True),
                html.P(idle[3], id=ids.PACK_DETAIL, className="small text-muted mb-1"),
                html.P(idle[4], id=ids.PACK_STATUS, role="status", className="pack-status",
                       **{"aria-live": "polite"}),
                html.A("Download the meeting pack (PDF)", id=ids.PACK_DOWNLOAD, href=idle[6],
                       download="", className=idle[7]),
            ], className="side-panel pack-build"), lg=5, className="align-self-start"),
        ], className="g-3"),
        dcc.Store(id=ids.PACK_JOB),
        dcc.Interval(id=ids.PACK_POLL, interval=POLL_MS, disabled=True),
        url_store(state, KEYS),
    ], className="page page-pack")


def offered(state: ViewState) -> list[dict[str, str]]:
    """The curated indicators of the state's domain (and theme) that a pack can hold."""
    return indicator_options(state.domain, state.theme)


def count_text(ticked: list[str] | None, options: list[dict[str, str]]) -> str:
    """How many of the offered indicators are ticked."""
    n = len(set(ticked or ()) & {o["value"] for o in options})
    return f"{n} of {len(options)} ticked"


def selection(state: ViewState, scope_changed: bool, ticked: list[str] | None,
              untick: bool = False) -> tuple[list[dict[str, str]], list[str]]:
    """The indicators offered for a state, and which stay ticked.

    A new domain or theme (or "Tick all") ticks every offered indicator; a new area,
    comparator group or period keeps the ticks; "Untick all" clears them.
    """
    options = offered(state)
    values = [o["value"] for o in options]
    if untick:
        return options, []
    if scope_changed or ticked is None:
        return options, values
    keep = set(ticked)
    return options, [v for v in values if v in keep]


def progress(job: PackJob | None, error: str | None = None) -> tuple[Any, ...]:
    """What the build panel shows for a job (None: nothing built yet).

    Returns, in the order of the pack callbacks' outputs: the bar's value, its label and its
    class, what the job is doing, the status sentence (a live region, so it changes only
    when the job starts, finishes or fails), whether polling stops, the download's href and
    class, and whether the Build button is disabled.
    """
    bar, link = "pack-progress mt-3", "btn btn-success mt-2 pack-download"
    if error is not None or job is None:
        return 0, "", bar + HIDDEN, "", error or "", True, "", link + HIDDEN, False
    pct = round(job.fraction * 100)
    if job.state == "failed":
        return (0, "", bar + HIDDEN, "", f"The pack could not be built. {job.message}", True,
                "", link + HIDDEN, False)
    if job.state == "done":
        return (100, "100%", bar + " done", job.filename, "The pack is ready to download.", True,
                job.href or "", link, False)
    return pct, f"{pct}%", bar, job.message, "Building the pack…", False, "", link + HIDDEN, True
