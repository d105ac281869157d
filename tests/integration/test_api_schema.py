"""Schemathesis fuzzes every REST operation from the OpenAPI schema, signed in with an access
token of each demo role in turn: HR staff whose institution holds the demo workforce, an
administrator (audit log, institutions), a worker, academy staff, a union representative, an
analyst and an education planner. No 5xx, no stack trace, every status code and content type is
documented (the refusals too: every operation documents its 4xx as application/problem+json) and
every response matches its schema. Runs on SQLite (schema conformance does not depend on the
store).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from careshift import bootstrap, load_settings
from careshift.entrypoints.api.app import create_app
from careshift.services import accounts, tokens
from careshift.services.demo import prepare_demo

_TOKEN: dict[str, str] = {}


@schemathesis.check
def no_stack_trace(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    assert "Traceback (most recent call last)" not in response.text, "a stack trace in the response"


#: demo accounts, one per role (services/demo_accounts.py); fewer examples for the roles most
#: operations refuse, which answer 403 before reading the body
_ROLES = {
    "hr": 10,
    "admin": 10,
    "worker": 4,
    "academy": 4,
    "union": 4,
    "analyst": 4,
    "education": 4,
}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    data_dir: Path = tmp_path_factory.mktemp("schema") / "var"
    careshift = bootstrap(load_settings(data_dir=data_dir))
    for _ in prepare_demo(careshift):
        pass
    # HR reaches the personal and aggregate routes; administrators the audit log and accounts.
    for who in _ROLES:
        user_id = accounts.user_id_by_email(careshift, f"{who}@demo")
        owner = accounts.principal_for(accounts.get_account(careshift, user_id))
        _TOKEN[who] = tokens.create_token(careshift, user_id, "fuzz", ["read", "write"], by=owner)
    yield schemathesis.openapi.from_asgi("/api/openapi.json", create_app(careshift))
    careshift.close()


@pytest.mark.parametrize("who", list(_ROLES))
def test_no_operation_errors_or_breaks_its_schema(
    api_schema: schemathesis.BaseSchema, who: str
) -> None:
    headers = {"authorization": f"Bearer {_TOKEN[who]}"}
    checks = [
        not_a_server_error,
        no_stack_trace,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=_ROLES[who],
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        try:
            fuzz()
        except Exception as failure:  # collect every operation's failure, then report all
            failures.append(f"{operation.label}: {str(failure)[:600]}")
    assert failures == [], "\n\n".join(failures)
