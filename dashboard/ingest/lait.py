"""Import the DfE's Local Authority Interactive Tool (LAIT) long data and its dictionary.

Indicators keep LAIT's measure code (`Short Desc`) so that users can match them to the DfE's own
tool. Year labels are read by the measure's `Year_Type` (a "Financial Year" measure's `2020` is the
year to 31 March 2020; an "Annual" one's is the 31 March snapshot). LAIT marks missing values
with `-`, which is kept as a suppression symbol, never a zero.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.errors import LoadError, Problem
from dashboard.ingest.reference import upsert_indicators
from dashboard.ingest.writer import LoadResult, run_load
from dashboard.periods import LAIT_YEAR_TYPES, PeriodError, parse_year_label

OGL = "Open Government Licence v3.0"
DATA_COLUMNS = ("Short Desc", "Years", "Values", "LA Number")
DICTIONARY_COLUMNS = ("Measure_short", "Measure", "Polarity", "y_axis_name", "Year_Type")
CHILDREN_TOPICS = {
    "Child Protection", "Children in Need", "Children Looked After",
    "Children's Services Workforce", "Adoption", "Youth Offending",
}
POLARITY = {"High": "high", "Low": "low", "-": "none"}
SYMBOLS = {"-", "c", "k", "u", "x", "z", "low", "[c]", "[x]", ":", ".."}


def _unit(axis: str, measure: str) -> tuple[str, str | None, float | None]:
    text = f"{axis} {measure}".lower()
    m = re.search(r"per\s*([\d,]+)", text)
    if "rate per" in text and m:
        mult = float(m.group(1).replace(",", ""))
        who = "children" if "live births" not in text else "live births"
        return "rate", f"per {int(mult):,} {who}", mult
    is_percent = axis.strip().startswith("%") or "percent" in text or "%" in measure
    if is_percent or "rate" in axis.lower():
        return "percent", "%", 100.0
    return "number", None, None


def _text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    return None if s in ("", "NA", "N/A") else s


def dictionary_records(path: Path) -> list[dict[str, object]]:
    """Indicator records from `lait_data_dictionary.csv`, checking its columns first."""
    d = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in DICTIONARY_COLUMNS if c not in d.columns]
    if missing:
        raise LoadError([Problem(path.name, 1, c, None, "required column is missing")
                         for c in missing])
    d = d.drop_duplicates("Measure_short")
    records = []
    for r in d.to_dict("records"):
        unit, label, mult = _unit(r["y_axis_name"], r["Measure"])
        dps = _text(r.get("dps"))
        owner = _text(r.get("Data Owner (DO) /Supplier and Contact Details"))
        records.append({
            "code": r["Measure_short"],
            "name": r["Measure"],
            "short_name": _text(r.get("Chart_title")) or r["Measure"],
            "domain": "children" if r.get("Topic") in CHILDREN_TOPICS else "context",
            "topic": _text(r.get("Topic")),
            "unit": unit,
            "unit_label": label,
            "multiplier": mult,
            "decimals": int(float(dps)) if dps else 1,
            "polarity": POLARITY.get(r["Polarity"], "none"),
            "frequency": "annual",
            "period_type": LAIT_YEAR_TYPES.get(r["Year_Type"], "reporting_year"),
            "definition": _text(r.get("Description")),
            "methodology": _text(r.get("Methodology")),
            "source": "Department for Education, Local Authority Interactive Tool (LAIT)"
                      + (f"; data owner: {owner.splitlines()[0]}" if owner else ""),
            "source_url": _text(r.get("Hyperlink(s)")),
            "licence": OGL,
            "banded": _text(r.get("No_Quartile")) != "N",
        })
    return records


def parse_lait(path: Path, kinds: dict[str, str], measures: set[str] | None = None) -> pd.DataFrame:
    """Read LAIT long data into a batch; raise `LoadError` listing every bad cell."""
    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str)
    missing = [c for c in DATA_COLUMNS if c not in df.columns]
    if missing:
        raise LoadError([Problem(path.name, 1, c, None, "required column is missing")
                         for c in missing])
    df = df.reset_index(drop=True)
    df["row"] = df.index + 2  # as a spreadsheet would number it, after the header
    if measures is not None:
        df = df[df["Short Desc"].isin(measures)]
    problems: list[Problem] = []
    unknown = df[~df["Short Desc"].isin(kinds)]
    for r in unknown.drop_duplicates("Short Desc").itertuples():
        problems.append(Problem(path.name, r.row, "Short Desc", r._1,
                                "measure is not in the LAIT data dictionary"))
    values = df["Values"].astype("string").str.strip()
    numeric = pd.to_numeric(values, errors="coerce")
    symbol = values.where(numeric.isna())
    bad_value = symbol.notna() & ~symbol.str.lower().isin(SYMBOLS)
    for r in df[bad_value].head(100).itertuples():
        problems.append(Problem(path.name, r.row, "Values", str(r.Values),
                                "is neither a number nor a known suppression symbol"))
    periods: dict[tuple[str, str], tuple[object, str] | None] = {}
    for code, label in df[["Short Desc", "Years"]].drop_duplicates().itertuples(index=False):
        try:
            periods[(code, label)] = parse_year_label(label, kinds.get(code, "reporting_year"))
        except PeriodError:
            periods[(code, label)] = None
    parsed = [periods[k] for k in zip(df["Short Desc"], df["Years"], strict=True)]
    no_period = pd.Series([p is None for p in parsed], index=df.index)
    # LAIT carries a placeholder year "0" whose cells are all "-": nothing to keep, so skip it.
    bad_period = no_period & numeric.notna()
    for r in df[bad_period].head(100).itertuples():
        problems.append(Problem(path.name, r.row, "Years", str(r.Years),
                                "is not a period label this dashboard can read"))
    if problems:
        raise LoadError(problems)
    keep = ~no_period
    la = df["LA Number"].astype(float)
    out = pd.DataFrame({
        "indicator": df["Short Desc"],
        "area": la.astype("Int64").astype(object),
        "period": [p[0] if p else None for p in parsed],
        "status": [p[1] if p else None for p in parsed],
        "value": numeric.astype(float),
        "suppression": symbol.astype(object),
        "row": df["row"],
    })[keep]
    out["area"] = out["area"].map(int)
    out["suppression"] = out["suppression"].where(out["suppression"].notna(), None)
    return out


def load_lait(
    engine: Engine, data_path: Path, dictionary_path: Path, *, loaded_by: str = "system",
    measures: set[str] | None = None,
) -> LoadResult:
    """Load the LAIT dictionary (as indicators) and the long data, in one transaction."""
    records = dictionary_records(dictionary_path)
    kinds = {str(r["code"]): str(r["period_type"]) for r in records}

    def prepare(s: Session) -> None:
        upsert_indicators(s, records)
        apply_catalogue(s)

    return run_load(engine, "lait", data_path, lambda s: parse_lait(data_path, kinds, measures),
                    loaded_by=loaded_by, before_write=prepare, keep_detail=True)
