"""The read-only API over HTTP (Flask's test client) on the real national data."""

from __future__ import annotations

import csv
import io

import pytest

from app import create_app
from dashboard.settings import Settings


@pytest.fixture
def client(national):
    """A test client of an app pointed at the national store."""
    settings = Settings.from_env({"DATABASE_URL": national.url.render_as_string(
        hide_password=False)})
    return create_app(settings).server.test_client()


def test_api_scorecard_southend_2020(client):
    """The scorecard comes back with comparators, rank, band, RAG reason and narrative."""
    r = client.get("/api/v1/scorecard?area=E06000033&vintage=2021&period=2020")
    assert r.status_code == 200
    body = r.get_json()
    assert body["comparator_group"]["vintage"] == "2021"
    row = next(i for i in body["indicators"] if i["code"] == "ReReferral")
    assert row["value"] == pytest.approx(30.2)
    assert row["neighbours"]["reporting_text"] == "9 of 10"
    assert row["position"]["rank_text"] == "139 of 148"
    assert row["position"]["band"] == "D"
    assert row["rag"]["status"] == "red"
    assert "30.2%" in row["narrative"] and "year to 31 March 2020" in row["narrative"]


def test_api_scorecard_csv(client):
    """format=csv gives one row per indicator with the RAG reason."""
    r = client.get("/api/v1/scorecard?area=E06000033&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert any(x["code"] == "ReReferral" and x["band"] == "B" for x in rows)


def test_api_indicator_data_between_years(client):
    """Data for two areas between two years, as JSON."""
    r = client.get("/api/v1/indicators/ReReferral/data?areas=E06000033,E92000001&from=2019&to=2020")
    body = r.get_json()
    assert r.status_code == 200
    got = {(d["area_code"], d["period"]): d["value"] for d in body["data"]}
    assert got[("E06000033", "2020")] == pytest.approx(30.2)
    assert got[("E92000001", "2020")] == pytest.approx(22.6)
    assert {p for _, p in got} == {"2019", "2020"}


def test_api_areas_and_indicators(client):
    """Areas and the catalogue list, with a domain filter."""
    areas = client.get("/api/v1/areas").get_json()["data"]
    assert any(a["code"] == "E06000033" and a["dfe_number"] == 882 for a in areas)
    adults = client.get("/api/v1/indicators?domain=adults").get_json()["data"]
    assert adults and all(i["domain"] == "adults" for i in adults)


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/api/v1/scorecard", 400, "area"),
        ("/api/v1/scorecard?area=E0600003", 400, "area"),
        ("/api/v1/scorecard?area=E06000033&domain=pets", 400, "domain"),
        ("/api/v1/scorecard?area=E06000033&period=last", 400, "period"),
        ("/api/v1/scorecard?area=E06000033&vintage=1999", 404, "vintage"),
        ("/api/v1/scorecard?area=E06000033&format=xml", 400, "format"),
        ("/api/v1/scorecard?area=E06999999", 404, None),
        ("/api/v1/indicators/NoSuchCode/data?areas=E06000033", 404, None),
        ("/api/v1/indicators/ReReferral/data", 400, "areas"),
        ("/api/v1/indicators/ReReferral/data?areas=E06000033&from=20x0", 400, "from"),
        ("/api/v1/indicators/ReReferral/data?areas=E06000033&from=2021&to=2019", 400, "from"),
        ("/api/v1/indicators?domain=x", 400, "domain"),
    ],
)
def test_api_bad_input_gets_clear_error(client, url, status, parameter):
    """Bad input gets 400 naming the parameter, unknown codes 404 naming the code; never 500."""
    r = client.get(url)
    assert r.status_code == status
    body = r.get_json()
    assert body["error"]
    if parameter:
        assert body["parameter"] == parameter


def test_api_openapi_lists_every_path(client):
    """The OpenAPI document describes every endpoint."""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/areas", "/api/v1/indicators", "/api/v1/indicators/{code}/data",
            "/api/v1/scorecard"} <= set(spec["paths"])
