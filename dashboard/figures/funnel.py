"""Funnel plot: every LA's value against its denominator, with limits around England.

Control limits use Spiegelhalter's normal approximation around the benchmark: for a proportion
``p0 +/- z sqrt(p0 (1 - p0) / n)``, for a rate the Poisson equivalent ``r0 +/- z sqrt(r0 m / n)``
(``m`` the multiplier). A point outside the 99.8% limits is unlikely to differ from England by
chance alone. Drawn only where numerators and denominators exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import COLOURS, apply_titles
from dashboard.metrics import Z95, Z998

Formatter = Callable[[float | None], str]


def funnel_limits(benchmark: float, denominators: Sequence[float] | np.ndarray, unit: str,
                  multiplier: float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits on the indicator's scale for each denominator."""
    n = np.asarray(denominators, dtype=float)
    if unit == "percent":
        p0 = benchmark / multiplier
        half = z * np.sqrt(p0 * (1 - p0) / n) * multiplier
        return np.clip(benchmark - half, 0, multiplier), np.clip(benchmark + half, 0,
                                                                  multiplier)
    half = z * np.sqrt(benchmark * multiplier / n)
    return np.clip(benchmark - half, 0, None), benchmark + half


def funnel_figure(
    points: pd.DataFrame,
    *,
    home_code: str,
    neighbour_codes: Sequence[str],
    benchmark: float,
    unit: str,
    multiplier: float,
    fmt: Formatter,
    title: str,
    subtitle: str | None = None,
    source: str | None = None,
    x_title: str = "Denominator",
    y_title: str = "",
) -> go.Figure:
    """Points from a frame with ``area_code``, ``area_name``, ``value`` and ``denominator``.

    Returns:
        Traces: 99.8% limits (two), 95% limits (two), England, other LAs, neighbours, home.
    """
    fig = go.Figure()
    lo_n = max(float(points["denominator"].min()) * 0.8, 1.0)
    hi_n = float(points["denominator"].max()) * 1.1
    grid = np.linspace(lo_n, hi_n, 160)
    for z, label, dash in ((Z998, "99.8% limits", "solid"), (Z95, "95% limits", "dash")):
        lower, upper = funnel_limits(benchmark, grid, unit, multiplier, z)
        for k, band in enumerate((upper, lower)):
            fig.add_trace(go.Scatter(x=grid, y=band, mode="lines", name=label,
                                     legendgroup=label, showlegend=k == 0, hoverinfo="skip",
                                     line={"color": "#9A9A9A", "width": 1.2, "dash": dash}))
    fig.add_trace(go.Scatter(x=[lo_n, hi_n], y=[benchmark, benchmark], mode="lines",
                             name=f"England {fmt(benchmark)}", hoverinfo="skip",
                             line={"color": COLOURS["england"], "dash": "dot", "width": 2.5}))
    groups = (
        ("Other local authorities", ~points["area_code"].isin([home_code, *neighbour_codes]),
         {"size": 7, "color": COLOURS["other_la"]}),
        ("Statistical neighbours", points["area_code"].isin(neighbour_codes),
         {"size": 9, "color": COLOURS["neighbour_bar"], "line": {"color": COLOURS["home"],
                                                                 "width": 1}}),
        ("Home area", points["area_code"] == home_code,
         {"size": 14, "color": COLOURS["home"], "line": {"color": "white", "width": 1.5}}),
    )
    for name, mask, marker in groups:
        sub = points[mask]
        if sub.empty:
            continue
        is_home = name == "Home area"
        fig.add_trace(go.Scatter(
            x=list(sub["denominator"]), y=list(sub["value"]), mode="markers+text" if is_home
            else "markers", name=str(sub["area_name"].iloc[0]) if is_home else name,
            text=list(sub["area_name"]) if is_home else None, textposition="middle right",
            textfont={"color": COLOURS["home"], "size": 13}, cliponaxis=False,
            marker=marker,
            customdata=[[n, fmt(v), f"{d:,.0f}"] for n, v, d in
                        zip(sub["area_name"], sub["value"], sub["denominator"], strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]} (denominator "
                          "%{customdata[2]})<extra></extra>"))
    apply_titles(fig, title, subtitle, source, height=440, wrap=70)
    fig.update_layout(xaxis={"title": x_title, "showgrid": True, "gridcolor": COLOURS["grid"],
                             "tickformat": ",~s"}, yaxis_title=y_title)
    return fig
