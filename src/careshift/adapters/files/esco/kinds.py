"""What an ESCO CSV file is, recognised from its header and first record, never from its name.

File names vary between ESCO versions and languages (``occupations_en.csv``,
``occupationSkillRelations_en.csv`` or without suffix, translation tables of our own), so the
columns and the ``conceptType`` of the first record decide. Only two facts come from the name,
because the content does not carry them: the language of a classification file
(``skills_sv.csv``) and which collection a collection file is (``greenSkillsCollection``).
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "REQUIRED_COLUMNS",
    "FileKind",
    "collection_tag",
    "missing_columns",
    "recognise",
    "translation_language",
]


class FileKind(StrEnum):
    OCCUPATIONS = "occupations"
    SKILLS = "skills"
    ISCO_GROUPS = "isco_groups"
    SKILL_GROUPS = "skill_groups"
    COLLECTION = "collection"
    OCCUPATION_SKILL = "occupation_skill_relations"
    SKILL_SKILL = "skill_skill_relations"
    BROADER = "broader_relations"
    TRANSLATED_OCCUPATIONS = "translated_occupations"
    TRANSLATED_SKILLS = "translated_skills"
    #: part of the download careshift does not need (concept schemes, the skills hierarchy
    #: table, which repeats broaderRelationsSkillPillar)
    NOT_NEEDED = "not_needed"


#: columns without which a file of that kind cannot be read; ``*`` is the language suffix
REQUIRED_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.OCCUPATIONS: (
        "conceptType",
        "conceptUri",
        "iscoGroup",
        "preferredLabel",
        "altLabels",
        "description",
    ),
    FileKind.SKILLS: (
        "conceptType",
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "description",
    ),
    FileKind.ISCO_GROUPS: ("conceptType", "conceptUri", "code", "preferredLabel"),
    FileKind.SKILL_GROUPS: ("conceptType", "conceptUri", "preferredLabel"),
    FileKind.COLLECTION: ("conceptType", "conceptUri"),
    FileKind.OCCUPATION_SKILL: ("occupationUri", "relationType", "skillType", "skillUri"),
    FileKind.SKILL_SKILL: ("originalSkillUri", "relationType", "relatedSkillUri"),
    FileKind.BROADER: ("conceptType", "conceptUri", "broaderType", "broaderUri"),
    FileKind.TRANSLATED_OCCUPATIONS: ("conceptUri", "conceptType", "preferredLabel_*"),
    FileKind.TRANSLATED_SKILLS: ("conceptUri", "preferredLabel_*"),
    FileKind.NOT_NEEDED: (),
}

_TRANSLATED = re.compile(r"^(?:preferredLabel|altLabels)_([A-Za-z]{2}(?:-[A-Za-z]{2,4})?)$")
_BY_CONCEPT_TYPE = {
    "Occupation": FileKind.OCCUPATIONS,
    "KnowledgeSkillCompetence": FileKind.SKILLS,
    "ISCOGroup": FileKind.ISCO_GROUPS,
    "SkillGroup": FileKind.SKILL_GROUPS,
    "ConceptScheme": FileKind.NOT_NEEDED,
}
# Columns only one kind has, for files whose conceptType column is itself missing.
_MARKERS: tuple[tuple[frozenset[str], FileKind], ...] = (
    (frozenset({"occupationUri"}), FileKind.OCCUPATION_SKILL),
    (frozenset({"originalSkillUri", "relatedSkillUri"}), FileKind.SKILL_SKILL),
    (frozenset({"skillUri"}), FileKind.OCCUPATION_SKILL),
    (frozenset({"broaderUri", "broaderType"}), FileKind.BROADER),
    (frozenset({"broaderConceptUri", "broaderConceptPT"}), FileKind.COLLECTION),
    (frozenset({"conceptSchemeUri", "hasTopConcept", "Level 0 URI"}), FileKind.NOT_NEEDED),
    (frozenset({"iscoGroup", "regulatedProfessionNote"}), FileKind.OCCUPATIONS),
    (frozenset({"skillType", "reuseLevel"}), FileKind.SKILLS),
)
_COLLECTION_NAME = re.compile(r"^(\w+?)(?:Skills|Occupations)?Collection$")


def _translation_suffix(header: list[str]) -> str | None:
    for column in header:
        match = _TRANSLATED.match(column)
        if match:
            return match.group(1)
    return None


def translation_language(header: list[str]) -> str | None:
    """Language of a translation table: ``preferredLabel_sv`` -> ``sv``, ESCO's ``no`` -> ``nb``."""
    suffix = _translation_suffix(header)
    if suffix is None:
        return None
    return "nb" if suffix.lower() == "no" else suffix.lower()


def recognise(header: list[str], first_row: list[str]) -> FileKind | None:
    """The kind of a file from its header and first record; None when careshift does not know it."""
    columns = set(header)
    if translation_language(header):
        has_type = "conceptType" in columns or "code" in columns
        return FileKind.TRANSLATED_OCCUPATIONS if has_type else FileKind.TRANSLATED_SKILLS
    for markers, kind in _MARKERS[:6]:  # relation, collection and by-products: by their columns
        if markers & columns:
            return kind
    position = header.index("conceptType") if "conceptType" in columns else len(first_row)
    if position < len(first_row):
        by_type = _BY_CONCEPT_TYPE.get(first_row[position].strip())
        if by_type:
            return by_type
    for markers, kind in _MARKERS[6:]:
        if markers & columns:
            return kind
    return None


def missing_columns(kind: FileKind, header: list[str]) -> list[str]:
    suffix = _translation_suffix(header) or ""
    present = set(header)
    required = [c.replace("_*", f"_{suffix}") for c in REQUIRED_COLUMNS[kind]]
    return [column for column in required if column not in present]


def collection_tag(stem: str) -> str:
    """``digitalSkillsCollection_en`` -> ``digital``; ``digCompSkillsCollection`` -> ``digcomp``."""
    base = re.sub(r"_[A-Za-z]{2}(?:-[A-Za-z]{2,4})?$", "", stem)
    match = _COLLECTION_NAME.match(base)
    return (match.group(1) if match else base).lower()
