"""The skill profile page speaks to the worker on /me/profile and about a named worker when
staff of their institution open /workers/{id}/profile (one template, flagged ``own``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services import workers
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from tests.support.accounts import make_account, make_institution, sign_in

SELF_ASSESSMENT = ("Skills for my role", "assess yourself", "My assessment", "/me/profile/assess")


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def kari(careshift: Careshift) -> tuple[int, int]:
    """(institution, worker id) of Kari Nordmann, a patient service associate."""
    load_framework(careshift, STARTER_FRAMEWORK)
    hospital = make_institution(careshift)
    worker = workers.save_worker(
        careshift,
        SYSTEM,
        hospital,
        {"employee_number": "E1", "name": "Kari Nordmann", "role": "patient_service_associate"},
    )
    return hospital, worker.id


@pytest.mark.parametrize("role", [Role.HR, Role.ACADEMY])
def test_staff_read_a_named_workers_profile_in_the_third_person(
    careshift: Careshift, client: TestClient, kari: tuple[int, int], role: Role
) -> None:
    hospital, worker_id = kari
    sign_in(client, make_account(careshift, role, hospital))
    page = client.get(f"/workers/{worker_id}/profile")
    assert page.status_code == 200
    assert "Skill profile of Kari Nordmann" in page.text
    assert 'Skills for <span lang="en">patient service associate</span>' in page.text
    assert "See the pathways of Kari Nordmann" in page.text
    for wording in (*SELF_ASSESSMENT, "my CV", "See my pathways", 'name="level:'):
        assert wording not in page.text


def test_staff_read_the_profile_in_their_own_language(
    careshift: Careshift, client: TestClient, kari: tuple[int, int]
) -> None:
    hospital, worker_id = kari
    sign_in(client, make_account(careshift, Role.HR, hospital))
    page = client.get(f"/workers/{worker_id}/profile", headers={"accept-language": "nb"})
    assert "Kompetanseprofil for Kari Nordmann" in page.text
    assert 'Ferdigheter for <span lang="nb">pasientservicemedarbeider</span>' in page.text


def test_the_worker_assesses_themself_on_their_own_profile(
    careshift: Careshift, client: TestClient, kari: tuple[int, int]
) -> None:
    hospital, worker_id = kari
    sign_in(client, make_account(careshift, Role.WORKER, hospital, worker_id=worker_id))
    page = client.get("/me/profile")
    assert page.status_code == 200
    for wording in (*SELF_ASSESSMENT, 'name="level:', "Suggest skills from my CV"):
        assert wording in page.text
    assert "Skill profile of" not in page.text
