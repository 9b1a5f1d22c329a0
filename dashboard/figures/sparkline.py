"""Sparklines as tiny inline SVG: light enough for every row of a table, with a text twin.

An SVG string (or a ``data:`` URI for an ``<img>``) rather than a plotly figure per row keeps
the scorecard quick to render; the caller gives the image alt text listing the values.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from dashboard.figures.theme import COLOURS


def sparkline_svg(values: Sequence[float | None], *, width: int = 96, height: int = 28,
                  colour: str = COLOURS["home"]) -> str:
    """A polyline through the values (gaps where a value is missing), the last point dotted.

    Returns an empty string when fewer than two values are numeric.
    """
    nums = [v for v in values if v is not None]
    if len(nums) < 2:
        return ""
    pad = 3.0
    lo, hi = min(nums), max(nums)
    span = (hi - lo) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad + i * step, height - pad - (v - lo) / span * (height - 2 * pad)

    segments: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(xy(i, v))
    lines = "".join(
        f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" stroke-linejoin="round" '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in seg)}"/>'
        for seg in segments if len(seg) > 1)
    last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None))
    cx, cy = xy(*last)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{lines}'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.6" fill="{colour}"/></svg>')


def sparkline_data_uri(values: Sequence[float | None], **kwargs: object) -> str:
    """The sparkline as a ``data:image/svg+xml`` URI, or ``""`` when there is nothing to draw."""
    svg = sparkline_svg(values, **kwargs)  # type: ignore[arg-type]
    return f"data:image/svg+xml;utf8,{quote(svg)}" if svg else ""
