"""Users, roles and sign-in: who may view, upload, annotate and administer the dashboard.

Roles are ordered: ``viewer`` < ``contributor`` < ``admin``. A viewer can read and add notes; a
contributor can also upload figures for the indicators their agency owns (``Indicator.owner``);
an admin can do everything, including users, targets and rollbacks.

The Flask side (the ``blueprint`` registered by ``create_app``) adds, for the whole server:

- the sign-in and sign-out pages (``/login``, ``/logout``) and ``/auth/me``;
- signed session cookies (HttpOnly, SameSite=Lax, Secure when ``SESSION_COOKIE_SECURE`` is set)
  that lapse after eight hours and stop working when the password changes or the user is
  deactivated;
- a guard that asks for a sign-in before anything is shown when ``PUBLIC_READ`` is false (only
  ``/login`` and ``/assets/`` pass);
- protection against cross-site request forgery on every POST, PUT, PATCH and DELETE, including
  Dash's callback requests: the session holds a token that is also sent in the ``_csrf_token``
  cookie, which dash-renderer copies into the ``X-CSRFToken`` header of every callback, and forms
  send as ``csrf_token``;
- a growing wait after repeated failed sign-ins per username and per address, kept in the
  shared cache (Redis in production) so that every worker sees the same count.

Callbacks call `user_for_callback` and routes use `require_role`, so that a refusal happens on
the server whatever the page shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
    redirect,
    request,
    session,
)
from flask.blueprints import BlueprintSetupState
from markupsafe import escape
from sqlalchemy import Engine, func, select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.context import current_engine, current_settings
from dashboard.store.db import session_scope
from dashboard.store.models import User

ROLES = ("viewer", "contributor", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,119}$")
SESSION_HOURS = 8
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
OPEN_PATHS = ("/login", "/logout", "/auth/me", "/assets/", "/_favicon.ico")

F = TypeVar("F", bound=Callable[..., Any])


class AuthError(Exception):
    """A request refused for want of a sign-in (401) or of a role (403)."""

    status = 403

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotSignedIn(AuthError):
    """Nobody is signed in."""

    status = 401


class Forbidden(AuthError):
    """The signed-in user lacks the role or the agency for this."""

    status = 403


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


@dataclass(frozen=True)
class CurrentUser:
    """A signed-in user, detached from the database session."""

    id: int
    username: str
    role: str
    agency: str | None
    active: bool = True

    def has_role(self, role: str) -> bool:
        """Whether this user's role is `role` or a higher one."""
        return self.active and _RANK.get(self.role, -1) >= _RANK[role]

    @property
    def is_admin(self) -> bool:
        """Whether this user administers the dashboard."""
        return self.has_role("admin")

    def may_upload_for(self, owner: str | None) -> bool:
        """Whether this user may upload figures for an indicator owned by `owner`.

        Admins may upload for any indicator; contributors only for indicators whose owner is
        their own agency (compared without regard to case); indicators with no owner (the
        national ones) only by admins.
        """
        if self.is_admin:
            return True
        return (self.has_role("contributor") and bool(owner) and bool(self.agency)
                and _same_agency(owner, self.agency))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (never the password hash)."""
        return {"username": self.username, "role": self.role, "agency": self.agency,
                "active": self.active}


def _same_agency(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and " ".join(str(a).split()).casefold() == " ".join(
        str(b).split()).casefold()


def _snapshot(u: User) -> CurrentUser:
    return CurrentUser(u.id, u.username, u.role, u.agency, bool(u.active))


def require(user: CurrentUser | None, role: str) -> CurrentUser:
    """Return `user` if it has `role`, else raise `NotSignedIn` or `Forbidden`."""
    if user is None:
        raise NotSignedIn("Please sign in first.")
    if not user.has_role(role):
        raise Forbidden(f"This needs the {role} role; you are signed in as a {user.role}.")
    return user


# ---------------------------------------------------------------- users in the database


def hash_password(password: str) -> str:
    """A salted hash (Werkzeug's scrypt) of `password`, after checking its length."""
    check_password(password)
    return generate_password_hash(password)


def check_password(password: str) -> None:
    """Raise `UserError` unless `password` is long enough to be worth hashing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise UserError("a password can have at most 1,024 characters")


def normalise_username(username: str) -> str:
    """Usernames are stored in lower case so that `Alice` and `alice` are one person."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise UserError(f"{username!r} is not a username: use 2-120 letters, digits, "
                        "dots, dashes, underscores or @")
    return name


def create_user(engine: Engine, username: str, password: str, role: str,
                agency: str | None = None) -> CurrentUser:
    """Add a user.

    Raises:
        UserError: the username is taken or malformed, the role is unknown, the password is
            too short, or a contributor has no agency.
    """
    name = normalise_username(username)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    agency = " ".join(agency.split()) if agency and agency.strip() else None
    if role == "contributor" and not agency:
        raise UserError("a contributor needs an agency (the owner of the indicators they "
                        "upload)")
    hashed = hash_password(password)
    with session_scope(engine) as s:
        if s.scalar(select(User.id).where(func.lower(User.username) == name)) is not None:
            raise UserError(f"there is already a user called {name!r}")
        user = User(username=name, password_hash=hashed, role=role, agency=agency, active=True)
        s.add(user)
        s.flush()
        return _snapshot(user)


def update_user(engine: Engine, username: str, *, role: str | None = None,
                agency: str | None = None, active: bool | None = None,
                password: str | None = None) -> CurrentUser:
    """Change a user's role, agency, active flag or password (a new password ends sessions)."""
    name = normalise_username(username)
    if role is not None and role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    hashed = hash_password(password) if password is not None else None
    with session_scope(engine) as s:
        user = s.scalar(select(User).where(func.lower(User.username) == name))
        if user is None:
            raise UserError(f"there is no user called {name!r}")
        if role is not None:
            user.role = role
        if agency is not None:
            user.agency = " ".join(agency.split()) or None
        if active is not None:
            user.active = active
        if hashed is not None:
            user.password_hash = hashed
        if user.role == "contributor" and not user.agency:
            raise UserError("a contributor needs an agency")
        s.flush()
        return _snapshot(user)


def list_users(engine: Engine) -> list[CurrentUser]:
    """Every user, by username."""
    with session_scope(engine) as s:
        return [_snapshot(u) for u in s.scalars(select(User).order_by(User.username))]


def get_user(engine: Engine, username: str) -> CurrentUser | None:
    """The user called `username` (any case), or None."""
    with session_scope(engine) as s:
        u = s.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
        return _snapshot(u) if u else None


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Checked against when the username is unknown, so that a wrong name costs as long as a
    # wrong password and timing does not reveal which usernames exist.
    return generate_password_hash(secrets.token_hex(16))


def authenticate(engine: Engine, username: str, password: str) -> CurrentUser | None:
    """The active user with this username and password, or None."""
    name = username.strip().lower()
    with session_scope(engine) as s:
        u = s.scalar(select(User).where(func.lower(User.username) == name)) if name else None
        if u is None:
            check_password_hash(_dummy_hash(), password)
            return None
        if not check_password_hash(u.password_hash, password) or not u.active:
            return None
        return _snapshot(u)


def _session_marker(user_id: int, password_hash: str) -> str:
    # Bound into the session so that a password change or deactivation ends old sessions.
    key = current_app.secret_key
    secret = key.encode() if isinstance(key, str) else (key or b"")
    return hmac.new(secret, f"{user_id}:{password_hash}".encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- failed sign-ins


class LoginThrottle:
    """A growing wait after repeated failed sign-ins, per username and per client address.

    Counts live in the shared cache (Redis in production), so every worker applies the same
    wait. After `free` failures each further one doubles the wait, from 1 second up to
    `max_wait`; a success clears the username's count; an hour without failures clears both.
    """

    def __init__(self, free_per_user: int = 3, free_per_address: int = 10,
                 max_wait: float = 300.0, window: int = 3600):
        self.free_per_user = free_per_user
        self.free_per_address = free_per_address
        self.max_wait = max_wait
        self.window = window

    @staticmethod
    def _cache() -> Any:
        from dashboard.cache import cache

        return cache

    @staticmethod
    def now() -> float:
        """The clock (tests replace it)."""
        return time.time()

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        return [(f"login-fail:user:{digest}", self.free_per_user),
                (f"login-fail:addr:{address}", self.free_per_address)]

    def _wait_for(self, count: int, free: int) -> float:
        if count < free:
            return 0.0
        return float(min(2 ** (count - free), self.max_wait))

    def wait(self, username: str, address: str) -> float:
        """Seconds before another attempt for this username from this address is allowed."""
        longest = 0.0
        for key, free in self._keys(username, address):
            entry = self._cache().get(key)
            if entry:
                count, last = entry
                longest = max(longest, self._wait_for(count, free) - (self.now() - last))
        return max(longest, 0.0)

    def failed(self, username: str, address: str) -> None:
        """Count a failed attempt."""
        for key, _free in self._keys(username, address):
            count, _last = self._cache().get(key) or (0, 0.0)
            self._cache().set(key, (count + 1, self.now()), timeout=self.window)

    def succeeded(self, username: str) -> None:
        """Forget the username's failures (the address keeps its count)."""
        key, _free = self._keys(username, "")[0]
        self._cache().delete(key)


throttle = LoginThrottle()


# ---------------------------------------------------------------- the current request


def current_user() -> CurrentUser | None:
    """The user signed in for this request, or None (also outside a request)."""
    if not has_request_context():
        return None
    if "dashboard_user" in g:
        return cast(CurrentUser | None, g.dashboard_user)
    user = None
    uid = session.get("uid")
    if isinstance(uid, int):
        with session_scope(current_engine()) as s:
            u = s.get(User, uid)
            if u is not None and u.active and hmac.compare_digest(
                    str(session.get("auth", "")), _session_marker(u.id, u.password_hash)):
                user = _snapshot(u)
        if user is None:
            session.pop("uid", None)
            session.pop("auth", None)
    g.dashboard_user = user
    return user


def user_for_callback(role: str = "viewer") -> CurrentUser:
    """The signed-in user with at least `role`, for a Dash callback; raises `AuthError`.

    A callback catches `AuthError` and shows ``err.message``; nothing is changed.
    """
    return require(current_user(), role)


def require_role(role: str) -> Callable[[F], F]:
    """Decorate a Flask view: answer 401 or 403 (JSON) unless the user has `role`."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                require(current_user(), role)
            except AuthError as err:
                return json_error(err.status, err.message)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def json_error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    """An error answered as JSON, in the same shape as the API's."""
    return jsonify({"error": message, "status": status, **extra}), status


def csrf_token() -> str:
    """This session's token against cross-site request forgery (created on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _sent_token() -> str:
    return str(request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or "")


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so that /login?next=//evil.example cannot send people elsewhere.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _client_address() -> str:
    return request.remote_addr or "unknown"


# ---------------------------------------------------------------- the blueprint

blueprint = Blueprint("auth", __name__)


@blueprint.record_once
def _configure(state: BlueprintSetupState) -> None:
    app = state.app
    settings = app.config.get("DASHBOARD_SETTINGS")
    secure = bool(getattr(settings, "session_cookie_secure", False))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
    )


@blueprint.before_app_request
def _guard() -> Any:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()  # refused from its declared length, before any reading
    token = csrf_token()
    if request.method not in SAFE_METHODS and not hmac.compare_digest(_sent_token(), token):
        return json_error(400, "The form or page was out of date (missing or wrong CSRF "
                               "token). Reload the page and try again.")
    path = request.path
    if current_settings().public_read or path.startswith(OPEN_PATHS):
        return None
    if current_user() is not None:
        return None
    if request.method == "GET" and not path.startswith(("/_dash", "/api/")):
        full = request.full_path.rstrip("?")
        return redirect(f"/login?next={_quote(full)}")
    return json_error(401, "Please sign in to view this dashboard.")


@blueprint.after_app_request
def _set_csrf_cookie(response: Response) -> Response:
    token = session.get("csrf")
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Strict",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                            path="/")
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/")


_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Safeguarding partnership performance</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#0b0c0c;
background:#f3f2f1}}
main{{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border:1px solid #b1b4b6}}
label{{display:block;font-weight:600;margin-top:1rem}}
input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:2px solid #0b0c0c}}
input:focus,button:focus,a:focus{{outline:3px solid #ffdd00;outline-offset:0}}
button{{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#00703c;color:#fff;
border:0;cursor:pointer}}
.error{{border-left:5px solid #d4351c;padding:.5rem 1rem;margin-bottom:1rem;color:#0b0c0c}}
header{{background:#17294d;color:#fff;padding:.9rem 1.5rem;font-weight:600}}
header a{{color:#fff;text-decoration:none}}
.back{{margin:1.5rem 0 0;font-size:.95rem}}
.back a{{color:#0a58ca}}
</style></head>
<body><header><a href="/">Safeguarding partnership performance</a></header>
<main><h1>{title}</h1>{body}</main></body></html>"""


def _login_page(message: str = "", status: int = 200, next_path: str = "/",
                username: str = "") -> Response:
    error = (f'<p class="error" role="alert" id="login-error">{escape(message)}</p>'
             if message else "")
    described = ' aria-describedby="login-error"' if message else ""
    body = (f"{error}<form method=\"post\" action=\"/login\">"
            f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token())}">'
            f'<input type="hidden" name="next" value="{escape(next_path)}">'
            f'<label for="username">Username</label>'
            f'<input id="username" name="username" autocomplete="username" required'
            f' value="{escape(username)}"{described}>'
            f'<label for="password">Password</label>'
            f'<input id="password" name="password" type="password"'
            f' autocomplete="current-password" required{described}>'
            f'<button type="submit">Sign in</button></form>'
            f'<p class="back">No account? Ask your partnership\'s dashboard admin. '
            f'<a href="/">Back to the dashboard</a></p>')
    resp = Response(_PAGE.format(title="Sign in", body=body), status=status,
                    mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@blueprint.get("/login")
def login_form() -> Response:
    """The sign-in page."""
    return _login_page(next_path=_safe_next(request.args.get("next")))


@blueprint.post("/login")
def login() -> Response:
    """Check the username and password; on success start a fresh session and go on."""
    username = request.form.get("username", "")[:200]
    password = request.form.get("password", "")[:1100]
    next_path = _safe_next(request.form.get("next"))
    address = _client_address()
    wait = throttle.wait(username, address)
    if wait > 0:
        seconds = int(wait + 0.999)
        resp = _login_page(f"Too many failed sign-ins. Try again in {seconds} second"
                           f"{'s' if seconds != 1 else ''}.", 429, next_path, username)
        resp.headers["Retry-After"] = str(seconds)
        return resp
    user = authenticate(current_engine(), username, password)
    if user is None:
        throttle.failed(username, address)
        return _login_page("The username or password is not right.", 401, next_path, username)
    throttle.succeeded(username)
    with session_scope(current_engine()) as s:
        stored = s.get(User, user.id)
        marker = _session_marker(user.id, stored.password_hash if stored else "")
    # A new session (and CSRF token) at sign-in, so that a planted session cannot be reused.
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["auth"] = marker
    csrf_token()
    g.dashboard_user = user
    return cast(Response, redirect(next_path, code=303))


@blueprint.get("/logout")
def logout_form() -> Response:
    """A sign-out button (signing out changes state, so it is a POST)."""
    user = current_user()
    body = (f'<form method="post" action="/logout">'
            f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token())}">'
            f"<p>Signed in as {escape(user.username if user else '-')}."
            f'</p><button type="submit">Sign out</button></form>')
    return Response(_PAGE.format(title="Sign out", body=body), mimetype="text/html")


@blueprint.post("/logout")
def logout() -> Response:
    """End the session."""
    session.clear()
    g.dashboard_user = None
    return cast(Response, redirect("/login", code=303))


@blueprint.get("/auth/me")
def me() -> Response:
    """Who is signed in, and the CSRF token for scripts that POST."""
    user = current_user()
    return jsonify({"user": user.to_dict() if user else None, "csrf_token": csrf_token()})
