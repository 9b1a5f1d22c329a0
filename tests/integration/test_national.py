"""The whole real data set loaded by the first-run loader, checked against published figures."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from dashboard.queries import comparator_group
from dashboard.scorecard import build_scorecard
from dashboard.store.models import Area, ComparatorGroup, Indicator, Observation


def _count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(model)))


def test_national_load_counts(national):
    """Every LAIT measure, the EES indicators, all areas and both neighbour vintages are stored."""
    assert _count(national, Observation) > 640_000
    assert _count(national, Indicator) >= 434
    assert _count(national, Area) >= 165
    with national.connect() as c:
        vintages = set(c.scalars(select(ComparatorGroup.vintage)))
    assert {"2021", "2025", "demo"} <= vintages


def test_southend_rereferrals_2020_match_lait(national):
    """Southend re-referrals 2020 = 30.2% and England 22.6% (METHODS.md worked example)."""
    sc = build_scorecard(national, "E06000033", "children", vintage="2021", as_at="2020",
                         codes=["ReReferral"])
    row = sc.rows[0]
    assert row.value == pytest.approx(30.2)
    assert row.england == pytest.approx(22.6)
    assert row.neighbours.value == pytest.approx(24.51, abs=0.01)
    assert row.neighbours.reporting_text == "9 of 10"
    assert row.position.rank_text == "139 of 148"
    assert row.position.band == "D"
    assert row.rag.status == "red"
    assert "Band D" in row.rag.reason


def test_southend_rereferrals_2025_band_b(national):
    """The latest re-referral rate is 17.1% (2025), band B, amber."""
    sc = build_scorecard(national, "E06000033", "children", codes=["ReReferral"])
    row = sc.rows[0]
    assert row.period is not None and row.period.label == "2025"
    assert row.value == pytest.approx(17.1)
    assert row.position.band == "B"
    assert row.rag.status == "amber"


def test_neighbours_2021_vintage_in_dfe_order(national):
    """Southend's 2021 neighbours are the DfE's ten, closest first, with closeness labels."""
    with national.connect() as c:
        area_id = c.scalar(select(Area.id).where(Area.code == "E06000033"))
    group = comparator_group(national, area_id, "children", "2021")
    assert group is not None
    names = [n.area.name for n in group.neighbours]
    assert names[0] == "Bournemouth, Christchurch and Poole"
    assert names[-1] == "Essex"
    assert len(names) == 10
    assert {n.closeness for n in group.neighbours} == {"Very close"}


def test_local_real_values_win_over_synthetic(national):
    """Southend's published conversion rate (64% in 2019-20) is stored, not flagged synthetic."""
    sc = build_scorecard(national, "E06000033", "adults", codes=["ASC_Conversion_Pct"],
                         as_at="2019-20")
    row = sc.rows[0]
    assert row.value == 64
    assert row.synthetic is False
    latest = build_scorecard(national, "E06000033", "adults", codes=["ASC_Conversion_Pct"])
    assert latest.rows[0].synthetic is True
    assert "Synthetic demo data" in latest.rows[0].narrative


def test_scorecard_children_has_every_theme_and_narratives(national):
    """The children's scorecard covers its themes; each indicator with data has a sentence."""
    sc = build_scorecard(national, "E06000033", "children")
    themes = {r.theme for r in sc.rows}
    assert {"Front door", "Child protection", "Care leavers", "Workforce"} <= themes
    with_data = [r for r in sc.rows if r.value is not None]
    assert len(with_data) >= 20
    assert all(r.narrative and r.period is not None for r in with_data)
    assert sum(sc.counts.values()) == len(sc.rows)


def test_polarity_none_never_gets_rag_or_better(national):
    """Context measures are shown neutrally: no RAG, no better/worse wording."""
    sc = build_scorecard(national, "E06000033", "children", codes=["CIN", "LAC"])
    for r in sc.rows:
        assert r.rag.status is None
        assert "better" not in r.narrative and "worse" not in r.narrative


def test_local_only_and_count_measures_are_not_ranked(national):
    """A partner's local-only measure and raw counts get no rank, band or England comparison."""
    sc = build_scorecard(national, "E06000033", "partnership")
    for r in sc.rows:
        assert r.position.rank is None and r.position.band is None
        assert r.rag.status is None or r.rag.rule == "target"
    counts = build_scorecard(national, "E06000033", "adults", codes=["ASC_Concerns_Count"],
                             as_at="2019-20")
    assert "England" not in counts.rows[0].narrative
