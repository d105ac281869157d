"""Demo accounts, one per role, so a newcomer can click through every journey.

Every demo account has the password :data:`DEMO_PASSWORD`, printed by ``careshift demo`` and
listed in the README ("Demo accounts"). The worker accounts are linked to the first workers of
the demo hospital once the workforce demo step has created them.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select, update

from careshift.adapters.db.tables.accounts import user_account
from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import Role
from careshift.services import accounts

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo_accounts"]

DEMO_PASSWORD = "careshift-demo"
HOSPITAL = "riverside-hospital"

# (e-mail, name, role, institution codes; empty = every institution)
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, tuple[str, ...]], ...] = (
    ("admin@demo", "Ada Admin", Role.ADMIN, ()),
    ("worker@demo", "Wanda Worker", Role.WORKER, (HOSPITAL,)),
    ("worker2@demo", "Walter Worker", Role.WORKER, (HOSPITAL,)),
    ("academy@demo", "Aksel Academy", Role.ACADEMY, ("healthcare-academy", HOSPITAL)),
    ("union@demo", "Una Union", Role.UNION, ("health-workers-union", HOSPITAL)),
    ("hr@demo", "Hedda HR", Role.HR, (HOSPITAL,)),
    ("analyst@demo", "Anders Analyst", Role.ANALYST, ()),
    ("education@demo", "Eva Education", Role.EDUCATION, (HOSPITAL,)),
)


def _institution_ids(careshift: Careshift) -> dict[str, int]:
    with careshift.store.sessions() as session:
        return {
            code: id_ for code, id_ in session.execute(select(institution.c.code, institution.c.id))
        }


def _demo_workers(careshift: Careshift, hospital_id: int | None) -> list[int]:
    """The first two workers of the demo hospital (none before the workforce step ran)."""
    if hospital_id is None:
        return []
    try:
        from careshift.adapters.db.tables.workforce import worker
    except ImportError:
        return []
    with careshift.store.sessions() as session:
        return list(
            session.scalars(
                select(worker.c.id)
                .where(worker.c.institution_id == hospital_id)
                .order_by(worker.c.id)
                .limit(2)
            )
        )


def seed_demo_accounts(careshift: Careshift) -> Iterator[str]:
    """Create the demo accounts (idempotent) and link the worker accounts to worker records."""
    ids = _institution_ids(careshift)
    created = 0
    for email, name, role, codes in DEMO_ACCOUNTS:
        with careshift.store.sessions() as session:
            found = session.scalar(select(user_account.c.id).where(user_account.c.email == email))
        user_id = found or accounts.create_user(careshift, email, name, password=DEMO_PASSWORD)
        created += found is None
        for code in codes or (None,):
            accounts.grant(careshift, user_id, role, ids.get(code) if code else None)
    workers = _demo_workers(careshift, ids.get(HOSPITAL))
    for email, worker_id in zip(("worker@demo", "worker2@demo"), workers, strict=False):
        with careshift.store.transaction() as session:
            session.execute(
                update(user_account)
                .where(user_account.c.email == email, user_account.c.worker_id.is_(None))
                .values(worker_id=worker_id)
            )
    yield f"demo accounts: {created} added; password for all: {DEMO_PASSWORD}"
    for email, _, role, _ in DEMO_ACCOUNTS:
        yield f"  {email:<16} {role.value}"
