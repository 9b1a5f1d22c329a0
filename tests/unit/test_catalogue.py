"""The curated catalogue and the mapping files are complete and consistent."""

from __future__ import annotations

import csv

import pandas as pd

from dashboard.ingest.catalogue import read_catalogue
from dashboard.ingest.lait import _unit
from dashboard.ingest.local import measure_codes
from dashboard.settings import DATA_DIR


def test_catalogue_rows_have_polarity_theme_and_definition():
    """Every curated indicator has a valid polarity, a theme and a plain-English definition."""
    rows = read_catalogue()
    assert len(rows) >= 40
    for r in rows:
        assert r["polarity"] in {"high", "low", "none", "target_band"}
        assert r["theme"]
        assert len(str(r["definition"])) > 30


def test_catalogue_covers_every_required_theme():
    """The children's and adults' themes the issue names are all present."""
    themes = {(r["domain"], r["theme"]) for r in read_catalogue()}
    for t in ("Front door", "Assessment", "Child protection", "Children in need",
              "Children looked after", "Care leavers", "Workforce"):
        assert ("children", t) in themes
    for t in ("Concerns", "Enquiries", "Outcomes", "Making Safeguarding Personal", "DoLS"):
        assert ("adults", t) in themes


def test_catalogue_codes_are_unique():
    """No indicator appears twice in the curated list."""
    codes = [r["code"] for r in read_catalogue()]
    assert len(codes) == len(set(codes))


def test_demand_measures_carry_no_polarity():
    """Referral, CIN, CP plan and CLA rates are context measures (CATALOGUE.md)."""
    pol = {r["code"]: r["polarity"] for r in read_catalogue()}
    for code in ("CPP_Total_Rateper10,000", "CIN", "CPP_rate", "LAC", "CPP_Abuse_Rate"):
        assert pol[code] == "none"
    assert pol["ReReferral"] == "low"


def test_local_measures_map_to_catalogue_codes():
    """Every local measure name maps to a curated indicator."""
    codes = {r["code"] for r in read_catalogue()}
    assert set(measure_codes().values()) <= codes


def test_lait_units_from_axis_names():
    """LAIT axis names become units and multipliers."""
    assert _unit("Rate per 10,000", "Children in Need rate per 10,000") == \
        ("rate", "per 10,000 children", 10000.0)
    assert _unit("% of referrals", "Re-referrals")[0] == "percent"
    assert _unit("Case Load", "Average number of cases")[0] == "number"


def test_area_changes_file_is_well_formed():
    """Validity dates for merged and split LAs parse as dates."""
    with open(DATA_DIR / "area_changes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["dfe_number"] for r in rows} >= {"928", "940", "941", "909", "839"}
    for r in rows:
        for col in ("valid_from", "valid_to"):
            if r[col]:
                pd.Timestamp(r[col])
