"""The academy's vocabulary: courses mapped to skills and levels, catalogues, learning plans.

A :class:`Course` brings a learner to a proficiency level (1-6) in one or more skills (ESCO or
local framework URIs) and may require other courses or skill levels first. A
:class:`Catalogue` is the immutable set the plan engine searches; a :class:`LearningPlan` is its
answer for one worker's gap. Nothing here touches I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "MAX_LEVEL",
    "Catalogue",
    "Course",
    "CourseSession",
    "LearningPlan",
    "Modality",
    "Module",
    "PlanObjective",
    "PlanStatus",
    "PlanStep",
    "Prerequisite",
    "SkillLevel",
]

#: Proficiency levels run 1-6 across careshift (PRODUCT.md, capability A).
MAX_LEVEL = 6


class Modality(StrEnum):
    CLASSROOM = "classroom"
    E_LEARNING = "e-learning"
    ON_THE_JOB = "on-the-job"
    MENTORING = "mentoring"


@dataclass(frozen=True, order=True)
class SkillLevel:
    """A skill (URI) at a proficiency level 1-6."""

    uri: str
    level: int

    def __post_init__(self) -> None:
        if not 1 <= self.level <= MAX_LEVEL:
            raise ValueError(f"level of {self.uri} must be 1-{MAX_LEVEL}, got {self.level}")


@dataclass(frozen=True)
class Prerequisite:
    """What a learner needs before a course: another course, or a skill at a level.

    Exactly one of ``course`` and ``skill`` is set. A skill prerequisite is met by the learner's
    current level or by any earlier course in the plan that brings the skill that far.
    """

    course: str | None = None
    skill: SkillLevel | None = None

    def __post_init__(self) -> None:
        if (self.course is None) == (self.skill is None):
            raise ValueError("a prerequisite names either a course or a skill level")

    def __str__(self) -> str:
        if self.skill is not None:
            return f"{self.skill.uri}>={self.skill.level}"
        return f"course {self.course}"


@dataclass(frozen=True)
class Module:
    title: str
    hours: float


@dataclass(frozen=True)
class Course:
    """One course of the catalogue. ``code`` is the provider-independent key."""

    code: str
    #: titles by language ("en", "nb", "sv"); English is the fallback
    titles: Mapping[str, str]
    hours: float
    cost: float
    modality: Modality
    brings: tuple[SkillLevel, ...]
    prerequisites: tuple[Prerequisite, ...] = ()
    language: str = "en"
    provider: str = ""
    currency: str = "EUR"
    seats_per_session: int | None = None
    modules: tuple[Module, ...] = ()
    description: str = ""

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.code

    def level_brought(self, uri: str) -> int:
        """The level this course brings a learner to in ``uri`` (0 when it does not teach it)."""
        return max((b.level for b in self.brings if b.uri == uri), default=0)


@dataclass(frozen=True)
class CourseSession:
    """A dated run of a course with a number of seats."""

    code: str
    course: str
    starts_at: datetime
    ends_at: datetime
    seats: int
    location: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Courses by code, with an index from skill to the courses that teach it."""

    courses: Mapping[str, Course]
    _by_skill: Mapping[str, tuple[Course, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, courses: Iterable[Course]) -> Catalogue:
        by_code: dict[str, Course] = {}
        by_skill: dict[str, list[Course]] = {}
        for course in courses:
            by_code[course.code] = course
            for uri in dict.fromkeys(b.uri for b in course.brings):
                by_skill.setdefault(uri, []).append(course)
        return cls(by_code, {uri: tuple(cs) for uri, cs in by_skill.items()})

    def teaching(self, uri: str, level: int = 1) -> tuple[Course, ...]:
        """Courses that bring a learner to at least ``level`` in ``uri``."""
        return tuple(c for c in self._by_skill.get(uri, ()) if c.level_brought(uri) >= level)

    def __len__(self) -> int:
        return len(self.courses)


@dataclass(frozen=True)
class PlanObjective:
    """What a plan minimises: ``hours_weight * hours + cost_weight * cost``."""

    hours_weight: float = 1.0
    cost_weight: float = 0.0

    @classmethod
    def named(cls, name: str) -> PlanObjective:
        """``hours``, ``cost`` or ``mix`` (one hour weighs as much as 100 units of money)."""
        choices = {"hours": cls(1.0, 0.0), "cost": cls(0.0, 1.0), "mix": cls(1.0, 0.01)}
        if name not in choices:
            raise ValueError(f"objective must be one of {', '.join(choices)}, got {name!r}")
        return choices[name]

    def of(self, course: Course) -> float:
        return self.hours_weight * course.hours + self.cost_weight * course.cost


class PlanStatus(StrEnum):
    #: the solver proved no cheaper set of courses reaches the reachable targets (gap 0)
    OPTIMAL = "optimal"
    #: nothing to learn: every target is already met
    NOTHING_TO_LEARN = "nothing_to_learn"
    #: the solver stopped before proving optimality (time limit)
    FEASIBLE = "feasible"


@dataclass(frozen=True)
class PlanStep:
    course: Course
    #: targets this course closes (skill brought to at least the target level)
    closes: tuple[SkillLevel, ...]


@dataclass(frozen=True)
class LearningPlan:
    """The courses to take, in an order that respects every prerequisite."""

    steps: tuple[PlanStep, ...]
    status: PlanStatus
    objective: float
    #: best bound the solver proved; equals ``objective`` when proven optimal
    bound: float
    #: targets no course (or chain of courses) in the catalogue can close
    unreachable: tuple[SkillLevel, ...] = ()
    solve_ms: float = 0.0

    @property
    def hours(self) -> float:
        return sum(step.course.hours for step in self.steps)

    @property
    def cost(self) -> float:
        return sum(step.course.cost for step in self.steps)

    @property
    def proven_optimal(self) -> bool:
        return self.status in (PlanStatus.OPTIMAL, PlanStatus.NOTHING_TO_LEARN)

    @property
    def message(self) -> str:
        if not self.unreachable:
            return "every target level is reached"
        gaps = ", ".join(f"{t.uri} to level {t.level}" for t in self.unreachable)
        return f"no course in the catalogue closes: {gaps}"
