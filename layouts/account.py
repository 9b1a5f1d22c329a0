"""The navbar's account control: who is signed in, with Sign out; or a Sign in link.

Drawn with the shell on every page load (the shell is a function, so each load asks who is
signed in). Signing out changes state, so it is a real form that POSTs to ``/logout`` with the
session's CSRF token; signing in is the ``/login`` page, which comes back to the page the
user was on. Not a page: the shell imports it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import has_request_context, request

from dashboard import ids
from dashboard.auth import CSRF_FIELD, csrf_token, current_user


def _back_path() -> str:
    """The page being drawn (the layout request's referrer), to come back to after sign-in."""
    if not has_request_context() or not request.referrer:
        return "/"
    parts = urlsplit(request.referrer)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def account_menu() -> html.Div:
    """The signed-in user's name, opening their role and Sign out; or Sign in."""
    user = current_user()
    if user is None:
        return html.Div(html.A("Sign in", href=f"/login?next={quote(_back_path(), safe='')}",
                               className="btn btn-outline-light btn-sm text-nowrap"),
                        id=ids.ACCOUNT, className="account-menu no-print")
    agency = f", {user.agency}" if user.agency else ""
    return html.Div(dbc.DropdownMenu([
        html.Div(f"{user.role.capitalize()}{agency}", className="dropdown-item-text account-role"),
        dbc.DropdownMenuItem(divider=True),
        html.Form([
            dcc.Input(type="hidden", name=CSRF_FIELD, value=csrf_token()),
            html.Button("Sign out", type="submit", className="dropdown-item"),
        ], method="post", action="/logout", className="account-form"),
    ], label=[html.Span("Signed in as ", className="visually-hidden"), user.username],
        align_end=True, in_navbar=True, size="sm", color="light",
        toggle_class_name="account-toggle"),
        id=ids.ACCOUNT, className="account-menu no-print")
