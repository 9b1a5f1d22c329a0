"""The views' speed through HTTP, as a browser gets it, against the floor of their SQL and JSON.

Starts gunicorn with one worker (``deploy/gunicorn.conf.py``) on a free loopback port over the
national store, records the ``/_dash-update-component`` requests that headless Chromium sends
for each interaction (Chrome DevTools performance log), then replays them with requests,
varying the area or indicator so that each first run is a real (uncached) answer:

- scorecard update: the home area changes (30 different local authorities, then again cached);
- indicator view: an indicator is opened from the picker, then a neighbour is switched on;
- compare grid update: the home area changes.

Beside each it measures the floor in this process on the same database: the SQL that reads the
same rows plus JSON encoding of them, and prints the ratio. It also measures page load to the
first chart drawn in headless Chromium (a Performance API mark set when the first visible
``.js-plotly-plot`` has an SVG) and the worker's resident memory.

Usage: ``python -m bench.http [--database-url URL] [--cache-url URL] [--repeat 30] [--short]``.
Without a URL it uses (and if needed loads) ``data/bench.db``. Figures are printed, never
asserted: a benchmark on a shared machine is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests
from sqlalchemy import Engine

from dashboard import ids, queries
from dashboard.settings import DATA_DIR, ROOT
from dashboard.store.db import get_engine, migrate

HOME = "E06000033"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TARGETS = {"scorecard": 300.0, "indicator": 150.0, "ratio": 3.0, "page_load": 2000.0,
           "rss_mb": 400.0}
FIRST_CHART_MARK = """
new MutationObserver(function (_r, obs) {
  const g = [...document.querySelectorAll('.js-plotly-plot')]
    .find(e => e.offsetParent !== null && e.querySelector('svg.main-svg'));
  if (g) { performance.mark('first-chart'); obs.disconnect(); }
}).observe(document, {subtree: true, childList: true});
"""


# -- figures ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-th percentile by nearest rank (p95 of 30 runs is the 29th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Result:
    """One measured interaction: its times, and its floor's times if it has one."""

    name: str
    ms: list[float]
    floor: list[float] = field(default_factory=list)
    target: float | None = None
    cpu: float | None = None  # the worker's CPU ms per request: steady when the machine is busy

    @property
    def median(self) -> float:
        """Median milliseconds."""
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        """95th percentile milliseconds."""
        return pct(self.ms, 95)

    @property
    def ratio(self) -> float | None:
        """Median time over the floor's median time."""
        return self.median / statistics.median(self.floor) if self.floor else None

    def line(self) -> str:
        """A printed row: median, p95, floor, ratio, and the target met or missed."""
        floor = (f"  floor {statistics.median(self.floor):6.1f} ms  ratio {self.ratio:4.1f}x"
                 if self.floor else "")
        verdict = ""
        if self.target is not None:
            verdict = f"  p95 target {self.target:.0f} ms: " + (
                "met" if self.p95 <= self.target else "MISSED")
        if self.ratio is not None:
            verdict += "; ratio " + ("met" if self.ratio <= TARGETS["ratio"] else "MISSED")
        cpu = f"  cpu {self.cpu:5.1f} ms" if self.cpu is not None else ""
        return (f"  {self.name:<42} n={len(self.ms):<3} median {self.median:6.1f} ms  "
                f"p95 {self.p95:6.1f} ms{cpu}{floor}{verdict}")


def timed(fn: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 1, cache_url: str | None = None,
             log: Path | None = None, extra_env: dict[str, str] | None = None,
             ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run gunicorn with the production config on a free loopback port; yield (URL, process)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "WEB_CONCURRENCY": str(workers),
           "BIND": f"127.0.0.1:{port}", "SYNTHETIC_DEMO": "false", **(extra_env or {})}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                             str(ROOT / "deploy" / "gunicorn.conf.py"), "app:server"],
                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode} (log: {log})")
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + "/_dash-layout", timeout=30).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 120 s")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]


class WorkerCpu:
    """The gunicorn workers' CPU time, to divide among the requests of a batch."""

    def __init__(self, master: subprocess.Popen[bytes]) -> None:
        self.workers = psutil.Process(master.pid).children()
        self.start = self._total()

    def _total(self) -> float:
        return sum(sum(w.cpu_times()[:2]) for w in self.workers) * 1000

    def per_request(self, n: int) -> float:
        """CPU milliseconds per request since the last call."""
        now = self._total()
        out, self.start = (now - self.start) / max(n, 1), now
        return out


def worker_rss_mb(master: subprocess.Popen[bytes]) -> list[float]:
    """Resident memory of each gunicorn worker, in MB."""
    return [c.memory_info().rss / 2**20 for c in psutil.Process(master.pid).children()]


# -- recording what a browser sends ----------------------------------------------------------


def make_driver(performance_log: bool = False) -> Any:
    """Headless Chromium (Debian's), optionally keeping the DevTools performance log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _posts(driver: Any) -> list[tuple[str, dict[str, Any]]]:
    """The `/_dash-update-component` POSTs in the performance log since the last call."""
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        req = msg["params"]["request"]
        if "_dash-update-component" in req["url"] and req.get("postData"):
            out.append((req["url"], json.loads(req["postData"])))
    return out


def _wait(driver: Any, js: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(js)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(js)


def _pick(driver: Any, control_id: str, name: str) -> None:
    """Choose an option in a Dash 4 searchable dropdown by typing its label."""
    _wait(driver, f"return document.getElementById({json.dumps(control_id)})").click()
    search = _wait(driver, "return [...document.querySelectorAll('.dash-dropdown-search')]"
                           ".find(e => e.offsetParent !== null)")
    search.send_keys(name)
    option = _wait(driver, "return [...document.querySelectorAll('.dash-dropdown-option')]"
                           ".find(o => o.textContent.trim() === arguments[0])"
                   .replace("arguments[0]", json.dumps(name)))
    option.click()


@dataclass
class Recorded:
    """A request the browser sent: its URL (with Dash's signed endId) and JSON body."""

    url: str
    body: dict[str, Any]

    def with_input(self, component: str, value: Any) -> dict[str, Any]:
        """The body with one input's (or state's) value replaced."""
        return self.with_values({component: value})

    def with_values(self, values: dict[str, Any], changed: str | None = None,
                    ) -> dict[str, Any]:
        """The body with inputs' or states' values replaced, and `changed` as the trigger.

        Keys are component IDs, or ``"id.property"`` where one component gives two inputs.
        """
        body = copy.deepcopy(self.body)
        for item in body.get("inputs", []) + body.get("state", []):
            if not isinstance(item, dict):
                continue
            for key in (item.get("id"), f"{item.get('id')}.{item.get('property')}"):
                if isinstance(key, str) and key in values:
                    item["value"] = values[key]
        if changed:
            body["changedPropIds"] = body["parsedChangedPropsIds"] = [f"{changed}.value"]
        return body


def record(base: str) -> dict[str, Recorded]:
    """Drive the three interactions in Chromium and keep the update request of each."""
    driver = make_driver(performance_log=True)
    found: dict[str, Recorded] = {}

    def keep(name: str, output_has: str) -> None:
        posts = _posts(driver)
        match = [p for p in posts if output_has in p[1].get("output", "")]
        if not match:
            raise RuntimeError(f"no request for {name} among {[p[1]['output'] for p in posts]}")
        found[name] = Recorded(*match[-1])

    try:
        driver.get(f"{base}/?area={HOME}")
        _wait(driver, "return document.querySelector('tr.sc-row')")
        keep("page_scorecard", "_pages_content.children")  # Dash Pages draws the page
        _pick(driver, ids.SC_CONTROLS.area, "Thurrock")
        _wait(driver, "return document.querySelector('#main h1').textContent"
                      ".startsWith('Thurrock')")
        keep("scorecard", f"{ids.SC_HEADING}.children")
        driver.get(f"{base}/indicator?area={HOME}&domain=children&indicator=ReReferral")
        _wait(driver, "return document.querySelector('#indicator-trend .js-plotly-plot svg')")
        keep("page_indicator", "_pages_content.children")
        _pick(driver, ids.IND_SELECT, "Front door: Referrals per 10,000 children")
        _wait(driver, "return document.querySelector('#main h1').textContent"
                      ".startsWith('Referrals per')")
        keep("indicator_open", f"{ids.IND_HEADING}.children")
        driver.execute_script(f"document.querySelector('#{ids.IND_NEIGHBOURS} input')"
                              ".click()")
        _wait(driver, f"const g = document.querySelector('#{ids.IND_TREND} .js-plotly-plot');"
                      "return g && location.search.includes('neighbours=')")
        keep("neighbour", f"{ids.IND_TREND}.figure")
        driver.get(f"{base}/compare?area={HOME}")
        _wait(driver, "return document.querySelector('.compare-table')")
        _posts(driver)
        _pick(driver, ids.CMP_CONTROLS.area, "Thurrock")
        _wait(driver, "return document.querySelector('#main h1').textContent"
                      ".startsWith('Thurrock')")
        keep("compare", f"{ids.CMP_GRID}.children")
    finally:
        driver.quit()
    return found


def page_loads(base: str, runs: int) -> list[float]:
    """Milliseconds from navigation start to the first chart drawn, over fresh page loads.

    The first load is cold (no browser cache); the others reuse the browser's cache of the
    JavaScript bundles, as a returning user's browser does.
    """
    driver = make_driver()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": FIRST_CHART_MARK})
        out = []
        for i in range(runs):
            area = ("E06000033", "E06000034", "E08000035", "E10000012")[i % 4]
            driver.get(f"{base}/indicator?area={area}&domain=children&indicator=ReReferral")
            out.append(float(_wait(driver, "const m = performance.getEntriesByName("
                                           "'first-chart'); return m.length && m[0].startTime")))
        return out
    finally:
        driver.quit()


# -- the floors ------------------------------------------------------------------------------


class Floors:
    """The SQL for the rows each view shows plus JSON encoding of them, in this process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        meta = queries.indicators(engine, domain="children", curated=True)
        self.children_ids = [int(i) for i in meta["id"]]
        self.codes = dict(zip(meta["code"], (int(i) for i in meta["id"]), strict=True))

    def _areas(self, code: str) -> tuple[queries.AreaInfo, list[int]]:
        area = queries.area_by_code(self.engine, code)
        assert area is not None, code
        group = queries.comparator_group(self.engine, area.id, "children", None)
        nb = [n.area.id for n in group.neighbours] if group else []
        return area, nb

    def scorecard(self, code: str) -> str:
        """The home area's series of every curated indicator and each latest cross-section."""
        area, _nb = self._areas(code)
        home = queries.series(self.engine, self.children_ids, [area.id])
        last = home.sort_values("sort_key").groupby("indicator_id").tail(1)
        cross = queries.cross_section(self.engine, list(zip(
            last["indicator_id"].astype(int), last["period_id"].astype(int), strict=True)))
        return json.dumps({"home": home.to_dict("records"), "cross": cross.to_dict("records")},
                          default=str)

    def indicator(self, code: str, indicator: str) -> str:
        """One indicator's series for the home area, its neighbours, region and England."""
        area, nb = self._areas(code)
        extra = [a.id for a in (queries.area_by_code(self.engine, "E92000001"),
                                queries.area_by_code(self.engine, area.region_code or ""))
                 if a is not None]
        meta = queries.indicators(self.engine, codes=[indicator])
        s = queries.series(self.engine, [self.codes[indicator]], [area.id, *nb, *extra])
        return json.dumps({"meta": meta.to_dict("records"), "series": s.to_dict("records")},
                          default=str)


# -- the run ---------------------------------------------------------------------------------


def ensure_bench_db(url: str | None) -> str:
    """The database URL to use (schema brought up to date), loading data/bench.db if needed."""
    from dashboard.bootstrap import is_loaded, load_all, locate_data

    engine = get_engine(url or f"sqlite:///{DATA_DIR / 'bench.db'}")
    if is_loaded(engine):
        migrate(engine)  # a store loaded before a later migration still needs its tables
    if url:
        return url
    url = engine.url.render_as_string(hide_password=False)
    if not is_loaded(engine):
        print("Loading the national data set into data/bench.db (first run only)...")
        t0 = time.perf_counter()
        load_all(engine, locate_data(), progress=lambda _m: None)
        print(f"  loaded in {time.perf_counter() - t0:.0f} s")
    return url


def browser_session(base: str) -> requests.Session:
    """A client session as a browser has it: the session cookie and the CSRF header.

    The app checks Dash's callback requests against the ``_csrf_token`` cookie, which
    dash-renderer copies into the ``X-CSRFToken`` header (``dashboard/auth.py``).
    """
    s = requests.Session()
    s.get(base + "/", timeout=60).raise_for_status()
    token = s.cookies.get("_csrf_token")
    if token:
        s.headers["X-CSRFToken"] = token
    return s


def post(session: requests.Session, rec: Recorded, body: dict[str, Any]) -> float:
    """One callback request; its milliseconds (fails on anything but 200 or 204)."""
    t0 = time.perf_counter()
    r = session.post(rec.url, json=body, timeout=60)
    ms = (time.perf_counter() - t0) * 1000
    if r.status_code not in (200, 204):
        raise RuntimeError(f"{r.status_code} from {rec.body.get('output')}: {r.text[:300]}")
    return ms


def run(database_url: str, repeat: int, cache_url: str | None, loads: int) -> list[str]:
    """Measure everything; the printed lines."""
    engine = get_engine(database_url)
    floors = Floors(engine)
    all_las = [a.code for a in queries.areas(engine, ("la",)) if a.code != HOME]
    # Different areas for the scorecard and the compare grid, so that neither finds the
    # other's scorecard in the cache; one more to warm the worker up (choices, pools).
    las, cmp_las, warm_area = (all_las[:repeat], all_las[repeat:2 * repeat],
                               all_las[2 * repeat])
    indicators = list(floors.codes)
    picks = [indicators[i % len(indicators)] for i in range(repeat)]
    lines = [f"HTTP benchmark on {engine.url.get_backend_name()} "
             f"({'Redis' if cache_url else 'in-process'} cache), gunicorn 1 worker, "
             f"{repeat} runs each"]
    log = Path(tempfile.gettempdir()) / "bench-http-gunicorn.log"
    with gunicorn(database_url, cache_url=cache_url, log=log) as (base, proc):
        if cache_url:
            import redis

            redis.Redis.from_url(cache_url).flushdb()
        rec = record(base)
        s = browser_session(base)
        results: list[Result] = []
        sc, cmp_, ind, nb = (rec["scorecard"], rec["compare"], rec["indicator_open"],
                             rec["neighbour"])
        sc_area, cmp_area = ids.SC_CONTROLS.area, ids.CMP_CONTROLS.area
        post(s, sc, sc.with_input(sc_area, warm_area))
        cpu = WorkerCpu(proc)
        first = [post(s, sc, sc.with_input(sc_area, a)) for a in las]
        first_cpu = cpu.per_request(len(las))
        again = [post(s, sc, sc.with_input(sc_area, a)) for a in las]
        again_cpu = cpu.per_request(len(las))
        sc_floor = [timed(lambda a=a: floors.scorecard(a)) for a in las]
        results += [Result("scorecard: area change (first time)", first, sc_floor,
                           TARGETS["scorecard"], first_cpu),
                    Result("scorecard: area change (cached)", again, sc_floor,
                           TARGETS["scorecard"], again_cpu)]
        cpu.per_request(1)
        opened = [post(s, ind, ind.with_input(ids.IND_SELECT, code)) for code in picks]
        opened_cpu = cpu.per_request(len(picks))
        ind_floor = [timed(lambda c=c: floors.indicator(HOME, c)) for c in picks]
        results.append(Result("indicator: open an indicator (first time)", opened, ind_floor,
                              TARGETS["indicator"], opened_cpu))
        page = rec["page_indicator"]
        cpu.per_request(1)
        drawn = [post(s, page, page.with_values({"_pages_location.search": (
            f"?area={a}&domain=children&indicator={c}")})) for a, c in zip(las, picks, strict=True)]
        results.append(Result("indicator page drawn by Dash Pages (first time)", drawn,
                              ind_floor, None, cpu.per_request(len(las))))
        group = queries.comparator_group(engine, queries.area_by_code(engine, HOME).id,  # type: ignore[union-attr]
                                         "children", None)
        nb_codes = [n.area.code for n in group.neighbours] if group else []
        switched = []
        cpu.per_request(1)
        for i, code in enumerate(picks):
            body = nb.with_input(ids.IND_SELECT, code)
            for item in body["inputs"]:
                if isinstance(item, dict) and item.get("id") == ids.IND_NEIGHBOURS:
                    item["value"] = nb_codes[: 1 + i % 3]
            switched.append(post(s, nb, body))
        results.append(Result("indicator: switch a neighbour on", switched, ind_floor,
                              TARGETS["indicator"], cpu.per_request(len(picks))))
        grid = [post(s, cmp_, cmp_.with_input(cmp_area, a)) for a in cmp_las]
        grid_cpu = cpu.per_request(len(cmp_las))
        cmp_floor = [timed(lambda a=a: floors.scorecard(a)) for a in cmp_las]
        results.append(Result("compare grid: area change (first time)", grid, cmp_floor,
                              None, grid_cpu))
        sizes = {name: len(s.post(r.url, json=r.body, timeout=60).content) // 1024
                 for name, r in rec.items()}
        loaded = page_loads(base, loads)
        rss = worker_rss_mb(proc)
    lines += [r.line() for r in results]
    lines.append(f"  response sizes (KB): {sizes}")
    warm = loaded[1:] or loaded
    lines.append(f"  page load to first chart: cold {loaded[0]:.0f} ms; warm median "
                 f"{statistics.median(warm):.0f} ms, p95 {pct(warm, 95):.0f} ms (n={len(warm)})"
                 f"  target {TARGETS['page_load']:.0f} ms: "
                 + ("met" if max(loaded) <= TARGETS["page_load"] else "MISSED"))
    lines.append(f"  worker resident memory: {', '.join(f'{m:.0f} MB' for m in rss)}  "
                 f"target {TARGETS['rss_mb']:.0f} MB: "
                 + ("met" if max(rss) <= TARGETS["rss_mb"] else "MISSED"))
    return lines


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url")
    ap.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/5 (flushed first)")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--page-loads", type=int, default=6)
    ap.add_argument("--short", action="store_true", help="5 runs each, 3 page loads (CI)")
    args = ap.parse_args(argv)
    if args.short:
        args.repeat, args.page_loads = 5, 3
    for line in run(ensure_bench_db(args.database_url), args.repeat, args.cache_url,
                    args.page_loads):
        print(line, flush=True)


if __name__ == "__main__":
    main()
