"""User accounts and their role memberships: create, grant, revoke, list, and who a user is.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's recommendation).
Account changes are written to the audit log like any other change of personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db.tables.accounts import membership, user_account
from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.errors import Conflict, InputError, NotFound
from careshift.services import audit
from careshift.services.access import Action, Resource, authorize, authorize_everywhere

__all__ = [
    "LANGUAGES",
    "MIN_PASSWORD_LENGTH",
    "Account",
    "Membership",
    "actor",
    "create_user",
    "get_account",
    "grant",
    "hash_password",
    "institutions",
    "list_accounts",
    "load_account",
    "normalise_email",
    "principal_for",
    "revoke",
    "set_language",
    "user_id_by_email",
    "verify_password",
]

LANGUAGES = ("en", "nb", "sv")
MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Membership:
    role: Role
    institution_id: int | None
    institution_name: str | None


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    display_name: str
    language: str | None
    worker_id: int | None
    active: bool
    memberships: tuple[Membership, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check: an account without a password still costs one hash verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = _hasher.hash("careshift: no such account")


def actor(user_id: int) -> str:
    """How an account appears in the audit log and in :class:`Principal`."""
    return f"user:{user_id}"


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned):
        raise InputError(f"{email!r} is not an e-mail address")
    return cleaned


def _check_language(language: str | None) -> None:
    if language is not None and language not in LANGUAGES:
        raise InputError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")


def create_user(
    careshift: Careshift,
    email: str,
    display_name: str,
    *,
    password: str | None = None,
    language: str | None = None,
    worker_id: int | None = None,
    by: Principal = SYSTEM,
) -> int:
    """Create an account and return its id. Raises Conflict when the e-mail is taken."""
    authorize(by, Action.WRITE, Resource.ACCOUNT)
    address = normalise_email(email)
    _check_language(language)
    password_hash = hash_password(password) if password is not None else None
    with careshift.store.transaction() as session:
        if session.scalar(select(user_account.c.id).where(user_account.c.email == address)):
            raise Conflict(f"an account for {address} already exists")
        user_id = session.execute(
            insert(user_account)
            .returning(user_account.c.id)
            .values(
                email=address,
                display_name=display_name.strip() or address,
                password_hash=password_hash,
                language=language,
                worker_id=worker_id,
                active=True,
                created_at=datetime.now(UTC),
            )
        ).scalar_one()
        audit.record(session, by, "create", "account", user_id)
    return int(user_id)


def user_id_by_email(careshift: Careshift, email: str) -> int:
    address = normalise_email(email)
    with careshift.store.sessions() as session:
        user_id = session.scalar(select(user_account.c.id).where(user_account.c.email == address))
    if user_id is None:
        raise NotFound(f"no account for {address}")
    return int(user_id)


def _authorize_membership_change(by: Principal, institution_id: int | None) -> None:
    # None is a role in every institution: only an administrator of all of them may touch it.
    if institution_id is None:
        authorize_everywhere(by, Action.WRITE, Resource.ACCOUNT)
    else:
        authorize(by, Action.WRITE, Resource.ACCOUNT, institution_id=institution_id)


def grant(
    careshift: Careshift,
    user_id: int,
    role: Role | str,
    institution_id: int | None = None,
    *,
    by: Principal = SYSTEM,
) -> None:
    """Give an account a role, in one institution or (None) in all of them. Idempotent."""
    role = _role(role)
    _authorize_membership_change(by, institution_id)
    with careshift.store.transaction() as session:
        _require_user(session, user_id)
        if (
            institution_id is not None
            and session.scalar(select(institution.c.id).where(institution.c.id == institution_id))
            is None
        ):
            raise NotFound(f"no institution with id {institution_id}")
        existing = select(membership.c.id).where(
            membership.c.user_id == user_id,
            membership.c.role == role.value,
            membership.c.institution_id.is_(None)
            if institution_id is None
            else membership.c.institution_id == institution_id,
        )
        if session.scalar(existing) is None:
            session.execute(
                insert(membership).values(
                    user_id=user_id, role=role.value, institution_id=institution_id
                )
            )
            audit.record(
                session,
                by,
                "grant",
                "account",
                user_id,
                institution_id=institution_id,
                role=role.value,
            )


def revoke(
    careshift: Careshift,
    user_id: int,
    role: Role | str,
    institution_id: int | None = None,
    *,
    by: Principal = SYSTEM,
) -> None:
    """Take a role away, in one institution or (None) everywhere. Idempotent, like :func:`grant`:
    only a membership that was there is audited."""
    role = _role(role)
    _authorize_membership_change(by, institution_id)
    with careshift.store.transaction() as session:
        _require_user(session, user_id)
        removed = session.execute(
            delete(membership).where(
                membership.c.user_id == user_id,
                membership.c.role == role.value,
                membership.c.institution_id.is_(None)
                if institution_id is None
                else membership.c.institution_id == institution_id,
            )
        )
        if removed.rowcount:
            audit.record(
                session,
                by,
                "revoke",
                "account",
                user_id,
                institution_id=institution_id,
                role=role.value,
            )


def set_language(careshift: Careshift, user_id: int, language: str | None) -> None:
    """A user's own preference; no authorisation beyond being that user (checked by callers)."""
    _check_language(language)
    with careshift.store.transaction() as session:
        session.execute(
            update(user_account).where(user_account.c.id == user_id).values(language=language)
        )


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {role!r}; use one of {names}") from None


def _require_user(session: Session, user_id: int) -> None:
    if session.scalar(select(user_account.c.id).where(user_account.c.id == user_id)) is None:
        raise NotFound(f"no account with id {user_id}")


def load_account(session: Session, user_id: int) -> Account | None:
    row = session.execute(select(user_account).where(user_account.c.id == user_id)).first()
    if row is None:
        return None
    rows = session.execute(
        select(membership.c.role, membership.c.institution_id, institution.c.name)
        .select_from(membership.outerjoin(institution))
        .where(membership.c.user_id == user_id)
        .order_by(membership.c.role, membership.c.institution_id)
    ).all()
    return Account(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        language=row.language,
        worker_id=row.worker_id,
        active=row.active,
        memberships=tuple(Membership(Role(r.role), r.institution_id, r.name) for r in rows),
    )


def get_account(careshift: Careshift, user_id: int) -> Account:
    with careshift.store.sessions() as session:
        account = load_account(session, user_id)
    if account is None:
        raise NotFound(f"no account with id {user_id}")
    return account


def principal_for(account: Account) -> Principal:
    """The Principal an account acts as. A membership without institution means all of them.

    Roles are pooled across memberships: an account that is HR in one hospital and a worker in
    another is scoped to both; give such people two accounts if that pooling is too wide.
    """
    institutions: frozenset[int] | None = frozenset(
        m.institution_id for m in account.memberships if m.institution_id is not None
    )
    if any(m.institution_id is None for m in account.memberships):
        institutions = None
    return Principal(
        actor=actor(account.id),
        roles=account.roles,
        institutions=institutions,
        worker_id=account.worker_id,
    )


def list_accounts(careshift: Careshift, by: Principal) -> list[Account]:
    """Every account (administrators scoped to institutions see those with a membership there)."""
    authorize(by, Action.READ, Resource.ACCOUNT)
    with careshift.store.sessions() as session:
        ids = session.scalars(select(user_account.c.id).order_by(user_account.c.email)).all()
        accounts = [a for a in (load_account(session, i) for i in ids) if a is not None]
    if by.institutions is None:
        return accounts
    scope = by.institutions
    return [a for a in accounts if any(m.institution_id in scope for m in a.memberships)]


def institutions(careshift: Careshift) -> list[tuple[int, str]]:
    """(id, name) of every institution, for choosing where a role applies."""
    with careshift.store.sessions() as session:
        rows = session.execute(
            select(institution.c.id, institution.c.name).order_by(institution.c.name)
        ).all()
    return [(r.id, r.name) for r in rows]
