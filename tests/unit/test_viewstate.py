"""ViewState: readable query strings that round-trip, and notices instead of crashes."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.viewstate import KEYS, SHARED_KEYS, Choices, ViewState, next_sort

CHOICES = Choices(
    areas={"E06000033": "Southend-on-Sea", "E06000034": "Thurrock", "E08000035": "Leeds"},
    themes={"children": ["Front door", "Workforce"], "adults": ["Concerns"],
            "partnership": []},
    indicators={"ReReferral": "children", "ASC_Concerns_Rate": "adults"},
    vintages={"children": ["2025", "2021"], "adults": ["demo"], "partnership": ["2025"]},
    home_area="E06000033",
)


def _query(qs: str) -> dict[str, str | list[str]]:
    """Parse a query string as Dash Pages does before calling layout(**query)."""
    return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(qs, keep_blank_values=True).items()}


def test_viewstate_query_is_readable_and_ordered():
    """The query uses plain keys in a fixed order, with commas kept in lists."""
    s = ViewState(area="E06000033", indicator="ReReferral", neighbours=("E06000058", "E08000035"),
                  from_=2016, to=2024)
    assert s.to_query() == ("area=E06000033&domain=children&indicator=ReReferral"
                            "&neighbours=E06000058,E08000035&from=2016&to=2024")


def test_viewstate_round_trip_every_key():
    """Every key survives to_query then from_query unchanged."""
    s = ViewState(area="E06000033", domain="adults", theme="Making Safeguarding Personal",
                  indicator="ASC_MSP_Asked_Pct", neighbours=("E06000034",), from_=2015, to=2022,
                  period="2019-20", vintage="demo", rag=("red", "amber"), worse=True,
                  sort="-rank")
    back = ViewState.from_query(_query(s.to_query()))
    assert back == s and back.notices == ()


@given(area=st.sampled_from(sorted(CHOICES.areas)), start=st.integers(1990, 2100),
       span=st.integers(0, 20), worse=st.booleans(),
       rag=st.sets(st.sampled_from(["red", "amber", "green", "none"])))
def test_viewstate_round_trip_property(area, start, span, worse, rag):
    """Any valid state round-trips through its query string."""
    order = [r for r in ("red", "amber", "green", "none") if r in rag]
    s = ViewState(area=area, from_=start, to=min(start + span, 2100), worse=worse,
                  rag=tuple(order))
    assert ViewState.from_query(_query(s.to_query())) == s


def test_viewstate_only_listed_keys_are_written():
    """to_query(keys) writes only those keys; shared_query carries the control bar."""
    s = ViewState(area="E06000033", theme="Workforce", indicator="ReReferral", vintage="2021")
    assert s.to_query(("area", "indicator")) == "area=E06000033&indicator=ReReferral"
    assert s.shared_query() == "area=E06000033&domain=children&theme=Workforce&vintage=2021"
    assert set(SHARED_KEYS) <= set(KEYS)


def test_viewstate_unknown_key_gives_notice():
    """An unknown key is ignored with a notice naming it."""
    s = ViewState.from_query({"area": "E06000033", "colour": "blue"})
    assert s.area == "E06000033"
    assert len(s.notices) == 1 and "colour" in s.notices[0]


@pytest.mark.parametrize("key, value, word", [
    ("area", "Southend", "ONS code"), ("domain", "police", "children"),
    ("from", "20x0", "year"), ("to", "1800", "year"), ("period", "last year", "2020"),
    ("worse", "maybe", "1 or 0"), ("sort", "colour", "rank"),
])
def test_viewstate_invalid_value_gives_notice(key, value, word):
    """A malformed value is dropped (the default stays) with a notice saying what is wanted."""
    s = ViewState.from_query({key: value})
    assert s == ViewState()
    assert len(s.notices) == 1 and word in s.notices[0]


def test_viewstate_partial_lists_keep_good_items():
    """Bad neighbour codes and RAG words are dropped one by one; good ones stay."""
    s = ViewState.from_query({"neighbours": "E06000034,leeds,E08000035", "rag": "red,pink"})
    assert s.neighbours == ("E06000034", "E08000035") and s.rag == ("red",)
    assert len(s.notices) == 2


def test_viewstate_repeated_key_uses_last_with_notice():
    """A key given twice uses the last value and says so."""
    s = ViewState.from_query(_query("area=E06000034&area=E06000033"))
    assert s.area == "E06000033" and "more than once" in s.notices[0]


def test_viewstate_from_after_to_is_swapped():
    """A "from" year later than "to" is swapped, with a notice."""
    s = ViewState.from_query({"from": "2024", "to": "2018"})
    assert (s.from_, s.to) == (2018, 2024) and "swapped" in s.notices[0]


def test_viewstate_lowercase_area_is_accepted():
    """Area codes are case-insensitive."""
    assert ViewState.from_query({"area": "e06000033"}).area == "E06000033"


def test_validated_fills_default_area():
    """No area in the URL means the configured home area."""
    assert ViewState().validated(CHOICES).area == "E06000033"


def test_validated_unknown_area_falls_back_with_notice():
    """A well-formed code that is no English LA falls back to the home area, with a notice."""
    s = ViewState(area="E06999999").validated(CHOICES)
    assert s.area == "E06000033" and "Southend-on-Sea" in s.notices[0]


def test_validated_indicator_sets_domain():
    """An adults' indicator opens in the adults' domain."""
    s = ViewState(indicator="ASC_Concerns_Rate").validated(CHOICES)
    assert s.domain == "adults" and s.notices == ()


def test_validated_drops_unknown_theme_vintage_indicator_and_neighbours():
    """Values the store does not hold are dropped with one notice each."""
    s = ViewState(theme="Gardening", vintage="1999", indicator="Nope",
                  neighbours=("E06000034", "E09999999")).validated(CHOICES)
    assert (s.theme, s.vintage, s.indicator) == (None, None, None)
    assert s.neighbours == ("E06000034",)
    assert len(s.notices) == 4


def test_validated_keeps_earlier_notices():
    """Notices from parsing are kept when validating."""
    s = ViewState.from_query({"foo": "1"}).validated(CHOICES)
    assert any("foo" in n for n in s.notices)


def test_next_sort_cycles():
    """A heading click goes ascending, descending, then unsorted; another column restarts."""
    assert next_sort(None, "rank") == "rank"
    assert next_sort("rank", "rank") == "-rank"
    assert next_sort("-rank", "rank") is None
    assert next_sort("-rank", "rag") == "rag"
