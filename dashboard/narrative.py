"""Plain-English sentences about one indicator, from the numbers the scorecard computed.

METHODS.md: latest value and period, change since the previous period, the comparison with the
neighbour average ("n of 10") and England, rank and band, trend. Comparisons are worded with a
robust score (median and MAD of the set the sentence names, without the home area); "better"
and "worse" appear only where the polarity allows; a comparison with no data gets no words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.metrics import robust_comparison

if TYPE_CHECKING:
    from dashboard.scorecard import IndicatorSummary

BAND_WORDS = {
    "A": "the best quarter of English local authorities",
    "B": "the second-best quarter",
    "C": "the second-worst quarter",
    "D": "the worst quarter",
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def narrative(s: IndicatorSummary) -> str:
    """One to three sentences about the indicator's latest (or as-at) period."""
    if s.period is None:
        return f"There are no figures for {s.name.lower()} for this area."
    when = s.period.describe()
    if s.value is None:
        symbol = f" (shown as '{s.suppression}')" if s.suppression else ""
        return (f"The figure for {_lower_first(s.name)} {when} is not available or was "
                f"suppressed{symbol}, so it is not compared.")
    value = s.fmt(s.value)
    if s.previous_value is not None and s.previous_period is not None:
        prev = s.fmt_short(s.previous_value)
        if s.direction.arrow == "up":
            first = f"{s.name} rose from {prev} to {value} {when}"
        elif s.direction.arrow == "down":
            first = f"{s.name} fell from {prev} to {value} {when}"
        else:
            first = f"{s.name} was unchanged at {value} {when}"
    else:
        first = f"{s.name} was {value} {when}"
    comparisons = []
    judgements = []
    if s.neighbours.value is not None:
        nb_others = [v["value"] for v in s.neighbour_values]
        c = robust_comparison(s.value, nb_others, s.polarity)
        if c.phrase:
            comparisons.append(
                f"{c.phrase} the statistical neighbour average ({s.fmt_short(s.neighbours.value)}, "
                f"{s.neighbours.reporting_text} neighbours reporting)")
            judgements.append(("statistical neighbours", c.judgement))
    if s.england is not None:
        c = robust_comparison(s.value, s.all_la_values, s.polarity)
        if c.phrase:
            comparisons.append(f"{c.phrase} England ({s.fmt_short(s.england)})")
            judgements.append(("England", c.judgement))
    text = first
    if comparisons:
        text += ": " + " and ".join(comparisons)
    text += "."
    said = [j for j in judgements if j[1]]
    if said:
        if len({j for _, j in said}) == 1:
            whom = " and ".join(n for n, _ in said)
            text += f" That is {said[0][1]} than {whom}."
        else:
            text += " That is " + ", but ".join(f"{j} than {n}" for n, j in said) + "."
    if s.position.rank is not None:
        band = f", band {s.position.band} ({BAND_WORDS[s.position.band]})" \
            if s.position.band else ""
        text += f" It ranks {s.position.rank_text} local authorities{band}."
    if s.trend.chi2 is not None:
        if s.trend.significant:
            text += f" Over the last five years it has been {s.trend.label}."
        else:
            text += " Over the last five years there has been no significant change."
    if s.status == "provisional":
        text += " The latest figure is provisional."
    if s.synthetic:
        text += " (Synthetic demo data, not a published figure.)"
    return text
