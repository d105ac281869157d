"""Saved planning documents: WISN studies, projection scenarios and placement rounds (with their
sites and students), kept per institution so a planner can rerun and compare them.

A document is checked by its own reader before it is saved (a refused document is not stored);
saving the same name again adds a version, the newest being current. Runs go through the same
services as a file: ``run_document`` gives exactly what the CLI gives for the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select

from careshift.adapters.db.tables.planning import planning_document as document
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import InputError, NotFound
from careshift.services.access import Action, Resource, allowed, authorize
from careshift.services.audit import record
from careshift.services.placement_matching import match_file, read_placements
from careshift.services.planning_wisn import read_wisn, wisn_report
from careshift.services.projection_scenarios import project_file, read_scenarios

__all__ = ["KINDS", "list_documents", "run_document", "save_document"]

#: kind -> (reader that validates, calculation)
KINDS: dict[str, tuple[Callable[..., Any], Callable[..., dict[str, Any]]]] = {
    "wisn": (read_wisn, wisn_report),
    "projection": (read_scenarios, project_file),
    "placements": (read_placements, match_file),
}


def _kind(kind: str) -> tuple[Callable[..., Any], Callable[..., dict[str, Any]]]:
    if kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return KINDS[kind]


def _resource(kind: str) -> Resource:
    """Placement rounds name students, so they are the education side's, not the planners'."""
    return Resource.PLACEMENT if kind == "placements" else Resource.PLANNING


def save_document(
    careshift: Careshift, principal: Principal, institution_id: int, kind: str, name: str, body: str
) -> dict[str, Any]:
    """Check and store a version of the named document; returns its version number."""
    reader, _ = _kind(kind)
    authorize(principal, Action.WRITE, _resource(kind), institution_id=institution_id)
    if not name.strip() or len(name) > 100:
        raise InputError("a document needs a name of 1-100 characters")
    reader(name, body)  # refuses a bad document with its line and field; nothing is written
    with careshift.store.transaction() as session:
        session.execute(
            insert(document).values(
                institution_id=institution_id, kind=kind, name=name.strip(), body=body,
                author=principal.actor, created_at=datetime.now(UTC),
            )
        )  # fmt: skip
        versions = session.scalar(
            select(func.count()).where(
                document.c.institution_id == institution_id,
                document.c.kind == kind,
                document.c.name == name.strip(),
            )
        )
        record(session, principal, "write", "planning_document", f"{kind}/{name}",
               institution_id=institution_id)  # fmt: skip
    return {"kind": kind, "name": name.strip(), "version": int(versions or 0)}


def list_documents(
    careshift: Careshift, principal: Principal, institution_id: int
) -> list[dict[str, Any]]:
    """Every saved document of the institution the caller may read: kind, name, versions, last
    saved and by whom."""
    readable = [
        kind
        for kind in KINDS
        if allowed(principal, Action.READ, _resource(kind), institution_id=institution_id)
    ]
    if not readable:  # refused with the planners' message
        authorize(principal, Action.READ, Resource.PLANNING, institution_id=institution_id)
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(
            select(document.c.kind, document.c.name, document.c.author, document.c.created_at)
            .where(document.c.institution_id == institution_id, document.c.kind.in_(readable))
            .order_by(document.c.kind, document.c.name, document.c.created_at)
        ).all()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, name, author, at in rows:
        entry = found.setdefault((kind, name), {"kind": kind, "name": name, "versions": 0})
        entry.update(versions=entry["versions"] + 1, author=author, saved_at=at.isoformat())
    return list(found.values())


def run_document(
    careshift: Careshift, principal: Principal, institution_id: int, kind: str, name: str
) -> dict[str, Any]:
    """Calculate the current version of a saved document."""
    _, calculate = _kind(kind)
    authorize(principal, Action.READ, _resource(kind), institution_id=institution_id)
    with careshift.store.engine.connect() as connection:
        body = connection.scalar(
            select(document.c.body)
            .where(
                document.c.institution_id == institution_id,
                document.c.kind == kind,
                document.c.name == name,
            )
            .order_by(document.c.created_at.desc(), document.c.id.desc())
            .limit(1)
        )
    if body is None:
        raise NotFound(f"no saved {kind} document {name!r}")
    return calculate(name, text=body)
