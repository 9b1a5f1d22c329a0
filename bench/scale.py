"""A 10x scale-up of locally pushed data for benchmarks: monthly series for every LA.

About 150 LAs x 200 local indicators x 120 months (3.6 million observations), generated seeded
and flagged synthetic, loaded through the normal writer so that the benchmark measures the same
store a partnership would have after years of partner uploads.

Usage: `python -m bench.scale --database-url URL [--indicators 200] [--months 120]`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from dashboard.ingest.reference import upsert_indicators
from dashboard.ingest.writer import run_load
from dashboard.periods import month
from dashboard.store.db import get_engine, session_scope
from dashboard.store.models import Area

SEED = 7


def _indicator(i: int) -> dict[str, object]:
    return {"code": f"BENCH_Local_{i:03d}", "name": f"Benchmark local monthly measure {i}",
            "short_name": f"Local measure {i}", "domain": "partnership", "theme": "Benchmark",
            "unit": "number", "decimals": 0, "polarity": ("none", "high", "low")[i % 3],
            "frequency": "monthly", "period_type": "month", "curated": False,
            "definition": "Synthetic benchmark series (not real data).",
            "source": "bench.scale (synthetic)", "licence": "n/a"}


def main() -> None:
    """Generate and load the scale-up set, one indicator batch at a time."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--indicators", type=int, default=200)
    ap.add_argument("--months", type=int, default=120)
    args = ap.parse_args()
    engine = get_engine(args.database_url)
    rng = np.random.default_rng(SEED)
    with session_scope(engine) as s:
        las = [a.code for a in s.scalars(select(Area).where(Area.type == "la"))]
        upsert_indicators(s, [_indicator(i) for i in range(1, args.indicators + 1)])
    months = [month(2016 + (m // 12), m % 12 + 1) for m in range(args.months)]
    t0 = time.perf_counter()
    total = 0
    for start in range(1, args.indicators + 1, 20):
        codes = [f"BENCH_Local_{i:03d}" for i in range(start, min(start + 20, args.indicators + 1))]
        frames = []
        for code in codes:
            level = rng.lognormal(4, 1, len(las))
            for p_i, p in enumerate(months):
                season = 1 + 0.1 * np.sin(2 * np.pi * p_i / 12)
                values = np.round(level * season * rng.normal(1, 0.08, len(las)))
                frames.append(pd.DataFrame({"indicator": code, "area": las, "period": [p] * len(
                    las), "value": values, "synthetic": True}))
        batch = pd.concat(frames, ignore_index=True)
        run_load(engine, "bench-scale", Path(f"bench-scale-{start}"), lambda _s, b=batch: b)
        total += len(batch)
        print(f"  {total:>9,} rows loaded ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
