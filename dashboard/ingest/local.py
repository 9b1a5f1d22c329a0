"""Import a partnership's own figures in the long layout of `local/` (one row per figure).

Columns: `measure` (a name listed in `data/local_measures.csv`) or `indicator` (a catalogue code),
`area_code` (ONS), `period_type` (`financial_year`, `quarter`, `month`, `snapshot`), `period`
(`2020-21`, `2020-21 Q1`, `2020-05`, or an ISO date), `value`, optional `numerator`,
`denominator`, `status` (`final`/`provisional`), `note` or `source_note`. Every problem is
reported with its row and column, and nothing is stored unless every row is good.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.errors import LoadError, Problem
from dashboard.ingest.writer import LoadResult, run_load
from dashboard.periods import PeriodError, parse_local_period
from dashboard.settings import DATA_DIR
from dashboard.store.models import Indicator

MEASURES = DATA_DIR / "local_measures.csv"
REQUIRED = ("area_code", "period_type", "period", "value")
STATUSES = {"final", "provisional", "revised"}
SYMBOLS = {"c", "k", "u", "x", "z", "low", "[c]", "[x]", "-"}


def measure_codes(path: Path = MEASURES) -> dict[str, str]:
    """Local measure names -> indicator codes."""
    with open(path, newline="", encoding="utf-8") as f:
        return {r["measure"].strip().lower(): r["code"] for r in csv.DictReader(f)}


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def parse_local(path: Path, session: Session, *, today: dt.date | None = None) -> pd.DataFrame:
    """Validate and read a local long file into a batch, or raise `LoadError`."""
    today = today or dt.date.today()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]
    problems: list[Problem] = []
    key_col = "indicator" if "indicator" in df.columns else "measure"
    for col in (key_col, *REQUIRED):
        if col not in df.columns:
            problems.append(Problem(path.name, 1, col, None, "required column is missing"))
    if problems:
        raise LoadError(problems)
    codes = measure_codes()
    units = dict(session.execute(select(Indicator.code, Indicator.unit)).all())
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=2):
        name = r[key_col].strip()
        code = name if key_col == "indicator" else codes.get(name.lower())
        if code is None or code not in units:
            problems.append(Problem(path.name, i, key_col, name,
                                    "unknown indicator: not in the catalogue"))
            continue
        try:
            period = parse_local_period(r["period_type"], r["period"])
        except PeriodError as err:
            problems.append(Problem(path.name, i, "period", r["period"], str(err)))
            continue
        if period.start > today:
            problems.append(Problem(path.name, i, "period", r["period"],
                                    "period is in the future"))
        raw = r["value"].strip()
        value = _number(raw) if raw else None
        suppression = None
        if value is None:
            if raw.lower() in SYMBOLS:
                suppression = raw.lower()
            else:
                problems.append(Problem(path.name, i, "value", raw,
                                        "is not a number or a suppression symbol"))
                continue
        if value is not None and units[code] == "percent" and not 0 <= value <= 100:
            problems.append(Problem(path.name, i, "value", raw,
                                    "a percentage must be between 0 and 100"))
        nums = {}
        for col in ("numerator", "denominator"):
            text = (r.get(col) or "").strip()
            nums[col] = _number(text) if text else None
            if text and nums[col] is None:
                problems.append(Problem(path.name, i, col, text, "is not a number"))
        if (nums["numerator"] is not None and nums["denominator"] is not None
                and nums["numerator"] > nums["denominator"]):
            problems.append(Problem(path.name, i, "numerator", str(nums["numerator"]),
                                    "numerator is greater than the denominator"))
        status = (r.get("status") or "final").strip().lower() or "final"
        if status not in STATUSES:
            problems.append(Problem(path.name, i, "status", status,
                                    "status must be final, provisional or revised"))
        rows.append({
            "indicator": code, "area": r["area_code"].strip(), "period": period,
            "value": value, "suppression": suppression, "status": status,
            "numerator": nums["numerator"], "denominator": nums["denominator"],
            "note": (r.get("note") or r.get("source_note") or "").strip() or None,
            "row": i,
        })
    if problems:
        raise LoadError(problems)
    return pd.DataFrame(rows)


def load_local(engine: Engine, path: Path, *, loaded_by: str = "system",
               kind: str = "local") -> LoadResult:
    """Load a local long file in one transaction."""
    return run_load(engine, kind, path, lambda s: parse_local(path, s), loaded_by=loaded_by,
                    before_write=_prepare)


def _prepare(session: Session) -> None:
    apply_catalogue(session)
