"""Breakdown charts: an indicator's categories, the home area beside England.

With a few categories, bars over time in one panel per area: stacked when the categories are
shares of one whole (they add up to about 100%), grouped otherwise. With many categories (or
overlapping ones), the latest period as horizontal bars, the home area's value beside
England's for each category, which stays readable however long the category names are.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import COLOURS, NEIGHBOUR_PALETTE, TEMPLATE, apply_titles

MAX_OVER_TIME = 6  # more categories than this are drawn for the latest period only
LEGEND_CHARS = 42


def _short(text: str) -> str:
    return text if len(text) <= LEGEND_CHARS else text[: LEGEND_CHARS - 1] + "…"


def as_shares(data: pd.DataFrame) -> pd.DataFrame:
    """Counts as percentages of each area's total for the period, so areas of any size compare.

    Where categories overlap (several factors per assessment), the share is of all the
    categories recorded, not of the headline count.
    """
    out = data.copy()
    totals = out.groupby(["area_name", "label"])["value"].transform("sum")
    out["value"] = out["value"] / totals.where(totals > 0) * 100
    return out


def is_whole(data: pd.DataFrame) -> bool:
    """Whether the categories are shares of one whole: each area and period adds up to ~100."""
    totals = data.groupby(["area_name", "label"])["value"].sum(min_count=1).dropna()
    return not totals.empty and bool(((totals > 97) & (totals < 103)).all())


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
    """Bars of ``value`` by ``category`` for each area name in `areas` (home first).

    Args:
        frame: Rows with ``area_name``, ``label``, ``sort_key``, ``dimension``, ``category``
            and ``value`` (as from ``views_data.breakdowns``).
        dimension: The breakdown dimension to draw (e.g. ``"source of referral"``).
        areas: Area names in order (the home area first, then England).
        title: Chart title.
        subtitle: Area and period range.
        source: Source line.
        unit: ``"percent"`` may stack (when the shares make a whole); counts are turned into
            shares of each area's total first, so that the home area compares with England.

    Returns:
        Over time: one bar trace per category and area, each category listed once in the
        legend. Latest period: one horizontal bar trace per area.
    """
    data = frame[frame["dimension"] == dimension].sort_values("sort_key")
    if unit != "percent":
        data = as_shares(data)
        unit = "percent"
    categories = list(dict.fromkeys(data["category"]))
    if len(categories) > MAX_OVER_TIME:
        return _latest(data, areas, title, subtitle, source)
    present = [a for a in areas if (data["area_name"] == a).any()]
    fig = make_subplots(rows=1, cols=max(len(present), 1), shared_yaxes=True,
                        subplot_titles=present or None, horizontal_spacing=0.06)
    periods = list(dict.fromkeys(data["label"]))
    for col, area in enumerate(present, start=1):
        sub = data[data["area_name"] == area]
        for i, cat in enumerate(categories):
            rows = sub[sub["category"] == cat].set_index("label")["value"]
            y = [None if p not in rows.index or pd.isna(rows[p]) else float(rows[p])
                 for p in periods]
            fig.add_trace(go.Bar(
                x=periods, y=y, name=_short(str(cat)), legendgroup=str(cat),
                showlegend=col == 1,
                marker={"color": NEIGHBOUR_PALETTE[i % len(NEIGHBOUR_PALETTE)]},
                hovertemplate=f"{area}, %{{x}}<br>{cat}: %{{y}}<extra></extra>"),
                row=1, col=col)
    apply_titles(fig, title, subtitle, source, height=460)
    stack = unit == "percent" and is_whole(data)
    fig.update_layout(template=TEMPLATE, barmode="stack" if stack else "group")
    fig.update_xaxes(type="category")
    return fig


def _latest(data: pd.DataFrame, areas: list[str], title: str, subtitle: str | None,
            source: str | None) -> go.Figure:
    home_name = areas[0]
    last = data[data["area_name"] == home_name]["label"]
    period = last.iloc[-1] if not last.empty else data["label"].iloc[-1]
    at = data[data["label"] == period]
    home = at[at["area_name"] == home_name].set_index("category")["value"]
    order = list(home.sort_values().index) + [c for c in dict.fromkeys(at["category"])
                                              if c not in home.index]
    fig = go.Figure()
    colours = {home_name: COLOURS["home"]}
    for area in reversed(areas):
        rows = at[at["area_name"] == area].set_index("category")["value"]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            y=[_short(str(c)) for c in order],
            x=[None if c not in rows.index or pd.isna(rows[c]) else float(rows[c])
               for c in order],
            orientation="h", name=area, marker={"color": colours.get(area, COLOURS["england"])},
            customdata=[[str(c)] for c in order],
            hovertemplate=f"{area}: %{{customdata[0]}}, %{{x}}<extra></extra>"))
    apply_titles(fig, f"{title}, {period}", subtitle, source,
                 height=max(360, 34 * len(order) + 180))
    fig.update_layout(barmode="group", bargap=0.25, yaxis={"automargin": True},
                      xaxis={"gridcolor": COLOURS["grid"], "showgrid": True,
                             "rangemode": "tozero"},
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom",
                              "traceorder": "reversed"},
                      margin={"t": 100})
    return fig
