"""The LP relaxation of the cohort model, solved with HiGHS: a proven upper bound and a rounded
starting point for CP-SAT.

With one session a day the model is close to a network flow (groups -> unit-days -> sessions),
so its LP optimum is nearly integral: flooring it keeps every constraint (all are upper bounds
with non-negative coefficients) and loses little. CP-SAT alone can take long to find this when
seats are scarce; started from it, and with the LP bound, it reports an honest gap quickly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import highspy
import numpy as np

from careshift.domain.cohorts import CohortProblem
from careshift.domain.learning import CourseSession
from careshift.engine.cohort_groups import Group
from careshift.engine.learning_plan import new_highs

__all__ = ["relaxation"]


def relaxation(
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    reward: float,
    time_limit: float,
) -> tuple[float, dict[tuple[int, int], int]] | None:
    """(LP bound in scaled priority units, floored counts per (group, session)), or None."""
    cost: list[float] = []
    upper: list[float] = []
    rows: list[tuple[float, list[tuple[int, float]]]] = []

    def column(objective: float, most: float) -> int:
        cost.append(-objective)  # HiGHS minimises
        upper.append(most)
        return len(cost) - 1

    count = {
        (g, s): column(0.0, min(len(group.members), sessions[s].seats))
        for g, group in enumerate(groups)
        for s in group.free
    }
    for g, group in enumerate(groups):
        scaled = [round(c.priority * 1000) for c in group.members]
        for course in problem.courses:
            mine = [count[g, s] for s in group.free if sessions[s].course == course]
            if mine:
                # one slice per member, best first: the LP fills the highest priorities first
                slices = [column(p, 1.0) for p in scaled]
                rows.append((0.0, [*((j, 1.0) for j in slices), *((j, -1.0) for j in mine)]))
        for s, holding in group.holders.items():
            kept = column(reward, min(holding, sessions[s].seats))
            rows.append((0.0, [(kept, 1.0), (count[g, s], -1.0)]))
    _limits(problem, groups, sessions, count, rows)
    values = _solve(cost, upper, rows, time_limit)
    if values is None:
        return None
    bound, solution = values
    return bound, {key: math.floor(solution[j] + 1e-6) for key, j in count.items()}


def _limits(
    problem: CohortProblem,
    groups: Sequence[Group],
    sessions: Sequence[CourseSession],
    count: dict[tuple[int, int], int],
    rows: list[tuple[float, list[tuple[int, float]]]],
) -> None:
    by_session: dict[int, list[int]] = defaultdict(list)
    away: dict[tuple[str, object], list[int]] = defaultdict(list)
    by_group_day: dict[tuple[int, object], list[int]] = defaultdict(list)
    for (g, s), j in count.items():
        by_session[s].append(j)
        away[groups[g].unit, sessions[s].starts_at.date()].append(j)
        by_group_day[g, sessions[s].starts_at.date()].append(j)
    for s, columns in by_session.items():
        rows.append((float(sessions[s].seats), [(j, 1.0) for j in columns]))
    for (unit, _), columns in away.items():
        limit = max(1, math.floor(problem.max_unit_share * problem.unit_headcount.get(unit, 0)))
        rows.append((float(limit), [(j, 1.0) for j in columns]))
    for (g, _), columns in by_group_day.items():
        if len(columns) > 1:
            rows.append((float(len(groups[g].members)), [(j, 1.0) for j in columns]))
    for wave in problem.waves:
        inside = [j for (_, s), j in count.items() if wave.holds(sessions[s])]
        if wave.max_participants is not None and inside:
            rows.append((float(wave.max_participants), [(j, 1.0) for j in inside]))


def _solve(
    cost: list[float],
    upper: list[float],
    rows: list[tuple[float, list[tuple[int, float]]]],
    time_limit: float,
) -> tuple[float, list[float]] | None:
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.array(upper, dtype=np.float64)
    # slice rows are equalities (slices == count); limits are <= their bound
    lp.row_lower_ = np.array([0.0 if high == 0.0 else -highspy.kHighsInf for high, _ in rows])
    lp.row_upper_ = np.array([high for high, _ in rows], dtype=np.float64)
    starts, index, value = [0], [], []
    for _, terms in rows:
        for j, v in terms:
            index.append(j)
            value.append(v)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    solver = new_highs()
    solver.setOptionValue("time_limit", float(time_limit))
    solver.passModel(lp)
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return -float(solver.getInfo().objective_function_value), list(solver.getSolution().col_value)
