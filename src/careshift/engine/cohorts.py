"""Cohort planning with OR-Tools CP-SAT: who goes to which session, wave by wave.

Decision ``n[g, s]``: how many members of group ``g`` (see :mod:`cohort_groups`) attend session
``s``. Constraints: seats per session; each worker at most once per course; per unit and day at
most ``max(1, floor(max_unit_share * headcount))`` away; per wave at most its places; in a
multi-course programme a group never has more people in one day's sessions than members.
Objective: the sum over groups and courses of the prefix sum of the group's sorted priorities
(exact, via one upper bound per member on a concave function), plus a reward for every
existing place kept, which with a solution hint makes re-planning change little. (When
re-planning, kept holders may be below the group's top priorities, so the named plan's priority
sum can sit slightly under the model's; the benchmark reports both.)
It starts from the better of the greedy plan and the floored LP relaxation (HiGHS, see
:mod:`cohort_lp`), stops at 0.5% relative gap or the time limit, and reports its objective and
the tighter of its own bound and the LP bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from careshift.domain.cohorts import CohortPlan, CohortProblem
from careshift.domain.learning import CourseSession
from careshift.engine.cohort_greedy import greedy_cohorts
from careshift.engine.cohort_groups import Group, group_candidates, usable_sessions
from careshift.engine.cohort_lp import relaxation

__all__ = ["plan_cohorts"]

#: priorities (0-1) become integers for CP-SAT at this resolution
SCALE = 1000


def plan_cohorts(
    problem: CohortProblem, *, time_limit: float = 8.0, workers: int = 4, gap_limit: float = 0.005
) -> CohortPlan:
    started = time.perf_counter()
    sessions = usable_sessions(problem)
    groups = group_candidates(problem, sessions)
    model = cp_model.CpModel()
    counts = _count_vars(model, groups, sessions)
    priorities = [round(c.priority * SCALE) for group in groups for c in group.members]
    reward = round(problem.keep_weight * (sum(priorities) / max(len(priorities), 1)))
    relaxed = relaxation(problem, groups, sessions, reward, time_limit / 3)
    hinted = _hint(model, problem, groups, sessions, counts, reward, relaxed)
    objective = _objective(model, problem, groups, sessions, counts, hinted, reward)
    _capacity(model, groups, sessions, counts)
    _unit_days(model, problem, groups, sessions, counts)
    _waves(model, problem, sessions, counts)
    if relaxed is not None:
        # a valid cut (no integer plan beats the LP): CP-SAT starts from this bound
        model.add(sum(objective) <= math.floor(relaxed[0] + 1e-6))
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 0.5)
    solver.parameters.num_workers = workers
    solver.parameters.relative_gap_limit = gap_limit
    # The LP relaxation of this model is nearly integral, so a full linearisation finds the
    # optimum fast; presolve and symmetry detection cost seconds on 25k variables and gain
    # nothing here.
    solver.parameters.linearization_level = 2
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.symmetry_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CohortPlan({}, 0.0, 0.0, solver.status_name(status), time.perf_counter() - started)
    chosen = {key: solver.value(var) for key, var in counts.items()}
    assignments, kept, moved = _disaggregate(problem, groups, sessions, chosen)
    value = solver.objective_value / SCALE
    # both bounds are proven; the LP one is usually much tighter when seats are scarce
    bound = min(solver.best_objective_bound, relaxed[0] if relaxed else math.inf) / SCALE
    return CohortPlan(
        assignments=assignments,
        objective=value,
        bound=max(bound, value),
        status=solver.status_name(status).lower(),
        seconds=time.perf_counter() - started,
        kept=kept,
        moved=moved,
    )


def _count_vars(
    model: cp_model.CpModel, groups: Sequence[Group], sessions: Sequence[CourseSession]
) -> dict[tuple[int, int], cp_model.IntVar]:
    return {
        (g, s): model.new_int_var(0, min(len(group.members), sessions[s].seats), "")
        for g, group in enumerate(groups)
        for s in group.free
    }


def _objective(
    model: cp_model.CpModel,
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    counts: dict[tuple[int, int], cp_model.IntVar],
    hinted: dict[tuple[int, int], int],
    reward: int,
) -> list[cp_model.LinearExprT]:
    terms: list[cp_model.LinearExprT] = []
    for g, group in enumerate(groups):
        scaled = [round(c.priority * SCALE) for c in group.members]
        prefix = [0]
        for p in scaled:
            prefix.append(prefix[-1] + p)
        for course in problem.courses:
            mine = [counts[g, s] for s in group.free if sessions[s].course == course]
            if not mine:
                continue
            placed = model.new_int_var(0, len(group.members), "")
            model.add(placed == sum(mine))
            value = model.new_int_var(0, prefix[-1], "")
            start = sum(hinted.get((g, s), 0) for s in group.free if sessions[s].course == course)
            model.add_hint(placed, start)
            model.add_hint(value, prefix[start])
            # concave prefix sum: value <= P(k) + p_k * (placed - k) for every k, tight at k=placed
            for k, p in enumerate(scaled):
                model.add(value <= prefix[k] + p * (placed - k))
            terms.append(value)
        for s, holding in group.holders.items():
            # reward each existing place kept: kept <= n[g, s] and kept <= holders
            kept = model.new_int_var(0, min(holding, sessions[s].seats), "")
            model.add(kept <= counts[g, s])
            model.add_hint(kept, min(holding, hinted.get((g, s), 0)))
            terms.append(reward * kept)
    return terms


def _hint(
    model: cp_model.CpModel,
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    counts: dict[tuple[int, int], cp_model.IntVar],
    reward: int,
    relaxed: tuple[float, dict[tuple[int, int], int]] | None,
) -> dict[tuple[int, int], int]:
    """Start from the better of the greedy plan (which keeps existing places first) and the
    floored LP optimum: CP-SAT then only has to improve a good feasible solution."""
    group_of = {c.worker_id: g for g, group in enumerate(groups) for c in group.members}
    index_of = {s.code: i for i, s in enumerate(sessions)}
    greedy: dict[tuple[int, int], int] = defaultdict(int)
    for (worker_id, _), code in greedy_cohorts(problem).assignments.items():
        if worker_id in group_of:
            greedy[group_of[worker_id], index_of[code]] += 1
    hinted: dict[tuple[int, int], int] = greedy
    if relaxed is not None:
        score = {
            id(c): _estimate(problem, groups, sessions, c, reward) for c in (greedy, relaxed[1])
        }
        if score[id(relaxed[1])] > score[id(greedy)]:
            hinted = relaxed[1]
    for key, var in counts.items():
        model.add_hint(var, hinted.get(key, 0))
    return hinted


def _estimate(
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    chosen: dict[tuple[int, int], int],
    reward: int,
) -> int:
    """The model objective of a counts solution (scaled priorities plus kept-place rewards)."""
    total = 0
    for g, group in enumerate(groups):
        scaled = [round(c.priority * SCALE) for c in group.members]
        for course in problem.courses:
            placed = sum(chosen.get((g, s), 0) for s in group.free if sessions[s].course == course)
            total += sum(scaled[: min(placed, len(scaled))])
        total += sum(reward * min(n, chosen.get((g, s), 0)) for s, n in group.holders.items())
    return total


def _capacity(
    model: cp_model.CpModel,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    counts: dict[tuple[int, int], cp_model.IntVar],
) -> None:
    by_session: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    most: dict[int, int] = defaultdict(int)
    for (g, s), var in counts.items():
        by_session[s].append(var)
        most[s] += min(len(groups[g].members), sessions[s].seats)
    for s, variables in by_session.items():
        if most[s] > sessions[s].seats:
            model.add(sum(variables) <= sessions[s].seats)
    # a group cannot be in two of one day's sessions more times than it has members
    for g, group in enumerate(groups):
        by_day: dict[object, list[cp_model.IntVar]] = defaultdict(list)
        for s in group.free:
            by_day[sessions[s].starts_at.date()].append(counts[g, s])
        for variables in by_day.values():
            if len(variables) > 1:
                model.add(sum(variables) <= len(group.members))


def _unit_days(
    model: cp_model.CpModel,
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    counts: dict[tuple[int, int], cp_model.IntVar],
) -> None:
    away: dict[tuple[str, object], list[cp_model.IntVar]] = defaultdict(list)
    for (g, s), var in counts.items():
        away[groups[g].unit, sessions[s].starts_at.date()].append(var)
    for (unit, _), variables in away.items():
        headcount = problem.unit_headcount.get(unit, 0)
        limit = max(1, math.floor(problem.max_unit_share * headcount))
        model.add(sum(variables) <= limit)


def _waves(
    model: cp_model.CpModel,
    problem: CohortProblem,
    sessions: Sequence[CourseSession],
    counts: dict[tuple[int, int], cp_model.IntVar],
) -> None:
    for wave in problem.waves:
        if wave.max_participants is None:
            continue
        inside = [var for (_, s), var in counts.items() if wave.holds(sessions[s])]
        if inside:
            model.add(sum(inside) <= wave.max_participants)


def _disaggregate(
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    chosen: dict[tuple[int, int], int],
) -> tuple[dict[tuple[int, str], str], int, int]:
    """Name the workers: holders of an existing place keep it while their session has room;
    the other places go to the highest priorities, earliest sessions first."""
    assignments: dict[tuple[int, str], str] = {}
    busy: set[tuple[int, object]] = set()
    for g, group in enumerate(groups):
        for course in problem.courses:
            slots = [s for s in group.free if sessions[s].course == course and chosen[g, s]]
            slots.sort(key=lambda s: sessions[s].starts_at)
            left = {s: chosen[g, s] for s in slots}
            placed: set[int] = set()
            for s in slots:
                for member in group.members:
                    if left[s] and member.assigned.get(course) == sessions[s].code:
                        _place(assignments, busy, placed, member.worker_id, course, sessions[s])
                        left[s] -= 1
            queue = [m for m in group.members if m.worker_id not in placed]
            for s in slots:
                day = sessions[s].starts_at.date()
                while left[s]:
                    free = next((m for m in queue if (m.worker_id, day) not in busy), None)
                    if free is None:
                        break
                    queue.remove(free)
                    _place(assignments, busy, placed, free.worker_id, course, sessions[s])
                    left[s] -= 1
    kept_count = moved = 0
    for candidate in problem.candidates:
        for course, code in candidate.assigned.items():
            if assignments.get((candidate.worker_id, course)) == code:
                kept_count += 1
            else:
                moved += 1
    return assignments, kept_count, moved


def _place(
    assignments: dict[tuple[int, str], str],
    busy: set[tuple[int, object]],
    placed: set[int],
    worker_id: int,
    course: str,
    run: CourseSession,
) -> None:
    assignments[worker_id, course] = run.code
    busy.add((worker_id, run.starts_at.date()))
    placed.add(worker_id)
