"""A worker's rows outside the workforce area, read for their data export (right of access).

One function per section of the export (``services.privacy.EXPORT_SECTIONS`` says which tables
each reads). Rows come out as plain JSON-ready values: codes instead of internal foreign keys
where a code exists, date-times in UTC. Secrets never leave: no password hash, no digest of a
session id, access token or reset code; a credential's signed token is downloaded on its own
(``GET /api/v1/workers/{id}/credentials/{uid}``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Table, select
from sqlalchemy.orm import Session

from careshift.adapters.db.learning_repository import as_utc
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.accounts import access_token, membership, user_account
from careshift.adapters.db.tables.platform import institution

__all__ = [
    "accounts",
    "credentials",
    "enrolment_requests",
    "enrolments",
    "programmes",
    "roster_shifts",
]


def _plain(row: RowMapping) -> dict[str, Any]:
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()}


def enrolments(session: Session, worker_id: int) -> list[dict[str, Any]]:
    """Every enrolment, oldest first, with its attendance, assessments and xAPI statements."""
    rows = session.execute(
        select(
            t.enrolment.c.id,
            t.course.c.code.label("course"),
            t.session.c.code.label("session"),
            t.programme.c.code.label("programme"),
            t.wave.c.name.label("wave"),
            t.enrolment.c.status,
            t.enrolment.c.enrolled_at,
            t.enrolment.c.completed_on,
        )
        .join(t.course, t.course.c.id == t.enrolment.c.course_id)
        .outerjoin(t.session, t.session.c.id == t.enrolment.c.session_id)
        .outerjoin(t.programme, t.programme.c.id == t.enrolment.c.programme_id)
        .outerjoin(t.wave, t.wave.c.id == t.enrolment.c.wave_id)
        .where(t.enrolment.c.worker_id == worker_id)
        .order_by(t.enrolment.c.id)
    ).mappings()
    found = [_plain(r) for r in rows]
    ids = [r["id"] for r in found]
    attendance = _by_enrolment(session, t.attendance, ids, ("attended_on", "hours", "source"))
    assessments = _by_enrolment(
        session, t.assessment, ids, ("assessed_on", "score", "passed", "assessor")
    )
    statements = _by_enrolment(
        session, t.xapi_statement, ids, ("statement_id", "verb", "received_at")
    )
    return [
        {
            **r,
            "attendance": attendance[r["id"]],
            "assessments": assessments[r["id"]],
            "xapi_statements": statements[r["id"]],
        }
        for r in found
    ]


def _by_enrolment(
    session: Session, table: Table, ids: list[int], columns: Iterable[str]
) -> defaultdict[int, list[dict[str, Any]]]:
    grouped: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        query = select(table.c.enrolment_id, *(table.c[name] for name in columns))
        for row in session.execute(query.where(table.c.enrolment_id.in_(ids))).mappings():
            item = _plain(row)
            grouped[item.pop("enrolment_id")].append(item)
    return grouped


def credentials(session: Session, worker_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            t.credential.c.uid,
            t.credential.c.kind,
            institution.c.code.label("institution"),
            t.course.c.code.label("course"),
            t.credential.c.skill_uri,
            t.credential.c.level,
            t.credential.c.issued_at,
            t.credential.c.valid_until,
            t.credential.c.revoked_at,
            t.credential.c.revocation_reason,
        )
        .join(institution, institution.c.id == t.credential.c.institution_id)
        .outerjoin(t.course, t.course.c.id == t.credential.c.course_id)
        .where(t.credential.c.worker_id == worker_id)
        .order_by(t.credential.c.id)
    ).mappings()
    return [_plain(r) for r in rows]


def enrolment_requests(session: Session, worker_id: int) -> list[dict[str, Any]]:
    """Requests for a place, with the worker's reason and HR's decision note."""
    request = t.enrolment_request
    rows = session.execute(
        select(
            request.c.id,
            t.session.c.code.label("session"),
            t.course.c.code.label("course"),
            request.c.status,
            request.c.reason,
            request.c.requested_at,
            request.c.decided_at,
            request.c.decided_by,
            request.c.decision_note,
            request.c.enrolment_id,
        )
        .join(t.session, t.session.c.id == request.c.session_id)
        .join(t.course, t.course.c.id == t.session.c.course_id)
        .where(request.c.worker_id == worker_id)
        .order_by(request.c.id)
    ).mappings()
    return [_plain(r) for r in rows]


def programmes(session: Session, worker_id: int) -> list[dict[str, Any]]:
    """Programmes the worker is a candidate for, with what weighs in their priority."""
    rows = session.execute(
        select(
            t.programme.c.code.label("programme"),
            t.programme.c.name,
            t.candidate.c.exposure,
            t.candidate.c.role_change_on,
            t.candidate.c.preference,
        )
        .join(t.programme, t.programme.c.id == t.candidate.c.programme_id)
        .where(t.candidate.c.worker_id == worker_id)
        .order_by(t.programme.c.code)
    ).mappings()
    return [_plain(r) for r in rows]


def roster_shifts(session: Session, worker_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(t.roster_shift.c.starts_at, t.roster_shift.c.ends_at)
        .where(t.roster_shift.c.worker_id == worker_id)
        .order_by(t.roster_shift.c.starts_at)
    ).mappings()
    return [_plain(r) for r in rows]


def accounts(session: Session, worker_id: int) -> list[dict[str, Any]]:
    """The worker's own sign-in accounts: e-mail, name, language, roles and access tokens
    (name, scopes and dates; never a password hash or a token digest)."""
    rows = session.execute(
        select(
            user_account.c.id,
            user_account.c.email,
            user_account.c.display_name,
            user_account.c.language,
            user_account.c.oidc_subject,
            (user_account.c.password_hash.is_not(None)).label("has_password"),
            user_account.c.active,
            user_account.c.created_at,
        )
        .where(user_account.c.worker_id == worker_id)
        .order_by(user_account.c.id)
    ).mappings()
    found = [_plain(r) for r in rows]
    return [
        {
            **account,
            "roles": _roles(session, account["id"]),
            "tokens": _tokens(session, account["id"]),
        }
        for account in found
    ]


def _roles(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(membership.c.role, institution.c.code.label("institution"))
        .outerjoin(institution, institution.c.id == membership.c.institution_id)
        .where(membership.c.user_id == user_id)
        .order_by(membership.c.role, institution.c.code)
    ).mappings()
    return [dict(r) for r in rows]


def _tokens(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            access_token.c.name,
            access_token.c.scopes,
            access_token.c.created_at,
            access_token.c.expires_at,
            access_token.c.revoked_at,
        )
        .where(access_token.c.user_id == user_id)
        .order_by(access_token.c.id)
    ).mappings()
    return [{**_plain(r), "scopes": r["scopes"].split()} for r in rows]
