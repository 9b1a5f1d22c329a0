"""Fixtures for the callback tier: an app on a real (session-built) store, and a request."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import dash
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard.settings import Settings
from tests.browser.testdb import session_db


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> dash.Dash:
    """The dashboard app over the session's store."""
    from app import create_app

    db = session_db(tmp_path_factory)
    settings = dataclasses.replace(Settings.from_env({}), database_url=f"sqlite:///{db}")
    return create_app(settings)


@pytest.fixture
def request_ctx(app: dash.Dash) -> Iterator[None]:
    """A Flask request context, as a callback or page layout runs in."""
    with app.server.test_request_context("/"):
        yield


@pytest.fixture(scope="session")
def cb(app: dash.Dash) -> SimpleNamespace:
    """The callback and page modules (importable only once an app has registered pages)."""
    from callbacks import about, compare, controls, indicator, scorecard
    from layouts import about as about_page
    from layouts import compare as compare_page
    from layouts import indicator as indicator_page
    from layouts import not_found_404, shell
    from layouts import scorecard as scorecard_page

    return SimpleNamespace(
        about=about, compare=compare, controls=controls, indicator=indicator,
        scorecard=scorecard, about_page=about_page, compare_page=compare_page,
        indicator_page=indicator_page, scorecard_page=scorecard_page, not_found=not_found_404,
        shell=shell)


@pytest.fixture(autouse=True)
def callback_context() -> Iterator[Callable[[str, Any], None]]:
    """A Dash callback context for each test, with nothing triggered by default.

    Call it to say which input triggered the callback:
    ``callback_context("indicator-from.value", "2019")``.
    """
    token = context_value.set(AttributeDict(triggered_inputs=[]))

    def trigger(prop_id: str, value: Any = 1) -> None:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id,
                                                           "value": value}]))

    yield trigger
    context_value.reset(token)
