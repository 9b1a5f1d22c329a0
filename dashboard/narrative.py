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


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth")
UNIT_WORDS = {"month": "month", "quarter": "quarter"}


def _running(n: int, unit: str) -> str:
    """Words for a run of n periods: n = 4 gives 'for the fourth month running'."""
    if n <= len(ORDINALS):
        return f"for the {ORDINALS[n - 1]} {unit} running"
    return f"for {n} {unit}s running"


def _signal_sentences(s: IndicatorSummary, when: str) -> str:
    """SPC and forecast sentences (METHODS.md "Signal or noise", "Forecasting demand").

    Only where the scorecard attached them: a monthly or quarterly series' variation, and a
    stored demand forecast that beat its baseline in the backtest (a hidden one gets no words).
    """
    text = ""
    spc = s.spc
    if spc is not None and spc.limits != "none" and s.value is not None:
        unit = UNIT_WORDS.get(spc.period_type, "period")
        subject = f"The figure for {_lower_first(s.name)} {when}"
        rule = spc.rules[0] if spc.rules else None
        high = spc.direction == "high"
        if rule == "outside_limits":
            side = "high" if high else "low"
            where = (_running(spc.run, unit) if spc.run > 1 else
                     f"({s.fmt_short(spc.lower)} to {s.fmt_short(spc.upper)})")
            text += f" {subject} was unusually {side}: outside the expected range {where}."
        elif rule == "trend":
            verb = "risen" if high else "fallen"
            text += (f" {s.name} has {verb} {unit} on {unit} for "
                     f"{max(spc.run, 7) - 1} {unit}s in a row: more than chance would explain.")
        elif rule == "two_of_three":
            side = "upper" if high else "lower"
            text += (f" {subject} was close to the {side} limit of the expected range, as two of "
                     f"the last three {unit}s were: an early sign of change.")
        elif rule == "shift":
            side = "above" if high else "below"
            text += (f" {s.name} has been {side} its average "
                     f"{_running(max(spc.run, 7), unit)}: a shift, not noise.")
        else:
            text += (f" {subject} was within the expected range ({s.fmt_short(spc.lower)} to "
                     f"{s.fmt_short(spc.upper)}): the change is noise, not a signal.")
        if spc.special_cause in ("improvement", "concern"):
            kind = "an improvement" if spc.special_cause == "improvement" else "a concern"
            text += f" That is {kind}."
        if spc.assurance_text:
            text += f" On current variation it {spc.assurance_text}."
        if spc.limits == "unreliable":
            text += " (The limits rest on fewer than 12 points, so read them with caution.)"
    fc = s.forecast
    if fc is not None and fc.shown and fc.last_step is not None:
        last = fc.last_step
        method = fc.method.split(" (")[0]
        text += (f" If recent patterns continue it is forecast to be about "
                 f"{s.fmt_short(last.point)} by {last.label} (80% prediction interval "
                 f"{s.fmt_short(last.lo80)} to {s.fmt_short(last.hi80)}; {method}, which beat "
                 f"a {fc.baseline_method} forecast when tested on past data).")
    return text


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
    # England's and regions' counts are totals, not comparable with one LA's count.
    if s.england is not None and s.unit != "number":
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
    text += _signal_sentences(s, when)
    if s.status == "provisional":
        text += " The latest figure is provisional."
    if s.synthetic:
        text += " (Synthetic demo data, not a published figure.)"
    return text
