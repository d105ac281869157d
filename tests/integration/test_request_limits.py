"""A request body over CARESHIFT_MAX_REQUEST_BYTES is answered 413 before it is read whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.entrypoints.api.app import create_app

LIMIT = 1_000_000


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    limited = Careshift(
        settings=careshift.settings.model_copy(update={"max_request_bytes": LIMIT}),
        store=careshift.store,
    )
    with TestClient(create_app(limited), raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_declared_oversized_api_body_is_a_413_problem(client: TestClient) -> None:
    body = b'{"texts": ["' + b"x" * LIMIT + b'"], "lang": "en"}'
    response = client.post(
        "/api/v1/link/skills", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert detail == "the request body is larger than the 1 MB this server accepts"


def test_a_chunked_body_is_counted_and_stopped_at_the_limit(client: TestClient) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(40):  # 40 x 64 KiB = 2.6 MB, no Content-Length
            sent.append(1)
            yield b"a" * 65_536

    response = client.post(
        "/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert "larger than the 1 MB" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-frame-options"] == "DENY"  # still behind the security headers


def test_a_body_under_the_limit_is_served_as_before(client: TestClient) -> None:
    response = client.post("/api/v1/link/skills", json={"texts": [], "lang": "en"})
    assert response.status_code == 200, response.text
    assert response.json() == []
