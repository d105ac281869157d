"""Import ESCO (classification, relations, sv/nb translations) into the taxonomy store.

An import is split into *parts*, each replacing one slice of a release: ``concepts`` (the base
classification with its English labels), ``labels:<lang>:<kinds>`` (a translation),
``occupation_skill``, ``skill_skill``, ``broader:<pillar>`` and ``tag:<collection>``. Every
part stored remembers the fingerprint of the files it came from, so importing the same files
again writes nothing, and a translation-only call touches only that language's labels.

Everything is read and validated in memory first; the writes happen in one transaction, so a
refused import leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from careshift.adapters.db import esco_store as store
from careshift.adapters.files.esco import ConceptSet, EscoBundle, LabelSet, read_esco
from careshift.adapters.files.esco.sources import version_in
from careshift.bootstrap import Careshift
from careshift.errors import ImportFailed
from careshift.services.esco_references import (
    DanglingReport,
    label_rows,
    link_rows,
    refuse_dangling,
)

__all__ = ["DanglingReport", "ImportSummary", "import_esco"]

# Order in which parts are reported and refused: relations first, they matter most.
_PART_ORDER = ("occupation_skill", "skill_skill", "broader:occupation", "broader:skill")


@dataclass
class ImportSummary:
    """What an import did. ``changed`` is False when the store already held these files."""

    version: str
    changed: bool
    #: parts written by this call, and parts it found already stored with the same content
    written: list[str]
    unchanged: list[str]
    #: (file, what it was recognised as)
    files: list[tuple[str, str]]
    #: totals of the release after the import (see ``esco_store.release_counts``)
    counts: dict[str, Any]
    dangling: list[DanglingReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        what = "imported" if self.changed else "already up to date, nothing written"
        skipped = sum(report.count for report in self.dangling)
        gaps = f"; {skipped} rows skipped (refer to undescribed concepts)" if skipped else ""
        return (
            f"ESCO {self.version} {what}: {self.counts['concepts']['occupation']} occupations, "
            f"{self.counts['concepts']['skill']} skills, "
            f"{self.counts['occupation_skill']} occupation-skill relations{gaps}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "esco_version": self.version,
            "changed": self.changed,
            "written": self.written,
            "unchanged": self.unchanged,
            "files": [{"file": name, "kind": kind} for name, kind in self.files],
            "counts": self.counts,
            "dangling": [report.to_dict() for report in self.dangling],
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _normalise(version: str | None) -> str | None:
    if version is None or not version.strip():
        return None
    return version_in(version.strip()) or version_in(f"v{version.strip()}") or version.strip()


def _split_languages(
    bundle: EscoBundle, release_exists: bool
) -> tuple[ConceptSet | None, dict[str, LabelSet]]:
    """The concept set that defines the release (English when present) and every label set.

    Classification files of other languages only add labels in their language.
    """
    sets = bundle.concept_sets
    base_lang = "en" if "en" in sets else None
    if base_lang is None and len(sets) == 1 and not release_exists:
        base_lang = next(iter(sets))
    label_sets = dict(bundle.label_sets)
    for lang, concept_set in sets.items():
        if lang == base_lang:
            continue
        kinds = {concept.kind for concept in concept_set.concepts.values()}
        key = f"{lang}:{','.join(sorted(kinds))}"
        merged = label_sets.setdefault(key, LabelSet(lang, set(kinds)))
        merged.labels.extend(concept_set.labels)
        merged.digests.extend(concept_set.digests)
    return (sets[base_lang] if base_lang else None), label_sets


def _target(
    connection: Connection, bundle: EscoBundle, version: str | None
) -> tuple[store.ReleaseRow | None, str, ConceptSet | None, dict[str, LabelSet]]:
    version = _normalise(version) or bundle.version
    release = store.find_release(connection, version)
    base, label_sets = _split_languages(bundle, release is not None)
    if base is not None and version is None:
        raise ImportFailed(
            "cannot tell the ESCO version from the file or folder names; "
            "give it with --esco-version (e.g. --esco-version v1.1.1)"
        )
    if base is None and release is None:
        wanted = f"ESCO {version} is" if version else "no ESCO release is"
        raise ImportFailed(
            f"{wanted} not imported yet: import its classification (occupations and skills "
            "files) before, or together with, relations and translations"
        )
    return release, (version or (release.version if release else "")), base, label_sets


def import_esco(
    careshift: Careshift,
    paths: list[Path],
    *,
    version: str | None = None,
    strict: bool = False,
) -> ImportSummary:
    """Import ESCO files (zips, folders, CSVs in any mix); see the module docstring.

    Raises ``ImportFailed`` (naming file, line and field) when any file is malformed, and under
    ``strict`` when any row refers to a concept the release does not describe.
    """
    started = time.perf_counter()
    bundle = read_esco(paths)
    with careshift.store.transaction() as session:
        connection = session.connection()
        release, release_version, base, label_sets = _target(connection, bundle, version)
        plan = _Plan(connection, release, release_version, base)
        plan.resolve(bundle, label_sets)
        if strict:
            refuse_dangling(plan.dangling, release_version)
        plan.write()
        counts = store.release_counts(connection, plan.release_id)
    if plan.written:
        careshift.invalidate()  # the snapshot and every index built from it
    return ImportSummary(
        version=release_version,
        changed=bool(plan.written),
        written=plan.written,
        unchanged=plan.unchanged,
        files=[(name, str(kind)) for name, kind in bundle.files],
        counts=counts,
        dangling=plan.dangling,
        notes=bundle.notes,
        seconds=time.perf_counter() - started,
    )


class _Plan:
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
        concepts_digest = _digest(base.lang, *sorted(base.digests)) if base else None
        self.concepts_digest = concepts_digest or self.stored_parts.get("concepts", "")
        self.ids: dict[str, int] = {}
        self.new_uris: list[str] = []
        self.parts: dict[str, tuple[str, list[dict[str, Any]], Any]] = {}
        self.dangling: list[DanglingReport] = []
        self.written: list[str] = []
        self.unchanged: list[str] = []

    @property
    def release_id(self) -> int:
        assert self.release is not None
        return self.release.id

    def resolve(self, bundle: EscoBundle, label_sets: dict[str, LabelSet]) -> None:
        if self.base is None:
            self.ids = {uri: concept_id for uri, (concept_id, _) in self.stored.items()}
        else:
            self.new_uris = [uri for uri in self.base.concepts if uri not in self.stored]
            # Placeholder ids for concepts not stored yet; real ones are reserved at write time.
            self.ids = {uri: -(i + 1) for i, uri in enumerate(self.new_uris)}
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
        self.parts[part] = (_digest(self.concepts_digest, *sorted(digests)), rows, scope)
        self.dangling.extend(dangling)

    def write(self) -> None:
        if self.base is not None and self.stored_parts.get("concepts") != self.concepts_digest:
            self._write_concepts(self.base)
        for part, (digest, rows, scope) in self.parts.items():
            if self.stored_parts.get(part) == digest:
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
            concept_id for uri, (concept_id, _) in self.stored.items() if uri not in base.concepts
        ]
        store.delete_concepts(self.connection, gone)
        labels, _ = label_rows("concepts", base.lang, base.labels, self.ids, self.version)
        store.replace_labels(
            self.connection, self.release_id, base.lang, store.CONCEPT_KINDS, labels
        )
        self.written.append("concepts")

    def _with_real_ids(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        mapping = getattr(self, "real_ids", None)
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
        parts.update((part, digest) for part, (digest, _, _) in self.parts.items())
        state = {
            "parts": parts,
            "dangling": [report.to_dict() for report in self.dangling],
        }
        fingerprint = _digest(*(f"{k}={v}" for k, v in sorted(parts.items())))
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
