"""Many people at once (users on 4 gunicorn workers); the HTTP benchmark's short mode."""

from __future__ import annotations

import time

import pytest

from bench.loadtest import run_load
from tests.load.conftest import SECONDS, USERS, WORKERS

pytestmark = pytest.mark.load
KINDS = {"scorecard: area", "scorecard: theme", "indicator: open (picker)",
         "indicator: neighbours on", "page: indicator (draw)", "compare: area",
         "export: indicator CSV (API)"}


def test_load_users_sessions_have_no_errors(app_server, payloads, catalogue):
    """20 users (LOAD_USERS) for 15 s on PostgreSQL and Redis: every request answered 200."""
    t0 = time.monotonic()
    tally = run_load(app_server, payloads, catalogue, USERS, SECONDS)
    print(f"\nLoad: {USERS} users for {SECONDS:.0f} s, {WORKERS} gunicorn workers, "
          "PostgreSQL, Redis cache (timings are printed, not asserted):")
    print("\n".join(tally.report(time.monotonic() - t0)))
    assert not tally.errors, "\n".join(tally.errors[:20])
    missing = KINDS - set(tally.ms)
    assert not missing, f"kinds of request not made: {missing}"


def test_http_benchmark_short_mode_prints_figures(load_db):
    """bench.http in its short mode runs end to end on PostgreSQL and prints every figure."""
    from bench.http import run

    lines = run(load_db, repeat=3, cache_url=None, loads=1)
    print("\n" + "\n".join(lines))
    text = "\n".join(lines)
    for name in ("scorecard: area change", "indicator: open an indicator",
                 "indicator: switch a neighbour on", "compare grid", "page load to first chart",
                 "worker resident memory"):
        assert name in text
