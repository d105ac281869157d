"""Match what an ESCO import read against the concepts of its release.

The official v1.1.1 relations refer to a few concepts the release itself does not describe (an
occupation, some skill groups); our translation tables cover a few concepts of other versions.
Such rows cannot be stored (they would point at nothing): they are skipped and reported with
their file and lines, or refused under ``--strict``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from careshift.adapters.files.esco import LabelRow, LinkRow
from careshift.errors import ImportFailed, RowProblem

__all__ = ["DanglingReport", "label_rows", "link_rows", "refuse_dangling"]

#: for each part: the table columns of its two ends, and the CSV columns that hold them
_LINK_SHAPES: dict[str, tuple[str, str, str, str]] = {
    "occupation_skill": ("occupation_id", "skill_id", "occupationUri", "skillUri"),
    "skill_skill": ("skill_id", "related_id", "originalSkillUri", "relatedSkillUri"),
    "broader:occupation": ("concept_id", "broader_id", "conceptUri", "broaderUri"),
    "broader:skill": ("concept_id", "broader_id", "conceptUri", "broaderUri"),
}
_WHAT = {
    "occupation_skill": "occupation-skill relations",
    "skill_skill": "skill-skill relations",
    "broader:occupation": "broader relations (occupation pillar)",
    "broader:skill": "broader relations (skill pillar)",
}
_SHOWN_LINES = 5


@dataclass
class DanglingReport:
    """Rows of one file that refer to concepts the release does not describe."""

    file: str
    part: str
    count: int
    first_lines: list[int]
    #: the first such row, e.g. "occupationUri http://... is not described by ESCO v1.1.1"
    example: RowProblem

    def __str__(self) -> str:
        what = _WHAT.get(self.part, "labels" if self.part.startswith("labels") else "tag rows")
        lines = ", ".join(map(str, self.first_lines))
        more = ", ..." if self.count > len(self.first_lines) else ""
        return (
            f"{self.file}: skipped {self.count} {what} that refer to concepts the release does "
            f"not describe (lines {lines}{more}); first: {self.example.message}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "part": self.part,
            "count": self.count,
            "first_lines": self.first_lines,
            "example": str(self.example),
        }


class _Dangling:
    def __init__(self, part: str, release: str) -> None:
        self.part, self.release = part, release
        self.by_file: dict[str, DanglingReport] = {}
        self.last_line: dict[str, int] = {}

    def add(self, file: str, line: int, field: str, uri: str) -> None:
        report = self.by_file.get(file)
        if report is None:
            message = f"{uri} is not described by ESCO {self.release}"
            report = DanglingReport(file, self.part, 0, [], RowProblem(file, line, field, message))
            self.by_file[file] = report
        elif self.last_line.get(file) == line:
            return  # one CSV row with several labels counts once
        self.last_line[file] = line
        report.count += 1
        if len(report.first_lines) < _SHOWN_LINES:
            report.first_lines.append(line)


def link_rows(
    part: str, rows: Iterable[LinkRow], ids: dict[str, int], release: str
) -> tuple[list[dict[str, Any]], list[DanglingReport]]:
    """Table rows for one relation or tag part, each stored once, and what was dangling."""
    dangling = _Dangling(part, release)
    stored: dict[tuple[int, Any], dict[str, Any]] = {}
    if part.startswith("tag:"):
        for row in rows:
            concept_id = ids.get(row.uri)
            if concept_id is None:
                dangling.add(row.file, row.line, "conceptUri", row.uri)
                continue
            stored.setdefault((concept_id, row.other), {"concept_id": concept_id, "tag": row.other})
        return list(stored.values()), list(dangling.by_file.values())
    left, right, left_field, right_field = _LINK_SHAPES[part]
    for row in rows:
        left_id, right_id = ids.get(row.uri), ids.get(row.other)
        if left_id is None or right_id is None:
            field, uri = (left_field, row.uri) if left_id is None else (right_field, row.other)
            dangling.add(row.file, row.line, field, uri)
            continue
        values: dict[str, Any] = {left: left_id, right: right_id}
        if part == "occupation_skill":
            values.update(relation=row.relation, level=None)
        elif part == "skill_skill":
            values["relation"] = row.relation
        stored.setdefault((left_id, right_id), values)
    return list(stored.values()), list(dangling.by_file.values())


def label_rows(
    part: str, lang: str, rows: Iterable[LabelRow], ids: dict[str, int], release: str
) -> tuple[list[dict[str, Any]], list[DanglingReport]]:
    dangling = _Dangling(part, release)
    stored = []
    for row in rows:
        concept_id = ids.get(row.uri)
        if concept_id is None:
            dangling.add(row.file, row.line, "conceptUri", row.uri)
            continue
        stored.append(
            {"concept_id": concept_id, "lang": lang, "label_type": row.label_type, "text": row.text}
        )
    return stored, list(dangling.by_file.values())


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def refuse_dangling(reports: list[DanglingReport], release: str) -> None:
    """``--strict``: any dangling row refuses the whole import."""
    if not reports:
        return
    total = sum(report.count for report in reports)
    where = "; ".join(
        f"{r.file}: {_rows(r.count)} from line {r.first_lines[0]}" for r in reports if r.first_lines
    )
    raise ImportFailed(
        f"--strict: {_rows(total)} refer to concepts ESCO {release} does not describe ({where}); "
        f"nothing was written. First: {reports[0].example}",
        [report.example for report in reports],
    )
