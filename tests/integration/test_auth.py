"""Sign-in, sessions, CSRF, roles on every protected route; notes and targets.

Covers sign-in and sessions, CSRF, slowed failed logins, the PUBLIC_READ guard, the role each
protected route and service demands (anonymous, viewer, contributor for another agency,
admin), notes kept as plain text, and targets reaching the scorecard's query.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from dashboard import auth, queries
from dashboard.auth import (
    Forbidden,
    NotSignedIn,
    UserError,
    authenticate,
    create_user,
    update_user,
    user_for_callback,
)
from dashboard.ingest.upload import commit_upload
from dashboard.notes import NoteError, add_note, list_notes
from dashboard.periods import quarter
from dashboard.store.models import Area, Indicator, User
from dashboard.targets import TargetError, list_targets, set_target
from tests.integration._upload_support import (
    HOME,
    PASSWORD,
    Users,
    make_server,
    prepare_store,
    template,
)

GOOD = "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q1,612,,,provisional,"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> tuple[Engine, Users]:
    """Areas, catalogue, owners and the four kinds of user."""
    return empty_engine, prepare_store(empty_engine, data_dir)


def _token(client: FlaskClient) -> str:
    return str(client.get("/auth/me").get_json()["csrf_token"])


def _login(client: FlaskClient, username: str, password: str = PASSWORD,
           next_path: str = "/") -> Any:
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": _token(client), "next": next_path})


def _client(engine: Engine, username: str | None = None, **server_options: Any) -> FlaskClient:
    client = make_server(engine, **server_options).test_client()
    if username:
        assert _login(client, username).status_code == 303
    return client


def _post(client: FlaskClient, url: str, **kw: Any) -> Any:
    return client.post(url, headers={"X-CSRFToken": _token(client)}, **kw)


# ---------------------------------------------------------------- users and passwords


def test_auth_password_is_stored_hashed_and_checked(store):
    """The database holds a salted scrypt hash, never the password; wrong ones fail."""
    engine, _users = store
    with engine.connect() as c:
        stored = c.execute(select(User.password_hash).where(User.username == "ada")).scalar()
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert authenticate(engine, "ADA", PASSWORD) is not None  # usernames ignore case
    assert authenticate(engine, "ada", PASSWORD + "x") is None
    assert authenticate(engine, "nobody", PASSWORD) is None
    update_user(engine, "ada", active=False)
    assert authenticate(engine, "ada", PASSWORD) is None


def test_auth_create_user_refuses_bad_input(store):
    """Short passwords, taken names, unknown roles and contributors without agency are refused."""
    engine, _users = store
    for args, message in ((("new", "short", "viewer"), "at least 10"),
                          (("Ada", PASSWORD, "viewer"), "already a user"),
                          (("new", PASSWORD, "owner"), "role must be"),
                          (("new", PASSWORD, "contributor"), "needs an agency"),
                          (("no spaces please", PASSWORD, "viewer"), "not a username")):
        with pytest.raises(UserError, match=message):
            create_user(engine, *args)


def test_auth_cli_create_admin_reads_the_password(store, monkeypatch, capsys):
    """`create-admin` makes an admin who can sign in; `add-user` adds a contributor."""
    from dashboard.__main__ import main

    engine, _users = store
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a much longer password\n"))
    assert main(["--database-url", url, "create-admin", "Root", "--password-stdin"]) == 0
    assert "created admin root" in capsys.readouterr().out
    assert authenticate(engine, "root", "a much longer password") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main(["--database-url", url, "add-user", "nurse", "--role", "contributor",
                 "--agency", "Mid and South Essex NHS", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--database-url", url, "create-admin", "x2", "--password-stdin"]) == 2


# ---------------------------------------------------------------- sessions


def test_auth_login_sets_secure_session_cookie_and_redirects(store):
    """Signing in sets an HttpOnly, SameSite=Lax cookie and goes to the page asked for."""
    engine, _users = store
    client = _client(engine)
    response = _login(client, "vic", next_path="/indicator?code=ReReferral")
    assert response.status_code == 303
    assert response.headers["Location"] == "/indicator?code=ReReferral"
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/auth/me").get_json()["user"]["username"] == "vic"


def test_auth_secure_cookie_when_configured(store):
    """With SESSION_COOKIE_SECURE the session cookie is sent only over HTTPS."""
    engine, _users = store
    client = _client(engine, secure=True)
    response = _login(client, "vic")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_auth_login_refuses_wrong_password_and_open_redirects(store):
    """A wrong password says so without naming which part; next=//evil goes home instead."""
    engine, _users = store
    client = _client(engine)
    wrong = _login(client, "vic", "not the password at all")
    assert wrong.status_code == 401 and b"username or password is not right" in wrong.data
    ok = _login(client, "vic", next_path="//evil.example/")
    assert ok.headers["Location"] == "/"


def test_auth_logout_ends_the_session(store):
    """Signing out (a POST with the token) forgets the user; a GET only shows the button."""
    engine, _users = store
    client = _client(engine, "vic")
    assert client.get("/logout").status_code == 200
    assert client.get("/auth/me").get_json()["user"] is not None
    assert _post(client, "/logout").status_code == 303
    assert client.get("/auth/me").get_json()["user"] is None


def test_auth_password_change_ends_other_sessions(store):
    """A new password (or deactivation) makes existing session cookies useless."""
    engine, _users = store
    client = _client(engine, "vic")
    update_user(engine, "vic", password="a brand new password")
    assert client.get("/auth/me").get_json()["user"] is None


def test_auth_failed_logins_are_slowed_per_username(store, monkeypatch):
    """After three failures each attempt waits longer, even with the right password."""
    engine, _users = store
    clock = [1_000_000.0]
    monkeypatch.setattr(auth.throttle, "now", lambda: clock[0])
    client = _client(engine)
    for _ in range(3):
        assert _login(client, "ada", "wrong password!").status_code == 401
    blocked = _login(client, "ada")
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "1"
    assert b"Too many failed sign-ins" in blocked.data
    clock[0] += 1.5
    assert _login(client, "ada", "wrong again!!").status_code == 401
    assert _login(client, "ada").headers["Retry-After"] == "2"
    clock[0] += 2.5
    assert _login(client, "ada").status_code == 303  # success clears the username's count
    assert _login(client, "ada").status_code == 303


def test_auth_failed_logins_are_slowed_per_address(store, monkeypatch):
    """Guessing across many usernames from one address is slowed too."""
    engine, _users = store
    clock = [2_000_000.0]
    monkeypatch.setattr(auth.throttle, "now", lambda: clock[0])
    client = _client(engine)
    for i in range(10):
        assert _login(client, f"user{i}", "wrong password!").status_code == 401
    assert _login(client, "vic").status_code == 429


# ---------------------------------------------------------------- CSRF and the read guard


def test_auth_state_changing_requests_need_the_csrf_token(store):
    """POSTs without the session's token, or with another's, are refused with 400."""
    engine, _users = store
    client = _client(engine, "vic")
    assert client.post("/notes", data={"indicator": "ReReferral", "area": HOME,
                                       "text": "x"}).status_code == 400
    other = _token(_client(engine))
    assert client.post("/notes", headers={"X-CSRFToken": other},
                       data={"indicator": "ReReferral", "area": HOME, "text": "x"}
                       ).status_code == 400
    assert _post(client, "/notes", data={"indicator": "ReReferral", "area": HOME,
                                         "text": "x"}).status_code == 201
    anonymous = _client(engine)
    no_token = anonymous.post("/login", data={"username": "vic", "password": PASSWORD})
    assert no_token.status_code == 400
    cookie = anonymous.get_cookie(auth.CSRF_COOKIE)
    assert cookie is not None and cookie.value == _token(anonymous)  # what dash-renderer sends


def test_auth_private_dashboard_needs_a_login_to_view(store):
    """With PUBLIC_READ=false, pages redirect to /login and data answers 401 until signed in."""
    engine, _users = store
    client = _client(engine, public_read=False)
    page = client.get("/upload/template.csv")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    assert client.get("/api/v1/areas").status_code == 401
    assert client.get("/login").status_code == 200
    assert client.get("/assets/app.css").status_code == 404  # let through, not redirected
    assert _login(client, "vic").status_code == 303
    assert client.get("/api/v1/areas").status_code == 200
    assert client.get("/upload/template.csv").status_code == 200


def test_auth_public_dashboard_lets_anonymous_people_view(store):
    """With PUBLIC_READ=true (the default) reading needs no login; changing still does."""
    engine, _users = store
    client = _client(engine)
    assert client.get("/api/v1/areas").status_code == 200
    assert client.get("/upload/template.xlsx").status_code == 200
    assert _post(client, "/notes", data={"indicator": "ReReferral", "area": HOME,
                                         "text": "x"}).status_code == 401


def test_auth_dash_app_guard_and_callback_csrf(store, monkeypatch):
    """In the real app, PUBLIC_READ=false guards Dash pages and callbacks need the token."""
    import dataclasses

    from app import create_app
    from dashboard.settings import Settings

    engine, _users = store
    settings = dataclasses.replace(
        Settings.from_env({}), database_url=engine.url.render_as_string(hide_password=False),
        public_read=False, secret_key="test-secret-key")
    client = create_app(settings).server.test_client()
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json={}).status_code == 400
    assert client.post("/_dash-update-component", json={},
                       headers={"X-CSRFToken": _token(client)}).status_code == 401
    assert _login(client, "vic").status_code == 303
    assert client.get("/").status_code == 200


# ---------------------------------------------------------------- roles on every route


def _csv_file(content: bytes) -> dict[str, Any]:
    return {"file": (io.BytesIO(content), "q1.csv")}


def _routes(engine: Engine, users: Users) -> list[tuple[str, str, Any, str, int]]:
    """(method, url, body factory, least role, admin's success status) for each route."""
    load = commit_upload(engine, template(GOOD), "seed.csv", users.adults).load_id
    target = set_target(engine, users.admin, "ASC_Risk_Reduced_Pct", HOME, 80)
    note = add_note(engine, users.admin, "ReReferral", HOME, "seed")

    def upload() -> dict[str, Any]:
        return {"data": _csv_file(template(GOOD))}

    return [
        ("post", "/upload/validate", upload, "contributor", 200),
        ("post", "/upload/commit", upload, "contributor", 201),
        ("get", "/loads", dict, "viewer", 200),
        ("get", f"/loads/{load}/rejected.csv", dict, "contributor", 200),
        ("post", f"/loads/{load}/rollback", dict, "admin", 200),
        ("post", "/targets", lambda: {"data": {"indicator": "ASC_MSP_Asked_Pct", "area": HOME,
                                              "value": "90"}}, "admin", 201),
        ("post", f"/targets/{target.id}/delete", dict, "admin", 200),
        ("post", "/notes", lambda: {"data": {"indicator": "ReReferral", "area": HOME,
                                             "text": "deep dive agreed"}}, "viewer", 201),
        ("post", f"/notes/{note.id}/delete", dict, "admin", 200),
        ("get", "/admin/users", dict, "admin", 200),
        ("post", "/admin/users", lambda: {"data": {"username": "newbie", "password": PASSWORD,
                                                   "role": "viewer"}}, "admin", 201),
        ("post", "/admin/users/vic", lambda: {"data": {"agency": "Southend Council"}},
         "admin", 200),
        ("post", "/admin/indicators/ASC_Concerns_Count/owner",
         lambda: {"data": {"owner": "Southend Adult Social Care"}}, "admin", 200),
    ]


ROUTE_IDS = ["upload_validate", "upload_commit", "loads", "rejected_csv", "rollback",
             "target_set", "target_delete", "note_add", "note_delete", "users",
             "user_add", "user_change", "indicator_owner"]
RANK = {"viewer": 0, "contributor": 1, "admin": 2}


@pytest.mark.parametrize("index", range(len(ROUTE_IDS)), ids=ROUTE_IDS)
def test_auth_route_refuses_anyone_without_the_role(store, index):
    """Anonymous 401; viewer and a contributor for another agency refused; admin succeeds."""
    engine, users = store
    method, url, body, least, ok_status = _routes(engine, users)[index]
    for username, role in ((None, None), ("vic", "viewer"), ("pc.plum", "contributor"),
                           ("admin", "admin")):
        client = _client(engine, username)
        call = getattr(client, method)
        kwargs = body()
        if method == "post":
            kwargs["headers"] = {"X-CSRFToken": _token(client)}
        response = call(url, **kwargs)
        if role is None:
            assert response.status_code == 401, (url, username)
        elif RANK[role] < RANK[least]:
            assert response.status_code == 403, (url, username, response.get_json())
        elif role == "contributor" and url.startswith("/upload"):
            # A contributor for another agency may use the page, but not for this indicator.
            assert response.status_code == 422
            assert "belongs to Southend Adult Social Care" in response.get_data(as_text=True)
        elif role == "contributor" and url.endswith("/delete") and "notes" in url:
            assert response.status_code == 403  # not the note's author
        else:
            assert response.status_code == ok_status, (url, username, response.get_data())


def test_auth_callback_helper_refuses_on_the_server(store):
    """Callbacks ask `user_for_callback`, which refuses without a sign-in or the role."""
    engine, _users = store
    server = make_server(engine)
    with server.test_request_context("/_dash-update-component", method="POST"), \
            pytest.raises(NotSignedIn):
        user_for_callback("viewer")
    client = server.test_client()
    _login(client, "vic")
    cookie = client.get_cookie("session")
    assert cookie is not None
    # A request carrying vic's session cookie, as a Dash callback's request does.
    with server.test_request_context("/_dash-update-component", method="POST",
                                     headers={"Cookie": f"session={cookie.value}"}):
        assert user_for_callback("viewer").username == "vic"
        with pytest.raises(Forbidden, match="contributor role"):
            user_for_callback("contributor")


def test_auth_upload_route_refuses_oversized_body_before_reading(store):
    """A body over the limit is refused from its declared length with a clear message."""
    engine, _users = store
    client = _client(engine, "ada")
    big = b"x" * (11 * 1024 * 1024)  # a raw body: only its declared length is looked at
    response = client.post("/upload/validate", data=big, headers={
        "X-CSRFToken": _token(client), "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert "10 MB" in response.get_json()["error"]


def test_auth_upload_routes_validate_then_commit_with_token(store):
    """The upload routes answer the report, then commit the previewed file."""
    engine, _users = store
    client = _client(engine, "ada")
    report = _post(client, "/upload/validate", data=_csv_file(template(GOOD))).get_json()
    assert report["ok"] and report["preview"]["counts"]["insert"] == 1
    done = _post(client, "/upload/commit",
                 data={**_csv_file(template(GOOD)), "token": report["token"]})
    assert done.status_code == 201 and done.get_json()["inserted"] == 1
    bad = _post(client, "/upload/validate", data=_csv_file(template(GOOD.replace("612", "twelve"))))
    assert bad.status_code == 422 and bad.get_json()["problems"][0]["column"] == "value"


# ---------------------------------------------------------------- notes and targets


def test_auth_note_with_html_is_stored_and_returned_as_plain_text(store):
    """A script in a note is kept as the exact text and served as JSON text, never as HTML."""
    engine, users = store
    client = _client(engine, "vic")
    response = _post(client, "/notes", data={"indicator": "ReReferral", "area": HOME,
                                              "text": XSS, "period_type": "financial_year",
                                              "period": "2019-20"})
    assert response.status_code == 201
    listed = client.get("/notes?indicator=ReReferral")
    assert listed.mimetype == "application/json"
    (note,) = listed.get_json()["data"]
    assert (note["text"], note["author"], note["period"]) == (XSS, "vic", "2019-20")
    assert list_notes(engine, "ReReferral")[0].text == XSS
    with pytest.raises(NotSignedIn):
        add_note(engine, None, "ReReferral", HOME, "anonymous")
    with pytest.raises(NoteError, match="empty"):
        add_note(engine, users.viewer, "ReReferral", HOME, "  \x00 ")


def test_auth_note_against_a_period_gives_the_chart_its_marker_date(store):
    """A note for a quarter carries the period's end date for the chart's marker."""
    engine, users = store
    note = add_note(engine, users.adults, "ASC_Concerns_Quarter", HOME,
                    "deep dive agreed, report back in May", quarter(2023, 1))
    assert (note.period, note.period_end) == ("2023-24 Q1", dt.date(2023, 6, 30))


def test_auth_targets_set_list_delete_and_reach_the_scorecard_query(store):
    """An admin's target is listed, read by the scorecard's query, and can be removed."""
    engine, users = store
    target = set_target(engine, users.admin, "ASC_Risk_Reduced_Pct", HOME, 85, tolerance=0.1,
                        period_from=dt.date(2020, 4, 1))
    assert [t.id for t in list_targets(engine, indicator="ASC_Risk_Reduced_Pct")] == [target.id]
    with engine.connect() as c:
        ind_id = c.execute(select(Indicator.id).where(
            Indicator.code == "ASC_Risk_Reduced_Pct")).scalar_one()
        area_id = c.execute(select(Area.id).where(Area.code == HOME)).scalar_one()
    frame = queries.targets(engine, area_id, [ind_id])
    assert frame["value"].tolist() == [85] and frame["tolerance"].tolist() == [0.1]
    with pytest.raises(Forbidden):
        set_target(engine, users.adults, "ASC_Risk_Reduced_Pct", HOME, 90)
    from dashboard.targets import delete_target

    delete_target(engine, users.admin, target.id)
    assert list_targets(engine) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"indicator": "Nope", "value": 5}, "unknown indicator"),
    ({"area": "E99999999", "value": 5}, "unknown area"),
    ({"value": 140}, "between 0 and 100"),
    ({"indicator": "ASC_Concerns_Count", "value": 5}, "no better direction"),
    ({"value": 80, "tolerance": 2}, "between 0 and 1"),
    ({"value": 80, "period_from": dt.date(2024, 1, 1), "period_to": dt.date(2023, 1, 1)},
     "ends before it starts"),
], ids=["unknown_indicator", "unknown_area", "percent_range", "no_polarity", "tolerance",
        "range"])
def test_auth_target_rules(store, kwargs, message):
    """Targets are refused with a reason for bad indicators, areas, values and ranges."""
    engine, users = store
    args = {"indicator": "ASC_Risk_Reduced_Pct", "area": HOME, **kwargs}
    with pytest.raises(TargetError, match=message):
        set_target(engine, users.admin, args.pop("indicator"), args.pop("area"),
                   args.pop("value"), **args)


def test_auth_overlapping_target_is_refused(store):
    """Two targets for the same indicator, area and periods would be ambiguous: refused."""
    engine, users = store
    set_target(engine, users.admin, "ASC_Risk_Reduced_Pct", HOME, 80,
               period_to=dt.date(2022, 3, 31))
    set_target(engine, users.admin, "ASC_Risk_Reduced_Pct", HOME, 85,
               period_from=dt.date(2022, 4, 1))
    with pytest.raises(TargetError, match="already set"):
        set_target(engine, users.admin, "ASC_Risk_Reduced_Pct", HOME, 90,
                   period_from=dt.date(2023, 4, 1))
