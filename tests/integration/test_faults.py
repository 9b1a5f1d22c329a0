"""Faults users must survive: a database that is down, then back; an oversized upload."""

from __future__ import annotations

from app import create_app
from dashboard.settings import Settings


def test_database_outage_gets_clear_503_then_recovers(tmp_path, national):
    """With the database unreachable the API answers 503 with a sentence; a good URL works."""
    bad = Settings.from_env({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    client = create_app(bad).server.test_client()
    r = client.get("/api/v1/areas")
    assert r.status_code == 503
    assert "not reachable" in r.get_json()["error"]
    page = client.get("/api/v1/scorecard?area=E06000033")
    assert page.status_code == 503
    good = Settings.from_env({"DATABASE_URL": national.url.render_as_string(
        hide_password=False)})
    assert create_app(good).server.test_client().get("/api/v1/areas").status_code == 200


def test_oversized_request_is_refused_quickly(national):
    """50 MB of junk is refused with 413 and a clear message before it is read."""
    settings = Settings.from_env({"DATABASE_URL": national.url.render_as_string(
        hide_password=False)})
    client = create_app(settings).server.test_client()
    r = client.post("/_dash-update-component", data=b"x" * (50 * 1024 * 1024),
                    content_type="application/json")
    assert r.status_code == 413
    assert "limit" in r.get_json()["error"]
