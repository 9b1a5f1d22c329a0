"""Numbers as people read them: units, decimals, thousands separators."""

from __future__ import annotations

import math


def format_value(value: float | None, unit: str, decimals: int = 1, *,
                 unit_label: str | None = None, with_unit: bool = True,
                 suppression: str | None = None) -> str:
    """`30.2%`, `481.3 per 10,000 children`, `1,780`; a suppression symbol or a dash if none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return suppression if suppression else "–"
    text = f"{value:,.{max(decimals, 0)}f}"
    if not with_unit:
        return text
    if unit == "percent":
        return f"{text}%"
    if unit == "rate" and unit_label:
        return f"{text} {unit_label}"
    return text


def unit_words(unit: str, unit_label: str | None) -> str:
    """The unit as a column header or axis title: `%`, `per 10,000 children`, `number`."""
    if unit == "percent":
        return "%"
    return unit_label or unit
