"""Many people at once: simulated users' sessions against 4 gunicorn workers, no errors."""

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
