"""The trend chart: home area, neighbour average, England, region and chosen neighbours.

The y-axis is never forced to zero (a rate moving between 20% and 30% should fill the chart);
the home area's 95% confidence interval is a shaded band where counts or published limits
exist; a suppressed or missing home value is marked along the bottom with its symbol, never
drawn as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import (
    COLOURS,
    apply_titles,
    line_style,
    neighbour_style,
    sparse_ticks,
)

Formatter = Callable[[float | None], str]


def _hover(name: str) -> str:
    return f"<b>{name}</b>: %{{customdata[0]}} (%{{customdata[1]}})<extra></extra>"


def _points(frame: pd.DataFrame, column: str, fmt: Formatter,
            status: str | None = None) -> tuple[list[float | None], list[list[str]]]:
    values = [None if pd.isna(v) else float(v) for v in frame[column]]
    statuses = list(frame[status]) if status and status in frame else ["final"] * len(values)
    custom = [[fmt(v), s if v is not None else "not available"]
              for v, s in zip(values, statuses, strict=True)]
    return values, custom


def trend_figure(
    table: pd.DataFrame,
    *,
    home_name: str,
    fmt: Formatter,
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    y_title: str = "",
    region_name: str | None = None,
    neighbours: Sequence[tuple[str, str]] = (),
    neighbours_reporting: bool = True,
    target: float | None = None,
    totals: bool = False,
) -> go.Figure:
    """Draw the trend from :func:`dashboard.views_data.trend_table`'s frame.

    Args:
        table: One row per period with ``period``, ``home``, ``home_status``, ``home_lower``,
            ``home_upper``, ``neighbour_average``, ``neighbours_reporting``, ``england``,
            ``region`` and, for each chosen neighbour, ``<code>`` and ``<code>_status``.
        home_name: The home area's name (the legend entry for its line).
        fmt: Formats a value with the indicator's unit, for hover text.
        title: The chart's title (the indicator).
        subtitle: Area, period range and comparator group.
        source: The data source line.
        y_title: The axis title (the unit).
        region_name: The region's name, for its line.
        neighbours: ``(code, name)`` of the individual neighbours to draw, in order.
        neighbours_reporting: Whether to say "n of 10" in the average's hover text.
        target: A local target, drawn as a horizontal line.
        totals: The indicator is a count, so England's and the region's totals are not drawn
            on the same axis as one area (they stay in the table).

    Returns:
        The figure; traces in drawing order: interval band (two traces), neighbours, region,
        England, neighbour average, home.
    """
    fig = go.Figure()
    if table.empty:
        return apply_titles(fig, title, subtitle, source)
    x = list(table["period"])
    if {"home_lower", "home_upper"} <= set(table) and table["home_upper"].notna().any():
        upper = [None if pd.isna(v) else float(v) for v in table["home_upper"]]
        lower = [None if pd.isna(v) else float(v) for v in table["home_lower"]]
        fig.add_trace(go.Scatter(x=x, y=upper, mode="lines", line={"width": 0},
                                 hoverinfo="skip", showlegend=False, name="upper limit",
                                 legendgroup="ci"))
        fig.add_trace(go.Scatter(x=x, y=lower, mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor=COLOURS["interval"],
                                 hoverinfo="skip", name="95% confidence interval",
                                 legendgroup="ci"))
    for i, (code, name) in enumerate(neighbours):
        if code not in table:
            continue
        y, custom = _points(table, code, fmt, f"{code}_status")
        fig.add_trace(go.Scatter(x=x, y=y, name=name, customdata=custom,
                                 hovertemplate=_hover(name), connectgaps=False,
                                 **neighbour_style(i)))
    if not totals and region_name and "region" in table and table["region"].notna().any():
        y, custom = _points(table, "region", fmt)
        fig.add_trace(go.Scatter(x=x, y=y, name=region_name, customdata=custom,
                                 hovertemplate=_hover(region_name), **line_style("region")))
    if not totals and "england" in table and table["england"].notna().any():
        y, custom = _points(table, "england", fmt)
        fig.add_trace(go.Scatter(x=x, y=y, name="England", customdata=custom,
                                 hovertemplate=_hover("England"), **line_style("england")))
    if "neighbour_average" in table and table["neighbour_average"].notna().any():
        y, custom = _points(table, "neighbour_average", fmt)
        if neighbours_reporting and "neighbours_reporting" in table:
            custom = [[c[0], f"{r} neighbours reporting" if c[0] != "–" else c[1]]
                      for c, r in zip(custom, table["neighbours_reporting"], strict=True)]
        fig.add_trace(go.Scatter(x=x, y=y, name="Statistical neighbour average",
                                 customdata=custom,
                                 hovertemplate=_hover("Statistical neighbour average"),
                                 **line_style("neighbour_average")))
    y, custom = _points(table, "home", fmt, "home_status")
    fig.add_trace(go.Scatter(x=x, y=y, name=home_name, customdata=custom,
                             hovertemplate=_hover(home_name), **line_style("home")))
    for period, value, status in zip(x, y, table.get("home_status", [""] * len(x)),
                                     strict=True):
        if value is None:
            fig.add_annotation(x=period, xref="x", y=0, yref="paper", yanchor="bottom",
                               text="n/a", hovertext=f"{home_name}, {period}: {status}",
                               showarrow=False, font={"size": 11, "color": COLOURS["muted"]})
    if target is not None:
        fig.add_hline(y=target, line={"color": COLOURS["target"], "dash": "longdashdot",
                                      "width": 1.5},
                      annotation_text=f"Target {fmt(target)}",
                      annotation_position="top left")
    apply_titles(fig, title, subtitle, source)
    fig.update_layout(hovermode="x unified", yaxis_title=y_title,
                      xaxis={"type": "category", "categoryorder": "array",
                             "categoryarray": x, "title": None, **sparse_ticks(x)})
    return fig
