"""Reading the audit log: filtered pages for administrators, and a full export (CSV or JSON).

The log is append-only (``services.audit.record`` is the only writer). Reading it is itself
personal-data access, so an export is recorded too.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select

from careshift.adapters.db.tables.platform import audit_log
from careshift.adapters.files.spreadsheet_cells import inert_row
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import InputError
from careshift.services import audit
from careshift.services.access import Action, Resource, authorize

__all__ = ["FORMATS", "AuditEntry", "AuditFilter", "AuditPage", "entries", "export"]

FORMATS = ("csv", "json")
_COLUMNS = ("id", "at", "actor", "action", "subject_type", "subject_id", "institution_id", "detail")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str | None
    institution_id: int | None
    detail: str | None


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    offset: int
    limit: int


def _filtered(query: Select[Any], where: AuditFilter, by: Principal) -> Select[Any]:
    column = audit_log.c
    for name in ("actor", "action", "subject_type", "subject_id"):
        value = getattr(where, name)
        if value:
            query = query.where(column[name] == value)
    if where.since is not None:
        query = query.where(column.at >= where.since)
    if where.until is not None:
        query = query.where(column.at < where.until)
    if by.institutions is not None:
        # A scoped administrator sees the trail of their institutions only.
        query = query.where(column.institution_id.in_(sorted(by.institutions)))
    return query


def _entry(row: Any) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return AuditEntry(
        row.id,
        at,
        row.actor,
        row.action,
        row.subject_type,
        row.subject_id,
        row.institution_id,
        row.detail,
    )


def entries(
    careshift: Careshift,
    by: Principal,
    where: AuditFilter | None = None,
    *,
    offset: int = 0,
    limit: int = 50,
) -> AuditPage:
    """Newest first, ``limit`` at a time (at most 500)."""
    authorize(by, Action.READ, Resource.AUDIT)
    if not 1 <= limit <= 500 or offset < 0:
        raise InputError("limit must be 1-500 and offset not negative")
    where = where or AuditFilter()
    with careshift.store.sessions() as session:
        total = session.scalar(_filtered(select(func.count()).select_from(audit_log), where, by))
        rows = session.execute(
            _filtered(select(audit_log), where, by)
            .order_by(audit_log.c.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
    return AuditPage([_entry(r) for r in rows], int(total or 0), offset, limit)


def export(careshift: Careshift, by: Principal, fmt: str, where: AuditFilter | None = None) -> str:
    """The whole (filtered) log, oldest first, as CSV or JSON text. The export is audited."""
    authorize(by, Action.EXPORT, Resource.AUDIT)
    if fmt not in FORMATS:
        raise InputError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    where = where or AuditFilter()
    with careshift.store.transaction() as session:
        rows = session.execute(
            _filtered(select(audit_log), where, by).order_by(audit_log.c.id)
        ).all()
        audit.record(session, by, "export", "audit_log", None, format=fmt, rows=len(rows))
    records = [asdict(_entry(r)) for r in rows]
    if fmt == "json":
        return json.dumps(records, default=str, ensure_ascii=False, indent=1)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in records:
        writer.writerow(inert_row({**item, "at": item["at"].isoformat()}))
    return buffer.getvalue()
