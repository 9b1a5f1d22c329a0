"""Unit tests for the EES mapping (data/ees_mapping.toml) and its reader."""

from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest.catalogue import read_catalogue
from dashboard.ingest.ees import DEFAULT_MAPPING, read_mapping
from dashboard.ingest.errors import LoadError
from dashboard.periods import LAIT_YEAR_TYPES, YEAR_KINDS

POLARITY = {"High": "high", "Low": "low", "-": "none"}


def test_ees_mapping_declares_every_indicator_it_targets():
    """Every rule's indicator is declared once, with its period and a source."""
    mapping = read_mapping()
    targets = {r.indicator for f in mapping.files for r in f.rules}
    assert targets == set(mapping.indicators) | set(mapping.lait)
    assert not set(mapping.indicators) & set(mapping.lait)
    for rec in mapping.indicator_records():
        assert rec["source"].startswith("Department for Education, ")
        assert rec["licence"] == "Open Government Licence v3.0"
        assert rec["period_type"] in YEAR_KINDS
        assert rec["definition"]


def test_ees_mapping_fills_the_curated_codes_it_names():
    """The curated non-LAIT codes the brief names (NFA, long-term stability) are mapped."""
    mapping = read_mapping()
    curated = {str(r["code"]) for r in read_catalogue()}
    assert {"CIN_NFA_Pct", "CLA_LongTermStability_Pct"} <= set(mapping.indicators) & curated


def test_ees_mapping_lait_fallbacks_agree_with_lait_dictionary(data_dir: Path):
    """The LAIT codes' fallback name, polarity and period type are LAIT's own."""
    d = pd.read_csv(data_dir / "dfe/lait/lait_data_dictionary.csv", dtype=str,
                    keep_default_na=False, encoding="utf-8-sig").drop_duplicates("Measure_short")
    lait = d.set_index("Measure_short")
    for code, meta in read_mapping().lait.items():
        row = lait.loc[code]
        assert meta["name"] == row["Measure"], code
        assert meta["polarity"] == POLARITY[row["Polarity"]], code
        assert meta["period_type"] == LAIT_YEAR_TYPES[row["Year_Type"]], code


def test_ees_mapping_rejects_rule_whose_period_differs_from_indicator(tmp_path: Path):
    """A rule reading years differently from its indicator's period_type is refused by key."""
    text = DEFAULT_MAPPING.read_text(encoding="utf-8").replace(
        'indicator = "LAC"\nperiod = "snapshot_31_march"',
        'indicator = "LAC"\nperiod = "reporting_year"', 1)
    bad = tmp_path / "ees_mapping.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_mapping(bad)
    assert "files.cla_rates.rules[1].period" in str(err.value)
    assert "differs from the indicator's period_type" in str(err.value)


def test_ees_mapping_rejects_unknown_rule_kind(tmp_path: Path):
    """A rule of an unknown kind is refused, naming the rule."""
    text = DEFAULT_MAPPING.read_text(encoding="utf-8").replace('kind = "wide"', 'kind = "wider"')
    bad = tmp_path / "ees_mapping.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=r"files\.assessment_factors\.rules\[1\]\.kind"):
        read_mapping(bad)
