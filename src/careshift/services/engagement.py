"""Engagement sessions: a skill-gap survey, a link per invited worker, results only in aggregate.

Privacy by design: an answer is stored against an anonymous response (no worker, no invitation,
no time), so nobody, not even an administrator with database access, can read one person's
answers. Only the link's token (kept as a hash) ties an invitation to the act of answering.
With the worker's consent the answers are *also* written to their own profile as evidence.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db import workforce_repository as repo
from careshift.adapters.db.tables import workforce as t
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.workforce import EvidenceSource
from careshift.errors import Conflict, InputError, NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.requirements import role_index, role_requirements
from careshift.services.workers import add_evidence, require_institution, validate_levels

__all__ = [
    "SURVEY_LINK",
    "Invitation",
    "SessionInfo",
    "answer",
    "close_session",
    "create_session",
    "invite",
    "list_sessions",
    "questions",
]

#: Who answers through a link: the token is the credential, the person stays unnamed.
SURVEY_LINK = Principal(actor="survey-link", roles=frozenset(), institutions=frozenset())
LINK_PATH = "/survey/{token}"


@dataclass(frozen=True)
class SessionInfo:
    id: int
    institution_id: int
    title: str
    role_uri: str | None
    status: str
    skills: list[str]


@dataclass(frozen=True)
class Invitation:
    worker_id: int
    employee_number: str
    token: str

    @property
    def link(self) -> str:
        return LINK_PATH.format(token=self.token)


def _new_token() -> str:
    # 160 random bits in hex: safe in URLs, and never starts with "-" (a command-line option).
    return secrets.token_hex(20)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    title: str,
    *,
    role_uri: str | None = None,
    skill_uris: Sequence[str] = (),
) -> SessionInfo:
    """A survey over a role's skills (essential first) or over a chosen list of skills."""
    authorize(principal, Action.WRITE, Resource.ENGAGEMENT, institution_id=institution_id)
    if not title.strip():
        raise InputError("a session needs a title")
    required = role_requirements(careshift, role_uri) if role_uri else ()
    skills = list(dict.fromkeys(skill_uris)) or [r.skill_uri for r in required]
    if not skills:
        raise InputError("a session needs a role with skills or a list of skills")
    validate_levels(careshift, dict.fromkeys(skills, 1), EvidenceSource.SELF, None, "check")
    with careshift.store.transaction() as session:
        require_institution(session, institution_id)
        session_id = session.execute(
            insert(t.engagement_session)
            .values(
                institution_id=institution_id,
                title=title.strip(),
                role_uri=role_uri,
                status="open",
                created_by=principal.actor,
                created_at=datetime.now(UTC),
                invited_erased=0,
            )
            .returning(t.engagement_session.c.id)
        ).scalar_one()
        session.execute(
            insert(t.engagement_skill),
            [
                {"session_id": session_id, "skill_uri": s, "position": i}
                for i, s in enumerate(skills)
            ],
        )
        record(session, principal, "create", "engagement_session", session_id,
               institution_id=institution_id)  # fmt: skip
    return SessionInfo(session_id, institution_id, title.strip(), role_uri, "open", skills)


def load_session(session: Session, session_id: int) -> SessionInfo:
    row = session.execute(
        select(t.engagement_session).where(t.engagement_session.c.id == session_id)
    ).first()
    if row is None:
        raise NotFound(f"no engagement session with id {session_id}")
    skills = session.scalars(
        select(t.engagement_skill.c.skill_uri)
        .where(t.engagement_skill.c.session_id == session_id)
        .order_by(t.engagement_skill.c.position)
    ).all()
    return SessionInfo(
        row.id, row.institution_id, row.title, row.role_uri, row.status, list(skills)
    )


def list_sessions(
    careshift: Careshift, principal: Principal, institution_id: int
) -> list[SessionInfo]:
    authorize(principal, Action.READ, Resource.ENGAGEMENT, institution_id=institution_id)
    with careshift.store.transaction() as session:
        ids = session.scalars(
            select(t.engagement_session.c.id)
            .where(t.engagement_session.c.institution_id == institution_id)
            .order_by(t.engagement_session.c.id)
        ).all()
        return [load_session(session, i) for i in ids]


def invite(
    careshift: Careshift,
    principal: Principal,
    session_id: int,
    *,
    unit_code: str | None = None,
    role_uri: str | None = None,
) -> list[Invitation]:
    """Invite a group (the institution, one unit or one role); returns each new link once.

    Only a hash of each token is stored: the links shown here cannot be shown again. Workers
    already invited are skipped.
    """
    with careshift.store.transaction() as session:
        info = load_session(session, session_id)
        authorize(principal, Action.WRITE, Resource.ENGAGEMENT, institution_id=info.institution_id)
        if info.status != "open":
            raise Conflict(f"engagement session {session_id} is closed")
        workers = repo.select_workers(
            session, info.institution_id, unit_code=unit_code, role_uri=role_uri
        )
        invited = set(
            session.scalars(
                select(t.engagement_invitation.c.worker_id).where(
                    t.engagement_invitation.c.session_id == session_id
                )
            )
        )
        new = [
            Invitation(w.id, w.employee_number, _new_token())
            for w in workers
            if w.id not in invited
        ]
        if new:
            session.execute(
                insert(t.engagement_invitation),
                [
                    {
                        "session_id": session_id,
                        "worker_id": i.worker_id,
                        "token_hash": _hash(i.token),
                        "answered": False,
                        "consent": False,
                    }
                    for i in new
                ],
            )
        record(session, principal, "create", "engagement_invitation", session_id,
               institution_id=info.institution_id, count=len(new))  # fmt: skip
    return new


def _invitation(session: Session, token: str) -> Any:
    row = session.execute(
        select(t.engagement_invitation).where(t.engagement_invitation.c.token_hash == _hash(token))
    ).first()
    if row is None:
        raise NotFound("this survey link is not valid")
    return row


def questions(careshift: Careshift, token: str, lang: str = "en") -> dict[str, Any]:
    """What the link's holder is asked (never their earlier answers: those are anonymous)."""
    with careshift.store.transaction() as session:
        invitation = _invitation(session, token)
        info = load_session(session, invitation.session_id)
    index = role_index(careshift)
    return {
        "session_id": info.id,
        "title": info.title,
        "status": info.status,
        "answered": invitation.answered,
        "skills": [{"skill_uri": s, "label": index.label(s, lang)} for s in info.skills],
        "levels": list(range(1, 7)),
    }


def answer(
    careshift: Careshift, token: str, levels: Mapping[str, int], *, consent: bool = False
) -> None:
    """Record one person's answers anonymously; with consent, also as profile evidence."""
    with careshift.store.transaction() as session:
        invitation = _invitation(session, token)
        info = load_session(session, invitation.session_id)
        # A closed session or a used link is refused whatever was sent, even nothing.
        if info.status != "open":
            raise Conflict("this engagement session is closed")
        if invitation.answered:
            raise Conflict("this survey link has already been used")
        items = validate_levels(careshift, levels, EvidenceSource.SESSION, None, "self (survey)")
        outside = sorted(set(levels) - set(info.skills))
        if outside:
            raise InputError(f"not asked in this session: {', '.join(outside)}")
        response_id = session.execute(
            insert(t.engagement_response)
            .values(session_id=info.id)
            .returning(t.engagement_response.c.id)
        ).scalar_one()
        session.execute(
            insert(t.engagement_answer),
            [{"response_id": response_id, "skill_uri": s, "level": v} for s, v in levels.items()],
        )
        session.execute(
            update(t.engagement_invitation)
            .where(t.engagement_invitation.c.id == invitation.id)
            .values(answered=True, consent=consent)
        )
        record(session, SURVEY_LINK, "answer", "engagement_session", info.id,
               institution_id=info.institution_id)  # fmt: skip
        if consent:
            worker = repo.load_worker(session, invitation.worker_id)
            assert worker is not None  # invitations go with their worker
            add_evidence(session, SURVEY_LINK, worker, items)


def close_session(careshift: Careshift, principal: Principal, session_id: int) -> None:
    with careshift.store.transaction() as session:
        info = load_session(session, session_id)
        authorize(principal, Action.WRITE, Resource.ENGAGEMENT, institution_id=info.institution_id)
        session.execute(
            update(t.engagement_session)
            .where(t.engagement_session.c.id == session_id)
            .values(status="closed")
        )
        record(session, principal, "update", "engagement_session", session_id,
               institution_id=info.institution_id, status="closed")  # fmt: skip


def response_counts(session: Session, session_id: int) -> tuple[int, int]:
    """(invited, answered), counting invitations of workers erased since."""
    invited = session.scalar(
        select(func.count()).where(t.engagement_invitation.c.session_id == session_id)
    )
    erased = session.scalar(
        select(t.engagement_session.c.invited_erased).where(t.engagement_session.c.id == session_id)
    )
    answered = session.scalar(
        select(func.count()).where(t.engagement_response.c.session_id == session_id)
    )
    return int(invited or 0) + int(erased or 0), int(answered or 0)
