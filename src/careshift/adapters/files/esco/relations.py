"""Relation files (occupation-skill, skill-skill, broader) and collection files, row by row.

The occupation-skill file has 124k rows, so good rows take a fast path of plain comparisons;
a row that fails it is re-read field by field to report exactly what is wrong.
"""

from __future__ import annotations

from careshift.adapters.files.esco.csv_table import CsvTable, Problems
from careshift.adapters.files.esco.fields import (
    CONCEPT_TYPE_NAMES,
    PILLAR,
    RELATIONS,
    SKILL_TYPES,
    CheckedRow,
    is_uri,
)
from careshift.adapters.files.esco.kinds import collection_tag
from careshift.adapters.files.esco.records import EscoBundle, LinkRow

__all__ = ["read_broader", "read_collection", "read_occupation_skill", "read_skill_skill"]

# column -> allowed values; None means "a URI"
_OCCUPATION_SKILL_CHECKS: dict[str, frozenset[str] | None] = {
    "occupationUri": None,
    "relationType": RELATIONS,
    "skillType": SKILL_TYPES,
    "skillUri": None,
}
_BROADER_CHECKS: dict[str, frozenset[str] | None] = {
    "conceptType": CONCEPT_TYPE_NAMES,
    "conceptUri": None,
    "broaderType": CONCEPT_TYPE_NAMES,
    "broaderUri": None,
}


def _report(row: CheckedRow, checks: dict[str, frozenset[str] | None]) -> None:
    """Check a row that failed the fast path field by field, reporting each problem."""
    for column, allowed in checks.items():
        if allowed is None:
            row.uri(column)
        else:
            row.choice(column, allowed)


def _add_links(bundle: EscoBundle, part: str, digest: str, rows: list[LinkRow]) -> None:
    bundle.links.setdefault(part, []).extend(rows)
    if digest not in bundle.link_digests.setdefault(part, []):
        bundle.link_digests[part].append(digest)


def read_occupation_skill(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    at, display = table.positions, table.source.display
    o, r, t, s = at["occupationUri"], at["relationType"], at["skillType"], at["skillUri"]
    rows, untyped = [], []
    for line, values in table.rows:
        occupation, skill = values[o].strip(), values[s].strip()
        relation, skill_type = values[r].strip(), values[t].strip()
        # The fast check covers the 124k good rows; a bad one is re-read field by field.
        if not (
            relation in RELATIONS
            and skill_type in SKILL_TYPES
            and is_uri(occupation)
            and is_uri(skill)
        ):
            _report(CheckedRow(table, line, values, problems), _OCCUPATION_SKILL_CHECKS)
            continue
        if not skill_type:
            untyped.append(line)
        rows.append(LinkRow(occupation, skill, relation, display, line))
    _add_links(bundle, "occupation_skill", table.source.digest, rows)
    if untyped:
        bundle.notes.append(
            f"{display}: {len(untyped)} row(s) with an empty skillType, kept (the "
            f"release leaves those skills untyped); lines {', '.join(map(str, untyped[:5]))}"
        )


def read_skill_skill(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    rows = []
    for line, values in table.rows:
        row = CheckedRow(table, line, values, problems)
        original, related = row.uri("originalSkillUri"), row.uri("relatedSkillUri")
        relation = row.choice("relationType", RELATIONS)
        for column in ("originalSkillType", "relatedSkillType"):
            row.choice(column, SKILL_TYPES)
        if row.ok:
            rows.append(LinkRow(original, related, relation, table.source.display, line))
    _add_links(bundle, "skill_skill", table.source.digest, rows)


def read_broader(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    pillars: dict[str, list[LinkRow]] = {}
    at, display = table.positions, table.source.display
    c, n, bt, b = at["conceptType"], at["conceptUri"], at["broaderType"], at["broaderUri"]
    for line, values in table.rows:
        concept_type, narrower = values[c].strip(), values[n].strip()
        broader_type, broader = values[bt].strip(), values[b].strip()
        if not (
            concept_type in PILLAR
            and broader_type in PILLAR
            and is_uri(narrower)
            and is_uri(broader)
        ):
            _report(CheckedRow(table, line, values, problems), _BROADER_CHECKS)
            continue
        link = LinkRow(narrower, broader, "", display, line)
        pillars.setdefault(PILLAR[concept_type], []).append(link)
    for pillar, rows in pillars.items():
        _add_links(bundle, f"broader:{pillar}", table.source.digest, rows)


def read_collection(table: CsvTable, problems: Problems, bundle: EscoBundle) -> None:
    tag = collection_tag(table.source.stem)
    rows = []
    for line, values in table.rows:
        row = CheckedRow(table, line, values, problems)
        uri = row.uri("conceptUri")
        if row.ok:
            rows.append(LinkRow(uri, tag, "", table.source.display, line))
    _add_links(bundle, f"tag:{tag}", table.source.digest, rows)
