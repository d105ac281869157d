"""Accounts: argon2 passwords, sessions, rate-limited sign-in, reset tokens and access tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from careshift import Careshift
from careshift.adapters.db.tables.accounts import access_token, user_account, web_session
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import Principal, Role
from careshift.errors import Conflict, InputError, PermissionDenied
from careshift.services import accounts, signin, tokens

PASSWORD = "correct horse battery"


def make_user(careshift: Careshift, email: str = "ann@example.org", **kw: object) -> int:
    return accounts.create_user(careshift, email, "Ann", password=PASSWORD, **kw)  # type: ignore[arg-type]


def test_passwords_are_stored_as_argon2id_hashes(careshift: Careshift) -> None:
    make_user(careshift)
    with careshift.store.sessions() as session:
        stored = session.scalar(select(user_account.c.password_hash))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_email_is_unique_whatever_its_case(careshift: Careshift) -> None:
    make_user(careshift)
    with pytest.raises(Conflict):
        make_user(careshift, "ANN@example.org")


def test_a_short_password_is_refused(careshift: Careshift) -> None:
    with pytest.raises(InputError, match="at least"):
        accounts.create_user(careshift, "b@example.org", "B", password="short")


def test_signing_in_opens_a_session_whose_id_is_stored_only_as_a_digest(
    careshift: Careshift,
) -> None:
    user_id = make_user(careshift)
    accounts.grant(careshift, user_id, Role.ANALYST)
    signed_in = signin.sign_in(careshift, "Ann@Example.org", PASSWORD, "127.0.0.1")
    with careshift.store.sessions() as session:
        stored = session.scalar(select(web_session.c.id_hash))
    assert stored == signin.digest(signed_in.session_id) != signed_in.session_id
    resolved = signin.resolve_session(careshift, signed_in.session_id)
    assert resolved is not None
    assert resolved.principal.roles == frozenset({Role.ANALYST})
    assert resolved.principal.institutions is None
    signin.sign_out(careshift, signed_in.session_id)
    assert signin.resolve_session(careshift, signed_in.session_id) is None


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(
    careshift: Careshift,
) -> None:
    make_user(careshift)
    with pytest.raises(PermissionDenied) as wrong:
        signin.sign_in(careshift, "ann@example.org", "not the password", "c1")
    with pytest.raises(PermissionDenied) as unknown:
        signin.sign_in(careshift, "nobody@example.org", PASSWORD, "c1")
    assert str(wrong.value) == str(unknown.value)


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(
    careshift: Careshift,
) -> None:
    make_user(careshift)
    for _ in range(signin.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(PermissionDenied):
            signin.sign_in(careshift, "ann@example.org", "wrong password", "c2")
    with pytest.raises(signin.LoginThrottled) as caught:
        signin.sign_in(careshift, "ann@example.org", PASSWORD, "c2")
    assert caught.value.status == 429


def test_a_reset_token_works_once_and_closes_every_session(careshift: Careshift) -> None:
    make_user(careshift)
    old = signin.sign_in(careshift, "ann@example.org", PASSWORD, "c3")
    token = signin.start_password_reset(careshift, "ann@example.org")
    signin.reset_password(careshift, token, "a brand new password")
    assert signin.resolve_session(careshift, old.session_id) is None
    assert signin.sign_in(careshift, "ann@example.org", "a brand new password", "c3")
    with pytest.raises(PermissionDenied, match="used"):
        signin.reset_password(careshift, token, "yet another password")


def test_memberships_scope_the_principal_to_their_institutions(careshift: Careshift) -> None:
    from sqlalchemy import insert

    from careshift.adapters.db.tables.platform import institution

    with careshift.store.transaction() as session:
        for code in ("A", "B"):
            session.execute(insert(institution).values(code=code, name=code, kind="hospital"))
        ids = dict(session.execute(select(institution.c.code, institution.c.id)).all())
    user_id = make_user(careshift, worker_id=42)
    accounts.grant(careshift, user_id, "hr", ids["A"])
    accounts.grant(careshift, user_id, "hr", ids["A"])  # idempotent
    accounts.grant(careshift, user_id, "worker", ids["B"])
    principal = accounts.principal_for(accounts.get_account(careshift, user_id))
    assert principal.roles == frozenset({Role.HR, Role.WORKER})
    assert principal.institutions == frozenset({ids["A"], ids["B"]})
    assert principal.worker_id == 42
    with careshift.store.sessions() as session:
        actions = session.scalars(select(audit_log.c.action)).all()
    assert actions.count("grant") == 2


def test_access_tokens_are_hashed_scoped_and_revocable(careshift: Careshift) -> None:
    user_id = make_user(careshift)
    owner = Principal(actor=f"user:{user_id}", roles=frozenset())
    token = tokens.create_token(careshift, user_id, "ci", ["read"], by=owner)
    with careshift.store.sessions() as session:
        assert session.scalar(select(access_token.c.token_hash)) == signin.digest(token)
    principal, scopes = tokens.resolve_token(careshift, token)
    assert principal.actor == f"user:{user_id}" and scopes == {"read"}
    (listed,) = tokens.list_tokens(careshift, user_id)
    tokens.revoke_token(careshift, user_id, listed.id, by=owner)
    with pytest.raises(PermissionDenied):
        tokens.resolve_token(careshift, token)


def test_someone_else_cannot_create_a_token_for_an_account(careshift: Careshift) -> None:
    user_id = make_user(careshift)
    stranger = Principal(actor="user:999", roles=frozenset({Role.HR}), institutions=frozenset())
    with pytest.raises(PermissionDenied):
        tokens.create_token(careshift, user_id, "x", ["read"], by=stranger)
