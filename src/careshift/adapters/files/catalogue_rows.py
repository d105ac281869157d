"""Field checks for catalogue rows, shared by the YAML and CSV readers.

Every problem is collected (not just the first) and cites the line of the field it is about, so
an author can fix a whole file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from careshift.domain.learning import (
    MAX_LEVEL,
    Course,
    CourseSession,
    Modality,
    Module,
    Prerequisite,
    SkillLevel,
)
from careshift.errors import RowProblem

__all__ = ["CourseRow", "check_rows"]

_MODALITIES = ", ".join(m.value for m in Modality)


@dataclass(frozen=True)
class CourseRow:
    line: int
    raw: dict[str, Any]
    #: line of each field path under the course (YAML); empty for CSV (one line per row)
    lines: dict[str, int]


class _Checker:
    def __init__(self, name: str, row: CourseRow) -> None:
        self.name, self.row, self.problems = name, row, list[RowProblem]()

    def fail(self, field: str, message: str) -> None:
        line = self.row.lines.get(field, self.row.line)
        self.problems.append(RowProblem(self.name, line, field, message))

    def number(self, field: str, value: Any, minimum: float, strict: bool) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(field, f"expected a number, got {value!r}")
            return minimum
        if number < minimum or (strict and number == minimum):
            self.fail(field, f"must be {'above' if strict else 'at least'} {minimum:g}")
        return number

    def integer(self, field: str, value: Any, low: int, high: int) -> int:
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            self.fail(field, f"expected a whole number, got {value!r}")
            return low
        if not low <= number <= high:
            self.fail(field, f"must be {low}-{high}, got {number}")
            return low
        return number

    def moment(self, field: str, value: Any) -> datetime:
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value))
            except ValueError:
                self.fail(field, f"expected an ISO date-time, got {value!r}")
                return datetime.now(UTC)
        # A time without an offset is read as UTC rather than refused: LMS exports often omit it.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_rows(
    name: str,
    rows: list[CourseRow],
    providers: dict[str, str],
    known_courses: Collection[str],
    known_skills: Collection[str] | None,
) -> tuple[list[Course], list[CourseSession], list[RowProblem]]:
    codes = [str(r.raw.get("code") or "").strip() for r in rows]
    all_codes = set(codes) | set(known_courses)
    courses: list[Course] = []
    sessions: list[CourseSession] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    seen_sessions: set[str] = set()
    for row, code in zip(rows, codes, strict=True):
        check = _Checker(name, row)
        if not code or len(code) > 40:
            check.fail("code", "a course code of 1-40 characters is required")
        elif code in seen:
            check.fail("code", f"course {code} appears twice")
        seen.add(code)
        course = _course(check, code, providers, all_codes, known_skills)
        for i, raw in enumerate(row.raw.get("sessions") or []):
            run = _session(check, f"sessions.{i}", raw, code, course)
            if run is not None and run.code in seen_sessions:
                check.fail(f"sessions.{i}.code", f"session {run.code} appears twice")
            elif run is not None:
                seen_sessions.add(run.code)
                sessions.append(run)
        problems += check.problems
        if course is not None and not check.problems:
            courses.append(course)
    problems += _course_cycles(name, courses, rows, codes)
    return courses, sessions, sorted(problems, key=lambda p: p.line or 0)


def _course(
    check: _Checker,
    code: str,
    providers: dict[str, str],
    all_codes: set[str],
    known_skills: Collection[str] | None,
) -> Course | None:
    raw = check.row.raw
    titles = raw.get("title") if isinstance(raw.get("title"), dict) else {}
    titles = {str(k): str(v) for k, v in (titles or {}).items() if v}
    if not titles.get("en"):
        check.fail("title", "an English title (title.en / title_en) is required")
    modality = str(raw.get("modality") or "")
    if modality not in {m.value for m in Modality}:
        check.fail("modality", f"must be one of {_MODALITIES}, got {modality!r}")
    provider = str(raw.get("provider") or "")
    if provider and providers and provider not in providers:
        check.fail("provider", f"unknown provider {provider!r} (list it under providers)")
    seats = raw.get("seats_per_session")
    brings = _skills(check, raw.get("skills"), known_skills)
    if not brings:
        check.fail("skills", "a course must bring at least one skill to a level")
    course_fields = {
        "hours": check.number("hours", raw.get("hours"), 0, strict=True),
        "cost": check.number("cost", raw.get("cost", 0), 0, strict=False),
        "seats_per_session": None
        if seats in (None, "")
        else check.integer("seats_per_session", seats, 1, 10_000),
        "prerequisites": _prerequisites(
            check, code, raw.get("prerequisites"), all_codes, known_skills
        ),
        "modules": _modules(check, raw.get("modules")),
    }
    if check.problems:
        return None
    return Course(
        code=code,
        titles=titles,
        modality=Modality(modality),
        brings=brings,
        language=str(raw.get("language") or "en"),
        provider=provider,
        currency=str(raw.get("currency") or "EUR").upper()[:3],
        description=str(raw.get("description") or ""),
        **course_fields,  # type: ignore[arg-type]
    )


def _skills(check: _Checker, raw: Any, known: Collection[str] | None) -> tuple[SkillLevel, ...]:
    found: dict[str, SkillLevel] = {}
    for i, item in enumerate(raw or []):
        uri = _uri(check, f"skills.{i}.skill", item, known)
        level = check.integer(f"skills.{i}.level", (item or {}).get("level"), 1, MAX_LEVEL)
        if uri in found:
            check.fail(f"skills.{i}.skill", f"{uri} is listed twice")
        elif uri:
            found[uri] = SkillLevel(uri, level)
    return tuple(found.values())


def _uri(check: _Checker, field: str, item: Any, known: Collection[str] | None) -> str:
    uri = str((item or {}).get("skill") or "") if isinstance(item, dict) else ""
    if "://" not in uri:
        check.fail(field, f"expected a skill URI (or an id with skill_base), got {uri!r}")
        return ""
    if known is not None and uri not in known:
        check.fail(field, f"{uri} is not a skill in the taxonomy")
    return uri


def _prerequisites(
    check: _Checker, code: str, raw: Any, all_codes: set[str], known: Collection[str] | None
) -> tuple[Prerequisite, ...]:
    result: list[Prerequisite] = []
    for i, item in enumerate(raw or []):
        if isinstance(item, dict) and item.get("course") is not None:
            other = str(item["course"])
            if other == code:
                check.fail(f"prerequisites.{i}.course", "a course cannot require itself")
            elif other not in all_codes:
                check.fail(f"prerequisites.{i}.course", f"unknown course {other!r}")
            else:
                result.append(Prerequisite(course=other))
            continue
        uri = _uri(check, f"prerequisites.{i}.skill", item, known)
        level = check.integer(f"prerequisites.{i}.level", (item or {}).get("level"), 1, MAX_LEVEL)
        if uri:
            result.append(Prerequisite(skill=SkillLevel(uri, level)))
    return tuple(result)


def _modules(check: _Checker, raw: Any) -> tuple[Module, ...]:
    result = []
    for i, item in enumerate(raw or []):
        title = str((item or {}).get("title") or "") if isinstance(item, dict) else ""
        if not title:
            check.fail(f"modules.{i}.title", "a module needs a title")
        hours = check.number(f"modules.{i}.hours", (item or {}).get("hours"), 0, strict=True)
        result.append(Module(title, hours))
    return tuple(result)


def _session(
    check: _Checker, where: str, raw: Any, code: str, course: Course | None
) -> CourseSession | None:
    if not isinstance(raw, dict):
        check.fail(where, "expected a mapping with code, starts_at, ends_at, seats")
        return None
    before = len(check.problems)
    run_code = str(raw.get("code") or "")
    if not run_code:
        check.fail(f"{where}.code", "a session code is required")
    starts = check.moment(f"{where}.starts_at", raw.get("starts_at"))
    ends = check.moment(f"{where}.ends_at", raw.get("ends_at"))
    if ends <= starts:
        check.fail(f"{where}.ends_at", "must be after starts_at")
    default = course.seats_per_session if course else None
    seats = check.integer(f"{where}.seats", raw.get("seats", default), 1, 10_000)
    if len(check.problems) > before:
        return None
    return CourseSession(run_code, code, starts, ends, seats, str(raw.get("location") or ""))


def _course_cycles(
    name: str, courses: list[Course], rows: list[CourseRow], codes: list[str]
) -> list[RowProblem]:
    """Courses that (through named course prerequisites) require themselves can never start."""
    needs: dict[str, list[str | None]] = {
        c.code: [p.course for p in c.prerequisites if p.course] for c in courses
    }
    line = {code: row.line for code, row in zip(codes, rows, strict=True)}
    problems = []
    for start in needs:
        if _reaches(start, start, lambda code: needs.get(code)):
            problems.append(
                RowProblem(
                    name,
                    line.get(start),
                    "prerequisites",
                    f"{start} requires itself through other courses",
                )
            )
    return problems


def _reaches(start: str, goal: str, edges: Callable[[str], list[str | None] | None]) -> bool:
    stack, seen = list(edges(start) or []), set()
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node and node not in seen:
            seen.add(node)
            stack.extend(edges(node) or [])
    return False
