"""Record who saw or changed personal data. Call inside the transaction that does the work."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import Principal

__all__ = ["record"]


def record(
    session: Session,
    principal: Principal,
    action: str,
    subject_type: str,
    subject_id: object = None,
    *,
    institution_id: int | None = None,
    **detail: Any,
) -> None:
    session.execute(
        insert(audit_log).values(
            at=datetime.now(UTC),
            actor=principal.actor,
            action=action,
            subject_type=subject_type,
            subject_id=None if subject_id is None else str(subject_id),
            institution_id=institution_id,
            detail=json.dumps(detail, default=str) if detail else None,
        )
    )
