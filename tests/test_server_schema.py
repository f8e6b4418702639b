"""Schemathesis against the service's own OpenAPI schema: generated requests, valid and invalid,
get no 5xx and responses that match the schema (status codes, content types, bodies)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the HTTP service needs the api extra (FastAPI, uvicorn)")
schemathesis = pytest.importorskip("schemathesis", reason="the schema test needs schemathesis (test extra)")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from retraction_reasons.server import create_app  # noqa: E402

app = create_app()  # the model is loaded by the lifespan, started below

# A request that breaks the schema may also be over the 2 MB body limit (a text over 1,000,000
# characters is), and is then refused with the documented 413 before its JSON is read.
CONFIG = schemathesis.Config.from_str("""
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]
""")
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def running_app(nlp):
    with TestClient(app):
        yield


@schema.parametrize()
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_conform_to_the_schema(case):
    # All of schemathesis' default checks: no server error, documented status codes and content
    # types, response bodies valid against the schema, invalid requests refused, valid accepted.
    case.call_and_validate()
