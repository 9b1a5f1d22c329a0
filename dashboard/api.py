"""The read-only JSON/CSV API for analysts (Excel, Power BI) and tests: `/api/v1/...`.

JSON by default, CSV with `format=csv`. Unknown codes get a 404 naming the code; malformed
parameters a 400 naming the parameter and why; user input never causes a 500.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard import queries
from dashboard.context import current_engine
from dashboard.scorecard import ScorecardError, build_scorecard

api = Blueprint("api", __name__, url_prefix="/api/v1")
ONS = re.compile(r"^E\d{8}$")
DOMAINS = ("children", "adults", "partnership")


class ApiError(Exception):
    """An error answered as JSON with a status code."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


@api.errorhandler(ApiError)
def _api_error(err: ApiError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": err.message, "status": err.status}
    if err.parameter:
        body["parameter"] = err.parameter
    return jsonify(body), err.status


def _fmt() -> str:
    fmt = request.args.get("format", "json").lower()
    if fmt not in ("json", "csv"):
        raise ApiError(400, "format must be json or csv", "format")
    return fmt


def _respond(records: list[dict[str, Any]], fmt: str, filename: str,
             envelope: dict[str, Any] | None = None) -> Response:
    if fmt == "csv":
        buf = io.StringIO()
        cols = list(dict.fromkeys(k for r in records for k in r))
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in records:
            w.writerow({k: _csv_cell(v) for k, v in r.items()})
        return Response(buf.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={filename}.csv"})
    return jsonify({**(envelope or {}), "data": records})


def _csv_cell(v: Any) -> Any:
    # Spreadsheets run cells that begin with = + - @ as formulas; neutralise text ones.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


def _area_codes(param: str) -> list[str]:
    raw = request.args.get(param, "")
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    for c in codes:
        if not ONS.match(c):
            raise ApiError(400, f"{c!r} is not an ONS area code such as E06000033", param)
    return codes


def _year(param: str) -> int | None:
    raw = request.args.get(param)
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"(19|20)\d\d", raw):
        raise ApiError(400, f"{param} must be a year such as 2020, not {raw!r}", param)
    return int(raw)


@api.get("/areas")
def list_areas() -> Response:
    """Every area: code, DfE number, name, type, region."""
    fmt = _fmt()
    records = [{"code": a.code, "dfe_number": a.dfe_number, "name": a.name, "type": a.type,
                "region_code": a.region_code} for a in queries.areas(current_engine())]
    return _respond(records, fmt, "areas")


INDICATOR_FIELDS = ("code", "name", "short_name", "domain", "theme", "unit", "unit_label",
                    "multiplier", "decimals", "polarity", "frequency", "period_type",
                    "definition", "source", "source_url", "licence", "curated", "rag_rule")


@api.get("/indicators")
def list_indicators() -> Response:
    """The indicator catalogue, optionally for one domain."""
    fmt = _fmt()
    domain = request.args.get("domain")
    if domain and domain not in DOMAINS:
        raise ApiError(400, "domain must be children, adults or partnership", "domain")
    frame = queries.indicators(current_engine(), domain=domain)
    records = [{k: (None if v != v else v) for k, v in r.items() if k in INDICATOR_FIELDS}
               for r in frame.to_dict("records")]
    return _respond(records, fmt, "indicators")


@api.get("/indicators/<code>/data")
def indicator_data(code: str) -> Response:
    """An indicator's headline values for the given areas, optionally between years."""
    fmt = _fmt()
    engine = current_engine()
    meta = queries.indicators(engine, codes=[code])
    if meta.empty:
        raise ApiError(404, f"unknown indicator code {code!r}")
    codes = _area_codes("areas")
    if not codes:
        raise ApiError(400, "areas is required: one or more ONS codes separated by commas",
                       "areas")
    start, end = _year("from"), _year("to")
    if start and end and start > end:
        raise ApiError(400, "from must not be later than to", "from")
    found = {}
    for c in codes:
        a = queries.area_by_code(engine, c)
        if a is None:
            raise ApiError(404, f"unknown area code {c!r}")
        found[a.id] = a
    frame = queries.series(engine, [int(meta.iloc[0]["id"])], list(found))
    records = []
    for r in frame.itertuples():
        if (start and r.end.year < start) or (end and r.end.year > end):
            continue
        a = found[r.area_id]
        records.append({
            "indicator": code, "area_code": a.code, "area_name": a.name, "period": r.label,
            "period_type": r.period_type, "period_start": r.start.isoformat(),
            "period_end": r.end.isoformat(), "value": None if r.value != r.value else r.value,
            "numerator": None if r.numerator != r.numerator else r.numerator,
            "denominator": None if r.denominator != r.denominator else r.denominator,
            "status": r.status, "suppression": r.suppression, "synthetic": bool(r.synthetic),
        })
    envelope = {"indicator": {k: meta.iloc[0][k] for k in ("code", "name", "unit", "polarity")}}
    return _respond(records, fmt, f"{code}-data", envelope)


@api.get("/scorecard")
def scorecard() -> Response:
    """The scorecard for a home area: per indicator value, comparators, rank, band, RAG."""
    fmt = _fmt()
    codes = _area_codes("area")
    if len(codes) != 1:
        raise ApiError(400, "area is required: one ONS code such as E06000033", "area")
    domain = request.args.get("domain", "children")
    if domain not in DOMAINS:
        raise ApiError(400, "domain must be children, adults or partnership", "domain")
    period = request.args.get("period") or None
    if period and not re.fullmatch(r"(19|20)[0-9]{2}([-/][0-9]{2})?( Q[1-4])?", period):
        raise ApiError(400, f"period must be a year such as 2020 or a label such as 2019-20, "
                            f"not {period!r}", "period")
    vintage = request.args.get("vintage") or None
    engine = current_engine()
    if queries.area_by_code(engine, codes[0]) is None:
        raise ApiError(404, f"unknown area code {codes[0]!r}")
    if vintage and vintage not in queries.vintages(engine, queries.DOMAIN_GROUP_KIND[domain]):
        raise ApiError(404, f"no comparator group of vintage {vintage!r}", "vintage")
    try:
        sc = build_scorecard(engine, codes[0], domain, request.args.get("theme") or None,
                             vintage=vintage, as_at=period)
    except ScorecardError as err:
        raise ApiError(400, str(err)) from err
    body = sc.to_dict()
    if fmt == "csv":
        return _respond([_flat(r) for r in body["indicators"]], fmt, "scorecard")
    return jsonify(body)


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": r["code"], "name": r["name"], "theme": r["theme"],
        "period": (r["period"] or {}).get("label"), "value": r["value"],
        "value_text": r["value_text"], "status": r["status"], "synthetic": r["synthetic"],
        "previous": r["previous_value"], "direction": r["direction"]["arrow"],
        "direction_judgement": r["direction"]["judgement"],
        "neighbour_average": r["neighbours"]["value"],
        "neighbours_reporting": r["neighbours"]["reporting_text"], "england": r["england"],
        "region": r["region"], "rank": r["position"]["rank_text"], "band": r["position"]["band"],
        "target": r["target"], "rag": r["rag"]["status"], "rag_reason": r["rag"]["reason"],
        "trend": r["trend"]["label"], "narrative": r["narrative"],
    }


@api.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    from dashboard.openapi import SPEC

    return jsonify(SPEC)
