"""Reading and writing workers, units and skill evidence (the services own the transaction)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from careshift.adapters.db.tables.workforce import skill_evidence, unit, worker, worker_history
from careshift.adapters.files.hr_import import HrRow
from careshift.domain.workforce import Evidence, EvidenceSource, Worker

__all__ = [
    "add_evidence",
    "ensure_units",
    "evidence_rows",
    "find_worker",
    "history",
    "load_evidence",
    "load_worker",
    "select_workers",
    "upsert_workers",
    "worker_memberships",
]

_PERSONAL_COLUMNS = (
    "employee_number",
    "name",
    "role_uri",
    "unit_id",
    "employed_from",
    "employed_to",
    "shift_pattern",
    "gender",
    "birth_year",
)


def _query() -> Any:
    return select(worker, unit.c.code.label("unit_code")).select_from(worker.outerjoin(unit))


def _worker(row: Row[Any]) -> Worker:
    return Worker(
        id=row.id,
        institution_id=row.institution_id,
        employee_number=row.employee_number,
        role_uri=row.role_uri,
        name=row.name,
        unit_code=row.unit_code,
        employed_from=row.employed_from,
        employed_to=row.employed_to,
        shift_pattern=row.shift_pattern,
        gender=row.gender,
        birth_year=row.birth_year,
    )


def load_worker(session: Session, worker_id: int) -> Worker | None:
    row = session.execute(_query().where(worker.c.id == worker_id)).first()
    return _worker(row) if row else None


def find_worker(session: Session, institution_id: int, employee_number: str) -> Worker | None:
    row = session.execute(
        _query().where(
            worker.c.institution_id == institution_id,
            worker.c.employee_number == employee_number,
        )
    ).first()
    return _worker(row) if row else None


def worker_memberships(
    session: Session,
    institution_id: int,
    *,
    unit_code: str | None = None,
    role_uri: str | None = None,
) -> list[tuple[int, str, str | None]]:
    """(id, role uri, unit code) of the matching workers: what group reports need, no more."""
    query = (
        select(worker.c.id, worker.c.role_uri, unit.c.code)
        .select_from(worker.outerjoin(unit))
        .where(worker.c.institution_id == institution_id)
    )
    if unit_code is not None:
        query = query.where(unit.c.code == unit_code)
    if role_uri is not None:
        query = query.where(worker.c.role_uri == role_uri)
    return [(r[0], r[1], r[2]) for r in session.execute(query.order_by(worker.c.id)).all()]


def select_workers(
    session: Session,
    institution_id: int,
    *,
    unit_code: str | None = None,
    role_uri: str | None = None,
) -> list[Worker]:
    query = _query().where(worker.c.institution_id == institution_id)
    if unit_code is not None:
        query = query.where(unit.c.code == unit_code)
    if role_uri is not None:
        query = query.where(worker.c.role_uri == role_uri)
    return [_worker(r) for r in session.execute(query.order_by(worker.c.employee_number))]


def ensure_units(session: Session, institution_id: int, names: dict[str, str]) -> dict[str, int]:
    """Unit ids by code, creating the units not yet known (their name is the code if none)."""
    rows = session.execute(
        select(unit.c.code, unit.c.id).where(unit.c.institution_id == institution_id)
    ).all()
    ids = {code: unit_id for code, unit_id in rows}
    for code, name in names.items():
        if code not in ids:
            ids[code] = session.execute(
                insert(unit)
                .values(institution_id=institution_id, code=code, name=name or code)
                .returning(unit.c.id)
            ).scalar_one()
    return ids


def upsert_workers(
    session: Session, institution_id: int, rows: Sequence[HrRow], actor: str
) -> dict[str, int]:
    """Insert new workers, update changed ones (keeping the old row in history), skip the rest."""
    units = ensure_units(
        session,
        institution_id,
        {r.unit_code: r.unit_name or r.unit_code for r in rows if r.unit_code},
    )
    existing = {
        r.employee_number: r
        for r in session.execute(select(worker).where(worker.c.institution_id == institution_id))
    }
    now = datetime.now(UTC)
    inserts: list[dict[str, Any]] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        values = _values(row, units, now)
        current = existing.get(row.employee_number)
        if current is None:
            inserts.append({"institution_id": institution_id, **values})
            counts["created"] += 1
        elif current.fingerprint == row.fingerprint:
            counts["unchanged"] += 1
        else:
            _record_history(session, current, actor, now)
            session.execute(update(worker).where(worker.c.id == current.id).values(**values))
            counts["updated"] += 1
    if inserts:
        session.execute(insert(worker), inserts)
    return counts


def _values(row: HrRow, units: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "employee_number": row.employee_number,
        "name": row.name,
        "role_uri": row.role_uri,
        "unit_id": units[row.unit_code] if row.unit_code else None,
        "employed_from": row.employed_from,
        "employed_to": row.employed_to,
        "shift_pattern": row.shift_pattern,
        "gender": row.gender,
        "birth_year": row.birth_year,
        "fingerprint": row.fingerprint,
        "updated_at": now,
    }


def _record_history(session: Session, current: Row[Any], actor: str, now: datetime) -> None:
    previous = {c: getattr(current, c) for c in _PERSONAL_COLUMNS}
    session.execute(
        insert(worker_history).values(
            worker_id=current.id,
            changed_at=now,
            changed_by=actor,
            previous=json.dumps(previous, default=str, sort_keys=True),
        )
    )


def add_evidence(
    session: Session, worker_id: int, items: Iterable[Evidence], recorded_at: datetime
) -> None:
    values = [
        {
            "worker_id": worker_id,
            "skill_uri": e.skill_uri,
            "level": e.level,
            "source": e.source.value,
            "observed_on": e.observed_on,
            "author": e.author,
            "note": e.note,
            "recorded_at": recorded_at,
        }
        for e in items
    ]
    if values:
        session.execute(insert(skill_evidence), values)


def load_evidence(
    session: Session,
    *,
    worker_ids: Sequence[int] | None = None,
    institution_id: int | None = None,
    skill_uris: Sequence[str] | None = None,
) -> dict[int, list[Evidence]]:
    """Evidence per worker, of the given workers or of everyone in an institution."""
    query = select(skill_evidence).order_by(skill_evidence.c.observed_on, skill_evidence.c.id)
    if institution_id is not None:
        query = query.join(worker, worker.c.id == skill_evidence.c.worker_id).where(
            worker.c.institution_id == institution_id
        )
    if worker_ids is not None:
        query = query.where(skill_evidence.c.worker_id.in_(list(worker_ids)))
    if skill_uris is not None:
        query = query.where(skill_evidence.c.skill_uri.in_(list(skill_uris)))
    result: dict[int, list[Evidence]] = {}
    for row in session.execute(query):
        result.setdefault(row.worker_id, []).append(
            Evidence(
                skill_uri=row.skill_uri,
                level=row.level,
                source=EvidenceSource(row.source),
                observed_on=row.observed_on,
                author=row.author,
                note=row.note,
                id=row.id,
            )
        )
    return result


def evidence_rows(
    session: Session, institution_id: int, skill_uris: Sequence[str]
) -> list[tuple[int, str, int, str]]:
    """(worker id, skill uri, level, source) of an institution, oldest first: for arrays."""
    query = (
        select(
            skill_evidence.c.worker_id,
            skill_evidence.c.skill_uri,
            skill_evidence.c.level,
            skill_evidence.c.source,
        )
        .join(worker, worker.c.id == skill_evidence.c.worker_id)
        .where(worker.c.institution_id == institution_id)
        .where(skill_evidence.c.skill_uri.in_(list(skill_uris)))
        .order_by(skill_evidence.c.observed_on, skill_evidence.c.id)
    )
    return _plain_rows(session, query)


def _plain_rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """Rows as plain DBAPI tuples: for tens of thousands of rows, building SQLAlchemy ``Row``
    objects costs more than the query itself (group gap reports must answer in < 1 s)."""
    dialect = session.get_bind().dialect
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:  # positional paramstyle (SQLite "?")
        params = tuple(compiled.params[name] for name in compiled.positiontup)
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def history(session: Session, worker_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(worker_history)
        .where(worker_history.c.worker_id == worker_id)
        .order_by(worker_history.c.id)
    )
    return [
        {"changed_at": r.changed_at, "changed_by": r.changed_by, "previous": json.loads(r.previous)}
        for r in rows
    ]
