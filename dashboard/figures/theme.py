"""The shared look of every chart: one plotly template and one way to draw each kind of line.

The home area is always solid dark blue with markers, the statistical-neighbour average a
dashed purple line, England a dotted grey line and the region a dash-dot teal line; individual
neighbours are thin lines from Paul Tol's colour-blind-safe "muted" scheme. RAG colours follow
Okabe and Ito's palette and are never used for series, so that a line is never read as a rating.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

FONT = ('system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif')

COLOURS = {
    "home": "#1B3F8B",
    "neighbour_average": "#8E4585",
    "england": "#595959",
    "region": "#1F7A8C",
    "target": "#222222",
    "neighbour_bar": "#A9B9D6",
    "other_la": "#C8C8C8",
    "grid": "#E6E6E6",
    "text": "#1F2328",
    "muted": "#5A6270",
    "interval": "rgba(27, 63, 139, 0.14)",
}
#: Okabe-Ito red (vermillion), amber (orange) and green (bluish green); grey for no RAG.
RAG_COLOURS = {"red": "#D55E00", "amber": "#E69F00", "green": "#009E73", None: "#6C757D"}
#: Distinct hues for individual neighbours and breakdown categories, after Paul Tol's "muted"
#: scheme, leaving out the blues, purples and greys that mean home, neighbour average, England.
NEIGHBOUR_PALETTE = ("#CC6677", "#C9A227", "#117733", "#882255", "#999933", "#E08A3C",
                     "#6F4E37", "#56B4E9", "#E7298A", "#66A61E")

#: Most category labels on an x-axis: more would be turned on end and run into the source line.
MAX_TICKS = 6

LINE_STYLES: dict[str, dict[str, Any]] = {
    "home": {"mode": "lines+markers", "line": {"color": COLOURS["home"], "width": 3},
             "marker": {"size": 8, "color": COLOURS["home"]}},
    "neighbour_average": {"mode": "lines+markers",
                          "line": {"color": COLOURS["neighbour_average"], "width": 2.5,
                                   "dash": "dash"},
                          "marker": {"size": 6, "symbol": "diamond",
                                     "color": COLOURS["neighbour_average"]}},
    "england": {"mode": "lines+markers",
                "line": {"color": COLOURS["england"], "width": 2.5, "dash": "dot"},
                "marker": {"size": 6, "symbol": "square", "color": COLOURS["england"]}},
    "region": {"mode": "lines", "line": {"color": COLOURS["region"], "width": 2,
                                         "dash": "dashdot"}},
}

TEMPLATE = go.layout.Template(layout={
    "font": {"family": FONT, "size": 14, "color": COLOURS["text"]},
    "title": {"x": 0, "xanchor": "left", "font": {"size": 17}},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "colorway": list(NEIGHBOUR_PALETTE),
    "xaxis": {"showgrid": False, "linecolor": "#8C8C8C", "ticks": "outside",
              "tickcolor": "#8C8C8C", "automargin": True},
    "yaxis": {"gridcolor": COLOURS["grid"], "zeroline": False, "automargin": True,
              "rangemode": "normal"},
    "legend": {"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02, "xanchor": "left",
               "font": {"size": 12.5}, "itemwidth": 30},
    "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "white"},
    "margin": {"l": 60, "r": 24, "t": 78, "b": 86},
})


def line_style(role: str) -> dict[str, Any]:
    """Scatter keyword arguments for a role: home, neighbour_average, england or region."""
    style = LINE_STYLES[role]
    return {"mode": style["mode"], "line": dict(style["line"]),
            **({"marker": dict(style["marker"])} if "marker" in style else {})}


def neighbour_style(index: int) -> dict[str, Any]:
    """A thin line for the `index`-th individual neighbour (colours cycle after ten)."""
    colour = NEIGHBOUR_PALETTE[index % len(NEIGHBOUR_PALETTE)]
    return {"mode": "lines+markers", "line": {"color": colour, "width": 1.6},
            "marker": {"size": 5, "color": colour}}


def apply_titles(fig: go.Figure, title: str, subtitle: str | None, source: str | None,
                 *, height: int = 440, wrap: int = 100) -> go.Figure:
    """Title, subtitle and source line, inside the figure so that they survive export.

    The source is wrapped at `wrap` characters (annotations do not wrap by themselves) and
    the bottom margin grows to hold it.
    """
    text = f"<b>{title}</b>"
    if subtitle:
        text += f"<br><span style='font-size:13px;color:{COLOURS['muted']}'>{subtitle}</span>"
    fig.update_layout(template=TEMPLATE, title={"text": text}, height=height)
    if source:
        lines = textwrap.wrap(f"Source: {source}", wrap) or [""]
        fig.update_layout(margin={"b": 74 + 14 * len(lines)})
        fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0,
                           yshift=-62, xanchor="left", yanchor="top", showarrow=False,
                           font={"size": 11, "color": COLOURS["muted"]}, align="left")
    return fig


def sparse_ticks(labels: Sequence[str], most: int = MAX_TICKS) -> dict[str, Any]:
    """Axis settings that label every k-th category (ending at the latest) when there are many.

    Monthly series have too many labels to read; plotly would turn them on end, where they
    run into the source line. Every point keeps its label in the hover text and the table.
    """
    labels = list(labels)
    if len(labels) <= most:
        return {}
    step = -(-len(labels) // most)
    shown = labels[::-1][::step][::-1]
    return {"tickmode": "array", "tickvals": shown, "ticktext": shown, "tickangle": 0}


def empty_figure(message: str) -> go.Figure:
    """A blank chart that says why there is nothing to draw."""
    fig = go.Figure(layout={"template": TEMPLATE, "height": 220,
                            "xaxis": {"visible": False}, "yaxis": {"visible": False},
                            "margin": {"l": 20, "r": 20, "t": 20, "b": 20}})
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 15, "color": COLOURS["muted"]})
    return fig
