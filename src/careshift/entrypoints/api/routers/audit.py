"""The audit log for administrators: filtered pages and a full export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.services import audit_log

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str | None
    institution_id: int | None
    detail: str | None


class AuditPagePublic(BaseModel):
    total: int
    offset: int
    limit: int
    entries: list[AuditEntryPublic]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "entries": [
                        {
                            "id": 7,
                            "at": "2026-11-23T18:00:00Z",
                            "actor": "user:3",
                            "action": "read",
                            "subject_type": "person",
                            "subject_id": "42",
                            "institution_id": 1,
                            "detail": None,
                        }
                    ],
                }
            ]
        }
    }


def _filter(
    actor: str | None, action: str | None, subject_type: str | None, since: datetime | None
) -> audit_log.AuditFilter:
    return audit_log.AuditFilter(actor=actor, action=action, subject_type=subject_type, since=since)


@router.get("", summary="Audit log entries, newest first (administrators)")
def list_entries(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=20)] = None,
    subject_type: Annotated[str | None, Query(max_length=40)] = None,
    since: datetime | None = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPagePublic:
    page = audit_log.entries(
        careshift,
        principal,
        _filter(actor, action, subject_type, since),
        offset=offset,
        limit=limit,
    )
    return AuditPagePublic(
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        entries=[AuditEntryPublic(**vars(e)) for e in page.entries],
    )


@router.get(
    "/export",
    summary="The whole audit log as CSV or JSON (administrators; the export is audited)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export_entries(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    format: Literal["csv", "json"] = "csv",
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=20)] = None,
    subject_type: Annotated[str | None, Query(max_length=40)] = None,
    since: datetime | None = None,
) -> Response:
    body = audit_log.export(
        careshift, principal, format, _filter(actor, action, subject_type, since)
    )
    media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="audit-log.{format}"'},
    )
