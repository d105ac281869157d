"""Interchangeable candidates: the grouping that makes cohort planning small and exact.

Two candidates of the same unit whose rosters leave the same sessions free are
interchangeable except for their priority (and, when re-planning, the place they hold). The
model then only decides *how many* of a group go to each session; for a given count the best
choice is always the highest-priority members (an exchange argument), so the group's value is
the concave prefix sum of its sorted priorities, which CP-SAT represents exactly with one bound
per member.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from careshift.domain.cohorts import Candidate, CohortProblem, Shift
from careshift.domain.learning import CourseSession

__all__ = ["Group", "free_sessions", "group_candidates", "usable_sessions"]


@dataclass(frozen=True)
class Group:
    unit: str
    #: indexes (into the usable sessions) this group's roster leaves free
    free: tuple[int, ...]
    #: members, highest priority first
    members: tuple[Candidate, ...]
    #: session index -> how many members already hold a place there (re-planning)
    holders: dict[int, int]


def usable_sessions(problem: CohortProblem) -> list[CourseSession]:
    """Sessions of the programme's courses, inside a wave when waves are given, by start."""
    courses = set(problem.courses)
    usable = [
        s
        for s in problem.sessions
        if s.course in courses and (not problem.waves or any(w.holds(s) for w in problem.waves))
    ]
    return sorted(usable, key=lambda s: (s.starts_at, s.code))


def free_sessions(shifts: Sequence[Shift], sessions: Sequence[CourseSession]) -> tuple[int, ...]:
    """Indexes of ``sessions`` that overlap none of ``shifts`` (any order, may overlap)."""
    ordered = sorted(shifts)
    starts = [start for start, _ in ordered]
    latest_end: list[datetime] = []
    for _, end in ordered:
        latest_end.append(end if not latest_end or end > latest_end[-1] else latest_end[-1])
    free = []
    for index, run in enumerate(sessions):
        # shifts starting before the session ends; the latest end among them decides the clash
        before = bisect.bisect_left(starts, run.ends_at)
        if before == 0 or latest_end[before - 1] <= run.starts_at:
            free.append(index)
    return tuple(free)


def group_candidates(problem: CohortProblem, sessions: Sequence[CourseSession]) -> list[Group]:
    index_of = {s.code: i for i, s in enumerate(sessions)}
    free_by_roster: dict[str, tuple[int, ...]] = {}
    buckets: dict[tuple[str, tuple[int, ...]], list[Candidate]] = {}
    for candidate in problem.candidates:
        if candidate.roster not in free_by_roster:
            shifts = problem.rosters.get(candidate.roster, ())
            free_by_roster[candidate.roster] = free_sessions(shifts, sessions)
        buckets.setdefault((candidate.unit, free_by_roster[candidate.roster]), []).append(candidate)
    groups = []
    for (unit, free), members in sorted(buckets.items(), key=lambda kv: kv[0]):
        if free:
            ordered = tuple(sorted(members, key=lambda c: (-c.priority, c.worker_id)))
            groups.append(Group(unit, free, ordered, _holders(ordered, index_of, free)))
    return groups


def _holders(
    members: Sequence[Candidate], index_of: Mapping[str, int], free: tuple[int, ...]
) -> dict[int, int]:
    """Existing places still possible (the session exists and the roster leaves it free)."""
    allowed = set(free)
    counts: dict[int, int] = {}
    for member in members:
        for code in member.assigned.values():
            s = index_of.get(code)
            if s is not None and s in allowed:
                counts[s] = counts.get(s, 0) + 1
    return counts
