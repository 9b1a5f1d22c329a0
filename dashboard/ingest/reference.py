"""Reference data: the areas (LAs, regions, England) and the indicator metadata upserts.

Areas are keyed by the DfE's three-digit LA number, which stays the same when the ONS code of an
LA changes (Barnsley, Sheffield, North Yorkshire, Buckinghamshire and Somerset all took new ONS
codes); the latest ONS code is the area's code and earlier ones are kept as former codes so that
files using either still load. Validity dates for LAs that were merged or split come from
`data/area_changes.csv`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.settings import DATA_DIR
from dashboard.store.models import Area, Indicator

ENGLAND = "E92000001"
LONDON = "E12000007"
# LAIT numbers England and regions by numbers 970-990; EES gives them by ONS code.
LAIT_REGION_NUMBERS = {
    970: ENGLAND,
    980: "E12000001",
    981: "E12000002",
    982: "E12000003",
    983: "E12000004",
    984: "E12000005",
    985: "E12000006",
    986: "E12000007",
    987: "E13000001",
    988: "E13000002",
    989: "E12000008",
    990: "E12000009",
}
REGION_NAMES = {
    ENGLAND: "England",
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E13000001": "Inner London",
    "E13000002": "Outer London",
    "E12000008": "South East",
    "E12000009": "South West",
}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def area_frame(ees_files: Iterable[Path]) -> pd.DataFrame:
    """One row per LA (by DfE number) from the EES files' geography columns."""
    frames = []
    for path in ees_files:
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        df = df[df["geographic_level"] == "Local authority"]
        frames.append(df[["time_period", "old_la_code", "new_la_code", "la_name", "region_code"]])
    la = pd.concat(frames)
    la = la[la["old_la_code"].str.fullmatch(r"\d{3}")]  # drops combined rows like "314 / 318"
    la = la.sort_values("time_period")
    rows = []
    for number, g in la.groupby("old_la_code"):
        latest = g.iloc[-1]
        codes = list(dict.fromkeys(g["new_la_code"]))
        region = latest["region_code"]
        rows.append({
            "dfe_number": int(number),
            "code": latest["new_la_code"],
            "former_codes": ",".join(c for c in codes if c != latest["new_la_code"]) or None,
            "name": latest["la_name"],
            "region_code": LONDON if region.startswith("E13") else region,
        })
    return pd.DataFrame(rows)


def load_areas(session: Session, ees_files: Iterable[Path]) -> int:
    """Create or update every area; returns how many areas are stored."""
    changes = {}
    with open(DATA_DIR / "area_changes.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            changes[int(row["dfe_number"])] = row
    existing = {a.dfe_number: a for a in session.scalars(select(Area)) if a.dfe_number}
    by_code = {a.code: a for a in session.scalars(select(Area))}
    records: list[dict] = []
    for number, code in LAIT_REGION_NUMBERS.items():
        records.append({"dfe_number": number, "code": code, "name": REGION_NAMES[code],
                        "type": "country" if code == ENGLAND else "region",
                        "region_code": None if code == ENGLAND else ENGLAND,
                        "former_codes": None})
    for r in area_frame(ees_files).to_dict("records"):
        records.append({**r, "type": "la"})
    for rec in records:
        change = changes.get(rec["dfe_number"], {})
        rec["valid_from"] = _date(change.get("valid_from"))
        rec["valid_to"] = _date(change.get("valid_to"))
        area = existing.get(rec["dfe_number"]) or by_code.get(rec["code"])
        if area is None:
            session.add(Area(**rec))
        else:
            for k, v in rec.items():
                setattr(area, k, v)
    session.flush()
    return len(records)


INDICATOR_FIELDS = {c.name for c in Indicator.__table__.columns} - {"id"}


def upsert_indicators(session: Session, records: Iterable[Mapping[str, object]]) -> int:
    """Create or update indicators by code; fields not given are left as they are."""
    existing = {i.code: i for i in session.scalars(select(Indicator))}
    n = 0
    for rec in records:
        fields = {k: v for k, v in rec.items() if k in INDICATOR_FIELDS}
        ind = existing.get(str(rec["code"]))
        if ind is None:
            ind = Indicator(**fields)
            session.add(ind)
            existing[ind.code] = ind
        else:
            for k, v in fields.items():
                setattr(ind, k, v)
        n += 1
    session.flush()
    return n
