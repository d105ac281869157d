"""Cohort planning vocabulary: candidates with priorities and rosters, waves, and the plan.

A programme's courses run in dated sessions with a number of seats. Candidates (workers) are
placed in sessions that do not clash with their shifts, wave by wave (a pilot, then scale-up),
so that the sum of the priorities of placed workers is as large as it can be without taking
more than a set share of any unit away on the same day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from careshift.domain.learning import CourseSession

__all__ = [
    "Candidate",
    "CohortPlan",
    "CohortProblem",
    "PriorityWeights",
    "Shift",
    "Wave",
    "priority_score",
]

Shift = tuple[datetime, datetime]


@dataclass(frozen=True)
class PriorityWeights:
    """How much each reason to train early weighs (they are normalised to sum 1)."""

    exposure: float = 0.4
    role_change: float = 0.3
    seniority: float = 0.15
    preference: float = 0.15


def priority_score(
    exposure: float,
    days_to_role_change: int | None,
    seniority_years: float,
    preference: float,
    weights: PriorityWeights | None = None,
) -> float:
    """A 0-1 priority: more exposed roles, sooner role changes, longer service and a stated
    wish to train come first. A role change two years or more away counts as no urgency."""
    w = weights or PriorityWeights()
    urgency = (
        0.0 if days_to_role_change is None else 1 - min(max(days_to_role_change, 0), 730) / 730
    )
    parts = (
        (w.exposure, min(max(exposure, 0.0), 1.0)),
        (w.role_change, urgency),
        (w.seniority, min(max(seniority_years, 0.0), 20.0) / 20),
        (w.preference, min(max(preference, 0.0), 1.0)),
    )
    total = sum(weight for weight, _ in parts) or 1.0
    return sum(weight * value for weight, value in parts) / total


@dataclass(frozen=True)
class Candidate:
    worker_id: int
    unit: str
    priority: float
    #: key into ``CohortProblem.rosters``; workers on the same roster share one key
    roster: str
    #: course code -> session code this worker already holds (re-planning keeps them if it can)
    assigned: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Wave:
    name: str
    starts_on: date
    ends_on: date
    #: most places (worker-sessions) the wave may fill; None for no limit
    max_participants: int | None = None

    def holds(self, session: CourseSession) -> bool:
        return self.starts_on <= session.starts_at.date() <= self.ends_on


@dataclass(frozen=True)
class CohortProblem:
    courses: tuple[str, ...]
    sessions: tuple[CourseSession, ...]
    candidates: tuple[Candidate, ...]
    rosters: Mapping[str, tuple[Shift, ...]]
    unit_headcount: Mapping[str, int]
    waves: tuple[Wave, ...] = ()
    #: largest share of a unit's headcount away in training on one day
    max_unit_share: float = 0.1
    #: reward, relative to an average priority, for keeping an existing assignment
    keep_weight: float = 1.0


@dataclass(frozen=True)
class CohortPlan:
    #: (worker id, course code) -> session code
    assignments: Mapping[tuple[int, str], str]
    #: sum of priorities of the placements made (each worker-course counted once)
    objective: float
    #: upper bound on that sum proven by the solver
    bound: float
    status: str
    seconds: float
    kept: int = 0
    moved: int = 0

    @property
    def gap(self) -> float:
        """Relative distance to the proven bound (0 = proven optimal)."""
        return 0.0 if self.bound <= 0 else max(self.bound - self.objective, 0.0) / self.bound

    @property
    def placed(self) -> int:
        return len(self.assignments)
