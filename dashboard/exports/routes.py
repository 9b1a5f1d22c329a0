"""Download routes: ``/export/chart.<png|svg>``, ``/export/table.<csv|xlsx>``, ``/export/pack.pdf``.

The query keys are the views' own (``area``, ``indicator``, ``neighbours``, ``from``, ``to``,
``vintage``, ``domain``, ``theme``, ``period``), so a view's download link is its URL's query
on another path. A malformed or unknown value gets a 400 with JSON naming the parameter and
why; a server that cannot render charts (no Chromium) a 503 saying so. File names say what
the file is: ``southend-on-sea_re-referrals-within-12-months_trend_2025.png``.

| path | keys |
|---|---|
| ``/export/chart.png``, ``.svg`` | indicator*, area, chart=trend or bar, size=word or slide,
  scale (PNG, 1-4, default 2), neighbours, from, to, vintage, domain |
| ``/export/table.csv``, ``.xlsx`` | view=scorecard (area, domain, theme, vintage, period, rag,
  worse, sort), view=compare (area, domain, theme, vintage, period) or view=indicator
  (indicator*, area, neighbours, from, to, vintage, domain) |
| ``/export/pack.pdf`` | area, domain, theme or codes, vintage, period |
| ``/export/pack/<job>.pdf`` | a pack built in the background from the pack page |
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_file
from sqlalchemy.exc import DBAPIError

from dashboard import queries
from dashboard.context import current_engine, current_settings
from dashboard.exports.charts import CHARTS, SIZES, build_chart, render_chart
from dashboard.exports.content import (
    ExportError,
    indicator_content,
    resolve_area,
    split_codes,
)
from dashboard.exports.jobs import pack_pdf
from dashboard.exports.pack import PERIOD, PackRequest, build_pack
from dashboard.exports.renderer import RendererUnavailable
from dashboard.exports.tables import (
    compare_table,
    indicator_table,
    scorecard_table,
    to_csv,
    to_xlsx,
)
from dashboard.scorecard import ScorecardError, build_scorecard
from dashboard.viewstate import DOMAINS, RAG_STATUSES, SORT_KEYS

log = logging.getLogger(__name__)
exports_bp = Blueprint("exports", __name__, url_prefix="/export")

MIMETYPES = {
    "png": "image/png", "svg": "image/svg+xml", "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
ONS = re.compile(r"^E\d{8}$")
YEAR = re.compile(r"^(19|20)\d\d$")
CODE = re.compile(r"^[A-Za-z0-9_%,.\-]{1,80}$")


@exports_bp.errorhandler(ExportError)
def _bad_request(err: ExportError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": err.message, "status": 400}
    if err.parameter:
        body["parameter"] = err.parameter
    return jsonify(body), 400


@exports_bp.errorhandler(RendererUnavailable)
def _no_renderer(err: RendererUnavailable) -> tuple[Response, int]:
    log.error("chart export unavailable: %s", err)
    return jsonify({"error": str(err), "status": 503}), 503


# -- parameters ----------------------------------------------------------------------------


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _choice(name: str, choices: tuple[str, ...] | list[str], default: str) -> str:
    value = _arg(name) or default
    if value not in choices:
        raise ExportError(f"{name} must be one of {', '.join(choices)}, not {value!r}", name)
    return value


def _area() -> str:
    code = (_arg("area") or current_settings().home_area).upper()
    if not ONS.match(code):
        raise ExportError(f"{code!r} is not an ONS area code such as E06000033", "area")
    return code


def _areas(name: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in (_arg(name) or "").split(",") if c.strip())
    for c in codes:
        if not ONS.match(c):
            raise ExportError(f"{c!r} is not an ONS area code such as E06000033", name)
    return codes


def _year(name: str) -> int | None:
    raw = _arg(name)
    if raw is None:
        return None
    if not YEAR.match(raw):
        raise ExportError(f"{name} must be a year such as 2020, not {raw!r}", name)
    return int(raw)


def _indicator(required: bool = True) -> str | None:
    code = _arg("indicator")
    if code is None:
        if required:
            raise ExportError("indicator is required: an indicator code such as ReReferral",
                              "indicator")
        return None
    if not CODE.match(code):
        raise ExportError(f"{code!r} is not an indicator code such as ReReferral", "indicator")
    return code


def _domain(default: str | None = "children") -> str | None:
    value = _arg("domain") or default
    if value is not None and value not in DOMAINS:
        raise ExportError("domain must be children, adults or partnership", "domain")
    return value


def _period() -> str | None:
    value = _arg("period")
    if value and not PERIOD.match(value):
        raise ExportError(f"period must be a year such as 2020 or a label such as 2019-20, "
                          f"not {value!r}", "period")
    return value


def _send(data: bytes, fmt: str, name: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _content() -> Any:
    start, end = _year("from"), _year("to")
    return indicator_content(
        current_engine(), str(_indicator()), _area(), domain=_domain(None),
        vintage=_arg("vintage"), neighbours=_areas("neighbours"), start=start, end=end)


# -- routes --------------------------------------------------------------------------------


@exports_bp.get("/chart.<fmt>")
def chart(fmt: str) -> Response:
    """A chart as a print-ready PNG or SVG."""
    if fmt not in ("png", "svg"):
        raise ExportError(f"charts download as .png or .svg, not .{fmt}", "format")
    kind = _choice("chart", CHARTS, "trend")
    size = _choice("size", tuple(SIZES), "word")
    raw_scale = _arg("scale") or "2"
    try:
        scale = float(raw_scale)
    except ValueError:
        raise ExportError(f"scale must be a number from 1 to 4, not {raw_scale!r}",
                          "scale") from None
    exported = build_chart(_content(), kind)
    try:
        data = render_chart(exported, fmt, size, scale)
    except (ExportError, RendererUnavailable):
        raise
    except Exception as err:  # a render that failed in the browser: say so, not a 500
        log.exception("chart render failed")
        raise RendererUnavailable(f"the chart could not be drawn: {err}") from err
    return _send(data, fmt, exported.filename(fmt))


@exports_bp.get("/table.<fmt>")
def table(fmt: str) -> Response:
    """A scorecard, the compare grid or an indicator's data table as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise ExportError(f"tables download as .csv or .xlsx, not .{fmt}", "format")
    view = _choice("view", ("scorecard", "compare", "indicator"),
                   "indicator" if _arg("indicator") else "scorecard")
    engine = current_engine()
    if view == "indicator":
        exported = indicator_table(engine, _content())
    elif view == "compare":
        exported = compare_table(engine, _scorecard_rows()[0])
    else:
        exported = scorecard_table(engine, *_scorecard_rows())
    data = to_csv(exported) if fmt == "csv" else to_xlsx(exported)
    return _send(data, fmt, exported.filename(fmt))


def _scorecard_rows() -> tuple[Any, Any]:
    from dashboard.views_data import filter_rows, sort_rows

    engine = current_engine()
    area = resolve_area(engine, _area())
    domain = str(_domain())
    theme = _arg("theme")
    if theme and theme not in queries.themes(engine, domain):
        raise ExportError(f"no theme {theme!r} in the {domain} domain", "theme")
    vintage = _arg("vintage")
    if vintage and vintage not in queries.vintages(engine, queries.DOMAIN_GROUP_KIND[domain]):
        raise ExportError(f"no comparator group of vintage {vintage!r}", "vintage")
    rag = tuple(s.strip() for s in (_arg("rag") or "").split(",") if s.strip())
    bad = [s for s in rag if s not in RAG_STATUSES]
    if bad:
        raise ExportError(f"rag must list red, amber, green or none, not {bad[0]!r}", "rag")
    worse = _choice("worse", ("0", "1", "true", "false"), "0") in ("1", "true")
    sort = _arg("sort")
    if sort and sort.lstrip("-") not in SORT_KEYS:
        raise ExportError(f"sort must be one of {', '.join(SORT_KEYS)}", "sort")
    try:
        sc = build_scorecard(engine, area.code, domain, theme, vintage=vintage,
                             as_at=_period())
    except ScorecardError as err:
        raise ExportError(str(err)) from err
    return sc, sort_rows(filter_rows(sc.rows, rag, worse), sort)


@exports_bp.get("/pack.pdf")
def pack() -> Response:
    """The meeting pack PDF for an area and a domain, theme or list of indicators."""
    engine = current_engine()
    raw = [v for v in request.args.getlist("codes") if v.strip()]
    codes = split_codes(raw, list(queries.indicators(engine)["code"])) if raw else ()
    for c in codes:
        if not CODE.match(c):
            raise ExportError(f"{c!r} is not an indicator code such as ReReferral", "codes")
    req = PackRequest(area=_area(), domain=str(_domain()), theme=_arg("theme"), codes=codes,
                      vintage=_arg("vintage"), period=_period())
    area = resolve_area(engine, req.area)
    try:
        data = build_pack(engine, req)
    except (ExportError, RendererUnavailable, DBAPIError):
        raise
    except Exception as err:
        log.exception("pack build failed")
        raise RendererUnavailable(f"the pack could not be built: {err}") from err
    return _send(data, "pdf", req.filename(area.name))


@exports_bp.get("/pack/<job_id>.pdf")
def pack_job(job_id: str) -> Response | tuple[Response, int]:
    """A meeting pack built in the background from the pack page (see :mod:`.jobs`)."""
    found = pack_pdf(job_id)
    if found is None:
        return jsonify({"error": "no finished pack with this ID: it may have expired after an "
                                 "hour; build it again", "status": 404}), 404
    return _send(found[0], "pdf", found[1])
