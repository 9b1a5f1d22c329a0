"""The store for the current request: the engine of the app that is serving it.

Each app built by `create_app` carries its own settings, so tests can run two apps on two
databases side by side.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import Engine

from dashboard.settings import Settings, get_settings
from dashboard.store.db import get_engine


def current_settings() -> Settings:
    """The settings of the app serving this request (or the process's settings)."""
    if has_app_context():
        s = current_app.config.get("DASHBOARD_SETTINGS")
        if s is not None:
            return s
    return get_settings()


def current_engine() -> Engine:
    """The engine for the current app's DATABASE_URL, created lazily once per process."""
    return get_engine(current_settings().database_url)
