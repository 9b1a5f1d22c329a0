"""The latest-period comparison: home, each neighbour and England as sorted horizontal bars.

The home area's bar is dark blue, the neighbours light blue and England grey; the neighbour
average is the same dashed purple as on the trend chart. Bars start at zero, as bars must.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import COLOURS, apply_titles

Formatter = Callable[[float | None], str]
_BAR_COLOUR = {"home": COLOURS["home"], "neighbour": COLOURS["neighbour_bar"],
               "england": COLOURS["england"]}


def comparison_bar(
    frame: pd.DataFrame,
    *,
    fmt: Formatter,
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    x_title: str = "",
    neighbour_average: float | None = None,
) -> go.Figure:
    """Bars from a frame with ``area_name``, ``role`` (home/neighbour/england) and ``value``.

    Areas without a value are left out of the bars and named in the hover-free note below the
    chart title by the caller (the subtitle says how many neighbours reported).

    Returns:
        One bar trace, sorted so that the largest value is at the top, and a dashed line for
        the neighbour average when given.
    """
    data = frame[frame["value"].notna()].sort_values("value")
    fig = go.Figure()
    labels = [f"<b>{n}</b>" if r == "home" else n
              for n, r in zip(data["area_name"], data["role"], strict=True)]
    fig.add_trace(go.Bar(
        x=list(data["value"]), y=labels, orientation="h",
        marker={"color": [_BAR_COLOUR.get(r, COLOURS["neighbour_bar"]) for r in data["role"]]},
        text=[fmt(v) for v in data["value"]], textposition="outside", cliponaxis=False,
        customdata=[[n, fmt(v)] for n, v in zip(data["area_name"], data["value"],
                                                 strict=True)],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        name="Value", showlegend=False,
    ))
    if neighbour_average is not None:
        # The line is a shape; a legend-only trace names it (an annotation would collide
        # with the value labels).
        fig.add_vline(x=neighbour_average, line={"color": COLOURS["neighbour_average"],
                                                 "dash": "dash", "width": 2.5})
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", name=f"Neighbour average {fmt(neighbour_average)}",
            line={"color": COLOURS["neighbour_average"], "dash": "dash", "width": 2.5},
            hoverinfo="skip"))
    height = max(320, 30 * len(data) + 170)
    apply_titles(fig, title, subtitle, source, height=height, wrap=70)
    fig.update_layout(xaxis_title=x_title, yaxis={"automargin": True, "title": None},
                      xaxis={"rangemode": "tozero", "gridcolor": COLOURS["grid"],
                             "showgrid": True}, bargap=0.25, showlegend=True,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
                      margin={"r": 70, "t": 100})
    # The area names push the plot area right, so a source line starting at its left edge
    # ran off the chart: end it at the plot's right edge instead, under the bars.
    fig.update_annotations(selector=lambda a: str(a.text).startswith("Source:"), x=1,
                           xanchor="right")
    return fig
