"""Faults under load: PostgreSQL restarting mid-load, a load process killed mid-write."""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy import create_engine, func, select

from bench.loadtest import run_load
from dashboard.settings import ROOT
from dashboard.store.models import DataLoad, Observation

pytestmark = pytest.mark.load
DOWN = 3.0  # seconds PostgreSQL stays down: long enough that users meet the outage
GRACE = 5.0  # seconds after it is back within which the app must have recovered by itself


def test_postgres_restart_mid_load_gets_503_then_recovers(cluster, app_server, payloads,
                                                          catalogue):
    """PostgreSQL stops mid-load: answers are 200 or the clear 503, and all 200 once it is back."""
    times: dict[str, float] = {}

    def restart() -> None:
        time.sleep(3)
        times["down"] = time.monotonic()
        cluster.stop()
        time.sleep(DOWN)
        cluster.start()
        times["up"] = time.monotonic()

    tally = run_load(app_server, payloads, catalogue, users=10, duration=3 + DOWN + GRACE + 2,
                     during=restart, ok=(200, 204, 503))
    print(f"\nPostgreSQL down for {DOWN:.0f} s mid-load: statuses {dict(tally.statuses)}")
    assert not tally.errors, "\n".join(tally.errors[:20])  # no 500, no dropped connection
    outage = [u for u in tally.unusual if u[2] == 503]
    assert outage, "no request met the outage (the load did not reach the database)"
    for when, kind, _status, body in outage:
        assert "not reachable" in body, f"{kind}: 503 without the outage sentence: {body}"
        assert times["down"] - 1 <= when <= times["up"] + GRACE, (
            f"{kind} got 503 {when - times['up']:.1f} s after PostgreSQL was back")
    fresh = requests.get(f"{app_server}/api/v1/indicators/ReReferral/data?areas=E06000015",
                         timeout=30)
    assert fresh.status_code == 200  # recovered without a restart of the app


def _big_local_file(path: Path, areas: list[str], years: range) -> int:
    """A valid partner file with one row per indicator, area and year; its row count."""
    codes = ["PART_CSC_Contacts_Count", "PART_CSC_Referrals_Count",
             "PART_CSC_Assessments_Count", "PART_S47_Count"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "area_code", "period_type", "period", "value"])
        for n, (code, area, year) in enumerate((c, a, y) for c in codes for a in areas
                                               for y in years):
            w.writerow([code, area, "financial_year", f"{year}-{str(year + 1)[2:]}", 100 + n % 7])
    return len(codes) * len(areas) * len(years)


def _counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        out = (c.scalar(select(func.count()).select_from(Observation)),
               c.scalar(select(func.count()).select_from(DataLoad)))
    engine.dispose()
    return int(out[0] or 0), int(out[1] or 0)


def _writing(cluster, database: str) -> bool:
    """Whether another connection is inserting into the database right now."""
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as c:
        row = c.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                        "state = 'active' AND query ILIKE 'insert%%'", (database,)).fetchone()
    return bool(row and row[0])


def test_cli_load_killed_mid_write_stores_nothing(cluster, load_db, tmp_path):
    """A `dashboard load local` process killed with SIGKILL while writing stores no row at all."""
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres "
                         "dbname=dashboard") as c:
        areas = [a for (a,) in c.execute("SELECT code FROM areas WHERE type = 'la'")]
    path = tmp_path / "partner.csv"
    rows = _big_local_file(path, areas, range(1990, 2025))
    before = _counts(load_db)
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--database-url", load_db,
                             "load", "local", str(path)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _writing(cluster, "dashboard"):
        assert proc.poll() is None, "the load ended before it was seen writing: a bigger file"
        assert time.monotonic() < deadline, "the load was never seen writing"
        time.sleep(0.02)
    time.sleep(0.2)  # well into the batch of inserts
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _counts(load_db) == before, f"a killed load of {rows} rows left rows behind"
