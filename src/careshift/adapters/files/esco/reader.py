"""Read an ESCO download (any mix of classification, relations and translation files).

Validation happens here, at the boundary: a missing column, broken quoting, bad encoding, a
malformed URI or a value outside its vocabulary is a :class:`RowProblem` naming file, line and
field. Problems are collected across every file and raised together as ``ImportFailed``.
References between concepts are *not* checked here: which concepts exist depends on the release
the files are imported into (see ``services.taxonomy_import``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from careshift.adapters.files.esco.csv_table import CsvTable, Problems, peek, read_table
from careshift.adapters.files.esco.fields import ISCO_CODE, REUSE_LEVELS, SKILL_TYPES, CheckedRow
from careshift.adapters.files.esco.kinds import (
    FileKind,
    missing_columns,
    recognise,
    translation_language,
)
from careshift.adapters.files.esco.records import ConceptRow, ConceptSet, EscoBundle, LabelSet
from careshift.adapters.files.esco.relations import (
    read_broader,
    read_collection,
    read_occupation_skill,
    read_skill_skill,
)
from careshift.adapters.files.esco.sources import expand_sources
from careshift.errors import ImportFailed, RowProblem

__all__ = ["read_esco"]

_CONCEPT_TYPES = {
    FileKind.OCCUPATIONS: ("Occupation", "occupation"),
    FileKind.SKILLS: ("KnowledgeSkillCompetence", "skill"),
    FileKind.ISCO_GROUPS: ("ISCOGroup", "isco_group"),
    FileKind.SKILL_GROUPS: ("SkillGroup", "skill_group"),
}


def _read_concepts(table: CsvTable, kind: FileKind, problems: Problems, bundle: EscoBundle) -> None:
    concept_type, concept_kind = _CONCEPT_TYPES[kind]
    language = table.source.language or "en"
    concept_set = bundle.concept_sets.setdefault(language, ConceptSet(language))
    concept_set.digests.append(table.source.digest)
    for line, values in table.rows:
        row = CheckedRow(table, line, values, problems)
        if row.get("conceptType") != concept_type:
            found = row.get("conceptType")
            row.fail("conceptType", f"{found!r} where this file's concepts are {concept_type}")
        uri = row.uri("conceptUri")
        preferred = row.labels(uri, "preferredLabel", "preferred")
        if not preferred:
            row.fail("preferredLabel", "empty preferred label")
        concept = _concept(row, kind, uri, concept_kind)
        alt, hidden = row.labels(uri, "altLabels", "alt"), row.labels(uri, "hiddenLabels", "hidden")
        if uri in concept_set.concepts and row.ok:
            row.fail("conceptUri", f"{uri} is described twice")
        if row.ok:
            concept_set.concepts[uri] = concept
            concept_set.labels.extend([*preferred, *alt, *hidden])


def _concept(row: CheckedRow, kind: FileKind, uri: str, concept_kind: str) -> ConceptRow:
    code, isco_code = row.get("code") or None, None
    skill_type = reuse_level = regulated = None
    if kind is FileKind.OCCUPATIONS:
        isco_code = row.get("iscoGroup")
        if not ISCO_CODE.match(isco_code):
            row.fail("iscoGroup", f"{isco_code!r} is not an ISCO-08 code (1-4 digits)")
        regulated = row.uri("regulatedProfessionNote", required=False) or None
    elif kind is FileKind.ISCO_GROUPS:
        isco_code = code or ""
        if not ISCO_CODE.match(isco_code):
            row.fail("code", f"{isco_code!r} is not an ISCO-08 code (1-4 digits)")
    elif kind is FileKind.SKILLS:
        skill_type = row.choice("skillType", SKILL_TYPES) or None
        reuse_level = row.choice("reuseLevel", REUSE_LEVELS) or None
    if code and len(code) > 40:
        row.fail("code", "longer than 40 characters")
    status = row.get("status")
    if len(status) > 20:
        row.fail("status", "longer than 20 characters")
    return ConceptRow(
        uri=uri,
        kind=concept_kind,
        code=code,
        isco_code=isco_code,
        skill_type=skill_type,
        reuse_level=reuse_level,
        status=status or None,
        regulated_note=regulated,
        description=row.get("description") or None,
    )


def _read_translation(
    table: CsvTable, kind: FileKind, problems: Problems, bundle: EscoBundle
) -> None:
    language = translation_language(table.header) or ""
    suffix = next(c for c in table.header if c.startswith("preferredLabel_")).split("_", 1)[1]
    kinds = {"skill"} if kind is FileKind.TRANSLATED_SKILLS else {"occupation", "isco_group"}
    key = f"{language}:{','.join(sorted(kinds))}"
    label_set = bundle.label_sets.setdefault(key, LabelSet(language, kinds))
    label_set.digests.append(table.source.digest)
    allowed_types = frozenset({"Occupation", "ISCOGroup"})
    for line, values in table.rows:
        row = CheckedRow(table, line, values, problems)
        uri = row.uri("conceptUri")
        if kind is FileKind.TRANSLATED_OCCUPATIONS:
            row.choice("conceptType", allowed_types)
        labels = [
            *row.labels(uri, f"preferredLabel_{suffix}", "preferred"),
            *row.labels(uri, f"altLabels_{suffix}", "alt"),
        ]
        if row.ok:
            label_set.labels.extend(labels)


# Translation tables name no version: they are applied to the release being imported.
_VERSIONED = frozenset(_CONCEPT_TYPES) | {
    FileKind.OCCUPATION_SKILL,
    FileKind.SKILL_SKILL,
    FileKind.BROADER,
    FileKind.COLLECTION,
}
_READERS: dict[FileKind, Callable[[CsvTable, Problems, EscoBundle], None]] = {
    FileKind.OCCUPATION_SKILL: read_occupation_skill,
    FileKind.SKILL_SKILL: read_skill_skill,
    FileKind.BROADER: read_broader,
    FileKind.COLLECTION: read_collection,
}


def read_esco(paths: list[Path]) -> EscoBundle:
    """Read and validate every ESCO CSV under ``paths``; raise ``ImportFailed`` on any problem."""
    problems, bundle = Problems(), EscoBundle()
    versions = set()
    for source in expand_sources(paths):
        header, first_row = peek(source)
        kind = recognise(header, first_row)
        if kind is None:
            message = "not an ESCO CSV file careshift knows (unrecognised header)"
            problems.add(source.display, 1, None, message)
            continue
        bundle.files.append((source.display, kind))
        if kind is FileKind.NOT_NEEDED:
            continue
        table = read_table(source, problems)
        if table is None:
            continue
        missing = missing_columns(kind, table.header)
        for column in missing:
            problems.add(source.display, 1, column, f"missing column in a file of {kind}")
        if missing:
            continue
        if kind in _CONCEPT_TYPES:
            _read_concepts(table, kind, problems, bundle)
        elif kind in (FileKind.TRANSLATED_OCCUPATIONS, FileKind.TRANSLATED_SKILLS):
            _read_translation(table, kind, problems, bundle)
        else:
            _READERS[kind](table, problems, bundle)
        if source.version and kind in _VERSIONED:
            versions.add(source.version)
    problems.raise_if_any()
    if len(versions) > 1:
        message = f"files of several ESCO versions in one import ({', '.join(sorted(versions))})"
        problem = RowProblem(bundle.files[0][0], None, None, message)
        raise ImportFailed(message + "; import one version at a time", [problem])
    bundle.version = versions.pop() if versions else None
    return bundle
