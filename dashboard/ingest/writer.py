"""Write a normalised batch of observations to the store: the one path every importer uses.

A batch is a pandas frame with one row per observation and the columns in `BATCH_COLUMNS`.
`run_load` wraps a parser and the writer in one transaction with an audit row: either every
row is stored or none is, a reload of the same file changes nothing, and a changed value keeps
its earlier version in `observation_history`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from dashboard.ingest.errors import LoadError, Problem
from dashboard.periods import PeriodSpec
from dashboard.store.db import session_scope
from dashboard.store.models import (
    Area,
    Breakdown,
    DataLoad,
    Indicator,
    Observation,
    ObservationHistory,
    Period,
    RejectedRow,
)

BATCH_COLUMNS = (
    "indicator",  # indicator code
    "area",  # ONS code (current or former) or DfE number as int
    "period",  # PeriodSpec
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
    "ci_lower",
    "ci_upper",
    "status",
    "suppression",
    "note",
    "as_at",
    "synthetic",
    "row",  # the source row number, for messages
)
VALUE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "ci_lower",
    "ci_upper",
    "status",
    "suppression",
    "note",
    "synthetic",
)
ALL = "all"


@dataclass(frozen=True)
class LoadResult:
    """What a load did."""

    load_id: int
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    skipped: int = 0


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, recorded with each load and used to verify downloads."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def empty_batch() -> pd.DataFrame:
    """A batch frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in BATCH_COLUMNS})


def normalise_batch(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill defaults so that every importer's frame has the full column set."""
    out = frame.copy()
    defaults = {
        "dimension": ALL,
        "category": ALL,
        "numerator": None,
        "denominator": None,
        "ci_lower": None,
        "ci_upper": None,
        "status": "final",
        "suppression": None,
        "note": None,
        "as_at": None,
        "synthetic": False,
        "row": None,
    }
    for col, default in defaults.items():
        if col not in out.columns:
            out[col] = default
    return out[list(BATCH_COLUMNS)]


def _clean(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _same(a: object, b: object) -> bool:
    a, b = _clean(a), _clean(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    return a == b


class AreaLookup:
    """Resolve ONS codes (current or former) and DfE numbers to area ids."""

    def __init__(self, session: Session):
        self.by_code: dict[str, int] = {}
        self.by_dfe: dict[int, int] = {}
        for area in session.scalars(select(Area)):
            self.by_code[area.code] = area.id
            for former in (area.former_codes or "").split(","):
                if former.strip():
                    self.by_code[former.strip()] = area.id
            if area.dfe_number is not None:
                self.by_dfe[area.dfe_number] = area.id

    def get(self, key: object) -> int | None:
        """The area id for an ONS code or a DfE number, or None."""
        if isinstance(key, (int,)) and not isinstance(key, bool):
            return self.by_dfe.get(key)
        text = str(key).strip()
        if text.isdigit():
            return self.by_dfe.get(int(text))
        return self.by_code.get(text.upper())


def _ensure_periods(session: Session, specs: Iterable[PeriodSpec]) -> dict[PeriodSpec, int]:
    wanted = set(specs)
    existing = {
        PeriodSpec(p.end, p.start, p.type): p.id for p in session.scalars(select(Period))
    }
    missing = [s for s in wanted if s not in existing]
    if missing:
        session.execute(
            insert(Period),
            [
                {"type": s.type, "start": s.start, "end": s.end, "label": s.label,
                 "sort_key": s.sort_key}
                for s in missing
            ],
        )
        existing = {
            PeriodSpec(p.end, p.start, p.type): p.id for p in session.scalars(select(Period))
        }
    return {s: existing[s] for s in wanted}


def _ensure_breakdowns(session: Session, pairs: Iterable[tuple[str, str]]) -> dict:
    wanted = set(pairs)
    existing = {(b.dimension, b.category): b.id for b in session.scalars(select(Breakdown))}
    missing = [p for p in wanted if p not in existing]
    if missing:
        session.execute(insert(Breakdown), [{"dimension": d, "category": c} for d, c in missing])
        existing = {(b.dimension, b.category): b.id for b in session.scalars(select(Breakdown))}
    return {p: existing[p] for p in wanted}


def resolve_keys(
    session: Session, batch: pd.DataFrame, file_name: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn codes into ids; report unknown indicators and areas and duplicate keys."""
    problems: list[Problem] = []
    indicators = dict(session.execute(select(Indicator.code, Indicator.id)).all())
    areas = AreaLookup(session)
    out = batch.copy()
    out["indicator_id"] = out["indicator"].map(indicators)
    area_keys = out["area"].drop_duplicates()
    area_map = {k: areas.get(k) for k in area_keys}
    out["area_id"] = out["area"].map(area_map)
    for _, r in out[out["indicator_id"].isna()].head(200).iterrows():
        problems.append(Problem(file_name, r["row"], "indicator", str(r["indicator"]),
                                "unknown indicator code"))
    for _, r in out[out["area_id"].isna()].head(200).iterrows():
        problems.append(Problem(file_name, r["row"], "area", str(r["area"]),
                                "unknown area code"))
    if problems:
        return out, problems
    out["indicator_id"] = out["indicator_id"].astype(int)
    out["area_id"] = out["area_id"].astype(int)
    periods = _ensure_periods(session, out["period"].drop_duplicates())
    out["period_id"] = out["period"].map(periods).astype(int)
    pairs = list(zip(out["dimension"], out["category"], strict=True))
    breakdowns = _ensure_breakdowns(session, pairs)
    out["breakdown_id"] = [breakdowns[p] for p in pairs]
    key = ["indicator_id", "area_id", "period_id", "breakdown_id"]
    dup = out[out.duplicated(key, keep=False)]
    for _, r in dup.head(50).iterrows():
        problems.append(Problem(
            file_name, r["row"], None, None,
            f"duplicate row: {r['indicator']} for {r['area']}, {r['period'].label}, "
            f"{r['dimension']}={r['category']} appears more than once in the file",
        ))
    return out, problems


def write_observations(
    session: Session, batch: pd.DataFrame, load_id: int, *, keep_real: bool = False,
    keep_detail: bool = False,
) -> tuple[int, int, int]:
    """Insert new observations, update changed ones (keeping history), leave the rest.

    Args:
        session: an open transaction.
        batch: rows already passed through `resolve_keys`.
        load_id: the audit row this write belongs to.
        keep_real: when true (synthetic generators), never replace a non-synthetic value.
        keep_detail: when true (sources that publish values only, such as LAIT), counts,
            intervals and suppression symbols already stored from a richer source are kept
            where this batch has none, so reloading LAIT after EES does not erase them.

    Returns:
        Counts of rows inserted, updated and unchanged.
    """
    if batch.empty:
        return 0, 0, 0
    key = ["indicator_id", "area_id", "period_id", "breakdown_id"]
    ids = sorted(set(batch["indicator_id"].tolist()))
    cols = [Observation.id, *(getattr(Observation, k) for k in key),
            *(getattr(Observation, f) for f in VALUE_FIELDS), Observation.load_id]
    existing_rows: list = []
    for i in range(0, len(ids), 500):
        existing_rows += session.execute(
            select(*cols).where(Observation.indicator_id.in_(ids[i : i + 500]))
        ).all()
    existing = pd.DataFrame(
        existing_rows, columns=["id", *key, *VALUE_FIELDS, "load_id"]
    ) if existing_rows else pd.DataFrame(columns=["id", *key, *VALUE_FIELDS, "load_id"])
    merged = batch.merge(existing, on=key, how="left", suffixes=("", "_old"))
    new = merged[merged["id"].isna()]
    old = merged[merged["id"].notna()]
    if keep_real and not old.empty:
        old = old[old["synthetic_old"].astype(bool)]
    if keep_detail and not old.empty:
        old = old.copy()
        for f in ("numerator", "denominator", "ci_lower", "ci_upper"):
            old[f] = old[f].where(old[f].notna(), old[f + "_old"])
        both_missing = old["value"].isna() & old["value_old"].isna()
        old["suppression"] = old["suppression"].where(
            ~(both_missing & old["suppression_old"].notna()), old["suppression_old"])
    changed_mask = pd.Series(False, index=old.index)
    for f in VALUE_FIELDS:
        changed_mask |= ~pd.Series(
            [_same(a, b) for a, b in zip(old[f], old[f + "_old"], strict=True)], index=old.index
        )
    changed = old[changed_mask]
    unchanged = len(old) - len(changed)
    if not new.empty:
        records = [
            {**{k: int(r[k]) for k in key},
             **{f: _clean(r[f]) for f in VALUE_FIELDS},
             "as_at": _clean(r["as_at"]), "load_id": load_id}
            for r in new.to_dict("records")
        ]
        for i in range(0, len(records), 20_000):
            session.execute(insert(Observation), records[i : i + 20_000])
    if not changed.empty:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        history = [
            {"observation_id": int(r["id"]), **{k: int(r[k]) for k in key},
             **{f: _clean(r[f + "_old"]) for f in VALUE_FIELDS},
             "load_id": _clean(r["load_id"]), "replaced_by_load_id": load_id,
             "replaced_at": now}
            for r in changed.to_dict("records")
        ]
        for h in history:
            h["synthetic"] = bool(h["synthetic"])
            h["status"] = h["status"] or "final"
        session.execute(insert(ObservationHistory), history)
        updates = [
            {"id": int(r["id"]), **{f: _clean(r[f]) for f in VALUE_FIELDS},
             "as_at": _clean(r["as_at"]), "load_id": load_id}
            for r in changed.to_dict("records")
        ]
        session.execute(update(Observation), updates)
    return len(new), len(changed), unchanged


def record_failure(
    engine: Engine, kind: str, path: Path, checksum: str | None, loaded_by: str,
    problems: list[Problem], rows_read: int = 0,
) -> int:
    """Record a refused load and its problems, in a transaction of its own."""
    with session_scope(engine) as s:
        load = DataLoad(kind=kind, file_name=path.name, checksum=checksum,
                        format=path.suffix.lstrip(".").lower(), status="failed",
                        rows_read=rows_read, rows_rejected=len(problems), loaded_by=loaded_by,
                        finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                        message=f"{len(problems)} problem(s); nothing was stored")
        s.add(load)
        s.flush()
        s.add_all(RejectedRow(load_id=load.id, row_number=p.row, column=p.column,
                              value=p.value, reason=p.message) for p in problems)
        return load.id


Parser = Callable[[Session], pd.DataFrame]


def run_load(
    engine: Engine,
    kind: str,
    path: Path,
    parse: Parser,
    *,
    loaded_by: str = "system",
    before_write: Callable[[Session], None] | None = None,
    keep_real: bool = False,
    keep_detail: bool = False,
) -> LoadResult:
    """Parse a file and write it in one transaction with an audit row.

    Args:
        engine: the store.
        kind: the importer's name (lait, ees, neighbours, local, ...).
        path: the file (its name and checksum are recorded).
        parse: builds the batch; may read the session (e.g. to create indicators) and raises
            `LoadError` for bad input.
        loaded_by: who ran the load.
        before_write: optional step run inside the transaction before observations are written.
        keep_real: never let this load replace a non-synthetic value.
        keep_detail: keep stored counts and symbols this file does not carry.

    Raises:
        LoadError: the file was refused; the failure and its problems are recorded and the
            store is otherwise unchanged.
    """
    checksum = file_checksum(path) if path.is_file() else None
    rows_read = 0
    try:
        with session_scope(engine) as s:
            if before_write:
                before_write(s)
            batch = normalise_batch(parse(s))
            rows_read = len(batch)
            resolved, problems = resolve_keys(s, batch, path.name)
            if problems:
                raise LoadError(problems)
            load = DataLoad(kind=kind, file_name=path.name, checksum=checksum,
                            format=path.suffix.lstrip(".").lower() or "dir",
                            status="committed", rows_read=rows_read, loaded_by=loaded_by)
            s.add(load)
            s.flush()
            inserted, updated, unchanged = write_observations(
                s, resolved, load.id, keep_real=keep_real, keep_detail=keep_detail
            )
            load.rows_inserted, load.rows_updated, load.rows_unchanged = (
                inserted, updated, unchanged)
            load.finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            return LoadResult(load.id, rows_read, inserted, updated, unchanged)
    except LoadError as err:
        record_failure(engine, kind, path, checksum, loaded_by, err.problems, rows_read)
        raise
