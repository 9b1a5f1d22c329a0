"""HTTP routes for the Data page's work: template downloads, uploads, loads, targets, notes, users.

Each route is a thin wrapper over a core function (upload, rollback, targets, notes, auth) and
answers JSON in the API's error shape. Every state-changing route is a POST, needs the CSRF
token (``X-CSRFToken`` header or ``csrf_token`` form field, see `dashboard.auth`) and checks the
role on the server:

=========================================  =============================================
GET  /upload/template.csv, template.xlsx   anyone who may view
POST /upload/validate  (file)              contributor: the report and preview, nothing stored
                                           (422 if it lists problems; 200 with ?report=1)
POST /upload/commit    (file[, token])     contributor: store it (all rows or none)
GET  /loads                                viewer: the load history
GET  /loads/<id>/rejected.csv              contributor: a refused load's problems
POST /loads/<id>/rollback                  admin
GET  /targets[?indicator=&area=]           anyone who may view
POST /targets                              admin: indicator, area, value[, tolerance,
                                           period_from, period_to]
POST /targets/<id>/delete                  admin
GET  /notes?indicator=[&area=]             anyone who may view
POST /notes                                viewer (any signed-in user): indicator, area,
                                           text[, period_type, period]
POST /notes/<id>/delete                    the note's author or an admin
GET  /admin/users                          admin
POST /admin/users                          admin: username, password, role[, agency]
POST /admin/users/<username>               admin: role, agency, active, password
POST /admin/indicators/<code>/owner        admin: owner (the agency whose contributors upload)
=========================================  =============================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard.auth import (
    AuthError,
    UserError,
    create_user,
    current_user,
    json_error,
    list_users,
    require_role,
    update_user,
)
from dashboard.context import current_engine
from dashboard.ingest.errors import LoadError
from dashboard.ingest.rollback import (
    RollbackError,
    load_history,
    rejected_rows_csv,
    rollback_load,
)
from dashboard.ingest.upload import (
    MAX_BYTES,
    commit_upload,
    problem_dict,
    set_indicator_owner,
    template_csv,
    template_xlsx,
    validate_upload,
)
from dashboard.notes import NoteError, add_note, delete_note, list_notes
from dashboard.periods import PeriodError
from dashboard.targets import TargetError, delete_target, list_targets, set_target

blueprint = Blueprint("data_routes", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blueprint.errorhandler(AuthError)
def _auth_error(err: AuthError) -> tuple[Response, int]:
    return json_error(err.status, err.message)


def _download(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={name}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@blueprint.get("/upload/template.csv")
def template_csv_download() -> Response:
    """The CSV upload template."""
    return _download(template_csv(), "text/csv", "upload_template.csv")


@blueprint.get("/upload/template.xlsx")
def template_xlsx_download() -> Response:
    """The Excel upload template (Data, New indicators and Guidance sheets)."""
    return _download(template_xlsx(), XLSX, "upload_template.xlsx")


def _uploaded() -> tuple[bytes, str] | tuple[Response, int]:
    # Refuse an oversized body from its declared length, before reading any of it.
    if (request.content_length or 0) > MAX_BYTES + 256 * 1024:
        return json_error(413, f"The file is larger than the {MAX_BYTES // 1_048_576} MB "
                               "limit; split it into smaller files.")
    request.max_content_length = MAX_BYTES + 256 * 1024
    f = request.files.get("file")
    if f is None or not f.filename:
        return json_error(400, "Choose a file to upload (form field 'file').")
    return f.read(MAX_BYTES + 1), f.filename


@blueprint.post("/upload/validate")
@require_role("contributor")
def upload_validate() -> Any:
    """Check a file and preview it; nothing is stored."""
    got = _uploaded()
    if isinstance(got[0], Response):
        return got
    content, name = got
    assert isinstance(content, bytes) and isinstance(name, str)
    report = validate_upload(current_engine(), content, name, current_user())
    # The Data page asks with ?report=1: a report listing problems is the answer it wants, and
    # a browser logs every 4xx answer as a console error.
    return jsonify(report.to_dict()), (200 if report.ok or request.args.get("report") == "1"
                                       else 422)


@blueprint.post("/upload/commit")
@require_role("contributor")
def upload_commit() -> Any:
    """Check a file again and store it in one transaction."""
    got = _uploaded()
    if isinstance(got[0], Response):
        return got
    content, name = got
    assert isinstance(content, bytes) and isinstance(name, str)
    token = request.form.get("token") or None
    try:
        result = commit_upload(current_engine(), content, name, current_user(),
                               expected_token=token)
    except LoadError as err:
        return json_error(422, f"{len(err.problems)} problem(s); nothing was stored.",
                          problems=[problem_dict(p) for p in err.problems])
    return jsonify(result.to_dict()), 201


@blueprint.get("/loads")
@require_role("viewer")
def loads() -> Response:
    """The load history, newest first."""
    return jsonify({"data": [info.to_dict() for info in load_history(current_engine())]})


@blueprint.get("/loads/<int:load_id>/rejected.csv")
@require_role("contributor")
def rejected(load_id: int) -> Response:
    """A refused load's problems as CSV."""
    return _download(rejected_rows_csv(current_engine(), load_id), "text/csv",
                     f"load_{load_id}_rejected_rows.csv")


@blueprint.post("/loads/<int:load_id>/rollback")
@require_role("admin")
def rollback(load_id: int) -> Any:
    """Undo a load, restoring the values it replaced."""
    try:
        result = rollback_load(current_engine(), load_id, current_user())
    except RollbackError as err:
        return json_error(409, err.message, conflicts=err.conflicts)
    return jsonify({"summary": result.summary(), **result.__dict__})


def _field(name: str) -> str:
    data = request.get_json(silent=True) if request.is_json else None
    value = (data or {}).get(name) if data is not None else request.form.get(name)
    return "" if value is None else str(value).strip()


def _date(name: str) -> dt.date | None:
    text = _field(name)
    return dt.date.fromisoformat(text) if text else None


@blueprint.get("/targets")
def targets() -> Response:
    """Targets, optionally for one indicator and/or area."""
    found = list_targets(current_engine(), indicator=request.args.get("indicator") or None,
                         area=request.args.get("area") or None)
    return jsonify({"data": [t.to_dict() for t in found]})


@blueprint.post("/targets")
@require_role("admin")
def target_set() -> Any:
    """Set a target."""
    try:
        tolerance = _field("tolerance")
        info = set_target(current_engine(), current_user(), _field("indicator"),
                          _field("area"), float(_field("value")),
                          tolerance=float(tolerance) if tolerance else 0.05,
                          period_from=_date("period_from"), period_to=_date("period_to"))
    except (TargetError, ValueError) as err:
        return json_error(400, str(err))
    return jsonify(info.to_dict()), 201


@blueprint.post("/targets/<int:target_id>/delete")
@require_role("admin")
def target_delete(target_id: int) -> Any:
    """Remove a target."""
    try:
        delete_target(current_engine(), current_user(), target_id)
    except TargetError as err:
        return json_error(404, str(err))
    return jsonify({"deleted": target_id})


@blueprint.get("/notes")
def notes() -> Any:
    """An indicator's notes (JSON; the text is plain text, to be shown as text)."""
    indicator = request.args.get("indicator", "")
    if not indicator:
        return json_error(400, "Give the indicator code (indicator=...).")
    found = list_notes(current_engine(), indicator, request.args.get("area") or None)
    return jsonify({"data": [n.to_dict() for n in found]})


@blueprint.post("/notes")
@require_role("viewer")
def note_add() -> Any:
    """Record a note."""
    from dashboard.ingest.upload import parse_period

    try:
        period = None
        if _field("period"):
            period = parse_period(_field("period_type") or "financial_year", _field("period"))
        info = add_note(current_engine(), current_user(), _field("indicator"), _field("area"),
                        _field("text"), period)
    except (NoteError, PeriodError) as err:
        return json_error(400, str(err))
    return jsonify(info.to_dict()), 201


@blueprint.post("/notes/<int:note_id>/delete")
@require_role("viewer")
def note_delete(note_id: int) -> Any:
    """Delete a note (its author or an admin)."""
    try:
        delete_note(current_engine(), current_user(), note_id)
    except NoteError as err:
        return json_error(404, str(err))
    return jsonify({"deleted": note_id})


@blueprint.get("/admin/users")
@require_role("admin")
def users() -> Response:
    """Every user (never a password hash)."""
    return jsonify({"data": [u.to_dict() for u in list_users(current_engine())]})


@blueprint.post("/admin/users")
@require_role("admin")
def user_add() -> Any:
    """Create a user."""
    try:
        user = create_user(current_engine(), _field("username"), _field("password"),
                           _field("role"), _field("agency") or None)
    except UserError as err:
        return json_error(400, str(err))
    return jsonify(user.to_dict()), 201


@blueprint.post("/admin/users/<username>")
@require_role("admin")
def user_change(username: str) -> Any:
    """Change a user's role, agency, active flag or password."""
    active = _field("active").lower()
    try:
        user = update_user(current_engine(), username, role=_field("role") or None,
                           agency=_field("agency") if _field("agency") else None,
                           active=None if not active else active in ("1", "true", "yes", "on"),
                           password=_field("password") or None)
    except UserError as err:
        return json_error(400, str(err))
    return jsonify(user.to_dict())


@blueprint.post("/admin/indicators/<code>/owner")
@require_role("admin")
def indicator_owner(code: str) -> Any:
    """Say which agency owns an indicator."""
    try:
        set_indicator_owner(current_engine(), code, _field("owner") or None, current_user())
    except LoadError as err:
        return json_error(404, str(err.problems[0].message))
    return jsonify({"code": code, "owner": _field("owner") or None})
