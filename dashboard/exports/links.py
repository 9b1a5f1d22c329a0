"""Links from a view to its downloads: the view's own query on an ``/export/...`` path.

A view passes its :class:`~dashboard.viewstate.ViewState`; the link carries the same area,
indicator, neighbours, years, vintage and filters, so the file matches what is on screen.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.viewstate import KEYS, ViewState

PATHS = {("chart", "png"), ("chart", "svg"), ("table", "csv"), ("table", "xlsx"),
         ("pack", "pdf")}


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
