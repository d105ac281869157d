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
from careshift.services.esco_references import DanglingReport, refuse_dangling
from careshift.services.esco_release_plan import ReleasePlan

__all__ = ["DanglingReport", "ImportSummary", "import_esco", "normalise_version"]


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


def normalise_version(version: str | None) -> str | None:
    """``"1.1.1"``, ``"v1.1.1"`` and ``"ESCO v1.1.1"`` all name release ``"v1.1.1"``."""
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
    version = normalise_version(version) or bundle.version
    release = store.find_release(connection, version)
    base, label_sets = _split_languages(bundle, release is not None)
    if base is not None and version is None:
        raise ImportFailed(
            "cannot tell the ESCO version from the file or folder names; "
            "give it with --esco-version (e.g. --esco-version v1.1.1)"
        )
    if base is None and release is None:
        missing = f"ESCO {version} is not" if version else "no ESCO release is"
        raise ImportFailed(
            f"{missing} imported yet: import its classification (occupations and skills "
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
    bundle = read_esco([Path(path) for path in paths])
    with careshift.store.transaction() as session:
        connection = session.connection()
        release, release_version, base, label_sets = _target(connection, bundle, version)
        plan = ReleasePlan(connection, release, release_version, base)
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
