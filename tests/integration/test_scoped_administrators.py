"""An administrator scoped to one institution administers that institution only.

They must not make anyone (themselves included) a role holder everywhere, nor take over an
account that has a role elsewhere by printing its password-reset code. Runs on SQLite: the
policy does not depend on the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift, bootstrap, load_settings
from careshift.domain.access import Role
from careshift.entrypoints.api.app import create_app
from careshift.services import accounts
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in


@pytest.fixture(scope="module")
def hospital_a(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Careshift, int, int]]:
    careshift = bootstrap(load_settings(data_dir=tmp_path_factory.mktemp("admins") / "var"))
    yield careshift, make_institution(careshift, "A", "A"), make_institution(careshift, "B", "B")
    careshift.close()


def _admin_of(careshift: Careshift, institution_id: int) -> tuple[TestClient, int]:
    email = make_account(careshift, Role.ADMIN, institution_id)
    client = TestClient(create_app(careshift), raise_server_exceptions=False)
    sign_in(client, email)
    return client, accounts.user_id_by_email(careshift, email)


def _post(client: TestClient, url: str, form: dict[str, str]) -> int:
    token = csrf_of(client.get("/admin/accounts").text)
    response = client.post(url, data={**form, "csrf_token": token}, follow_redirects=False)
    return response.status_code


def test_a_scoped_administrator_cannot_grant_a_role_in_every_institution(
    hospital_a: tuple[Careshift, int, int],
) -> None:
    careshift, own, _ = hospital_a
    client, self_id = _admin_of(careshift, own)
    everywhere = {"user_id": str(self_id), "role": "admin", "institution_id": "all"}
    assert _post(client, "/admin/accounts/grant", everywhere) == 403
    assert accounts.principal_for(accounts.get_account(careshift, self_id)).institutions == {own}
    here = {"user_id": str(self_id), "role": "hr", "institution_id": str(own)}
    assert _post(client, "/admin/accounts/grant", here) == 303


def test_a_scoped_administrator_resets_only_accounts_wholly_in_their_institutions(
    hospital_a: tuple[Careshift, int, int],
) -> None:
    careshift, own, other = hospital_a
    client, _ = _admin_of(careshift, own)
    colleague = make_account(careshift, Role.HR, own)
    straddling = make_account(careshift, Role.UNION, own)
    accounts.grant(careshift, accounts.user_id_by_email(careshift, straddling), Role.UNION, other)
    global_admin = make_account(careshift, Role.ADMIN, None)
    for email, status in ((colleague, 200), (straddling, 403), (global_admin, 403)):
        user_id = accounts.user_id_by_email(careshift, email)
        assert _post(client, f"/admin/accounts/{user_id}/reset", {}) == status, email


def test_a_scoped_administrator_takes_away_roles_in_their_institutions_only(
    hospital_a: tuple[Careshift, int, int],
) -> None:
    careshift, own, other = hospital_a
    client, _ = _admin_of(careshift, own)
    email = make_account(careshift, Role.HR, own)
    user_id = accounts.user_id_by_email(careshift, email)
    accounts.grant(careshift, user_id, Role.UNION, None)
    accounts.grant(careshift, user_id, Role.UNION, other)
    page = client.get("/admin/accounts").text
    scopes = page[page.index('name="institution_id" required') :].split("</select>")[0]
    assert re.findall(r'<option value="(\w*)"', scopes) == ["", str(own)]  # not everywhere
    assert page.count(f'action="/admin/accounts/{user_id}/revoke"') == 1  # only the HR role
    revoke = f"/admin/accounts/{user_id}/revoke"
    assert _post(client, revoke, {"role": "union", "institution_id": "all"}) == 403
    assert _post(client, revoke, {"role": "union", "institution_id": str(other)}) == 403
    assert _post(client, revoke, {"role": "hr", "institution_id": str(own)}) == 303
    account = accounts.get_account(careshift, user_id)
    held = {(m.role, m.institution_id) for m in account.memberships}
    assert held == {(Role.UNION, None), (Role.UNION, other)}
