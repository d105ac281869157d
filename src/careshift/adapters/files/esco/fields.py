"""Field-level checks shared by the ESCO readers: URIs, vocabularies, multi-line labels."""

from __future__ import annotations

import re

from careshift.adapters.files.esco.csv_table import CsvTable, Problems
from careshift.adapters.files.esco.records import LabelRow

__all__ = [
    "CONCEPT_TYPE_NAMES",
    "ISCO_CODE",
    "PILLAR",
    "RELATIONS",
    "REUSE_LEVELS",
    "SKILL_TYPES",
    "CheckedRow",
    "is_uri",
]

_URI = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?/[^\s\"<>|]*$")
ISCO_CODE = re.compile(r"^\d{1,4}$")
PILLAR = {
    "Occupation": "occupation",
    "ISCOGroup": "occupation",
    "KnowledgeSkillCompetence": "skill",
    "SkillGroup": "skill",
}
SKILL_TYPES = frozenset({"skill/competence", "knowledge", ""})
REUSE_LEVELS = frozenset(
    {"sector-specific", "cross-sector", "occupation-specific", "transversal", ""}
)
RELATIONS = frozenset({"essential", "optional"})
CONCEPT_TYPE_NAMES = frozenset(PILLAR)
MAX_LABEL = 500  # taxonomy_label.text


def is_uri(value: str) -> bool:
    return len(value) <= 300 and _URI.match(value) is not None


class CheckedRow:
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
        if (value or required) and not is_uri(value):
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
            if len(text) > MAX_LABEL:
                self.fail(column, f"a label of {len(text)} characters (at most {MAX_LABEL})")
            rows.append(LabelRow(uri, label_type, text, self.table.source.display, self.line))
        return rows
