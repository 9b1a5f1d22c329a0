"""The Data page: upload partner figures, check them, commit them; load history; targets.

Everyone can see the page, the template and the load history; what a user can do depends on
their role, and the server checks it for every action whatever the page shows:

- **Upload** (contributors and admins): the file is dropped on a ``dcc.Upload`` zone, but the
  browser posts it as a file (multipart, with the CSRF header) to ``POST /upload/validate``
  and ``POST /upload/commit`` (:mod:`dashboard.data_routes`, which check the role), with a
  real progress bar from the request's upload events. Sending it through a Dash callback
  instead would base64-encode it (a third larger) and send it twice, for the check and for
  the commit, and the server's 12 MB request limit would then refuse files over about 9 MB,
  below the 10 MB the upload rules allow. The routes' JSON answers land in ``dcc.Store``
  components, drawn by the functions below.
- **Commit** sends the same file with the preview's token, so that nothing is stored unless
  it is exactly the plan the user saw.
- **Roll back** (admins), after a confirmation, and **targets** (admins) are Dash callbacks
  that ask `dashboard.auth.user_for_callback` for the role.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.auth import CurrentUser, current_user
from dashboard.context import current_engine
from dashboard.ingest.rollback import LoadInfo, load_history
from dashboard.ingest.upload import MAX_BYTES, TEMPLATE_HELP
from dashboard.targets import DEFAULT_TOLERANCE, TargetInfo, list_targets
from dashboard.views_data import area_options, cached_catalogue, cached_choices

dash.register_page(__name__, path="/data", name="Data", order=3.5,
                   title="Data · Safeguarding partnership performance")

HISTORY_ROWS = 50
PREVIEW_ROWS = 200  # rows shown per preview table; the counts cover every row
HIDDEN = " d-none"


def layout(**_query: Any) -> html.Div:
    """The Data page for the signed-in user (the same components for everyone)."""
    user = current_user()
    return html.Div([
        html.H1("Data", className="page-title"),
        html.P(["Partners' figures: upload a file, check it, and commit it. Nothing is stored "
                "until you commit, and a commit stores every row or none. ", who(user)],
               className="page-meta"),
        dbc.Row([
            dbc.Col(upload_panel(user), lg=7),
            dbc.Col(template_panel(), lg=5),
        ], className="g-3 mb-3"),
        html.Div(id=ids.DATA_REPORT, className="mb-2"),
        html.Div([
            dbc.Button("Commit", id=ids.DATA_COMMIT, color="success", n_clicks=0,
                       disabled=True),
            html.Span("Stores every row in the preview above, or none if anything changed "
                      "since it was checked.", className="small text-muted ms-2"),
        ], id=ids.DATA_COMMIT_BAR, className="commit-bar mb-2", hidden=True),
        html.Div(id=ids.DATA_RESULT, role="status", className="mb-3"),
        history_section(user),
        targets_section(user),
        dcc.Store(id=ids.DATA_REPORT_STORE),
        dcc.Store(id=ids.DATA_COMMIT_STORE),
        dcc.Store(id=ids.DATA_ROLLBACK_PENDING),
    ], className="page page-data")



def who(user: CurrentUser | None) -> Any:
    """A sentence saying who is signed in and what they may do here."""
    if user is None:
        return html.Span([html.A("Sign in", href="/login?next=/data"),
                          " as a contributor to upload figures."])
    agency = f" for {user.agency}" if user.agency else ""
    can = {"admin": "You can upload for any indicator, roll loads back and set targets.",
           "contributor": "You can upload figures for your agency's indicators.",
           "viewer": "Your role does not include uploading; ask an admin if you need it."}
    return html.Span([f"Signed in as {user.username} ({user.role}{agency}). ",
                      can.get(user.role, "")])


# -- upload -------------------------------------------------------------------------------


def upload_panel(user: CurrentUser | None) -> html.Section:
    """The drop zone with its progress bar and status line."""
    allowed = user is not None and user.has_role("contributor")
    limit = MAX_BYTES // 1_048_576
    return html.Section([
        html.H2("Upload a file", className="h6 panel-title"),
        dcc.Upload(
            id=ids.DATA_UPLOAD, multiple=False, accept=".csv,.xlsx,.txt",
            disabled=not allowed, className="upload-drop" + ("" if allowed else " disabled"),
            children=html.Div([
                html.Span("Drag and drop a CSV or Excel (.xlsx) file here, or ",
                          className="upload-words"),
                html.Span("choose a file", className="upload-choose"),
                html.Div(f"Template, Fingertips or Safeguarding Adults Collection layout; "
                         f"up to {limit} MB.", className="small text-muted mt-1"),
            ])),
        dbc.Progress(id=ids.DATA_PROGRESS, value=0, label="", striped=True,
                     className="upload-progress mt-2" + HIDDEN),
        html.P("" if allowed else "Uploading needs a contributor or admin account.",
               id=ids.DATA_STATUS, role="status", className="small mt-2 mb-0",
               **{"aria-live": "polite"}),
    ], className="side-panel upload-panel", **{"aria-label": "Upload a file"})


def template_panel() -> html.Section:
    """The template downloads and what each column means."""
    return html.Section([
        html.H2("Upload template", className="h6 panel-title"),
        html.P("One row per figure. The Excel template also has a sheet to declare new local "
               "indicators, and a guidance sheet.", className="small"),
        html.Div([
            html.A("Download the CSV template", href="/upload/template.csv", download="",
                   id=ids.DATA_TEMPLATE_CSV, className="btn btn-outline-primary btn-sm"),
            html.A("Download the Excel template", href="/upload/template.xlsx", download="",
                   id=ids.DATA_TEMPLATE_XLSX, className="btn btn-outline-primary btn-sm"),
        ], className="d-flex flex-wrap gap-2 mb-2"),
        html.Details([
            html.Summary("What each column means"),
            html.Dl([c for name, need, words in TEMPLATE_HELP for c in (
                html.Dt([html.Code(name), f" ({need})"]), html.Dd(words, className="small"))],
                className="template-help mt-2 mb-0"),
        ]),
    ], className="side-panel")


def problem_sentence(n: int) -> str:
    """"3 problems: fix them and upload again"."""
    return (f"{n} problem{'s' if n != 1 else ''}: fix {'them' if n != 1 else 'it'} and "
            "upload again")


def report_view(report: dict[str, Any] | None) -> tuple[Any, bool, bool]:
    """The validation report for the route's JSON answer.

    Returns:
        The report, whether the commit bar stays hidden, and whether Commit is disabled.
    """
    if not report:
        return None, True, True
    if report.get("error"):
        return refusal(report), True, True
    problems = report.get("problems") or []
    if problems:
        return problems_view(report, problems), True, True
    preview = report.get("preview") or {}
    counts = preview.get("counts") or {}
    changes = int(counts.get("insert", 0)) + int(counts.get("update", 0))
    rows = preview.get("rows") or []
    parts: list[Any] = [
        html.H2("Ready to commit", className="h5 report-title"),
        html.P(report.get("summary", ""), className="report-summary"),
        html.Ul([html.Li(f"{counts.get('insert', 0)} to add"),
                 html.Li(f"{counts.get('update', 0)} to update (old -> new)"),
                 html.Li(f"{counts.get('unchanged', 0)} left alone (same as stored)")]
                + ([html.Li(f"{counts['skipped']} skipped")] if counts.get("skipped") else []),
                className="report-counts"),
    ]
    if preview.get("indicators_new"):
        parts.append(html.P("New indicators: " + ", ".join(preview["indicators_new"]) + "."))
    for action, title in (("insert", "To add"), ("update", "To update"),
                          ("unchanged", "Left alone")):
        chosen = [r for r in rows if r.get("action") == action]
        if chosen:
            parts.append(preview_table(chosen, title, open_=action != "unchanged"))
    return (html.Section(parts, className="side-panel report report-ok",
                         **{"aria-label": "Validation report"}),
            False, changes == 0 and not preview.get("indicators_new"))


def refusal(answer: dict[str, Any]) -> Any:
    """An error answer (no sign-in, no role, file too large, out of date) as an alert."""
    return dbc.Alert([html.Strong("Nothing was stored. "), str(answer.get("error"))],
                     color="danger", className="report report-error")


def problems_view(report: dict[str, Any], problems: list[dict[str, Any]]) -> Any:
    """Every problem, with its row, column, value and sentence, and what to do."""
    head = html.Thead(html.Tr([html.Th(h, scope="col")
                               for h in ("Row", "Column", "Value", "Problem")]))
    body = html.Tbody([html.Tr([
        html.Td("–" if p.get("row") is None else str(p["row"])),
        html.Td(p.get("column") or "–"),
        html.Td(html.Code(p["value"]) if p.get("value") not in (None, "") else "–"),
        html.Td(p.get("message") or "")]) for p in problems])
    name = report.get("file_name") or "the file"
    return html.Section([
        html.Div([
            html.H2(problem_sentence(len(problems)), className="h5 report-title"),
            html.P(f"Nothing from {name} has been stored. Rows are numbered as in a "
                   "spreadsheet: the header is row 1.", className="mb-0"),
        ], role="alert", className="report-alert"),
        html.Div(html.Table([html.Caption(f"Problems found in {name}"), head, body],
                            className="table table-sm data-table problem-table"),
                 className="table-wrap"),
    ], className="side-panel report report-problems", **{"aria-label": "Validation report"})


def preview_table(rows: list[dict[str, Any]], title: str, open_: bool = True) -> Any:
    """A preview table: row, indicator, area, period, breakdown and the change."""
    shown = rows[:PREVIEW_ROWS]
    change = "Old -> new" if title == "To update" else "Value"
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "Row", "Indicator", "Area", "Period", "Breakdown", change, "Status")]))
    body = html.Tbody([html.Tr([
        html.Td(str(r.get("row", ""))), html.Td(r.get("indicator", "")),
        html.Td(r.get("area", "")), html.Td(r.get("period", "")),
        html.Td(r.get("breakdown", "")), html.Td(change_text(r)),
        html.Td((r.get("new") or {}).get("status") or "")]) for r in shown])
    more = (html.P(f"Showing the first {PREVIEW_ROWS:,} of {len(rows):,} rows.",
                   className="small text-muted") if len(rows) > PREVIEW_ROWS else None)
    return html.Details([
        html.Summary(f"{title} ({len(rows):,})"),
        html.Div(html.Table([html.Caption(f"{title}: rows of the file"), head, body],
                            className="table table-sm data-table preview-table"),
                 className="table-wrap"),
        more,
    ], open=open_, className=f"preview preview-{title.split()[0].lower()} mb-2")


def change_text(row: dict[str, Any]) -> str:
    """"529 -> 530", naming any other field that changes ("366 -> 366; note changes")."""
    old, new = row.get("old") or {}, row.get("new") or {}
    others = [k for k in new if k != "value" and old and new.get(k) != old.get(k)]
    words = str(row.get("change", ""))
    return words + (f"; {', '.join(others)} change{'s' if len(others) == 1 else ''}"
                    if others else "")


def result_view(result: dict[str, Any] | None,
                report: dict[str, Any] | None) -> Any:
    """The commit's outcome: what was stored, with a link to see it; or why nothing was."""
    if not result:
        return None
    if result.get("error"):
        problems = result.get("problems") or []
        body: list[Any] = [html.Strong("Nothing was stored. "), str(result["error"])]
        if problems:
            body.append(html.Ul([html.Li(p.get("text") or p.get("message")) for p in problems],
                                className="mb-0"))
        return dbc.Alert(body, color="danger", className="commit-result")
    link = first_indicator_link(report)
    return dbc.Alert([html.Strong("Stored. "), str(result.get("summary", "")), " ",
                      link or ""], color="success", className="commit-result")


def first_indicator_link(report: dict[str, Any] | None) -> Any:
    """A link to the indicator view of the first figure in the preview, to see it drawn."""
    rows = ((report or {}).get("preview") or {}).get("rows") or []
    changed = [r for r in rows if r.get("action") in ("insert", "update")] or rows
    if not changed:
        return None
    r = changed[0]
    query = urlencode({"area": r["area"], "indicator": r["indicator"]})
    return html.A(f"See {r['indicator']} on the indicator view", href=f"/indicator?{query}",
                  className="alert-link result-link")


# -- load history -------------------------------------------------------------------------


def history_section(user: CurrentUser | None) -> html.Section:
    """The load history with its confirmation box for rollbacks."""
    return html.Section([
        html.H2("Load history", className="section-title", id="history"),
        html.P(f"The {HISTORY_ROWS} most recent loads, newest first: uploads, imports of "
               "published data and rollbacks.", className="small text-muted"),
        html.Div([
            html.P(id=ids.DATA_ROLLBACK_CONFIRM, className="mb-2", **{"aria-live": "assertive"}),
            dbc.Button("Yes, roll it back", id=ids.DATA_ROLLBACK_YES, color="danger",
                       size="sm", n_clicks=0, className="me-2"),
            dbc.Button("Cancel", id=ids.DATA_ROLLBACK_NO, color="secondary", outline=True,
                       size="sm", n_clicks=0),
        ], id=ids.DATA_ROLLBACK_CONFIRM_BOX, className="alert alert-warning rollback-confirm",
            role="group", hidden=True, **{"aria-labelledby": ids.DATA_ROLLBACK_CONFIRM}),
        html.Div(id=ids.DATA_HISTORY_MSG, role="status", **{"aria-live": "polite"}),
        html.Div(history_table(load_history(current_engine(), HISTORY_ROWS), user),
                 id=ids.DATA_HISTORY, className="table-wrap"),
    ], className="mb-4")


def _when(info: LoadInfo) -> str:
    return f"{info.started_at:%d %b %Y %H:%M}"


def history_table(loads: list[LoadInfo], user: CurrentUser | None) -> Any:
    """One row per load; rejected-rows CSV links for contributors, Roll back for admins."""
    if not loads:
        return html.P("No loads yet.", className="text-muted")
    contributor = user is not None and user.has_role("contributor")
    admin = user is not None and user.is_admin
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "Load", "File", "Checksum", "Who", "When", "Read", "Inserted", "Updated", "Rejected",
        "Status", "Actions")]))
    rows = []
    for info in loads:
        actions: list[Any] = []
        if info.rows_rejected and contributor:
            actions.append(html.A(["Rejected rows", html.Span(f" of load {info.id}",
                                                              className="visually-hidden"),
                                   " (CSV)"], href=f"/loads/{info.id}/rejected.csv",
                                  download="", className="me-2 rejected-link"))
        if admin and rollbackable(info):
            actions.append(dbc.Button(
                ["Roll back", html.Span(f" load {info.id}", className="visually-hidden")],
                id=ids.rollback_button(info.id), color="danger", outline=True, size="sm",
                n_clicks=0, className="rollback-button"))
        rows.append(html.Tr([
            html.Th(str(info.id), scope="row"),
            html.Td([info.file_name, html.Div(info.kind, className="cell-sub")]),
            html.Td(html.Code(info.checksum[:12], title=info.checksum)
                    if info.checksum else "–"),
            html.Td(info.loaded_by), html.Td(_when(info), className="text-nowrap"),
            html.Td(f"{info.rows_read:,}"), html.Td(f"{info.rows_inserted:,}"),
            html.Td(f"{info.rows_updated:,}"), html.Td(f"{info.rows_rejected:,}"),
            html.Td(html.Span(STATUS_WORDS.get(info.status, info.status),
                              className=f"load-status load-{info.status}"),
                    title=info.message or ""),
            html.Td(actions or "–"),
        ], **{"data-load": str(info.id)}))
    return html.Table([html.Caption("Loads, newest first"), head, html.Tbody(rows)],
                      className="table table-sm data-table history-table")


STATUS_WORDS = {"committed": "committed", "failed": "refused", "rolled_back": "rolled back"}


def rollbackable(info: LoadInfo) -> bool:
    """Whether an admin may be offered a rollback of this load."""
    return info.status == "committed" and info.kind != "rollback"


def confirm_text(info: LoadInfo) -> str:
    """The question asked before a rollback."""
    return (f"Roll back load {info.id} ({info.file_name}, loaded by {info.loaded_by} on "
            f"{_when(info)}: {info.rows_inserted:,} added, {info.rows_updated:,} updated)? The "
            "values it replaced are restored and the ones it added are removed; the rollback "
            "is itself recorded as a load.")


# -- targets ------------------------------------------------------------------------------


def targets_section(user: CurrentUser | None) -> html.Section:
    """The targets list; the form and Delete buttons for admins."""
    admin = user is not None and user.is_admin
    catalogue = cached_catalogue()
    directional = catalogue[catalogue["polarity"].isin(["high", "low"])]
    indicators = [{"label": f"{r.short_name or r.name} ({r.code})", "value": r.code}
                  for r in directional.itertuples()]
    choices = cached_choices()
    form = html.Div([
        html.Div([
            _field("Indicator", dcc.Dropdown(id=ids.TGT_INDICATOR, options=indicators,
                                             searchable=True, placeholder="Type to search"),
                   ids.TGT_INDICATOR, "wide"),
            _field("Area", dcc.Dropdown(id=ids.TGT_AREA, options=area_options(choices),
                                        value=choices.home_area, clearable=False,
                                        searchable=True), ids.TGT_AREA, "wide"),
            _field("From (period end)", dbc.Input(id=ids.TGT_FROM, type="date"),
                   ids.TGT_FROM, "narrow"),
            _field("To (period end)", dbc.Input(id=ids.TGT_TO, type="date"), ids.TGT_TO,
                   "narrow"),
            _field("Target", dbc.Input(id=ids.TGT_VALUE, type="number", step="any"),
                   ids.TGT_VALUE, "narrow"),
            _field("Tolerance %",
                   dbc.Input(id=ids.TGT_TOLERANCE, type="number", min=0, max=100, step="any",
                             value=DEFAULT_TOLERANCE * 100), ids.TGT_TOLERANCE, "narrow"),
            dbc.Button("Set target", id=ids.TGT_SAVE, color="primary", n_clicks=0,
                       className="align-self-end"),
        ], className="target-form"),
        html.P("The target in the indicator's unit (85 for 85%); the tolerance as a "
               "percentage of the target, within which a miss is amber. Leave the dates empty "
               "for a target with no start or end.",
               className="small text-muted mt-1 mb-0"),
    ], hidden=not admin, className="side-panel mb-2")
    return html.Section([
        html.H2("Targets", className="section-title", id="targets"),
        html.P("Local targets decide the RAG status where they are set." + (
            "" if admin else " Admins set and remove them."), className="small text-muted"),
        form,
        html.Div(id=ids.TGT_MESSAGE, role="status", **{"aria-live": "polite"}),
        html.Div(targets_table(list_targets(current_engine()), user), id=ids.TGT_LIST,
                 className="table-wrap"),
    ], className="mb-4")


def _field(label: str, control: Any, control_id: str, width: str) -> html.Div:
    return html.Div([dbc.Label(label, html_for=control_id, className="control-label"),
                     control], className=f"control-field {width}")


def targets_table(targets: list[TargetInfo], user: CurrentUser | None) -> Any:
    """Every target; a Delete button on each for admins."""
    if not targets:
        return html.P("No targets are set.", className="text-muted")
    admin = user is not None and user.is_admin
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "Indicator", "Area", "Periods ending", "Target", "Tolerance", "Set by")]
        + ([html.Th("Actions", scope="col")] if admin else [])))
    rows = []
    for t in targets:
        span = f"{t.period_from or 'any time'} to {t.period_to or 'open-ended'}"
        cells = [html.Th([t.indicator_name, html.Div(t.indicator, className="cell-sub")],
                         scope="row"),
                 html.Td(t.area_name), html.Td(span), html.Td(f"{t.value:g}"),
                 html.Td(f"{t.tolerance * 100:g}%"),
                 html.Td(f"{t.set_by or '–'}, {t.set_at:%d %b %Y}")]
        if admin:
            cells.append(html.Td(dbc.Button(
                ["Delete", html.Span(f" the target for {t.indicator_name} in {t.area_name}",
                                     className="visually-hidden")],
                id=ids.target_delete(t.id), color="danger", outline=True, size="sm",
                n_clicks=0)))
        rows.append(html.Tr(cells, **{"data-target": str(t.id)}))
    return html.Table([html.Caption("Targets"), head, html.Tbody(rows)],
                      className="table table-sm data-table target-table")
