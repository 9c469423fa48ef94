"""Schemathesis against the OpenAPI document: generated requests to every operation,
authenticated as an analyst (who may write), never get a 5xx answer, and every answer
(errors included: jauge's own error object) has a status, a content type and a body
the document declares for that operation."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from jauge.web import create_app

from .webstore import WebStore

EXAMPLES_PER_OPERATION = int(os.environ.get("JAUGE_SCHEMATHESIS_EXAMPLES", "30"))


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_generated_requests_never_fail_and_get_the_answers_documented(
    fresh_web_store: WebStore,
) -> None:
    analyst = fresh_web_store.auth("analyst")
    app = create_app(str(fresh_web_store.path))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=analyst)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls: list[str] = []
    statuses: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            calls.append(case.operation.label)
            response = case.call_and_validate(headers=analyst, checks=CHECKS)
            statuses.add(response.status_code)

        check()
    app.state.jauge.gate.close()
    assert set(calls) == {op.label for op in operations}
    assert len(calls) >= 10 * len(operations)
    # the error answers were generated, and checked against the document, too
    assert {404, 422} <= statuses, statuses
