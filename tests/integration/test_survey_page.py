"""The survey page a member opens from their link: closed sessions and empty answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM
from careshift.entrypoints.api.app import create_app
from careshift.services.engagement import close_session, create_session, invite, questions
from careshift.services.workers import import_workers
from tests.support.accounts import csrf_of
from tests.support.workforce import (
    PAYMENT,
    REGISTRATION,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


@pytest.fixture
def survey(careshift: Careshift, tmp_path: Path) -> tuple[int, str]:
    """An open session of two skills and one member's link: (session id, token)."""
    load_small_framework(careshift)
    hospital = make_hospital(careshift).id
    import_workers(careshift, write_hr_csv(tmp_path / "s.csv", make_staff(6)), hospital)
    session = create_session(
        careshift, SYSTEM, hospital, "Skills", skill_uris=[REGISTRATION, PAYMENT]
    )
    return session.id, invite(careshift, SYSTEM, session.id)[0].token


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_closed_session_shows_a_notice_instead_of_its_form(
    careshift: Careshift, survey: tuple[int, str], client: TestClient
) -> None:
    session_id, token = survey
    csrf = csrf_of(client.get(f"/survey/{token}").text)
    close_session(careshift, SYSTEM, session_id)
    page = client.get(f"/survey/{token}")
    assert page.status_code == 200
    assert "This survey is closed" in page.text
    assert 'name="level:' not in page.text
    norwegian = client.get(f"/survey/{token}", headers={"accept-language": "nb"})
    assert "Denne kartleggingen er avsluttet" in norwegian.text
    for answers in ({f"level:{REGISTRATION}": "3"}, {f"level:{REGISTRATION}": ""}):
        sent = client.post(f"/survey/{token}", data={**answers, "csrf_token": csrf})
        assert sent.status_code == 409, answers


def test_sending_every_skill_as_skip_keeps_the_form_with_a_message(
    careshift: Careshift, survey: tuple[int, str], client: TestClient
) -> None:
    _, token = survey
    csrf = csrf_of(client.get(f"/survey/{token}").text)
    skipped = {f"level:{REGISTRATION}": "", f"level:{PAYMENT}": "", "consent": "yes"}
    sent = client.post(f"/survey/{token}", data={**skipped, "csrf_token": csrf})
    assert sent.status_code == 422
    assert "Choose a level for at least one skill before sending your answers." in sent.text
    assert 'name="level:' in sent.text  # the form, not an error page
    assert 'name="consent" value="yes" checked' in sent.text  # what they entered stays
    assert questions(careshift, token)["answered"] is False
    swedish = client.post(
        f"/survey/{token}", data={**skipped, "csrf_token": csrf}, headers={"accept-language": "sv"}
    )
    assert "Välj en nivå för minst en färdighet" in swedish.text
    answered = {f"level:{REGISTRATION}": "4", f"level:{PAYMENT}": "", "csrf_token": csrf}
    assert client.post(f"/survey/{token}", data=answered).status_code == 200
    assert questions(careshift, token)["answered"] is True
