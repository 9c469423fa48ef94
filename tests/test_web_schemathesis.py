"""Schemathesis against the OpenAPI document: generated requests to every operation,
authenticated as an analyst (who may write), never get a 5xx answer."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from jauge.web import create_app

from .webstore import WebStore

EXAMPLES_PER_OPERATION = int(os.environ.get("JAUGE_SCHEMATHESIS_EXAMPLES", "30"))


def test_no_generated_request_makes_the_server_fail(fresh_web_store: WebStore) -> None:
    analyst = fresh_web_store.auth("analyst")
    app = create_app(str(fresh_web_store.path))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=analyst)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls: list[str] = []
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
            case.call_and_validate(headers=analyst, checks=[not_a_server_error])

        check()
    app.state.jauge.gate.close()
    assert set(calls) == {op.label for op in operations}
    assert len(calls) >= 10 * len(operations)
