"""Data page, notes and local series: layouts and callbacks as plain functions, with roles.

Every callback that changes the store is called as anonymous, a viewer, a contributor for
another agency and an admin (or the right contributor), and must refuse all but the last on
the server, whatever the page shows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import dash
import pytest
from flask import g

from dashboard import ids
from dashboard.auth import CurrentUser, create_user, get_user
from dashboard.ingest.upload import TEMPLATE_COLUMNS, set_indicator_owner, validate_upload
from dashboard.store.db import get_engine
from tests.callbacks.dashtree import by_id, find, text

HOME = "E06000033"
PASSWORD = "correct horse battery staple"
ADULTS = "Southend Adult Social Care"
QUARTERLY = "ASC_Concerns_Quarter"
HEADER = ",".join(TEMPLATE_COLUMNS)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def csv(*rows: str) -> bytes:
    """A template CSV with these data rows."""
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture(scope="module")
def people(app: dash.Dash) -> SimpleNamespace:
    """An admin, contributors for adults' services and another agency, and a viewer."""
    engine = get_engine(app.server.config["DASHBOARD_SETTINGS"].database_url)

    def ensure(name: str, role: str, agency: str | None = None) -> CurrentUser:
        return get_user(engine, name) or create_user(engine, name, PASSWORD, role, agency)

    admin = ensure("cb-admin", "admin")
    for code in (QUARTERLY, "ASC_Contacts_Quarter", "ASC_S42_Quarter"):
        set_indicator_owner(engine, code, ADULTS, admin)
    return SimpleNamespace(engine=engine, admin=admin,
                           adults=ensure("cb-ada", "contributor", ADULTS),
                           police=ensure("cb-plum", "contributor", "Essex Police"),
                           viewer=ensure("cb-vic", "viewer"))


@pytest.fixture
def signed_in(app: dash.Dash) -> Iterator[Callable[[CurrentUser | None], None]]:
    """A request context; call it with a user (or None) to be signed in for the callback."""
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        def as_user(user: CurrentUser | None) -> None:
            g.dashboard_user = user
            g.pop("data_key", None)

        as_user(None)
        yield as_user


@pytest.fixture(scope="module")
def pages(app: dash.Dash) -> SimpleNamespace:
    """The Data page and notes modules (importable once the app has registered its pages)."""
    from callbacks import data, indicator_notes
    from layouts import data as data_page
    from layouts import indicator as indicator_page
    from layouts import indicator_notes as notes_page

    return SimpleNamespace(data=data, notes=indicator_notes, data_page=data_page,
                           notes_page=notes_page, indicator_page=indicator_page)


def refused(people: SimpleNamespace) -> list[tuple[CurrentUser | None, str]]:
    """Everyone below an admin, with the words of their refusal."""
    return [(None, "sign in"), (people.viewer, "admin role"), (people.police, "admin role"),
            (people.adults, "admin role")]


# ---------------------------------------------------------------- the page


def test_data_layout_anonymous_sees_history_but_no_actions(pages, signed_in):
    """Signed out: template links and history show; upload is disabled, no admin controls."""
    layout = pages.data_page.layout()
    assert by_id(layout, ids.DATA_UPLOAD).disabled is True
    assert by_id(layout, ids.DATA_TEMPLATE_CSV).href == "/upload/template.csv"
    assert by_id(layout, ids.DATA_TEMPLATE_XLSX).href == "/upload/template.xlsx"
    assert "Sign in" in text(layout) and "Load history" in text(layout)
    assert not find(layout, lambda c: isinstance(getattr(c, "id", None), dict))
    assert by_id(layout, ids.DATA_COMMIT_BAR).hidden is True


def test_data_layout_admin_gets_rollback_buttons_and_target_form(pages, people, signed_in):
    """An admin sees a Roll back button on committed loads and the target form."""
    signed_in(people.admin)
    layout = pages.data_page.layout()
    assert by_id(layout, ids.DATA_UPLOAD).disabled is False
    assert find(layout, lambda c: isinstance(getattr(c, "id", None), dict)
                and c.id["type"] == ids.DATA_ROLLBACK)
    form = find(layout, lambda c: getattr(c, "className", None) == "side-panel mb-2")
    assert form and form[0].hidden is False


def test_data_report_names_every_problem_with_row_column_value(pages, people, signed_in):
    """Two problems give "2 problems: fix them and upload again" and one table row each."""
    report = validate_upload(people.engine, csv(
        f"{QUARTERLY},{HOME},quarter,2021-22 Q2,512,,,final,",
        f"{QUARTERLY},E99999999,quarter,2021-22 Q3,498,,,final,",
        f"{QUARTERLY},{HOME},quarter,2021-22 Q4,lots,,,final,"), "q.csv", people.adults)
    body, bar_hidden, disabled, result, _progress, status = pages.data.show_report(
        report.to_dict())
    assert (bar_hidden, disabled, result) == (True, True, None)
    assert status == "2 problems: fix them and upload again."
    assert "2 problems: fix them and upload again" in text(body)
    rows = [text(tr) for tr in find(body, lambda c: c.__class__.__name__ == "Tr")][1:]
    assert rows[0].startswith("3 area_code E99999999 unknown area")
    assert rows[1].startswith("4 value lots text in a number column")


def test_data_report_previews_insert_update_and_unchanged(pages, people, signed_in):
    """A clean file shows what is added, updated (old -> new) and left alone; Commit opens."""
    note = "Safeguarding Partnership annual report 2020-21"  # as stored
    report = validate_upload(people.engine, csv(
        f"{QUARTERLY},{HOME},quarter,2020-21 Q1,366,,,final,{note}",
        f"{QUARTERLY},{HOME},quarter,2021-22 Q1,530,,,final,",
        f"{QUARTERLY},{HOME},quarter,2021-22 Q2,512,,,final,"), "q.csv", people.adults)
    assert report.ok, report.problems
    body, bar_hidden, disabled, *_rest = pages.data.show_report(report.to_dict())
    assert (bar_hidden, disabled) == (False, False)
    words = text(body)
    assert "1 to add" in words and "1 to update" in words and "1 left alone" in words
    assert "529 -> 530; status, note change" in words  # provisional, with a note, before


def test_data_refusals_from_the_routes_are_shown_as_alerts(pages, signed_in):
    """A route's error answer (no sign-in, too large) is drawn as an alert; nothing stored."""
    body, bar_hidden, *_rest, status = pages.data.show_report(
        {"error": "Please sign in first.", "status": 401})
    assert "Nothing was stored" in text(body) and "Please sign in first." in text(body)
    assert bar_hidden is True and status.startswith("Nothing was stored")


def test_data_validate_route_answers_200_for_the_page(app, people):
    """With ?report=1 a report listing problems is a 200 answer (no console error); else 422."""
    client = app.server.test_client()
    token = client.get("/auth/me").get_json()["csrf_token"]
    client.post("/login", data={"username": "cb-ada", "password": PASSWORD,
                                "csrf_token": token})
    token = client.get("/auth/me").get_json()["csrf_token"]
    bad = csv(f"{QUARTERLY},E99999999,quarter,2021-22 Q3,498,,,final,")
    for query, status in (("?report=1", 200), ("", 422)):
        answer = client.post(f"/upload/validate{query}", headers={"X-CSRFToken": token},
                             data={"file": (io.BytesIO(bad), "bad.csv")})
        assert answer.status_code == status
        assert answer.get_json()["problems"][0]["column"] == "area_code"


# ---------------------------------------------------------------- commit, history, rollback


def _rollback_trigger(callback_context: Any, load_id: int) -> None:
    prop = json.dumps({"index": load_id, "type": ids.DATA_ROLLBACK}, separators=(",", ":"))
    callback_context(f"{prop}.n_clicks", 1)


def test_data_commit_result_and_rollback_by_admin_only(app, pages, people, signed_in,
                                                       callback_context):
    """The result links to the indicator; only an admin's confirmed rollback undoes it."""
    from dashboard.ingest.upload import commit_upload

    file = csv(f"{QUARTERLY},{HOME},quarter,2021-22 Q4,480,,,final,")
    report = validate_upload(people.engine, file, "q4.csv", people.adults)
    result = commit_upload(people.engine, file, "q4.csv", people.adults,
                           expected_token=report.token)
    signed_in(people.adults)
    shown, stored, history, _progress, status = pages.data.show_result(
        {**result.to_dict(), "http_status": 201}, report.to_dict())
    assert stored is True and status.startswith(f"Stored: Load {result.load_id}")
    link = find(shown, lambda c: getattr(c, "className", "") == "alert-link result-link")[0]
    assert link.href == f"/indicator?area={HOME}&indicator={QUARTERLY}"
    assert "q4.csv" in text(history)

    for user, words in refused(people):
        signed_in(user)
        _rollback_trigger(callback_context, result.load_id)
        pending, _q, hidden, message = pages.data.ask_rollback([1])
        assert pending is None and hidden is True and words in message.lower()
        callback_context(f"{ids.DATA_ROLLBACK_YES}.n_clicks", 1)
        message, history, hidden, _pending = pages.data.do_rollback(1, 0, result.load_id)
        assert words in message.lower() and history is dash.no_update

    signed_in(people.admin)
    _rollback_trigger(callback_context, result.load_id)
    pending, question, hidden, _message = pages.data.ask_rollback([1])
    assert pending == result.load_id and hidden is False and "q4.csv" in question
    callback_context(f"{ids.DATA_ROLLBACK_NO}.n_clicks", 1)
    message, history, hidden, pending = pages.data.do_rollback(0, 1, result.load_id)
    assert (message, history, hidden, pending) == ("", dash.no_update, True, None)
    callback_context(f"{ids.DATA_ROLLBACK_YES}.n_clicks", 1)
    message, history, hidden, pending = pages.data.do_rollback(1, 1, result.load_id)
    assert message.startswith(f"Load {result.load_id} rolled back") and "1 added" in message
    row = find(history, lambda c: getattr(c, "data-load", None) == str(result.load_id))[0]
    assert "rolled back" in text(row)


def test_data_rollback_ignores_buttons_drawn_but_not_clicked(pages, people, signed_in,
                                                             callback_context):
    """Redrawing the history (new buttons with no clicks) never asks to roll anything back."""
    signed_in(people.admin)
    prop = json.dumps({"index": 1, "type": ids.DATA_ROLLBACK}, separators=(",", ":"))
    callback_context(f"{prop}.n_clicks", 0)
    assert pages.data.ask_rollback([0, 0]) == (dash.no_update,) * 4


# ---------------------------------------------------------------- targets


def test_targets_set_and_delete_by_admin_only(pages, people, signed_in, callback_context):
    """Setting or deleting a target is refused below admin; an admin's target is listed."""
    form = ("ReReferral", HOME, "", "", 20, 5)
    for user, words in refused(people):
        signed_in(user)
        message, table = pages.data.save_target(1, *form)
        assert words in message.lower() and table is dash.no_update
    signed_in(people.admin)
    message, table = pages.data.save_target(1, *form)
    assert message.startswith("Target set: Re-referrals") and "20" in text(table)
    target = find(table, lambda c: getattr(c, "data-target", None))[0]
    target_id = int(getattr(target, "data-target"))
    prop = json.dumps({"index": target_id, "type": ids.TGT_DELETE}, separators=(",", ":"))
    callback_context(f"{prop}.n_clicks", 1)
    for user, words in refused(people):
        signed_in(user)
        message, table = pages.data.remove_target([1])
        assert words in message.lower() and table is dash.no_update
    signed_in(people.admin)
    message, table = pages.data.remove_target([1])
    assert message == f"Target {target_id} deleted." and "No targets" in text(table)


def test_targets_form_errors_are_sentences(pages, people, signed_in):
    """A missing value or an unknown indicator is refused with the reason, nothing set."""
    signed_in(people.admin)
    message, table = pages.data.save_target(1, "ReReferral", HOME, "", "", None, 5)
    assert message == "The target was not set: give the target's value." and table is dash.no_update
    message, _table = pages.data.save_target(1, "NoSuchCode", HOME, "", "", 3, 5)
    assert "unknown indicator" in message


# ---------------------------------------------------------------- notes


CONTROLS = (HOME, "adults", "all", "demo", QUARTERLY, "any", "any", [], "trend")


def test_notes_save_refused_without_sign_in(pages, signed_in):
    """Signed out, Save changes nothing and says to sign in."""
    out = pages.notes.save(1, "deep dive agreed", "none", *CONTROLS)
    assert out[0] == "Please sign in first." and out[1:] == (dash.no_update,) * 3


def test_notes_xss_note_is_plain_text_in_list_and_chart(pages, people, signed_in):
    """A viewer's note with HTML is stored and shown as text; the chart marks its period."""
    signed_in(people.viewer)
    period = "quarter|2021-04-01|2021-06-30"
    message, items, cleared, trend = pages.notes.save(1, XSS, period, *CONTROLS)
    assert message == "Note saved." and cleared == ""
    texts = [p.children for p in find(items, lambda c: getattr(c, "className", "")
                                      == "note-text mb-0")]
    assert XSS in texts  # a plain string child: Dash escapes it
    assert not find(items, lambda c: c.__class__.__name__ in ("Img", "Script", "Iframe"))
    assert "cb-vic" in text(items) and "2021-22 Q1" in text(items)
    notes = [t for t in trend.data if t.name == "Notes"]
    assert notes and "2021-22 Q1" in notes[0].x
    hover = notes[0].customdata[list(notes[0].x).index("2021-22 Q1")][0]
    assert "&lt;script&gt;" in hover and "<script>" not in hover


def test_notes_refresh_follows_indicator_and_lists_its_periods(pages, signed_in):
    """The notes and period choices follow the indicator on screen."""
    items, options, value = pages.notes.refresh(QUARTERLY, HOME, "adults", "demo")
    assert value == "none" and options[0]["value"] == "none"
    assert "2021-22 Q1" in [o["label"] for o in options]
    items, _options, _value = pages.notes.refresh("ASC_S42_Quarter", HOME, "adults", "demo")
    assert "No notes" in text(items)


def test_notes_form_hidden_without_sign_in(pages, signed_in, people):
    """Signed out the form is hidden behind a sign-in link; signed in it shows."""
    layout = pages.indicator_page.layout(area=HOME, indicator=QUARTERLY)
    form = find(layout, lambda c: getattr(c, "className", "") == "note-form mt-3")[0]
    assert form.hidden is True and "Sign in" in text(by_id(layout, ids.NOTE_SECTION))
    signed_in(people.viewer)
    layout = pages.indicator_page.layout(area=HOME, indicator=QUARTERLY)
    form = find(layout, lambda c: getattr(c, "className", "") == "note-form mt-3")[0]
    assert form.hidden is False


# ---------------------------------------------------------------- local series and caching


def test_quarterly_trend_has_a_place_for_every_quarter(pages, signed_in):
    """Missing quarters are "no data" rows, so a year's gap is never drawn as one step."""
    from dashboard.views_data import cached_indicator, trend_table
    from dashboard.viewstate import ViewState

    data = cached_indicator(ViewState(area=HOME, domain="adults", indicator=QUARTERLY))
    table = trend_table(data)
    periods = list(table["period"])
    assert periods[:5] == ["2020-21 Q1", "2020-21 Q2", "2020-21 Q3", "2020-21 Q4",
                           "2021-22 Q1"]
    assert list(table["home_status"])[1:4] == ["no data"] * 3
    fig = pages.indicator_page.trend(data, ViewState(area=HOME, indicator=QUARTERLY), table,
                                     None)
    assert list(fig.layout.xaxis.categoryarray) == periods


def test_views_cache_follows_the_newest_load_across_workers(app, people):
    """A load committed elsewhere (no cache cleared here) is seen by the next request."""
    from dashboard.ingest.rollback import rollback_load
    from dashboard.ingest.upload import commit_upload
    from dashboard.views_data import cached_indicator, data_key
    from dashboard.viewstate import ViewState

    state = ViewState(area=HOME, domain="adults", indicator="ASC_Contacts_Quarter")

    def points() -> tuple[str, int]:
        with app.server.test_request_context("/"):
            data = cached_indicator(state)
            return data_key(), int(data.series["value"].notna().sum())

    key, before = points()
    # Outside any app context, as another worker would: this process's cache is not cleared.
    load = commit_upload(people.engine, csv(
        f"ASC_Contacts_Quarter,{HOME},quarter,2021-22 Q2,1700,,,final,"), "w2.csv",
        people.adults).load_id
    key_after, after = points()
    assert key_after != key and after == before + 1
    rollback_load(people.engine, load, people.admin)
    assert points()[1] == before


def test_data_page_private_dashboard_sends_visitors_to_login(app):
    """With PUBLIC_READ=false the Data page (like every page) redirects to /login first."""
    import dataclasses

    from app import create_app

    settings = dataclasses.replace(app.server.config["DASHBOARD_SETTINGS"], public_read=False)
    answer = create_app(settings).server.test_client().get("/data")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login?next=/data"
