"""Breakdown charts: an indicator's categories over time, the home area beside England.

Shares that add up to a whole (percentages) are stacked; counts and rates are grouped. Each
category keeps its colour in both panels.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import NEIGHBOUR_PALETTE, TEMPLATE, apply_titles


def breakdown_figure(
    frame: pd.DataFrame,
    *,
    dimension: str,
    areas: list[str],
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    unit: str = "percent",
) -> go.Figure:
    """Bars of ``value`` by ``label`` (period) and ``category``, one panel per area name.

    Args:
        frame: Rows with ``area_name``, ``label``, ``sort_key``, ``dimension``, ``category``
            and ``value`` (as from ``views_data.breakdowns``).
        dimension: The breakdown dimension to draw (e.g. ``"source of referral"``).
        areas: Area names, one panel each, in order (home area first, then England).
        title: Chart title.
        subtitle: Area and period range.
        source: Source line.
        unit: ``"percent"`` stacks the bars; anything else groups them.

    Returns:
        One bar trace per category and area; the legend lists each category once.
    """
    data = frame[frame["dimension"] == dimension].sort_values("sort_key")
    present = [a for a in areas if (data["area_name"] == a).any()]
    fig = make_subplots(rows=1, cols=max(len(present), 1), shared_yaxes=True,
                        subplot_titles=present or None, horizontal_spacing=0.06)
    categories = list(dict.fromkeys(data["category"]))
    periods = list(dict.fromkeys(data["label"]))
    for col, area in enumerate(present, start=1):
        sub = data[data["area_name"] == area]
        for i, cat in enumerate(categories):
            rows = sub[sub["category"] == cat].set_index("label")["value"]
            y = [None if p not in rows.index or pd.isna(rows[p]) else float(rows[p])
                 for p in periods]
            fig.add_trace(go.Bar(
                x=periods, y=y, name=str(cat), legendgroup=str(cat), showlegend=col == 1,
                marker={"color": NEIGHBOUR_PALETTE[i % len(NEIGHBOUR_PALETTE)]},
                hovertemplate=f"{area}, %{{x}}<br>{cat}: %{{y}}<extra></extra>"),
                row=1, col=col)
    apply_titles(fig, title, subtitle, source, height=460)
    fig.update_layout(template=TEMPLATE, barmode="stack" if unit == "percent" else "group",
                      legend={"y": -0.2})
    fig.update_xaxes(type="category")
    return fig
