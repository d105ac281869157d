"""A worker's right to their data: export everything as JSON, and erasure.

The export has one section per kind of data (EXPORT_SECTIONS, with the tables each reads) and
an access log of the audit entries whose subject is the worker or one of their rows
(PERSONAL_SUBJECTS). Erasure uses the same list of subjects.

Erasure removes every row about the worker in one transaction, whichever area owns it:

* rows of any table that references ``workforce_worker`` by foreign key (directly or through
  another table) are deleted, dependents first;
* any other column named ``worker_id`` pointing at the worker (e.g. an account's link to its
  worker record) is cleared, or its row deleted when the column cannot be empty;
* engagement answers are anonymous already and stay, so session results still add up; the
  session keeps a count of erased invitations so its invited headcount is unchanged;
* the audit trail stays (it is append-only), but its rows about the worker or one of their rows
  (an enrolment, its attendance, a request: PERSONAL_SUBJECTS) get a pseudonymous subject
  (``erased-<random>``) that nothing else in the store links back to.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, and_, delete, false, or_, select, update
from sqlalchemy.orm import Session

import careshift.adapters.db.tables  # noqa: F401  (every area's tables on metadata)
from careshift.adapters.db import personal_records
from careshift.adapters.db import workforce_repository as repo
from careshift.adapters.db.base import metadata
from careshift.adapters.db.tables import accounts as a
from careshift.adapters.db.tables import learning as lt
from careshift.adapters.db.tables import workforce as t
from careshift.adapters.db.tables.platform import audit_log
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.requirements import role_index

__all__ = ["EXPORT_SECTIONS", "NOT_EXPORTED", "PERSONAL_SUBJECTS", "erase_worker", "export_worker"]

#: Audit subject types that name a worker, each with the column its subject id is a value of:
#: the worker's own id, or the id of one of their rows. The export lists these entries and
#: erasure pseudonymises them, from this one list; ``tests/unit/test_personal_data_map.py``
#: fails when an audited subject type is neither here nor listed there as naming no worker.
PERSONAL_SUBJECTS: Mapping[str, Column[int]] = {
    **dict.fromkeys(
        ("worker", "profile", "skill_evidence", "gap", "pathway", "learning_plan",
         "credential", "learning_record"),
        t.worker.c.id,
    ),
    **dict.fromkeys(("enrolment", "attendance", "assessment"), lt.enrolment.c.id),
    "enrolment_request": lt.enrolment_request.c.id,
}  # fmt: skip

#: The sections of the export and the tables each is read from (``profile`` is derived from
#: evidence). Every table about a worker is here or in NOT_EXPORTED (a test compares both with
#: the tables' metadata); docs/workforce.md describes each section.
EXPORT_SECTIONS: Mapping[str, tuple[Table, ...]] = {
    "worker": (t.worker,),
    "history": (t.worker_history,),
    "evidence": (t.skill_evidence,),
    "engagement_sessions": (t.engagement_invitation,),
    "enrolments": (lt.enrolment, lt.attendance, lt.assessment, lt.xapi_statement),
    "credentials": (lt.credential,),
    "enrolment_requests": (lt.enrolment_request,),
    "programmes": (lt.candidate,),
    "roster_shifts": (lt.roster_shift,),
    "accounts": (a.user_account, a.membership, a.access_token),
    "access_log": (audit_log,),
}

#: Tables about a worker deliberately left out of the export, and why.
NOT_EXPORTED: Mapping[str, str] = {
    "web_session": "a signed-in browser: digests of its cookie and CSRF secrets and an expiry "
    "at most 12 hours ahead, nothing about the person but the account it unlocks",
    "password_reset": "a pending reset code: its digest and an expiry at most a day ahead; "
    "issuing one is in the audit log under the account",
}


def export_worker(careshift: Careshift, principal: Principal, worker_id: int) -> dict[str, Any]:
    """Everything careshift holds about the worker, as JSON-ready data (sections above)."""
    from careshift.domain.workforce import reconcile

    with careshift.store.transaction() as session:
        worker = repo.load_worker(session, worker_id)
        if worker is None:
            # Only those who could export such a record learn that it does not exist.
            authorize(principal, Action.EXPORT, Resource.PERSON, worker_id=worker_id)
            raise NotFound(f"no worker with id {worker_id}")
        authorize(principal, Action.EXPORT, Resource.PERSON,
                  institution_id=worker.institution_id, worker_id=worker_id)  # fmt: skip
        evidence = repo.load_evidence(session, worker_ids=[worker_id]).get(worker_id, [])
        invitations = session.execute(
            select(t.engagement_session.c.id, t.engagement_session.c.title,
                   t.engagement_invitation.c.answered, t.engagement_invitation.c.consent)
            .join(t.engagement_session)
            .where(t.engagement_invitation.c.worker_id == worker_id)
        ).all()  # fmt: skip
        audit = session.execute(
            select(audit_log.c.at, audit_log.c.actor, audit_log.c.action,
                   audit_log.c.subject_type, audit_log.c.subject_id)
            .where(_about_worker(session, worker_id))
            .order_by(audit_log.c.id)
        ).all()  # fmt: skip
        history = repo.history(session, worker_id)
        learning = _learning_and_account(session, worker_id)
        record(session, principal, "export", "worker", worker_id,
               institution_id=worker.institution_id)  # fmt: skip
    defaults = {r.skill_uri: r.level for r in role_index(careshift).requirements.get(
        worker.role_uri, ())}  # fmt: skip
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "worker": asdict(worker),
        "history": history,
        "evidence": [{**asdict(e), "source": e.source.value} for e in evidence],
        "profile": {
            uri: {"level": s.level, "basis": s.basis.value}
            for uri, s in sorted(reconcile(evidence, defaults).items())
        },
        "engagement_sessions": [
            {"session_id": r.id, "title": r.title, "answered": r.answered, "consent": r.consent}
            for r in invitations
        ],
        "engagement_answers_note": (
            "Survey answers are stored anonymously and cannot be linked back to you; answers "
            "you agreed to add to your profile appear above as evidence with source 'session'."
        ),
        **learning,
        "access_log": [dict(r._mapping) for r in audit],
    }


def _learning_and_account(session: Session, worker_id: int) -> dict[str, Any]:
    return {
        "enrolments": personal_records.enrolments(session, worker_id),
        "credentials": personal_records.credentials(session, worker_id),
        "enrolment_requests": personal_records.enrolment_requests(session, worker_id),
        "programmes": personal_records.programmes(session, worker_id),
        "roster_shifts": personal_records.roster_shifts(session, worker_id),
        "accounts": personal_records.accounts(session, worker_id),
    }


def _about_worker(session: Session, worker_id: int) -> ColumnElement[bool]:
    """Audit rows whose subject is the worker or one of their rows (PERSONAL_SUBJECTS).

    The ids are read now, so erasure can pseudonymise after deleting the rows they name.
    """
    by_column: dict[Column[int], list[str]] = {}
    for subject_type, column in PERSONAL_SUBJECTS.items():
        by_column.setdefault(column, []).append(subject_type)
    matches = []
    for column, subject_types in by_column.items():
        owner = column if column.table is t.worker else column.table.c.worker_id
        ids = [str(i) for i in session.scalars(select(column).where(owner == worker_id))]
        if ids:
            matches.append(
                and_(audit_log.c.subject_type.in_(subject_types), audit_log.c.subject_id.in_(ids))
            )
    return or_(false(), *matches)


def erase_worker(careshift: Careshift, principal: Principal, worker_id: int) -> str:
    """Remove the worker's personal data; returns the pseudonym left in the audit trail."""
    pseudonym = f"erased-{secrets.token_hex(8)}"
    with careshift.store.transaction() as session:
        worker = repo.load_worker(session, worker_id)
        if worker is None:
            authorize(principal, Action.ERASE, Resource.PERSON, worker_id=worker_id)
            raise NotFound(f"no worker with id {worker_id}")
        authorize(principal, Action.ERASE, Resource.PERSON,
                  institution_id=worker.institution_id, worker_id=worker_id)  # fmt: skip
        about_worker = _about_worker(session, worker_id)
        _keep_invited_headcount(session, worker_id)
        _clear_loose_links(session, worker_id)
        _delete_rows(session, t.worker, t.worker.c.id == worker_id, depth=0)
        session.execute(update(audit_log).where(about_worker).values(subject_id=pseudonym))
        record(session, principal, "erase", "worker", pseudonym,
               institution_id=worker.institution_id)  # fmt: skip
    return pseudonym


def _keep_invited_headcount(session: Session, worker_id: int) -> None:
    sessions = session.scalars(
        select(t.engagement_invitation.c.session_id).where(
            t.engagement_invitation.c.worker_id == worker_id
        )
    ).all()
    for session_id in sessions:
        session.execute(
            update(t.engagement_session)
            .where(t.engagement_session.c.id == session_id)
            .values(invited_erased=t.engagement_session.c.invited_erased + 1)
        )


def _delete_rows(
    session: Session, table: Table, condition: ColumnElement[bool], depth: int
) -> None:
    """Delete rows of ``table`` matching ``condition`` and, first, every row depending on them."""
    if depth > 8:
        raise RuntimeError(f"foreign keys nest too deep at {table.name}")
    for other in metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and other is not table:
                chosen = select(fk.column).where(condition)
                _delete_rows(session, other, fk.parent.in_(chosen), depth + 1)
    session.execute(delete(table).where(condition))


def _clear_loose_links(session: Session, worker_id: int) -> None:
    """``worker_id`` columns without a foreign key (other areas link to workers loosely)."""
    for table in metadata.sorted_tables:
        column = table.c.get("worker_id")
        if column is None or column.foreign_keys:
            continue
        if column.nullable:
            session.execute(update(table).where(column == worker_id).values(worker_id=None))
        else:
            _delete_rows(session, table, column == worker_id, depth=1)
