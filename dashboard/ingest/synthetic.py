"""Seeded, reproducible synthetic adults' safeguarding series for every LA, region and England.

No all-LA adults' safeguarding file is available here (NHS England publishes the Safeguarding
Adults Collection, but not to this repository), so the demo needs comparators that look like the
real thing. Every value written here carries the synthetic flag and is shown as "synthetic demo
data"; real values (e.g. Southend's published figures) always win: the generator never replaces a
non-synthetic value, and a later real load replaces synthetic ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.writer import LoadResult, run_load
from dashboard.periods import financial_year
from dashboard.store.db import session_scope
from dashboard.store.models import Area, ComparatorGroup, ComparatorMember

SEED = 20_201
FIRST_YEAR, LAST_YEAR = 2015, 2024  # financial years 2015-16 to 2024-25
SOURCE_NAME = f"synthetic adults' demo series (seed {SEED})"
ADULTS_GROUP_NAME = (
    "Adults' comparator group (demo): the DfE 2025 children's statistical neighbours reused, "
    "because no published adults' grouping is available here"
)


def _round5(x: np.ndarray) -> np.ndarray:
    # Published adults' safeguarding counts are rounded to the nearest 5.
    return np.maximum(5, np.round(x / 5) * 5)


def generate(areas: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """A batch of synthetic adults' observations for the given LAs (with `id`, `code`).

    Regions and England are pooled from their LAs, as the real collection's totals are.
    """
    rng = np.random.default_rng(seed)
    las = areas[areas["type"] == "la"].reset_index(drop=True)
    n = len(las)
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    adults = rng.uniform(110_000, 1_200_000, n).round(-2)
    base_rate = rng.lognormal(np.log(1500), 0.35, n)  # concerns per 100,000 adults
    growth = rng.normal(0.04, 0.03, n)
    conversion = np.clip(rng.normal(0.32, 0.12, n), 0.08, 0.85)
    frames = []
    for t, year in enumerate(years):
        period = financial_year(year)
        live = [
            (las.loc[i, "valid_from"] is None or las.loc[i, "valid_from"] <= period.end)
            and (las.loc[i, "valid_to"] is None or las.loc[i, "valid_to"] >= period.start)
            for i in range(n)
        ]
        pop = adults * (1 + 0.006 * t)
        concerns = _round5(pop / 1e5 * base_rate * (1 + growth) ** t * rng.normal(1, 0.06, n))
        people = _round5(concerns * np.clip(rng.normal(0.68, 0.06, n), 0.4, 0.95))
        started = _round5(concerns * np.clip(conversion + rng.normal(0, 0.03, n), 0.05, 0.95))
        concluded = _round5(started * np.clip(rng.normal(0.97, 0.05, n), 0.7, 1.2))
        risk_found = _round5(concluded * np.clip(rng.normal(0.72, 0.08, n), 0.3, 0.98))
        risk_reduced = np.minimum(risk_found, _round5(risk_found * np.clip(
            rng.normal(0.91, 0.04, n), 0.6, 1.0)))
        asked = np.minimum(concluded, _round5(concluded * np.clip(
            rng.normal(0.80, 0.09, n), 0.4, 1.0)))
        expressed = np.minimum(asked, _round5(asked * np.clip(rng.normal(0.78, 0.08, n), 0.4, 1)))
        achieved = np.minimum(expressed, _round5(expressed * np.clip(
            rng.normal(0.94, 0.03, n), 0.7, 1.0)))
        dols = _round5(pop / 1e5 * rng.lognormal(np.log(520), 0.3, n) * (1 + 0.03 * t))
        counts = {
            "concerns": concerns, "people": people, "started": started, "concluded": concluded,
            "risk_found": risk_found, "risk_reduced": risk_reduced, "asked": asked,
            "expressed": expressed, "achieved": achieved, "dols": dols, "pop": pop,
        }
        frame = pd.DataFrame({"area": las["code"], "region": las["region_code"], **counts})
        frame = frame[live]
        frames.append((period, frame))
    rows = []
    specs = {
        # code: (numerator, denominator, multiplier)
        "ASC_Concerns_Rate": ("concerns", "pop", 100_000),
        "ASC_Individuals_Concerns_Rate": ("people", "pop", 100_000),
        "ASC_S42_Started_Rate": ("started", "pop", 100_000),
        "ASC_S42_Concluded_Rate": ("concluded", "pop", 100_000),
        "ASC_DoLS_Rate": ("dols", "pop", 100_000),
        "ASC_Conversion_Pct": ("started", "concerns", 100),
        "ASC_Risk_Reduced_Pct": ("risk_reduced", "risk_found", 100),
        "ASC_MSP_Asked_Pct": ("asked", "concluded", 100),
        "ASC_MSP_Achieved_Pct": ("achieved", "expressed", 100),
    }
    for period, frame in frames:
        groups = [frame]
        regional = frame.drop(columns="area").groupby("region", as_index=False).sum()
        regional["area"] = regional["region"]
        national = frame.drop(columns=["area", "region"]).sum().to_frame().T
        national["area"] = "E92000001"
        groups += [regional, national]
        for g in groups:
            for code, (num, den, mult) in specs.items():
                for area, x, d in zip(g["area"], g[num], g[den], strict=True):
                    rows.append({"indicator": code, "area": area, "period": period,
                                 "value": round(float(x) / float(d) * mult, 1),
                                 "numerator": float(x), "denominator": float(round(d)),
                                 "synthetic": True, "status": "final",
                                 "note": "Synthetic demo data: not a published figure"})
    return pd.DataFrame(rows)


def _areas(session: Session) -> pd.DataFrame:
    return pd.DataFrame(
        [{"id": a.id, "code": a.code, "type": a.type, "region_code": a.region_code,
          "valid_from": a.valid_from, "valid_to": a.valid_to}
         for a in session.scalars(select(Area).order_by(Area.dfe_number))]
    )


def ensure_adults_group(session: Session) -> None:
    """The demo adults' comparator group, flagged synthetic."""
    children = session.scalar(select(ComparatorGroup).where(ComparatorGroup.kind == "children")
                              .order_by(ComparatorGroup.vintage.desc()))
    if children is None:
        return
    group = session.scalar(select(ComparatorGroup).where(ComparatorGroup.kind == "adults",
                                                         ComparatorGroup.vintage == "demo"))
    if group is None:
        group = ComparatorGroup(kind="adults", vintage="demo", name=ADULTS_GROUP_NAME,
                                source=f"Copied from {children.name}", synthetic=True)
        session.add(group)
        session.flush()
    session.execute(delete(ComparatorMember).where(ComparatorMember.group_id == group.id))
    session.add_all(
        ComparatorMember(group_id=group.id, area_id=m.area_id, position=m.position,
                         neighbour_id=m.neighbour_id, closeness=m.closeness)
        for m in session.scalars(select(ComparatorMember)
                                 .where(ComparatorMember.group_id == children.id))
    )


def load_synthetic_adults(engine: Engine, *, seed: int = SEED,
                          loaded_by: str = "system") -> LoadResult:
    """Write the demo series (never over real values) and the demo adults' group."""
    with session_scope(engine) as s:
        apply_catalogue(s)
        ensure_adults_group(s)
    marker = Path(f"synthetic-adults-demo-seed-{seed}")
    return run_load(engine, "synthetic", marker, lambda s: generate(_areas(s), seed),
                    loaded_by=loaded_by, keep_real=True)


