"""Links from a view to its downloads: the view's own query on an ``/export/...`` path.

A view passes its :class:`~dashboard.viewstate.ViewState`; the link carries the same area,
indicator, neighbours, years, vintage and filters, so the file matches what is on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, urlencode

from dashboard.viewstate import KEYS, ViewState

PATHS = {("chart", "png"), ("chart", "svg"), ("table", "csv"), ("table", "xlsx"),
         ("pack", "pdf")}
#: What a view's download link can point at: its charts, and the table each page shows.
CHART_TARGETS = ("trend", "bar")
TABLE_TARGETS = ("scorecard", "indicator", "compare")


def export_href(kind: str, fmt: str, state: ViewState, **extra: str | int | None) -> str:
    """``/export/chart.png?area=E06000033&domain=children&indicator=ReReferral&chart=bar``.

    Args:
        kind: ``chart``, ``table`` or ``pack``.
        fmt: ``png`` or ``svg`` (chart), ``csv`` or ``xlsx`` (table), ``pdf`` (pack).
        state: The view's state; its non-default values become the query.
        extra: Export options: ``chart="bar"``, ``size="slide"``, ``scale=3``,
            ``view="scorecard"``, ``codes="A,B"``; None values are left out.
    """
    if (kind, fmt) not in PATHS:
        raise ValueError(f"no export /export/{kind}.{fmt}")
    params = state.to_params(KEYS)
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    return f"/export/{kind}.{fmt}?{urlencode(params, safe=',')}"


def download_href(target: str, fmt: str, state: ViewState, size: str | None = None) -> str:
    """The link of one chart's or table's download on a view.

    Args:
        target: A chart (``trend``, ``bar``) or the table of a page (``scorecard``,
            ``indicator``, ``compare``).
        fmt: ``png`` or ``svg`` for a chart, ``csv`` or ``xlsx`` for a table.
        state: The view's state.
        size: A chart's size, ``word`` (the default, left out of the link) or ``slide``.
    """
    if target in CHART_TARGETS:
        return export_href("chart", fmt, state, chart=target,
                           size=None if size in (None, "", "word") else size)
    if target in TABLE_TARGETS:
        return export_href("table", fmt, state, view=target)
    raise ValueError(f"no download of {target!r}")


def download_hrefs(query: str, links: Sequence[Mapping[str, str]],
                   sizes: Mapping[str, str] | None = None) -> list[str]:
    """Every download link of a view, from the query its address bar shows.

    Args:
        query: The view's query string (``area=E06000033&indicator=ReReferral&...``).
        links: Each link's ``target`` and ``fmt`` (the links' component IDs).
        sizes: Chart target -> chosen size.
    """
    state = ViewState.from_query(dict(parse_qsl(query)))
    sizes = sizes or {}
    return [download_href(link["target"], link["fmt"], state, sizes.get(link["target"]))
            for link in links]
