"""Workers, skill evidence and the rule that turns evidence into a skill profile.

Profile reconciliation (documented in docs/workforce.md, tested in tests/unit/test_profiles.py):

1. The *rated level* of a skill is the latest **supervisor** rating; without one, the latest
   **self** assessment (including engagement-session answers given with consent); without one,
   the latest **text** suggestion (CV or job history); without any, the current role's
   expected level (the profile "starts from the role's defaults").
2. A **course** completion or a **credential** sets a floor: the skill is at least the level
   the course or credential certifies, whatever the ratings say.
3. The profile level is ``max(rated level, floor)``. No evidence is ever discarded: every
   skill keeps its full evidence list, so a self rating overruled by a supervisor stays visible.

ESCO occupations carry no proficiency levels, so a role's expectation defaults to
:data:`DEFAULT_REQUIRED_LEVEL` by relation (essential 3, optional 2) unless a local framework
gives a level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "DEFAULT_REQUIRED_LEVEL",
    "MAX_CHARS",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "SOURCE_RANK",
    "Evidence",
    "EvidenceSource",
    "ProfileSkill",
    "Requirement",
    "Worker",
    "reconcile",
    "required_level",
]

MIN_LEVEL = 1
MAX_LEVEL = 6

#: The most characters each text field of a worker may hold (docs/hr-import.md). The HR import
#: and the API schema both read these; the database columns are as wide (a test checks).
MAX_CHARS: Mapping[str, int] = {
    "employee_number": 40,
    "role": 300,  # a role URI or a local role's code
    "name": 200,
    "unit_code": 40,
    "unit_name": 200,
}

#: Expected proficiency when the taxonomy gives none (ESCO): essential skills at 3 of 6
#: ("works independently"), optional ones at 2 ("works with guidance").
DEFAULT_REQUIRED_LEVEL: Mapping[str, int] = {"essential": 3, "optional": 2}


class EvidenceSource(StrEnum):
    SELF = "self"
    SUPERVISOR = "supervisor"
    COURSE = "course"
    CREDENTIAL = "credential"
    TEXT = "text"
    #: an engagement-session answer the worker consented to add to their profile
    SESSION = "session"
    #: not stored: the current role's expected level, the starting point of a profile
    ROLE = "role"


#: Precedence of each stored source: ratings 0 (supervisor) beat 1 (self, session) beat 2
#: (text); 3 (course, credential) is a floor, not a rating.
SOURCE_RANK: Mapping[EvidenceSource, int] = {
    EvidenceSource.SUPERVISOR: 0,
    EvidenceSource.SELF: 1,
    EvidenceSource.SESSION: 1,
    EvidenceSource.TEXT: 2,
    EvidenceSource.COURSE: 3,
    EvidenceSource.CREDENTIAL: 3,
}
_FLOOR = 3
# Ratings in order of precedence; the first source with any evidence decides.
_RATING_PRECEDENCE: tuple[frozenset[EvidenceSource], ...] = tuple(
    frozenset(s for s, r in SOURCE_RANK.items() if r == rank) for rank in range(_FLOOR)
)
_FLOOR_SOURCES = frozenset(s for s, r in SOURCE_RANK.items() if r == _FLOOR)


@dataclass(frozen=True)
class Evidence:
    skill_uri: str
    level: int
    source: EvidenceSource
    observed_on: date
    author: str
    note: str | None = None
    #: store id; orders evidence recorded on the same day
    id: int = 0

    def __post_init__(self) -> None:
        if not MIN_LEVEL <= self.level <= MAX_LEVEL:
            raise ValueError(f"level must be {MIN_LEVEL}-{MAX_LEVEL}, got {self.level}")


@dataclass(frozen=True)
class ProfileSkill:
    skill_uri: str
    level: int
    #: the source that decided the level (a floor source when the floor won)
    basis: EvidenceSource
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Requirement:
    skill_uri: str
    level: int
    relation: str = "essential"


@dataclass(frozen=True)
class Worker:
    id: int
    institution_id: int
    employee_number: str
    role_uri: str
    name: str | None = None
    unit_code: str | None = None
    employed_from: date | None = None
    employed_to: date | None = None
    shift_pattern: str | None = None
    gender: str | None = None
    birth_year: int | None = None


def required_level(relation: str, level: int | None) -> int:
    """The level a role expects of a skill: the framework's level, else the default."""
    if level is not None:
        return level
    return DEFAULT_REQUIRED_LEVEL.get(relation, DEFAULT_REQUIRED_LEVEL["optional"])


def reconcile(
    evidence: Iterable[Evidence], role_defaults: Mapping[str, int]
) -> dict[str, ProfileSkill]:
    """A worker's profile from their evidence and their current role's expected levels."""
    by_skill: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_skill.setdefault(item.skill_uri, []).append(item)
    profile: dict[str, ProfileSkill] = {}
    for skill_uri in set(by_skill) | set(role_defaults):
        items = sorted(by_skill.get(skill_uri, []), key=lambda e: (e.observed_on, e.id))
        profile[skill_uri] = _reconcile_skill(skill_uri, items, role_defaults.get(skill_uri))
    return profile


def _reconcile_skill(skill_uri: str, items: list[Evidence], default: int | None) -> ProfileSkill:
    rated: tuple[int, EvidenceSource] | None = None
    for sources in _RATING_PRECEDENCE:
        matching = [e for e in items if e.source in sources]
        if matching:
            rated = (matching[-1].level, matching[-1].source)
            break
    if rated is None and default is not None:
        rated = (default, EvidenceSource.ROLE)
    floors = [e for e in items if e.source in _FLOOR_SOURCES]
    floor = max(floors, key=lambda e: (e.level, e.observed_on, e.id)) if floors else None
    if floor is not None and (rated is None or floor.level > rated[0]):
        return ProfileSkill(skill_uri, floor.level, floor.source, tuple(items))
    assert rated is not None  # a skill appears only with evidence or a role default
    return ProfileSkill(skill_uri, rated[0], rated[1], tuple(items))
