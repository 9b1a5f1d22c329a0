"""RAG (red, amber, green) status with the rule that produced it and a plain-English reason.

A colour alone tells a partnership board nothing it can check, so every status carries the rule
(target, quartile band or significance), a sentence saying why, and a text symbol of a distinct
shape so that the status never depends on colour vision. Context measures (polarity ``none``)
never get a RAG.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.metrics._common import as_number, format_percent
from dashboard.metrics.polarity import HIGH, LOW, NONE, TARGET_BAND, check_polarity
from dashboard.metrics.significance import BETTER, NOT_COMPARED, SIMILAR, WORSE, Significance

RED = "red"
AMBER = "amber"
GREEN = "green"

RULE_TARGET = "target"
RULE_BAND = "band"
RULE_SIGNIFICANCE = "significance"
RULE_NONE = "none"
RAG_RULES: frozenset[str] = frozenset({RULE_TARGET, RULE_BAND, RULE_SIGNIFICANCE})

DEFAULT_TOLERANCE = 0.05

# Distinct shapes, so the status reads the same in greyscale print and for colour-blind users.
SYMBOLS: dict[str | None, str] = {GREEN: "●", AMBER: "◆", RED: "▲", None: "○"}
LABELS: dict[str | None, str] = {GREEN: "Green", AMBER: "Amber", RED: "Red", None: "No RAG"}

_BAND_STATUS = {"A": GREEN, "B": AMBER, "C": AMBER, "D": RED}
_BAND_QUARTER = {
    "A": "the best-performing quarter",
    "B": "the second-best quarter",
    "C": "the second-worst quarter",
    "D": "the worst-performing quarter",
}

Formatter = Callable[[float], str]


def plain_number(value: float) -> str:
    """Default number formatter for reasons: shortest general form, e.g. 20.0 -> ``"20"``."""
    return f"{value:g}"


@dataclass(frozen=True)
class Rag:
    """A RAG status and its explanation.

    Attributes:
        status: ``"red"``, ``"amber"``, ``"green"``, or None for no RAG.
        label: ``"Red"``, ``"Amber"``, ``"Green"`` or ``"No RAG"``.
        symbol: ``"▲"`` red, ``"◆"`` amber, ``"●"`` green, ``"○"`` no RAG.
        rule: The rule applied: ``"target"``, ``"band"``, ``"significance"``, or ``"none"``
            when no rule applies (no better or worse direction).
        reason: A full sentence saying why, e.g. ``"Band D: in the worst-performing quarter
            of English local authorities (rank 139 of 148)"``.
    """

    status: str | None
    label: str
    symbol: str
    rule: str
    reason: str

    @property
    def text(self) -> str:
        """Symbol and label together, e.g. ``"▲ Red"``, for tables and exports."""
        return f"{self.symbol} {self.label}"


def _rag(status: str | None, rule: str, reason: str) -> Rag:
    return Rag(status, LABELS[status], SYMBOLS[status], rule, reason)


def no_rag(rule: str, reason: str) -> Rag:
    """Build a "No RAG" result; ``reason`` starts ``"No RAG: "`` and says what is missing."""
    return _rag(None, rule, reason)


def rag_by_target(
    value: float | None,
    target: float | None,
    polarity: str,
    tolerance: float = DEFAULT_TOLERANCE,
    fmt: Formatter = plain_number,
) -> Rag:
    """RAG against a local target: met = green, within tolerance = amber, otherwise red.

    Args:
        value: The latest value; None gives no RAG.
        target: The target for the period; None gives no RAG.
        polarity: ``"high"`` is met when ``value >= target``, ``"low"`` when
            ``value <= target``; other polarities have no side to meet, so no RAG.
        tolerance: How far a value may miss and still be amber, as a fraction of the target
            (0.05 = within 5% of ``|target|``). The edge counts as amber.
        fmt: Formats value, target and shortfall in the reason (e.g. as percentages).

    Returns:
        The RAG with rule ``"target"``.

    Raises:
        ValueError: If ``tolerance`` is negative or the polarity is unknown.
    """
    check_polarity(polarity)
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance!r}")
    number, goal = as_number(value), as_number(target)
    if goal is None:
        return no_rag(RULE_TARGET, "No RAG: no target is set for this period")
    if number is None:
        return no_rag(
            RULE_TARGET, f"No RAG: no value for this period to compare with the target {fmt(goal)}"
        )
    if polarity not in (HIGH, LOW):
        return no_rag(
            RULE_TARGET, "No RAG: a target needs a better direction, and this measure has none"
        )

    shortfall = goal - number if polarity == HIGH else number - goal
    head = f"Target {fmt(goal)}: value {fmt(number)}"
    if shortfall <= 0:
        side = "at or above" if polarity == HIGH else "at or below"
        return _rag(GREEN, RULE_TARGET, f"{head} is {side} the target, so it is met")
    allowed = tolerance * abs(goal)
    tolerance_text = format_percent(tolerance)
    # isclose keeps a value exactly on the edge amber despite decimal rounding (20 * 1.05 is
    # 21.000000000000004 in binary floating point).
    if shortfall <= allowed or math.isclose(shortfall, allowed, rel_tol=1e-9, abs_tol=1e-12):
        reason = (
            f"{head} misses the target by {fmt(shortfall)}, within the {tolerance_text} tolerance"
        )
        return _rag(AMBER, RULE_TARGET, reason)
    reason = f"{head} misses the target by {fmt(shortfall)}, beyond the {tolerance_text} tolerance"
    return _rag(RED, RULE_TARGET, reason)


def rag_by_band(band: str | None, rank_text: str | None = None) -> Rag:
    """RAG from LAIT's quartile band: A green, B or C amber, D red.

    Args:
        band: ``"A"`` to ``"D"``; None gives no RAG.
        rank_text: Optional rank to quote in the reason, e.g. ``"139 of 148"``.

    Returns:
        The RAG with rule ``"band"``.

    Raises:
        ValueError: If ``band`` is not A to D.
    """
    if band is None:
        return no_rag(
            RULE_BAND,
            "No RAG: no quartile band for this period "
            "(no value to rank, or the indicator is not banded)",
        )
    key = band.strip().upper()
    if key not in _BAND_STATUS:
        raise ValueError(f"unknown quartile band {band!r}; expected A, B, C or D")
    rank = f" (rank {rank_text})" if rank_text else ""
    reason = f"Band {key}: in {_BAND_QUARTER[key]} of English local authorities{rank}"
    return _rag(_BAND_STATUS[key], RULE_BAND, reason)


def rag_by_significance(sig: Significance) -> Rag:
    """RAG from a comparison with a benchmark: better green, similar amber, worse red.

    Args:
        sig: The result of ``compare_to_benchmark`` or ``compare_two_levels``.

    Returns:
        The RAG with rule ``"significance"``; no RAG when nothing was compared or the
        polarity has no better direction.
    """
    name = sig.benchmark_name or "the benchmark"
    if sig.outcome == NOT_COMPARED or sig.level is None:
        return no_rag(
            RULE_SIGNIFICANCE,
            f"No RAG: not compared with {name} (no count and denominator, or no {name} value)",
        )
    level = format_percent(sig.level)
    if sig.judgement == SIMILAR:
        reason = f"Similar to {name}: the {name} value lies within the {level} confidence interval"
        return _rag(AMBER, RULE_SIGNIFICANCE, reason)
    if sig.judgement in (BETTER, WORSE):
        status = GREEN if sig.judgement == BETTER else RED
        reason = (
            f"{sig.judgement.capitalize()} than {name}: significantly {sig.outcome}, as the "
            f"{name} value lies outside the {level} confidence interval"
        )
        return _rag(status, RULE_SIGNIFICANCE, reason)
    return no_rag(
        RULE_SIGNIFICANCE,
        f"No RAG: {sig.outcome} than {name}, but this measure has no better or worse direction",
    )


def choose_rag(
    rule: str,
    polarity: str,
    *,
    value: float | None,
    target: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    band: str | None = None,
    rank_text: str | None = None,
    significance: Significance | None = None,
    fmt: Formatter = plain_number,
) -> Rag:
    """Pick the RAG for one indicator and period by the configured rule.

    Order: a context measure (polarity ``none``, or ``target_band``, which has no single better
    direction) gets no RAG; a missing value gets no RAG; a target for the period wins whatever
    the rule (METHODS.md: the comparator rule is the default when there is no target); then
    the configured rule. ``rule="target"`` with no target falls back to the band, the default.

    Args:
        rule: ``"band"`` (default in the catalogue), ``"significance"`` or ``"target"``.
        polarity: The indicator's polarity.
        value: The latest value (None when missing or suppressed).
        target: The local target for the period, if any.
        tolerance: Amber tolerance for the target, as a fraction of the target.
        band: Quartile band ``"A"`` to ``"D"`` from ``position``.
        rank_text: Rank to quote, e.g. ``"139 of 148"``.
        significance: Comparison with the chosen benchmark.
        fmt: Formats numbers in target reasons.

    Returns:
        The RAG, always with a reason; "No RAG" reasons say what is missing.

    Raises:
        ValueError: For an unknown rule or polarity.
    """
    check_polarity(polarity)
    if rule not in RAG_RULES:
        raise ValueError(
            f"unknown RAG rule {rule!r}; expected one of {', '.join(sorted(RAG_RULES))}"
        )
    if polarity == NONE:
        return no_rag(
            RULE_NONE, "No RAG: this is a context measure with no better or worse direction"
        )
    if polarity == TARGET_BAND:
        return no_rag(
            RULE_NONE,
            "No RAG: this measure is best inside a range, "
            "so it has no single better or worse direction",
        )
    if as_number(value) is None:
        applied = RULE_TARGET if as_number(target) is not None else _fallback(rule)
        return no_rag(applied, "No RAG: no value for this period")
    if as_number(target) is not None:
        return rag_by_target(value, target, polarity, tolerance, fmt)
    if _fallback(rule) == RULE_SIGNIFICANCE:
        if significance is None:
            return no_rag(
                RULE_SIGNIFICANCE,
                "No RAG: not compared with a benchmark (no count and denominator)",
            )
        return rag_by_significance(significance)
    return rag_by_band(band, rank_text)


def _fallback(rule: str) -> str:
    # Without a target for the period the "target" rule has nothing to apply, so the
    # comparator rule (the documented default) takes over.
    return RULE_BAND if rule == RULE_TARGET else rule
