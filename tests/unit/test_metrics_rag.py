"""Unit tests for RAG status, rule and reason (dashboard.metrics.rag)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import (
    Interval,
    Rag,
    Significance,
    choose_rag,
    compare_to_benchmark,
    rag_by_band,
    rag_by_significance,
    rag_by_target,
)


def percent(value: float) -> str:
    return f"{value:.1f}%"


def test_rag_target_green_when_met_high():
    """High polarity: a value at or above the target is green."""
    for value in (80.0, 85.0):
        rag = rag_by_target(value, 80.0, "high")
        assert (rag.status, rag.label, rag.rule) == ("green", "Green", "target")
    assert (
        rag_by_target(80.0, 80.0, "high").reason
        == "Target 80: value 80 is at or above the target, so it is met"
    )


def test_rag_target_green_when_met_low():
    """Low polarity: a value at or below the target is green."""
    rag = rag_by_target(19.0, 20.0, "low", fmt=percent)
    assert rag.status == "green"
    assert rag.reason == "Target 20.0%: value 19.0% is at or below the target, so it is met"


def test_rag_target_amber_within_tolerance():
    """A miss by no more than 5% of the target is amber, and the reason says so."""
    rag = rag_by_target(20.5, 20.0, "low", fmt=percent)
    assert rag.status == "amber"
    assert (
        rag.reason == "Target 20.0%: value 20.5% misses the target by 0.5%, within the 5% tolerance"
    )


@pytest.mark.parametrize(("value", "polarity"), [(21.0, "low"), (19.0, "high")])
def test_rag_target_amber_on_tolerance_edge(value, polarity):
    """A miss of exactly 5% of the target is still amber despite floating-point rounding."""
    assert rag_by_target(value, 20.0, polarity).status == "amber"


def test_rag_target_red_beyond_tolerance():
    """A miss by more than the tolerance is red."""
    rag = rag_by_target(22.0, 20.0, "low", fmt=percent)
    assert rag.status == "red"
    assert rag.symbol == "▲"
    assert (
        rag.reason == "Target 20.0%: value 22.0% misses the target by 2.0%, beyond the 5% tolerance"
    )
    assert rag_by_target(18.9, 20.0, "high").status == "red"


def test_rag_target_custom_tolerance():
    """A wider tolerance turns the same miss amber; zero tolerance makes any miss red."""
    assert rag_by_target(22.0, 20.0, "low", tolerance=0.1).status == "amber"
    assert "10% tolerance" in rag_by_target(22.0, 20.0, "low", tolerance=0.1).reason
    assert rag_by_target(20.01, 20.0, "low", tolerance=0).status == "red"


def test_rag_target_negative_tolerance_raises():
    """A negative tolerance is a configuration error."""
    with pytest.raises(ValueError, match="tolerance"):
        rag_by_target(20.0, 20.0, "low", tolerance=-0.05)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "fragment"),
    [
        (None, 20.0, "low", "no value"),
        (20.0, None, "low", "no target"),
        (20.0, 20.0, "none", "better direction"),
    ],
)
def test_rag_target_without_value_target_or_direction_is_no_rag(value, target, polarity, fragment):
    """Without a value, a target or a better direction there is no target RAG, and it says why."""
    rag = rag_by_target(value, target, polarity)
    assert (rag.status, rag.label) == (None, "No RAG")
    assert rag.reason.startswith("No RAG: ")
    assert fragment in rag.reason


@pytest.mark.parametrize(
    ("band", "status", "label"),
    [
        ("A", "green", "Green"),
        ("B", "amber", "Amber"),
        ("C", "amber", "Amber"),
        ("D", "red", "Red"),
    ],
)
def test_rag_band_key(band, status, label):
    """Band A is green, B and C amber, D red (the key in partnership annual reports)."""
    rag = rag_by_band(band)
    assert (rag.status, rag.label, rag.rule) == (status, label, "band")
    assert rag.reason.startswith(f"Band {band}: ")


def test_rag_band_reason_quotes_rank():
    """The band reason names the quarter and quotes the rank."""
    rag = rag_by_band("D", "139 of 148")
    assert rag.reason == (
        "Band D: in the worst-performing quarter of English local authorities (rank 139 of 148)"
    )
    assert rag.text == "▲ Red"


def test_rag_band_missing_is_no_rag_and_invalid_raises():
    """No band gives no RAG with a reason; an unknown band letter is an error."""
    rag = rag_by_band(None)
    assert rag.status is None
    assert rag.reason.startswith("No RAG: no quartile band")
    with pytest.raises(ValueError):
        rag_by_band("E")


INTERVAL = Interval(20.0, 30.0, 0.95, "Wilson score")


@pytest.mark.parametrize(
    ("benchmark", "polarity", "status", "start"),
    [
        (15.0, "high", "green", "Better than England: significantly higher"),
        (25.0, "high", "amber", "Similar to England: the England value lies within"),
        (15.0, "low", "red", "Worse than England: significantly higher"),
    ],
)
def test_rag_significance_key(benchmark, polarity, status, start):
    """Better is green, similar amber, worse red, with the interval in the reason."""
    rag = rag_by_significance(compare_to_benchmark(INTERVAL, benchmark, polarity))
    assert (rag.status, rag.rule) == (status, "significance")
    assert rag.reason.startswith(start)
    assert "95% confidence interval" in rag.reason


def test_rag_significance_not_compared_or_no_direction_is_no_rag():
    """Not compared, or higher for a context measure, gives no RAG with a reason."""
    not_compared = rag_by_significance(Significance("not compared", None, None, "England"))
    assert not_compared.status is None
    assert not_compared.reason.startswith("No RAG: not compared with England")
    context = rag_by_significance(compare_to_benchmark(INTERVAL, 15.0, "none"))
    assert context.status is None
    assert "no better or worse direction" in context.reason


def test_rag_symbols_are_distinct_shapes():
    """Each status has its own symbol, so RAG never relies on colour alone."""
    rags = [rag_by_band("A"), rag_by_band("B"), rag_by_band("D"), rag_by_band(None)]
    assert len({rag.symbol for rag in rags}) == 4
    assert [rag.symbol for rag in rags] == ["●", "◆", "▲", "○"]


def test_choose_rag_polarity_none_has_no_rag():
    """A context measure never gets a RAG, even with a target or band."""
    rag = choose_rag("band", "none", value=50.0, target=40.0, band="D")
    assert rag == Rag(
        None,
        "No RAG",
        "○",
        "none",
        "No RAG: this is a context measure with no better or worse direction",
    )


def test_choose_rag_target_band_polarity_has_no_rag():
    """A measure best inside a range has no single direction, so no RAG."""
    assert choose_rag("band", "target_band", value=5.0, band="A").status is None


def test_choose_rag_target_wins_over_configured_rule():
    """A target for the period decides the RAG whatever the configured rule."""
    rag = choose_rag("band", "low", value=19.0, target=20.0, band="D", rank_text="139 of 148")
    assert (rag.status, rag.rule) == ("green", "target")
    sig = compare_to_benchmark(INTERVAL, 40.0, "high")
    assert (
        choose_rag("significance", "low", value=25.0, target=20.0, significance=sig).rule
        == "target"
    )


def test_choose_rag_band_is_default_rule_without_target():
    """Without a target the band rule applies."""
    rag = choose_rag("band", "low", value=30.2, band="D", rank_text="139 of 148")
    assert (rag.status, rag.rule) == ("red", "band")
    assert rag.reason.endswith("(rank 139 of 148)")


def test_choose_rag_target_rule_without_target_falls_back_to_band():
    """The target rule with no target for the period uses the band, the documented default."""
    rag = choose_rag("target", "high", value=70.0, band="B")
    assert (rag.status, rag.rule) == ("amber", "band")


def test_choose_rag_significance_rule():
    """The significance rule uses the comparison with the benchmark."""
    sig = compare_to_benchmark(INTERVAL, 40.0, "low")
    rag = choose_rag("significance", "low", value=25.0, band="D", significance=sig)
    assert (rag.status, rag.rule) == ("green", "significance")


@pytest.mark.parametrize(
    ("rule", "kwargs", "fragment"),
    [
        ("band", {"value": 25.0}, "No RAG: no quartile band"),
        ("significance", {"value": 25.0}, "No RAG: not compared with a benchmark"),
        ("band", {"value": None, "band": "A"}, "No RAG: no value for this period"),
    ],
)
def test_choose_rag_missing_inputs_say_what_is_missing(rule, kwargs, fragment):
    """When the rule lacks its input, the reason says what is missing."""
    rag = choose_rag(rule, "high", **kwargs)
    assert rag.status is None
    assert rag.label == "No RAG"
    assert rag.reason.startswith(fragment)


def test_choose_rag_unknown_rule_raises():
    """A misspelt rule in the catalogue is an error, not silently no RAG."""
    with pytest.raises(ValueError, match="unknown RAG rule"):
        choose_rag("quartile", "high", value=1.0, band="A")


@settings(database=None)
@given(
    rule=st.sampled_from(["band", "significance", "target"]),
    polarity=st.sampled_from(["high", "low", "none", "target_band"]),
    value=st.one_of(st.none(), st.floats(-100, 100)),
    target=st.one_of(st.none(), st.floats(-100, 100)),
    band=st.one_of(st.none(), st.sampled_from("ABCD")),
)
def test_choose_rag_always_explains_itself(rule, polarity, value, target, band):
    """Every RAG has a reason, and its label and symbol agree with its status."""
    rag = choose_rag(rule, polarity, value=value, target=target, band=band)
    assert rag.reason and rag.reason[0].isupper()
    assert (rag.status is None) == (rag.label == "No RAG") == rag.reason.startswith("No RAG")
    assert rag.rule in {"target", "band", "significance", "none"}
    if polarity in ("none", "target_band"):
        assert rag.status is None
