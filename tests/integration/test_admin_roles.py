"""Giving and taking away roles on /admin/accounts: explicit choices only, audited, in scope."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.entrypoints.api.app import create_app
from careshift.services import accounts, audit_log
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in


@pytest.fixture
def admin(careshift: Careshift) -> Iterator[TestClient]:
    """An administrator of every institution, signed in."""
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        sign_in(client, make_account(careshift, Role.ADMIN, None))
        yield client


def _post(client: TestClient, url: str, form: dict[str, str]) -> tuple[int, str]:
    token = csrf_of(client.get("/admin/accounts").text)
    response = client.post(url, data={**form, "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.text


def _roles(careshift: Careshift, email: str) -> set[tuple[Role, int | None]]:
    account = accounts.get_account(careshift, accounts.user_id_by_email(careshift, email))
    return {(m.role, m.institution_id) for m in account.memberships}


def test_the_give_a_role_form_preselects_no_person_role_or_institution(
    careshift: Careshift, admin: TestClient
) -> None:
    page = admin.get("/admin/accounts").text
    form = page[page.index('action="/admin/accounts/grant"') :]
    for name in ("user_id", "role", "institution_id"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S)
        assert select is not None and "required" in select.group(0), name
        options = re.findall(r"<option[^>]*>", select.group(1))
        assert options[0] == '<option value="" disabled selected>', name
        assert all("selected" not in option for option in options[1:]), name


def test_a_role_form_with_a_choice_missing_is_refused_and_grants_nothing(
    careshift: Careshift, admin: TestClient
) -> None:
    hospital = make_institution(careshift)
    email = make_account(careshift, Role.HR, hospital)
    user_id = str(accounts.user_id_by_email(careshift, email))
    status, page = _post(admin, "/admin/accounts/grant", {})
    assert status == 422
    assert "Choose the person to give the role to." in page
    assert "Choose the role to give." in page
    # the old default of the scope list ("all institutions") is no longer what nothing means
    status, page = _post(admin, "/admin/accounts/grant", {"user_id": user_id, "role": "worker"})
    assert status == 422
    assert "Choose the institution where the role applies" in page
    assert "Choose the person" not in page
    assert re.search(rf'<option value="{user_id}" selected>', page)  # what was chosen stays
    assert _roles(careshift, email) == {(Role.HR, hospital)}


def test_a_role_in_every_institution_is_given_only_when_chosen(
    careshift: Careshift, admin: TestClient
) -> None:
    email = make_account(careshift, Role.HR, make_institution(careshift))
    user_id = str(accounts.user_id_by_email(careshift, email))
    form = {"user_id": user_id, "role": "analyst", "institution_id": "all"}
    assert _post(admin, "/admin/accounts/grant", form)[0] == 303
    assert (Role.ANALYST, None) in _roles(careshift, email)


def test_an_administrator_takes_a_role_away_and_the_change_is_audited(
    careshift: Careshift, admin: TestClient
) -> None:
    hospital = make_institution(careshift)
    email = make_account(careshift, Role.HR, hospital)
    user_id = accounts.user_id_by_email(careshift, email)
    accounts.grant(careshift, user_id, Role.UNION, None)
    page = admin.get("/admin/accounts").text
    assert f'action="/admin/accounts/{user_id}/revoke"' in page
    revoke = {"role": "union", "institution_id": "all"}
    assert _post(admin, f"/admin/accounts/{user_id}/revoke", revoke)[0] == 303
    assert _roles(careshift, email) == {(Role.HR, hospital)}
    # taking away a role already gone changes nothing and adds nothing to the trail
    assert _post(admin, f"/admin/accounts/{user_id}/revoke", revoke)[0] == 303
    where = audit_log.AuditFilter(action="revoke", subject_type="account", subject_id=str(user_id))
    trail = audit_log.entries(careshift, SYSTEM, where).entries
    assert len(trail) == 1 and '"role": "union"' in (trail[0].detail or "")
    assert trail[0].actor != SYSTEM.actor


def test_taking_away_a_role_of_an_unknown_account_is_not_found(
    careshift: Careshift, admin: TestClient
) -> None:
    revoke = {"role": "hr", "institution_id": "all"}
    assert _post(admin, "/admin/accounts/999999/revoke", revoke)[0] == 404
