"""Personal access tokens for machine clients: ``Authorization: Bearer cs_...``.

A token acts as its account, narrowed by scopes: ``read`` allows safe HTTP methods (GET, HEAD),
``write`` allows the others. Only the SHA-256 of a token is stored; the clear token is shown once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from careshift.adapters.db.tables.accounts import access_token
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import InputError, NotFound, PermissionDenied
from careshift.services import audit
from careshift.services.access import Action, Resource, authorize
from careshift.services.accounts import load_account, principal_for
from careshift.services.signin import digest

__all__ = [
    "SCOPES",
    "TOKEN_PREFIX",
    "AccessToken",
    "create_token",
    "list_tokens",
    "resolve_token",
    "revoke_token",
]

SCOPES = ("read", "write")
TOKEN_PREFIX = "cs_"


@dataclass(frozen=True)
class AccessToken:
    id: int
    name: str
    scopes: frozenset[str]
    created_at: datetime
    expires_at: datetime | None
    revoked: bool


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_scopes(scopes: list[str]) -> frozenset[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InputError(f"scopes must be among {', '.join(SCOPES)}; got {', '.join(scopes)}")
    return frozenset(scopes)


def create_token(
    careshift: Careshift,
    user_id: int,
    name: str,
    scopes: list[str],
    *,
    days: int | None = 90,
    by: Principal,
) -> str:
    """Create a token for ``user_id`` (the user themselves, or an administrator) and return it."""
    chosen = _check_scopes(scopes)
    if days is not None and days <= 0:
        raise InputError("a token must live at least one day (or give no expiry)")
    if by.actor != f"user:{user_id}":
        authorize(by, Action.WRITE, Resource.ACCOUNT)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with careshift.store.transaction() as session:
        if load_account(session, user_id) is None:
            raise NotFound(f"no account with id {user_id}")
        token_id = session.execute(
            insert(access_token)
            .returning(access_token.c.id)
            .values(
                user_id=user_id,
                name=name.strip()[:100] or "token",
                token_hash=digest(token),
                scopes=" ".join(sorted(chosen)),
                created_at=now,
                expires_at=None if days is None else now + timedelta(days=days),
            )
        ).scalar_one()
        audit.record(session, by, "create", "access_token", token_id, owner=user_id)
    return token


def resolve_token(careshift: Careshift, token: str) -> tuple[Principal, frozenset[str]]:
    """The principal and scopes behind a bearer token. Raises PermissionDenied when invalid."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        raise PermissionDenied("invalid access token")
    with careshift.store.sessions() as session:
        row = session.execute(
            select(access_token).where(access_token.c.token_hash == digest(token))
        ).first()
        if row is None or row.revoked_at is not None:
            raise PermissionDenied("invalid access token")
        expires = _aware(row.expires_at)
        if expires is not None and expires <= datetime.now(UTC):
            raise PermissionDenied("this access token has expired")
        account = load_account(session, row.user_id)
    if account is None or not account.active:
        raise PermissionDenied("invalid access token")
    return principal_for(account), frozenset(row.scopes.split())


def list_tokens(careshift: Careshift, user_id: int) -> list[AccessToken]:
    with careshift.store.sessions() as session:
        rows = session.execute(
            select(access_token)
            .where(access_token.c.user_id == user_id)
            .order_by(access_token.c.created_at)
        ).all()
    return [
        AccessToken(
            r.id,
            r.name,
            frozenset(r.scopes.split()),
            r.created_at,
            _aware(r.expires_at),
            r.revoked_at is not None,
        )
        for r in rows
    ]


def revoke_token(careshift: Careshift, user_id: int, token_id: int, *, by: Principal) -> None:
    with careshift.store.transaction() as session:
        done = session.execute(
            update(access_token)
            .where(access_token.c.id == token_id, access_token.c.user_id == user_id)
            .values(revoked_at=datetime.now(UTC))
            .returning(access_token.c.id)
        ).first()
        if done is None:
            raise NotFound(f"no token {token_id} for this account")
        audit.record(session, by, "revoke", "access_token", token_id, owner=user_id)
