"""Workers: HR import, records, profiles, self-assessment and ratings. Every access is audited.

Who may do what is decided by :mod:`careshift.services.access` (Resource.PERSON): HR and academy
staff within their institutions, and the worker for their own record. A worker may assess
themselves but not rate themselves as a supervisor would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from careshift.adapters.db import workforce_repository as repo
from careshift.adapters.db.tables.platform import institution
from careshift.adapters.files.hr_import import parse_record, read_hr_file
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.domain.taxonomy import ConceptKind
from careshift.domain.workforce import (
    MAX_LEVEL,
    MIN_LEVEL,
    Evidence,
    EvidenceSource,
    ProfileSkill,
    Worker,
    reconcile,
)
from careshift.errors import InputError, NotFound, RowProblem
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.requirements import role_index

__all__ = [
    "Profile",
    "add_evidence",
    "assess_self",
    "get_worker",
    "import_workers",
    "list_workers",
    "profile",
    "rate",
    "save_worker",
]

#: Sources staff may record for a worker (self-assessment goes through :func:`assess_self`).
STAFF_SOURCES = frozenset(
    {
        EvidenceSource.SUPERVISOR,
        EvidenceSource.COURSE,
        EvidenceSource.CREDENTIAL,
        EvidenceSource.TEXT,
    }
)


OWNER_SOURCES = frozenset({EvidenceSource.SELF, EvidenceSource.TEXT})


@dataclass(frozen=True)
class Profile:
    worker: Worker
    #: skill uri -> reconciled level with all its evidence
    skills: dict[str, ProfileSkill]


def require_institution(session: Session, institution_id: int) -> None:
    found = session.scalar(select(institution.c.id).where(institution.c.id == institution_id))
    if found is None:
        raise NotFound(f"no institution with id {institution_id}")


def import_workers(
    careshift: Careshift,
    path: Path,
    institution_id: int,
    principal: Principal = SYSTEM,
    *,
    name: str | None = None,
) -> dict[str, int]:
    """Import an HR file in one transaction: all rows or, on any problem, none.

    ``name`` is the file's name in messages when it is not the path's own (an upload).
    """
    authorize(principal, Action.WRITE, Resource.PERSON, institution_id=institution_id)
    rows = read_hr_file(Path(path), role_index(careshift).resolve, name)
    with careshift.store.transaction() as session:
        require_institution(session, institution_id)
        counts = repo.upsert_workers(session, institution_id, rows, principal.actor)
        record(session, principal, "import", "worker", institution_id=institution_id, **counts)
    return counts


def save_worker(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    fields: Mapping[str, str | int | None],
) -> Worker:
    """Create a worker or update the one with the same employee number (history kept)."""
    authorize(principal, Action.WRITE, Resource.PERSON, institution_id=institution_id)
    text = {k: "" if v is None else str(v) for k, v in fields.items()}
    row = parse_record(text, role_index(careshift).resolve)
    with careshift.store.transaction() as session:
        require_institution(session, institution_id)
        repo.upsert_workers(session, institution_id, [row], principal.actor)
        worker = repo.find_worker(session, institution_id, row.employee_number)
        assert worker is not None  # just written
        record(session, principal, "update", "worker", worker.id, institution_id=institution_id)
    return worker


def _load_authorized(
    session: Session, principal: Principal, worker_id: int, action: Action
) -> Worker:
    worker = repo.load_worker(session, worker_id)
    if worker is None:
        # Only those who could read such a record learn that it does not exist (no id oracle).
        authorize(principal, action, Resource.PERSON, worker_id=worker_id)
        raise NotFound(f"no worker with id {worker_id}")
    authorize(
        principal,
        action,
        Resource.PERSON,
        institution_id=worker.institution_id,
        worker_id=worker_id,
    )
    return worker


def get_worker(careshift: Careshift, principal: Principal, worker_id: int) -> Worker:
    with careshift.store.transaction() as session:
        worker = _load_authorized(session, principal, worker_id, Action.READ)
        record(
            session, principal, "read", "worker", worker_id, institution_id=worker.institution_id
        )
    return worker


def list_workers(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    *,
    unit_code: str | None = None,
    role_uri: str | None = None,
) -> list[Worker]:
    authorize(principal, Action.READ, Resource.PERSON, institution_id=institution_id)
    with careshift.store.transaction() as session:
        workers = repo.select_workers(
            session, institution_id, unit_code=unit_code, role_uri=role_uri
        )
        record(
            session, principal, "read", "worker", institution_id=institution_id, count=len(workers)
        )
    return workers


def profile(careshift: Careshift, principal: Principal, worker_id: int) -> Profile:
    """The worker's reconciled skill profile (see domain.workforce for the rule)."""
    index = role_index(careshift)
    with careshift.store.transaction() as session:
        worker = _load_authorized(session, principal, worker_id, Action.READ)
        evidence = repo.load_evidence(session, worker_ids=[worker_id]).get(worker_id, [])
        record(
            session, principal, "read", "profile", worker_id, institution_id=worker.institution_id
        )
    defaults = {r.skill_uri: r.level for r in index.requirements.get(worker.role_uri, ())}
    return Profile(worker=worker, skills=reconcile(evidence, defaults))


def assess_self(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    levels: Mapping[str, int],
    observed_on: date | None = None,
) -> None:
    """The worker (or staff on their behalf) records a self-assessment."""
    _record(careshift, principal, worker_id, levels, EvidenceSource.SELF, observed_on, None)


def rate(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    levels: Mapping[str, int],
    source: EvidenceSource = EvidenceSource.SUPERVISOR,
    observed_on: date | None = None,
    note: str | None = None,
) -> None:
    """Staff record a supervisor rating, course completion, credential or text suggestion.

    The worker themselves may record only ``text`` (suggestions from their CV they accepted).
    """
    if source not in STAFF_SOURCES:
        raise InputError(f"source must be one of {', '.join(sorted(STAFF_SOURCES))}")
    _record(careshift, principal, worker_id, levels, source, observed_on, note)


def add_evidence(
    session: Session,
    principal: Principal,
    worker: Worker,
    items: list[Evidence],
) -> None:
    """Write evidence inside a caller's transaction (engagement answers, course completions)."""
    repo.add_evidence(session, worker.id, items, datetime.now(UTC))
    record(
        session,
        principal,
        "create",
        "skill_evidence",
        worker.id,
        institution_id=worker.institution_id,
        count=len(items),
    )


def _record(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    levels: Mapping[str, int],
    source: EvidenceSource,
    observed_on: date | None,
    note: str | None,
) -> None:
    items = validate_levels(careshift, levels, source, observed_on, principal.actor, note)
    with careshift.store.transaction() as session:
        # A worker may record their own view (self, accepted text suggestions), never a rating.
        owner_allowed = worker_id if source in OWNER_SOURCES else None
        worker = repo.load_worker(session, worker_id)
        if worker is None:
            authorize(principal, Action.WRITE, Resource.PERSON, worker_id=owner_allowed)
            raise NotFound(f"no worker with id {worker_id}")
        authorize(
            principal,
            Action.WRITE,
            Resource.PERSON,
            institution_id=worker.institution_id,
            worker_id=owner_allowed,
        )
        add_evidence(session, principal, worker, items)


def validate_levels(
    careshift: Careshift,
    levels: Mapping[str, int],
    source: EvidenceSource,
    observed_on: date | None,
    author: str,
    note: str | None = None,
) -> list[Evidence]:
    """Evidence items for known skills with levels 1-6; every problem names the skill."""
    concepts = role_index(careshift).taxonomy.concepts
    problems = []
    for uri, level in levels.items():
        concept = concepts.get(uri)
        if concept is None or concept.kind is not ConceptKind.SKILL:
            problems.append(RowProblem("levels", None, uri, "not a skill in the taxonomy"))
        if not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
            problems.append(
                RowProblem("levels", None, uri, f"level must be {MIN_LEVEL}-{MAX_LEVEL}")
            )
    if problems or not levels:
        raise InputError("invalid skill levels" if levels else "no skill levels given", problems)
    when = observed_on or datetime.now(UTC).date()
    return [Evidence(uri, level, source, when, author, note) for uri, level in levels.items()]
