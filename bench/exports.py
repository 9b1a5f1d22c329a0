"""Export timings on the full real data: one chart as PNG and SVG, and a 30-indicator pack.

Usage: `python -m bench.exports [--database-url URL] [--repeat 20] [--packs 3]`.
Without a URL it uses (and if needed loads) `data/bench.db`, like `bench.scorecard`. Prints the
browser's cold start once, then the median and p95 per chart export (data, figure, layout and
render through the warm browser) and per pack of 30 indicators (Southend-on-Sea, children's
services). No assertions: the figures are for the issue and for spotting regressions.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from dashboard import queries
from dashboard.bootstrap import is_loaded, load_all, locate_data
from dashboard.exports import (
    PackRequest,
    build_chart,
    build_pack,
    get_renderer,
    indicator_content,
    render_chart,
)
from dashboard.settings import DATA_DIR
from dashboard.store.db import get_engine

AREA = "E06000033"


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm up: connection pool, statement cache, browser tabs
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _report(name: str, ms: list[float]) -> None:
    med = statistics.median(ms)
    p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
    print(f"  {name:<46} median {med:8.1f} ms   p95 {p95:8.1f} ms   (n={len(ms)})")


def main() -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    ap.add_argument("--repeat", type=int, default=20, help="runs per chart export")
    ap.add_argument("--packs", type=int, default=3, help="runs of the 30-indicator pack")
    args = ap.parse_args()
    engine = get_engine(args.database_url or f"sqlite:///{DATA_DIR / 'bench.db'}")
    if not is_loaded(engine):
        print("Loading the national data set for the benchmark...")
        load_all(engine, locate_data(), progress=lambda _m: None)
    print(f"Exports on {engine.url.get_backend_name()}")
    t0 = time.perf_counter()
    get_renderer().start()
    print(f"  {'browser cold start (once per process)':<46} {time.perf_counter() - t0:8.2f} s")

    for kind in ("trend", "bar"):
        for fmt in ("png", "svg"):
            def export(kind: str = kind, fmt: str = fmt) -> bytes:
                content = indicator_content(engine, "ReReferral", AREA)
                return render_chart(build_chart(content, kind), fmt, "word")

            _report(f"{kind} chart {fmt.upper()} (word size{', 2x' if fmt == 'png' else ''})",
                    _times(export, args.repeat))

    curated = list(queries.indicators(engine, domain="children", curated=True)["code"])
    others = list(queries.indicators(engine, domain="children", curated=False)["code"])
    codes = tuple((curated + others)[:30])
    req = PackRequest(AREA, "children", codes=codes)
    sizes: list[int] = []

    def pack() -> None:
        sizes.append(len(build_pack(engine, req)))

    ms = _times(pack, args.packs)
    _report(f"meeting pack, {len(codes)} indicators ({sizes[-1] / 1e6:.1f} MB)", ms)
    print(f"  per indicator in the pack: {statistics.median(ms) / len(codes):.0f} ms")


if __name__ == "__main__":
    main()
