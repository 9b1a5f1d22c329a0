"""Scorecard service timings on the full real data, against the floor of its SQL and JSON.

Usage: `python -m bench.scorecard [--database-url URL] [--repeat 30] [--import-lait]`.
Without a URL it uses (and if needed loads) `data/bench.db`. Prints median and p95 per call and
the ratio of the service to its floor (the same SQL queries plus JSON encoding of the result).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard import queries
from dashboard.bootstrap import is_loaded, load_all, locate_data
from dashboard.ingest.lait import load_lait
from dashboard.ingest.reference import load_areas
from dashboard.scorecard import build_scorecard
from dashboard.settings import DATA_DIR
from dashboard.store.db import get_engine, migrate, session_scope


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm up: connection pool, statement cache
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _report(name: str, ms: list[float], floor: list[float] | None = None) -> None:
    med = statistics.median(ms)
    p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
    ratio = f"  ratio to floor {med / statistics.median(floor):4.1f}x" if floor else ""
    print(f"  {name:<44} median {med:7.1f} ms   p95 {p95:7.1f} ms{ratio}")


def main() -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--import-lait", action="store_true", help="also time a full LAIT import")
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{DATA_DIR / 'bench.db'}"
    engine = get_engine(url)
    if not is_loaded(engine):
        print("Loading the national data set for the benchmark...")
        t0 = time.perf_counter()
        load_all(engine, locate_data(), progress=lambda _m: None)
        print(f"  full first load: {time.perf_counter() - t0:.1f} s")
    print(f"Scorecard service on {engine.url.get_backend_name()}, {args.repeat} runs each")
    area = queries.area_by_code(engine, "E06000033")
    assert area is not None
    for domain in ("children", "adults", "partnership"):
        sc = build_scorecard(engine, "E06000033", domain)
        ids = [int(i) for i in queries.indicators(engine, domain=domain, curated=True)["id"]]

        def floor(ids: list[int] = ids, sc_rows: int = len(sc.rows)) -> str:
            home = queries.series(engine, ids, [area.id])
            last = home.sort_values("sort_key").groupby("indicator_id").tail(1)
            cross = queries.cross_section(engine, list(zip(last["indicator_id"].astype(int),
                                                           last["period_id"].astype(int),
                                                           strict=True)))
            return json.dumps({"home": home.to_dict("records"), "cross": cross.to_dict(
                "records"), "n": sc_rows}, default=str)

        floor_ms = _times(floor, args.repeat)
        svc_ms = _times(lambda d=domain: json.dumps(
            build_scorecard(engine, "E06000033", d).to_dict()), args.repeat)
        _report(f"floor: SQL + JSON ({domain}, {len(sc.rows)} indicators)", floor_ms)
        _report(f"scorecard service + JSON ({domain})", svc_ms, floor_ms)
    as_at = _times(lambda: build_scorecard(engine, "E06000033", "children", vintage="2021",
                                           as_at="2020"), args.repeat)
    _report("scorecard as at 2020, 2021 neighbours", as_at)
    if args.import_lait:
        data = locate_data()
        with tempfile.TemporaryDirectory() as tmp:
            fresh = get_engine(f"sqlite:///{Path(tmp) / 'lait.db'}")
            migrate(fresh)
            with session_scope(fresh) as s:
                load_areas(s, sorted((data / "dfe/ees").glob("*.csv")))
            t0 = time.perf_counter()
            load_lait(fresh, data / "dfe/lait/bds_long.parquet",
                      data / "dfe/lait/lait_data_dictionary.csv")
            print(f"  full LAIT import (640,900 rows) on SQLite: {time.perf_counter() - t0:.1f} s")
            fresh.dispose()


if __name__ == "__main__":
    main()
