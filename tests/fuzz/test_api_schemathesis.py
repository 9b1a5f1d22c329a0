"""schemathesis against /api/v1/openapi.json: no 500s and responses that match the schema.

Drives schemathesis's strategies with hypothesis directly (its pytest plugin does not support
pytest 9 yet), one bounded run per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from hypothesis import HealthCheck, given, settings

from app import create_app
from dashboard.settings import Settings
from tests.fuzz.conftest import FUZZ_EXAMPLES

OPERATIONS = ["/api/v1/areas", "/api/v1/indicators", "/api/v1/indicators/{code}/data",
              "/api/v1/scorecard"]


@pytest.fixture(scope="module")
def api_schema(national_sqlite):  # type: ignore[no-untyped-def]
    """The API's own OpenAPI document, loaded from an app on the national store."""
    url = national_sqlite.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env({"DATABASE_URL": url})).server
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("path", OPERATIONS)
def test_api_never_fails_on_generated_input(api_schema, path):
    """Every generated request gets a documented answer: never a 500, never a schema mismatch."""
    operation = api_schema[path]["GET"]
    seen = []

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):  # type: ignore[no-untyped-def]
        # A request can match the schema yet be refused on meaning (from later than to, an
        # unknown theme): a 400 naming the parameter is the right answer there, so the
        # "schema-valid data must be accepted" check is left out; every other check runs.
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        seen.append(response.status_code)

    run()
    assert seen and 500 not in seen
