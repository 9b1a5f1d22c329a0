"""Shared helpers for the upload, rollback and auth tests.

A store with areas, the catalogue and users; template files built from rows; whole-database
snapshots to compare row by row; a Flask server with the auth and data blueprints.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, MetaData, select

from dashboard.auth import CurrentUser, create_user
from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.reference import load_areas
from dashboard.ingest.upload import TEMPLATE_COLUMNS, set_indicator_owner
from dashboard.settings import Settings
from dashboard.store.db import session_scope

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSWORD = "correct horse battery staple"
ADULTS = "Southend Adult Social Care"
CHILDREN = "Southend Children's Services"
POLICE = "Essex Police"
HOME = "E06000033"
HEADER = ",".join(TEMPLATE_COLUMNS)
# The tables an upload may touch; snapshots compare every row of each.
DATA_TABLES = ("observations", "observation_history", "indicators", "periods", "breakdowns")
AUDIT_TABLES = ("data_loads", "rejected_rows")


@dataclasses.dataclass(frozen=True)
class Users:
    """One user of each kind the role tests need."""

    admin: CurrentUser
    adults: CurrentUser  # contributor for adults' services (owns ASC_*)
    police: CurrentUser  # contributor for another agency
    viewer: CurrentUser


def prepare_store(engine: Engine, data_dir: Path) -> Users:
    """Areas, the curated catalogue, owners for the local indicators, and four users."""
    with session_scope(engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
        apply_catalogue(s)
    admin = create_user(engine, "admin", PASSWORD, "admin")
    users = Users(admin,
                  create_user(engine, "ada", PASSWORD, "contributor", ADULTS),
                  create_user(engine, "pc.plum", PASSWORD, "contributor", POLICE),
                  create_user(engine, "vic", PASSWORD, "viewer"))
    with session_scope(engine) as s:
        from dashboard.store.models import Indicator

        codes = [c for (c,) in s.execute(select(Indicator.code))]
    for code in codes:
        if code.startswith("ASC_"):
            set_indicator_owner(engine, code, ADULTS, admin)
        elif code.startswith("PART_"):
            set_indicator_owner(engine, code, CHILDREN, admin)
    return users


def template(*rows: str, header: str = HEADER) -> bytes:
    """A template CSV with these data rows."""
    return ("\n".join([header, *rows]) + "\n").encode()


def snapshot(engine: Engine, tables: tuple[str, ...] = DATA_TABLES + AUDIT_TABLES
             ) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of each table, ordered, for before/after comparisons."""
    meta = MetaData()
    meta.reflect(engine, only=list(tables))
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as c:
        for name in tables:
            t = meta.tables[name]
            out[name] = [tuple(r) for r in c.execute(select(t).order_by(*t.primary_key.columns))]
    return out


def make_server(engine: Engine, *, public_read: bool = True, secure: bool = False) -> Flask:
    """A Flask server with the cache, the API, and the auth and data blueprints."""
    from dashboard import auth, data_routes
    from dashboard.api import api
    from dashboard.cache import init_cache

    settings = dataclasses.replace(
        Settings.from_env({}), database_url=engine.url.render_as_string(hide_password=False),
        public_read=public_read, session_cookie_secure=secure, secret_key="test-secret-key")
    server = Flask("test_server")
    server.config.update(SECRET_KEY=settings.secret_key, DASHBOARD_SETTINGS=settings,
                         TESTING=True)
    init_cache(server, settings)
    server.register_blueprint(api)
    server.register_blueprint(auth.blueprint)
    server.register_blueprint(data_routes.blueprint)
    return server


