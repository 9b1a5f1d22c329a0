"""What changed since the last meeting: indicators whose value, RAG, band or signal moved.

How the earlier state is found. The store keeps every earlier version of an observation in
`observation_history` (with `replaced_at`) and records when each load finished
(`data_loads.finished_at`). For a date `since`, an observation's version as it stood then is:

- unchanged, when neither its current version's load nor any replacement is after `since`;
- the earliest history row replaced after `since`, when that row's own load finished before
  `since` (later loads changed it);
- absent, otherwise (it was first loaded after `since`).

Those earlier versions are laid over the current headline series of the home area and over
the cross-section of every area at the period shown, and the scorecard's own per-indicator
evaluation (`dashboard.scorecard._summarise`) runs on them, so the earlier RAG and band come
from exactly the rules that produce today's, with the neighbour average and the quartiles as
they were. Only indicators touched by a load since `since` are re-evaluated; the rest cannot
have changed. Targets and comparator groups are taken as they are now (they keep no history).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from dashboard import queries, signals
from dashboard.ingest.writer import VALUE_FIELDS as WRITER_FIELDS
from dashboard.scorecard import ENGLAND, IndicatorSummary, _summarise, build_scorecard, pick_period
from dashboard.store.db import session_scope
from dashboard.store.models import (
    Breakdown,
    DataLoad,
    Meeting,
    Observation,
    ObservationHistory,
)
from dashboard.viewstate import ViewState

DOMAINS = ("children", "adults", "partnership")
DEFAULT_DAYS = 30
# The stored fields of a version, as the writer keeps them, less the free-text note.
VALUE_FIELDS = tuple(f for f in WRITER_FIELDS if f != "note")

VALUE = "value"
RAG = "RAG"
BAND = "band"
SPECIAL_CAUSE = "special cause"

Key = tuple[int, int, int]  # indicator id, area id, period id (headline breakdown)


@dataclass(frozen=True)
class Change:
    """One indicator that moved since the date, with before and after.

    Attributes:
        code: Indicator code.
        name: Indicator name.
        domain: children, adults or partnership.
        theme: Its scorecard theme.
        what: What changed, in order: "value", "RAG", "band", "special cause".
        period: The latest period shown now (label), or None.
        period_end: Its end date, for ordering.
        previous_period: The latest period shown at the date, or None if there was none.
        before: The value then, formatted ("–" when none).
        after: The value now, formatted.
        value_before: The value then.
        value_after: The value now.
        rag_before: RAG status then (red, amber, green or None).
        rag_after: RAG status now.
        band_before: Quartile band then.
        band_after: Quartile band now.
        variation_before: SPC variation then (monthly or quarterly series), or None.
        variation_after: SPC variation now.
        changed_at: When the latest load that touched it finished.
        href: The indicator's view for the home area.
        sentence: The change in words.
    """

    code: str
    name: str
    domain: str
    theme: str | None
    what: tuple[str, ...]
    period: str | None
    period_end: dt.date | None
    previous_period: str | None
    before: str
    after: str
    value_before: float | None
    value_after: float | None
    rag_before: str | None
    rag_after: str | None
    band_before: str | None
    band_after: str | None
    variation_before: str | None
    variation_after: str | None
    changed_at: dt.datetime | None
    href: str
    sentence: str


def _start_of(day: dt.date) -> dt.datetime:
    # Timestamps in the store are naive UTC; "since 12 March" includes loads on 12 March.
    return dt.datetime.combine(day, dt.time.min)


def earlier_versions(
    engine: Engine, indicator_ids: Sequence[int], since: dt.date
) -> tuple[dict[Key, dict[str, Any] | None], dict[int, dt.datetime]]:
    """Headline observations changed since `since`, with their version as it stood then.

    Returns:
        A map from (indicator, area, period) to the earlier fields (None where the observation
        did not exist then), and per indicator the time of the latest load that touched it.
    """
    cut = _start_of(since)
    ids = list(indicator_ids)
    if not ids:
        return {}, {}
    with engine.connect() as c:
        finished = dict(c.execute(select(DataLoad.id, DataLoad.finished_at)).all())
        all_id = c.scalar(
            select(Breakdown.id).where(Breakdown.dimension == "all", Breakdown.category == "all")
        )
        recent_loads = [i for i, f in finished.items() if f is not None and f >= cut]
        current = (
            c.execute(
                select(
                    Observation.id,
                    Observation.indicator_id,
                    Observation.area_id,
                    Observation.period_id,
                    Observation.load_id,
                ).where(
                    Observation.indicator_id.in_(ids),
                    Observation.breakdown_id == all_id,
                    Observation.load_id.in_(recent_loads),
                )
            ).all()
            if recent_loads
            else []
        )
        history = c.execute(
            select(ObservationHistory)
            .where(
                ObservationHistory.indicator_id.in_(ids),
                ObservationHistory.breakdown_id == all_id,
                ObservationHistory.replaced_at >= cut,
            )
            .order_by(
                ObservationHistory.observation_id,
                ObservationHistory.replaced_at,
                ObservationHistory.id,
            )
        ).all()
    touched: dict[int, dt.datetime] = {}

    def touch(ind: int, when: dt.datetime | None) -> None:
        if when is not None and (ind not in touched or when > touched[ind]):
            touched[ind] = when

    earliest: dict[int, Any] = {}
    for h in history:
        earliest.setdefault(h.observation_id, h)
        touch(h.indicator_id, h.replaced_at)
    out: dict[Key, dict[str, Any] | None] = {}
    for h in earliest.values():
        loaded = finished.get(h.load_id) if h.load_id is not None else None
        existed = h.load_id is None or (loaded is not None and loaded < cut)
        out[(h.indicator_id, h.area_id, h.period_id)] = (
            {f: getattr(h, f) for f in VALUE_FIELDS} if existed else None
        )
    for o in current:
        touch(o.indicator_id, finished.get(o.load_id))
        if o.id not in earliest:  # loaded after the date and never replaced: new since then
            out[(o.indicator_id, o.area_id, o.period_id)] = None
    return out, touched


def _overlay(
    records: list[dict[str, Any]],
    earlier: Mapping[Key, dict[str, Any] | None],
    area_key: str = "area_id",
) -> list[dict[str, Any]]:
    out = []
    for r in records:
        key = (int(r["indicator_id"]), int(r[area_key]), int(r["period_id"]))
        if key not in earlier:
            out.append(r)
            continue
        old = earlier[key]
        if old is not None:
            out.append({**r, **{k: v for k, v in old.items() if k in r}})
    return out


def _variation(row: IndicatorSummary | None) -> str | None:
    return row.spc.variation if row is not None and row.spc is not None else None


def _then_rows(
    engine: Engine,
    area_code: str,
    domain: str,
    now: Sequence[IndicatorSummary],
    earlier: Mapping[Key, dict[str, Any] | None],
    affected: set[int],
) -> dict[str, IndicatorSummary]:
    """Evaluate the scorecard rows of the affected indicators with the earlier values."""
    area = queries.area_by_code(engine, area_code)
    assert area is not None
    meta = queries.indicators(engine, codes=[r.code for r in now])
    meta = meta[meta["id"].isin(list(affected))]
    if meta.empty:
        return {}
    ids = [int(i) for i in meta["id"]]
    group = queries.comparator_group(engine, area.id, queries.DOMAIN_GROUP_KIND[domain])
    region = queries.area_by_code(engine, area.region_code) if area.region_code else None
    england = queries.area_by_code(engine, ENGLAND)
    targets = queries.targets(engine, area.id, ids)
    home = _overlay(queries.series(engine, ids, [area.id]).to_dict("records"), earlier)
    by_ind: dict[int, list[dict[str, Any]]] = {}
    for rec in home:
        by_ind.setdefault(int(rec["indicator_id"]), []).append(rec)
    chosen = {i: idx for i, s in by_ind.items() if (idx := pick_period(s, None)) is not None}
    pairs = [(i, int(by_ind[i][idx]["period_id"])) for i, idx in chosen.items()]
    cross = _overlay(queries.cross_section(engine, pairs).to_dict("records"), earlier)
    cross_by: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for rec in cross:
        cross_by.setdefault((int(rec["indicator_id"]), int(rec["period_id"])), []).append(rec)
    out: dict[str, IndicatorSummary] = {}
    for m in meta.itertuples():
        series = by_ind.get(m.id)
        idx = chosen.get(m.id)
        cs = (
            cross_by.get((m.id, int(series[idx]["period_id"])))
            if series and idx is not None
            else None
        )
        out[m.code] = _summarise(m, series, idx, cs, area, group, england, region, targets, "mean")
    signals.annotate(engine, area, list(out.values()), by_ind, meta)
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _compare(now: IndicatorSummary, then: IndicatorSummary | None) -> tuple[str, ...]:
    what = []
    if then is None or then.period != now.period or not _same(then.value, now.value):
        what.append(VALUE)
    if (then.rag.status if then else None) != now.rag.status:
        what.append(RAG)
    if (then.position.band if then else None) != now.position.band:
        what.append(BAND)
    if _variation(then) != _variation(now):
        what.append(SPECIAL_CAUSE)
    return tuple(what)


def _sentence(now: IndicatorSummary, then: IndicatorSummary | None, what: tuple[str, ...]) -> str:
    parts = []
    if VALUE in what:
        after = now.fmt(now.value) if now.value is not None else (now.suppression or "no figure")
        label = now.period.label if now.period else "no period"
        if then is None or then.period is None:
            parts.append(f"new figure {after} for {label}")
        elif then.period != now.period:
            parts.append(
                f"new figure {after} for {label} (was {then.fmt(then.value)} for "
                f"{then.period.label})"
            )
        else:
            parts.append(f"{label} revised from {then.fmt(then.value)} to {after}")
    if RAG in what:
        parts.append(
            f"RAG {(then.rag.status if then else None) or 'none'} to {now.rag.status or 'none'}"
        )
    if BAND in what:
        parts.append(
            f"band {(then.position.band if then else None) or 'none'} to "
            f"{now.position.band or 'none'}"
        )
    if SPECIAL_CAUSE in what:
        before = then.spc.variation_text if then is not None and then.spc else "none"
        after_v = now.spc.variation_text if now.spc else "none"
        parts.append(f"variation {before} to {after_v}")
    text = "; ".join(parts)
    return f"{now.name}: {text[:1].lower()}{text[1:]}."


def changes_since(
    engine: Engine, area_code: str, since: dt.date, domain: str | None = None
) -> list[Change]:
    """Indicators whose latest value, RAG, band or special-cause status changed since a date.

    Every indicator of the area's scorecard (see the module docstring for how the earlier state
    is found), newest data first.

    Args:
        engine: The store.
        area_code: The home area.
        since: The date (e.g. the previous meeting); loads on that day count as changes.
        domain: children, adults or partnership (default: all three).

    Returns:
        The changes, ordered by the end of the period shown now (latest first), then by when
        they were loaded (latest first).
    """
    domains = (domain,) if domain else DOMAINS
    out: list[Change] = []
    for d in domains:
        card = build_scorecard(engine, area_code, d)
        ids = {
            r.code: i
            for r, i in zip(card.rows, _ids(engine, [r.code for r in card.rows]), strict=True)
        }
        earlier, touched = earlier_versions(engine, list(ids.values()), since)
        affected = {k[0] for k in earlier}
        rows = [r for r in card.rows if ids[r.code] in affected]
        if not rows:
            continue
        then = _then_rows(engine, card.area.code, d, rows, earlier, affected)
        for r in rows:
            before = then.get(r.code)
            if before is not None and before.period is None:
                before = None
            what = _compare(r, before)
            if not what:
                continue
            out.append(
                Change(
                    code=r.code,
                    name=r.name,
                    domain=d,
                    theme=r.theme,
                    what=what,
                    period=r.period.label if r.period else None,
                    period_end=r.period.end if r.period else None,
                    previous_period=before.period.label if before and before.period else None,
                    before=before.fmt(before.value) if before else "–",
                    after=r.fmt(r.value),
                    value_before=before.value if before else None,
                    value_after=r.value,
                    rag_before=before.rag.status if before else None,
                    rag_after=r.rag.status,
                    band_before=before.position.band if before else None,
                    band_after=r.position.band,
                    variation_before=_variation(before),
                    variation_after=_variation(r),
                    changed_at=touched.get(ids[r.code]),
                    href="/indicator?"
                    + ViewState(area=card.area.code, domain=d, indicator=r.code).to_query(),
                    sentence=_sentence(r, before, what),
                )
            )
    out.sort(
        key=lambda c: (c.period_end or dt.date.min, c.changed_at or dt.datetime.min), reverse=True
    )
    return out


def _ids(engine: Engine, codes: Sequence[str]) -> list[int]:
    meta = queries.indicators(engine, codes=codes)
    by_code = dict(zip(meta["code"], meta["id"], strict=True))
    return [int(by_code[c]) for c in codes]


# --- meetings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInfo:
    """A recorded meeting."""

    id: int
    date: dt.date
    title: str


def add_meeting(engine: Engine, date: dt.date, title: str, created_by: str | None = None) -> int:
    """Record a meeting date; returns its id."""
    with session_scope(engine) as s:
        m = Meeting(date=date, title=title.strip() or "Meeting", created_by=created_by)
        s.add(m)
        s.flush()
        return m.id


def meetings(engine: Engine) -> list[MeetingInfo]:
    """Recorded meetings, latest first."""
    with engine.connect() as c:
        rows = c.execute(
            select(Meeting.id, Meeting.date, Meeting.title).order_by(
                Meeting.date.desc(), Meeting.id.desc()
            )
        ).all()
    return [MeetingInfo(r.id, r.date, r.title) for r in rows]


def previous_meeting(engine: Engine, today: dt.date | None = None) -> dt.date:
    """The latest recorded meeting before `today`, or 30 days ago when there is none."""
    today = today or dt.date.today()
    with engine.connect() as c:
        last = c.scalar(
            select(Meeting.date).where(Meeting.date < today).order_by(Meeting.date.desc()).limit(1)
        )
    return last if last is not None else today - dt.timedelta(days=DEFAULT_DAYS)
