"""The data behind each view: cached services over the queries, metrics and scorecard.

Pages and callbacks call these functions and nothing below them. Functions that take an
``engine`` are plain and testable without Flask; the ``cached_*`` ones read the engine and
settings of the app serving the request and memoize through the shared cache (the database URL
and the newest committed load are part of every key, so two apps on two databases never share an
entry and no worker serves figures from before an upload or rollback; see `data_key`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from flask import g, has_request_context
from sqlalchemy import Engine, func, select

from dashboard import queries
from dashboard.cache import cache
from dashboard.context import current_engine, current_settings
from dashboard.formatting import format_value
from dashboard.metrics import (
    Interval,
    neighbour_average,
    proportion_interval,
    quartile_band,
    quartile_bounds,
    rate_interval,
)
from dashboard.periods import every_period
from dashboard.queries import AreaInfo, GroupInfo
from dashboard.scorecard import (
    ENGLAND,
    IndicatorSummary,
    Scorecard,
    build_scorecard,
    to_number,
)
from dashboard.store.models import DataLoad, Indicator, Observation, Period
from dashboard.viewstate import DOMAINS, Choices, ViewState

TIMEOUT = 600
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
BAND_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
CHANGE_ORDER = {"worsening": 0, "neutral": 1, "improving": 2}


def _db() -> str:
    return data_key()


def latest_load_id(engine: Engine) -> int:
    """The id of the newest committed load (an upload, import or rollback); 0 for none."""
    with engine.connect() as c:
        newest = c.scalar(select(func.max(DataLoad.id)).where(DataLoad.status == "committed"))
    return int(newest or 0)


def data_key() -> str:
    """The store part of every cached view's key: the database URL and its newest load.

    Workers share no memory, and an in-process cache cannot be cleared in another worker, so
    an upload or a rollback in one worker would leave the others showing the old figures
    until their entries expired. With the newest committed load in the key, every worker's
    next request asks for new entries at once. One ``SELECT max(id)`` per request (kept on
    ``flask.g``) is the price.
    """
    url = current_settings().database_url
    if not has_request_context():
        return f"{url}#load{latest_load_id(current_engine())}"
    if "data_key" not in g:
        g.data_key = f"{url}#load{latest_load_id(current_engine())}"
    return str(g.data_key)


def _text(v: Any) -> str | None:
    """A text cell from a frame, with pandas' missing values turned into None."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


# -- choices and state -------------------------------------------------------------------


def build_choices(engine: Engine, home_area: str) -> Choices:
    """Every area, theme, indicator and vintage a URL may name."""
    las = {a.code: a.name for a in queries.areas(engine, ("la",))}
    meta = queries.indicators(engine)
    themes = {d: queries.themes(engine, d) for d in DOMAINS}
    kinds = {d: queries.DOMAIN_GROUP_KIND[d] for d in DOMAINS}
    vintages = {d: queries.vintages(engine, kinds[d]) for d in DOMAINS}
    return Choices(areas=las, themes=themes, indicators=dict(zip(meta["code"], meta["domain"],
                                                                 strict=True)),
                   vintages=vintages, home_area=home_area)


@cache.memoize(timeout=TIMEOUT)
def _choices(db: str, home_area: str) -> Choices:
    return build_choices(current_engine(), home_area)


def cached_choices() -> Choices:
    """The choices for the app serving this request."""
    return _choices(_db(), current_settings().home_area)


def read_state(query: dict[str, Any]) -> ViewState:
    """A page's query, parsed and checked against the store, with notices for what was dropped."""
    return ViewState.from_query(query).validated(cached_choices())


def area_options(choices: Choices) -> list[dict[str, str]]:
    """Dropdown options for the home area: every English LA by name, searchable by code too."""
    return [{"label": name, "value": code, "search": f"{name} {code}"}
            for code, name in sorted(choices.areas.items(), key=lambda kv: kv[1])]


# -- scorecard ---------------------------------------------------------------------------


@cache.memoize(timeout=TIMEOUT)
def _scorecard(db: str, area: str, domain: str, theme: str | None, vintage: str | None,
               period: str | None) -> Scorecard:
    return build_scorecard(current_engine(), area, domain, theme, vintage=vintage, as_at=period)


def _vintage(state: ViewState) -> str | None:
    """The state's comparator vintage, or the domain's latest.

    So that "not given" and "the latest, given" share one cache entry.
    """
    if state.vintage:
        return state.vintage
    vintages = cached_choices().vintages.get(state.domain, ())
    return vintages[0] if vintages else None


def cached_scorecard(state: ViewState) -> Scorecard:
    """The scorecard for a state (raises ScorecardError for a period it cannot read).

    A theme's scorecard is the domain's, filtered: each row is worked out on its own, so
    changing the theme reuses the cached domain scorecard instead of building another.
    """
    full = _scorecard(_db(), state.area or current_settings().home_area, state.domain,
                      None, _vintage(state), state.period)
    if not state.theme:
        return full
    return replace(full, theme=state.theme, rows=[r for r in full.rows
                                                  if r.theme == state.theme])


#: The scorecard's variation filter values and the SPC variations each keeps.
VARIATION_FILTER = {
    "concern": ("special_cause_concern",),
    "improvement": ("special_cause_improvement",),
    "neutral": ("special_cause_neutral_high", "special_cause_neutral_low"),
    "common": ("common_cause",),
}


def filter_rows(rows: Iterable[IndicatorSummary], rag: Sequence[str] = (),
                worse: bool = False, variation: Sequence[str] = ()) -> list[IndicatorSummary]:
    """Rows whose RAG is one of `rag` (all when empty), optionally only worse and worsening.

    `variation` keeps only rows with local monthly or quarterly data whose latest point shows
    one of those kinds of variation (``concern``, ``improvement``, ``neutral``, ``common``).
    """
    kept = {v for key in variation for v in VARIATION_FILTER.get(key, ())}
    out = []
    for r in rows:
        if rag and (r.rag.status or "none") not in rag:
            continue
        if worse and not r.worse_and_worsening:
            continue
        if variation and (r.spc is None or r.spc.variation not in kept):
            continue
        out.append(r)
    return out


_SORT_VALUES: dict[str, Any] = {
    "indicator": lambda r: r.name.lower(),
    "rag": lambda r: RAG_ORDER.get(r.rag.status),
    "band": lambda r: BAND_ORDER.get(r.position.band),
    "change": lambda r: CHANGE_ORDER.get(r.direction.judgement),
    "rank": lambda r: r.position.rank / r.position.of if r.position.rank else None,
}


def sort_rows(rows: Iterable[IndicatorSummary], sort: str | None) -> list[IndicatorSummary]:
    """Rows in catalogue order, or by a column (``"rank"``; ``"-rank"`` reverses).

    Rows without a value for the column (no RAG, no rank) always go last, either way.
    """
    rows = list(rows)
    if not sort or sort.lstrip("-") not in _SORT_VALUES:
        return rows
    value = _SORT_VALUES[sort.lstrip("-")]
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=sort.startswith("-")) + missing


@cache.memoize(timeout=TIMEOUT)
def _years(db: str, area: str, domain: str) -> list[int]:
    return available_years(current_engine(), area, domain)


def available_years(engine: Engine, area_code: str, domain: str) -> list[int]:
    """End years of the periods with data for the area's curated indicators, newest first."""
    area = queries.area_by_code(engine, area_code)
    if area is None:
        return []
    with engine.connect() as c:
        ends = c.scalars(
            select(Period.end).distinct().join(Observation, Observation.period_id == Period.id)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Observation.area_id == area.id, Indicator.domain == domain,
                   Indicator.curated.is_(True))).all()
    return sorted({e.year for e in ends if isinstance(e, dt.date)}, reverse=True)


def cached_years(state: ViewState) -> list[int]:
    """Years the scorecard can be shown as at."""
    return _years(_db(), state.area or current_settings().home_area, state.domain)


# -- compare grid ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One value in the compare grid, with its quartile band among all English LAs."""

    text: str
    band: str | None
    value: float | None


@dataclass
class GridRow:
    """One indicator across the home area, its neighbours and England."""

    code: str
    name: str
    period: str
    polarity: str
    synthetic: bool
    cells: list[Cell]


@dataclass
class CompareGrid:
    """Indicators (rows) by areas (columns), for one domain or theme."""

    columns: list[tuple[str, str]]  # (code, name): home, neighbours in order, England
    rows: list[GridRow] = field(default_factory=list)


def compare_grid(sc: Scorecard) -> CompareGrid:
    """Build the grid from a scorecard: each value banded against all LAs at its period."""
    neighbours = list(sc.group.neighbours) if sc.group else []
    columns = [(sc.area.code, sc.area.name)] + [(n.area.code, n.area.name) for n in neighbours]
    columns.append((ENGLAND, "England"))
    grid = CompareGrid(columns)
    for r in sc.rows:
        if r.period is None:
            continue
        population = list(r.all_la_values) + ([r.value] if r.value is not None else [])
        bounds = quartile_bounds(population) if population else None
        directional = r.polarity in ("high", "low") and r.position.band is not None

        def cell(value: float | None, la: bool = True, row: IndicatorSummary = r,
                 bounds: Any = bounds, directional: bool = directional) -> Cell:
            band = quartile_band(value, bounds, row.polarity) if la and directional else None
            return Cell(row.fmt_short(value), band, value)

        by_code = {v["code"]: v["value"] for v in r.neighbour_values}
        cells = [cell(r.value)] + [cell(to_number(by_code.get(n.area.code))) for n in neighbours]
        cells.append(cell(r.england, la=False))
        grid.rows.append(GridRow(r.code, r.name, r.period.label, r.polarity, r.synthetic, cells))
    return grid


# -- indicator view ----------------------------------------------------------------------


@dataclass
class IndicatorData:
    """An indicator's metadata and the series of the areas the indicator view draws."""

    meta: dict[str, Any]
    area: AreaInfo
    group: GroupInfo | None
    region: AreaInfo | None
    england: AreaInfo | None
    series: pd.DataFrame  # queries.SERIES_NAMES + area_code, area_name, role

    @property
    def multiplier(self) -> float:
        """The scale of the published value (100 for a percentage)."""
        m = to_number(self.meta.get("multiplier"))
        return m or (100.0 if self.meta.get("unit") == "percent" else 1.0)

    def fmt(self, value: float | None, suppression: str | None = None) -> str:
        """A value with the indicator's unit and decimals."""
        return format_value(value, self.meta["unit"], int(self.meta["decimals"]),
                            unit_label=self.meta.get("unit_label"), suppression=suppression)


def indicator_data(engine: Engine, code: str, area_code: str, domain: str,
                   vintage: str | None) -> IndicatorData | None:
    """The series for the home area, its neighbours, region and England (one query)."""
    meta = queries.indicators(engine, codes=[code])
    area = queries.area_by_code(engine, area_code)
    if meta.empty or area is None:
        return None
    m = meta.iloc[0].to_dict()
    group = queries.comparator_group(engine, area.id, queries.DOMAIN_GROUP_KIND[domain], vintage)
    region = queries.area_by_code(engine, area.region_code) if area.region_code else None
    england = queries.area_by_code(engine, ENGLAND)
    roles: dict[int, tuple[str, str, str]] = {area.id: (area.code, area.name, "home")}
    for n in group.neighbours if group else ():
        roles.setdefault(n.area.id, (n.area.code, n.area.name, "neighbour"))
    if region:
        roles.setdefault(region.id, (region.code, region.name, "region"))
    if england:
        roles.setdefault(england.id, (england.code, england.name, "england"))
    s = queries.series(engine, [int(m["id"])], list(roles))
    s["area_code"] = [roles[a][0] for a in s["area_id"]]
    s["area_name"] = [roles[a][1] for a in s["area_id"]]
    s["role"] = [roles[a][2] for a in s["area_id"]]
    s["year"] = [e.year for e in s["end"]]
    return IndicatorData(m, area, group, region, england, s)


@cache.memoize(timeout=TIMEOUT)
def _indicator(db: str, code: str, area: str, domain: str,
               vintage: str | None) -> IndicatorData | None:
    return indicator_data(current_engine(), code, area, domain, vintage)


def cached_indicator(state: ViewState) -> IndicatorData | None:
    """The indicator view's data for a state (the first indicator of the domain by default)."""
    code = state.indicator or default_indicator(state.domain, state.theme)
    if code is None:
        return None
    return _indicator(_db(), code, state.area or current_settings().home_area, state.domain,
                      _vintage(state))


@cache.memoize(timeout=TIMEOUT)
def _indicator_options(db: str, domain: str) -> list[dict[str, str]]:
    meta = queries.indicators(current_engine(), domain=domain, curated=True)
    return [{"label": f"{r.theme}: {r.short_name or r.name}" if r.theme else r.name,
             "value": r.code, "theme": r.theme or ""} for r in meta.itertuples()]


def indicator_options(domain: str, theme: str | None = None,
                      include: str | None = None) -> list[dict[str, str]]:
    """The curated indicators of a domain (and theme) for the picker, always with `include`."""
    opts = [{"label": o["label"], "value": o["value"]} for o in _indicator_options(_db(), domain)
            if not theme or o["theme"] == theme or o["value"] == include]
    if include and include not in {o["value"] for o in opts}:
        meta = queries.indicators(current_engine(), codes=[include])
        if not meta.empty:
            r = meta.iloc[0]
            opts.insert(0, {"label": str(r["short_name"] or r["name"]), "value": include})
    return opts


def default_indicator(domain: str, theme: str | None = None) -> str | None:
    """The first curated indicator of a domain (and theme, when one is chosen)."""
    opts = [o for o in _indicator_options(_db(), domain) if not theme or o["theme"] == theme]
    return opts[0]["value"] if opts else None


def series_years(data: IndicatorData) -> list[int]:
    """End years with a home-area value, oldest first (the period range control's choices)."""
    home = data.series[data.series["role"] == "home"]
    return sorted(set(home["year"]))


def in_range(frame: pd.DataFrame, start: int | None, end: int | None) -> pd.DataFrame:
    """Rows whose period ends within the years [start, end]."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["year"] >= start
    if end is not None:
        keep &= frame["year"] <= end
    return frame[keep]


def home_type(data: IndicatorData) -> str | None:
    """The home area's most recent period type (charts show one type of period)."""
    home = data.series[(data.series["role"] == "home")]
    return str(home["period_type"].iloc[-1]) if not home.empty else None


def trend_table(data: IndicatorData, neighbours: Sequence[str] = (), start: int | None = None,
                end: int | None = None) -> pd.DataFrame:
    """One row per period of the home area's period type: the trend chart's table twin.

    Columns: home (with interval and status), neighbour average with "n of N", England,
    region, and one column per chosen neighbour; also the rows of the CSV download. ``start``
    and ``end`` are each period's dates. A monthly or quarterly series has a row for every
    month or quarter from its first to its last, those without a figure saying "no data", so
    that the chart's axis never draws two periods a year apart side by side.
    """
    s = in_range(data.series, start, end)
    ptype = home_type(data)
    if ptype is not None:
        s = s[s["period_type"] == ptype]
    nb_codes = [n.area.code for n in data.group.neighbours] if data.group else []
    n_total = len(nb_codes)
    periods = s.drop_duplicates("period_id").sort_values("sort_key")
    # One pass over the rows, grouped by period: filtering the frame once per period cost a
    # third of a neighbour switch's time (bench/http.py, profiled with cProfile).
    by_period: dict[Any, dict[str, Any]] = {}
    for r in s.itertuples():
        by_period.setdefault(r.period_id, {})[r.area_code] = r
    rows = []
    for p in periods.itertuples():
        by = by_period.get(p.period_id, {})
        home = by.get(data.area.code)
        row: dict[str, Any] = {"period": p.label, "year": p.year, "sort_key": p.sort_key,
                               "start": p.start, "end": p.end}
        hv = to_number(home.value) if home is not None else None
        row["home"] = hv
        row["home_status"] = _status(home)
        row["synthetic"] = bool(home.synthetic) if home is not None else False
        ci = _interval(data, home) if home is not None else None
        row["home_lower"], row["home_upper"] = (ci.lower, ci.upper) if ci else (None, None)
        nb_vals = [to_number(by[c].value) if c in by else None for c in nb_codes]
        comp = neighbour_average(nb_vals) if n_total else None
        row["neighbour_average"] = comp.value if comp else None
        row["neighbours_reporting"] = comp.reporting_text if comp else ""
        row["england"] = to_number(by[ENGLAND].value) if ENGLAND in by else None
        region_code = data.region.code if data.region else None
        row["region"] = to_number(by[region_code].value) if region_code in by else None
        for c in neighbours:
            row[c] = to_number(by[c].value) if c in by else None
            row[f"{c}_status"] = _status(by.get(c))
        rows.append(row)
    if ptype in ("month", "quarter") and len(rows) > 1:
        rows = _with_gaps(rows, ptype, neighbours)
    return pd.DataFrame(rows)


def _with_gaps(rows: list[dict[str, Any]], ptype: str,
               neighbours: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a monthly or quarterly table with a "no data" row for each missing period."""
    have = {r["start"]: r for r in rows}
    out = []
    for p in every_period(rows[0]["start"], rows[-1]["start"], ptype):
        row = have.get(p.start)
        if row is None:
            row = {"period": p.label, "year": p.end.year, "sort_key": p.sort_key,
                   "start": p.start, "end": p.end, "home": None, "home_status": "no data",
                   "synthetic": False, "home_lower": None, "home_upper": None,
                   "neighbour_average": None, "neighbours_reporting": "", "england": None,
                   "region": None}
            for c in neighbours:
                row[c], row[f"{c}_status"] = None, "no data"
        out.append(row)
    return out


#: Period types that are a year or a point in a year: the annual benchmarks of a local series.
ANNUAL_TYPES = ("reporting_year", "financial_year", "academic_year", "calendar_year", "rolling",
                "snapshot")


def annual_benchmarks(data: IndicatorData, start: int | None = None,
                      end: int | None = None) -> pd.DataFrame:
    """England's, the region's and the neighbour average's annual figures for a local series.

    When the home area's series is monthly or quarterly, its comparators are often published
    only for whole years. The trend table keeps to the home area's type of period, so these
    are returned apart, each with its own period's label and dates, to be drawn across the
    months or quarters the year covers, never relabelled as one of them.

    Returns:
        Rows of ``series`` (name), ``role``, ``period`` (label), ``start``, ``end`` and
        ``value``; empty unless the home series is monthly or quarterly.
    """
    cols = ["series", "role", "period", "start", "end", "value"]
    if home_type(data) not in ("month", "quarter"):
        return pd.DataFrame(columns=cols)
    s = in_range(data.series, start, end)
    s = s[s["period_type"].isin(ANNUAL_TYPES)]
    rows: list[dict[str, Any]] = []
    for role, name in (("england", "England"),
                       ("region", data.region.name if data.region else "Region")):
        for r in s[(s["role"] == role) & s["value"].notna()].itertuples():
            rows.append({"series": name, "role": role, "period": r.label, "start": r.start,
                         "end": r.end, "value": float(r.value)})
    nb = s[s["role"] == "neighbour"]
    n_total = len(data.group.neighbours) if data.group else 0
    for _pid, group in nb.groupby("period_id", sort=False):
        comp = neighbour_average([to_number(v) for v in group["value"]]
                                 + [None] * (n_total - len(group)))
        if comp.value is not None:
            r = group.iloc[0]
            rows.append({"series": "Statistical neighbour average", "role": "neighbour_average",
                         "period": r["label"], "start": r["start"], "end": r["end"],
                         "value": comp.value})
    return pd.DataFrame(rows, columns=cols).sort_values(["role", "end"]).reset_index(drop=True)


def _status(r: Any) -> str:
    """Words for a point's status: final, provisional, revised, or suppressed (symbol)."""
    if r is None:
        return "no data"
    sup = _text(r.suppression)
    if to_number(r.value) is None:
        return f"suppressed or not available ({sup})" if sup else "not available"
    return str(r.status or "final")


def _interval(data: IndicatorData, r: Any) -> Interval | None:
    lo, hi = to_number(r.ci_lower), to_number(r.ci_upper)
    if lo is not None and hi is not None:
        return Interval(lo, hi, 0.95, "published")
    x, n = to_number(r.numerator), to_number(r.denominator)
    if x is None or not n:
        return None
    if data.meta["unit"] == "percent":
        return proportion_interval(x, n, multiplier=data.multiplier)
    return rate_interval(x, n, data.multiplier)


def latest_comparison(data: IndicatorData, end: int | None = None) -> pd.DataFrame:
    """Home, every neighbour and England at the home area's latest period up to `end`."""
    s = in_range(data.series, None, end)
    home = s[(s["role"] == "home") & s["value"].notna()]
    if home.empty:
        return pd.DataFrame(columns=["area_code", "area_name", "role", "value", "period"])
    pid = home["period_id"].iloc[-1]
    at = s[(s["period_id"] == pid) & s["role"].isin(["home", "neighbour", "england"])]
    out = at[["area_code", "area_name", "role", "value", "label", "synthetic"]].rename(
        columns={"label": "period"})
    return out.reset_index(drop=True)


@cache.memoize(timeout=TIMEOUT)
def _funnel(db: str, indicator_id: int, period_id: int) -> pd.DataFrame:
    frame = queries.cross_section(current_engine(), [(indicator_id, period_id)])
    las = {a.id: (a.code, a.name) for a in queries.areas(current_engine(), ("la",))}
    frame = frame[frame["area_type"] == "la"].copy()
    frame["area_code"] = [las.get(a, ("", ""))[0] for a in frame["area_id"]]
    frame["area_name"] = [las.get(a, ("", ""))[1] for a in frame["area_id"]]
    return frame


def funnel_points(data: IndicatorData, end: int | None = None) -> pd.DataFrame | None:
    """Every LA's value, numerator and denominator at the latest period, where counts exist."""
    s = in_range(data.series, None, end)
    home = s[(s["role"] == "home") & s["value"].notna()]
    if home.empty or home["denominator"].isna().iloc[-1]:
        return None
    frame = _funnel(_db(), int(data.meta["id"]), int(home["period_id"].iloc[-1]))
    frame = frame[frame["denominator"].notna() & frame["value"].notna()]
    return frame if len(frame) >= 10 else None


@cache.memoize(timeout=TIMEOUT)
def _breakdowns(db: str, indicator_id: int, area_ids: tuple[int, ...]) -> pd.DataFrame:
    return queries.breakdown_series(current_engine(), indicator_id, list(area_ids))


def breakdowns(data: IndicatorData, start: int | None = None,
               end: int | None = None) -> pd.DataFrame:
    """The indicator's breakdown values for the home area and England, with area names."""
    ids = (data.area.id,) + ((data.england.id,) if data.england else ())
    frame = _breakdowns(_db(), int(data.meta["id"]), ids).copy()
    if frame.empty:
        return frame
    names = {data.area.id: data.area.name}
    if data.england:
        names[data.england.id] = "England"
    frame["area_name"] = [names.get(a, "") for a in frame["area_id"]]
    frame["year"] = [int(str(k)[:4]) for k in frame["sort_key"]]
    return in_range(frame, start, end)


def summary_for(state: ViewState, code: str, end: int | None) -> IndicatorSummary | None:
    """The scorecard's summary (RAG, narrative) of one indicator, as at `end` if given.

    Someone opening an indicator has usually just seen its area's scorecard: when that is in
    the cache, its row is the summary (the same computation), which saves building a
    one-indicator scorecard, a sixth of the indicator view's first drawing.
    """
    area, period = state.area or current_settings().home_area, str(end) if end else None
    shown = cache.get(_scorecard.make_cache_key(
        _scorecard.uncached, _db(), area, state.domain, None, _vintage(state), period))
    row = next((r for r in shown.rows if r.code == code), None) if shown else None
    if row is not None:  # the domain's frame gives NaN where one indicator's gives None
        return replace(row, suppression=_text(row.suppression))
    sc = _scorecard_codes(_db(), area, state.domain, _vintage(state), period, code)
    return sc.rows[0] if sc.rows else None


@cache.memoize(timeout=TIMEOUT)
def _scorecard_codes(db: str, area: str, domain: str, vintage: str | None,
                     period: str | None, code: str) -> Scorecard:
    return build_scorecard(current_engine(), area, domain, vintage=vintage, as_at=period,
                           codes=[code])


# -- about -------------------------------------------------------------------------------


@cache.memoize(timeout=TIMEOUT)
def _catalogue(db: str) -> pd.DataFrame:
    return catalogue(current_engine())


def catalogue(engine: Engine) -> pd.DataFrame:
    """The indicator catalogue (curated indicators first) for the About page."""
    meta = queries.indicators(engine)
    meta = meta.sort_values(["curated", "domain", "sort_order", "code"],
                            ascending=[False, True, True, True])
    return meta[["code", "short_name", "name", "domain", "theme", "unit", "unit_label",
                 "polarity", "frequency", "definition", "source", "source_url", "licence",
                 "curated"]].reset_index(drop=True)


def cached_catalogue() -> pd.DataFrame:
    """The catalogue for the app serving this request."""
    return _catalogue(_db())


def search_catalogue(frame: pd.DataFrame, text: str | None) -> pd.DataFrame:
    """Rows whose code, name, theme or definition contains every word of `text`."""
    if not text or not text.strip():
        return frame
    hay = (frame["code"].fillna("") + " " + frame["short_name"].fillna("") + " "
           + frame["name"].fillna("") + " " + frame["theme"].fillna("") + " "
           + frame["definition"].fillna("")).str.lower()
    keep = pd.Series(True, index=frame.index)
    for word in text.lower().split():
        keep &= hay.str.contains(word, regex=False)
    return frame[keep]

