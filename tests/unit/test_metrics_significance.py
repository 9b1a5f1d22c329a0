"""Unit tests for significance against a benchmark (dashboard.metrics.significance)."""

import pytest

from dashboard.metrics import (
    Interval,
    Significance,
    compare_to_benchmark,
    compare_two_levels,
    proportion_interval,
)

I95 = Interval(20.0, 30.0, 0.95, "Wilson score")
I998 = Interval(17.0, 33.0, 0.998, "Wilson score")


def test_significance_similar_when_benchmark_inside_interval():
    """A benchmark inside the 95% interval is "similar"."""
    result = compare_to_benchmark(I95, 25.0, "high")
    assert result == Significance("similar", "similar", 0.95, "England")


def test_significance_benchmark_on_limit_is_similar():
    """A benchmark exactly on a limit counts as inside the interval."""
    assert compare_to_benchmark(I95, 20.0, "low").outcome == "similar"
    assert compare_to_benchmark(I95, 30.0, "low").outcome == "similar"


@pytest.mark.parametrize(
    ("benchmark", "polarity", "outcome", "judgement"),
    [
        (15.0, "high", "higher", "better"),
        (35.0, "high", "lower", "worse"),
        (15.0, "low", "higher", "worse"),
        (35.0, "low", "lower", "better"),
    ],
)
def test_significance_polarity_turns_outcome_into_judgement(
    benchmark, polarity, outcome, judgement
):
    """Higher/lower become better/worse according to polarity."""
    result = compare_to_benchmark(I95, benchmark, polarity)
    assert (result.outcome, result.judgement, result.level) == (outcome, judgement, 0.95)


@pytest.mark.parametrize("polarity", ["none", "target_band"])
def test_significance_polarity_none_has_no_judgement(polarity):
    """Context measures say higher/lower/similar but never better, worse or similar-as-judgement."""
    assert compare_to_benchmark(I95, 15.0, polarity).outcome == "higher"
    assert compare_to_benchmark(I95, 15.0, polarity).judgement is None
    assert compare_to_benchmark(I95, 25.0, polarity).outcome == "similar"
    assert compare_to_benchmark(I95, 25.0, polarity).judgement is None


def test_significance_not_compared_without_interval_or_benchmark():
    """No interval (no count and denominator) or no benchmark gives "not compared"."""
    for result in (
        compare_to_benchmark(None, 25.0, "high"),
        compare_to_benchmark(I95, None, "high"),
    ):
        assert result == Significance("not compared", None, None, "England")


def test_significance_uses_benchmark_name():
    """The benchmark's name is carried for the sentence."""
    result = compare_to_benchmark(I95, 15.0, "high", benchmark_name="the neighbour average")
    assert result.benchmark_name == "the neighbour average"
    assert result.text == "Higher than the neighbour average (better), at 95% confidence"


def test_significance_from_wilson_interval_against_england():
    """30 of 100 (21.9% to 39.6%) is similar to England's 22.6 but lower than 40."""
    interval = proportion_interval(30, 100)
    assert compare_to_benchmark(interval, 22.6, "low").outcome == "similar"
    assert compare_to_benchmark(interval, 40.0, "low").judgement == "better"


def test_significance_two_levels_records_998_when_stricter_interval_also_excludes():
    """A difference that survives the 99.8% interval is recorded at level 0.998."""
    result = compare_two_levels(I95, I998, 10.0, "high")
    assert (result.outcome, result.judgement, result.level) == ("higher", "better", 0.998)
    assert result.text == "Higher than England (better), at 99.8% confidence"


def test_significance_two_levels_stays_95_when_998_includes_benchmark():
    """If the 99.8% interval includes the benchmark the 95% result stands."""
    result = compare_two_levels(I95, I998, 18.0, "high")
    assert (result.outcome, result.level) == ("higher", 0.95)


def test_significance_two_levels_similar_and_missing():
    """Similar at 95% stays similar; a missing 99.8% interval means 95% only."""
    assert compare_two_levels(I95, I998, 25.0, "low").level == 0.95
    assert compare_two_levels(I95, None, 10.0, "low").level == 0.95
    assert compare_two_levels(None, I998, 10.0, "low").outcome == "not compared"


def test_significance_text_for_each_outcome():
    """Every outcome has a readable sentence."""
    assert compare_to_benchmark(I95, 25.0, "high").text == "Similar to England at 95% confidence"
    assert compare_to_benchmark(I95, 15.0, "none").text == "Higher than England, at 95% confidence"
    assert compare_to_benchmark(None, 15.0, "high").text.startswith("Not compared with England")
