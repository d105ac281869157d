"""Which parts of an ESCO release one import rewrites, and the writing itself.

A part is rewritten only when the fingerprint of the files behind it (and of the concepts it
points at) differs from the one stored with the release; otherwise it is left untouched, which
is what makes importing the same files twice a no-op.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection

from careshift.adapters.db import esco_store as store
from careshift.adapters.files.esco import ConceptSet, EscoBundle, LabelSet
from careshift.services.esco_references import DanglingReport, label_rows, link_rows

__all__ = ["ReleasePlan", "digest"]

# Order in which parts are reported and refused: relations first, they matter most.
_PART_ORDER = ("occupation_skill", "skill_skill", "broader:occupation", "broader:skill")


def digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class ReleasePlan:
    """Which parts of one release to rewrite, with their rows ready for the tables."""

    def __init__(
        self,
        connection: Connection,
        release: store.ReleaseRow | None,
        version: str,
        base: ConceptSet | None,
    ) -> None:
        self.connection, self.release, self.version, self.base = connection, release, version, base
        self.stored = store.concept_ids(connection, release.id) if release else {}
        self.stored_parts = release.parts if release else {}
        concepts_digest = digest(base.lang, *sorted(base.digests)) if base else None
        self.concepts_digest = concepts_digest or self.stored_parts.get("concepts", "")
        self.ids: dict[str, int] = {}
        #: kinds of concept this call describes (all four for a whole classification download)
        self.base_kinds = {c.kind for c in base.concepts.values()} if base else set()
        self.new_uris: list[str] = []
        #: placeholder id (negative) -> reserved id, once the new concepts are written
        self.real_ids: dict[int, int] = {}
        self.parts: dict[str, tuple[str, list[dict[str, Any]], Any]] = {}
        self.dangling: list[DanglingReport] = []
        self.written: list[str] = []
        self.unchanged: list[str] = []

    @property
    def release_id(self) -> int:
        assert self.release is not None
        return self.release.id

    def resolve(self, bundle: EscoBundle, label_sets: dict[str, LabelSet]) -> None:
        # Concepts of kinds the call's classification files do not describe stay as stored.
        self.ids = {
            uri: concept_id
            for uri, (concept_id, kind) in self.stored.items()
            if kind not in self.base_kinds
        }
        if self.base is not None:
            self.new_uris = [uri for uri in self.base.concepts if uri not in self.stored]
            # Placeholder ids for concepts not stored yet; real ones are reserved at write time.
            self.ids.update((uri, -(i + 1)) for i, uri in enumerate(self.new_uris))
            self.ids.update(
                (uri, self.stored[uri][0]) for uri in self.base.concepts if uri in self.stored
            )
        ordered = sorted(bundle.links, key=lambda p: (*_PART_ORDER, p).index(p))
        for part in ordered:
            rows, dangling = link_rows(part, bundle.links[part], self.ids, self.version)
            self._add(part, bundle.link_digests[part], rows, dangling)
        for key, label_set in sorted(label_sets.items()):
            part = f"labels:{key}"
            rows, dangling = label_rows(
                part, label_set.lang, label_set.labels, self.ids, self.version
            )
            self._add(part, label_set.digests, rows, dangling, (label_set.lang, label_set.kinds))

    def _add(
        self,
        part: str,
        digests: list[str],
        rows: list[dict[str, Any]],
        dangling: list[DanglingReport],
        scope: Any = None,
    ) -> None:
        # A part depends on the concepts too: new concepts may make its dangling rows storable.
        self.parts[part] = (digest(self.concepts_digest, *sorted(digests)), rows, scope)
        self.dangling.extend(dangling)

    def write(self) -> None:
        if self.base is not None and self.stored_parts.get("concepts") != self.concepts_digest:
            self._write_concepts(self.base)
        for part, (fingerprint, rows, scope) in self.parts.items():
            if self.stored_parts.get(part) == fingerprint:
                self.unchanged.append(part)
                continue
            self._ensure_release()
            rows = self._with_real_ids(rows)
            if part.startswith("labels:"):
                lang, kinds = scope
                store.replace_labels(self.connection, self.release_id, lang, kinds, rows)
            else:
                store.replace_links(self.connection, self.release_id, part, rows)
            self.written.append(part)
        if self.base is not None and "concepts" not in self.written:
            self.unchanged.insert(0, "concepts")
        if self.written:
            self._save_state()

    def _ensure_release(self) -> None:
        if self.release is None:
            self.release = store.create_release(self.connection, self.version)

    def _write_concepts(self, base: ConceptSet) -> None:
        self._ensure_release()
        reserved = store.reserve_concept_ids(self.connection, len(self.new_uris))
        self.real_ids = {-(i + 1): real for i, real in enumerate(reserved)}
        for uri in self.new_uris:
            self.ids[uri] = self.real_ids[self.ids[uri]]
        rows = [
            {**_concept_columns(base, uri), "id": self.ids[uri], "uri": uri}
            for uri in base.concepts
        ]
        new = set(self.new_uris)
        store.insert_concepts(
            self.connection, self.release_id, [r for r in rows if r["uri"] in new]
        )
        store.update_concepts(self.connection, [r for r in rows if r["uri"] not in new])
        gone = [
            concept_id
            for uri, (concept_id, kind) in self.stored.items()
            if kind in self.base_kinds and uri not in base.concepts
        ]
        store.delete_concepts(self.connection, gone)
        labels, _ = label_rows("concepts", base.lang, base.labels, self.ids, self.version)
        store.replace_labels(self.connection, self.release_id, base.lang, self.base_kinds, labels)
        self.written.append("concepts")

    def _with_real_ids(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        mapping = self.real_ids
        if not mapping:
            return rows
        id_columns = [c for c in (rows[0] if rows else {}) if c.endswith("_id")]
        for row in rows:
            for column in id_columns:
                if row[column] < 0:
                    row[column] = mapping[row[column]]
        return rows

    def _save_state(self) -> None:
        parts = dict(self.stored_parts)
        if self.base is not None:
            parts["concepts"] = self.concepts_digest
        parts.update((part, fingerprint) for part, (fingerprint, _, _) in self.parts.items())
        state = {
            "parts": parts,
            "dangling": [report.to_dict() for report in self.dangling],
        }
        fingerprint = digest(*(f"{k}={v}" for k, v in sorted(parts.items())))
        assert self.release is not None
        store.save_release_state(self.connection, self.release, fingerprint, state)


def _concept_columns(base: ConceptSet, uri: str) -> dict[str, Any]:
    concept = base.concepts[uri]
    return {
        "kind": concept.kind,
        "code": concept.code,
        "isco_code": concept.isco_code,
        "skill_type": concept.skill_type,
        "reuse_level": concept.reuse_level,
        "status": concept.status,
        "regulated_note": concept.regulated_note,
        "description": concept.description,
    }
