"""Institutions, the tenancy unit: hospitals, clinics, schools, regions, academies ..."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM, Principal
from careshift.errors import Conflict, InputError, NotFound
from careshift.services.access import Action, Resource, authorize, authorize_everywhere
from careshift.services.audit import record

__all__ = ["KINDS", "Institution", "add_institution", "find_institution", "list_institutions"]

KINDS = ("hospital", "clinic", "school", "region", "academy", "union", "ministry")


@dataclass(frozen=True)
class Institution:
    id: int
    code: str
    name: str
    kind: str
    region: str | None = None
    parent_id: int | None = None


def add_institution(
    careshift: Careshift,
    code: str,
    name: str,
    kind: str = "hospital",
    *,
    region: str | None = None,
    parent_id: int | None = None,
    principal: Principal = SYSTEM,
) -> Institution:
    # a new tenant is the platform's business, not one hospital's administrator's
    authorize_everywhere(principal, Action.WRITE, Resource.INSTITUTION)
    if kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InputError("an institution needs a code and a name")
    with careshift.store.transaction() as session:
        # checked here so that a caller's mistake answers 409/422, not a constraint's 500
        if session.scalar(select(institution.c.id).where(institution.c.code == code)):
            raise Conflict(f"an institution with code {code!r} exists")
        if parent_id is not None and not session.scalar(
            select(institution.c.id).where(institution.c.id == parent_id)
        ):
            raise InputError(f"parent institution {parent_id} does not exist")
        new_id = session.scalar(
            insert(institution)
            .values(code=code, name=name, kind=kind, region=region, parent_id=parent_id)
            .returning(institution.c.id)
        )
        record(session, principal, "create", "institution", new_id, institution_id=new_id)
    return Institution(new_id, code, name, kind, region, parent_id)


def list_institutions(careshift: Careshift, principal: Principal = SYSTEM) -> list[Institution]:
    authorize(principal, Action.READ, Resource.INSTITUTION)
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(select(institution).order_by(institution.c.id)).all()
    return [Institution(r.id, r.code, r.name, r.kind, r.region, r.parent_id) for r in rows]


def find_institution(careshift: Careshift, code_or_id: str) -> Institution:
    """By id or code (the CLI accepts either)."""
    for item in list_institutions(careshift):
        if str(item.id) == code_or_id or item.code == code_or_id:
            return item
    raise NotFound(f"no institution {code_or_id!r}")
