"""Builders for accounts and signed-in web clients."""

from __future__ import annotations

import itertools
import re

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from careshift import Careshift
from careshift.adapters.db.tables.platform import institution
from careshift.domain.access import Role
from careshift.services import accounts

PASSWORD = "test-password-123"
_serial = itertools.count(1)


def make_institution(careshift: Careshift, code: str = "H1", name: str = "Hospital One") -> int:
    with careshift.store.transaction() as session:
        found = session.scalar(select(institution.c.id).where(institution.c.code == code))
        if found is not None:
            return int(found)
        new_id = session.execute(
            insert(institution).values(code=code, name=name, kind="hospital")
        ).inserted_primary_key[0]
    return int(new_id)


def make_account(
    careshift: Careshift,
    role: Role | str,
    institution_id: int | None = None,
    *,
    worker_id: int | None = None,
    email: str | None = None,
) -> str:
    """An account with ``role`` in ``institution_id`` (None: everywhere); returns its e-mail."""
    address = email or f"{Role(role).value}{next(_serial)}@example.org"
    user_id = accounts.create_user(
        careshift, address, address.split("@")[0].title(), password=PASSWORD, worker_id=worker_id
    )
    accounts.grant(careshift, user_id, role, institution_id)
    return address


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
