"""Read an ESCO download (any mix of classification, relations and translation files).

Validation happens here, at the boundary: a missing column, broken quoting, bad encoding, a
malformed URI or a value outside its vocabulary is a :class:`RowProblem` naming file, line and
field. Problems are collected across every file and raised together as ``ImportFailed``.
References between concepts are *not* checked here: which concepts exist depends on the release
the files are imported into (see ``services.taxonomy_import``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from careshift.adapters.files.esco.csv_table import CsvTable, Problems, peek, read_table
from careshift.adapters.files.esco.kinds import (
    FileKind,
    collection_tag,
    missing_columns,
    recognise,
    translation_language,
)
from careshift.adapters.files.esco.records import (
    ConceptRow,
    ConceptSet,
    EscoBundle,
    LabelRow,
    LabelSet,
    LinkRow,
)
from careshift.adapters.files.esco.sources import expand_sources
from careshift.errors import ImportFailed, RowProblem

__all__ = ["read_esco"]

_URI = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?/[^\s\"<>|]*$")
_ISCO_CODE = re.compile(r"^\d{1,4}$")
_CONCEPT_TYPES = {
    FileKind.OCCUPATIONS: ("Occupation", "occupation"),
    FileKind.SKILLS: ("KnowledgeSkillCompetence", "skill"),
    FileKind.ISCO_GROUPS: ("ISCOGroup", "isco_group"),
    FileKind.SKILL_GROUPS: ("SkillGroup", "skill_group"),
}
_PILLAR = {
    "Occupation": "occupation",
    "ISCOGroup": "occupation",
    "KnowledgeSkillCompetence": "skill",
    "SkillGroup": "skill",
}
_SKILL_TYPES = frozenset({"skill/competence", "knowledge", ""})
_REUSE_LEVELS = frozenset(
    {"sector-specific", "cross-sector", "occupation-specific", "transversal", ""}
)
_RELATIONS = frozenset({"essential", "optional"})
_CONCEPT_TYPE_NAMES = frozenset(_PILLAR)
_MAX_LABEL = 500  # taxonomy_label.text


def _is_uri(value: str) -> bool:
    return len(value) <= 300 and _URI.match(value) is not None


class _Row:
    """One record with checked access to its fields; problems go to the shared collector."""

    __slots__ = ("line", "ok", "problems", "table", "values")

    def __init__(self, table: CsvTable, line: int, values: list[str], problems: Problems) -> None:
        self.table, self.line, self.values, self.problems = table, line, values, problems
        self.ok = True

    def get(self, column: str) -> str:
        position = self.table.positions.get(column)
        return "" if position is None else self.values[position].strip()

    def fail(self, column: str | None, message: str) -> None:
        self.ok = False
        self.problems.add(self.table.source.display, self.line, column, message)

    def uri(self, column: str, *, required: bool = True) -> str:
        value = self.get(column)
        if (value or required) and not _is_uri(value):
            self.fail(column, f"malformed URI {value!r}: expected http(s)://host/path")
        return value

    def choice(self, column: str, allowed: frozenset[str]) -> str:
        value = self.get(column)
        if value not in allowed:
            shown = ", ".join(sorted(v for v in allowed if v)) + (
                " or empty" if "" in allowed else ""
            )
            self.fail(column, f"{value!r} is not one of {shown}")
        return value

    def labels(self, uri: str, column: str, label_type: str) -> list[LabelRow]:
        """One label per line of the field, blank lines and repeats dropped."""
        value = self.get(column)
        if not value:
            return []
        texts = dict.fromkeys(t.strip() for t in value.splitlines()) if "\n" in value else (value,)
        rows = []
        for text in texts:
            if not text:
                continue
            if len(text) > _MAX_LABEL:
                self.fail(column, f"a label of {len(text)} characters (at most {_MAX_LABEL})")
            rows.append(LabelRow(uri, label_type, text, self.table.source.display, self.line))
        return rows


def _read_concepts(table: CsvTable, kind: FileKind, problems: Problems, bundle: EscoBundle) -> None:
    concept_type, concept_kind = _CONCEPT_TYPES[kind]
    language = table.source.language or "en"
    concept_set = bundle.concept_sets.setdefault(language, ConceptSet(language))
    concept_set.digests.append(table.source.digest)
    for line, values in table.rows:
        row = _Row(table, line, values, problems)
        if row.get("conceptType") != concept_type:
            row.fail("conceptType", f"{row.get('conceptType')!r} in a file of {concept_type}")
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


def _concept(row: _Row, kind: FileKind, uri: str, concept_kind: str) -> ConceptRow:
    code, isco_code = row.get("code") or None, None
    skill_type = reuse_level = regulated = None
    if kind is FileKind.OCCUPATIONS:
        isco_code = row.get("iscoGroup")
        if not _ISCO_CODE.match(isco_code):
            row.fail("iscoGroup", f"{isco_code!r} is not an ISCO-08 code (1-4 digits)")
        regulated = row.uri("regulatedProfessionNote", required=False) or None
    elif kind is FileKind.ISCO_GROUPS:
        isco_code = code or ""
        if not _ISCO_CODE.match(isco_code):
            row.fail("code", f"{isco_code!r} is not an ISCO-08 code (1-4 digits)")
    elif kind is FileKind.SKILLS:
        skill_type = row.choice("skillType", _SKILL_TYPES) or None
        reuse_level = row.choice("reuseLevel", _REUSE_LEVELS) or None
    if code and len(code) > 40:
        row.fail("code", "longer than 40 characters")
    return ConceptRow(
        uri=uri,
        kind=concept_kind,
        code=code,
        isco_code=isco_code,
        skill_type=skill_type,
        reuse_level=reuse_level,
        status=row.get("status")[:20] or None,
        regulated_note=regulated,
        description=row.get("description") or None,
    )


def _add_links(bundle: EscoBundle, part: str, digest: str, rows: list[LinkRow]) -> None:
    bundle.links.setdefault(part, []).extend(rows)
    if digest not in bundle.link_digests.setdefault(part, []):
        bundle.link_digests[part].append(digest)


def _read_occupation_skill(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    at, display = table.positions, table.source.display
    o, r, t, s = at["occupationUri"], at["relationType"], at["skillType"], at["skillUri"]
    rows, untyped = [], []
    for line, values in table.rows:
        occupation, skill = values[o].strip(), values[s].strip()
        relation, skill_type = values[r].strip(), values[t].strip()
        # The fast check covers the 124k good rows; a bad one is re-read field by field.
        if not (
            relation in _RELATIONS
            and skill_type in _SKILL_TYPES
            and _is_uri(occupation)
            and _is_uri(skill)
        ):
            row = _Row(table, line, values, problems)
            row.uri("occupationUri"), row.uri("skillUri")
            row.choice("relationType", _RELATIONS), row.choice("skillType", _SKILL_TYPES)
            continue
        if not skill_type:
            untyped.append(line)
        rows.append(LinkRow(occupation, skill, relation, display, line))
    _add_links(bundle, "occupation_skill", table.source.digest, rows)
    if untyped:
        bundle.notes.append(
            f"{display}: {len(untyped)} rows with an empty skillType, kept (the "
            f"release leaves those skills untyped); lines {', '.join(map(str, untyped[:5]))}"
        )


def _read_skill_skill(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    rows = []
    for line, values in table.rows:
        row = _Row(table, line, values, problems)
        original, related = row.uri("originalSkillUri"), row.uri("relatedSkillUri")
        relation = row.choice("relationType", _RELATIONS)
        for column in ("originalSkillType", "relatedSkillType"):
            row.choice(column, _SKILL_TYPES)
        if row.ok:
            rows.append(LinkRow(original, related, relation, table.source.display, line))
    _add_links(bundle, "skill_skill", table.source.digest, rows)


def _read_broader(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    pillars: dict[str, list[LinkRow]] = {}
    at, display = table.positions, table.source.display
    c, n, bt, b = at["conceptType"], at["conceptUri"], at["broaderType"], at["broaderUri"]
    for line, values in table.rows:
        concept_type, narrower = values[c].strip(), values[n].strip()
        broader_type, broader = values[bt].strip(), values[b].strip()
        if not (
            concept_type in _PILLAR
            and broader_type in _PILLAR
            and _is_uri(narrower)
            and _is_uri(broader)
        ):
            row = _Row(table, line, values, problems)
            (
                row.choice("conceptType", _CONCEPT_TYPE_NAMES),
                row.choice("broaderType", _CONCEPT_TYPE_NAMES),
            )
            row.uri("conceptUri"), row.uri("broaderUri")
            continue
        link = LinkRow(narrower, broader, "", display, line)
        pillars.setdefault(_PILLAR[concept_type], []).append(link)
    for pillar, rows in pillars.items():
        _add_links(bundle, f"broader:{pillar}", table.source.digest, rows)


def _read_collection(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    tag = collection_tag(table.source.stem)
    rows = []
    for line, values in table.rows:
        row = _Row(table, line, values, problems)
        uri = row.uri("conceptUri")
        if row.ok:
            rows.append(LinkRow(uri, tag, "", table.source.display, line))
    _add_links(bundle, f"tag:{tag}", table.source.digest, rows)


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
        row = _Row(table, line, values, problems)
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
    FileKind.OCCUPATION_SKILL: _read_occupation_skill,
    FileKind.SKILL_SKILL: _read_skill_skill,
    FileKind.BROADER: _read_broader,
    FileKind.COLLECTION: _read_collection,
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
