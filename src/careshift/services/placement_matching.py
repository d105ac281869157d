"""Practice-placement matching from a placements file (``docs/planning.md``), explained.

Reads programmes, placement sites and students, runs student-proposing deferred acceptance
(:mod:`careshift.engine.placements`) and reports assignments, every unmatched student with the
reason, and placements needed vs offered per period and type.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from careshift.adapters.files.planning_yaml import FieldPath, PlanningFile
from careshift.engine.placement_checks import blocking_pairs
from careshift.engine.placements import (
    PlacementResult,
    PlacementSite,
    Programme,
    Requirement,
    Student,
    match_placements,
)

__all__ = ["match_file", "read_placements", "result_json"]


def read_placements(
    path: Path | str, text: str | None = None
) -> tuple[list[Student], list[PlacementSite], list[Programme], int]:
    doc = PlanningFile(path, "placements", text)
    seed = doc.integer(doc.data, (), "seed", default=0)
    programmes = [_programme(doc, raw, ("programmes", i)) for i, raw in _each(doc, "programmes")]
    sites = [_site(doc, raw, ("sites", i)) for i, raw in _each(doc, "sites")]
    students = [_student(doc, raw, ("students", i)) for i, raw in _each(doc, "students")]
    _check_references(doc, programmes, sites, students)
    doc.finish()
    return students, sites, programmes, seed


def _each(doc: PlanningFile, key: str) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(doc.items(doc.data, (), key)))


def _programme(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> Programme:
    requirements = tuple(
        Requirement(
            doc.text(r, (*at, "requirements", i), "type"),
            doc.text(r, (*at, "requirements", i), "period"),
        )
        for i, r in enumerate(doc.items(raw, at, "requirements"))
    )
    if not requirements:
        doc.problem(at, "a programme needs at least one placement requirement")
    return Programme(doc.text(raw, at, "id"), requirements)


def _periods(doc: PlanningFile, raw: dict[str, Any], at: FieldPath, key: str) -> dict[str, int]:
    table = doc.mapping(raw.get(key, {}), (*at, key))
    return {str(p): doc.integer(table, (*at, key), p) for p in table}


def _site(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> PlacementSite:
    ranking = raw.get("ranking", [])
    return PlacementSite(
        id=doc.text(raw, at, "id"),
        placement_type=doc.text(raw, at, "type"),
        places=_periods(doc, raw, at, "places"),
        supervisors=_periods(doc, raw, at, "supervisors"),
        students_per_supervisor=doc.integer(
            raw, at, "students_per_supervisor", default=1, minimum=1
        ),
        ranking=_groups(doc, ranking, (*at, "ranking")),
    )


def _groups(doc: PlanningFile, value: Any, at: FieldPath) -> tuple[tuple[str, ...], ...]:
    """``[a, [b, c], d]``: best first; a nested list is a group of equals."""
    if not isinstance(value, list):
        doc.problem(at, "expected a list (a nested list is a tie)")
        return ()
    groups = []
    for item in value:
        members = item if isinstance(item, list) else [item]
        groups.append(tuple(str(m) for m in members))
    return tuple(groups)


def _student(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> Student:
    return Student(
        id=doc.text(raw, at, "id"),
        programme=doc.text(raw, at, "programme"),
        year=doc.integer(raw, at, "year", default=1, minimum=1, maximum=10),
        preferences=_groups(doc, raw.get("preferences", []), (*at, "preferences")),
        unavailable_periods=frozenset(doc.texts(raw, at, "unavailable")),
    )


def _check_references(
    doc: PlanningFile,
    programmes: list[Programme],
    sites: list[PlacementSite],
    students: list[Student],
) -> None:
    for key, ids in (
        ("programmes", [p.id for p in programmes]),
        ("sites", [s.id for s in sites]),
        ("students", [s.id for s in students]),
    ):
        for index, (name, count) in enumerate(Counter(ids).items()):
            if count > 1:
                doc.problem((key, index), f"id {name!r} given {count} times")
    known_programmes, known_sites = {p.id for p in programmes}, {s.id for s in sites}
    for i, student in enumerate(students):
        if student.programme not in known_programmes:
            doc.problem(("students", i, "programme"), f"unknown programme {student.programme!r}")
        for site in {s for group in student.preferences for s in group} - known_sites:
            doc.problem(("students", i, "preferences"), f"unknown site {site!r}")


def result_json(
    result: PlacementResult, students: list[Student], sites: list[PlacementSite]
) -> dict[str, Any]:
    return {
        "seed": result.seed,
        "tie_break": "seeded lottery per student (blake2b of seed and id); see docs/planning.md",
        "stable": not blocking_pairs(result, students, sites),
        "assignments": [
            {"student": a.student, "period": a.period, "type": a.placement_type,
             "site": a.site, "choice": a.choice}
            for a in result.assignments
        ],
        "unmatched": [
            {"student": u.student, "period": u.period, "type": u.placement_type,
             "reason": u.reason.value, "tried": list(u.tried)}
            for u in result.unmatched
        ],
        "shortage": [
            {"period": r.period, "type": r.placement_type, "needed": r.needed,
             "places": r.places, "offered": r.offered, "matched": r.matched,
             "shortage": r.shortage}
            for r in result.shortage
        ],
    }  # fmt: skip


def match_file(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Match the students of a placements file; nothing is stored."""
    students, sites, programmes, seed = read_placements(path, text)
    result = match_placements(students, sites, programmes, seed=seed)
    return result_json(result, students, sites)
