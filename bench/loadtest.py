"""A bounded load test on loopback: simulated users running realistic sessions for a fixed time.

Each user (a thread with its own cookie session, as a browser has) loops through what a
manager does: open the scorecard for an area, change the theme, open indicators, switch
neighbours on, look at the compare grid, and download an indicator's data as CSV from the
API. The Dash requests are the ones headless Chromium sends (recorded once at the start,
see ``bench.http.record``), with the area, theme, indicator and neighbours varied per user.

Usage::

    python -m bench.loadtest --database-url URL [--cache-url redis://127.0.0.1:6379/7]
        [--users 50] [--duration 60] [--workers 4]     # starts gunicorn itself
    python -m bench.loadtest --base-url http://127.0.0.1:8050 ...   # or an app already running

Only loopback addresses are accepted; every loop stops at the deadline. It prints the count,
median and p95 of each kind of request and every error, and exits 1 if there was any error.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests

from bench.http import Recorded, browser_session, gunicorn, pct, record
from dashboard import ids, queries
from dashboard.store.db import get_engine

LOOPBACK = ("127.", "localhost", "[::1]", "::1")
SEARCH = "_pages_location.search"  # Dash Pages draws a page from the address's query
KEEPALIVE = 5  # seconds: deploy/gunicorn.conf.py


@dataclass
class Tally:
    """Every request's time by kind, and the errors, shared by the user threads."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    #: (monotonic time at the answer, kind, status, start of the body) of every answer
    #: that was not a 200 or 204, for the fault tests.
    unusual: list[tuple[float, str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, status: int, error: str | None = None,
            body: str = "") -> None:
        """Record one request."""
        with self.lock:
            self.ms[kind].append(ms)
            self.statuses[status] += 1
            if error:
                self.errors.append(f"{kind}: {error}")
            if status not in (200, 204):
                self.unusual.append((time.monotonic(), kind, status, body[:300]))

    def report(self, duration: float) -> list[str]:
        """Printable lines: per kind count, median and p95; throughput; errors."""
        total = sum(len(v) for v in self.ms.values())
        every = [m for v in self.ms.values() for m in v]
        lines = [f"  {total} requests in {duration:.0f} s ({total / duration:.1f}/s), "
                 f"{len(self.errors)} errors; statuses {dict(sorted(self.statuses.items()))}"]
        if every:
            lines.append(f"  {'all requests':<34} median {statistics.median(every):7.1f} ms  "
                         f"p95 {pct(every, 95):7.1f} ms")
        for kind, ms in sorted(self.ms.items()):
            lines.append(f"  {kind:<34} n={len(ms):<5} median {statistics.median(ms):7.1f} ms"
                         f"  p95 {pct(ms, 95):7.1f} ms  max {max(ms):7.1f} ms")
        lines += [f"  ERROR {e}" for e in self.errors[:20]]
        return lines


@dataclass(frozen=True)
class Catalogue:
    """What users pick from: areas, themes, indicators and the home area's neighbours."""

    areas: list[str]
    themes: list[str]
    indicators: list[str]
    neighbours: dict[str, list[str]]

    @classmethod
    def from_engine(cls, database_url: str) -> Catalogue:
        """Read the choices from the store."""
        engine = get_engine(database_url)
        meta = queries.indicators(engine, domain="children", curated=True)
        las = queries.areas(engine, ("la",))
        groups = {a.code: queries.comparator_group(engine, a.id, "children", None) for a in las}
        return cls([a.code for a in las], queries.themes(engine, "children"), list(meta["code"]),
                   {code: [n.area.code for n in g.neighbours] for code, g in groups.items() if g})


class User:
    """One simulated person: a cookie session and a seeded random choice of what to look at."""

    def __init__(self, n: int, base: str, rec: dict[str, Recorded], cat: Catalogue,
                 tally: Tally, deadline: float, think: tuple[float, float],
                 ok: tuple[int, ...] = (200, 204)) -> None:
        self.rng = random.Random(n)
        self.base, self.rec, self.cat, self.tally = base, rec, cat, tally
        self.deadline, self.think, self.ok = deadline, think, ok
        self.session: requests.Session | None = None

    def _do(self, kind: str, call: Callable[[requests.Session], requests.Response],
            ) -> requests.Response | None:
        if time.monotonic() >= self.deadline:
            raise TimeoutError
        assert self.session is not None
        t0 = time.perf_counter()
        try:
            r = call(self.session)
        except requests.RequestException as err:
            self.tally.add(kind, (time.perf_counter() - t0) * 1000, 0, repr(err)[:200])
            return None
        ms = (time.perf_counter() - t0) * 1000
        error = None if r.status_code in self.ok else f"{r.status_code} {r.text[:200]}"
        self.tally.add(kind, ms, r.status_code, error, r.text if r.status_code >= 300 else "")
        self.pause()
        return r

    def pause(self) -> None:
        """Think for a while; after a long pause, start on a fresh connection.

        gunicorn closes a keep-alive connection idle for KEEPALIVE seconds; a request sent
        on it at that moment meets a reset, which a browser retries without telling anyone
        (and nginx in front does not reuse connections to gunicorn at all). So a user who
        paused that long drops the idle connection first; the cookies are kept.
        """
        pause = self.rng.uniform(*self.think)
        time.sleep(pause)
        if pause >= KEEPALIVE - 1 and self.session is not None:
            self.session.close()

    def _post(self, kind: str, rec: Recorded, body: dict[str, Any]) -> None:
        self._do(kind, lambda s: s.post(rec.url, json=body, timeout=60))

    def _get(self, kind: str, path: str) -> None:
        self._do(kind, lambda s: s.get(self.base + path, timeout=60))

    def session_once(self) -> None:
        """One visit: scorecard, theme, two indicators with neighbours, compare, CSV export."""
        rng, rec, cat = self.rng, self.rec, self.cat
        area = rng.choice(cat.areas)
        self.session = None
        t0 = time.perf_counter()
        try:
            self.session = browser_session(self.base)
            self.tally.add("page: scorecard (GET /)", (time.perf_counter() - t0) * 1000, 200)
        except requests.HTTPError as err:
            status = err.response.status_code if err.response is not None else 0
            self.tally.add("page: scorecard (GET /)", (time.perf_counter() - t0) * 1000, status,
                           None if status in self.ok else repr(err)[:200],
                           err.response.text if err.response is not None else "")
            self.pause()
            return
        except requests.RequestException as err:
            self.tally.add("page: scorecard (GET /)", (time.perf_counter() - t0) * 1000, 0,
                           repr(err)[:200])
            self.pause()
            return
        self._get("dash: layout + dependencies", "/_dash-layout")
        self._get("dash: layout + dependencies", "/_dash-dependencies")
        page_sc, page_ind = rec["page_scorecard"], rec["page_indicator"]
        self._post("page: scorecard (draw)", page_sc, page_sc.with_values(
            {SEARCH: f"?area={area}"}))
        sc, ind, nb, cmp_ = (rec["scorecard"], rec["indicator_open"], rec["neighbour"],
                             rec["compare"])
        a_sc, a_ind = ids.SC_CONTROLS.area, ids.IND_CONTROLS.area
        self._post("scorecard: area", sc, sc.with_values({a_sc: area}, a_sc))
        self._post("scorecard: theme", sc, sc.with_values(
            {a_sc: area, ids.SC_CONTROLS.theme: rng.choice(cat.themes)}, ids.SC_CONTROLS.theme))
        linked, picked = rng.sample(cat.indicators, 2)
        # A link to an indicator (a fresh page), then another picked in the view's control.
        self._get("page: indicator (GET)", f"/indicator?area={area}&indicator={linked}")
        self._post("page: indicator (draw)", page_ind, page_ind.with_values(
            {SEARCH: f"?area={area}&indicator={linked}"}))
        self._post("indicator: open (picker)", ind, ind.with_values(
            {a_ind: area, ids.IND_SELECT: picked}, ids.IND_SELECT))
        for code in (linked, picked):
            self._post("indicator: neighbours on", nb, nb.with_values(
                {a_ind: area, ids.IND_SELECT: code,
                 ids.IND_NEIGHBOURS: rng.sample(cat.neighbours.get(area, []) or cat.areas[:10],
                                                rng.choice((1, 2)))}, ids.IND_NEIGHBOURS))
        self._post("compare: area", cmp_, cmp_.with_values({ids.CMP_CONTROLS.area: area},
                                                          ids.CMP_CONTROLS.area))
        code = rng.choice(cat.indicators)
        self._get("export: indicator CSV (API)",
                  f"/api/v1/indicators/{code}/data?areas={area},E92000001&format=csv")

    def run(self) -> None:
        """Visit after visit until the deadline."""
        while time.monotonic() < self.deadline:
            try:
                self.session_once()
            except TimeoutError:
                return


def check_loopback(url: str) -> None:
    """Refuse any target that is not on this machine's loopback interface."""
    host = urlparse(url).hostname or ""
    if not host.startswith(LOOPBACK):
        raise SystemExit(f"refusing to load-test {host}: only loopback addresses are allowed")


def run_load(base: str, rec: dict[str, Recorded], cat: Catalogue, users: int,
             duration: float, think: tuple[float, float] = (0.2, 1.0),
             during: Callable[[], None] | None = None,
             ok: tuple[int, ...] = (200, 204)) -> Tally:
    """Run `users` users against `base` for `duration` seconds; `during` runs meanwhile.

    Answers with a status outside `ok` (or no answer) count as errors.
    """
    check_loopback(base)
    tally = Tally()
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=User(n, base, rec, cat, tally, deadline, think,
                                            ok).run, daemon=True) for n in range(users)]
    for t in threads:
        t.start()
        time.sleep(min(0.05, duration / max(users, 1) / 10))  # a ramp, not a stampede
    if during:
        during()
    for t in threads:
        t.join(timeout=duration + 120)
    return tally


def main(argv: list[str] | None = None) -> int:
    """Start (or use) the server, run the load, print the figures; 1 if any error."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", required=True, help="the store the app serves")
    ap.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/7 (flushed first)")
    ap.add_argument("--base-url", help="an app already running on loopback")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--think", type=float, nargs=2, default=(0.2, 1.0), metavar=("MIN", "MAX"),
                    help="seconds a user pauses after each answer (default 0.2 1.0: a "
                         "stress load; people take 2 to 10)")
    ap.add_argument("--short", action="store_true", help="20 users for 15 s (CI)")
    args = ap.parse_args(argv)
    if args.short:
        args.users, args.duration = 20, 15.0
    cat = Catalogue.from_engine(args.database_url)
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()

    def go(base: str) -> Tally:
        rec = record(base)
        print(f"Load test: {args.users} users for {args.duration:.0f} s against {base} "
              f"({args.workers} gunicorn workers, "
              f"{get_engine(args.database_url).url.get_backend_name()}, "
              f"{'Redis' if args.cache_url else 'in-process'} cache; think time "
              f"{args.think[0]:g}-{args.think[1]:g} s)", flush=True)
        t0 = time.monotonic()
        tally = run_load(base, rec, cat, args.users, args.duration, tuple(args.think))
        for line in tally.report(time.monotonic() - t0):
            print(line, flush=True)
        return tally

    if args.base_url:
        tally = go(args.base_url)
    else:
        log = Path("/tmp/bench-loadtest-gunicorn.log")
        with gunicorn(args.database_url, workers=args.workers, cache_url=args.cache_url,
                      log=log) as (base, _proc):
            tally = go(base)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
