"""The indicator view: trend, comparison with every neighbour, funnel, breakdowns, narrative.

Reproducible from its URL: ``/indicator?area=E06000033&indicator=ReReferral&
neighbours=E06000058,E08000035&from=2016&to=2024``. Every chart has a table twin below it; the
trend and comparison charts download as print-ready PNG or SVG, the data as CSV or Excel.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.cache import cache
from dashboard.components import (
    ANY_YEAR,
    chart_downloads,
    control_bar,
    frame_table,
    notice,
    rag_chip,
    synthetic_badge,
    table_downloads,
    url_data,
    url_store,
)
from dashboard.figures import (
    breakdown_figure,
    comparison_bar,
    empty_figure,
    funnel_figure,
    trend_figure,
)
from dashboard.formatting import unit_words
from dashboard.views_data import (
    IndicatorData,
    area_options,
    breakdowns,
    cached_choices,
    cached_indicator,
    data_key,
    funnel_points,
    indicator_options,
    latest_comparison,
    read_state,
    series_years,
    summary_for,
    trend_table,
)
from dashboard.viewstate import ViewState
from layouts.indicator_notes import notes_section, with_overlays
from layouts.indicator_signals import chart_toggle, parts_for, with_forecast

dash.register_page(__name__, path="/indicator", name="Indicator", order=1,
                   title="Indicator · Safeguarding partnership performance")

KEYS = ("area", "domain", "indicator", "vintage", "neighbours", "from", "to", "chart")
POLARITY_WORDS = {"high": "Higher is better", "low": "Lower is better",
                  "none": "No judgement: neither higher nor lower is better in itself",
                  "target_band": "Best within a target range"}
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2}}


class IndicatorView(NamedTuple):
    """Everything the indicator page shows for one state (layout and callback share it).

    A NamedTuple rather than a dataclass: Dash Pages executes this module before registering
    it in ``sys.modules``, which dataclasses need.
    """

    state: ViewState
    heading: Any
    summary: Any
    trend: go.Figure
    bar: go.Figure
    funnel: Any
    breakdown: Any
    definition: Any
    table: Any
    neighbour_options: list[dict[str, str]]
    year_options: list[dict[str, str]]
    indicator_options: list[dict[str, str]]
    bar_table: Any = None

    def outputs(self, shown_neighbours: list[str] | None = None,
                trigger: str | None = None) -> tuple[Any, ...]:
        """The values of the page callback's outputs, in order.

        The neighbour checklist's value is only sent when it must change (a new area or
        comparator group drops neighbours), so that it does not set off the trend callback;
        when only the first year changed, the parts that do not depend on it are not resent.
        """
        s = self.state
        keep = shown_neighbours is not None and list(s.neighbours) == list(shown_neighbours)
        out = [self.heading, self.summary, self.trend, self.bar, self.funnel, self.breakdown,
               self.definition, self.table, self.neighbour_options,
               dash.no_update if keep else list(s.neighbours),
               self.year_options, str(s.from_ or ANY_YEAR), self.year_options,
               str(s.to or ANY_YEAR), self.indicator_options, s.indicator, self.bar_table,
               url_data(s, KEYS)]
        if trigger == ids.IND_FROM:
            unchanged = (1, 3, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16)
            out = [dash.no_update if i in unchanged else v for i, v in enumerate(out)]
        return tuple(out)


def layout(**query: Any) -> html.Div:
    """The indicator view for the state in the URL (unknown keys ignored with a notice)."""
    state = read_state(query)
    choices = cached_choices()
    v = view(state)
    s = v.state
    extra = [
        html.Div([dbc.Label("Indicator", html_for=ids.IND_SELECT, className="control-label"),
                  dcc.Dropdown(id=ids.IND_SELECT, options=v.indicator_options,
                               value=s.indicator, clearable=False, searchable=True)],
                 className="control-field wide"),
        html.Div([dbc.Label("From", html_for=ids.IND_FROM, className="control-label"),
                  dbc.Select(id=ids.IND_FROM, options=v.year_options,
                             value=str(s.from_ or ANY_YEAR))], className="control-field narrow"),
        html.Div([dbc.Label("To", html_for=ids.IND_TO, className="control-label"),
                  dbc.Select(id=ids.IND_TO, options=v.year_options,
                             value=str(s.to or ANY_YEAR))],
                 className="control-field narrow"),
    ]
    sp = parts_for(s)
    return html.Div([
        notice(s),
        control_bar(s, choices, area_options(choices), ids.IND_CONTROLS, extra=extra,
                    show_theme=False),
        html.Div(v.heading, id=ids.IND_HEADING),
        dbc.Row([
            dbc.Col([
                chart_toggle(s),
                html.Div([
                    # Wrapped: a responsive graph is 100% high, which would swallow its siblings.
                    figure_box(dcc.Graph(id=ids.IND_TREND, figure=v.trend, config=GRAPH_CONFIG,
                                         className="chart"), ids.IND_TREND, "Trend chart:",
                               TREND_TEXT, ids.IND_TABLE),
                    chart_downloads(s, "trend", "trend chart"),
                    html.Fieldset([
                        html.Legend("Show neighbours on the trend chart:",
                                    className="panel-title"),
                        dbc.Checklist(id=ids.IND_NEIGHBOURS, options=v.neighbour_options,
                                      value=list(s.neighbours), inline=True,
                                      className="neighbour-list"),
                    ], className="neighbours-panel"),
                ], id=ids.IND_TREND_BOX, hidden=sp.trend_hidden),
                html.Div(sp.spc_box, id=ids.IND_SPC_BOX, hidden=sp.spc_hidden),
            ], lg=9),
            dbc.Col([html.Div(v.summary, id=ids.IND_SUMMARY),
                     html.Div(sp.panel, id=ids.IND_SIGNAL, className=sp.panel_class),
                     html.Div(notes_section(s, cached_indicator(s)), id=ids.NOTE_SECTION)],
                    lg=3, className="d-flex flex-column"),
        ], className="g-3 mb-3"),
        dbc.Row([
            dbc.Col([figure_box(dcc.Graph(id=ids.IND_BAR, figure=v.bar, config=GRAPH_CONFIG,
                                          className="chart"), ids.IND_BAR,
                                "Latest-period comparison chart:", BAR_TEXT, ids.IND_BAR_TABLE),
                     chart_downloads(s, "bar", "latest-period comparison chart"),
                     html.Div(v.bar_table, id=ids.IND_BAR_TABLE)], lg=6),
            dbc.Col(html.Div(v.funnel, id=ids.IND_FUNNEL_BOX), lg=6),
        ], className="g-3 mb-3"),
        html.Div(v.breakdown, id=ids.IND_BREAKDOWN_BOX),
        dbc.Row([
            dbc.Col(html.Div(v.table, id=ids.IND_TABLE), lg=8),
            dbc.Col(html.Div(v.definition, id=ids.IND_DEFINITION), lg=4),
        ], className="g-3"),
        url_store(s, KEYS),
    ], className="page page-indicator")


def view(state: ViewState) -> IndicatorView:
    """Build every part of the page for a state."""
    choices = cached_choices()
    if state.indicator and choices.indicators.get(state.indicator) != state.domain:
        state = state.with_(indicator=None)  # the domain changed: open that domain's first
    data = cached_indicator(state)
    options = indicator_options(state.domain, state.theme, state.indicator)
    if data is None:
        message = html.P("There are no indicators for this domain yet.", className="lead")
        blank = empty_figure("No data")
        return IndicatorView(state, [html.H1("Indicator", id=ids.IND_TITLE)], message, blank,
                             blank, None, None, None, None, [], [], options)
    state = state.with_(indicator=data.meta["code"])
    group_codes = [n.area.code for n in data.group.neighbours] if data.group else []
    state = state.with_(neighbours=tuple(c for c in state.neighbours if c in group_codes))
    years = series_years(data)
    year_options = [{"label": "Any", "value": ANY_YEAR}] + [{"label": str(y), "value": str(y)}
                                                      for y in years]
    table = trend_table(data, state.neighbours, state.from_, state.to)
    summary = summary_for(state, data.meta["code"], state.to)
    vintage = data.group.vintage if data.group else None
    return IndicatorView(
        state=state,
        heading=heading(data, state, table),
        summary=summary_card(summary),
        trend=trend(data, state, table, summary),
        bar=bar_json(_db(), data.meta["code"], data.area.code, state.domain, vintage, state.to),
        funnel=funnel_box(_db(), data.meta["code"], data.area.code, state.domain, vintage,
                          state.to),
        breakdown=breakdown(data, state),
        definition=definition(data),
        table=data_table(data, state, table),
        bar_table=bar_twin(_db(), data.meta["code"], data.area.code, state.domain, vintage,
                           state.to),
        neighbour_options=[
            {"label": f"{n.position}. {n.area.name}" + (f" ({n.closeness.lower()})"
                                                        if n.closeness else ""),
             "value": n.area.code} for n in (data.group.neighbours if data.group else ())],
        year_options=year_options,
        indicator_options=options,
    )


def trend_part(state: ViewState) -> tuple[Any, Any, dict[str, str]]:
    """Only the trend chart, its table and the URL: what a neighbour switch changes."""
    data = cached_indicator(state)
    if data is None:
        return dash.no_update, dash.no_update, dash.no_update
    codes = {n.area.code for n in data.group.neighbours} if data.group else set()
    state = state.with_(indicator=data.meta["code"],
                        neighbours=tuple(c for c in state.neighbours if c in codes))
    table = trend_table(data, state.neighbours, state.from_, state.to)
    summary = summary_for(state, data.meta["code"], state.to)
    return trend(data, state, table, summary), data_table(data, state, table), \
        url_data(state, KEYS)


def _db() -> str:
    return data_key()  # the database and its newest load: see views_data.data_key


TREND_TEXT = ("Lines over time for the home area, the statistical neighbour average, England, the "
              "region and any neighbours switched on below. The same figures are in the table "
              "'Data behind the trend chart' further down the page.")
BAR_TEXT = ("Horizontal bars for the home area, each statistical neighbour and England at the "
            "latest period, sorted by value. The same figures are in the table below the chart.")
FUNNEL_TEXT = ("Each English local authority's value plotted against its denominator, with "
               "control limits around England's value. The same figures are in the table below "
               "the chart.")


def figure_box(graph: Any, chart: str, kind: str, description: str, table: str,
               titled: bool = True) -> html.Div:
    """A chart as a figure for assistive technology (plotly's SVG has no text alternative).

    Its name is its kind and the page's title ("Trend chart: Re-referrals within 12 months"),
    its description a sentence on what it shows, and ``data-table`` the ID of its table twin,
    which holds the same numbers. The name follows the title when a callback changes it.
    """
    label, desc = ids.chart_part(chart, "label"), ids.chart_part(chart, "desc")
    return html.Div([html.Span(kind, id=label, className="visually-hidden"), graph,
                     html.P(description, id=desc, className="visually-hidden")],
                    role="figure", **{"aria-labelledby": f"{label} {ids.IND_TITLE}" if titled
                                      else label, "aria-describedby": desc, "data-table": table})


@cache.memoize(timeout=600)
def bar_json(db: str, code: str, area: str, domain: str, vintage: str | None,
             to: int | None) -> dict[str, Any]:
    """The comparison bar chart as a plain dict, cached: neighbours do not change it."""
    data = cached_indicator(ViewState(area=area, domain=domain, vintage=vintage, indicator=code))
    return bar(data, ViewState(area=area, to=to)).to_plotly_json() if data else {}


@cache.memoize(timeout=600)
def bar_twin(db: str, code: str, area: str, domain: str, vintage: str | None,
             to: int | None) -> Any:
    """The comparison chart's table twin: home, every neighbour and England, as drawn."""
    data = cached_indicator(ViewState(area=area, domain=domain, vintage=vintage, indicator=code))
    frame = latest_comparison(data, to) if data else None
    if data is None or frame is None or frame.empty:
        return None
    if _is_count(data):
        frame = frame[frame["role"] != "england"]
    frame = frame.sort_values("value", ascending=False, na_position="last")
    period = frame["period"].iloc[0]
    shown = frame.assign(value=[data.fmt(v) if v == v and v is not None else "–"
                                for v in frame["value"]],
                         role=[ROLE_WORDS.get(r, r) for r in frame["role"]])
    caption = f"{_name(data)}, {period}: {data.area.name}, its neighbours and England"
    return html.Details([
        html.Summary(f"Table: the comparison chart's figures, {period}"),
        html.Div(frame_table(shown, [("area_name", "Area"), ("role", "Role"),
                                     ("value", "Value")], caption, row_header="area_name"),
                 className="table-wrap"),
    ], className="mb-3 mt-1")


ROLE_WORDS = {"home": "Home area", "neighbour": "Statistical neighbour", "england": "England"}


@cache.memoize(timeout=600)
def funnel_box(db: str, code: str, area: str, domain: str, vintage: str | None,
               to: int | None) -> Any:
    """The funnel plot (or why there is none), cached like the bar chart."""
    data = cached_indicator(ViewState(area=area, domain=domain, vintage=vintage, indicator=code))
    return funnel(data, ViewState(area=area, to=to)) if data else None


def _name(data: IndicatorData) -> str:
    return str(data.meta.get("short_name") or data.meta["name"])


def _range_text(table: Any) -> str:
    if table.empty:
        return "no periods in range"
    first, last = table["period"].iloc[0], table["period"].iloc[-1]
    return f"{first} to {last}" if first != last else str(first)


def _source(data: IndicatorData) -> str:
    source = str(data.meta.get("source") or "not recorded")
    licence = data.meta.get("licence")
    return source + (f" ({licence})" if licence else "")


def heading(data: IndicatorData, state: ViewState, table: Any) -> list[Any]:
    """Title and a line naming the area, the years shown and the comparator group."""
    group = (f"neighbours: {data.group.name}" if data.group else "no comparator group")
    meta: list[Any] = [f"{data.area.name}, {_range_text(table)}; {group}."]
    if not table.empty and table["synthetic"].any():
        meta += [" ", synthetic_badge()]
    return [html.H1(_name(data), className="page-title", id=ids.IND_TITLE),
            html.P(meta, className="page-meta")]


def summary_card(s: Any) -> Any:
    """The latest value, its RAG with the reason, position, and the narrative."""
    if s is None:
        return None
    stats = [
        ("Latest", s.fmt(s.value) if s.value is not None else (s.suppression or "–"),
         s.period.label if s.period else ""),
        ("Neighbour average", s.fmt_short(s.neighbours.value),
         f"{s.neighbours.reporting_text} reporting"),
        ("England", s.fmt_short(s.england), ""),
        ("Rank", s.position.rank_text or "–",
         f"band {s.position.band}" if s.position.band else "no band"),
    ]
    return html.Div([
        html.Div([html.Div([html.Div(label, className="stat-label"),
                            html.Div(value, className="stat-value"),
                            html.Div(sub, className="stat-sub")], className="stat")
                  for label, value, sub in stats], className="stats"),
        html.Div([html.Span("RAG ", className="stat-label me-2"), rag_chip(s)],
                 className="mb-2"),
        html.P(s.narrative, className="narrative mb-0"),
    ], className="side-panel summary-panel mb-3")


def trend(data: IndicatorData, state: ViewState, table: Any, summary: Any) -> go.Figure:
    """The trend chart for the state's neighbours and years."""
    if table.empty or table["home"].isna().all():
        return empty_figure(f"No headline figures for {data.area.name} in this range; "
                            "any breakdown is shown below.")
    names = {n.area.code: n.area.name for n in data.group.neighbours} if data.group else {}
    sub = f"{data.area.name}, {_range_text(table)}"
    if not table.empty and table["synthetic"].any():
        sub += " · includes synthetic demo data"
    fig = trend_figure(
        table, home_name=data.area.name, fmt=data.fmt, title=_name(data), subtitle=sub,
        source=_source(data), y_title=unit_words(data.meta["unit"], data.meta["unit_label"]),
        region_name=data.region.name if data.region else None,
        neighbours=[(c, names.get(c, c)) for c in state.neighbours],
        target=summary.target if summary is not None else None, totals=_is_count(data))
    return with_overlays(with_forecast(fig, data, table), data, state, table)


def _is_count(data: IndicatorData) -> bool:
    """Counts of events: England's total is not comparable with one area's."""
    return data.meta["unit"] in ("count", "number")


def bar(data: IndicatorData, state: ViewState) -> go.Figure:
    """The latest period in range: home, every neighbour and England."""
    frame = latest_comparison(data, state.to)
    if _is_count(data):
        frame = frame[frame["role"] != "england"]
    if frame.empty:
        return empty_figure("No figure for the home area in this range")
    nb = frame[frame["role"] == "neighbour"]["value"].dropna()
    period = frame["period"].iloc[0]
    total = len(data.group.neighbours) if data.group else 0
    return comparison_bar(
        frame, fmt=data.fmt, title=f"{_name(data)}, {period}",
        subtitle=f"{data.area.name} and its statistical neighbours ({len(nb)} of {total} "
                 "reporting)" + ("" if _is_count(data) else " and England"),
        source=_source(data), x_title=unit_words(data.meta["unit"], data.meta["unit_label"]),
        neighbour_average=float(nb.mean()) if len(nb) else None)


def funnel(data: IndicatorData, state: ViewState) -> Any:
    """A funnel plot where counts and denominators exist; otherwise a sentence saying so."""
    points = funnel_points(data, state.to)
    england = latest_comparison(data, state.to)
    eng = england[england["role"] == "england"]["value"].dropna()
    if points is None or eng.empty:
        return html.Div([
            html.H2("Funnel plot", className="h6 panel-title"),
            html.P("A funnel plot needs each area's count and denominator; this source "
                   "publishes rates only, so none is drawn.", className="text-muted mb-0"),
        ], className="side-panel h-auto")
    codes = [n.area.code for n in data.group.neighbours] if data.group else []
    period = england["period"].iloc[0]
    fig = funnel_figure(
        points, home_code=data.area.code, neighbour_codes=codes, benchmark=float(eng.iloc[0]),
        unit=data.meta["unit"], multiplier=data.multiplier, fmt=data.fmt,
        title=f"{_name(data)}: funnel plot, {period}",
        subtitle="Every English local authority against its denominator, with limits around "
                 "England", source=_source(data),
        y_title=unit_words(data.meta["unit"], data.meta["unit_label"]))
    graph = dcc.Graph(id=ids.IND_FUNNEL, figure=fig.to_plotly_json(), config=GRAPH_CONFIG,
                      className="chart")
    table = ids.chart_part(ids.IND_FUNNEL, "table")
    twin = points.sort_values("area_name").assign(
        value=[data.fmt(v) for v in points.sort_values("area_name")["value"]])
    return html.Div([
        figure_box(graph, ids.IND_FUNNEL, "Funnel plot:", FUNNEL_TEXT, table),
        html.Details([
            html.Summary(f"Table: the funnel plot's figures, {period}"),
            html.Div(frame_table(twin, [("area_name", "Local authority"), ("value", "Value"),
                                        ("numerator", "Count"), ("denominator", "Denominator")],
                                 f"{_name(data)}, {period}: every English local authority",
                                 row_header="area_name"), className="table-wrap"),
        ], id=table, className="mb-3 mt-1"),
    ])


def breakdown(data: IndicatorData, state: ViewState) -> Any:
    """One chart per breakdown dimension (home beside England) with its table twin."""
    frame = breakdowns(data, state.from_, state.to)
    if frame.empty:
        return None
    areas = [data.area.name, "England"]
    parts: list[Any] = [html.H2("Breakdowns", className="section-title")]
    for i, d in enumerate(dict.fromkeys(frame["dimension"])):
        chart = ids.chart_part(ids.IND_BREAKDOWN, str(i))
        parts.append(figure_box(dcc.Graph(figure=breakdown_figure(
            frame, dimension=d, areas=areas, title=f"{_name(data)} by {d.lower()}",
            subtitle=f"{data.area.name} beside England" + (
                ", as shares of all recorded" if _is_count(data) else ""), source=_source(data),
            unit=data.meta["unit"]).to_plotly_json(), config=GRAPH_CONFIG, className="chart"),
            chart, f"Breakdown chart: {_name(data)} by {d.lower()}",
            f"Bars over time for {data.area.name} beside England, one colour per category of "
            f"{d.lower()}. The latest period's figures are in the table below the chart.",
            ids.chart_part(chart, "table"), titled=False))
        parts.append(html.Div(breakdown_table(data, frame[frame["dimension"] == d], d),
                              id=ids.chart_part(chart, "table")))
    return html.Section(parts, id=ids.IND_BREAKDOWN, className="mb-3")


def breakdown_table(data: IndicatorData, frame: Any, dimension: str) -> Any:
    """The latest period's breakdown as a table: category, home area, England."""
    home = frame[frame["area_name"] == data.area.name]
    period = (home if not home.empty else frame)["label"].iloc[-1]
    at = frame[frame["label"] == period]
    wide = at.pivot_table(index="category", columns="area_name", values="value",
                          aggfunc="first", sort=False).reset_index()
    cols = [("category", dimension.capitalize())]
    for name in (data.area.name, "England"):
        if name in wide:
            if _is_count(data):  # the chart shows shares: give both
                total = wide[name].sum()
                wide[f"{name} share"] = [f"{v / total * 100:.1f}%" if v == v and total else "–"
                                         for v in wide[name]]
            wide[name] = [data.fmt(v) if v == v else "–" for v in wide[name]]
            cols.append((name, name))
            if _is_count(data):
                cols.append((f"{name} share", f"{name}, share"))
    return html.Details([
        html.Summary(f"Table: {dimension.lower()}, {period}"),
        html.Div(frame_table(wide, cols, f"{_name(data)} by {dimension.lower()}, {period}",
                             row_header="category"), className="table-wrap"),
    ], className="mb-3 mt-1")


def definition(data: IndicatorData) -> Any:
    """Definition, polarity, source and licence."""
    m = data.meta
    url = m.get("source_url")
    items = [
        ("Definition", m.get("definition") or m.get("name")),
        ("Polarity", POLARITY_WORDS.get(m.get("polarity") or "none", m.get("polarity"))),
        ("Unit", unit_words(m["unit"], m.get("unit_label"))),
        ("Frequency", m.get("frequency") or "–"),
        ("Source", [m.get("source") or "–"] + ([" ", html.A("Publication", href=url)]
                                               if url else [])),
        ("Licence", m.get("licence") or "–"),
        ("Code", html.Code(m["code"])),
    ]
    body: list[Any] = [html.H2("About this indicator", className="h6 panel-title"),
                       html.Dl([c for k, v in items for c in (html.Dt(k), html.Dd(v))],
                               className="definition-list")]
    if m.get("methodology"):
        body.append(html.Details([html.Summary("Methodology"),
                                  html.P(m["methodology"], className="small")]))
    return html.Div(body, className="side-panel")


def data_table(data: IndicatorData, state: ViewState, table: Any) -> Any:
    """The numbers behind the trend chart, with its CSV and Excel downloads."""
    names = {n.area.code: n.area.name for n in data.group.neighbours} if data.group else {}
    shown = table.copy()
    for col in ["home", "neighbour_average", "england", "region", *state.neighbours]:
        if col in shown:
            shown[col] = [data.fmt(v) if v is not None and v == v else "–" for v in shown[col]]
    if not shown.empty:
        shown["interval"] = [
            f"{data.fmt(lo)} to {data.fmt(hi)}" if lo == lo and lo is not None else "–"
            for lo, hi in zip(shown["home_lower"], shown["home_upper"], strict=True)]
    cols = [("period", "Period"), ("home", data.area.name), ("home_status", "Status")]
    if not shown.empty and (shown["interval"] != "–").any():
        cols.append(("interval", "95% interval"))
    cols += [("neighbour_average", "Neighbour average"), ("neighbours_reporting", "Reporting"),
             ("england", "England")]
    if data.region:
        cols.append(("region", data.region.name))
    cols += [(c, names.get(c, c)) for c in state.neighbours]
    return html.Section([
        html.Div([html.H2("Data behind the trend chart", className="h6 panel-title mb-0"),
                  table_downloads(state, "indicator", "data behind the trend chart")],
                 className="d-flex justify-content-between align-items-center mb-2"),
        html.Div(frame_table(shown, cols, f"{_name(data)}: {data.area.name} and comparators",
                             row_header="period"), className="table-wrap"),
    ], className="side-panel")
