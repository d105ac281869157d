"""Bulk reads and writes of ESCO releases in the taxonomy tables (SQLAlchemy Core).

An import writes hundreds of thousands of rows; the ORM would spend minutes on bookkeeping, so
everything here is Core ``executemany`` in chunks, with concept ids reserved up front so that
labels and relations can be built in Python without reading ids back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, select, text, update

from careshift.adapters.db.tables import taxonomy as t

__all__ = [
    "CONCEPT_KINDS",
    "LINK_PARTS",
    "ReleaseRow",
    "concept_ids",
    "create_release",
    "delete_concepts",
    "find_release",
    "insert_concepts",
    "insert_rows",
    "release_counts",
    "replace_labels",
    "replace_links",
    "reserve_concept_ids",
    "save_release_state",
    "update_concepts",
]

CONCEPT_KINDS = ("occupation", "skill", "isco_group", "skill_group")
_CHUNK = 10_000
_CONCEPT_COLUMNS = (
    "kind",
    "code",
    "isco_code",
    "skill_type",
    "reuse_level",
    "status",
    "regulated_note",
    "description",
)


class ReleaseRow:
    """The stored state of one ESCO release."""

    def __init__(self, id: int, version: str, summary: str) -> None:
        self.id, self.version = id, version
        state = json.loads(summary or "{}")
        #: fingerprint of every part last written ("concepts", "labels:sv:skill", ...)
        self.parts: dict[str, str] = dict(state.get("parts", {}))


def find_release(connection: Connection, version: str | None) -> ReleaseRow | None:
    """The ESCO release ``version``, or the newest one when ``version`` is None."""
    query = select(t.release.c.id, t.release.c.version, t.release.c.summary).where(
        t.release.c.kind == "esco", t.release.c.name == "esco"
    )
    if version is not None:
        query = query.where(t.release.c.version == version)
    row = connection.execute(
        query.order_by(t.release.c.imported_at.desc(), t.release.c.id.desc()).limit(1)
    ).first()
    return ReleaseRow(row.id, row.version, row.summary) if row else None


def create_release(connection: Connection, version: str) -> ReleaseRow:
    result = connection.execute(
        t.release.insert().values(
            kind="esco",
            name="esco",
            version=version,
            fingerprint="",
            imported_at=datetime.now(UTC),
            summary="{}",
        )
    )
    (release_id,) = result.inserted_primary_key or (0,)
    return ReleaseRow(int(release_id), version, "{}")


def save_release_state(
    connection: Connection, release: ReleaseRow, fingerprint: str, state: dict[str, Any]
) -> None:
    connection.execute(
        update(t.release)
        .where(t.release.c.id == release.id)
        .values(fingerprint=fingerprint, summary=json.dumps(state, ensure_ascii=False))
    )


def concept_ids(connection: Connection, release_id: int) -> dict[str, tuple[int, str]]:
    """uri -> (id, kind) for every concept of the release."""
    query = select(t.concept.c.uri, t.concept.c.id, t.concept.c.kind).where(
        t.concept.c.release_id == release_id
    )
    return {uri: (concept_id, kind) for uri, concept_id, kind in connection.execute(query)}


def reserve_concept_ids(connection: Connection, count: int) -> list[int]:
    """``count`` fresh concept ids, taken so that later ordinary inserts cannot collide."""
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        # Drawing from the serial's own sequence keeps it ahead of the ids we use.
        rows = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('taxonomy_concept', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return [int(value) for (value,) in rows]
    # SQLite: the write transaction holds the database lock, so max(id) stays ours.
    highest = connection.execute(select(func.max(t.concept.c.id))).scalar() or 0
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in the connection's transaction.

    Goes below SQLAlchemy's per-row parameter processing, which dominated import time: COPY on
    PostgreSQL, a plain DB-API ``executemany`` on SQLite. Both run on the connection's own
    DB-API connection, so they commit or roll back with everything else.
    """
    if not rows:
        return
    columns = list(rows[0])
    pick = itemgetter(*columns)
    values = [pick(row) for row in rows] if len(columns) > 1 else [(pick(r),) for r in rows]
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(column) for column in columns)
    raw = connection.connection
    if connection.dialect.name == "postgresql":
        # psycopg's COPY; the DB-API protocol SQLAlchemy types against does not know it.
        driver: Any = raw.driver_connection
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy,
        ):
            for value in values:
                copy.write_row(value)
    elif connection.dialect.name == "sqlite":
        placeholders = ", ".join("?" for _ in columns)
        cursor = raw.cursor()
        try:
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({placeholders})", values
            )
        finally:
            cursor.close()
    else:
        for start in range(0, len(rows), _CHUNK):
            connection.execute(table.insert(), list(rows[start : start + _CHUNK]))


def insert_concepts(connection: Connection, release_id: int, rows: list[dict[str, Any]]) -> None:
    """Insert concepts; each row holds ``id``, ``uri`` and the concept columns."""
    insert_rows(connection, t.concept, [{**row, "release_id": release_id} for row in rows])


def update_concepts(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Rewrite the columns of existing concepts; each row holds ``id`` and the columns."""
    statement = (
        update(t.concept)
        .where(t.concept.c.id == bindparam("concept_id"))
        .values({column: bindparam(column) for column in _CONCEPT_COLUMNS})
    )
    payload = [{"concept_id": row["id"], **{c: row[c] for c in _CONCEPT_COLUMNS}} for row in rows]
    for start in range(0, len(payload), _CHUNK):
        connection.execute(statement, payload[start : start + _CHUNK])


def delete_concepts(connection: Connection, ids: list[int]) -> None:
    """Delete concepts; their labels, relations and tags go with them (ON DELETE CASCADE)."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for table, column in _DEPENDENTS:
            connection.execute(delete(table).where(column.in_(chunk)))
        connection.execute(delete(t.concept).where(t.concept.c.id.in_(chunk)))


# Deleted explicitly too: SQLite only cascades when foreign keys are switched on.
_DEPENDENTS = (
    (t.label, t.label.c.concept_id),
    (t.tag, t.tag.c.concept_id),
    (t.link, t.link.c.concept_id),
    (t.occupation_skill, t.occupation_skill.c.occupation_id),
    (t.occupation_skill, t.occupation_skill.c.skill_id),
    (t.skill_skill, t.skill_skill.c.skill_id),
    (t.skill_skill, t.skill_skill.c.related_id),
    (t.broader, t.broader.c.concept_id),
    (t.broader, t.broader.c.broader_id),
)


def _release_concepts(release_id: int, kinds: Iterable[str] = CONCEPT_KINDS) -> Any:
    return select(t.concept.c.id).where(
        t.concept.c.release_id == release_id, t.concept.c.kind.in_(list(kinds))
    )


def replace_labels(
    connection: Connection,
    release_id: int,
    lang: str,
    kinds: Iterable[str],
    rows: list[dict[str, Any]],
) -> None:
    """Replace the ``lang`` labels of the release's concepts of ``kinds`` with ``rows``."""
    kinds = list(kinds)
    connection.execute(
        delete(t.label).where(
            t.label.c.lang == lang, t.label.c.concept_id.in_(_release_concepts(release_id, kinds))
        )
    )
    insert_rows(connection, t.label, rows)


#: part -> (table, the column that ties a row to the release, concept kinds it covers, tag)
LINK_PARTS: dict[str, tuple[Table, Any, tuple[str, ...]]] = {
    "occupation_skill": (t.occupation_skill, t.occupation_skill.c.occupation_id, CONCEPT_KINDS),
    "skill_skill": (t.skill_skill, t.skill_skill.c.skill_id, CONCEPT_KINDS),
    "broader:occupation": (t.broader, t.broader.c.concept_id, ("occupation", "isco_group")),
    "broader:skill": (t.broader, t.broader.c.concept_id, ("skill", "skill_group")),
}


def replace_links(
    connection: Connection, release_id: int, part: str, rows: list[dict[str, Any]]
) -> None:
    """Replace one part of a release: ``occupation_skill``, ``broader:skill``, ``tag:green``..."""
    if part.startswith("tag:"):
        condition = (t.tag.c.tag == part[4:]) & t.tag.c.concept_id.in_(
            _release_concepts(release_id)
        )
        connection.execute(delete(t.tag).where(condition))
        insert_rows(connection, t.tag, rows)
        return
    table, column, kinds = LINK_PARTS[part]
    connection.execute(delete(table).where(column.in_(_release_concepts(release_id, kinds))))
    insert_rows(connection, table, rows)


def release_counts(connection: Connection, release_id: int) -> dict[str, Any]:
    """Concepts by kind, relations, tags and per-language preferred-label coverage."""
    concepts = _release_concepts(release_id)
    by_kind: dict[str, int] = dict(
        connection.execute(
            select(t.concept.c.kind, func.count())
            .where(t.concept.c.release_id == release_id)
            .group_by(t.concept.c.kind)
        ).all()
    )

    def rows_of(table: Table, column: Any) -> int:
        query = select(func.count()).select_from(table).where(column.in_(concepts))
        return int(connection.execute(query).scalar() or 0)

    preferred = connection.execute(
        select(t.label.c.lang, t.concept.c.kind, func.count(func.distinct(t.label.c.concept_id)))
        .join(t.concept, t.concept.c.id == t.label.c.concept_id)
        .where(t.concept.c.release_id == release_id, t.label.c.label_type == "preferred")
        .group_by(t.label.c.lang, t.concept.c.kind)
    ).all()
    labels: dict[str, dict[str, int]] = {}
    for lang, kind, count in preferred:
        labels.setdefault(lang, {})[kind] = int(count)
    return {
        "concepts": {kind: int(by_kind.get(kind, 0)) for kind in CONCEPT_KINDS},
        "occupation_skill": rows_of(t.occupation_skill, t.occupation_skill.c.occupation_id),
        "skill_skill": rows_of(t.skill_skill, t.skill_skill.c.skill_id),
        "broader": rows_of(t.broader, t.broader.c.concept_id),
        "tags": rows_of(t.tag, t.tag.c.concept_id),
        "preferred_labels": labels,
    }
