"""Data page callbacks: the upload's report and result, rollbacks, targets.

The file itself is posted by the browser to the upload routes (``assets/data-upload.js``, two
clientside callbacks); the server callbacks here draw the routes' JSON answers. Rolling a load
back and setting or deleting a target change the store, so each asks `user_for_callback` for
the role first and shows its refusal instead of acting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, ctx

from dashboard import ids
from dashboard.auth import AuthError, current_user, user_for_callback
from dashboard.context import current_engine
from dashboard.ingest.rollback import RollbackError, load_history, rollback_load
from dashboard.targets import (
    DEFAULT_TOLERANCE,
    TargetError,
    delete_target,
    list_targets,
    set_target,
)
from layouts import data as page

SKIP = dash.no_update
PROGRESS_DONE = "upload-progress mt-2 d-none"


def _history() -> Any:
    return page.history_table(load_history(current_engine(), page.HISTORY_ROWS),
                              current_user())


def _status_words(report: dict[str, Any]) -> str:
    if report.get("error"):
        return f"Nothing was stored: {report['error']}"
    problems = report.get("problems") or []
    if problems:
        return page.problem_sentence(len(problems)) + "."
    return str(report.get("summary", ""))


def show_report(report: dict[str, Any] | None) -> tuple[Any, ...]:
    """Draw the validation report; show Commit only for a file without problems."""
    if not report:
        return SKIP, SKIP, SKIP, SKIP, SKIP, SKIP
    body, bar_hidden, disabled = page.report_view(report)
    return body, bar_hidden, disabled, None, PROGRESS_DONE, _status_words(report)


def show_result(result: dict[str, Any] | None,
                report: dict[str, Any] | None) -> tuple[Any, ...]:
    """Draw the commit's outcome and the load history that now includes it."""
    if not result:
        return SKIP, SKIP, SKIP, SKIP, SKIP
    stored = not result.get("error")
    words = (f"Stored: {result.get('summary', '')}" if stored
             else f"Nothing was stored: {result.get('error')}")
    return (page.result_view(result, report), stored, _history(), PROGRESS_DONE, words)


def _clicked_index() -> int | None:
    """The pattern-matching button that was really clicked (not just drawn), if any."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(t.get("value") for t in ctx.triggered):
        return None
    return int(trig["index"])


def ask_rollback(_clicks: list[int | None]) -> tuple[Any, ...]:
    """Ask an admin to confirm rolling back the load whose button was clicked."""
    load_id = _clicked_index()
    if load_id is None:
        return SKIP, SKIP, SKIP, SKIP
    try:
        user_for_callback("admin")
    except AuthError as err:
        return None, SKIP, True, err.message
    info = next((i for i in load_history(current_engine(), page.HISTORY_ROWS)
                 if i.id == load_id), None)
    if info is None or not page.rollbackable(info):
        return None, SKIP, True, f"Load {load_id} cannot be rolled back."
    return load_id, page.confirm_text(info), False, ""


def do_rollback(yes: int | None, _no: int | None, load_id: int | None) -> tuple[Any, ...]:
    """Roll the confirmed load back (admins only), or cancel; redraw the history."""
    if ctx.triggered_id != ids.DATA_ROLLBACK_YES or not yes or load_id is None:
        return "", SKIP, True, None
    try:
        result = rollback_load(current_engine(), int(load_id), user_for_callback("admin"))
    except AuthError as err:
        return err.message, SKIP, True, None
    except RollbackError as err:
        return f"Nothing was changed. {err.message}", SKIP, True, None
    return result.summary(), _history(), True, None


def _targets() -> Any:
    return page.targets_table(list_targets(current_engine()), current_user())


def save_target(n_clicks: int | None, indicator: str | None, area: str | None,
                start: str | None, end: str | None, value: float | str | None,
                tolerance: float | str | None) -> tuple[Any, Any]:
    """Set a target (admins only); the tolerance is entered as a percentage of the target."""
    if not n_clicks:
        return SKIP, SKIP
    try:
        user = user_for_callback("admin")
        if value in (None, ""):
            raise TargetError("give the target's value")
        tol = float(tolerance) / 100 if tolerance not in (None, "") else DEFAULT_TOLERANCE
        info = set_target(current_engine(), user, indicator or "", area or "", float(value),
                          tolerance=tol,
                          period_from=dt.date.fromisoformat(start) if start else None,
                          period_to=dt.date.fromisoformat(end) if end else None)
    except AuthError as err:
        return err.message, SKIP
    except ValueError as err:  # TargetError, or a number or date the form should not send
        return f"The target was not set: {err}.", SKIP
    return f"Target set: {info.indicator_name} in {info.area_name}, {info.value:g}.", _targets()


def remove_target(_clicks: list[int | None]) -> tuple[Any, Any]:
    """Delete the target whose button was clicked (admins only)."""
    target_id = _clicked_index()
    if target_id is None:
        return SKIP, SKIP
    try:
        delete_target(current_engine(), user_for_callback("admin"), target_id)
    except AuthError as err:
        return err.message, SKIP
    except TargetError as err:
        return f"Nothing was deleted: {err}.", _targets()
    return f"Target {target_id} deleted.", _targets()


def register(app: dash.Dash) -> None:
    """Register the Data page's callbacks."""
    app.clientside_callback(
        ClientsideFunction(namespace="dataUpload", function_name="validate"),
        Output(ids.DATA_REPORT_STORE, "data"),
        Input(ids.DATA_UPLOAD, "contents"), State(ids.DATA_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="dataUpload", function_name="commit"),
        Output(ids.DATA_COMMIT_STORE, "data"),
        Input(ids.DATA_COMMIT, "n_clicks"), State(ids.DATA_REPORT_STORE, "data"),
        State(ids.DATA_UPLOAD, "contents"), State(ids.DATA_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.DATA_REPORT, "children"), Output(ids.DATA_COMMIT_BAR, "hidden"),
        Output(ids.DATA_COMMIT, "disabled"), Output(ids.DATA_RESULT, "children"),
        Output(ids.DATA_PROGRESS, "className"), Output(ids.DATA_STATUS, "children"),
        Input(ids.DATA_REPORT_STORE, "data"), prevent_initial_call=True,
    )(show_report)
    app.callback(
        Output(ids.DATA_RESULT, "children", allow_duplicate=True),
        Output(ids.DATA_COMMIT, "disabled", allow_duplicate=True),
        Output(ids.DATA_HISTORY, "children", allow_duplicate=True),
        Output(ids.DATA_PROGRESS, "className", allow_duplicate=True),
        Output(ids.DATA_STATUS, "children", allow_duplicate=True),
        Input(ids.DATA_COMMIT_STORE, "data"), State(ids.DATA_REPORT_STORE, "data"),
        prevent_initial_call=True,
    )(show_result)
    app.callback(
        Output(ids.DATA_ROLLBACK_PENDING, "data"), Output(ids.DATA_ROLLBACK_CONFIRM, "children"),
        Output(ids.DATA_ROLLBACK_CONFIRM_BOX, "hidden"),
        Output(ids.DATA_HISTORY_MSG, "children"),
        Input({"type": ids.DATA_ROLLBACK, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(ask_rollback)
    app.callback(
        Output(ids.DATA_HISTORY_MSG, "children", allow_duplicate=True),
        Output(ids.DATA_HISTORY, "children", allow_duplicate=True),
        Output(ids.DATA_ROLLBACK_CONFIRM_BOX, "hidden", allow_duplicate=True),
        Output(ids.DATA_ROLLBACK_PENDING, "data", allow_duplicate=True),
        Input(ids.DATA_ROLLBACK_YES, "n_clicks"), Input(ids.DATA_ROLLBACK_NO, "n_clicks"),
        State(ids.DATA_ROLLBACK_PENDING, "data"), prevent_initial_call=True,
    )(do_rollback)
    app.callback(
        Output(ids.TGT_MESSAGE, "children"), Output(ids.TGT_LIST, "children"),
        Input(ids.TGT_SAVE, "n_clicks"), State(ids.TGT_INDICATOR, "value"),
        State(ids.TGT_AREA, "value"), State(ids.TGT_FROM, "value"), State(ids.TGT_TO, "value"),
        State(ids.TGT_VALUE, "value"), State(ids.TGT_TOLERANCE, "value"),
        prevent_initial_call=True,
    )(save_target)
    app.callback(
        Output(ids.TGT_MESSAGE, "children", allow_duplicate=True),
        Output(ids.TGT_LIST, "children", allow_duplicate=True),
        Input({"type": ids.TGT_DELETE, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(remove_target)
