"""The scorecard service: every indicator of a theme for a home area, compared and rated.

One call returns, per indicator, the latest (or an as-at) period and value, the previous value
and direction, the statistical-neighbour average with "n of 10", England and region, rank and
quartile band, RAG with its reason, the trend test, a five-point sparkline and the narrative.
The observations come from two SQL queries (the home area's series; every area's value at the
periods shown), whatever the number of indicators.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Engine

from dashboard import queries, signals
from dashboard.formatting import format_value
from dashboard.metrics import (
    Comparator,
    Direction,
    Interval,
    Position,
    Rag,
    Significance,
    TrendResult,
    choose_rag,
    compare_to_benchmark,
    direction,
    neighbour_average,
    position,
    proportion_interval,
    rate_interval,
    trend_test,
)
from dashboard.narrative import narrative
from dashboard.periods import PeriodSpec
from dashboard.queries import AreaInfo, GroupInfo

if TYPE_CHECKING:
    from dashboard.forecast import StoredForecast
    from dashboard.signals import SpcSummary

ENGLAND = "E92000001"
MIN_RANKED = 10  # fewer English LAs than this with a value: no rank or band


class ScorecardError(ValueError):
    """A request the scorecard cannot answer (unknown area, domain or period)."""


@dataclass(frozen=True)
class Point:
    """One point of a series."""

    label: str
    value: float | None
    status: str
    suppression: str | None
    synthetic: bool


@dataclass
class IndicatorSummary:
    """Everything the scorecard, the narrative and the API say about one indicator."""

    code: str
    name: str
    theme: str | None
    unit: str
    unit_label: str | None
    decimals: int
    polarity: str
    definition: str | None
    source: str | None
    period: PeriodSpec | None
    value: float | None
    status: str | None
    suppression: str | None
    synthetic: bool
    previous_period: PeriodSpec | None
    previous_value: float | None
    direction: Direction
    neighbours: Comparator
    neighbour_values: list[dict[str, Any]]
    england: float | None
    region: float | None
    region_name: str | None
    position: Position
    interval: Interval | None
    significance: Significance
    target: float | None
    tolerance: float | None
    rag: Rag
    trend: TrendResult
    sparkline: list[Point] = field(default_factory=list)
    narrative: str = ""
    all_la_values: list[float] = field(default_factory=list, repr=False)
    spc: SpcSummary | None = None  # monthly or quarterly series: variation and assurance
    forecast: StoredForecast | None = None  # demand measures: the stored forecast

    def fmt(self, value: float | None) -> str:
        """The value with this indicator's unit and decimals."""
        return format_value(value, self.unit, self.decimals, unit_label=self.unit_label)

    @property
    def worse_and_worsening(self) -> bool:
        """Worse than comparators (band D or red) and getting worse since last period."""
        worse = self.rag.status == "red" or self.position.band == "D"
        return worse and self.direction.judgement == "worsening"

    def fmt_short(self, value: float | None) -> str:
        """The value without a rate's words (`707.6`), for use beside the full form."""
        return format_value(value, self.unit, self.decimals, with_unit=self.unit == "percent")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for the API."""
        d = asdict(self)
        d.pop("all_la_values", None)
        d["period"] = _period_dict(self.period)
        d["previous_period"] = _period_dict(self.previous_period)
        d["value_text"] = self.fmt(self.value) if self.value is not None else self.suppression
        d["neighbours"]["reporting_text"] = self.neighbours.reporting_text
        d["position"]["rank_text"] = self.position.rank_text
        d["rag"]["text"] = self.rag.text
        d["worse_and_worsening"] = self.worse_and_worsening
        return _json_safe(d)


def _period_dict(p: PeriodSpec | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"label": p.label, "type": p.type, "start": p.start.isoformat(),
            "end": p.end.isoformat(), "description": p.describe()}


def _json_safe(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


@dataclass
class Scorecard:
    """The scorecard for one home area, domain and theme."""

    area: AreaInfo
    domain: str
    theme: str | None
    group: GroupInfo | None
    as_at: str | None
    rows: list[IndicatorSummary]

    @property
    def counts(self) -> dict[str, int]:
        """How many indicators are red, amber, green, and without RAG."""
        out = {"red": 0, "amber": 0, "green": 0, "none": 0}
        for r in self.rows:
            out[r.rag.status or "none"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for the API."""
        return {
            "area": asdict(self.area), "domain": self.domain, "theme": self.theme,
            "as_at": self.as_at,
            "comparator_group": None if self.group is None else {
                "kind": self.group.kind, "vintage": self.group.vintage,
                "name": self.group.name, "synthetic": self.group.synthetic,
                "neighbours": [{"position": n.position, "code": n.area.code,
                                "name": n.area.name, "closeness": n.closeness}
                               for n in self.group.neighbours]},
            "counts": self.counts,
            "indicators": [r.to_dict() for r in self.rows],
        }


def to_number(v: Any) -> float | None:
    """A float, or None for missing, NaN or text (a suppressed value is never a number)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _spec(row: Any) -> PeriodSpec:
    return PeriodSpec(row["end"], row["start"], row["period_type"])


def pick_period(series: list[dict[str, Any]], as_at: str | None) -> int | None:
    """Index of the point to show: the latest numeric value, or the latest at or before `as_at`.

    `series` is one indicator's points, oldest first. `as_at` is a year (`2020`: the latest
    period ending in or before 2020) or a period label (`2019-20`).
    """
    if not series:
        return None
    candidates = list(range(len(series)))
    if as_at:
        exact = [i for i in candidates if series[i]["label"] == as_at]
        if exact:
            candidates = exact
        elif as_at.isdigit():
            candidates = [i for i in candidates if series[i]["end"].year <= int(as_at)]
        else:
            raise ScorecardError(f"period {as_at!r} is not a year such as 2020 or a label")
        if not candidates:
            return None
    numeric = [i for i in candidates if to_number(series[i]["value"]) is not None]
    return (numeric or candidates)[-1]


def build_scorecard(
    engine: Engine,
    area_code: str,
    domain: str = "children",
    theme: str | None = None,
    *,
    vintage: str | None = None,
    as_at: str | None = None,
    codes: list[str] | None = None,
    neighbour_method: str = "mean",
) -> Scorecard:
    """The scorecard for a home area (see the module docstring)."""
    area = queries.area_by_code(engine, area_code)
    if area is None:
        raise ScorecardError(f"unknown area code {area_code!r}")
    if domain not in queries.DOMAIN_GROUP_KIND:
        raise ScorecardError(f"unknown domain {domain!r}: use children, adults or partnership")
    meta = queries.indicators(engine, domain=None if codes else domain, theme=theme,
                              curated=None if codes else True, codes=codes)
    kind = queries.DOMAIN_GROUP_KIND[domain]
    group = queries.comparator_group(engine, area.id, kind, vintage)
    if group is None and vintage:
        raise ScorecardError(f"no {kind} comparator group of vintage {vintage!r}")
    region = queries.area_by_code(engine, area.region_code) if area.region_code else None
    if meta.empty:
        return Scorecard(area, domain, theme, group, as_at, [])
    ids = [int(i) for i in meta["id"]]
    home = queries.series(engine, ids, [area.id])
    targets = queries.targets(engine, area.id, ids)
    by_ind: dict[int, list[dict[str, Any]]] = {}
    for rec in home.to_dict("records"):
        by_ind.setdefault(int(rec["indicator_id"]), []).append(rec)
    chosen: dict[int, int] = {}
    for ind_id, s in by_ind.items():
        idx = pick_period(s, as_at)
        if idx is not None:
            chosen[ind_id] = idx
    pairs = [(ind_id, int(by_ind[ind_id][i]["period_id"])) for ind_id, i in chosen.items()]
    cross = queries.cross_section(engine, pairs)
    cross_by: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for rec in cross.to_dict("records"):
        cross_by.setdefault((int(rec["indicator_id"]), int(rec["period_id"])), []).append(rec)
    england = queries.area_by_code(engine, ENGLAND)
    rows = []
    for m in meta.itertuples():
        series = by_ind.get(m.id)
        idx = chosen.get(m.id)
        cs = (cross_by.get((m.id, int(series[idx]["period_id"])))
              if series and idx is not None else None)
        rows.append(_summarise(m, series, idx, cs, area, group, england, region, targets,
                               neighbour_method))
    signals.annotate(engine, area, rows, by_ind, meta)
    return Scorecard(area, domain, theme, group, as_at, rows)


def _summarise(m: Any, s: list[dict[str, Any]] | None, idx: int | None,
               cs: list[dict[str, Any]] | None,
               area: AreaInfo, group: GroupInfo | None, england: AreaInfo | None,
               region: AreaInfo | None, targets: pd.DataFrame,
               neighbour_method: str) -> IndicatorSummary:
    polarity = m.polarity
    mult = to_number(m.multiplier) or (100.0 if m.unit == "percent" else 1.0)
    cur = s[idx] if s and idx is not None else None
    period = _spec(cur) if cur is not None else None
    value = to_number(cur["value"]) if cur is not None else None
    same_type = ([p for p in s[:idx] if p["period_type"] == cur["period_type"]]
                 if s and cur is not None and idx is not None else [])
    prev = same_type[-1] if same_type else None
    prev_value = to_number(prev["value"]) if prev is not None else None
    values_by_area: dict[int, float | None] = {}
    nums: dict[int, tuple[float | None, float | None]] = {}
    la_values: dict[str, float | None] = {}
    for r in cs or []:
        values_by_area[r["area_id"]] = to_number(r["value"])
        nums[r["area_id"]] = (to_number(r["numerator"]), to_number(r["denominator"]))
        if r["area_type"] == "la":
            la_values[str(r["area_id"])] = to_number(r["value"])
    nb_list = list(group.neighbours) if group else []
    nb_values = [values_by_area.get(n.area.id) for n in nb_list]
    comparator = neighbour_average(
        nb_values, neighbour_method,
        numerators=[nums.get(n.area.id, (None, None))[0] for n in nb_list],
        denominators=[nums.get(n.area.id, (None, None))[1] for n in nb_list],
        multiplier=mult,
    ) if nb_list else Comparator(None, 0, 0, neighbour_method)
    eng = values_by_area.get(england.id) if england else None
    reg = values_by_area.get(region.id) if region else None
    reporting = sum(v is not None for v in la_values.values())
    # Ranking and quartiles need a national distribution: a partner's local-only measure (one
    # LA reporting) or raw counts (which scale with population) are not ranked or banded.
    banded = (bool(m.banded) and polarity in ("high", "low") and m.unit != "number"
              and reporting >= MIN_RANKED)
    pos = position(str(area.id), la_values, polarity, banded=banded) if la_values else \
        Position(None, 0, None, None, None, None)
    interval = None
    if cur is not None:
        x, n = to_number(cur["numerator"]), to_number(cur["denominator"])
        lo, hi = to_number(cur["ci_lower"]), to_number(cur["ci_upper"])
        if lo is not None and hi is not None:
            interval = Interval(lo, hi, 0.95, "published")
        elif x is not None and n:
            interval = (proportion_interval(x, n, multiplier=mult) if m.unit == "percent"
                        else rate_interval(x, n, mult))
    benchmark_name = "England"
    benchmark = eng
    sig = compare_to_benchmark(interval, benchmark, polarity, benchmark_name)
    target, tolerance = _target_for(targets, m.id, period)
    def fmt(v: float) -> str:
        return format_value(v, m.unit, int(m.decimals), unit_label=m.unit_label)

    rag = choose_rag(m.rag_rule if m.rag_rule in ("band", "significance", "target") else "band",
                     polarity, value=value, target=target,
                     tolerance=tolerance if tolerance is not None else 0.05,
                     band=pos.band, rank_text=pos.rank_text, significance=sig, fmt=fmt)
    trend = _trend(s, idx, polarity, m.unit)
    spark = []
    if s and cur is not None and idx is not None:
        tail = [p for p in s[: idx + 1] if p["period_type"] == cur["period_type"]][-5:]
        spark = [Point(p["label"], to_number(p["value"]), p["status"], p["suppression"],
                       bool(p["synthetic"])) for p in tail]
    summary = IndicatorSummary(
        code=m.code, name=m.short_name or m.name, theme=m.theme, unit=m.unit,
        unit_label=m.unit_label, decimals=int(m.decimals), polarity=polarity,
        definition=m.definition, source=m.source, period=period, value=value,
        status=cur["status"] if cur is not None else None,
        suppression=cur["suppression"] if cur is not None else None,
        synthetic=bool(cur["synthetic"]) if cur is not None else False,
        previous_period=_spec(prev) if prev is not None else None, previous_value=prev_value,
        direction=direction(value, prev_value, polarity), neighbours=comparator,
        neighbour_values=[{"code": n.area.code, "name": n.area.name, "position": n.position,
                           "closeness": n.closeness, "value": v}
                          for n, v in zip(nb_list, nb_values, strict=True)],
        england=eng, region=reg, region_name=region.name if region else None, position=pos,
        interval=interval, significance=sig, target=target, tolerance=tolerance, rag=rag,
        trend=trend, sparkline=spark,
        all_la_values=[v for k, v in la_values.items() if v is not None and k != str(area.id)],
    )
    summary.narrative = narrative(summary)
    return summary


def _target_for(targets: pd.DataFrame, indicator_id: int,
                period: PeriodSpec | None) -> tuple[float | None, float | None]:
    if period is None or targets.empty:
        return None, None
    t = targets[targets["indicator_id"] == indicator_id]
    for r in t.itertuples():
        if (r.period_from is None or r.period_from <= period.end) and (
                r.period_to is None or period.end <= r.period_to):
            return float(r.value), float(r.tolerance)
    return None, None


def _trend(s: list[dict[str, Any]] | None, idx: int | None, polarity: str,
           unit: str) -> TrendResult:
    none = TrendResult("cannot be calculated", None, False, None, None)
    if not s or idx is None or unit != "percent":
        return none
    cur_type = s[idx]["period_type"]
    pts = [p for p in s[: idx + 1] if p["period_type"] == cur_type][-5:]
    events = [to_number(p["numerator"]) for p in pts]
    totals = [to_number(p["denominator"]) for p in pts]
    if len(pts) < 5 or None in events or None in totals:
        return none
    years = [p["end"].year for p in pts]
    if years != list(range(years[0], years[0] + 5)):
        return none  # the test needs five consecutive annual points
    return trend_test([float(v) for v in events if v is not None],
                      [float(v) for v in totals if v is not None], polarity)
