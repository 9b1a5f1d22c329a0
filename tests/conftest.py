"""Shared fixtures: real data folder, temporary SQLite stores, PostgreSQL from TEST_DATABASE_URL.

PostgreSQL and Chromium tests skip with a reason on a laptop without them; under CI (CI=true)
a missing service is a failure, never a skip.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from dashboard.settings import DATA_DIR
from dashboard.sources import find_data_dir
from dashboard.store.db import get_engine, migrate

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(reason: str) -> None:
    """Skip on a laptop, fail under CI."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def curated_lait_codes() -> set[str]:
    """LAIT codes in the curated catalogue (for fixtures that load a subset of LAIT quickly)."""
    with open(DATA_DIR / "catalogue.csv", newline="", encoding="utf-8") as f:
        return {r["code"] for r in csv.DictReader(f)
                if not r["code"].startswith(("ASC_", "PART_", "CIN_", "CLA_"))}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder with the real published files."""
    found = find_data_dir()
    if found is None:
        need("the published data files are not available (see README: python -m dashboard fetch)")
    assert found is not None
    return found


def sibling_database(url: str, suffix: str) -> str:
    """A second PostgreSQL database beside TEST_DATABASE_URL's (created if missing).

    Session-wide fixtures use their own database so that tests which reset the main test
    database cannot wipe them.
    """
    base = make_url(url)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if not c.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgres(url: str) -> Engine:
    """A clean `public` schema in the given PostgreSQL database."""
    engine = get_engine(url)
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(scope="session")
def pg_url() -> str:
    """TEST_DATABASE_URL, or a skip (a failure in CI)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        need("TEST_DATABASE_URL is not set (PostgreSQL tests)")
    assert url is not None
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated, empty store on each backend."""
    if request.param == "sqlite":
        engine = get_engine(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        engine = reset_postgres(request.getfixturevalue("pg_url"))
    migrate(engine)
    yield engine
    engine.dispose()


_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember skips, so that a CI run can refuse them."""
    if report.skipped:
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI every tier must run: any skipped test fails the run."""
    if IN_CI and _SKIPPED:
        print(f"\nCI: {len(_SKIPPED)} test(s) skipped; PostgreSQL and Chromium tests must run:")
        for node in _SKIPPED[:20]:
            print(f"  {node}")
        session.exitstatus = 1
