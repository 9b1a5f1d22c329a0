"""The scorecard (landing page): every indicator of a domain or theme, rated and compared.

RAG counts at the top, filters for RAG status and "worse than comparators and getting worse",
and a sortable table whose indicator names open the indicator view. ``period`` shows the
scorecard as at an earlier year, for last year's report.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import (
    DOMAIN_LABELS,
    LATEST,
    control_bar,
    counts_bar,
    notice,
    period_options,
    scorecard_table,
    synthetic_badge,
    table_downloads,
    url_store,
)
from dashboard.scorecard import Scorecard, ScorecardError
from dashboard.views_data import (
    area_options,
    cached_choices,
    cached_scorecard,
    cached_years,
    filter_rows,
    read_state,
    sort_rows,
)
from dashboard.viewstate import ViewState

dash.register_page(__name__, path="/", name="Scorecard", order=0,
                   title="Scorecard · Safeguarding partnership performance")

KEYS = ("area", "domain", "theme", "vintage", "period", "rag", "worse", "sort", "variation")
RAG_FILTER = [{"label": "▲ Red", "value": "red"}, {"label": "◆ Amber", "value": "amber"},
              {"label": "● Green", "value": "green"}, {"label": "○ No RAG", "value": "none"}]
#: SPC variation of local monthly or quarterly series (METHODS.md, "Signal or noise").
VARIATION_FILTER = [{"label": "Special cause — concern", "value": "concern"},
                    {"label": "Special cause — improvement", "value": "improvement"},
                    {"label": "Special cause — neutral", "value": "neutral"},
                    {"label": "Common cause", "value": "common"}]


def layout(**query: Any) -> html.Div:
    """The scorecard for the state in the URL (unknown keys are ignored with a notice)."""
    state = read_state(query)
    choices = cached_choices()
    period = html.Div([
        dbc.Label("Period", html_for=ids.SC_PERIOD, className="control-label"),
        dbc.Select(id=ids.SC_PERIOD, value=state.period or LATEST,
                   options=period_options(cached_years(state))),
    ], className="control-field narrow")
    head, counts, table = content(state)
    return html.Div([
        notice(state),
        control_bar(state, choices, area_options(choices), ids.SC_CONTROLS, extra=[period]),
        html.Div(head, id=ids.SC_HEADING),
        html.Div([
            html.Div(counts, id=ids.SC_COUNTS),
            html.Div([
                html.Fieldset([
                    html.Legend("Show:", className="filter-label"),
                    dbc.Checklist(id=ids.SC_RAG, options=RAG_FILTER, value=list(state.rag),
                                  inline=True, className="rag-filter"),
                ], className="filter-group"),
                dbc.Switch(id=ids.SC_WORSE, value=state.worse,
                           label="Only worse than comparators and getting worse",
                           className="worse-filter"),
                html.Fieldset([
                    html.Legend("Variation (local monthly or quarterly data):",
                                className="filter-label"),
                    dbc.Checklist(id=ids.SC_VARIATION, options=VARIATION_FILTER,
                                  value=list(state.variation), inline=True,
                                  className="variation-filter"),
                ], className="filter-group"),
            ], className="filters"),
            table_downloads(state, "scorecard", "scorecard table"),
        ], className="summary-row"),
        dcc.Loading(html.Div(table, id=ids.SC_TABLE, className="table-wrap"),
                    delay_show=300, type="circle"),
        dcc.Store(id=ids.SC_SORT, data=state.sort),
        url_store(state, KEYS),
    ], className="page page-scorecard")


def content(state: ViewState) -> tuple[list[Any], Any, Any]:
    """The heading, the RAG counts and the table, for a state."""
    try:
        sc = cached_scorecard(state)
    except ScorecardError as err:
        return [html.H1("Scorecard"), dbc.Alert(str(err), color="warning")], None, None
    rows = sort_rows(filter_rows(sc.rows, state.rag, state.worse, state.variation), state.sort)
    worse = sum(r.worse_and_worsening for r in sc.rows)
    caption = (f"{len(rows)} of {len(sc.rows)} indicators"
               + (f" ({', '.join(state.rag)})" if state.rag else "")
               + (", worse than comparators and getting worse" if state.worse else "")
               + (f", variation: {', '.join(state.variation)}" if state.variation else ""))
    return heading(sc, state), counts_bar(sc.counts, worse), \
        scorecard_table(rows, state, caption)


def heading(sc: Scorecard, state: ViewState) -> list[Any]:
    """The page title and a line saying what the numbers are compared with."""
    domain = DOMAIN_LABELS.get(sc.domain, sc.domain)
    title = f"{sc.area.name}: {domain.lower()}" + (f", {sc.theme.lower()}" if sc.theme else "")
    when = f"as at {state.period}" if state.period else "latest published figures"
    group = (f"compared with {len(sc.group.neighbours)} statistical neighbours "
             f"({sc.group.vintage} grouping)" if sc.group else "no comparator group")
    meta: list[Any] = [f"Scorecard, {when}; {group} and England. RAG: quartile band among "
                       "all English local authorities unless a local target is set. Click a "
                       "column heading to sort, an indicator to open it."]
    if (sc.group and sc.group.synthetic) or any(r.synthetic for r in sc.rows):
        meta += [" ", synthetic_badge(),
                 html.Span(" Some values or comparators here are synthetic, for "
                           "demonstration only.", className="text-muted")]
    return [html.H1(title, className="page-title"), html.P(meta, className="page-meta")]
