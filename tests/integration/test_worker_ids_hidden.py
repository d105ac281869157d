"""Personal-data routes answer the same to an outsider whether or not a worker id exists,
and tell an outsider nothing about a person's records (such as whether they finished a course).

Otherwise anyone could count the staff of every institution by walking ids: a 404 for a
missing id next to a 401 or 403 for a real one tells them which ids are people. The routes come
from the app's route table (every REST route with ``{worker_id}`` and no request body), so a new
one is checked without being listed here. Runs on SQLite: the policy does not depend on the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift, bootstrap, load_settings
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services import accounts, learning, learning_progress, tokens, workers
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from tests.support.accounts import make_institution

MISSING = 987_654
PSA = "patient_service_associate"


def worker_routes(careshift: Careshift) -> list[tuple[str, str]]:
    """(method, path) of every REST operation naming a worker in its path and sending no body."""
    paths = create_app(careshift).openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "{worker_id}" in path and "requestBody" not in operation
    )


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Careshift, dict[str, str], int]]:
    data_dir: Path = tmp_path_factory.mktemp("ids") / "var"
    careshift = bootstrap(load_settings(data_dir=data_dir))
    load_framework(careshift, STARTER_FRAMEWORK)
    learning.import_catalogue(careshift, STARTER_FRAMEWORK.with_name("catalogue.yaml"))
    own, other = make_institution(careshift, "A", "A"), make_institution(careshift, "B", "B")
    mine = workers.save_worker(careshift, SYSTEM, own, {"employee_number": "E1", "role": PSA}).id
    theirs = workers.save_worker(careshift, SYSTEM, other, {"employee_number": "E2", "role": PSA})
    minted = {}
    for role in (Role.WORKER, Role.UNION, Role.ANALYST, Role.HR, Role.ACADEMY):
        user_id = accounts.create_user(
            careshift, f"{role.value}@ids.example", role.value,
            worker_id=mine if role is Role.WORKER else None,
        )  # fmt: skip
        accounts.grant(careshift, user_id, role, own)
        principal = accounts.principal_for(accounts.get_account(careshift, user_id))
        minted[role.value] = tokens.create_token(
            careshift, user_id, "ids", ["read", "write"], by=principal
        )
    yield careshift, minted, theirs.id
    careshift.close()


def _statuses(client: TestClient, routes: list[tuple[str, str]], worker_id: int) -> list[str]:
    answers = []
    for method, path in routes:
        url = re.sub(r"\{worker_id(:path)?\}", str(worker_id), path)
        answers.append(f"{method} {path}: {client.request(method, url).status_code}")
    return answers


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("worker", 403), ("union", 403), ("analyst", 403), ("hr", 403)],
)
def test_outsiders_get_the_same_denial_for_real_and_missing_worker_ids(
    world: tuple[Careshift, dict[str, str], int], who: str, status: int
) -> None:
    careshift, minted, other_institutions_worker = world
    routes = worker_routes(careshift)
    assert ("GET", "/api/v1/workers/{worker_id}") in routes
    client = TestClient(create_app(careshift), raise_server_exceptions=False)
    if who != "anonymous":
        client.headers["authorization"] = f"Bearer {minted[who]}"
    real = _statuses(client, routes, other_institutions_worker)
    expected = [f"{method} {path}: {status}" for method, path in routes]
    assert real == expected
    if who != "hr":  # HR staff may read workers somewhere, so a missing id is 404 to them
        assert _statuses(client, routes, MISSING) == expected


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("union", 403), ("worker", 403), ("academy", 403)]
)
def test_outsiders_cannot_learn_whether_someone_completed_a_course(
    world: tuple[Careshift, dict[str, str], int], who: str, status: int
) -> None:
    careshift, minted, other_institutions_worker = world
    enrolment = learning_progress.enrol(careshift, SYSTEM, other_institutions_worker, "PHL-201")
    client = TestClient(create_app(careshift), raise_server_exceptions=False)
    if who != "anonymous":
        client.headers["authorization"] = f"Bearer {minted[who]}"
    # Not completed: a 409 here would tell the caller so.
    assert client.post(f"/api/v1/enrolments/{enrolment}/credential").status_code == status
    if who != "academy":  # academy staff issue credentials somewhere: a missing id is 404
        assert client.post(f"/api/v1/enrolments/{MISSING}/credential").status_code == status
