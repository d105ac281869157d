"""Read the stored taxonomy into a :class:`TaxonomySnapshot` (the writer is the importer)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from careshift.adapters.db.tables import taxonomy as t
from careshift.domain.taxonomy import (
    Concept,
    ConceptKind,
    LabelType,
    OccupationSkill,
    TaxonomySnapshot,
)

__all__ = ["current_release_ids", "load_snapshot"]


def current_release_ids(connection: Connection) -> list[int]:
    """The newest ESCO release plus every local framework (each at its newest version)."""
    rows = connection.execute(
        select(t.release.c.id, t.release.c.kind, t.release.c.name, t.release.c.imported_at)
    ).all()
    newest: dict[tuple[str, str], tuple[object, int]] = {}
    for row in rows:
        key = (row.kind, row.name if row.kind == "local" else "esco")
        if key not in newest or (row.imported_at, row.id) > newest[key]:  # type: ignore[operator]
            newest[key] = (row.imported_at, row.id)
    return sorted(release_id for _, release_id in newest.values())


def load_snapshot(connection: Connection, release_ids: list[int] | None = None) -> TaxonomySnapshot:
    ids = release_ids if release_ids is not None else current_release_ids(connection)
    release_names = {
        row.id: f"{row.kind} {row.name} {row.version}".replace("esco esco", "esco")
        for row in connection.execute(select(t.release).where(t.release.c.id.in_(ids)))
    }
    concept_rows = connection.execute(
        select(t.concept).where(t.concept.c.release_id.in_(ids))
    ).all()
    uri_of = {row.id: row.uri for row in concept_rows}

    labels: dict[int, dict[str, dict[LabelType, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    label_query = (
        select(t.label.c.concept_id, t.label.c.lang, t.label.c.label_type, t.label.c.text)
        .join(t.concept, t.concept.c.id == t.label.c.concept_id)
        .where(t.concept.c.release_id.in_(ids))
        .order_by(t.label.c.id)
    )
    for concept_id, lang, label_type, text in connection.execute(label_query):
        labels[concept_id][lang][LabelType(label_type)].append(text)

    tags: dict[int, set[str]] = defaultdict(set)
    tag_query = select(t.tag).join(t.concept, t.concept.c.id == t.tag.c.concept_id)
    for concept_id, tag in connection.execute(tag_query.where(t.concept.c.release_id.in_(ids))):
        tags[concept_id].add(tag)

    concepts = {
        row.uri: Concept(
            uri=row.uri,
            kind=ConceptKind(row.kind),
            labels={
                lang: {k: tuple(v) for k, v in by_type.items()}
                for lang, by_type in labels[row.id].items()
            },
            code=row.code,
            isco_code=row.isco_code,
            skill_type=row.skill_type,
            reuse_level=row.reuse_level,
            description=row.description,
            tags=frozenset(tags[row.id]),
            release=release_names.get(row.release_id, ""),
        )
        for row in concept_rows
    }
    return TaxonomySnapshot(
        concepts=concepts,
        occupation_skills=tuple(
            OccupationSkill(uri_of[o], uri_of[s], relation, level)
            for o, s, relation, level in connection.execute(select(t.occupation_skill))
            if o in uri_of and s in uri_of
        ),
        broader=tuple(
            (uri_of[c], uri_of[b])
            for c, b in connection.execute(select(t.broader))
            if c in uri_of and b in uri_of
        ),
        skill_skills=tuple(
            (uri_of[s], uri_of[r], relation)
            for s, r, relation in connection.execute(select(t.skill_skill))
            if s in uri_of and r in uri_of
        ),
        links=tuple(
            (uri_of[c], target, match)
            for c, target, match in connection.execute(select(t.link))
            if c in uri_of
        ),
        releases=tuple(release_names[i] for i in sorted(release_names)),
    )
