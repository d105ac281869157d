"""Signing in and out: rate-limited password check, server-side sessions, one-time reset tokens.

A session id is 32 random bytes carried by the cookie; the database keeps only its SHA-256, so a
stolen database copy cannot be replayed as a cookie. The same holds for reset tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db.tables.accounts import (
    login_attempt,
    password_reset,
    user_account,
    web_session,
)
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.errors import CareshiftError, InputError, NotFound, PermissionDenied
from careshift.services import audit
from careshift.services.accounts import (
    Account,
    hash_password,
    load_account,
    normalise_email,
    principal_for,
    verify_password,
)

__all__ = [
    "MAX_FAILURES_PER_CLIENT",
    "MAX_FAILURES_PER_EMAIL",
    "SESSION_LIFETIME",
    "LoginThrottled",
    "SignedIn",
    "create_session",
    "digest",
    "reset_password",
    "resolve_session",
    "sign_in",
    "sign_out",
    "start_password_reset",
]

SESSION_LIFETIME = timedelta(hours=12)
RESET_LIFETIME = timedelta(hours=24)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 30


class LoginThrottled(CareshiftError):
    """Too many failed sign-ins for this account or from this address (HTTP 429)."""

    status = 429
    title = "Too many attempts"


@dataclass(frozen=True)
class SignedIn:
    session_id: str
    csrf_token: str
    account: Account
    principal: Principal


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything careshift stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _recent_failures(session: Session, column: Any, value: str, now: datetime) -> int:
    since = now - THROTTLE_WINDOW
    last_success = session.scalar(
        select(func.max(login_attempt.c.at)).where(
            column == value, login_attempt.c.succeeded.is_(True), login_attempt.c.at >= since
        )
    )
    if last_success is not None:
        since = _aware(last_success)
    count = session.scalar(
        select(func.count()).where(
            column == value, login_attempt.c.succeeded.is_(False), login_attempt.c.at > since
        )
    )
    return int(count or 0)


def _check_throttle(session: Session, email: str, client: str, now: datetime) -> None:
    if _recent_failures(session, login_attempt.c.email, email, now) >= MAX_FAILURES_PER_EMAIL:
        raise LoginThrottled("too many failed sign-ins for this account; wait 15 minutes")
    if _recent_failures(session, login_attempt.c.client, client, now) >= MAX_FAILURES_PER_CLIENT:
        raise LoginThrottled("too many failed sign-ins from this address; wait 15 minutes")


def sign_in(careshift: Careshift, email: str, password: str, client: str) -> SignedIn:
    """Check the password and open a session. Raises PermissionDenied or LoginThrottled.

    The answer for an unknown address and a wrong password is the same, so the form cannot be
    used to find out who has an account.
    """
    now = _now()
    try:
        address = normalise_email(email)
    except InputError:
        address = email.strip().lower()[:254]
    with careshift.store.transaction() as session:
        session.execute(delete(login_attempt).where(login_attempt.c.at < now - timedelta(days=1)))
        _check_throttle(session, address, client[:64], now)
        row = session.execute(
            select(user_account.c.id, user_account.c.password_hash, user_account.c.active).where(
                user_account.c.email == address
            )
        ).first()
        ok = verify_password(row.password_hash if row else None, password)
        ok = ok and row is not None and row.active
        session.execute(
            insert(login_attempt).values(email=address, client=client[:64], at=now, succeeded=ok)
        )
    if not ok or row is None:
        raise PermissionDenied("wrong e-mail address or password")
    return create_session(careshift, row.id)


def create_session(careshift: Careshift, user_id: int) -> SignedIn:
    """Open a web session for an account already authenticated (password or OpenID Connect)."""
    session_id = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    now = _now()
    with careshift.store.transaction() as session:
        account = load_account(session, user_id)
        if account is None or not account.active:
            raise PermissionDenied("this account is not active")
        session.execute(
            insert(web_session).values(
                id_hash=digest(session_id),
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        principal = principal_for(account)
        audit.record(session, principal, "login", "account", user_id)
    return SignedIn(session_id, csrf_token, account, principal)


def resolve_session(careshift: Careshift, session_id: str) -> SignedIn | None:
    """The live session behind a cookie value, or None when unknown or expired."""
    if not session_id or len(session_id) > 100:
        return None
    with careshift.store.sessions() as session:
        row = session.execute(
            select(web_session.c.user_id, web_session.c.csrf_token, web_session.c.expires_at).where(
                web_session.c.id_hash == digest(session_id)
            )
        ).first()
        if row is None or _aware(row.expires_at) <= _now():
            return None
        account = load_account(session, row.user_id)
    if account is None or not account.active:
        return None
    return SignedIn(session_id, row.csrf_token, account, principal_for(account))


def sign_out(careshift: Careshift, session_id: str) -> None:
    with careshift.store.transaction() as session:
        session.execute(delete(web_session).where(web_session.c.id_hash == digest(session_id)))
        session.execute(delete(web_session).where(web_session.c.expires_at < _now()))


def start_password_reset(careshift: Careshift, email: str, *, by: Principal = SYSTEM) -> str:
    """A one-time reset token for the account (printed by the CLI; no mail server needed)."""
    address = normalise_email(email)
    token = secrets.token_urlsafe(32)
    with careshift.store.transaction() as session:
        user_id = session.scalar(select(user_account.c.id).where(user_account.c.email == address))
        if user_id is None:
            raise NotFound(f"no account for {address}")
        session.execute(
            insert(password_reset).values(
                token_hash=digest(token), user_id=user_id, expires_at=_now() + RESET_LIFETIME
            )
        )
        audit.record(session, by, "reset", "account", user_id)
    return token


def reset_password(careshift: Careshift, token: str, new_password: str) -> int:
    """Set a new password with a reset token; the token is spent and every session closed."""
    password_hash = hash_password(new_password)
    now = _now()
    with careshift.store.transaction() as session:
        row = session.execute(
            select(password_reset).where(password_reset.c.token_hash == digest(token))
        ).first()
        if row is None or row.used_at is not None or _aware(row.expires_at) <= now:
            raise PermissionDenied("this reset link is unknown, used or expired")
        session.execute(
            update(password_reset)
            .where(password_reset.c.token_hash == row.token_hash)
            .values(used_at=now)
        )
        session.execute(
            update(user_account)
            .where(user_account.c.id == row.user_id)
            .values(password_hash=password_hash)
        )
        session.execute(delete(web_session).where(web_session.c.user_id == row.user_id))
        owner = Principal(actor=f"user:{row.user_id}", roles=frozenset())
        audit.record(session, owner, "update", "account", row.user_id, field="password")
    return int(row.user_id)
