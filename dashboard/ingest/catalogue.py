"""The curated indicator catalogue (`data/catalogue.csv`): what the scorecard shows by default.

The full LAIT catalogue stays available; this reviewed list adds plain-English definitions,
themes and the scorecard's order, and may override LAIT's polarity where the catalogue says a
demand measure carries none.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from dashboard.ingest.reference import upsert_indicators
from dashboard.settings import DATA_DIR
from dashboard.store.models import Indicator

CATALOGUE = DATA_DIR / "catalogue.csv"
POLARITIES = {"high", "low", "none", "target_band"}
DOMAINS = {"children", "adults", "partnership"}
OGL = "Open Government Licence v3.0"


def read_catalogue(path: Path = CATALOGUE) -> list[dict[str, object]]:
    """The curated rows as indicator records, in scorecard order."""
    records: list[dict[str, object]] = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f), start=2):
            if row["polarity"] not in POLARITIES:
                raise ValueError(f"{path.name}, row {i}, column 'polarity': {row['polarity']!r}"
                                 " is not one of high, low, none, target_band")
            if row["domain"] not in DOMAINS:
                raise ValueError(f"{path.name}, row {i}, column 'domain': {row['domain']!r}"
                                 " is not one of children, adults, partnership")
            rec: dict[str, object] = {
                "code": row["code"],
                "short_name": row["short_name"],
                "domain": row["domain"],
                "theme": row["theme"],
                "polarity": row["polarity"],
                "unit": row["unit"],
                "unit_label": row["unit_label"] or None,
                "multiplier": float(row["multiplier"]) if row["multiplier"] else None,
                "decimals": int(row["decimals"] or 1),
                "frequency": row["frequency"] or None,
                "rag_rule": row["rag_rule"] or "band",
                "definition": row["definition"],
                "curated": True,
                "sort_order": i - 1,
            }
            if row["period_type"]:
                rec["period_type"] = row["period_type"]
            records.append(rec)
    return records


def apply_catalogue(session: Session, *, create_missing: bool = True) -> int:
    """Mark curated indicators and write their curated fields.

    Indicators that no importer has created yet (adults' measures) are created with the curated
    fields alone when `create_missing` is true, so that local and demo data can load into them.
    """
    records = read_catalogue()
    existing = {code for (code,) in session.query(Indicator.code)}
    session.execute(update(Indicator).values(curated=False))
    todo = []
    for rec in records:
        if rec["code"] in existing:
            todo.append(rec)
        elif create_missing:
            todo.append({**rec, "name": rec["short_name"],
                         "source": "Local authority figures (Safeguarding Adults Collection "
                                   "layout) and partners' uploads",
                         "licence": OGL})
    return upsert_indicators(session, todo)
