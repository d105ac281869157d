"""A greedy cohort plan: the baseline CP-SAT is measured against, and its starting hint.

Workers in priority order each take the earliest free session with a seat, within the unit's
daily limit and the wave's places, course by course: what a coordinator would do by hand.
"""

from __future__ import annotations

import math
from collections import defaultdict

from careshift.domain.cohorts import CohortPlan, CohortProblem
from careshift.engine.cohort_groups import free_sessions, usable_sessions

__all__ = ["greedy_cohorts"]


def greedy_cohorts(problem: CohortProblem) -> CohortPlan:
    sessions = usable_sessions(problem)
    seats = [s.seats for s in sessions]
    wave_of = [next((i for i, w in enumerate(problem.waves) if w.holds(s)), -1) for s in sessions]
    wave_left = [w.max_participants for w in problem.waves]
    away: dict[tuple[str, object], int] = defaultdict(int)
    busy: set[tuple[int, object]] = set()
    free_by_roster: dict[str, tuple[int, ...]] = {}
    assignments: dict[tuple[int, str], str] = {}
    value = 0.0
    index_of = {s.code: i for i, s in enumerate(sessions)}
    order = sorted(problem.candidates, key=lambda c: (-c.priority, c.worker_id))
    # First every holder of an existing place keeps it if it still can, then everybody else
    # (and holders of cancelled places) in priority order takes the earliest free session.
    for keeping in (True, False):
        for candidate in order:
            if candidate.roster not in free_by_roster:
                shifts = problem.rosters.get(candidate.roster, ())
                free_by_roster[candidate.roster] = free_sessions(shifts, sessions)
            limit = max(
                1,
                math.floor(problem.max_unit_share * problem.unit_headcount.get(candidate.unit, 0)),
            )
            for course in problem.courses:
                if (candidate.worker_id, course) in assignments:
                    continue
                free = free_by_roster[candidate.roster]
                own = index_of.get(candidate.assigned.get(course, ""), -1)
                options = ([own] if own in free else []) if keeping else list(free)
                for s in options:
                    run, day = sessions[s], sessions[s].starts_at.date()
                    wave = wave_of[s]
                    if run.course != course or seats[s] == 0 or away[candidate.unit, day] >= limit:
                        continue
                    if (candidate.worker_id, day) in busy or (wave >= 0 and wave_left[wave] == 0):
                        continue
                    seats[s] -= 1
                    away[candidate.unit, day] += 1
                    busy.add((candidate.worker_id, day))
                    if wave >= 0 and wave_left[wave] is not None:
                        wave_left[wave] -= 1  # type: ignore[operator]
                    assignments[candidate.worker_id, course] = run.code
                    value += candidate.priority
                    break
    return CohortPlan(assignments, value, 0.0, "greedy", 0.0)
