"""Read and write course catalogues as YAML or CSV, refusing bad files with file:line:field.

YAML (``docs/learning.md``)::

    skill_base: https://careshift.eu/framework/careshift-healthcare/skill/   # optional prefix
    providers: [{code: academy, name: Healthcare Academy}]
    courses:
      - code: PHL-101
        title: {en: Venepuncture basics, nb: ..., sv: ...}
        provider: academy
        hours: 16
        cost: 420
        currency: EUR
        modality: classroom            # classroom | e-learning | on-the-job | mentoring
        language: en
        seats_per_session: 12
        skills: [{skill: phlebotomy, level: 2}]          # ids are prefixed with skill_base
        prerequisites: [{course: INF-100}, {skill: infection_control, level: 2}]
        modules: [{title: Anatomy of the arm, hours: 4}]
        sessions: [{code: PHL-101-01, starts_at: 2026-02-02T08:30:00+01:00,
                    ends_at: 2026-02-02T15:30:00+01:00, seats: 12, location: Ward 3}]

CSV: one course per row with columns ``code, title_en, title_nb, title_sv, provider, hours,
cost, currency, modality, language, seats_per_session, skills, prerequisites, modules,
description`` where ``skills`` is ``URI=level; URI=level``, ``prerequisites`` is
``CODE; URI=level`` and ``modules`` is ``title=hours; title=hours``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from careshift.adapters.files.catalogue_rows import CourseRow, check_rows
from careshift.adapters.files.spreadsheet_cells import inert_row, restore
from careshift.adapters.files.untrusted_yaml import dump_plain, load_untrusted
from careshift.adapters.files.yaml_problems import YAML_ERRORS, yaml_problem
from careshift.domain.learning import Course, CourseSession
from careshift.errors import ImportFailed, RowProblem

__all__ = ["CSV_COLUMNS", "CatalogueFile", "read_catalogue", "write_catalogue"]

CSV_COLUMNS = (
    "code",
    "title_en",
    "title_nb",
    "title_sv",
    "provider",
    "hours",
    "cost",
    "currency",
    "modality",
    "language",
    "seats_per_session",
    "skills",
    "prerequisites",
    "modules",
    "description",
)


@dataclass(frozen=True)
class CatalogueFile:
    path: Path
    providers: dict[str, str]
    courses: list[Course]
    sessions: list[CourseSession] = field(default_factory=list)


def read_catalogue(
    path: Path | str,
    *,
    known_courses: Collection[str] = (),
    known_skills: Collection[str] | None = None,
) -> CatalogueFile:
    """Parse and check a catalogue; raises :class:`ImportFailed` listing every problem.

    ``known_courses`` are codes already in the store (prerequisites may name them);
    ``known_skills``, when given, are the taxonomy's skill URIs every skill must be one of.
    """
    path = Path(path)
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise _refused(
            name, [RowProblem(name, None, None, f"cannot read: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError as exc:
        problem = RowProblem(name, None, None, f"not UTF-8 text (byte {exc.start})")
        raise _refused(name, [problem]) from None
    if path.suffix.lower() == ".csv":
        providers: dict[str, str] = {}
        rows = list(_csv_rows(text))
    else:
        providers, rows = _yaml_rows(name, text)
    courses, sessions, problems = check_rows(name, rows, providers, known_courses, known_skills)
    if problems:
        raise _refused(name, problems)
    return CatalogueFile(path, providers, courses, sessions)


def _refused(name: str, problems: list[RowProblem]) -> ImportFailed:
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return ImportFailed(f"catalogue {name} refused ({count}); nothing was written", problems)


def _csv_rows(text: str) -> Iterator[CourseRow]:
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        # restore: an exported cell that would run in a spreadsheet was written quoted
        values = {k.strip(): restore((v or "").strip()) for k, v in row.items() if k is not None}
        yield CourseRow(
            line=reader.line_num,
            raw={
                "code": values.get("code", ""),
                "title": {
                    lang: values[f"title_{lang}"]
                    for lang in ("en", "nb", "sv")
                    if values.get(f"title_{lang}")
                },
                **{
                    k: values[k]
                    for k in (*CSV_COLUMNS[4:11], "description")
                    if values.get(k, "") != ""
                },
                "skills": _pairs(values.get("skills", ""), "skill"),
                "prerequisites": _prerequisites(values.get("prerequisites", "")),
                "modules": [
                    {"title": title, "hours": hours}
                    for title, _, hours in (
                        m.strip().rpartition("=") for m in values.get("modules", "").split(";")
                    )
                    if title
                ],
            },
            lines={},
        )


def _pairs(text: str, key: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        uri, _, level = part.rpartition("=")
        result.append({key: uri or part, "level": level if uri else None})
    return result


def _prerequisites(text: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "=" in part:
            result.extend(_pairs(part, "skill"))
        else:
            result.append({"course": part})
    return result


def _yaml_rows(name: str, text: str) -> tuple[dict[str, str], list[CourseRow]]:
    try:
        root, data = load_untrusted(text)
    except YAML_ERRORS as exc:
        raise _refused(name, [yaml_problem(name, text, exc)]) from None
    if not isinstance(data, dict) or not isinstance(data.get("courses"), list):
        raise _refused(
            name, [RowProblem(name, 1, "courses", "expected a mapping with a 'courses' list")]
        )
    base = str(data.get("skill_base") or "")
    providers = {
        str(p.get("code")): str(p.get("name") or p.get("code"))
        for p in data.get("providers") or []
        if isinstance(p, dict)
    }
    course_nodes = _child(root, "courses")
    rows = []
    for index, raw in enumerate(data["courses"]):
        node = course_nodes.value[index] if course_nodes is not None else None
        lines = _lines(node) if node is not None else {}
        raw = dict(raw) if isinstance(raw, dict) else {"code": ""}
        for key in ("skills", "prerequisites"):
            for item in raw.get(key) or []:
                skill = item.get("skill") if isinstance(item, dict) else None
                if base and isinstance(skill, str) and "://" not in skill:
                    item["skill"] = base + skill
        rows.append(CourseRow(line=lines.get("", 1), raw=raw, lines=lines))
    return providers, rows


def _child(node: yaml.Node | None, key: str) -> yaml.SequenceNode | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.SequenceNode):
                return v
    return None


def _lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    """Line of every field under a course, keyed like ``skills.0.level``."""
    found = {prefix: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found.update(_lines(value, f"{prefix}.{key.value}" if prefix else str(key.value)))
            found[f"{prefix}.{key.value}" if prefix else str(key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(_lines(item, f"{prefix}.{i}"))
    return found


def write_catalogue(
    path: Path | str,
    courses: list[Course],
    sessions: list[CourseSession],
    providers: dict[str, str],
) -> None:
    """Write ``courses`` as YAML (with sessions) or CSV (courses only), chosen by suffix."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, CSV_COLUMNS)
            writer.writeheader()
            for course in courses:
                writer.writerow(inert_row(_csv_row(course)))
        return
    by_course: dict[str, list[CourseSession]] = {}
    for run in sessions:
        by_course.setdefault(run.course, []).append(run)
    document = {
        "providers": [{"code": c, "name": n} for c, n in sorted(providers.items())],
        "courses": [_yaml_course(c, by_course.get(c.code, [])) for c in courses],
    }
    path.write_text(dump_plain(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _csv_row(course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        **{f"title_{lang}": course.titles.get(lang, "") for lang in ("en", "nb", "sv")},
        "provider": course.provider,
        "hours": course.hours,
        "cost": course.cost,
        "currency": course.currency,
        "modality": course.modality.value,
        "language": course.language,
        "seats_per_session": course.seats_per_session or "",
        "skills": "; ".join(f"{b.uri}={b.level}" for b in course.brings),
        "prerequisites": "; ".join(
            p.course if p.course else f"{p.skill.uri}={p.skill.level}"  # type: ignore[union-attr]
            for p in course.prerequisites
        ),
        "modules": "; ".join(f"{m.title}={m.hours:g}" for m in course.modules),
        "description": course.description,
    }


def _yaml_course(course: Course, sessions: list[CourseSession]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": course.code,
        "title": dict(course.titles),
        "provider": course.provider or None,
        "hours": course.hours,
        "cost": course.cost,
        "currency": course.currency,
        "modality": course.modality.value,
        "language": course.language,
        "seats_per_session": course.seats_per_session,
        "description": course.description or None,
        "skills": [{"skill": b.uri, "level": b.level} for b in course.brings],
        "prerequisites": [
            {"course": p.course} if p.course else {"skill": p.skill.uri, "level": p.skill.level}  # type: ignore[union-attr]
            for p in course.prerequisites
        ],
        "modules": [{"title": m.title, "hours": m.hours} for m in course.modules],
        "sessions": [
            {
                "code": s.code,
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "seats": s.seats,
                "location": s.location or None,
            }
            for s in sessions
        ],
    }
    return {k: v for k, v in entry.items() if v not in (None, [], "")}


def _iso(moment: datetime) -> str:
    return moment.isoformat()
