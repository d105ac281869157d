"""Load local competence frameworks (YAML) into the taxonomy store, and read their roles back.

A framework becomes a taxonomy release of kind ``"local"`` named after the framework id, with
one concept per role (kind ``"role"``) and per skill (kind ``"skill"``) at
``https://careshift.eu/framework/<framework>/<role|skill>/<id>``. Loading is one transaction and
idempotent: the same content under the same version changes nothing; changed content under the
same version replaces that version; a new version is stored beside the old ones (the snapshot
reads the newest). The ``extra`` JSON layout is documented in :mod:`careshift.domain.frameworks`.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from careshift.adapters.db.tables import taxonomy as t
from careshift.adapters.db.taxonomy_reader import current_release_ids
from careshift.adapters.files.framework_yaml import FrameworkFile, read_framework
from careshift.bootstrap import Careshift
from careshift.domain.frameworks import Role, framework_uri
from careshift.domain.taxonomy import LANGUAGES

__all__ = ["check_framework", "framework_roles", "load_framework"]

# Every concept row carries every column: one executemany needs one set of keys.
_COLUMNS = (
    *("uri", "kind", "code", "isco_code", "skill_type"),
    *("regulated_note", "description", "extra"),
)
_SKILL_TYPES = {"skill": "skill/competence", "knowledge": "knowledge"}


def check_framework(path: Path | str) -> dict[str, Any]:
    """Validate ``path`` without writing; the counts a load would write."""
    return _counts(read_framework(path))


def load_framework(careshift: Careshift, path: Path | str) -> dict[str, Any]:
    """Load the framework at ``path``; returns a summary with ``status``.

    ``status`` is ``"loaded"`` (new version), ``"replaced"`` (same version, changed content)
    or ``"unchanged"``. Raises :class:`careshift.errors.ImportFailed` and writes nothing when
    the file has any problem.
    """
    framework = read_framework(path)
    summary = _counts(framework)
    with careshift.store.transaction() as session:
        existing = session.execute(
            select(t.release.c.id, t.release.c.fingerprint).where(
                t.release.c.kind == "local",
                t.release.c.name == framework.id,
                t.release.c.version == framework.version,
            )
        ).first()
        if existing is not None and existing.fingerprint == framework.fingerprint:
            return {**summary, "status": "unchanged", "release_id": existing.id}
        if existing is not None:
            session.execute(delete(t.release).where(t.release.c.id == existing.id))
        release_id = _write(session, framework, summary)
    careshift.invalidate()
    status = "replaced" if existing is not None else "loaded"
    return {**summary, "status": status, "release_id": release_id}


def framework_roles(careshift: Careshift) -> dict[str, Role]:
    """Roles of every current local framework by URI, with their tasks and enhancement modules."""

    def build() -> dict[str, Role]:
        with careshift.store.engine.connect() as connection:
            return _read_roles(connection)

    roles: dict[str, Role] = careshift.cached("taxonomy:framework-roles", build)
    return roles


def _read_roles(connection: Connection) -> dict[str, Role]:
    rows = connection.execute(
        select(t.concept.c.uri, t.concept.c.extra)
        .join(t.release, t.release.c.id == t.concept.c.release_id)
        .where(
            t.concept.c.release_id.in_(current_release_ids(connection)),
            t.release.c.kind == "local",
            t.concept.c.kind == "role",
        )
    )
    return {uri: Role.from_extra(uri, json.loads(extra)) for uri, extra in rows if extra}


def _counts(framework: FrameworkFile) -> dict[str, Any]:
    data = framework.data
    items = [*data["skills"], *data["roles"]]
    labels = Counter(lang for item in items for lang in item["label"] if lang in LANGUAGES)
    return {
        "framework": framework.id,
        "version": framework.version,
        "roles": len(data["roles"]),
        "skills": len(data["skills"]),
        "requirements": sum(len(role["skills"]) for role in data["roles"]),
        "tasks": sum(len(role.get("tasks", [])) for role in data["roles"]),
        "enhancement_modules": len(data.get("enhancement_modules", [])),
        "esco_links": sum(len(item.get("esco", [])) for item in items),
        "labels": {lang: labels[lang] for lang in LANGUAGES},
    }


def _write(session: Session, framework: FrameworkFile, summary: dict[str, Any]) -> int:
    data, fw = framework.data, framework.id
    meta = {k: v for k, v in data["framework"].items() if k not in ("id", "version")}
    release_id: int = session.execute(
        insert(t.release).returning(t.release.c.id),
        {
            "kind": "local",
            "name": fw,
            "version": framework.version,
            "fingerprint": framework.fingerprint,
            "imported_at": datetime.now(UTC),
            "summary": json.dumps({**summary, "framework_meta": meta}, ensure_ascii=False),
        },
    ).scalar_one()
    skill_uri = {skill["id"]: framework_uri(fw, "skill", skill["id"]) for skill in data["skills"]}
    modules = {m["id"]: _module_extra(m, skill_uri) for m in data.get("enhancement_modules", [])}
    concepts = [_skill_row(fw, skill) for skill in data["skills"]]
    concepts += [_role_row(fw, role, skill_uri, modules) for role in data["roles"]]
    rows = [{"release_id": release_id, **{c: row.get(c) for c in _COLUMNS}} for row in concepts]
    session.execute(insert(t.concept), rows)
    ids = dict(
        session.execute(
            select(t.concept.c.uri, t.concept.c.id).where(t.concept.c.release_id == release_id)
        ).all()
    )
    _write_relations(session, fw, data, ids, skill_uri)
    return release_id


def _write_relations(
    session: Session,
    fw: str,
    data: dict[str, Any],
    ids: dict[str, int],
    skill_uri: dict[str, str],
) -> None:
    labels, tags, links, requirements = [], [], [], []
    for kind, items in (("skill", data["skills"]), ("role", data["roles"])):
        for item in items:
            concept_id = ids[framework_uri(fw, kind, item["id"])]
            for lang, text in item["label"].items():
                labels.append((concept_id, lang, "preferred", text))
            for lang, texts in item.get("alt_labels", {}).items():
                labels += [(concept_id, lang, "alt", text) for text in dict.fromkeys(texts)]
            tags += [{"concept_id": concept_id, "tag": tag} for tag in set(item.get("tags", []))]
            links += [
                {"concept_id": concept_id, "target_uri": link["uri"], "match": link["match"]}
                for link in item.get("esco", [])
            ]
            for requirement in item["skills"] if kind == "role" else ():
                requirements.append(
                    {
                        "occupation_id": concept_id,
                        "skill_id": ids[skill_uri[requirement["skill"]]],
                        "relation": requirement.get("relation", "essential"),
                        "level": requirement["level"],
                    }
                )
    keys = ("concept_id", "lang", "label_type", "text")
    for table, rows in (
        (t.label, [dict(zip(keys, row, strict=True)) for row in labels]),
        (t.tag, tags),
        (t.link, links),
        (t.occupation_skill, requirements),
    ):
        if rows:
            session.execute(insert(table), rows)


def _description(item: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    texts = dict(item.get("description", {}))
    return texts.pop("en", None), texts


def _skill_row(fw: str, skill: dict[str, Any]) -> dict[str, Any]:
    description, other_languages = _description(skill)
    extra = {
        "framework": fw,
        "id": skill["id"],
        "levels": skill.get("levels", {}),
        "references": skill.get("references", []),
        "descriptions": other_languages,
    }
    return {
        "uri": framework_uri(fw, "skill", skill["id"]),
        "kind": "skill",
        "code": skill["id"],
        "skill_type": _SKILL_TYPES[skill["type"]],
        "description": description,
        "extra": json.dumps(extra, ensure_ascii=False),
    }


def _role_row(
    fw: str, role: dict[str, Any], skill_uri: dict[str, str], modules: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    description, other_languages = _description(role)
    extra = {
        "framework": fw,
        "id": role["id"],
        "family": role.get("family"),
        "level": role.get("level"),
        "pay_grade": role.get("pay_grade"),
        "regulated": role.get("regulated"),
        "descriptions": other_languages,
        "tasks": [
            {
                "id": task["id"],
                "labels": task["label"],
                "change": task["change"],
                "technology": task.get("technology"),
                "year": task.get("year"),
                "share": task["share"],
                "skills": [skill_uri[s] for s in task.get("skills", [])],
            }
            for task in role.get("tasks", [])
        ],
        "enhancements": [modules[module_id] for module_id in role.get("enhancements", [])],
    }
    return {
        "uri": framework_uri(fw, "role", role["id"]),
        "kind": "role",
        "code": role["id"],
        "isco_code": role.get("isco"),
        "regulated_note": role.get("regulated"),
        "description": description,
        "extra": json.dumps(extra, ensure_ascii=False),
    }


def _module_extra(module: dict[str, Any], skill_uri: dict[str, str]) -> dict[str, Any]:
    return {
        "id": module["id"],
        "labels": module["label"],
        "description": module.get("description", {}),
        "skills": [{"skill": skill_uri[s["skill"]], "level": s["level"]} for s in module["skills"]],
        "tags": module.get("tags", []),
    }
