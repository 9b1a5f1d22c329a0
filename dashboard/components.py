"""Dash building blocks shared by the pages: the control bar, notices, RAG chips and tables.

The only module under ``dashboard/`` that imports Dash. Each function turns core results
(``Scorecard`` rows, the compare grid, frames) into components; none queries the store.
Tables are real HTML tables with ``scope`` on header cells and a caption, so that screen
readers can navigate them, and nothing is said by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.exports.links import download_href
from dashboard.figures import sparkline_data_uri
from dashboard.figures.spc import assurance_icon_svg, svg_data_uri, variation_icon_svg
from dashboard.scorecard import IndicatorSummary
from dashboard.viewstate import KEYS, Choices, ViewState

DOMAIN_LABELS = {"children": "Children's safeguarding", "adults": "Adults' safeguarding",
                 "partnership": "Partnership (local data)"}
#: Short labels for the domain control, which must fit a narrow field.
DOMAIN_CHOICES = {"children": "Children", "adults": "Adults", "partnership": "Partnership"}
ARROWS = {"up": "↑", "down": "↓", "same": "→"}
JUDGEMENT_WORDS = {"improving": "better", "worsening": "worse", "neutral": "no judgement",
                   "no data": "no previous figure"}
SYNTHETIC = "synthetic demo data"
#: Select values meaning "no choice": native selects show a blank for an empty value.
ALL_THEMES = "all"
LATEST = "latest"
ANY_YEAR = "any"


def chosen(value: str | None, sentinel: str) -> str | None:
    """A select's value, or None for its "all"/"latest"/"any" option."""
    return None if value in (None, "", sentinel) else value


# -- shell pieces ------------------------------------------------------------------------


def _field(label: str, control: Any, control_id: str, width: str) -> html.Div:
    return html.Div([dbc.Label(label, html_for=control_id, className="control-label"),
                     control], className=f"control-field {width}")


def control_bar(state: ViewState, choices: Choices, area_options: list[dict[str, str]],
                controls: ids.ControlIds, extra: Sequence[Any] = (),
                show_theme: bool = True) -> html.Section:
    """Home area (searchable), domain, theme and comparator vintage, plus page controls.

    ``show_theme=False`` keeps the theme control (its callbacks need it) but hides it, for a
    page where the theme only narrows a list that is searchable anyway.
    """
    themes = choices.themes.get(state.domain, ())
    vintages = choices.vintages.get(state.domain, ())
    return html.Section([
        _field("Home area", dcc.Dropdown(
            id=controls.area, options=area_options, value=state.area, clearable=False,
            searchable=True, placeholder="Type to search for a local authority",
            className="area-dropdown"), controls.area, "wide"),
        _field("Domain", dbc.Select(
            id=controls.domain, value=state.domain,
            options=[{"label": v, "value": k} for k, v in DOMAIN_CHOICES.items()]),
            controls.domain, "medium"),
        _field("Theme", dbc.Select(id=controls.theme, value=state.theme or ALL_THEMES,
                                   options=theme_options(themes)), controls.theme,
               "medium" if show_theme else "d-none"),
        _field("Neighbours", dbc.Select(
            id=controls.vintage, value=state.vintage or (vintages[0] if vintages else ""),
            options=vintage_options(vintages)), controls.vintage, "narrow"),
        *extra,
    ], className="control-bar", **{"aria-label": "View settings"})


def theme_options(themes: Sequence[str]) -> list[dict[str, str]]:
    """Theme choices, with "All themes" first."""
    return [{"label": "All themes", "value": ALL_THEMES}] + [{"label": t, "value": t}
                                                              for t in themes]


def vintage_options(vintages: Sequence[str]) -> list[dict[str, str]]:
    """Comparator vintages, newest first, labelled for people."""
    return [{"label": v, "value": v} for v in vintages] or [{"label": "None", "value": ""}]


def period_options(years: Sequence[int]) -> list[dict[str, str]]:
    """The as-at choices: "Latest figures", then each year with data, newest first."""
    return [{"label": "Latest figures", "value": LATEST}] + [
        {"label": f"As at {y}", "value": str(y)} for y in years]


def notice(state: ViewState) -> html.Div:
    """A visible, dismissable note listing what in the address was ignored, if anything."""
    if not state.notices:
        return html.Div(id=ids.NOTICE)
    return html.Div(dbc.Alert([
        html.Strong("Some settings in the address were not used. "),
        html.Ul([html.Li(n) for n in state.notices], className="mb-0"),
    ], color="warning", dismissable=True, className="state-notice"), id=ids.NOTICE,
        role="status")


def url_store(state: ViewState, keys: Sequence[str] = KEYS) -> dcc.Store:
    """The page's state as query strings, written to the address bar by the shell."""
    return dcc.Store(id=ids.URL_STATE, data=url_data(state, keys))


def url_data(state: ViewState, keys: Sequence[str] = KEYS) -> dict[str, str]:
    """The data of :func:`url_store`: the page's full query and the query shared by pages."""
    return {"query": state.to_query(keys), "shared": state.shared_query()}


def synthetic_badge() -> dbc.Badge:
    """The mark every synthetic value carries."""
    return dbc.Badge(SYNTHETIC, className="synthetic-badge", color="light",
                     text_color="dark", pill=True)


def rag_chip(summary: IndicatorSummary) -> html.Span:
    """RAG with its symbol and label; the reason in a tooltip and for screen readers.

    The tooltip is pure CSS (``data-reason`` shown on hover and on keyboard focus) rather than
    one tooltip component per row, which keeps a 30-row scorecard quick to draw.
    """
    rag = summary.rag
    return html.Span([html.Span(rag.symbol, **{"aria-hidden": "true"}), f" {rag.label}",
                      html.Span(f": {rag.reason}", className="visually-hidden")],
                     className=f"rag-chip rag-{rag.status or 'none'}", tabIndex=0,
                     **{"data-reason": rag.reason})


# -- scorecard ---------------------------------------------------------------------------


def direction_cell(s: IndicatorSummary) -> list[Any]:
    """Arrow and words, coloured by polarity; the previous value and period beneath."""
    d = s.direction
    if d.arrow is None:
        return [html.Span("–", className="dir dir-none"),
                html.Span(" no previous figure", className="visually-hidden")]
    words = {"up": "Up", "down": "Down", "same": "No change"}[d.arrow]
    judged = d.judgement in ("improving", "worsening") and d.arrow != "same"
    text = f"{words}, {JUDGEMENT_WORDS[d.judgement]}" if judged else words
    prev = s.previous_period.label if s.previous_period else ""
    hidden = "" if judged else " (no judgement)"
    return [html.Span([html.Span(ARROWS[d.arrow], **{"aria-hidden": "true"}), f" {text}",
                       html.Span(hidden, className="visually-hidden")],
                      className=f"dir dir-{d.judgement}"),
            html.Div(f"from {s.fmt_short(s.previous_value)} ({prev})", className="cell-sub")]


def _value_cell(s: IndicatorSummary) -> list[Any]:
    text = s.fmt_short(s.value) if s.value is not None else (s.suppression or "–")
    out: list[Any] = [html.Span(text, className="cell-value")]
    if s.value is not None and s.unit == "rate" and s.unit_label:
        out.append(html.Div(s.unit_label, className="cell-sub"))
    if s.value is None and s.period is not None:
        out.append(html.Div("suppressed or not available", className="cell-sub"))
    if s.status and s.status != "final" and s.value is not None:
        out.append(html.Div(s.status, className="cell-sub"))
    if s.synthetic:
        out.append(html.Div(synthetic_badge()))
    return out


def _sparkline(s: IndicatorSummary) -> Any:
    values = [p.value for p in s.sparkline]
    uri = sparkline_data_uri(values)
    if not uri:
        return html.Span("–", title="Not enough points for a trend")
    alt = "Trend: " + ", ".join(f"{p.label} {s.fmt_short(p.value)}" for p in s.sparkline)
    return html.Img(src=uri, alt=alt, title=alt, width=96, height=28, className="sparkline")


def indicator_href(code: str, state: ViewState) -> str:
    """The indicator view's address for an indicator, keeping the control bar's settings."""
    return "/indicator?" + state.with_(indicator=code).to_query(
        ("area", "domain", "indicator", "vintage"))


SORTABLE = {"indicator": "Indicator", "change": "Change", "rank": "Rank", "band": "Band",
            "rag": "RAG"}
HEADERS = ("indicator", "period", "value", "change", "neighbours", "england", "rank", "band",
           "target", "rag", "trend")
HEADER_LABELS = {"indicator": "Indicator", "period": "Period", "value": "Value",
                 "change": "Change", "neighbours": "Neighbour avg.", "england": "England",
                 "rank": "Rank", "band": "Band", "target": "Target", "rag": "RAG",
                 "trend": "Trend", "variation": "Variation"}


def _header(col: str, sort: str | None) -> html.Th:
    label = HEADER_LABELS[col]
    if col not in SORTABLE:
        return html.Th(label, scope="col", className=f"col-{col}")
    key = (sort or "").lstrip("-")
    aria = "none"
    mark = "↕"
    if key == col:
        aria = "descending" if (sort or "").startswith("-") else "ascending"
        mark = "▼" if aria == "descending" else "▲"
    return html.Th(html.Button([label, html.Span(f" {mark}", className="sort-mark",
                                                 **{"aria-hidden": "true"})],
                               id=ids.sort_button(col), className="sort-button", n_clicks=0,
                               title=f"Sort by {label.lower()}"),
                   scope="col", className=f"col-{col}", **{"aria-sort": aria})


def scorecard_table(rows: Sequence[IndicatorSummary], state: ViewState,
                    caption: str) -> html.Table:
    """The scorecard: one row per indicator, grouped by theme unless sorted by a column."""
    variation = any(s.spc is not None for s in rows)
    headers = scorecard_headers(variation)
    head = html.Thead(html.Tr([_header(c, state.sort) for c in headers]))
    body: list[Any] = []
    theme = None
    for s in rows:
        if not state.sort and s.theme != theme:
            theme = s.theme
            body.append(html.Tr(html.Th(theme or "Other", colSpan=len(headers), scope="colgroup",
                                        className="theme-row")))
        body.append(_scorecard_row(s, state, variation))
    if not rows:
        body.append(html.Tr(html.Td("No indicators match these filters.",
                                    colSpan=len(headers), className="text-muted p-3")))
    return html.Table([html.Caption(caption), head, html.Tbody(body)],
                      className="table scorecard-table align-middle")


def scorecard_headers(variation: bool = False) -> tuple[str, ...]:
    """The scorecard's columns; "variation" after RAG when some row has local SPC data."""
    if not variation:
        return HEADERS
    at = HEADERS.index("rag") + 1
    return (*HEADERS[:at], "variation", *HEADERS[at:])


def _scorecard_row(s: IndicatorSummary, state: ViewState, variation: bool = False) -> html.Tr:
    nb = s.neighbours
    extra = [html.Td(variation_cell(s), className="col-variation")] if variation else []
    return html.Tr([
        html.Th(dcc.Link(s.name, href=indicator_href(s.code, state), className="ind-link",
                         title=f"Open {s.name} ({s.code})"), scope="row", className="col-ind"),
        html.Td(s.period.label if s.period else "–", className="col-period"),
        html.Td(_value_cell(s), className="num"),
        html.Td(direction_cell(s)),
        html.Td([html.Span(s.fmt_short(nb.value)),
                 html.Div(nb.reporting_text, className="cell-sub nowrap",
                          title=f"{nb.reporting_text} neighbours reporting")],
                className="num"),
        html.Td(s.fmt_short(s.england), className="num"),
        html.Td(s.position.rank_text or "–", className="num nowrap"),
        html.Td(band_badge(s.position.band), className="text-center"),
        html.Td(s.fmt_short(s.target) if s.target is not None else "–", className="num"),
        html.Td(rag_chip(s)),
        *extra,
        html.Td(_sparkline(s)),
    ], className="sc-row", **{"data-code": s.code, "data-rag": s.rag.status or "none",
                              "data-variation": s.spc.variation if s.spc else "none"})


def band_badge(band: str | None) -> Any:
    """The quartile band letter on its tint (A best), or a dash."""
    if not band:
        return html.Span("–", title="No band (no judgement for this indicator)")
    return html.Span(band, className=f"band band-{band}", title=f"Quartile band {band}")


def counts_bar(counts: dict[str, int], worse: int) -> html.Div:
    """How many indicators are red, amber, green, without RAG, and worse and worsening."""
    cards = [
        ("red", "▲", "Red", counts.get("red", 0)),
        ("amber", "◆", "Amber", counts.get("amber", 0)),
        ("green", "●", "Green", counts.get("green", 0)),
        ("none", "○", "No RAG", counts.get("none", 0)),
    ]
    items = [html.Div([html.Span(sym, className="count-symbol", **{"aria-hidden": "true"}),
                       html.Span(str(n), className="count-number"),
                       html.Span(label, className="count-label")],
                      className=f"count-card count-{status}")
             for status, sym, label, n in cards]
    items.append(html.Div([html.Span("↘", className="count-symbol", **{"aria-hidden": "true"}),
                           html.Span(str(worse), className="count-number"),
                           html.Span("Worse than comparators and getting worse",
                                     className="count-label")],
                          className="count-card count-worse"))
    return html.Div(items, className="counts", role="group",
                    **{"aria-label": "RAG counts"})


# -- compare grid ------------------------------------------------------------------------


def compare_table(grid: Any, state: ViewState, caption: str) -> html.Table:
    """Indicators by areas; each cell the value on its band's tint with the band letter."""
    head = html.Thead(html.Tr(
        [html.Th("Indicator", scope="col", className="col-ind")]
        + [html.Th(name, scope="col", className="area-col" + (" home-col" if i == 0 else ""))
           for i, (_, name) in enumerate(grid.columns)]))
    body = []
    for row in grid.rows:
        cells = [html.Th([dcc.Link(row.name, href=indicator_href(row.code, state)),
                          html.Div(row.period, className="cell-sub")] + (
            [html.Div(synthetic_badge())] if row.synthetic else []), scope="row",
            className="col-ind")]
        for i, cell in enumerate(row.cells):
            cls = f"grid-cell band-bg-{cell.band or 'none'}" + (" home-col" if i == 0 else "")
            title = (f"{grid.columns[i][1]}: {cell.text}, band {cell.band}" if cell.band
                     else f"{grid.columns[i][1]}: {cell.text}")
            content: list[Any] = [cell.text]
            if cell.band:
                content.append(html.Span(cell.band, className="grid-band"))
            cells.append(html.Td(content, className=cls, title=title))
        body.append(html.Tr(cells))
    if not grid.rows:
        body.append(html.Tr(html.Td("No indicators to compare.", colSpan=len(grid.columns) + 1)))
    return html.Table([html.Caption(caption), head, html.Tbody(body)],
                      className="table compare-table")


def band_legend() -> html.Div:
    """The key to the compare grid's colours (the band letter is always in the cell too)."""
    items = [("A", "best quarter of English LAs"), ("B", "second-best quarter"),
             ("C", "second-worst quarter"), ("D", "worst quarter")]
    return html.Div([html.Span("Key: ", className="fw-semibold")] + [
        html.Span([html.Span(b, className=f"band band-{b}"), f" {words}"], className="me-3")
        for b, words in items] + [html.Span("Grey: no judgement (no polarity) or England.",
                                            className="text-muted")],
        className="band-legend small")


# -- generic tables ----------------------------------------------------------------------


def frame_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str]], caption: str,
                *, row_header: str | None = None, class_name: str = "") -> html.Table:
    """An HTML table of a frame's columns ``(column, header)``; None shows as a dash."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for _, h in columns]))
    body = []
    for rec in frame.to_dict("records"):
        cells = []
        for col, _ in columns:
            v = rec.get(col)
            text = "–" if v is None or (isinstance(v, float) and pd.isna(v)) else v
            cells.append(html.Th(text, scope="row") if col == row_header else html.Td(text))
        body.append(html.Tr(cells))
    return html.Table([html.Caption(caption), head, html.Tbody(body)],
                      className=f"table table-sm data-table {class_name}".strip())


# -- downloads ---------------------------------------------------------------------------

SIZE_CHOICES = [{"label": "Word page", "value": "word"},
                {"label": "16:9 slide", "value": "slide"}]
FORMAT_WORDS = {"png": "PNG", "svg": "SVG", "csv": "CSV", "xlsx": "Excel"}


def download_link(target: str, fmt: str, state: ViewState, what: str,
                  size: str | None = None) -> html.A:
    """A plain link that downloads a chart or table; its href follows the view's state.

    The visible text is short ("Download PNG"); the hidden words say which chart or table,
    so that a screen reader's list of links tells them apart.
    """
    return html.A([f"Download {FORMAT_WORDS[fmt]}",
                   html.Span(f" of the {what}", className="visually-hidden")],
                  id=ids.export_link(target, fmt), href=download_href(target, fmt, state, size),
                  download="", className="btn btn-outline-primary btn-sm export-link")


def chart_downloads(state: ViewState, target: str, what: str) -> html.Div:
    """Under a chart: its size choice and PNG and SVG downloads drawn on the server."""
    return _download_group([
        html.Fieldset([
            html.Legend("Image size", className="export-label"),
            dbc.RadioItems(id=ids.chart_size(target), options=SIZE_CHOICES, value="word",
                           inline=True, className="size-choice"),
        ], className="export-size"),
        download_link(target, "png", state, what),
        download_link(target, "svg", state, what),
    ], what)


def table_downloads(state: ViewState, target: str, what: str) -> html.Div:
    """Beside a table: CSV and Excel downloads of the same rows, with notes and sources."""
    return _download_group([download_link(target, "csv", state, what),
                            download_link(target, "xlsx", state, what)], what)


def _download_group(children: list[Any], what: str) -> html.Div:
    named: dict[str, Any] = {"aria-label": f"Download the {what}"}
    return html.Div(children, className="export-bar no-print", role="group", **named)


# -- signal or noise (SPC) ---------------------------------------------------------------

LIMIT_WARNINGS = {"unreliable": "limits unreliable (fewer than 12 points)",
                  "none": "no limits (fewer than 6 points)"}


def mdc_icon(svg_uri: str | None, size: int = 22) -> Any:
    """A Making Data Count icon beside its words: decorative (empty alt), or nothing."""
    if svg_uri is None:
        return None
    return html.Img(src=svg_uri, alt="", width=size, height=size, className="mdc-icon")


def variation_badge(variation: str, text: str, direction: str | None = None,
                    size: int = 22) -> html.Span:
    """The variation icon with its words ("special cause — concern")."""
    icon = mdc_icon(svg_data_uri(variation_icon_svg(variation, direction)), size)
    return html.Span([icon, html.Span(text, className="mdc-words")],
                     className=f"mdc mdc-variation mdc-{variation.replace('_', '-')}")


def assurance_badge(assurance: str | None, text: str | None, size: int = 22) -> html.Span:
    """The assurance icon with its words ("will consistently fail the target")."""
    icon = mdc_icon(svg_data_uri(assurance_icon_svg(assurance)), size)
    return html.Span([icon, html.Span(text or "no assurance", className="mdc-words")],
                     className=f"mdc mdc-assurance mdc-{(assurance or 'none').replace('_', '-')}")


def variation_cell(s: IndicatorSummary) -> list[Any]:
    """The scorecard's variation: icon and words, the assurance where a target exists."""
    spc = s.spc
    if spc is None:
        return [html.Span("–", **{"aria-hidden": "true"}),
                html.Span("no monthly or quarterly local data", className="visually-hidden")]
    out: list[Any] = [variation_badge(spc.variation, spc.variation_text, spc.direction, 20)]
    if spc.assurance:
        out.append(html.Div(assurance_badge(spc.assurance, spc.assurance_text, 18),
                            className="cell-sub"))
    if spc.limits in LIMIT_WARNINGS and spc.variation != "not_enough_points":
        out.append(html.Div(LIMIT_WARNINGS[spc.limits], className="cell-sub"))
    return out
