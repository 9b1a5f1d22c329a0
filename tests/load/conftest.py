"""Load and fault tier: gunicorn workers on a private PostgreSQL, with Redis as the shared cache.

Everything runs on loopback and stops by itself: a bounded number of simulated users for a
bounded time (``LOAD_USERS``, ``LOAD_SECONDS``; CI's short mode is the default, 20 users for
15 s). The PostgreSQL server is the test's own (``tests/load/pgcluster.py``), so that the fault
test can restart it without disturbing anything else; Redis is the machine's, on a database
number of its own (``LOAD_REDIS_URL``, default ``redis://127.0.0.1:6379/7``), flushed first.
Without PostgreSQL's binaries, Redis or Chromium the tier skips with the reason on a laptop
and fails under CI.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.http import Recorded, gunicorn, record
from bench.loadtest import Catalogue
from tests.browser.testdb import curated_codes
from tests.conftest import need
from tests.load.pgcluster import Cluster, pg_bin

REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "15"))
WORKERS = 4


def pytest_configure(config: pytest.Config) -> None:
    """Register this tier's marker."""
    config.addinivalue_line("markers", "load: load and fault tests (gunicorn, PostgreSQL, "
                                       "Redis, Chromium; bounded in users and time)")


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A private PostgreSQL server, running."""
    bindir = pg_bin()
    if bindir is None:
        need("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin)")
    assert bindir is not None
    server = Cluster(bindir)
    try:
        server.start()
        yield server
    finally:
        server.drop()


@pytest.fixture(scope="session")
def load_db(cluster: Cluster, data_dir: Path) -> str:
    """A database on the private server with the real data (LAIT limited to the catalogue)."""
    from dashboard.bootstrap import load_all
    from dashboard.store.db import get_engine

    url = cluster.create_database("dashboard")
    engine = get_engine(url)
    load_all(engine, data_dir, progress=lambda _m: None, lait_measures=curated_codes())
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis database the app's workers share, emptied."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as err:
        need(f"Redis is not reachable at {REDIS_URL} ({err}); start it with "
             "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''")
    return REDIS_URL


@pytest.fixture(scope="session")
def app_server(load_db: str, redis_url: str) -> Iterator[str]:
    """The app under gunicorn with 4 workers (deploy/gunicorn.conf.py), PostgreSQL and Redis."""
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        need("Chromium is not installed: apt-get install chromium chromium-driver")
    log = Path(tempfile.gettempdir()) / "dashboard-load-gunicorn.log"
    with gunicorn(load_db, workers=WORKERS, cache_url=redis_url, log=log) as (base, _proc):
        yield base


@pytest.fixture(scope="session")
def payloads(app_server: str) -> dict[str, Recorded]:
    """The Dash requests headless Chromium sends for each interaction, recorded once."""
    return record(app_server)


@pytest.fixture(scope="session")
def catalogue(load_db: str) -> Catalogue:
    """What the simulated users choose from."""
    return Catalogue.from_engine(load_db)
