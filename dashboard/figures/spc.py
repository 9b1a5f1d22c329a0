"""The SPC (XmR) chart, its table twin and the variation and assurance icons.

Drawn as NHS England's "Making Data Count" draws them (METHODS.md, "Signal or noise"): the
points joined by a grey line, the mean, the upper and lower process limits dashed and the
near-limit lines faint; special-cause points coloured by what they mean (improvement blue,
concern orange, neutral purple) and shaped by the rule that flagged them (outside the limits,
trend, two of three near a limit, shift), so that nothing is said by colour alone. A recorded
change that restarts the baseline is a vertical line with its reason. The icons are small SVGs
(circle and letter, as Making Data Count's), always shown beside their words.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import COLOURS, apply_titles, sparse_ticks
from dashboard.metrics.spc import (
    COMMON_CAUSE,
    CONCERN,
    CONSISTENT_FAIL,
    CONSISTENT_PASS,
    HIT_AND_MISS,
    IMPROVEMENT,
    NEUTRAL,
    NO_LIMITS,
    OUTSIDE_LIMITS,
    RULE_WORDS,
    RULES,
    SHIFT,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
    TREND,
    TWO_OF_THREE,
    UNRELIABLE,
    SpcPoint,
    SpcResult,
)

Formatter = Callable[[float | None], str]

#: Making Data Count's hues, darkened where needed for 3:1 contrast on white.
SPC_COLOURS = {
    IMPROVEMENT: "#0072B2",
    CONCERN: "#E07000",
    NEUTRAL: "#6A3D9A",
    "common": "#7A7F87",
    "mean": "#1F2328",
    "limit": "#5A6270",
    "near": "#B8BEC6",
}
#: Marker shape per rule (trend points point the way the trend goes).
RULE_SYMBOLS = {
    OUTSIDE_LIMITS: "diamond",
    TREND: "triangle-up",
    TWO_OF_THREE: "star",
    SHIFT: "square",
}
RULE_SHORT = {
    OUTSIDE_LIMITS: "outside the limits",
    TREND: "trend",
    TWO_OF_THREE: "two of three near a limit",
    SHIFT: "shift",
}
CAUSE_WORDS = {IMPROVEMENT: "Improvement", CONCERN: "Concern", NEUTRAL: "Neutral"}
LIMIT_NOTES = {
    UNRELIABLE: "limits unreliable (fewer than 12 points)",
    NO_LIMITS: "no limits (fewer than 6 points)",
}


def _symbol(point: SpcPoint) -> str:
    if point.rule == TREND and point.direction == "low":
        return "triangle-down"
    return RULE_SYMBOLS[point.rule or OUTSIDE_LIMITS]


def point_words(point: SpcPoint) -> str:
    """A point's variation in words: "concern: outside the process limits", "common cause"."""
    if not point.is_special:
        return "common cause"
    cause = CAUSE_WORDS[point.special_cause].lower()
    return f"{cause}: " + "; ".join(RULE_WORDS[r] for r in point.rules)


def _segment_line(result: SpcResult, i: int, field: str) -> tuple[list[str], list[float]] | None:
    seg = result.segments[i]
    value = getattr(seg, field)
    if value is None:
        return None
    pts = result.points[seg.start : seg.end]
    return [p.label or str(p.index) for p in pts], [value] * len(pts)


def _wrap(text: str, width: int = 34) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def spc_figure(
    result: SpcResult,
    *,
    fmt: Formatter,
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    y_title: str = "",
    series_name: str = "Value",
    target: float | None = None,
    near_limits: bool = True,
) -> go.Figure:
    """Draw an XmR chart from :func:`dashboard.metrics.spc.xmr`'s result.

    Args:
        result: The chart's points, baselines and rules.
        fmt: Formats a value with the indicator's unit, for hover text.
        title: The chart's title (the indicator).
        subtitle: Area and period range; a note on the limits' reliability is added.
        source: The data source line.
        y_title: The axis title (the unit).
        series_name: The legend entry of the points (the area).
        target: A target, drawn as a horizontal line (default: the result's).
        near_limits: Draw the near-limit lines (two thirds of the way to each limit).

    Returns:
        The figure. Traces in drawing order: near-limit lines, process limits and the mean
        (one trace per baseline each, told apart by ``meta``), the points, then one trace per
        kind of special cause (``meta`` ``{"rule", "cause"}``).
    """
    fig = go.Figure()
    note = LIMIT_NOTES.get(result.limits)
    sub = "; ".join(t for t in (subtitle, note) if t) or None
    if not result.points:
        return apply_titles(fig, title, sub, source)
    x = [p.label or str(p.index) for p in result.points]
    lines: list[tuple[str, str, dict[str, Any], str]] = []
    if near_limits:
        near = {"color": SPC_COLOURS["near"], "width": 1, "dash": "dot"}
        lines += [
            ("near_upper", "Near-limit lines", near, "near"),
            ("near_lower", "Near-limit lines", near, "near"),
        ]
    limit = {"color": SPC_COLOURS["limit"], "width": 1.6, "dash": "dash"}
    lines += [
        ("upper", "Process limits", limit, "limits"),
        ("lower", "Process limits", limit, "limits"),
        ("mean", "Mean", {"color": SPC_COLOURS["mean"], "width": 1.6}, "mean"),
    ]
    hover_names = {
        "near_upper": "Upper near-limit line",
        "near_lower": "Lower near-limit line",
        "upper": "Upper process limit",
        "lower": "Lower process limit",
        "mean": "Mean",
    }
    shown_groups: set[str] = set()
    for field, name, style, group in lines:
        for i in range(len(result.segments)):
            line = _segment_line(result, i, field)
            if line is None:
                continue
            xs, ys = line
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=name,
                    line=style,
                    legendgroup=group,
                    showlegend=group not in shown_groups,
                    meta={"line": field, "segment": i},
                    customdata=[fmt(v) for v in ys],
                    hovertemplate=f"{hover_names[field]}: %{{customdata}}<extra></extra>",
                )
            )
            shown_groups.add(group)
    custom = [[fmt(p.value), point_words(p)] for p in result.points]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.value for p in result.points],
            name=series_name,
            mode="lines+markers",
            line={"color": SPC_COLOURS["common"], "width": 2},
            marker={"size": 7, "color": SPC_COLOURS["common"]},
            customdata=custom,
            meta={"line": "points"},
            hovertemplate=f"<b>{series_name}</b>: %{{customdata[0]}} (%{{customdata[1]}})"
            "<extra></extra>",
        )
    )
    groups: dict[tuple[str, str, str], list[SpcPoint]] = {}
    for p in result.points:
        if p.is_special and p.rule is not None:
            groups.setdefault((p.rule, p.special_cause, _symbol(p)), []).append(p)
    for (rule, cause, symbol), pts in sorted(
        groups.items(), key=lambda kv: (RULES.index(kv[0][0]), kv[0][1:])
    ):
        name = f"{CAUSE_WORDS[cause]}: {RULE_SHORT[rule]}"
        fig.add_trace(
            go.Scatter(
                x=[p.label or str(p.index) for p in pts],
                y=[p.value for p in pts],
                mode="markers",
                name=name,
                meta={"rule": rule, "cause": cause},
                marker={
                    "symbol": symbol,
                    "size": 13,
                    "color": SPC_COLOURS[cause],
                    "line": {"color": "white", "width": 1},
                },
                customdata=[fmt(p.value) for p in pts],
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
            )
        )
    target = result.target if target is None else target
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": COLOURS["target"], "dash": "longdashdot", "width": 1.5},
            annotation_text=f"Target {fmt(target)}",
            annotation_position="top left",
        )
    _baseline_marks(fig, result)
    apply_titles(fig, title, sub, source)
    fig.update_layout(
        hovermode="x unified",
        yaxis_title=y_title,
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": x,
            "title": None,
            **sparse_ticks(x),
        },
    )
    return fig


def _baseline_marks(fig: go.Figure, result: SpcResult) -> None:
    """A vertical line where a recorded change restarts the baseline, with its reason."""
    for i, seg in enumerate(result.segments):
        if i == 0 and not seg.reason:
            continue
        at = seg.start - 0.5
        words = ("Baseline" if i == 0 else "New baseline") + (
            f": {seg.reason}" if seg.reason else ""
        )
        _marker_line(fig, at, f"baseline {i}", colour=COLOURS["text"], width=1.5,
                     dash="dashdot", text=_wrap(words), at_top=True,
                     hovertext=words, bgcolor="rgba(255,255,255,0.85)")
        pts_in_seg = seg.end - seg.start
        if seg.n_baseline < pts_in_seg and seg.limits != NO_LIMITS:
            fixed = seg.start + seg.n_baseline - 0.5
            _marker_line(fig, fixed, f"baseline {i} fixed", colour=COLOURS["muted"], width=1,
                         dash="dot", text=f"Limits fixed on {seg.n_baseline} points",
                         at_top=False)


def _marker_line(fig: go.Figure, at: float, name: str, *, colour: str, width: float,
                 dash: str, text: str, at_top: bool, **label: Any) -> None:
    """A full-height vertical line at `at` with a small label at its top or foot."""
    fig.add_shape(type="line", x0=at, x1=at, xref="x", y0=0, y1=1, yref="paper",
                  line={"color": colour, "width": width, "dash": dash}, name=name)
    fig.add_annotation(
        x=at, xref="x", y=1 if at_top else 0, yref="paper",
        yanchor="top" if at_top else "bottom", xanchor="left", xshift=4, text=text,
        showarrow=False, **({"align": "left"} if at_top else {}), **label,
        font={"size": 11, "color": colour},
    )


def spc_table(result: SpcResult, fmt: Formatter) -> pd.DataFrame:
    """The chart's table twin: one row per point with its limits and its variation.

    Columns: period, value, mean, lower, upper (formatted; "–" where there are no limits),
    moving_range, variation (in words) and baseline (1, 2, ... by recorded change).
    """
    rows = []
    for p in result.points:
        seg = result.segments[p.segment]
        rows.append(
            {
                "period": p.label or str(p.index),
                "value": fmt(p.value),
                "mean": fmt(seg.mean) if seg.mean is not None else "–",
                "lower": fmt(seg.lower) if seg.lower is not None else "–",
                "upper": fmt(seg.upper) if seg.upper is not None else "–",
                "moving_range": fmt(p.moving_range) if p.moving_range is not None else "–",
                "variation": point_words(p),
                "baseline": p.segment + 1,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "period",
            "value",
            "mean",
            "lower",
            "upper",
            "moving_range",
            "variation",
            "baseline",
        ],
    )


# --- icons --------------------------------------------------------------------------------

_VARIATION_ICONS = {
    SPECIAL_CAUSE_IMPROVEMENT: IMPROVEMENT,
    SPECIAL_CAUSE_CONCERN: CONCERN,
    SPECIAL_CAUSE_NEUTRAL_HIGH: NEUTRAL,
    SPECIAL_CAUSE_NEUTRAL_LOW: NEUTRAL,
}
_WAVE = "M9 23 L14 16 L20 24 L26 15 L31 21"


def _circle(colour: str, inner: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" '
        'viewBox="0 0 40 40">'
        f'<circle cx="20" cy="20" r="17.5" fill="white" stroke="{colour}" '
        f'stroke-width="3"/>{inner}</svg>'
    )


def _letter(colour: str, letter: str) -> str:
    return (
        f'<text x="20" y="26.5" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="19" font-weight="700" fill="{colour}">{letter}</text>'
    )


def _wave(colour: str) -> str:
    return (
        f'<path d="{_WAVE}" fill="none" stroke="{colour}" stroke-width="2.6" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def variation_icon_svg(variation: str, direction: str | None = None) -> str | None:
    """Making Data Count's variation icon: a coloured circle with H or L, or a grey wave.

    Args:
        variation: A key of `dashboard.metrics.spc.VARIATION_TEXT`.
        direction: ``"high"`` or ``"low"`` for a special cause (neutral ones carry it in
            `variation`).

    Returns:
        The SVG, or None when there are not enough points for limits (no icon, words only).
    """
    if variation == COMMON_CAUSE:
        return _circle(SPC_COLOURS["common"], _wave(SPC_COLOURS["common"]))
    cause = _VARIATION_ICONS.get(variation)
    if cause is None:
        return None
    if variation == SPECIAL_CAUSE_NEUTRAL_LOW:
        direction = "low"
    elif variation == SPECIAL_CAUSE_NEUTRAL_HIGH:
        direction = "high"
    colour = SPC_COLOURS[cause]
    return _circle(colour, _letter(colour, "L" if direction == "low" else "H"))


def assurance_icon_svg(assurance: str | None) -> str | None:
    """Making Data Count's assurance icon, or None without an assurance.

    P (will consistently pass) in blue, F (will consistently fail) in orange, a grey wave
    across the target line for hit and miss.
    """
    if assurance == CONSISTENT_PASS:
        return _circle(SPC_COLOURS[IMPROVEMENT], _letter(SPC_COLOURS[IMPROVEMENT], "P"))
    if assurance == CONSISTENT_FAIL:
        return _circle(SPC_COLOURS[CONCERN], _letter(SPC_COLOURS[CONCERN], "F"))
    if assurance == HIT_AND_MISS:
        colour = SPC_COLOURS["common"]
        # The wave crosses a solid target line: unlike common cause's wave alone.
        target = f'<line x1="5" y1="20" x2="35" y2="20" stroke="{SPC_COLOURS["mean"]}" '
        return _circle(colour, target + 'stroke-width="2.2"/>' + _wave(colour))
    return None


def svg_data_uri(svg: str | None) -> str | None:
    """An SVG as a data URI for an ``<img>`` (None stays None)."""
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
