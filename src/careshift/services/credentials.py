"""Issue, verify and revoke Open Badges 3.0 credentials signed with the institution's Ed25519 key.

The credential is a JWT-VC: the OB 3.0 AchievementCredential is the JWT payload (with ``iss``,
``jti``, ``nbf`` and ``exp`` claims), signed ``EdDSA``. Verification is offline: the signature is
checked with the key careshift holds for the token's ``kid``, the issuer must be the institution
that key belongs to, the validity window must include now, and the credential must not be
revoked.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters import signing
from careshift.adapters.db import workforce_repository as workforce
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.credentials import (
    AchievementSpec,
    Alignment,
    achievement_credential,
    hashed_identity,
)
from careshift.errors import Conflict, InputError, NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.credential_checks import Verification, issuer_id, verify
from careshift.services.taxonomy import snapshot

__all__ = ["Issued", "Verification", "issue_for_enrolment", "issue_for_skill", "revoke", "verify"]


@dataclass(frozen=True)
class Issued:
    uid: str
    token: str
    credential: dict[str, Any]


def _key(careshift: Careshift, session: Session, institution_id: int) -> tuple[str, str]:
    """The institution's active signing key, created on first use."""
    row = session.execute(
        select(t.signing_key.c.kid, t.signing_key.c.public_key)
        .where(
            t.signing_key.c.institution_id == institution_id, t.signing_key.c.retired_at.is_(None)
        )
        .order_by(t.signing_key.c.id.desc())
    ).first()
    if row is not None:
        return row[0], row[1]
    kid, public = signing.generate_key(careshift.settings.data_dir / "keys")
    session.execute(
        insert(t.signing_key).values(
            institution_id=institution_id, kid=kid, public_key=public, created_at=datetime.now(UTC)
        )
    )
    return kid, public


def issue_for_enrolment(
    careshift: Careshift, principal: Principal, enrolment_id: int, valid_days: int | None = None
) -> Issued:
    """A Course credential for a completed enrolment, aligned to every skill the course brings."""
    with careshift.store.transaction() as session:
        row = (
            session.execute(select(t.enrolment).where(t.enrolment.c.id == enrolment_id))
            .mappings()
            .first()
        )
        if row is None:
            authorize(principal, Action.WRITE, Resource.COHORT)  # no id oracle for outsiders
            raise NotFound(f"no enrolment with id {enrolment_id}")
        # Authorise before telling anyone whether this person completed the course.
        learner = workforce.load_worker(session, row["worker_id"])
        authorize(principal, Action.WRITE, Resource.COHORT,
                  institution_id=learner.institution_id if learner else None)  # fmt: skip
        if row["status"] != "completed":
            raise Conflict(f"enrolment {enrolment_id} is {row['status']}, not completed")
        course = (
            session.execute(select(t.course).where(t.course.c.id == row["course_id"]))
            .mappings()
            .one()
        )
        skills = list(
            session.execute(
                select(t.course_skill.c.skill_uri, t.course_skill.c.level).where(
                    t.course_skill.c.course_id == course["id"]
                )
            )
        )
        import json

        title = json.loads(course["titles"]).get("en", course["code"])
        alignments = [a for uri, _ in skills for a in _alignments(careshift, uri)]
        spec = AchievementSpec(
            id=f"urn:careshift:course:{course['code']}",
            kind="Course",
            name=title,
            description=course["description"]
            or f"Completed the course {title} ({course['hours']:g} hours).",
            criteria=f"Complete {title}, attending and passing its assessment.",
            alignments=alignments,
            level=max((level for _, level in skills), default=1),
            evidence=[("Course completion", f"Completed {title} on {row['completed_on']}.")],
        )
        return _issue(
            careshift,
            session,
            principal,
            row["worker_id"],
            spec,
            "course",
            valid_days,
            course_id=course["id"],
        )


def issue_for_skill(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    skill_uri: str,
    valid_days: int | None = None,
) -> Issued:
    """A Competency credential for the level the worker's profile shows in ``skill_uri``."""
    from careshift.services.workers import profile

    mine = profile(careshift, principal, worker_id)
    held = mine.skills.get(skill_uri)
    if held is None or held.level < 1:
        raise InputError(f"worker {worker_id} has no level in {skill_uri}")
    label = _label(careshift, skill_uri)
    spec = AchievementSpec(
        id=f"{skill_uri}#level-{held.level}",
        kind="Competency",
        name=f"{label}: level {held.level}",
        description=f"Proficiency level {held.level} of 6 in {label}.",
        criteria=f"Demonstrated {label} at level {held.level}, by {held.basis.value} evidence.",
        alignments=_alignments(careshift, skill_uri),
        level=held.level,
        evidence=[
            (e.source.value, f"{e.source.value} evidence of level {e.level} on {e.observed_on}")
            for e in held.evidence
        ][:10],
    )
    with careshift.store.transaction() as session:
        return _issue(
            careshift,
            session,
            principal,
            worker_id,
            spec,
            "skill",
            valid_days,
            skill_uri=skill_uri,
            level=held.level,
        )


def _issue(
    careshift: Careshift,
    session: Session,
    principal: Principal,
    worker_id: int,
    spec: AchievementSpec,
    kind: str,
    valid_days: int | None,
    **link: Any,
) -> Issued:
    worker = workforce.load_worker(session, worker_id)
    if worker is None:
        raise NotFound(f"no worker with id {worker_id}")
    authorize(principal, Action.WRITE, Resource.COHORT, institution_id=worker.institution_id)
    code, name = session.execute(
        select(institution.c.code, institution.c.name).where(
            institution.c.id == worker.institution_id
        )
    ).one()
    kid, public = _key(careshift, session, worker.institution_id)
    uid = f"urn:uuid:{uuid.uuid4()}"
    now = datetime.now(UTC).replace(microsecond=0)
    until = now + timedelta(days=valid_days) if valid_days else None
    identity = hashed_identity(f"{code}:{worker.employee_number}", secrets.token_hex(8))
    credential = achievement_credential(uid, issuer_id(code), name, identity, spec, now, until)
    claims = {**credential, "iss": issuer_id(code), "jti": uid, "nbf": int(now.timestamp())}
    if until is not None:
        claims["exp"] = int(until.timestamp())
    token = signing.sign(
        claims, signing.load_private_key(careshift.settings.data_dir / "keys", kid), kid, public
    )
    session.execute(
        insert(t.credential).values(
            uid=uid,
            institution_id=worker.institution_id,
            worker_id=worker_id,
            kind=kind,
            issued_at=now,
            valid_until=until,
            kid=kid,
            token=token,
            **link,
        )
    )
    record(
        session,
        principal,
        "create",
        "credential",
        worker_id,
        institution_id=worker.institution_id,
        uid=uid,
    )
    return Issued(uid, token, credential)


def revoke(careshift: Careshift, principal: Principal, uid: str, reason: str) -> None:
    with careshift.store.transaction() as session:
        row = session.execute(
            select(
                t.credential.c.id, t.credential.c.institution_id, t.credential.c.worker_id
            ).where(t.credential.c.uid == uid)
        ).first()
        if row is None:
            raise NotFound(f"no credential {uid}")
        authorize(principal, Action.WRITE, Resource.COHORT, institution_id=row[1])
        session.execute(
            update(t.credential)
            .where(t.credential.c.id == row[0])
            .values(revoked_at=datetime.now(UTC), revocation_reason=reason)
        )
        record(
            session,
            principal,
            "update",
            "credential",
            row[2],
            institution_id=row[1],
            uid=uid,
            revoked=True,
        )


def _label(careshift: Careshift, uri: str) -> str:
    concept = snapshot(careshift).concepts.get(uri)
    return concept.label("en")[0] if concept else uri


def _alignments(careshift: Careshift, uri: str) -> list[Alignment]:
    """The skill itself and the ESCO concepts a local skill links to (exact matches first)."""
    taxonomy = snapshot(careshift)
    concept = taxonomy.concepts.get(uri)
    framework = (
        "ESCO" if "data.europa.eu/esco" in uri else (concept.release if concept else "local")
    )
    found = [Alignment(_label(careshift, uri), uri, framework)]
    links = sorted(
        (match != "exact", esco) for local, esco, match in taxonomy.links if local == uri
    )
    found += [Alignment(_label(careshift, esco), esco, "ESCO") for _, esco in links]
    return found
