"""Meeting pack callbacks: indicators follow the controls, Build starts a job, polling shows it.

The Build button starts a background job (:mod:`dashboard.exports.jobs`) and enables the
interval; each tick reads the job's progress, and when it is done the download link appears.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, ctx

from dashboard import ids
from dashboard.components import ALL_THEMES, LATEST, chosen, period_options, url_data
from dashboard.exports.content import ExportError
from dashboard.exports.jobs import pack_request, pack_status, start_pack
from dashboard.views_data import cached_years
from dashboard.viewstate import ViewState
from layouts import pack as page

C = ids.PACK_CONTROLS
#: What a new domain or theme (or "Tick all") resets: every offered indicator ticked.
SCOPE = (C.domain, C.theme, ids.PACK_ALL)
#: The build panel's outputs, in the order of :func:`layouts.pack.progress`.
PANEL = ((ids.PACK_PROGRESS, "value"), (ids.PACK_PROGRESS, "label"),
         (ids.PACK_PROGRESS, "className"), (ids.PACK_DETAIL, "children"),
         (ids.PACK_STATUS, "children"), (ids.PACK_POLL, "disabled"),
         (ids.PACK_DOWNLOAD, "href"), (ids.PACK_DOWNLOAD, "className"),
         (ids.PACK_BUILD, "disabled"))


def state_from(area: str, domain: str, theme: str, vintage: str, period: str) -> ViewState:
    """The page's state from the control bar."""
    return ViewState(area=area, domain=domain, theme=chosen(theme, ALL_THEMES),
                     vintage=vintage or None, period=chosen(period, LATEST))


def update(area: str, domain: str, theme: str, vintage: str, period: str, _all: int,
           _none: int, ticked: list[str] | None) -> tuple[Any, ...]:
    """The indicators offered and ticked, the period choices and the URL, for the controls."""
    state = state_from(area, domain, theme, vintage, period)
    options, value = page.selection(state, ctx.triggered_id in SCOPE, ticked,
                                    untick=ctx.triggered_id == ids.PACK_NONE)
    return options, value, period_options(cached_years(state)), url_data(state, page.KEYS)


def count(ticked: list[str] | None, options: list[dict[str, str]]) -> str:
    """How many indicators are ticked."""
    return page.count_text(ticked, options)


def build(_clicks: int, area: str, domain: str, theme: str, vintage: str, period: str,
          ticked: list[str] | None, options: list[dict[str, str]]) -> tuple[Any, ...]:
    """Start building the pack for the ticked indicators; the panel shows it has started."""
    if not ticked:
        return (None, *page.progress(None, "Tick at least one indicator to build a pack."))
    state = state_from(area, domain, theme, vintage, period)
    req = pack_request(state.area or area, state.domain, state.theme, state.vintage,
                       state.period, ticked, [o["value"] for o in options])
    try:
        job = start_pack(req)
    except ExportError as err:
        return (None, *page.progress(None, f"The pack could not be built. {err.message}"))
    return (job.id, *page.progress(job))


def poll(_n: int, job_id: str | None) -> tuple[Any, ...]:
    """The running job's progress; the download once it is done."""
    job = pack_status(job_id or "")
    if job is None:
        return page.progress(None, "The pack was not found (it may have expired): build it "
                                   "again.")
    return page.progress(job)


def register(app: dash.Dash) -> None:
    """Register the meeting pack's callbacks."""
    app.callback(
        Output(ids.PACK_INDICATORS, "options"), Output(ids.PACK_INDICATORS, "value"),
        Output(ids.PACK_PERIOD, "options"), Output(ids.URL_STATE, "data", allow_duplicate=True),
        Input(C.area, "value"), Input(C.domain, "value"), Input(C.theme, "value"),
        Input(C.vintage, "value"), Input(ids.PACK_PERIOD, "value"),
        Input(ids.PACK_ALL, "n_clicks"), Input(ids.PACK_NONE, "n_clicks"),
        State(ids.PACK_INDICATORS, "value"), prevent_initial_call=True,
    )(update)
    app.callback(
        Output(ids.PACK_COUNT, "children"), Input(ids.PACK_INDICATORS, "value"),
        State(ids.PACK_INDICATORS, "options"), prevent_initial_call=True,
    )(count)
    app.callback(
        Output(ids.PACK_JOB, "data"), *[Output(i, p, allow_duplicate=True) for i, p in PANEL],
        Input(ids.PACK_BUILD, "n_clicks"),
        State(C.area, "value"), State(C.domain, "value"), State(C.theme, "value"),
        State(C.vintage, "value"), State(ids.PACK_PERIOD, "value"),
        State(ids.PACK_INDICATORS, "value"), State(ids.PACK_INDICATORS, "options"),
        prevent_initial_call=True,
    )(build)
    app.callback(
        *[Output(i, p, allow_duplicate=True) for i, p in PANEL],
        Input(ids.PACK_POLL, "n_intervals"), State(ids.PACK_JOB, "data"),
        prevent_initial_call=True,
    )(poll)
